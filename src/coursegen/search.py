"""Full-text search: index a fully written site folder with Pagefind. The only module that knows Pagefind.

Pages opt in with `data-pagefind-body` (course and module pages); navigation inside them is
marked `data-pagefind-ignore`. The index lands in `SITE/pagefind/`, which the theme's search box
loads on first use. Result URLs are root-absolute; the browser side adds the site's base path.

Pagefind keeps every page it indexes in memory (about 110 KB per module page), so a large site is
indexed in parts of about PART_PAGES pages, RUNS_AT_ONCE Pagefind runs at a time: the first part is
`pagefind/` itself, the others `pagefind/part-N/`, listed in `pagefind/parts.json`, which the
search box reads to merge them (Pagefind's `mergeIndex`). A small site gets one index and an
empty list.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .lifeline import before_exec

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # folder of the index inside the site
PARTS = "parts.json"  # inside the bundle: {"parts": ["part-1/", ...]}, the extra indexes to merge
PART_PAGES = 400  # most pages one Pagefind run indexes (~50 MB of its memory at ~13 KB per page)
PART_BYTES = 8_000_000  # most bytes of HTML one Pagefind run reads (a part of very long pages is shorter)
GLOB_CHARS = 100_000  # longest --glob argument of a part (Linux allows 128 KiB in one argument)
MARKER = b"data-pagefind-body"
# Pagefind's ready-made search interfaces (~420 KB); the theme has its own search box on pagefind.js.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
             "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 300
RUNS_AT_ONCE = 2  # Pagefind runs side by side: a run leaves cores idle, and each holds its part (~50 MB)
_GLOB_SPECIAL = re.compile(r"([?*$:<>()\[\]{},\\])")  # Pagefind's glob syntax; a backslash escapes them


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the `pagefind[bin]` wheel (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexError("the search index needs Pagefind: pip install 'pagefind[bin]'") from exc
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    return Path(binary)


def index_site(site: Path, previous: Path | None = None) -> None:
    """Write SITE/pagefind/ from the HTML pages in `site`. Raises SearchIndexError on failure.

    `previous` is the site the last build wrote to the same place: a part whose pages are byte for
    byte the ones it was made from there is linked from it (copied across file systems), not indexed
    again. parts.json keeps, for that, a digest of each part's pages and of the Pagefind binary.
    """
    binary = pagefind_executable()
    files = _page_files(site, html_pages(site))  # each page read once
    parts = _split(files) if len(files) > PART_PAGES else []
    plan: list[tuple[str, list[str] | None, list[str]]]  # (folder, glob, pages it reads)
    if len(parts) <= 1:
        plan = [(BUNDLE, None, [f.rel for f in files])]
    else:
        plan = [(BUNDLE if n == 0 else f"{BUNDLE}/part-{n}", part, part) for n, part in enumerate(parts)]
    digests = {f.rel: f.digest for f in files}
    before = _inputs_of(previous) if previous is not None else []
    inputs, runs = [], []
    for n, (folder, glob, read) in enumerate(plan):
        inputs.append(_inputs_digest(binary, [(rel, digests[rel]) for rel in read]))
        if previous is not None and n < len(before) and before[n] == inputs[n] and (previous / folder).is_dir():
            _link_tree(previous / folder, site / folder, top_level_skip=n == 0)
        else:
            runs.append((folder, _pagefind_command(binary, site, folder, glob)))
    _run_pagefind(runs, site)
    folders = [folder for folder, _, _ in plan]
    _drop_unused(site, folders)
    manifest = {"parts": [folder.removeprefix(BUNDLE + "/") + "/" for folder in folders[1:]], "inputs": inputs}
    (site / BUNDLE / PARTS).write_text(json.dumps(manifest) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class _PageFile:
    rel: str  # path relative to the site
    size: int
    searchable: bool  # holds data-pagefind-body
    digest: bytes  # sha256 of its bytes


def _page_files(site: Path, pages: list[str]) -> list[_PageFile]:
    found = []
    for rel in pages:
        data = (site / rel).read_bytes()
        found.append(_PageFile(rel, len(data), MARKER in data, hashlib.sha256(data).digest()))
    return found


def _inputs_digest(binary: Path, pages: list[tuple[str, bytes]]) -> str:
    """What one Pagefind run reads: the binary (path, size, date) and every page's path and bytes (digest)."""
    stat = binary.stat()
    h = hashlib.sha256(f"{binary}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    for rel, digest in pages:
        h.update(rel.encode() + b"\0" + digest)
    return h.hexdigest()


def _inputs_of(previous: Path) -> list[str]:
    """The part digests recorded in a site's parts.json ([] when there are none)."""
    try:
        inputs = json.loads((previous / BUNDLE / PARTS).read_text(encoding="utf-8")).get("inputs", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(i) for i in inputs] if isinstance(inputs, list) else []


def _link_tree(source: Path, target: Path, top_level_skip: bool) -> None:
    """Hard-link every file below `source` into `target` (copy where linking fails); with
    `top_level_skip`, leave out the other parts' folders and parts.json at the top."""
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        if top_level_skip and rel == Path("."):
            dirs[:] = [d for d in dirs if not d.startswith("part-")]
            files = [f for f in files if f != PARTS]
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder, name), target / rel / name)
            except OSError:
                shutil.copy2(Path(folder, name), target / rel / name)


