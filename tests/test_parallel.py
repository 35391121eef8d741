"""Parallel builds give exactly the serial build's output and diagnostics, and survive a failing worker."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers import REPO

from coursegen import BuildOptions, build, parallel
from coursegen.content import load_content
from coursegen.diagnostics import Diagnostics

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

MODULES = 100


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def forking_allowed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other suites may leave threads behind (browser drivers), which turns forking off; not here."""
    if request.node.name != "test_no_fork_while_other_threads_run":
        monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_course(tmp_path_factory.mktemp("big") / "site", MODULES, per_course=40)


def build_into(root: Path, out: Path, serial: bool, monkeypatch: pytest.MonkeyPatch):
    shutil.rmtree(root / ".coursegen-cache", ignore_errors=True)  # compute everything, reuse nothing
    with monkeypatch.context() as patch:
        if serial:
            patch.setattr(parallel, "MIN_MODULES", 10**9)
        return build(root, BuildOptions(out=out, search=False))


def test_parallel_output_equals_serial_output(big_site: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert parallel.workers_for(load_content(big_site, Diagnostics())) == parallel._cores()
    fast = build_into(big_site, tmp_path / "parallel", False, monkeypatch)
    slow = build_into(big_site, tmp_path / "serial", True, monkeypatch)
    assert fast.ok and slow.ok
    assert fast.pages == slow.pages == MODULES + 3 + 3 + 2  # modules; 3 courses and their print pages; home, 404
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_parallel_reports_the_same_errors(big_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = big_site / "content/course-002/010-topic-10.md"
    text = broken.read_text()
    try:
        broken.write_text(text.replace("](011-topic-11.md)", "](099-nowhere.md)").replace("title: Module", "titel: M"))
        fast = build_into(big_site, tmp_path / "parallel", False, monkeypatch)
        slow = build_into(big_site, tmp_path / "serial", True, monkeypatch)
    finally:
        broken.write_text(text)
    assert not fast.ok
    assert [d.format() for d in fast.diagnostics] == [d.format() for d in slow.diagnostics]
    assert not (tmp_path / "parallel").exists()


def test_failing_worker_falls_back_to_one_core(big_site: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_parse(*args, **kwargs):
        raise RuntimeError("worker trouble")

    serial = build_into(big_site, tmp_path / "serial", True, monkeypatch)
    shutil.rmtree(big_site / ".coursegen-cache")
    monkeypatch.setattr(parallel, "parse_module", broken_parse)
    report = build(big_site, BuildOptions(out=tmp_path / "fallback", search=False))
    assert report.ok and serial.ok
    assert tree(tmp_path / "fallback") == tree(tmp_path / "serial")


def test_no_fork_while_other_threads_run() -> None:
    import threading

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert parallel._cores() == 1
        assert parallel.fork_map(str, list(range(500))) is None
    finally:
        stop.set()
        helper.join()
