"""Crash safety: a build killed at any moment leaves the previous site whole, and unsafe --out is refused."""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, CourseProject

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

Snapshot = dict[str, str]


def snapshot(folder: Path) -> Snapshot:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def start_build(root: Path) -> subprocess.Popen:
    """`coursegen build` in its own process group, so a kill takes its helpers down with it."""
    return subprocess.Popen([sys.executable, "-m", "coursegen", "build", str(root), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def build_to_end(root: Path) -> None:
    process = start_build(root)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".build"))


def edit_content(root: Path) -> None:
    for path in sorted((root / "content").rglob("*.md"))[::3]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: Module", "title: Edited module", 1), encoding="utf-8")


def test_sigkill_at_random_moments_keeps_a_whole_site(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 60)
    started = time.perf_counter()
    build_to_end(root)
    duration = time.perf_counter() - started
    before = snapshot(root / "build")
    edit_content(root)
    seen: list[Snapshot] = []
    rng = random.Random(20261129)
    for _ in range(10):
        process = start_build(root)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert (root / "build").is_dir(), "the site folder went missing after a kill"
        seen.append(snapshot(root / "build"))
    build_to_end(root)
    after = snapshot(root / "build")
    assert after != before
    for state in seen:
        assert state in (before, after), "a killed build left a half-written site in build/"
    assert leftovers(root) == [], "temporary folders survived the next build"


def test_failed_build_after_a_good_one_leaves_the_site_untouched(demo: CourseProject) -> None:
    assert demo.build().ok
    before = snapshot(demo.out)
    demo.write("content/demo/01-first.md", "---\ntitle: [broken\n---\n")
    result = demo.cli("build")
    assert result.returncode == 1
    assert snapshot(demo.out) == before
    assert leftovers(demo.root) == []


@pytest.mark.parametrize("where", [".", "content", "content/demo", "templates", "static", "a-file.txt",
                                   "someone-elses-folder", ".."])
def test_unsafe_out_folder_is_refused_with_exit_2(demo: CourseProject, where: str) -> None:
    demo.write("a-file.txt", "keep me")
    demo.write("someone-elses-folder/notes.txt", "keep me too")
    demo.write("templates/.keep", "")
    demo.write("static/.keep", "")
    before = snapshot(demo.root)
    result = demo.cli("build", "--out", where)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("coursegen: error: output")
    assert "Traceback" not in result.stderr
    assert snapshot(demo.root) == before


def test_out_folder_made_by_coursegen_is_replaced(demo: CourseProject) -> None:
    assert demo.cli("build", "--out", "site-out").returncode == 0
    demo.write("content/demo/01-first.md", demo.root.joinpath("content/demo/01-first.md").read_text()
               .replace("First Steps", "First Steps, edited"))
    assert demo.cli("build", "--out", "site-out").returncode == 0
    assert "First Steps, edited" in (demo.root / "site-out/demo/first/index.html").read_text()
