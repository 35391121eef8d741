"""An output folder that is a mount point (review F13: a Docker volume, a web root) is built into in place,
and a swap interrupted at any step is finished or undone by the next build."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CourseProject, tree

from coursegen import inplace, output
from coursegen.output import MARKER


def _mount_tmpfs(folder: Path) -> bool:
    """A real tmpfs on `folder` where this test may mount one (root in a container that allows it)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(folder)], capture_output=True,
                          check=False)
    return done.returncode == 0


@pytest.fixture
def mounted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An output folder that cannot be renamed: a real mount point where possible; elsewhere (CI runs
    unprivileged) a folder that coursegen is told is one, which takes the same path through the code."""
    folder = tmp_path / "mnt" / "site"
    folder.mkdir(parents=True)
    real = _mount_tmpfs(folder)
    if not real:
        monkeypatch.setattr(output, "cannot_rename", lambda path: path == folder.resolve())
    yield folder
    if real:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_mount_point_output_is_replaced_in_place(demo: CourseProject, mounted: Path, tmp_path: Path) -> None:
    inode = mounted.stat().st_ino
    assert demo.build(out=mounted).ok  # with the search index, which Pagefind writes inside the mount
    assert (mounted / "pagefind/pagefind-entry.json").is_file()
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text() + "\nMore.\n")
    assert demo.build(out=mounted, search=False).ok
    assert mounted.stat().st_ino == inode, "the folder itself was replaced"
    assert demo.build(out=tmp_path / "fresh", search=False, cache=False).ok
    assert tree(mounted) == tree(tmp_path / "fresh")
    assert sorted(p.name for p in mounted.iterdir() if p.name.startswith(".")) == [MARKER]


def _site(folder: Path, version: str) -> dict[str, bytes]:
    for rel in ("index.html", "a/index.html", "a/b/pic.svg", "static/x.css", MARKER):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"{version} {rel}")
    (folder / f"only-{version}.html").write_text(version)
    return tree(folder)


def test_a_swap_inside_interrupted_at_any_step_is_finished_or_undone(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill between any two steps of the swap (each rename, the mark, the deletion), then the next
    build's recovery: the folder holds the previous site or the new one, whole, and nothing else."""
    real_rename = Path.rename
    step = 0
    while True:
        out = tmp_path / f"out-{step}"
        out.mkdir()
        old_site = _site(out, "old")
        tmp = inplace.staging_folder(out)
        tmp.mkdir()
        new_site = _site(tmp, "new")
        calls = 0

        def rename(self: Path, target: Path, limit: int = step) -> Path:
            nonlocal calls
            calls += 1
            if calls > limit:
                raise KeyboardInterrupt("killed")  # stands for kill -9: nothing after this step runs
            return real_rename(self, target)

        monkeypatch.setattr(Path, "rename", rename)
        try:
            inplace.swap_inside(tmp, out, MARKER)
            finished = True
        except KeyboardInterrupt:
            finished = False
        monkeypatch.setattr(Path, "rename", real_rename)
        inplace.recover_inside(out, MARKER)
        assert tree(out) in (old_site, new_site), f"interrupted after {step} renames: a mixture"
        assert [p.name for p in out.iterdir() if p.name.startswith(inplace.OURS)] == []
        assert output.made_by_coursegen(out, MARKER)
        if finished:
            assert tree(out) == new_site
            break
        step += 1
    assert step == 5 + 5 + 1  # each entry of the old site moved out, of the new one up, the old deleted
