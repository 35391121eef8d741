"""The speed layer changes nothing but time: cached, parallel and --no-cache builds give the same bytes.

The cached builds run as the `coursegen` command in a process of their own, where no other thread runs,
so they fork workers as a user's build does (this test process may hold browser-driver threads).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import REPO, tree

from coursegen import BuildOptions, build
from coursegen.speed import workers

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

MODULES = 100


def cli_build(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "coursegen", "build", str(project), "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=300, env=env, check=False)


def plain_build(project: Path, out: Path) -> dict[str, bytes]:
    report = build(project, BuildOptions(out=out, cache=False))
    assert report.ok, report.diagnostics
    return tree(out)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("big") / "site", MODULES, per_course=40)


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def test_every_kind_of_build_gives_the_no_cache_bytes(big_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(big_site, project)
    out = tmp_path / "out"
    steps = [
        ("cold", lambda: None),
        ("warm", lambda: None),
        ("body edit", lambda: edit(project, "content/course-002/010-topic-10.md", "\n\n", "\n\nA new sentence.\n\n")),
        ("title edit", lambda: edit(project, "content/course-002/011-topic-11.md", "title: ", "title: Renamed ")),
        ("summary edit", lambda: edit(project, "content/course-001/002-topic-2.md", "summary: ", "summary: New. ")),
        ("goal edit", lambda: edit(project, "content/course-001/003-topic-3.md", "goals:\n  - ", "goals:\n  - Then ")),
        ("card added", lambda: edit(project, "content/course-001/004-topic-4.md", "\n## ", "\n## Extra Card\n\nMore.\n\n## ")),
        ("module gone", lambda: (project / "content/course-003/020-topic-20.md").unlink()
         or edit(project, "content/course-003/019-topic-19.md", "](020-topic-20.md)", "](001-topic-1.md)")),
        ("template", lambda: (project / "templates").mkdir() or (project / "templates/footer_note.html").write_text("x")),
        ("theme override", lambda: (project / "templates/partials").mkdir() or (project / "templates/partials/footer.html")
         .write_text((REPO / "src/coursegen/theme/templates/partials/footer.html").read_text() + "<!-- mine -->\n")),
        ("static", lambda: (project / "static").mkdir(exist_ok=True) or (project / "static/extra.css").write_text("a{}")),
        ("site title", lambda: edit(project, "content/site.yaml", "title: ", "title: Renamed ")),
    ]
    for name, change in steps:
        change()
        done = cli_build(project, out)
        assert done.returncode == 0, (name, done.stderr)
        assert tree(out) == plain_build(project, tmp_path / f"plain-{name}"), f"{name}: cached build differs"


def test_a_ci_rebuild_from_a_restored_cache_gives_the_no_cache_bytes(big_site: Path, tmp_path: Path) -> None:
    """A CI job: a fresh checkout (new inodes and times), .coursegen-cache/ restored, a new output folder."""
    first = tmp_path / "first"
    shutil.copytree(big_site, first)
    assert cli_build(first, tmp_path / "out-1").returncode == 0
    second = tmp_path / "second"
    shutil.copytree(first, second)
    edit(second, "content/course-002/010-topic-10.md", "\n\n", "\n\nEdited in CI.\n\n")
    done = cli_build(second, tmp_path / "out-2")
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "out-2") == plain_build(second, tmp_path / "plain")


def test_errors_are_the_same_with_and_without_speed_ups(big_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(big_site, project)
    edit(project, "content/course-002/010-topic-10.md", "](011-topic-11.md)", "](099-nowhere.md)")
    edit(project, "content/course-002/012-topic-12.md", "title: ", "titel: ")
    done = cli_build(project, tmp_path / "out")
    plain = build(project, BuildOptions(out=tmp_path / "plain", cache=False))
    assert done.returncode == 1 and not plain.ok
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [d.format() for d in plain.errors]
    assert len(plain.errors) == 2  # the broken link too, in the same pass as the front-matter error (one: the misspelt key)


def test_a_template_error_on_many_cores_is_one_error_and_no_traceback(big_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(big_site, project)
    (project / "templates").mkdir()
    (project / "templates/module.html").write_text(
        '{% extends "theme/module.html" %}\n{% block main %}\n{{ module.no_such_field }}{% endblock %}\n')
    done = cli_build(project, tmp_path / "out")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert errors == [("templates/module.html:3: error: template error: 'coursegen.model.Module object' has no "
                       "attribute 'no_such_field'")]


CRASHING_WORKER = """
import os
from coursegen.speed import workers
parent = os.getpid()

def work(n):
    if os.getpid() != parent and n == 7:
        os._exit(3)  # a worker dies
    return n * n

assert workers.cores() >= 2, "needs two cores"
assert workers.fork_map(work, list(range(200))) == [n * n for n in range(200)]
print("ok")
"""


def test_a_crashing_worker_leaves_the_work_to_this_process() -> None:
    """In a process of its own, where no other thread runs, so that fork_map really forks."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", CRASHING_WORKER], capture_output=True, text=True, timeout=120,
                          env=env, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert workers.cores() == 1
        parent = os.getpid()
        assert workers.fork_map(lambda n: os.getpid() == parent, list(range(500))) == [True] * 500
    finally:
        stop.set()
        helper.join()
