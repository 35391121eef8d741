"""The content-addressed store in PROJECT/.coursegen-cache/: JSON entries by kind and key.

A key hashes every input of the result it names (coursegen's own code included, see code_digest), so an
entry can never be stale: it is right or it is absent. Entries are JSON read through speed/codec.py, so a
damaged or crafted file is a miss, never code. Each file starts with the SHA-256 of its JSON: bytes changed
on disk (a bad sector, a partial cache restore, an edit) are a miss too, never text on the site. Each write
is atomic (temporary file, then rename).
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._version import __version__

log = logging.getLogger(__name__)

CACHE_DIR = ".coursegen-cache"
FORMAT = "v2"  # the layout of the store; the pickled packs of v1 (objects/) are never read
PACKAGE = Path(__file__).resolve().parents[1]
DEPENDENCIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pygments", "pyyaml", "pillow", "pagefind", "babel")


def digest(*parts: Any) -> str:
    """A stable hex digest of JSON-able parts (bytes are hashed as they are)."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """coursegen's version and every file of its package, Python's and the dependencies' versions."""
    h = hashlib.sha256(f"coursegen {__version__}|{sys.version}".encode())
    for name in DEPENDENCIES:
        h.update(f"|{name}=={_version(name)}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file beside it, then a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _checked(raw: bytes) -> bytes:
    """The JSON of an entry file (its SHA-256 in hex, a newline, the JSON); ValueError when they disagree."""
    head, _, payload = raw.partition(b"\n")
    if not hmac.compare_digest(head, hashlib.sha256(payload).hexdigest().encode()):
        raise ValueError("its checksum does not match its bytes")
    return payload


class Store:
    """get(kind, key) gives back the JSON data put(kind, key, data) stored, or None.

    One file an entry, `KIND/KEY[:2]/KEY.json`. With `retain`, what was read or written is kept in memory
    too, so a long-lived store (serve's) reads each entry once; prune() drops what the current build did not
    use, on disk and in memory, so neither grows without bound.
    """

    def __init__(self, project: Path, persistent: bool = True, retain: bool = False, read_only: bool = False):
        self.root = project / CACHE_DIR / FORMAT
        self.persistent = persistent  # False: memory only
        self.read_only = read_only  # True: entries are read from disk, never written there (coursegen check)
        self.retain = retain or not persistent
        self._entries: dict[tuple[str, str], Any] = {}

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        if (kind, key) in self._entries:
            return self._entries[kind, key]
        if not self.persistent:
            return None
        try:
            data = json.loads(_checked(self._path(kind, key).read_bytes()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # a damaged entry is a miss
            log.debug("cache entry %s/%s unreadable: %s", kind, key, exc)
            return None
        if self.retain:
            self._entries[kind, key] = data
        return data

    def put(self, kind: str, key: str, data: Any) -> None:
        if self.retain:
            self._entries[kind, key] = data
        if not self.persistent or self.read_only:
            return
        try:
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
            atomic_write(self._path(kind, key), hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        except OSError as exc:  # a read-only or full disk slows builds down, nothing more
            log.debug("cache entry %s/%s not written: %s", kind, key, exc)

    def prune(self, kind: str, keep: set[str]) -> None:
        """Forget the entries of `kind` whose keys are not in `keep` (results no build will ask for again)."""
        for kind_, key in [k for k in self._entries if k[0] == kind and k[1] not in keep]:
            del self._entries[kind_, key]
        if not self.persistent or self.read_only:
            return
        folder = self.root / kind
        try:
            shards = list(os.scandir(folder))
        except OSError:
            return
        for shard in shards:
            for entry in os.scandir(shard.path):
                if entry.name.removesuffix(".json") not in keep:
                    Path(entry.path).unlink(missing_ok=True)


def cache_folder(project: Path, name: str) -> Path | None:
    """PROJECT/.coursegen-cache/NAME, made if needed; None when it cannot be made (a read-only project)."""
    path = project / CACHE_DIR / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path
