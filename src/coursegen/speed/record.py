"""Build records: "nothing changed since the last build into this folder", told without building.

A record holds the fingerprint of every input of one successful build into one output folder (each file's
bytes and modification time: page dates come from those times) and the size and modification time of
every file that build wrote. A build whose inputs give the same fingerprint, into an output folder that
still holds exactly those files, would write what is there already.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .store import CACHE_DIR, atomic_write, code_digest, digest

INPUT_FOLDERS = ("content", "templates", "static")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
KEEP_RECORDS = 8  # output folders remembered; the oldest record goes first


class _Symlink(Exception):
    """A symbolic link among the inputs: its target may change unseen, so the project is not fingerprinted."""


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """(relative path, entry) of every file below `folder`, sorted; raises _Symlink on a symbolic link.
    Without recursion: folders may nest thousands deep."""
    stack = [(_sorted_entries(folder), prefix)]
    while stack:
        entries, at = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif entry.is_symlink():
            raise _Symlink(entry.path)
        elif entry.is_dir():
            stack.append((_sorted_entries(entry.path), f"{at}{entry.name}/"))
        else:
            yield at + entry.name, entry


def _sorted_entries(folder: str) -> Iterator[os.DirEntry]:
    try:
        return iter(sorted(os.scandir(folder), key=lambda e: e.name))
    except (FileNotFoundError, NotADirectoryError):
        return iter(())


def fingerprint(project: Path, out: Path, options: Any) -> str | None:
    """A digest of every input of a build into `out`; None when one cannot be told (a symbolic link)."""
    files = []
    try:
        for name in INPUT_FOLDERS:
            for rel, entry in _walk(str(project / name), f"{name}/"):
                with open(entry.path, "rb") as stream:
                    files.append((rel, entry.stat().st_mtime_ns, hashlib.sha1(stream.read()).hexdigest()))
    except (_Symlink, OSError):  # an unreadable input: the build itself reports it
        return None
    environment = {name: os.environ.get(name) for name in ENVIRONMENT}
    return digest(code_digest(), str(out), options, environment, files)


def manifest(out: Path) -> list[list[Any]]:
    """[path, size, mtime] of every file in the output folder."""
    found = []
    try:
        for rel, entry in _walk(str(out)):
            st = entry.stat()
            found.append([rel, st.st_size, st.st_mtime_ns])
    except _Symlink:
        return []
    return found


def _path(project: Path, out: Path) -> Path:
    return project / CACHE_DIR / "builds" / f"{digest(str(out))[:24]}.json"


def load(project: Path, out: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(_path(project, out).read_bytes())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def save(project: Path, out: Path, record: dict[str, Any]) -> None:
    path = _path(project, out)
    try:
        atomic_write(path, json.dumps(record).encode())
        others = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in others[KEEP_RECORDS:]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only project: builds just never find themselves up to date
        pass
