"""The live site of the preview: build() into memory after each change, and what changed since the last time.

serve runs the very pipeline `coursegen build` runs, with the same speed-ups (the module store, kept
in memory between rebuilds as well as on disk), so a preview can never differ from a build.
"""
from __future__ import annotations

import logging
import re
import sysconfig
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..build import BuildOptions, build
from ..diagnostics import Diagnostic
from ..model import Site
from ..output import SiteFiles
from ..speed import CachedSpeed
from ..speed.store import Store

log = logging.getLogger(__name__)
PAGE_SUFFIX = "index.html"


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    pages: int = 0  # pages in the site
    rendered: int = 0  # pages rendered anew
    changed: frozenset[str] = frozenset()  # output paths whose bytes changed, appeared or went
    reload: frozenset[str] = frozenset()  # page URLs whose HTML changed ('*': every page)
    css: dict[str, str] = field(default_factory=dict)  # stylesheet URL -> its new URL
    seconds: float = 0.0
    crash: str | None = None  # traceback of an exception inside coursegen

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class LiveSite:
    """A project built in memory, drafts included, under '/'; `files` is the last good site."""

    OPTIONS = BuildOptions(base_url="/", drafts=True, write=False, search=False, publish=False)

    def __init__(self, project: Path):
        self.project = project.resolve()
        self.speed = CachedSpeed(self.project, store=Store(self.project, retain=True))
        self.files = SiteFiles()
        self.site: Site | None = None

    def rebuild(self, changed: Iterable[Path] = ()) -> Rebuild:
        """Bring the site up to date after `changed` files (paths in the project) changed."""
        started = time.perf_counter()
        try:
            report = build(self.project, self.OPTIONS, self.speed)
        except Exception:  # a bug in coursegen: show it, keep serving the last good site
            log.debug("rebuild crashed", exc_info=True)
            return Rebuild(False, crash=short_paths(traceback.format_exc()), seconds=time.perf_counter() - started)
        if not report.ok or report.site is None:
            return Rebuild(False, report.diagnostics, seconds=time.perf_counter() - started)
        moved = _changed(self.files, report.files, {Path(p) for p in changed})
        result = Rebuild(True, report.diagnostics, report.pages, report.rendered, frozenset(moved),
                         _reloads(report.site, moved),
                         _stylesheet_moves(report.site, self.files, report.files) if self.files.data else {},
                         time.perf_counter() - started)
        self.files, self.site = report.files, report.site
        return result


_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder that holds coursegen/
_FRAME = re.compile(r'File "([^"]+)"')


def short_paths(text: str) -> str:
    """A traceback with each frame's file relative to where Python found its package (`coursegen/build.py`,
    `jinja2/environment.py`): the page shows no absolute paths of this machine."""
    roots = sorted({_PACKAGE_ROOT, *(sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib"))},
                   key=len, reverse=True)

    def short(match: re.Match[str]) -> str:
        path = match.group(1)
        for root in roots:
            if path.startswith(root.rstrip("/") + "/"):
                return f'File "{path[len(root.rstrip("/")) + 1:]}"'
        return f'File "{Path(path).name}"'

    return _FRAME.sub(short, text)


def _changed(old: SiteFiles, new: SiteFiles, edited: set[Path]) -> set[str]:
    """Output paths whose bytes differ between two sites (a copied file differs when its source was edited)."""
    found = {p for p in old.data.keys() | new.data.keys() if old.data.get(p) != new.data.get(p)}
    found |= {p for p in old.copies.keys() | new.copies.keys()
              if old.copies.get(p) != new.copies.get(p) or new.copies.get(p) in edited}
    return found


def _reloads(site: Site, changed: set[str]) -> frozenset[str]:
    """The page URLs to reload: those of changed pages, or '*' when another kind of file changed."""
    urls = set()
    for path in changed:
        if path.endswith(".html"):
            urls.add(site.url(path.removesuffix(PAGE_SUFFIX)))
        elif not path.endswith((".css", ".xml", ".txt")):
            return frozenset({"*"})
    return frozenset(urls)


def _stylesheet_moves(site: Site, old: SiteFiles, new: SiteFiles) -> dict[str, str]:
    """Old URL -> new URL of every stylesheet whose content-hashed name changed."""
    def by_name(files: SiteFiles) -> dict[str, str]:
        found = {}
        for path in files.data:
            if path.startswith("static/") and path.endswith(".css"):
                stem, _, rest = path.rpartition(".")[0].rpartition(".")
                found[stem or rest] = path
        return found

    before, after = by_name(old), by_name(new)
    return {site.url(before[n]): site.url(after[n]) for n in before.keys() & after.keys() if before[n] != after[n]}
