"""The cache as an attacker leaves it (review F5): a cache file is data, never code."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from helpers import CourseProject, tree

from coursegen import BuildOptions, build


class _Evil:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def cache_files(root: Path) -> list[Path]:
    return [p for p in (root / ".coursegen-cache").rglob("*") if p.is_file()]


def test_a_planted_pickle_in_the_cache_runs_no_code_and_changes_nothing(demo: CourseProject, tmp_path: Path) -> None:
    assert demo.build(search=False).ok
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(_Evil(marker))
    files = cache_files(demo.root)
    assert files
    for path in files:
        path.write_bytes(payload)
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text() + "\nEdit.\n")
    assert demo.build(search=False).ok
    assert not marker.exists(), "a cache file was unpickled"
    clean = build(demo.root, BuildOptions(out=tmp_path / "clean", search=False, cache=False))
    assert clean.ok and tree(demo.out) == tree(tmp_path / "clean")
