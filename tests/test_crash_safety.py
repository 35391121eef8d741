"""Crash safety: a build killed at any moment leaves the previous site whole, and unsafe --out is refused."""
from __future__ import annotations

import contextlib
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


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: state, parent pid, ...; None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _children(pid: int) -> set[int]:
    pids = (int(entry.name) for entry in os.scandir("/proc") if entry.name.isdigit())
    return {child for child in pids if (stat := _stat(child)) and stat[1] == str(pid)}


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if (stat := _stat(pid)) and stat[0] != "Z"}


def _kill_main_process_once_it_has_helpers(root: Path, env: dict[str, str] | None = None) -> set[int]:
    """Start a build, SIGKILL only its own process (not its group) once it has started helper processes,
    and return the helpers' pids."""
    process = subprocess.Popen([sys.executable, "-m", "coursegen", "build", str(root), "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=env)
    try:
        helpers: set[int] = set()
        deadline = time.monotonic() + 60
        while not helpers and process.poll() is None and time.monotonic() < deadline:
            helpers = _children(process.pid)
            time.sleep(0.005)
        assert helpers, "the build started no helper process"
        process.kill()
        process.wait()
        deadline = time.monotonic() + 5
        while _alive(helpers) and time.monotonic() < deadline:
            time.sleep(0.05)
        return helpers
    finally:
        with contextlib.suppress(ProcessLookupError):  # the group is gone once its helpers are reaped
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left, so the test never leaks processes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are tied to the build on Linux")
def test_workers_end_when_the_build_alone_is_killed(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 120)  # enough modules for worker processes
    helpers = _kill_main_process_once_it_has_helpers(root)
    assert not _alive(helpers), "worker processes outlived the killed build"
    build_to_end(root)
    assert leftovers(root) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are tied to the build on Linux")
def test_pagefind_ends_when_the_build_alone_is_killed(demo: CourseProject, tmp_path: Path) -> None:
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 60\n")
    slow.chmod(0o755)
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(slow)}
    helpers = _kill_main_process_once_it_has_helpers(demo.root, env)
    assert not _alive(helpers), "Pagefind outlived the killed build"
