"""The command line: version, new, build, check, usage errors and exit codes."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from coursegen import __version__


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "coursegen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"coursegen {__version__}"


def test_new_scaffolds_a_project_that_builds_and_checks(tmp_path):
    result = run("new", "course-site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "course-site"
    assert (site / "content/site.yaml").exists() and (site / ".gitignore").exists()
    assert run("check", "course-site", cwd=tmp_path).returncode == 0
    built = run("build", "course-site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "Built " in built.stdout and "http.server" in built.stdout
    assert (site / "build/git-basics/snapshots/index.html").exists()
    assert (site / "build/git-basics/images/snapshots.svg").exists()
    page = (site / "build/git-basics/snapshots/index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="cg-reveal-body">(?:(?!</details>).)*<aside[^>]*cg-callout-note', page, re.DOTALL)


def test_the_new_project_shows_every_kind_of_block_and_the_learning_design_features(tmp_path):
    """`coursegen new` is where authors learn the format: its course uses each block the docs list."""
    from bs4 import BeautifulSoup

    from coursegen.blocks import CONTAINERS
    assert run("new", "site", cwd=tmp_path).returncode == 0
    built = run("build", "site", "--strict", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    out = tmp_path / "site/build/git-basics"
    pages = [BeautifulSoup((out / m / "index.html").read_text(encoding="utf-8"), "html.parser")
             for m in ("snapshots", "branches")]
    found = {kind for page in pages for kind in CONTAINERS if page.select(
        {"reveal": "details.cg-reveal, .cg-reveal", "tabs": "[data-tabs]", "tab": ".cg-tab",
         "instructor": "nothing-on-learner-pages"}.get(kind, f".cg-callout-{kind}"))}
    assert found == set(CONTAINERS) - {"instructor"}
    assert all(page.select("form.cg-quiz") for page in pages) and pages[1].select(".cg-widget, [data-widget]")
    assert pages[0].select(".cg-code-title") and pages[0].select("math")  # a code block's title, a formula
    assert pages[0].select("a.cg-term") and (out / "glossary/index.html").exists()
    instructor = (out / "instructor/index.html").read_text(encoding="utf-8")
    assert "Conflicts on purpose" in instructor and "Conflicts on purpose" not in str(pages[1])
    assert 'http-equiv="refresh"' in (out / "branching/index.html").read_text(encoding="utf-8")  # its alias
    site_yaml = tmp_path / "site/content/site.yaml"  # the theme settings it shows work once uncommented
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("# theme:", "theme:")
                         .replace('#   accent: {', '  accent: {').replace("# edit_url:", "edit_url:"), encoding="utf-8")
    checked = run("check", "site", "--strict", cwd=tmp_path)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_new_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/file.txt").write_text("mine")
    result = run("new", "taken", cwd=tmp_path)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (tmp_path / "taken/file.txt").read_text() == "mine"


def test_usage_errors_exit_2(tmp_path):
    assert run("build", "--no-such-flag", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2
    assert run("frobnicate", cwd=tmp_path).returncode == 2


COMMANDS = (["build"], ["check"], ["report"], ["serve", "--port", "0"], ["export", "--format", "scorm12"])


def test_a_folder_that_is_not_a_project_is_a_usage_error_for_every_command(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "p/content/demo").mkdir(parents=True)
    (tmp_path / "p/content/site.yaml").write_text("title: T\n")
    (tmp_path / "p/content/demo/course.yaml").write_text("title: T\n")
    cases = {"missing": "missing does not exist; give the project folder (the one with content/)",
             "empty": "empty is not a coursegen project: it has no content/ folder; run 'coursegen new DIR'",
             "a-file": "a-file is a file, not a project folder",
             "p/content": f"content is a content/ folder; give the project folder above it, {tmp_path / 'p'}",
             "p/content/demo": f"demo is a course folder; give the project folder two levels up, {tmp_path / 'p'}"}
    for command in COMMANDS:
        for folder, message in cases.items():
            result = run(command[0], folder, *command[1:], cwd=tmp_path)
            assert result.returncode == 2 and f"coursegen: error: {tmp_path}/" in result.stderr, (command, result)
            assert message in result.stderr and "Traceback" not in result.stderr, (command, result.stderr)
    assert not (tmp_path / "missing").exists() and sorted(p.name for p in (tmp_path / "empty").iterdir()) == []
    assert run("build", cwd=tmp_path / "empty").returncode == 2


def test_a_failed_first_build_does_not_claim_a_previous_site(demo):
    demo.write("content/demo/03-x.md", "---\ntitle: T\n")
    first = demo.cli("build")
    assert first.returncode == 1 and "nothing was written" in first.stderr and "previous site" not in first.stderr
    demo.remove("content/demo/03-x.md")
    assert demo.cli("build").returncode == 0
    demo.write("content/demo/03-x.md", "---\ntitle: T\n")
    again = demo.cli("build")
    assert again.returncode == 1 and f"the previous site in {demo.out} is unchanged" in again.stderr


def test_build_options_base_url_out_and_quiet(demo, tmp_path):
    out = tmp_path / "public"
    result = demo.cli("build", "--out", str(out), "--base-url", "/sub/", "-q")
    assert result.returncode == 0 and result.stdout == ""
    assert 'href="/sub/demo/"' in (out / "index.html").read_text()


def test_github_annotations_when_running_in_actions(demo):
    demo.write("content/demo/03-x.md", "---\ntitle: T\n")
    result = subprocess.run([sys.executable, "-m", "coursegen", "check"], cwd=demo.root, capture_output=True,
                            text=True, env={**__import__("os").environ, "GITHUB_ACTIONS": "true"}, check=False)
    assert result.returncode == 1
    assert "::error file=content/demo/03-x.md,line=1::" in result.stderr


def test_flagship_repository_content_builds_and_checks(tmp_path):
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    assert run("check", str(repo), cwd=tmp_path).returncode == 0
    result = run("build", str(repo), "--out", str(tmp_path / "site"), "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/how-llms-work/index.html").exists()


def test_new_copies_no_build_output_or_cache_from_the_package(tmp_path, monkeypatch):
    import shutil

    from coursegen import scaffold
    starter = tmp_path / "starter"  # a copy: the installed package is never written to
    shutil.copytree(scaffold.STARTER, starter)
    (starter / ".coursegen-cache").mkdir()  # as a build of the starter in place would leave
    (starter / "build").mkdir()
    monkeypatch.setattr(scaffold, "STARTER", starter)
    scaffold.scaffold(tmp_path / "fresh")
    names = {p.name for p in (tmp_path / "fresh").iterdir()}
    assert names == {".github", ".gitignore", "content", "static", "templates"}


def buffered(*args: str, cwd) -> subprocess.CompletedProcess:
    """The command as a shell pipeline runs it: output buffered in blocks (no PYTHONUNBUFFERED)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "coursegen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env=env)


def test_every_line_and_the_exit_code_come_through_pipes(demo):
    for n in range(1, 151):  # 150 modules with a misspelt key: an error each, more than a pipe's buffer
        demo.write(f"content/demo/{n + 10:03d}-extra-{n}.md", f"---\ntitel: Extra {n}\nsummary: S.\n---\nBody.\n")
    failed = buffered("build", cwd=demo.root)
    assert failed.returncode == 1
    errors = [line for line in failed.stderr.splitlines() if ": error: " in line]
    assert len({line.split(":")[0] for line in errors}) == 150
    assert failed.stderr.splitlines()[-1].startswith("Build failed: ")
    for path in (demo.root / "content/demo").glob("*-extra-*.md"):
        path.unlink()
    built = buffered("build", cwd=demo.root)
    assert built.returncode == 0
    assert built.stdout.splitlines()[-1].startswith("View it: python -m http.server")


def test_the_command_runs_exit_handlers_before_it_ends(demo):
    code = ("import atexit, sys; atexit.register(lambda: print('exit handler ran', flush=True)); "
            f"sys.argv = ['coursegen', 'check', {str(demo.root)!r}]; from coursegen.cli import run; run()")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                            env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Checked ") and lines[-1] == "exit handler ran"
