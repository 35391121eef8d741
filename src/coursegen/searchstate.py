"""What a site's search index was made from, so that the next build can update it instead of making it anew.

A build that re-indexes whole parts of about 400 pages for one edited module spends most of its time in
Pagefind. Instead, the pages that changed since the parts were made go into a small extra index, the
*overlay* (`pagefind/overlay/`), and the search box drops the parts' results for those pages (by
Pagefind's result id, listed in parts.json as `drop`). The overlay is padded with a sample of unchanged
pages so that its word statistics, which Pagefind ranks by, stay close to the parts'; the copies of those
pages share their result id with the parts' and the search box shows each id once. The search box also
weighs the overlay's scores up (see overlay_weight). When more than OVERLAY_MAX_CHANGED pages have changed
or gone since the parts were made, the site is indexed anew in parts.

The record lives in the bundle (`pagefind/index-state.json`), beside the index it describes, so it can
never describe another site; nothing in the browser reads it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

STATE = "index-state.json"  # inside the bundle
FORMAT = 1
OVERLAY_MIN_PAGES = 200  # fewer searchable pages than this: index anew each time (a tenth of a second)
OVERLAY_MAX_CHANGED = 48  # more pages changed (or gone) since the parts were made: index anew
OVERLAY_PAGES = 40  # the overlay is padded with unchanged pages up to this many
_FRAGMENT_SIGNATURE = b"pagefind_dcd"  # the start of every decompressed Pagefind file


@dataclass(frozen=True)
class PageFile:
    """One HTML page of the site as the index sees it."""

    rel: str  # path relative to the site
    size: int
    searchable: bool  # holds data-pagefind-body
    digest: str  # of its bytes


@dataclass
class IndexState:
    """What the bundle's indexes were made from. `parts[n]` lists the pages part n indexed; a page of a part
    was indexed with the digest `indexed[rel]` when it has one, else with its digest in `pages` (the pages
    of the build that made the bundle); `overlay` lists the pages of the overlay, indexed as in `pages`."""

    engine: str  # the Pagefind binary (path, size, date)
    pages: dict[str, PageFile] = field(default_factory=dict)
    parts: list[list[str]] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # a digest of each part's pages, to reuse unchanged parts
    indexed: dict[str, str] = field(default_factory=dict)
    overlay: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # Pagefind's result id of part pages, where known

    def indexed_digest(self, rel: str) -> str | None:
        if rel in self.indexed:
            return self.indexed[rel]
        page = self.pages.get(rel)
        return page.digest if page else None

    def save(self, bundle: Path) -> None:
        record = {"format": FORMAT, "engine": self.engine, "parts": self.parts, "inputs": self.inputs,
                  "indexed": self.indexed, "overlay": self.overlay, "ids": self.ids,
                  "pages": {rel: [p.digest, p.size, int(p.searchable)] for rel, p in self.pages.items()}}
        (bundle / STATE).write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")

    @staticmethod
    def load(bundle: Path, engine: str) -> IndexState | None:
        """The state recorded in `bundle`, or None when there is none, it is damaged, or another Pagefind made it."""
        try:
            record = json.loads((bundle / STATE).read_text(encoding="utf-8"))
            if record["format"] != FORMAT or record["engine"] != engine:
                return None
            pages = {rel: PageFile(rel, int(size), bool(searchable), str(digest))
                     for rel, (digest, size, searchable) in record["pages"].items()}
            return IndexState(engine, pages, [[str(r) for r in part] for part in record["parts"]],
                              [str(i) for i in record["inputs"]], dict(record["indexed"]),
                              [str(r) for r in record["overlay"]], dict(record["ids"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None


def page_files(site: Path, pages: list[str], known: dict[str, PageFile], unchanged: frozenset[str]) -> list[PageFile]:
    """A PageFile for each of `pages`; those in `unchanged` (byte for byte the previous build's) are taken
    from `known` (what the previous build recorded), the others are read."""
    found = []
    for rel in pages:
        if rel in unchanged and rel in known:
            found.append(known[rel])
            continue
        data = (site / rel).read_bytes()
        found.append(PageFile(rel, len(data), b"data-pagefind-body" in data, hashlib.sha256(data).hexdigest()[:32]))
    return found


@dataclass(frozen=True)
class Overlay:
    """How to bring the previous bundle up to date: its parts as they are, plus an overlay of `pages`."""

    pages: list[str]  # the changed pages and the padding, sorted
    stale: list[str]  # part pages whose indexed copy is out of date (changed, gone or no longer searchable)
    indexed: dict[str, str]  # IndexState.indexed of the new state


def plan_overlay(state: IndexState, files: list[PageFile]) -> Overlay | None:
    """The overlay that brings `state`'s parts up to date with `files`, or None when the site should be
    indexed anew (too small to gain, or too much changed)."""
    searchable = {f.rel: f.digest for f in files if f.searchable}
    if len(searchable) < OVERLAY_MIN_PAGES or not state.parts:
        return None
    in_parts = {rel for part in state.parts for rel in part}
    stale = {rel for rel in in_parts if searchable.get(rel) != state.indexed_digest(rel)}
    changed = sorted(rel for rel in searchable if rel not in in_parts or rel in stale)
    if len(stale.union(changed)) > OVERLAY_MAX_CHANGED:  # changed, new, gone or no longer searchable
        return None
    indexed = {rel: state.indexed_digest(rel) or "" for rel in sorted(stale)}
    if not changed:
        return Overlay([], sorted(stale), indexed)
    current = sorted(in_parts - stale)
    room = max(0, OVERLAY_PAGES - len(changed))
    padding = current[::max(1, len(current) // room)][:room] if room and current else []
    return Overlay(sorted(changed + padding), sorted(stale), indexed)


def overlay_weight(state: IndexState) -> float:
    """What the search box multiplies the overlay's scores by. Pagefind weighs a word by how rare it is in
    its index (BM25's idf); a word found only on an edited page is rarer among the parts' ~400 pages than
    among the overlay's ~40, so the overlay's score is lower. The weight makes up for that exactly for such
    words; for common words it lifts the overlay's pages slightly among near-equal ones."""
    part = sum(len(p) for p in state.parts) / max(1, len(state.parts))
    overlay = len(state.overlay)
    if overlay <= 1 or part <= overlay:
        return 1.0
    return round(math.log1p((part - 0.5) / 1.5) / math.log1p((overlay - 0.5) / 1.5), 3)


def fragment_ids(bundle: Path) -> dict[str, str]:
    """Pagefind's result id of each page a bundle indexed, by the page's URL ("/course/module/")."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        if data.startswith(_FRAGMENT_SIGNATURE):
            found[json.loads(data[len(_FRAGMENT_SIGNATURE):])["url"]] = path.name.removesuffix(".pf_fragment")
    return found


def page_url(rel: str) -> str:
    """The URL Pagefind gives the page at `rel` (an index.html stands for its folder)."""
    return "/" + (rel.removesuffix("index.html") if rel == "index.html" or rel.endswith("/index.html") else rel)
