"""What the author reads when the file system refuses to take the site: one line that names the output folder,
says why, and what to do (a full disk, a read-only file system, no permission), never a traceback."""
from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import UsageError

MEGABYTE = 1_000_000


def shown(folder: Path) -> str:
    """'build/' for a folder inside the working folder, else its absolute path, with a trailing slash."""
    cwd = Path.cwd()
    return f"'{folder.relative_to(cwd) if folder.is_relative_to(cwd) else folder}/'"


def _before(out: Path) -> str:
    try:
        return "the previous site is unchanged" if out.is_dir() and any(out.iterdir()) else "nothing was written"
    except OSError:
        return "nothing was written"


def write_problem(exc: OSError, out: Path, missing: int) -> str:
    """The line for `exc`, raised while writing the site into `out` with about `missing` bytes still to write."""
    where, kept = shown(out), _before(out)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        room = "no space left on the device" if exc.errno == errno.ENOSPC else "the disk quota is used up on the device"
        more = f"needs about {_megabytes(missing)} MB more; "
        return f"{room} of {where} while writing the site ({more}{kept})"
    if exc.errno == errno.EFBIG:
        return f"a file is too large for the file system of {where} ({_name(exc)}); {kept}"
    if exc.errno == errno.EROFS:
        return (f"the file system of {where} is read-only; {kept} (make it writable, or build into another "
                "folder with --out)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"no permission to write the site into {where} or beside it ({_name(exc)}); {kept} (give "
                "yourself write permission there, or build into another folder with --out)")
    return f"cannot write the site into {where}: {exc.strerror or exc} ({_name(exc)}); {kept}"


def _megabytes(count: int) -> str:
    """0.1 to 9.9 with one decimal, then whole numbers."""
    return f"{max(count, 100_000) / MEGABYTE:.1f}" if count < 9_950_000 else f"{round(count / MEGABYTE):,}"


def _name(exc: OSError) -> str:
    return os.fsdecode(exc.filename2 or exc.filename or "?")


@contextmanager
def writing(out: Path, missing: Callable[[], int] = lambda: 0) -> Iterator[None]:
    """Turn an OSError of the block into a UsageError with write_problem's line."""
    try:
        yield
    except OSError as exc:
        raise UsageError(write_problem(exc, out, missing())) from exc
