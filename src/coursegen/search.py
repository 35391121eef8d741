"""Full-text search: index a fully written site folder with Pagefind. The only module that knows Pagefind.

Pages opt in with `data-pagefind-body` (course and module pages); navigation inside them is
marked `data-pagefind-ignore`. The index lands in `SITE/pagefind/`, which the theme's search box
loads on first use. Result URLs are root-absolute; the browser side adds the site's base path.

Pagefind keeps every page it indexes in memory (about 110 KB per module page), so a large site is
indexed in parts of about PART_PAGES pages, RUNS_AT_ONCE Pagefind runs at a time: the first part is
`pagefind/` itself, the others `pagefind/part-N/`, listed in `pagefind/parts.json`, which the
search box reads to merge them (Pagefind's `mergeIndex`). A small site gets one index and an
empty list. A rebuild after a few pages changed indexes only those, in an overlay (see searchstate).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .lifeline import before_exec
from .searchstate import (
    STATE,
    IndexState,
    Overlay,
    PageFile,
    fragment_ids,
    overlay_weight,
    page_files,
    page_url,
    plan_overlay,
)

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # folder of the index inside the site
PARTS = "parts.json"  # inside the bundle, for the search box: {"parts": ["part-1/", ...], "overlay": {...} or null}
OVERLAY = "overlay"  # inside the bundle: the index of pages changed since the parts were made
PART_PAGES = 400  # most pages one Pagefind run indexes (~50 MB of its memory at ~13 KB per page)
PART_BYTES = 8_000_000  # most bytes of HTML one Pagefind run reads (a part of very long pages is shorter)
GLOB_CHARS = 100_000  # longest --glob argument of a part (Linux allows 128 KiB in one argument)
# Pagefind's ready-made search interfaces (~420 KB); the theme has its own search box on pagefind.js.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
             "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 300
RUNS_AT_ONCE = 2  # Pagefind runs side by side: a run leaves cores idle, and each holds its part (~50 MB)
_GLOB_SPECIAL = re.compile(r"([?*$:<>()\[\]{},\\])")  # Pagefind's glob syntax; a backslash escapes them


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` wheel ships, else one on
    PATH; the order of `pagefind.service.get_executable`, without importing that service (and asyncio)."""
    binary = os.environ.get("PAGEFIND_BINARY_PATH") or _wheel_binary() or _on_path()
    if binary is None:
        raise SearchIndexError("the search index needs Pagefind: pip install 'pagefind[bin]'")
    if not Path(binary).is_file():
        raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    return Path(binary)


def _wheel_binary() -> Path | None:
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for name in ("pagefind_extended", "pagefind"):
                if (Path(folder) / name).is_file():
                    return Path(folder) / name
    return None


def _on_path() -> str | None:
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def index_site(site: Path, previous: Path | None = None, unchanged: frozenset[str] = frozenset()) -> None:
    """Write SITE/pagefind/ from the HTML pages in `site`. Raises SearchIndexError on failure.

    `previous` is the site the last build wrote to the same place, and `unchanged` the pages known to be
    byte for byte its own (they are not read again). Its index is brought up to date with an overlay of
    the changed pages where it can be (see searchstate); else a part whose pages are unchanged is linked
    from it (copied across file systems), not indexed again.
    """
    binary = pagefind_executable()
    engine = _engine(binary)
    state = IndexState.load(previous / BUNDLE, engine) if previous is not None else None
    files = page_files(site, html_pages(site), state.pages if state else {}, unchanged)
    update = _plan_update(previous, state, files) if previous is not None and state is not None else None
    if previous is not None and state is not None and update is not None:
        overlay, ids = update
        new, drop = _update(site, previous, state, files, overlay, ids, binary), _dropped(site, overlay, ids)
    else:
        new, drop = _index_anew(site, previous, state, files, binary, engine), []
    folders = _folders(len(new.parts))
    _drop_unused(site, folders + ([f"{BUNDLE}/{OVERLAY}"] if new.overlay else []))
    manifest = {"parts": [folder.removeprefix(BUNDLE + "/") + "/" for folder in folders[1:]],
                "overlay": {"path": f"{OVERLAY}/", "weight": overlay_weight(new), "drop": drop} if new.overlay else None}
    (site / BUNDLE / PARTS).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    new.save(site / BUNDLE)


