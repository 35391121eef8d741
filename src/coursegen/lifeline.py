"""Helper processes end with the build that started them.

A build killed on its own (`kill -9 PID`, the out-of-memory killer) would otherwise leave its worker
processes and Pagefind runs going: using CPU after the user stopped the build, and writing into a
temporary folder that the next build clears away. On Linux each helper asks the kernel to kill it when
its parent dies (PR_SET_PDEATHSIG, which lasts across exec); elsewhere they stop when their pipe closes.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial

_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(parent: int) -> None:
    """Call in a child process: be killed when `parent` (the pid that started it) dies, and exit now
    if it already has."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def before_exec() -> Callable[[], None] | None:
    """A subprocess preexec_fn that ties the program to this process; None when other threads run
    (code between fork and exec must not need a lock another thread may hold)."""
    if _LIBC is None or threading.active_count() > 1:
        return None
    return partial(die_with_parent, os.getpid())
