"""Full-text search: index a fully written site folder with Pagefind. The only module that knows Pagefind.

Pages opt in with `data-pagefind-body` (course and module pages); navigation inside them is
marked `data-pagefind-ignore`. The index lands in `SITE/pagefind/`, which the theme's search box
loads on first use. Result URLs are root-absolute; the browser side adds the site's base path.

Pagefind keeps every page it indexes in memory (about 110 KB per module page), so a large site is
indexed in parts of at most PART_PAGES pages, RUNS_AT_ONCE Pagefind runs at a time: the first part is
`pagefind/` itself, the others `pagefind/part-N/`, listed in `pagefind/parts.json`, which the
search box reads to merge them (Pagefind's `mergeIndex`). A small site gets one index and an
empty list. With a `kept` folder (the build cache), each part's index is kept there under a digest of
what it read (the Pagefind binary, every page's path and bytes), and a later build whose part reads the
same takes it from there instead of running Pagefind, once it has checked the kept files' bytes.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pagefind_bin

from ..lifeline import before_exec

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # folder of the index inside the site
PARTS = "parts.json"  # inside the bundle, for the search box: {"parts": ["part-1/", ...]}
PART_PAGES = 100  # most pages one Pagefind run indexes (~50 MB of its memory at ~13 KB per page)
PART_BYTES = 8_000_000  # most bytes of HTML one Pagefind run reads (a part of very long pages is shorter)
# Pagefind's ready-made search interfaces (~420 KB); the theme has its own search box on pagefind.js.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
             "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
KEPT_DIGESTS = "coursegen-digests.json"  # in each kept part: its files' SHA-256, checked before reuse
KEPT_FORMAT = 3  # what a kept part holds: since 2, its script, worker and WebAssembly too (see _drop_shared);
# since 3, pages numbered in the order of their paths (see _Run)
TIMEOUT_SECONDS = 300
RUNS_AT_ONCE = 2  # Pagefind runs side by side: a run leaves cores idle, and each holds its part (~50 MB)


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` wheel ships."""
    binary = os.environ.get("PAGEFIND_BINARY_PATH") or pagefind_bin.get_executable()
    if not binary or not Path(binary).is_file():
        raise SearchIndexError("the search index needs Pagefind: pip install 'pagefind[bin]'")
    return Path(binary)


@dataclass(frozen=True)
class PageFile:
    """One HTML page of the site as the index sees it."""

    rel: str  # path relative to the site
    size: int
    searchable: bool  # holds data-pagefind-body
    digest: str  # of its bytes


def page_files(site: Path) -> list[PageFile]:
    """Every HTML page of the site outside the search bundle, sorted by path."""
    found = []
    for rel in html_pages(site):
        data = (site / rel).read_bytes()
        found.append(PageFile(rel, len(data), b"data-pagefind-body" in data, hashlib.sha256(data).hexdigest()))
    return found


def index_site(site: Path, kept: Path | None = None) -> None:
    """Write SITE/pagefind/ from the HTML pages in `site`, taking unchanged parts from `kept` when given.
    Raises SearchIndexError on failure."""
    binary = pagefind_executable()
    files = page_files(site)
    reads = _split(files) if len(files) > PART_PAGES else []
    if len(reads) <= 1:  # one run over the whole site (Pagefind indexes every page when none is marked)
        reads = [[f.rel for f in files]]
    digests = {f.rel: f.digest for f in files}
    engine = _engine(binary)
    inputs = [_inputs_digest(engine, [(rel, digests[rel]) for rel in read]) for read in reads]
    folders = _folders(len(reads))
    runs = []
    for folder, read, key in zip(folders, reads, inputs):
        if kept is not None and _intact(kept / key):
            _copy_tree(kept / key, site / folder, frozenset({KEPT_DIGESTS}))
        else:
            runs.append((folder, read))
    _run_pagefind(runs, site, binary)
    if kept is not None:
        _keep(site, kept, dict(zip(folders, inputs)))
    languages = [_languages(site / folder) for folder in folders]
    _drop_shared(site, folders, languages)
    _write_manifest(site, folders, languages)


def _write_manifest(site: Path, folders: list[str], languages: list[dict[str, str]]) -> None:
    """parts.json, for the search box: the parts to merge, and the languages each folder holds ('' the first)."""
    names = ["", *(folder.removeprefix(BUNDLE + "/") + "/" for folder in folders[1:])]
    manifest = {"parts": names[1:], "languages": {name: sorted(held) for name, held in zip(names, languages)}}
    (site / BUNDLE / PARTS).write_text(json.dumps(manifest) + "\n", encoding="utf-8")


