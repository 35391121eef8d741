"""An output folder that cannot be renamed (a mount point: a Docker volume, a web server's root): the site
is staged inside it and swapped in entry by entry, in steps that the next build finishes or undoes.

The usual swap (output.py) renames the whole folder, which the OS refuses for a mount point (EBUSY). Here
the new site is written to `OUT/.coursegen-tmp-PID/`; then every entry of the previous site moves into
`OUT/.coursegen-old-PID/`, a `.coursegen-moved` file marks that done, every entry of the new site moves
up into OUT (the build marker last), and the old site is deleted. A build killed before the mark leaves
the previous site to be moved back; after it, the new site to be moved up. For the moments of the moves a
server reading OUT sees a site that is partly missing, never a mixture of pages of two builds.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

TMP_TAG = ".coursegen-tmp-"
OLD_TAG = ".coursegen-old-"
TRASH_TAG = ".coursegen-trash-"
MOVED = ".coursegen-moved"  # inside OLD: every entry of the previous site is in it
OURS = (TMP_TAG, OLD_TAG, TRASH_TAG)


def cannot_rename(out: Path) -> bool:
    """Whether `out` is a mount point, bind mounts included (os.path.ismount misses a bind mount of a
    folder of the same file system; Linux lists it in /proc/self/mountinfo)."""
    if not out.is_dir():
        return False
    if os.path.ismount(out):
        return True
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    target = os.path.realpath(out)
    return any(len(fields) > 4 and _unescape(fields[4]) == target for fields in (line.split() for line in lines))


def _unescape(path: str) -> str:
    """mountinfo writes a space, tab, newline or backslash in a path as \\040, \\011, \\012, \\134."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        path = path.replace(code, char)
    return path


def staging_folder(out: Path) -> Path:
    return out / f"{TMP_TAG}{os.getpid()}"


def swap_inside(tmp: Path, out: Path, marker: str) -> None:
    """Replace the entries of `out` by those of `tmp` (a folder inside it); `marker` moves last."""
    old = out / f"{OLD_TAG}{tmp.name.removeprefix(TMP_TAG)}"
    old.mkdir()
    for entry in sorted(out.iterdir()):
        if not entry.name.startswith(OURS):
            entry.rename(old / entry.name)
    (old / MOVED).touch()
    _move_up(tmp, out, marker)
    _delete(old, out)


def _move_up(tmp: Path, out: Path, marker: str) -> None:
    for entry in sorted(tmp.iterdir(), key=lambda p: p.name == marker):
        entry.rename(out / entry.name)
    tmp.rmdir()


def _delete(old: Path, out: Path) -> None:
    trash = out / f"{TRASH_TAG}{old.name.removeprefix(OLD_TAG)}"
    old.rename(trash)  # first, so that a kill while deleting cannot leave a half-deleted OLD to move back
    shutil.rmtree(trash, ignore_errors=True)


def recover_inside(out: Path, marker: str) -> None:
    """Finish or undo what an interrupted swap_inside left in `out`, and remove its temporary folders."""
    if not out.is_dir():
        return
    for old in sorted(out.glob(f"{OLD_TAG}*")):
        tmp = out / f"{TMP_TAG}{old.name.removeprefix(OLD_TAG)}"
        if (old / MOVED).exists():  # the new site was moving up: finish
            if tmp.is_dir():
                _move_up(tmp, out, marker)
        else:  # the previous site was moving out: move it back
            for entry in old.iterdir():
                entry.rename(out / entry.name)
            old.rmdir()
            continue
        _delete(old, out)
    for leftover in [*out.glob(f"{TMP_TAG}*"), *out.glob(f"{TRASH_TAG}*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def made_by_coursegen(out: Path, marker: str) -> bool:
    """The marker in `out`, or in the old or new site of a swap that was interrupted."""
    return (out / marker).exists() or any((folder / marker).exists() for folder in out.glob(".coursegen-*-*"))
