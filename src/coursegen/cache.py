"""The persistent build cache in PROJECT/.coursegen-cache/: content-addressed entries and build records.

Two kinds of entry, both keyed so that they can never give stale output:
- `Store`: pure results (parsed modules, highlighted code, images) under a key that hashes every input
  of the computation, the coursegen version and its own source included (`code_digest`);
- build records: the fingerprint of every input of the last successful build into one output folder
  plus the size and mtime of every file it wrote. When nothing changed and the output is untouched,
  `coursegen build` stops there (`fresh_build`).

Only the standard library is imported here, so the CLI can answer "up to date" without loading the
Markdown, template and image machinery. Every write is atomic (temporary file, then rename): a build
killed at any moment leaves whole entries or none.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_DIR = ".coursegen-cache"
PACKAGE = Path(__file__).parent
INPUT_FOLDERS = ("content", "templates", "static")
DEPENDENCIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pygments", "pyyaml", "pillow", "pagefind",
                "pagefind-bin")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def digest(*parts: Any) -> str:
    """A stable hex digest of JSON-able parts (bytes are hashed as they are)."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _versions() -> list[str]:
    """name==version of each dependency, from the names of the installed distributions' metadata folders
    ('pygments-2.21.0.dist-info') on sys.path, first found first as importlib.metadata does, without importing
    it and reading every METADATA file (~12 ms of an edit's build)."""
    wanted = {_dist_name(name): name for name in DEPENDENCIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem, _, suffix = folder.rpartition(".")
            name, _, version = stem.partition("-")
            if suffix in ("dist-info", "egg-info") and (dist := wanted.get(_dist_name(name))):
                found.setdefault(dist, version)
    return [f"{name}=={found[name]}" if name in found else f"{name} missing" for name in DEPENDENCIES]


def _dist_name(name: str) -> str:
    """A distribution name as its metadata folder spells it (PEP 503 normalized, '_' for runs of -_.)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]] | None:
    """(relative path, entry) of every file below `folder`, sorted; raises _Symlink on a symbolic link."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_symlink():
            raise _Symlink(entry.path)
        rel = prefix + entry.name
        if entry.is_dir():
            yield from _walk(entry.path, rel + "/")
        else:
            yield rel, entry


class _Symlink(Exception):
    """A symbolic link among the inputs: its target may change unseen, so the project is not fingerprinted."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """coursegen's version, its every source and theme file, Python's and the dependencies' versions."""
    from . import __version__
    h = hashlib.sha256(f"coursegen {__version__}|{sys.version}|{_versions()}".encode())
    for rel, entry in _walk(str(PACKAGE)):
        if "__pycache__" not in rel:
            with open(entry.path, "rb") as stream:
                h.update(rel.encode() + b"\0" + stream.read() + b"\0")
    return h.hexdigest()


TEXTS = "text"  # Store kind: the bytes of content/'s texts (modules, YAML), by SHA-1, for the next build
RACY_NS = 2_000_000_000  # a file changed this recently may change again without its identity changing


@dataclass(frozen=True)
class Inputs:
    """Every file that can reach the site, as it is now (see scan_inputs)."""

    fingerprint: str | None  # None: a symlink among them (its target may change unseen), so no fingerprint
    known: dict[str, list]  # path -> [*identity, SHA-1] of the files the next build may trust unread
    unchanged_texts: dict[str, str]  # path -> SHA-1 of content/'s texts as the last build read them


def _is_text(rel: str) -> bool:
    return rel.startswith("content/") and rel.endswith((".md", ".yaml"))


def scan_inputs(project: Path, out: Path, options: dict[str, Any], store: Store | None = None) -> Inputs:
    """Fingerprint every input file, reading only those changed since the last build into `out`.

    A file whose identity (size, mtime, inode and ctime, which no tool can set back) is the one recorded by
    that build holds what it held then: its digest is taken from the record. As git does with its index, a
    file changed within RACY_NS of being read is not recorded as known: timestamps are coarse, so a second
    edit in the same tick could leave the identity as it was. The texts of content/ that were read go into
    `store`, for the next build to take unread (see stored_texts).
    """
    record = last_record(project, out) or {}
    recorded = record.get("inputs") if isinstance(record.get("inputs"), dict) else {}
    started = time.time_ns()
    files, known, unchanged, text_keys = [], {}, {}, set()
    try:
        for name in INPUT_FOLDERS:
            for rel, entry in _walk(os.path.join(project, name), name + "/"):
                st = entry.stat()
                now, text = list(identity(st)), _is_text(rel)
                if _same(recorded.get(rel), now):
                    sha = recorded[rel][4]
                    if text:
                        unchanged[rel] = sha
                else:
                    with open(entry.path, "rb") as stream:
                        data = stream.read()
                    sha = hashlib.sha1(data).hexdigest()
                    if store and text:
                        store.put(TEXTS, sha, data)
                if text:
                    text_keys.add(sha)
                if started - st.st_ctime_ns > RACY_NS:
                    known[rel] = [*now, sha]
                files.append((rel, st.st_mtime_ns, sha))
    except _Symlink:
        return Inputs(None, {}, {})
    if store is not None:
        store.prune(TEXTS, text_keys)
    environment = {name: os.environ.get(name) for name in ENVIRONMENT}
    return Inputs(digest(code_digest(), str(out), options, environment, files), known, unchanged)


def stored_texts(store: Store, inputs: Inputs) -> dict[str, bytes]:
    """The bytes of the texts scan_inputs found unchanged, by path, as the cache holds them (a text it lost
    is left out, to be read); then the text pack is saved and let go of: a build needs it this once."""
    texts = {}
    for rel, sha in inputs.unchanged_texts.items():
        if isinstance(data := store.get(TEXTS, sha), bytes):
            texts[rel] = data
    store.release(TEXTS)
    return texts


def _same(was: Any, now: list[int]) -> bool:
    """Whether a recorded [*identity, SHA-1] is that of the file now (a damaged record never is)."""
    return isinstance(was, list) and len(was) == 5 and was[:4] == now and isinstance(was[4], str)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def folder(project: Path, name: str) -> Path | None:
    """PROJECT/.coursegen-cache/NAME, made if needed; None when it cannot be made (a read-only project)."""
    path = project / CACHE_DIR / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


class Store:
    """Content-addressed results: `get(kind, key)` returns what `put(kind, key, value)` stored, or None.
    Each kind is kept in SHARDS pack files, by key: read whole on first use and written by `save()`, only
    those whose entries changed (an edit's build rewrites a few small packs, not every module's entry).
    Few files rather than one per entry, since creating files is what costs most on many disks."""

    SHARDS = 16

    def __init__(self, project: Path):
        self.root = project / CACHE_DIR / "objects"
        self._packs: dict[str, dict[str, bytes]] = {}
        self._changed: set[tuple[str, int]] = set()  # (kind, shard)

    @classmethod
    def _shard(cls, key: str) -> int:
        return zlib.crc32(key.encode()) % cls.SHARDS

    def _path(self, kind: str, shard: int) -> Path:
        return self.root / f"{kind}.{shard:02d}.pack"

    def _pack(self, kind: str) -> dict[str, bytes]:
        if kind not in self._packs:
            self._packs[kind] = {}
            for shard in range(self.SHARDS):
                self._packs[kind].update(self._read(kind, shard))
        return self._packs[kind]

    def _read(self, kind: str, shard: int) -> dict[str, bytes]:
        try:
            pack = pickle.loads(self._path(kind, shard).read_bytes())
        except FileNotFoundError:
            return {}
        except Exception as exc:  # noqa: BLE001 - a damaged pack is a miss, never an error
            log.debug("cache pack %s/%s unreadable: %s", kind, shard, exc)
            return {}
        return {key: data for key, data in pack.items() if self._shard(key) == shard} if isinstance(pack, dict) else {}

    def keys(self, kind: str) -> set[str]:
        return set(self._pack(kind))

    def get(self, kind: str, key: str) -> Any | None:
        data = self._pack(kind).get(key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception as exc:  # noqa: BLE001 - a damaged entry is a miss, never an error
            log.debug("cache entry %s/%s unreadable: %s", kind, key, exc)
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        self.put_pickled(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, kind: str, key: str, data: bytes) -> None:
        """put() of a value someone already pickled (a worker process, say)."""
        pack = self._pack(kind)
        if pack.get(key) != data:
            pack[key] = data
            self._changed.add((kind, self._shard(key)))

    def prune(self, kind: str, keep: set[str]) -> None:
        """Forget the entries of `kind` whose keys are not in `keep` (results no build can ask for again)."""
        pack = self._pack(kind)
        for key in set(pack) - keep:
            del pack[key]
            self._changed.add((kind, self._shard(key)))

    def put_only(self, kind: str, key: str, value: Any) -> None:
        """put(), then forget every other entry of `kind`: for a kind that holds one value per version of
        coursegen and its libraries (keyed by code_digest)."""
        self.put(kind, key, value)
        self.prune(kind, {key})

    def save(self, only: str | None = None) -> None:
        """Write every changed pack, or those of kind `only` (atomically: a killed build leaves the old pack
        or the new one)."""
        changed = {(kind, shard) for kind, shard in self._changed if only in (None, kind)}
        for kind, shard in sorted(changed):
            entries = {key: data for key, data in self._packs[kind].items() if self._shard(key) == shard}
            try:
                _atomic_write(self._path(kind, shard), pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError as exc:  # a read-only or full disk slows builds down, nothing more
                log.debug("cache pack %s/%s not written: %s", kind, shard, exc)
        for kind in {kind for kind, _ in changed}:
            with contextlib.suppress(OSError):  # the one pack per kind of coursegen before shards, never read
                (self.root / f"{kind}.pack").unlink(missing_ok=True)
        self._changed -= changed

    def release(self, kind: str) -> None:
        """Save the packs of `kind` and let go of them: what a build reads once, early (the texts), need not
        take memory for the rest of it (7 MB at 2000 modules)."""
        self.save(kind)
        self._packs.pop(kind, None)


# --- build records: "nothing changed since the last build" ---

@dataclass(frozen=True)
class FreshBuild:
    pages: int
    diagnostics: tuple[tuple[str, int, str, str], ...]  # (path, line, message, severity) of its warnings


def _record_path(project: Path, out: Path) -> Path:
    return project / CACHE_DIR / "builds" / f"{digest(str(out))[:24]}.json"


def identity(st: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one state of a file from another without reading it: size, modification time, and the
    inode and its change time, which no tool can set back (a copy that keeps the mtime still differs)."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _output_manifest(out: Path) -> list[tuple[str, int, int, int, int]]:
    found = []
    try:
        for rel, entry in _walk(str(out)):
            found.append((rel, *identity(entry.stat())))
    except _Symlink:
        return []
    return found


def spare_folder(project: Path, out: Path) -> Path | None:
    """Where the site before the last one into `out` waits to be reused (deleting thousands of folders is
    slow on some disks): in the project's cache, when that is on the same file system as the output folder."""
    spare = folder(project, "spare")
    try:
        if spare is None or spare.stat().st_dev != out.parent.stat().st_dev:
            return None
    except OSError:
        return None
    return spare / hashlib.sha256(os.fsencode(out)).hexdigest()[:24]


def _spare_pages(project: Path, out: Path, previous: dict[str, Any] | None) -> dict[str, list]:
    """path -> [key, *identity] of each page that the spare folder (the output folder of the `previous`
    record, just swapped out) still holds exactly as that build wrote it under that key."""
    spare = spare_folder(project, out)
    keys = (previous or {}).get("page_keys") or {}
    if spare is None or not keys:
        return {}
    found = {}
    for rel, *written in previous.get("manifest", []):  # type: ignore[union-attr]
        if rel in keys:
            try:
                now = identity(os.lstat(os.path.join(spare, rel)))
            except OSError:
                continue
            if list(now) == written:
                found[rel] = [keys[rel], *now]
    return found


def record_build(project: Path, out: Path, inputs: Inputs | None, pages: int,
                 diagnostics: Iterable[tuple[str, int, str, str]], page_keys: dict[str, str] | None = None) -> None:
    """Remember a successful build of `inputs` into `out` (as `out` is now), with the key of every page
    (see pagecache) and which pages the spare folder (the previous site) still holds."""
    path = _record_path(project, out)
    if inputs is None or inputs.fingerprint is None:
        path.unlink(missing_ok=True)
        return
    record = {"fingerprint": inputs.fingerprint, "pages": pages, "diagnostics": [list(d) for d in diagnostics],
              "inputs": inputs.known, "manifest": _output_manifest(out), "page_keys": page_keys or {},
              "spare_pages": _spare_pages(project, out, last_record(project, out)) if page_keys else {}}
    try:
        _atomic_write(path, json.dumps(record).encode())
    except OSError as exc:
        log.debug("build record not written: %s", exc)


def last_record(project: Path, out: Path) -> dict[str, Any] | None:
    """What record_build wrote for the last successful build into `out`, if anything."""
    try:
        record = json.loads(_record_path(project, out).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def fresh_build(project: Path, out: Path, fingerprint: str | None) -> FreshBuild | None:
    """The last build's summary when its inputs had `fingerprint` and its output is untouched, else None."""
    record = last_record(project, out) if fingerprint is not None else None
    if record is None or record.get("fingerprint") != fingerprint:
        return None
    if [list(entry) for entry in _output_manifest(out)] != record.get("manifest"):
        return None
    return FreshBuild(record["pages"], tuple(tuple(d) for d in record["diagnostics"]))  # type: ignore[misc]


def options_key(base_url: str | None, drafts: bool, strict: bool, search: bool) -> dict[str, Any]:
    """The build options that change what is written (the same for the CLI's check and build())."""
    return {"base_url": base_url, "drafts": drafts, "strict": strict, "search": search}
