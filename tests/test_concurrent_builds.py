"""One build at a time per output folder (review F1): a second `coursegen build` into the same folder,
started while the first is writing, is refused with exit 2 (or waits with --wait); the site is never lost."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coursegen", "build", str(root), "-q", "--no-cache", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lock(root: Path, process: subprocess.Popen) -> None:
    """Until `process` holds the output folder's lock (its pid is in the lock file)."""
    lock = root / ".build.coursegen-lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(process.pid):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("the first build never took the lock")


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def test_second_build_into_the_same_output_is_refused_and_the_site_survives(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 120)
    assert finish(start(root))[0] == 0
    pages = {p for p in snapshot(root / "build") if p.endswith(".html")}
    first = start(root)
    wait_for_lock(root, first)
    second = start(root)
    code, err = finish(second)
    assert code == 2, err
    assert "another coursegen build" in err and f"(process {first.pid})" in err and "--wait" in err
    assert "Traceback" not in err
    assert first.poll() is None, "the refused build should not have waited for the first"
    assert finish(first) == (0, "")
    assert pages <= set(snapshot(root / "build")), "pages went missing from the site"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []
    assert finish(start(root))[0] == 0, "a later build is refused"


def test_with_wait_the_second_build_queues_and_both_succeed(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 60)
    first = start(root)
    wait_for_lock(root, first)
    second = start(root, "--wait")
    code, err = finish(second)
    assert code == 0, err
    assert "waiting for another coursegen build" in err
    assert first.poll() is not None, "the waiting build finished before the first"
    assert finish(first)[0] == 0
    built = snapshot(root / "build")
    assert any(p.endswith("index.html") for p in built)
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []
    clean = make_course(tmp_path / "clean", 60)
    assert finish(start(clean))[0] == 0
    assert snapshot(clean / "build") == built, "the queued build differs from a clean one"


def test_a_killed_holder_leaves_no_lock_behind(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 60)
    first = start(root)
    wait_for_lock(root, first)
    first.kill()
    first.wait()
    assert (root / ".build.coursegen-lock").exists(), "the stale lock file of a killed build"
    code, err = finish(start(root))
    assert code == 0, err
    assert not (root / ".build.coursegen-lock").exists()