def _engine(binary: Path) -> str:
    """The Pagefind binary's identity: its path, size and date."""
    stat = binary.stat()
    return hashlib.sha256(f"{binary}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()


def _plan_update(previous: Path, state: IndexState, files: list[PageFile]) -> tuple[Overlay, dict[str, str]] | None:
    """The overlay that brings the previous site's index up to date, and the parts' result ids of its pages;
    None when the site is better indexed anew, or a part `state` describes is missing from that site."""
    if not all((previous / folder / "pagefind-entry.json").is_file() for folder in _folders(len(state.parts))):
        return None
    overlay = plan_overlay(state, files)
    ids = _stale_ids(previous, state, overlay) if overlay is not None else None
    return (overlay, ids) if overlay is not None and ids is not None else None


def _folders(count: int) -> list[str]:
    """The folders of `count` parts: the bundle itself, then part-1/, part-2/, ..."""
    return [BUNDLE if n == 0 else f"{BUNDLE}/part-{n}" for n in range(max(count, 1))]


def _index_anew(site: Path, previous: Path | None, state: IndexState | None, files: list[PageFile],
                binary: Path, engine: str) -> IndexState:
    """Index the site in parts, linking from `previous` the parts whose pages are all as they were."""
    parts = _split(files) if len(files) > PART_PAGES else []
    if len(parts) <= 1:  # one run over the whole site (Pagefind reads every page when none is marked)
        parts, globs, reads = [[f.rel for f in files if f.searchable]], [None], [[f.rel for f in files]]
    else:
        globs, reads = list(parts), parts
    digests = {f.rel: f.digest for f in files}
    inputs = [_inputs_digest(engine, [(rel, digests[rel]) for rel in read]) for read in reads]
    runs, links, ids = [], [], {}
    for n, folder in enumerate(_folders(len(parts))):
        if previous is not None and state and n < len(state.inputs) and state.inputs[n] == inputs[n] \
                and (previous / folder).is_dir():
            links.append((previous / folder, site / folder, n == 0))
            ids.update({rel: state.ids[rel] for rel in parts[n] if rel in state.ids})
        else:
            runs.append((folder, _pagefind_command(binary, site, folder, globs[n])))
    _run_pagefind(runs, site, meanwhile=lambda: _link_trees(links))
    return IndexState(engine, {f.rel: f for f in files}, parts, inputs, ids=ids)


def _stale_ids(previous: Path, state: IndexState, overlay: Overlay) -> dict[str, str] | None:
    """The result ids of the parts' pages, with every stale page's among them (read from the parts'
    fragments where the state does not know them); None when a stale page's cannot be found."""
    ids = dict(state.ids)
    for folder, part in zip(_folders(len(state.parts)), state.parts):
        if any(rel not in ids for rel in overlay.stale if rel in part):
            by_url = fragment_ids(previous / folder)
            ids.update({rel: by_url[page_url(rel)] for rel in part if page_url(rel) in by_url})
    return ids if all(rel in ids for rel in overlay.stale) else None


def _update(site: Path, previous: Path, state: IndexState, files: list[PageFile], overlay: Overlay,
            ids: dict[str, str], binary: Path) -> IndexState:
    """Link the previous parts and index (or link) the overlay of `overlay.pages`."""
    links = [(previous / folder, site / folder, n == 0) for n, folder in enumerate(_folders(len(state.parts)))]
    folder = f"{BUNDLE}/{OVERLAY}"
    in_overlay = set(overlay.pages)
    same = overlay.pages == state.overlay and all(state.pages.get(f.rel) == f for f in files if f.rel in in_overlay)
    runs = []
    if same and (previous / folder).is_dir():
        links.append((previous / folder, site / folder, False))
    elif overlay.pages:
        runs.append((folder, _pagefind_command(binary, site, folder, overlay.pages)))
    _run_pagefind(runs, site, meanwhile=lambda: _link_trees(links))  # the parts are linked while it runs
    return IndexState(state.engine, {f.rel: f for f in files}, state.parts, state.inputs, overlay.indexed,
                      overlay.pages, ids)


def _dropped(site: Path, overlay: Overlay, ids: dict[str, str]) -> list[str]:
    """The result ids the search box leaves out: the parts' copies of stale pages, unless the overlay
    holds the very same copy (a change Pagefind does not see, such as navigation)."""
    kept = set(fragment_ids(site / BUNDLE / OVERLAY).values()) if overlay.pages else set()
    return sorted({ids[rel] for rel in overlay.stale} - kept)


def _inputs_digest(engine: str, pages: list[tuple[str, str]]) -> str:
    """What one Pagefind run reads: the binary and every page's path and bytes (digest)."""
    h = hashlib.sha256(engine.encode())
    for rel, digest in pages:
        h.update(f"{rel}\0{digest}\0".encode())
    return h.hexdigest()


def _link_trees(links: list[tuple[Path, Path, bool]]) -> None:
    for source, target, top_level_skip in links:
        _link_tree(source, target, top_level_skip)


def _link_tree(source: Path, target: Path, top_level_skip: bool) -> None:
    """Hard-link every file below `source` into `target` (copy where linking fails); with
    `top_level_skip`, leave out the other indexes' folders and the bundle's own records at the top."""
    skip = (lambda name: name.startswith("part-") or name in (OVERLAY, PARTS, STATE)) if top_level_skip else None
    _link_folder(str(source), str(target), skip)


def _link_folder(source: str, target: str, skip: Callable[[str], bool] | None) -> None:
    os.makedirs(target, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            if skip and skip(entry.name):
                continue
            into = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                _link_folder(entry.path, into, None)
                continue
            try:
                os.link(entry.path, into)
            except OSError:
                shutil.copy2(entry.path, into)


def split_pages(site: Path, pages: list[str]) -> list[list[str]]:
    """The searchable ones of `pages` (paths relative to `site`), dealt out in turn to as many parts
    as keep each within about PART_PAGES pages, PART_BYTES bytes and GLOB_CHARS characters of paths.

    Dealt out, not cut into runs: each part is then a sample of the whole site, so the word
    statistics Pagefind ranks by (how many pages hold a word, the average page length) are about
    the same in every part, and the merged results rank about as one index would. Pages without
    `data-pagefind-body` (print views, the home page) are left out.
    """
    return _split(page_files(site, pages, {}, frozenset()))


def _split(files: list[PageFile]) -> list[list[str]]:
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


def _pagefind_command(binary: Path, site: Path, folder: str, pages: list[str] | None = None) -> list[str]:
    """The Pagefind command that writes SITE/FOLDER/, over `pages` only when given."""
    command = [str(binary), "--site", str(site), "--output-subdir", folder, "--quiet"]
    if pages is not None:
        command += ["--glob", "{" + ",".join(_GLOB_SPECIAL.sub(r"\\\1", rel) for rel in pages) + "}"]
    return command


def _run_pagefind(runs: list[tuple[str, list[str]]], site: Path, meanwhile: Callable[[], None] | None = None) -> None:
    """Run the Pagefind commands of `runs` (output folder, command), RUNS_AT_ONCE at a time (they write
    separate folders), and `meanwhile` once the first have started; raise SearchIndexError when one
    fails, after stopping the others."""
    waiting, running = list(runs), []
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while waiting or running or meanwhile:
            while waiting and len(running) < RUNS_AT_ONCE:
                folder, command = waiting.pop(0)
                running.append((folder, _start(command)))
            if meanwhile:
                meanwhile, then = None, meanwhile
                then()
                continue
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

