"""Everything that only makes builds faster, behind the seam of seam.py: build() gives the same bytes without it.

CachedSpeed keeps parsed modules in the content-addressed store (.coursegen-cache/v2/), parses the
modules it does not find there and renders pages on every core, and remembers each build's inputs so
that `coursegen build` can tell when nothing changed.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..content import ModuleFile
from ..diagnostics import Diagnostic
from ..render import Page, Renderer
from ..seam import Keep, LastBuild, Parsed, Render, RenderedPage
from . import record
from .codec import CodecError, decode, encode
from .pages import PAGES, PageKeys, decode_page, encode_page, reuse_possible
from .store import Store, cache_folder, code_digest, digest
from .workers import fork_map

T = TypeVar("T")
R = TypeVar("R")
MODULES = "module"  # store kind: a module file's Parsed, by module_key


def module_key(file: ModuleFile, inputs: object) -> str:
    return digest(code_digest(), inputs, file.source.rel, file.number, file.slug, file.source.text.encode())


class CachedSpeed:
    """The store, the workers and the build record of one project (and one output folder, when writing)."""

    def __init__(self, project: Path, out: Path | None = None, options: Any = None, store: Store | None = None):
        self.project, self.out = project, out
        self.store = store or Store(project)
        self.fingerprint = record.fingerprint(project, out, options) if out else None  # inputs as the build starts

    def parse_modules(self, files: Sequence[ModuleFile], parse: Callable[[ModuleFile], Parsed],
                      inputs: object) -> list[Parsed]:
        keys = [module_key(file, inputs) for file in files]
        found: list[Parsed | None] = [self._recall(key) for key in keys]
        misses = [n for n, result in enumerate(found) if result is None]

        def parse_and_store(n: int) -> Parsed:  # in a worker: the store's write too
            result = parse(files[n])
            self.store.put(MODULES, keys[n], encode(result))
            return result

        for n, result in zip(misses, fork_map(parse_and_store, misses)):
            found[n] = result
        self.store.prune(MODULES, set(keys))
        return found  # type: ignore[return-value]  # every None was replaced

    def _recall(self, key: str) -> Parsed | None:
        data = self.store.get(MODULES, key)
        if data is None:
            return None
        try:
            return decode(data, Parsed)  # type: ignore[no-any-return]
        except CodecError:
            return None

    def map(self, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return fork_map(work, items)

    def pages(self, renderer: Renderer, pages: Sequence[Page], render: Render, keep: Keep) -> list[RenderedPage]:
        if not reuse_possible(self.project):
            return fork_map(render, pages)
        key_of = PageKeys(renderer)
        keys = [key_of(page) for page in pages]
        found: list[RenderedPage | None] = []
        misses = []
        for page, key in zip(pages, keys):
            kept = decode_page(data) if (data := self.store.get(PAGES, key)) is not None else None
            found.append(keep(page, *kept) if kept else None)
            if not kept:
                misses.append((page, key))

        def render_and_store(item: tuple[Page, str]) -> RenderedPage:  # in a worker: the store's write too
            done = render(item[0])
            if done.scan is not None:
                self.store.put(PAGES, item[1], encode_page(done.data, done.scan))
            return done

        fresh = iter(fork_map(render_and_store, misses))
        self.store.prune(PAGES, set(keys))
        return [done if done is not None else next(fresh) for done in found]

    def folder(self, name: str) -> Path | None:
        if not self.store.persistent or self.store.read_only:
            return None
        return cache_folder(self.project, name)

    def unchanged(self) -> LastBuild | None:
        last = record.load(self.project, self.out) if self.out and self.fingerprint else None
        if not last or last.get("fingerprint") != self.fingerprint:
            return None
        if last.get("manifest") != record.manifest(self.out):  # type: ignore[arg-type]
            return None
        try:
            return LastBuild(int(last["pages"]), tuple(Diagnostic(*d) for d in last["diagnostics"]))
        except (KeyError, TypeError, ValueError):
            return None

    def built(self, pages: int, diagnostics: Sequence[Diagnostic]) -> None:
        if self.out is None or self.fingerprint is None or not self.store.persistent:
            return
        record.save(self.project, self.out, {
            "fingerprint": self.fingerprint, "pages": pages, "manifest": record.manifest(self.out),
            "diagnostics": [[d.path, d.line, d.message, d.severity] for d in diagnostics]})