def _languages(folder: Path) -> dict[str, str]:
    """The languages a Pagefind index holds pages in (Pagefind indexes each page under its <html lang>), each
    with the name of the WebAssembly that searches it ('en', or 'unknown' for a language without a stemmer)."""
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        return {lang: index.get("wasm") or "unknown" for lang, index in (entry.get("languages") or {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _drop_shared(site: Path, folders: list[str], languages: list[dict[str, str]]) -> None:
    """Delete from each part after the first the script, worker and WebAssembly it shares with the first
    part, but for the languages no earlier folder holds: a page in such a language searches that part first
    (the search box starts from the first part that holds the page's language), which then needs its own."""
    held = set(languages[0]) if languages else set()
    for folder, own in zip(folders[1:], languages[1:]):
        first = {lang: wasm for lang, wasm in own.items() if lang not in held}
        held |= set(own)
        keep = {f"wasm.{wasm}.pagefind" for wasm in first.values()} | ({"pagefind-worker.js"} if first else set())
        for path in [site / folder / "pagefind.js", site / folder / "pagefind-worker.js",
                     *(site / folder).glob("wasm.*.pagefind")]:
            if path.name not in keep:
                path.unlink(missing_ok=True)


def _engine(binary: Path) -> str:
    """The Pagefind binary's identity: its path, size and date."""
    stat = binary.stat()
    return f"{binary}|{stat.st_size}|{stat.st_mtime_ns}"


def _folders(count: int) -> list[str]:
    """The folders of `count` parts: the bundle itself, then part-1/, part-2/, ..."""
    return [BUNDLE if n == 0 else f"{BUNDLE}/part-{n}" for n in range(max(count, 1))]


def _inputs_digest(engine: str, pages: list[tuple[str, str]]) -> str:
    """What one Pagefind run reads: the binary and every page's path and bytes (digest)."""
    h = hashlib.sha256(f"{engine}|{KEPT_FORMAT}".encode())
    for rel, digest in pages:
        h.update(f"{rel}\0{digest}\0".encode())
    return h.hexdigest()


def _copy_tree(source: Path, target: Path, skip: frozenset[str] = frozenset()) -> None:
    """Hard-link every file below `source` into `target` (copy where linking fails), leaving out the
    entries of `source` itself named in `skip`."""
    for folder, subfolders, names in os.walk(source):
        if folder == str(source):
            subfolders[:] = [name for name in subfolders if name not in skip]
            names = [name for name in names if name not in skip]
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(folder, name), into / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), into / name)


def _keep(site: Path, kept: Path, parts: dict[str, str]) -> None:
    """Keep each part's index in `kept` under its inputs' digest, and forget the parts of no current build."""
    others = frozenset({Path(f).name for f in parts if f != BUNDLE} | {PARTS})  # inside the first part's folder
    for folder, key in parts.items():
        if (kept / key).is_dir():
            continue
        tmp = Path(tempfile.mkdtemp(dir=kept, prefix=".tmp-"))
        _copy_tree(site / folder, tmp, others)
        (tmp / KEPT_DIGESTS).write_text(json.dumps(_digests(tmp)), encoding="utf-8")
        tmp.rename(kept / key)
    for old in kept.iterdir():
        if old.name not in parts.values():
            shutil.rmtree(old, ignore_errors=True)


def _digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file below `folder` but KEPT_DIGESTS, by POSIX path relative to it."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != KEPT_DIGESTS}


def _intact(folder: Path) -> bool:
    """A kept part holds exactly the files it held when it was kept, with the same bytes: the site's copies
    are hard links to them, so a file changed in the site (or cut on disk) would otherwise be published."""
    try:
        return bool(json.loads((folder / KEPT_DIGESTS).read_bytes()) == _digests(folder))
    except (OSError, ValueError):
        return False


def split_pages(site: Path, pages: list[str]) -> list[list[str]]:
    """The searchable ones of `pages` (paths relative to `site`), dealt out in turn to as many parts
    as keep each within about PART_PAGES pages and PART_BYTES bytes.

    Dealt out, not cut into runs: each part is then a sample of the whole site, so the word
    statistics Pagefind ranks by (how many pages hold a word, the average page length) are about
    the same in every part, and the merged results rank about as one index would. Pages without
    `data-pagefind-body` (print views, the home page) are left out.
    """
    wanted = set(pages)
    return _split([f for f in page_files(site) if f.rel in wanted])


def _split(files: list[PageFile]) -> list[list[str]]:
    found = [f for f in files if f.searchable]
    count = max(_parts_for(len(found), PART_PAGES), _parts_for(sum(f.size for f in found), PART_BYTES))
    return [[f.rel for f in found[n::count]] for n in range(count)]


def _parts_for(total: int, limit: int) -> int:
    return -(-total // limit)  # rounded up


def html_pages(site: Path) -> list[str]:
    """Every .html file under `site` outside the search bundle, as sorted POSIX paths relative to it."""
    found: list[str] = []
    _html_below(str(site), "", found)
    return sorted(found)


def _html_below(folder: str, rel: str, found: list[str]) -> None:
    """Add the .html files below `folder` (`rel` from the site, with a trailing slash) to `found`; plain
    strings and scandir, three times faster than os.walk and Path on a site of thousands of folders."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if rel or entry.name != BUNDLE:
                    _html_below(entry.path, f"{rel}{entry.name}/", found)
            elif entry.name.endswith(".html"):
                found.append(rel + entry.name)


def _run_pagefind(runs: list[tuple[str, list[str]]], site: Path, binary: Path) -> None:
    """Index the pages of each of `runs` (output folder, pages) with a Pagefind service of its own,
    RUNS_AT_ONCE at a time (they write separate folders); raise SearchIndexError when one fails, after
    stopping the others."""
    waiting, running = list(runs), list[_Run]()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while waiting or running:
            while waiting and len(running) < RUNS_AT_ONCE:
                folder, pages = waiting.pop(0)
                running.append(_Run(binary, site, folder, pages))
            running[0].finish(deadline)
            running.pop(0)
    finally:
        for run in running:
            run.stop()


class _Run:
    """One Pagefind service (`pagefind --service`) that is handed the pages one by one, in the order given,
    and writes their index to SITE/FOLDER. Pagefind numbers pages in the order it reads them, and its index
    holds the numbers; run over the folder, it reads pages in the order the file system lists them, which
    differs between file systems (ext4 by a hash of each name, tmpfs by creation): so the same site gave
    other index bytes on another disk."""

    def __init__(self, binary: Path, site: Path, folder: str, pages: list[str]):
        self.site, self.folder = site, folder
        self.last = len(pages) + 2  # message ids: 1 creates the index, then one per page, then the files
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        try:
            self.process = subprocess.Popen([str(binary), "--service"], cwd=site, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.errors,
                                            preexec_fn=before_exec())  # noqa: PLW1509 - None when threads run
        except OSError as exc:
            self.errors.close()
            raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
        self.answers: list[dict[str, Any]] = []
        threading.Thread(target=self._send, args=(pages,), daemon=True).start()
        self.reader = threading.Thread(target=self._receive, daemon=True)
        self.reader.start()

    def _requests(self, pages: list[str]) -> Iterator[dict[str, object]]:
        yield {"type": "NewIndex", "config": None}
        for rel in pages:
            text = (self.site / rel).read_text(encoding="utf-8", errors="replace")
            yield {"type": "AddFile", "index_id": 0, "file_path": rel, "url": None, "file_contents": text}
        yield {"type": "GetFiles", "index_id": 0}  # the bundle's files come back: written by _write

    def _send(self, pages: list[str]) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            for number, payload in enumerate(self._requests(pages), 1):
                stdin.write(base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b",")
            stdin.flush()
        except (OSError, ValueError):  # Pagefind ended early (or was stopped): finish() says why
            pass

    def _receive(self) -> None:
        assert self.process.stdout is not None
        stdout, pending = self.process.stdout.fileno(), b""
        while chunk := os.read(stdout, 65536):
            *done, pending = (pending + chunk).split(b",")
            for message in done:
                answer = json.loads(base64.b64decode(message))
                self.answers.append(answer)
                if answer.get("message_id") == self.last or answer.get("payload", {}).get("type") == "Error":
                    return

    def finish(self, deadline: float) -> None:
        """Wait for the index to be written; raise SearchIndexError if Pagefind failed or took too long."""
        self.reader.join(max(0.0, deadline - time.monotonic()))
        if self.reader.is_alive():
            self.stop()
            raise SearchIndexError(f"Pagefind could not run: it took more than {TIMEOUT_SECONDS} s")
        self.stop()
        done = bool(self.answers) and self.answers[-1].get("message_id") == self.last
        self.errors.seek(0)
        detail = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        self.errors.close()
        if not done:
            error = self.answers[-1].get("payload", {}).get("message") if self.answers else None
            last = error or (detail[-1] if detail else "")
            raise SearchIndexError("Pagefind failed to index the site" + (f": {last}" if last else ""))
        for line in detail:
            log.debug("pagefind: %s", line)
        _write(self.site / self.folder, self.answers[-1]["payload"].get("files") or [])

    def stop(self) -> None:
        """End the service: its input closed (the service then exits), or killed when it does not."""
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _write(bundle: Path, files: list[dict[str, str]]) -> None:
    """Write the files of a Pagefind bundle (paths relative to it, contents in base64) but its own interfaces.
    Written here rather than by Pagefind, which leaves a file it cannot write empty and says nothing, and
    whose service may exit before its last writes reach the disk."""
    for file in files:
        rel = file["path"]
        if rel in UNUSED_UI:
            continue
        if os.path.isabs(rel) or ".." in Path(rel).parts:
            raise SearchIndexError(f"Pagefind named a file outside its folder: {rel!r}")
        target = bundle / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError("Pagefind failed to index the site")
