"""Page reuse: a page whose key is one the store holds is taken from there instead of rendered.

A page's key is a digest of everything the built-in theme's templates can read while rendering it:
coursegen's code (the theme included), the static file names, the page itself and its metadata, the
site's *outline* (every field of every course and module except the bodies of modules: intro, cards'
HTML and previews, sources, word count, instructor notes), and the bodies that page shows: its own module's,
every module's of its course for the whole-course pages (print, instructor view and its print variant), and the card previews of its modules for a course page.
tests/test_speed.py edits every field a template shows and checks that cached and uncached builds agree.

A project's own templates may read anything (another module's body, say), so a project whose templates/
overrides any of the theme's renders every page every time.
"""
from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..linkcheck import PageScan, Ref
from ..model import Card, Module
from ..render import Page, Renderer
from ..templates import THEME
from .store import code_digest

PAGES = "page"  # store kind: page key -> {"html": str, "scan": ...}


def _digest(value: Any, pickler: type[pickle.Pickler] = pickle.Pickler) -> str:
    """A digest of a model value by content (no pickle memo, so equal values give equal bytes). The pickle
    is only hashed, never stored or loaded."""
    stream = io.BytesIO()
    dumper = pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    dumper.fast = True  # the model has no cycles
    dumper.dump(value)
    return hashlib.sha256(stream.getvalue()).hexdigest()


def _body(module: Module) -> tuple[Any, ...]:
    return (module.intro_html, tuple((card.html, card.preview) for card in module.cards), module.sources_html,
            module.notes)


def _previews(module: Module) -> tuple[str, ...]:
    return tuple(card.preview for card in module.cards)


BODIES = {Module: {"intro_html", "sources_html", "word_count", "notes"}, Card: {"html", "preview"}}  # what _body covers


SHOWN = {cls: tuple(f.name for f in fields(cls) if f.name not in hidden) for cls, hidden in BODIES.items()}


class _OutlinePickler(pickle.Pickler):
    """Pickles model values without module bodies: what any page may show of other modules."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (Module, Card)):
            return _outline_part, (type(obj).__name__, *(getattr(obj, name) for name in SHOWN[type(obj)]))
        return NotImplemented


def _outline_part(*parts: Any) -> tuple[Any, ...]:
    return parts


def reuse_possible(project: Path) -> bool:
    """Whether no file in the project's templates/ stands in for one of the theme's (see the docstring)."""
    folder = project / "templates"
    if not folder.is_dir():
        return True
    theme = THEME / "templates"
    return not any((theme / p.relative_to(folder)).is_file() for p in folder.rglob("*") if p.is_file())


WHOLE_COURSE = ("print", "instructor", "instructor-print")  # kinds of page that show every module of their course


class PageKeys:
    """The key of each page: equal keys mean the theme renders byte-identical pages."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        self.common = _digest((code_digest(), sorted(renderer.static_paths.items()), renderer.site,
                               renderer.messages.digest_parts, renderer.worker, renderer.packaged), _OutlinePickler)
        self._bodies: dict[str, str] = {}
        self._previews: dict[str, str] = {}

    def __call__(self, page: Page) -> str:
        of_course = page.course.modules if page.course else ()
        shown = [page.module] if page.module else (of_course if page.kind in WHOLE_COURSE else ())
        own = (page.path, page.template, page.url, page.title, page.description, page.kind, page.in_sitemap,
               page.course.slug if page.course else None, page.module.url if page.module else None)
        return _digest((self.common, own, self.renderer.meta(page), self.renderer.dates.get(page.url),
                        [self._once(self._bodies, m, _body) for m in shown],
                        [self._once(self._previews, m, _previews) for m in of_course] if page.kind == "course" else []))

    @staticmethod
    def _once(known: dict[str, str], module: Module, part: Callable[[Module], Any]) -> str:
        if module.url not in known:
            known[module.url] = _digest(part(module))
        return known[module.url]


def encode_page(html: bytes, scan: PageScan) -> dict[str, Any]:
    return {"html": html.decode(), "ids": sorted(scan.ids), "refs": [list(r) for r in scan.refs],
            "no_alt": [list(r) for r in scan.no_alt], "parts": [list(r) for r in scan.parts]}


def decode_page(data: Any) -> tuple[bytes, PageScan] | None:
    """The page and its scan that encode_page stored; None for anything else."""
    try:
        html, ids, refs, no_alt, parts = data["html"], data["ids"], data["refs"], data["no_alt"], data["parts"]
        if not isinstance(html, str) or not all(isinstance(i, str) for i in ids):
            return None
        scan = PageScan(set(ids), [_ref(r) for r in refs], [_ref(r) for r in no_alt], [_ref(r) for r in parts])
    except (KeyError, TypeError, ValueError):
        return None
    return html.encode(), scan


def _ref(data: Sequence[Any]) -> Ref:
    url, line = data
    if not isinstance(url, str) or type(line) is not int:
        raise ValueError("not a reference")
    return Ref(url, line)