def split_pages(site: Path, pages: list[str]) -> list[list[str]]:
    """The searchable ones of `pages` (paths relative to `site`), dealt out in turn to as many parts
    as keep each within about PART_PAGES pages, PART_BYTES bytes and GLOB_CHARS characters of paths.

    Dealt out, not cut into runs: each part is then a sample of the whole site, so the word
    statistics Pagefind ranks by (how many pages hold a word, the average page length) are about
    the same in every part, and the merged results rank about as one index would. Pages without
    `data-pagefind-body` (print views, the home page) are left out.
    """
    return _split(_page_files(site, pages))


def _split(files: list[_PageFile]) -> list[list[str]]:
    found = [f for f in files if f.searchable]
    glob_chars = sum(2 * len(f.rel) + 1 for f in found)  # escaped, at most, and a comma
    count = max(_parts_for(len(found), PART_PAGES), _parts_for(sum(f.size for f in found), PART_BYTES),
                _parts_for(glob_chars, GLOB_CHARS))
    return [[f.rel for f in found[n::count]] for n in range(count)]


def _parts_for(total: int, limit: int) -> int:
    return -(-total // limit)  # rounded up


def _drop_unused(site: Path, folders: list[str]) -> None:
    """Delete Pagefind's own interfaces, and what the parts after the first share with it."""
    for n, folder in enumerate(folders):
        unused = [site / folder / name for name in UNUSED_UI]
        if n:  # a merged part runs on the first part's script, worker and WebAssembly
            unused += [site / folder / "pagefind.js", site / folder / "pagefind-worker.js",
                       *(site / folder).glob("wasm.*.pagefind")]
        for path in unused:
            path.unlink(missing_ok=True)


def html_pages(site: Path) -> list[str]:
    """Every .html file under `site` outside the search bundle, as sorted POSIX paths relative to it."""
    found = []
    for folder, dirs, files in os.walk(site):
        if Path(folder) == site and BUNDLE in dirs:
            dirs.remove(BUNDLE)
        prefix = Path(folder).relative_to(site).as_posix()
        found += [name if prefix == "." else f"{prefix}/{name}" for name in files if name.endswith(".html")]
    return sorted(found)


def _pagefind_command(binary: Path, site: Path, folder: str, pages: list[str] | None = None) -> list[str]:
    """The Pagefind command that writes SITE/FOLDER/, over `pages` only when given."""
    command = [str(binary), "--site", str(site), "--output-subdir", folder, "--quiet"]
    if pages is not None:
        command += ["--glob", "{" + ",".join(_GLOB_SPECIAL.sub(r"\\\1", rel) for rel in pages) + "}"]
    return command


def _run_pagefind(runs: list[tuple[str, list[str]]], site: Path) -> None:
    """Run the Pagefind commands of `runs` (output folder, command), RUNS_AT_ONCE at a time (they write
    separate folders); raise SearchIndexError when one fails, after stopping the others."""
    waiting, running = list(runs), []
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while waiting or running:
            while waiting and len(running) < RUNS_AT_ONCE:
                folder, command = waiting.pop(0)
                running.append((folder, _start(command)))
            folder, process = running.pop(0)
            try:
                stdout, stderr = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired as exc:
                running.append((folder, process))  # stopped below
                raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
            _check_run(site / folder, process.returncode, stdout, stderr)
    finally:
        for _, process in running:
            process.kill()
            process.communicate()


def _start(command: list[str]) -> subprocess.Popen:
    """Start one Pagefind run, tied to this process (it ends if the build is killed)."""
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=before_exec())  # noqa: PLW1509 - None when threads run
    except OSError as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc


def _check_run(bundle: Path, returncode: int, stdout: str, stderr: str) -> None:
    if returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (stderr or stdout).strip().splitlines()
        raise SearchIndexError("Pagefind failed to index the site" + (f": {detail[-1]}" if detail else ""))
    for line in (stdout + stderr).strip().splitlines():
        log.debug("pagefind: %s", line)


def index_pages(pages: dict[str, bytes]) -> dict[str, bytes]:
    """The search bundle for in-memory pages ({'course/module/index.html': html}), as {'pagefind/...': bytes}.

    For a site that is never written to disk (the live preview): only the HTML is written, to a
    temporary folder that is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="coursegen-search-") as folder:
        root = Path(folder)
        for rel, data in pages.items():
            if rel.endswith(".html"):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(data)
        index_site(root)
        bundle = root / BUNDLE
        return {f"{BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}

