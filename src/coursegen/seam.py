"""The one seam through which speed-ups reach the pipeline: the Speed protocol, and NoSpeed, which does nothing.

build() gives the same bytes whichever Speed it is handed: a Speed may only skip work whose result it
already knows (by a key over every input of that work) or spread work over processes.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from .content import ModuleFile
from .diagnostics import Diagnostic
from .linkcheck import PageScan
from .parse import ParsedModule
from .render import Page, Renderer

T = TypeVar("T")
R = TypeVar("R")
Parsed = tuple[ParsedModule | None, tuple[Diagnostic, ...]]  # a module file's parse and its problems


@dataclass(frozen=True)
class RenderedPage:
    path: str
    data: bytes = b""
    scan: PageScan | None = None  # what the link check needs of the page
    problem: Diagnostic | None = None  # a template error
    written: bool = False  # already in the staging folder
    rendered: bool = False  # rendered by this build (not kept from an earlier one)


Render = Callable[[Page], RenderedPage]  # render, scan (and when building, write) one page
Keep = Callable[[Page, bytes, PageScan], RenderedPage]  # the same for a page already rendered


@dataclass(frozen=True)
class LastBuild:
    """What a build into the same folder, with the same inputs, reported: nothing needs doing."""

    pages: int
    diagnostics: tuple[Diagnostic, ...]  # its warnings


class Speed(Protocol):
    def parse_modules(self, files: Sequence[ModuleFile], parse: Callable[[ModuleFile], Parsed],
                      inputs: object) -> list[Parsed]:
        """[parse(f) for f in files]; `inputs` is everything parse reads besides the file (JSON-able)."""

    def map(self, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """[work(item) for item in items]; `work` reports problems as values, never raises for content."""

    def pages(self, renderer: Renderer, pages: Sequence[Page], render: Render, keep: Keep) -> list[RenderedPage]:
        """[render(page) for page in pages], or keep(page, html, scan) for a page rendered before."""

    def folder(self, name: str) -> Path | None:
        """A folder for a library's own cache (social-card images, search-index parts), or None."""

    def unchanged(self) -> LastBuild | None:
        """The last build into this output folder, when no input changed since and its output is untouched."""

    def built(self, pages: int, diagnostics: Sequence[Diagnostic]) -> None:
        """The site was written: remember it for unchanged()."""


class NoSpeed:
    """Every step done in full, in this process; nothing read or written besides the site."""

    def parse_modules(self, files: Sequence[ModuleFile], parse: Callable[[ModuleFile], Parsed],
                      inputs: object) -> list[Parsed]:
        return [parse(file) for file in files]

    def map(self, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [work(item) for item in items]

    def pages(self, renderer: Renderer, pages: Sequence[Page], render: Render, keep: Keep) -> list[RenderedPage]:
        return [render(page) for page in pages]

    def folder(self, name: str) -> Path | None:
        return None

    def unchanged(self) -> LastBuild | None:
        return None

    def built(self, pages: int, diagnostics: Sequence[Diagnostic]) -> None:
        return None
