"""Which pages of the last build can be kept as they are, so an edit re-renders only the pages it changes.

Every page gets a key: a digest of everything the built-in theme's templates can read while rendering it.
That is coursegen's code (the theme included), the static file names, the page itself and its metadata,
the site's *outline* (every field of every course and module except the bodies of modules: intro, cards'
HTML and previews, sources, word count), and the bodies that page shows: its own module's, every module's
of its course for the whole-course print page, and the card previews of its modules for a course page.
tests/test_pagecache.py checks on the flagship that the theme's templates read no more than that.

A page whose key is the one it was last written with, and whose file in the output folder is untouched
since (size, modification time, inode and its change time as recorded), is copied from there instead of
rendered; its link scan comes from the cache. Not even copied when the spare folder the build starts from
(the site before last) holds it as written under the same key and untouched since.

A project's own templates may read anything (another module's body, say), so a project whose templates/
overrides any of the theme's renders every page every time.
"""
from __future__ import annotations

import functools
import hashlib
import io
import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import cache
from .linkcheck import PageScan
from .model import Card, Module
from .render import Page, Renderer
from .templates import THEME

KIND = "page"  # cache.Store kind: page key -> PageScan


def _digest(value: Any, pickler: type[pickle.Pickler] = pickle.Pickler) -> str:
    """A digest of a model value by content (no pickle memo, so equal values give equal bytes)."""
    stream = io.BytesIO()
    dumper = pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    dumper.fast = True  # the model has no cycles
    dumper.dump(value)
    return hashlib.sha256(stream.getvalue()).hexdigest()


def _body(module: Module) -> tuple:
    return module.intro_html, tuple((card.html, card.preview) for card in module.cards), module.sources_html


def _previews(module: Module) -> tuple:
    return tuple(card.preview for card in module.cards)


_HIDDEN = {Module: {"intro_html", "sources_html", "word_count"}, Card: {"html", "preview"}}  # bodies


@functools.cache
def _shown_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _HIDDEN.get(cls, ()))


class _OutlinePickler(pickle.Pickler):
    """Pickles model values without module bodies: what any page may show of other modules. Only the model's
    objects reach reducer_override (pickle handles strings, numbers and containers itself), so this costs
    one Python call per object where walking the whole site in Python cost one per field."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (Module, Card)):
            return _outline_part, (type(obj).__name__, *(getattr(obj, name) for name in _shown_fields(type(obj))))
        return NotImplemented


def _outline_part(*parts: Any) -> tuple:
    """What an outline digest names a Module or Card by (digests are never unpickled)."""
    return parts


def reuse_possible(project: Path) -> bool:
    """Pages can be reused only with the built-in theme's templates (see the module docstring): no file in
    the project's templates/ may stand in for one of the theme's (other files there, a README say, are
    never loaded: only a template that overrides one of the theme's could include them)."""
    folder = project / "templates"
    if not folder.is_dir():
        return True
    theme = THEME / "templates"
    return not any((theme / p.relative_to(folder)).is_file() for p in folder.rglob("*") if p.is_file())


class PageKeys:
    """The key of each page: equal keys mean the theme renders byte-identical pages. The site-wide part is
    computed here; a page's own part when asked (in a worker process, for a first build)."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        self.common = _digest((cache.code_digest(), sorted(renderer.static_paths.items()), renderer.site),
                              _OutlinePickler)
        self._bodies: dict[str, str] = {}
        self._previews: dict[str, str] = {}

    def __call__(self, page: Page) -> str:
        of_course = page.course.modules if page.course else ()
        shown = [page.module] if page.module else (of_course if page.kind == "print" else ())
        own = (page.path, page.template, page.url, page.title, page.description, page.kind, page.in_sitemap,
               page.course.slug if page.course else None, page.module.url if page.module else None)
        seo = self.renderer.seo  # the page's metadata reads the outline, the page, its social card and date
        return _digest((self.common, own, seo.cards.get(page.url), seo.dates.get(page.url),
                        [self._digest_of(self._bodies, m, _body) for m in shown],
                        [self._digest_of(self._previews, m, _previews) for m in of_course]
                        if page.kind == "course" else []))

    @staticmethod
    def _digest_of(known: dict[str, str], module: Module, part: Any) -> str:
        if module.url not in known:
            known[module.url] = _digest(part(module))
        return known[module.url]


@dataclass
class LastPages:
    """The pages of the last build into the output folder: their keys and the files as written."""

    out: Path
    keys: dict[str, str]  # page path -> key it was written with
    files: dict[str, tuple[int, ...]]  # page path -> cache.identity of its file when written
    scans: dict[str, PageScan]  # key -> link scan
    spare: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)  # the site before: path ->
    # (key, identity) of each page file it held as written under that key when the last build ended

    def reusable(self, path: str, key: str) -> PageScan | None:
        """The page's scan when its file in the output folder is the one written under `key`."""
        if self.keys.get(path) != key or key not in self.scans:
            return None
        return self.scans[key] if _identity(self.out / path) == self.files.get(path) else None

    def in_spare(self, folder: Path, path: str, key: str) -> bool:
        """Whether `folder` (the staging folder, made of the spare) already holds the page as written under
        `key`, untouched since: then it needs neither reading nor writing."""
        kept = self.spare.get(path)
        return kept is not None and kept[0] == key and _identity(folder / path) == kept[1]


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        return cache.identity(path.lstat())
    except OSError:
        return None


def last_pages(project: Path, out: Path, store: cache.Store) -> LastPages:
    record = cache.last_record(project, out) or {}
    keys = record.get("page_keys") or {}
    files = {rel: tuple(written) for rel, *written in record.get("manifest", []) if rel in keys}
    scans = {}
    for key in set(keys.values()):
        scan = store.get(KIND, key)
        if isinstance(scan, PageScan):
            scans[key] = scan
    spare = {rel: (key, tuple(written)) for rel, (key, *written) in (record.get("spare_pages") or {}).items()}
    return LastPages(out, keys, files, scans, spare)


def remember(store: cache.Store, keys: dict[str, str], scans: dict[str, PageScan]) -> None:
    """Keep the scans of this build's pages (and only those) for the next build."""
    known = store.keys(KIND)
    for path, key in keys.items():
        if key not in known:
            store.put(KIND, key, scans[path])
    store.prune(KIND, set(keys.values()))
    store.save()

