"""The cache as an attacker or a damaged disk leaves it (review F5, F14): a cache file is data, never code, and
bytes changed on disk never reach the site."""
from __future__ import annotations

import glob
import os
import pickle
from pathlib import Path

import pytest
from helpers import CourseProject, tree
from jinja2 import Environment
from jinja2.bccache import bc_magic

from coursegen import BuildOptions, build
from coursegen.speed.store import FORMAT
from coursegen.templates import make_environment


@pytest.fixture(autouse=True)
def _own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's signing key for compiled templates, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


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


def edit_and_build(demo: CourseProject, tmp_path: Path) -> None:
    """Edit another module, build, and compare with a build from scratch."""
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text() + "\nEdit.\n")
    assert demo.build(search=False).ok
    clean = build(demo.root, BuildOptions(out=tmp_path / "clean", search=False, cache=False))
    assert clean.ok and tree(demo.out) == tree(tmp_path / "clean")


def compiled_templates(root: Path) -> list[str]:
    return glob.glob(str(root / ".coursegen-cache/templates/*"))


def test_a_planted_compiled_template_runs_no_code(demo: CourseProject, tmp_path: Path) -> None:
    """Jinja's own bytecode cache unpickles whatever follows its magic bytes: the cache must not be that."""
    assert demo.build(search=False).ok
    marker = tmp_path / "PWNED"
    assert compiled_templates(demo.root)
    for name in compiled_templates(demo.root):
        Path(name).write_bytes(bc_magic + pickle.dumps(_Evil(marker)))
    edit_and_build(demo, tmp_path)
    assert not marker.exists(), "a compiled template from the cache was unpickled"


def test_compiled_templates_cut_short_are_compiled_again(demo: CourseProject, tmp_path: Path) -> None:
    """Review F14: cut after Jinja's magic bytes (a partial restore), they crashed every build."""
    assert demo.build(search=False).ok
    for name in compiled_templates(demo.root):
        with open(name, "r+b") as f:
            f.truncate(len(bc_magic) + 5)
    edit_and_build(demo, tmp_path)


def test_compiled_templates_written_here_are_used_again(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo.build(search=False).ok
    compiled: list[str] = []
    real = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, source, name=None, *a, **k: (
        compiled.append(name), real(self, source, name, *a, **k))[1])
    env = make_environment(demo.root, demo.root / ".coursegen-cache/templates")
    env.get_template("module.html")
    assert compiled == [], "the signed compiled templates were not taken from the cache"


def test_changed_bytes_in_cache_entries_never_reach_the_site(demo: CourseProject, tmp_path: Path) -> None:
    """Review F14: a module's text changed inside its cache entry (valid JSON still) is a miss."""
    assert demo.build(search=False).ok
    changed = 0
    for path in (demo.root / ".coursegen-cache" / FORMAT).rglob("*.json"):
        data = path.read_bytes()
        if b"Plain text here." in data:
            path.write_bytes(data.replace(b"Plain text here.", b"Plain text XXXX."))
            changed += 1
    assert changed
    edit_and_build(demo, tmp_path)
    assert "Plain text here." in (demo.out / "demo/first/index.html").read_text()
