"""fork_map: a list computed by forked worker processes, one per core (Linux and macOS)."""
from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..lifeline import die_with_parent

log = logging.getLogger(__name__)

MIN_ITEMS = 80  # below this, starting processes costs more than it saves
CHUNK = 16  # results per message: workers never hold all their results at once
T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """Usable cores; 1 without fork, or when other threads run (a fork could copy a lock another holds)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(count, 8)


class _Failed(Exception):
    """A worker raised or vanished."""


def _worker(conn: Any, work: Callable[[Any], Any], items: Sequence[Any], start: int, step: int,
            parent: int) -> None:
    die_with_parent(parent)
    try:
        chunk = []
        for item in items[start::step]:
            chunk.append(work(item))
            if len(chunk) == CHUNK:
                conn.send(chunk)
                chunk = []
        conn.send(chunk)
        conn.send(None)
    except Exception:  # noqa: BLE001 - reported to the parent, which does the work itself
        conn.send(("failed", traceback.format_exc()))
    finally:
        conn.close()


def fork_map(work: Callable[[T], R], items: Sequence[T], minimum: int = MIN_ITEMS) -> list[R]:
    """[work(item) for item in items], by forked workers when there are enough items and cores.

    Workers inherit `work` and `items`; only results travel, in small chunks. Content problems must come
    back as values: an exception in a worker means a bug, so the work is done again here, where it raises
    with its own traceback.
    """
    count = cores()
    if count < 2 or len(items) < minimum:
        return [work(item) for item in items]
    import multiprocessing  # only when forking: its import costs ~15 ms
    context = multiprocessing.get_context("fork")
    workers = []
    for start in range(count):
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, work, items, start, count, os.getpid()), daemon=True)
        process.start()
        child.close()
        workers.append((process, parent))
    results: list[Any] = [None] * len(items)
    try:
        _collect(results, [conn for _, conn in workers], count)
    except _Failed as exc:
        log.debug("a worker failed, doing its work here: %s", exc)
        return [work(item) for item in items]
    finally:
        for process, conn in workers:
            conn.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    return results


def _collect(results: list[Any], conns: list[Any], step: int) -> None:
    """Read every worker's chunks as they come (a worker blocked on a full pipe would stop working)."""
    from multiprocessing.connection import wait
    position: dict[Any, int] = {conn: start for start, conn in enumerate(conns)}
    while position:
        ready: list[Any] = wait(list(position))
        for conn in ready:
            try:
                message = conn.recv()
            except (EOFError, OSError) as exc:
                raise _Failed(f"a worker stopped: {exc}") from None
            if isinstance(message, tuple) and message and message[0] == "failed":
                raise _Failed(message[1])
            if message is None:
                del position[conn]
                continue
            for value in message:
                results[position[conn]] = value
                position[conn] += step
