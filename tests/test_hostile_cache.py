"""The cache as an attacker or a damaged disk leaves it (review F5, F14): a cache file is data, never code, and
bytes changed on disk never reach the site."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from helpers import CourseProject, tree
from jinja2 import BytecodeCache
from jinja2.bccache import bc_magic

from coursegen import BuildOptions, build
from coursegen.speed.store import FORMAT
from coursegen.templates import make_environment


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


def test_no_compiled_template_is_read_from_the_cache(demo: CourseProject, tmp_path: Path) -> None:
    """Jinja's own bytecode cache unpickles whatever follows its magic bytes: a file planted where it would
    look for each template (a cache restored in CI) must run no code, and one cut short crash nothing
    (review F14: cut after the magic bytes, they crashed every build)."""
    assert demo.build(search=False).ok
    for path in cache_files(demo.root):
        assert not path.read_bytes().startswith(bc_magic), f"compiled template code kept in {path}"
    marker = tmp_path / "PWNED"
    env = make_environment(demo.root)
    planted = demo.root / ".coursegen-cache/templates"
    planted.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(env.list_templates()):
        key = BytecodeCache().get_cache_key(name, env.loader.get_source(env, name)[1])  # type: ignore[union-attr]
        body = pickle.dumps(_Evil(marker)) if n % 2 else b"\x80\x04"  # code, or cut short
        (planted / f"__jinja2_{key}.cache").write_bytes(bc_magic + body)
    edit_and_build(demo, tmp_path)
    assert not marker.exists(), "a compiled template from the cache was unpickled"


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
