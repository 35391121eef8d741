"""Chaos (issue 16): builds killed with SIGKILL at random moments while other builds start beside them, a disk
that fills up, an output folder that cannot be written. After each, the site is the previous one or the new
one, whole, nothing is left behind, and the next build gives the bytes of a build from scratch."""
from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

SEED = int(os.environ.get("CG_CHAOS_SEED", "20261204"))


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def start(root: Path, *args: str, limit: Callable[[], None] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coursegen", "build", str(root), "-q", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=limit)  # noqa: PLW1509 - the test starts no threads


def run(root: Path, *args: str, limit: Callable[[], None] | None = None) -> tuple[int, str]:
    process = start(root, *args, limit=limit)
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def leftovers(root: Path) -> list[str]:
    out = root / "build"
    inside = [p.name for p in out.iterdir() if p.name.startswith(".coursegen-") and p.name != ".coursegen-build"] \
        if out.is_dir() else []
    return sorted([p.name for p in root.iterdir() if p.name.startswith(".build.coursegen-tmp")] + inside)


def edit(root: Path, rng: random.Random, word: str) -> None:
    modules = sorted((root / "content").rglob("*.md"))
    for path in rng.sample(modules, 3):
        path.write_text(path.read_text(encoding="utf-8") + f"\n{word} was added here.\n", encoding="utf-8")


def assert_like_a_clean_build(root: Path, tmp_path: Path, name: str) -> None:
    code, err = run(root)
    assert code == 0, err
    clean = tmp_path / f"clean-{name}"
    code, err = run(root, "--out", str(clean), "--no-cache")
    assert code == 0, err
    assert snapshot(root / "build") == snapshot(clean), "the next build differs from a build from scratch"
    assert leftovers(root) == []


def test_kills_among_overlapping_builds_never_leave_a_broken_site(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds of: edit, start two or three builds (--wait) at random moments, SIGKILL about half of them at
    random moments. build/ is then the previous round's site or the new one, whole, never anything else."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_course(tmp_path / "site", 30)
    assert run(root)[0] == 0
    rng = random.Random(SEED)
    previous = snapshot(root / "build")
    for round_ in range(3):
        edit(root, rng, f"Chaos{round_}")
        builds = []
        for _ in range(rng.randint(2, 3)):
            builds.append(start(root, "--wait"))
            time.sleep(rng.uniform(0.0, 0.4))
        for process in builds:
            if rng.random() < 0.5:
                time.sleep(rng.uniform(0.0, 0.6))
                os.killpg(process.pid, signal.SIGKILL)
        for process in builds:
            _, err = process.communicate(timeout=300)
            assert "Traceback" not in err, err
        scratch = tmp_path / f"scratch-{round_}"
        assert run(root, "--out", str(scratch), "--no-cache")[0] == 0
        now = snapshot(root / "build")
        assert now in (previous, snapshot(scratch)), f"round {round_}: build/ is not a whole site of either sources"
        previous = now
    assert_like_a_clean_build(root, tmp_path, "kills")


def _file_size_limit(limit: int) -> Callable[[], None]:
    """In the build's process: no file may grow beyond `limit` bytes (EFBIG, as a full disk gives ENOSPC);
    unprivileged, unlike a small tmpfs."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_disk_that_fills_up_mid_build_keeps_the_previous_site(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_course(tmp_path / "site", 20)
    assert run(root)[0] == 0
    before = snapshot(root / "build")
    big = root / "content" / min(p.name for p in (root / "content").iterdir() if p.is_dir()) / "big.svg"
    big.write_text('<svg xmlns="http://www.w3.org/2000/svg"><!--' + "x" * 3_000_000 + "--></svg>\n")
    code, err = run(root, limit=_file_size_limit(1_000_000))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coursegen: error: ") and "Traceback" not in err, err
    assert snapshot(root / "build") == before
    assert leftovers(root) == []
    assert_like_a_clean_build(root, tmp_path, "full")


def test_an_output_folder_that_cannot_be_written_keeps_the_previous_site(tmp_path: Path) -> None:
    root = make_course(tmp_path / "site", 10)
    out = tmp_path / "ro" / "site"
    assert run(root, "--out", str(out))[0] == 0
    before = snapshot(out)
    edit(root, random.Random(SEED), "Readonly")
    parent = out.parent
    if os.geteuid() == 0:  # root writes through permissions: make the folder's file system read-only
        subprocess.run(["mount", "--bind", str(parent), str(parent)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(parent)], check=True)
    else:
        parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, err = run(root, "--out", str(out))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(parent)], check=True)
        else:
            parent.chmod(stat.S_IRWXU)
    assert code == 2, err
    assert err.startswith("coursegen: error: ") and len(err.strip().splitlines()) == 1, err
    assert snapshot(out) == before
    assert run(root, "--out", str(out))[0] == 0
