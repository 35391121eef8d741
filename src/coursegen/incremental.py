"""Incremental rebuilds for serve: keep the model in memory, redo only what a change touches.

Three caches, each checked rather than trusted, so a rebuild equals a fresh full build:
- course folders are re-read only when a stat signature (names, sizes, mtimes) differs;
- parsed modules are keyed by their text; built Module models by what _module reads
  (outline's key) plus the result of every link it resolved, re-asked of the new link targets;
- a page is re-rendered when a template it loaded changed, or when anything its templates read
  (recorded by pagedeps) differs in the new model.
"""
from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError
from markdown_it import MarkdownIt

from .build import site_files, template_diagnostic
from .content import CourseSource, ModuleFile, load_content, load_course
from .diagnostics import Diagnostic, Diagnostics
from .linkcheck import check_links, scan_page
from .markdown import make_markdown
from .model import Module, Site
from .outline import RecordingTargets, build_outline
from .output import SiteFiles
from .pagedeps import Groups, Reads, equal, group, same_object, track, unchanged
from .parse import ParsedModule, parse_module
from .render import Page, Renderer, pages, render_extras
from .seo import prepare_publishing
from .staticfiles import StaticFile, collect_static, widget_names
from .templates import make_environment

log = logging.getLogger(__name__)


@dataclass
class _Kept:
    key: Any
    value: Any
    diagnostics: tuple[Diagnostic, ...] = ()
    calls: tuple = ()  # ((resolve args), result) of a built Module


class ModelMemo:
    """The OutlineMemo of serve: parsed modules by text, Module models by inputs and resolutions."""

    def __init__(self) -> None:
        self.parsed: dict[str, _Kept] = {}
        self.modules: dict[str, _Kept] = {}
        self.parses = self.builds = 0  # work done, for the terminal line and tests

    def parse(self, md: MarkdownIt, file: ModuleFile, widgets: frozenset[str],
              diags: Diagnostics) -> ParsedModule | None:
        key = (file.source.text, file.number, file.slug, widgets)
        kept = self.parsed.get(file.source.rel)
        if kept is None or kept.key != key:
            local = Diagnostics()
            kept = _Kept(key, parse_module(md, file, widgets, local), tuple(local.items))
            self.parsed[file.source.rel] = kept
            self.parses += 1
        diags.items.extend(kept.diagnostics)
        return kept.value

    def module(self, parsed: ParsedModule, key: tuple, targets: Any, diags: Diagnostics,
               make: Callable[[Any, Diagnostics], Module]) -> Module:
        rel = parsed.file.source.rel
        kept = self.modules.get(rel)
        if (kept is None or kept.key[0] is not parsed or kept.key[1] != key
                or any(targets.resolve(*args) != result for args, result in kept.calls)):
            recorder, local = RecordingTargets(targets), Diagnostics()
            module = make(recorder, local)
            kept = _Kept((parsed, key), module, tuple(local.items), tuple(recorder.calls))
            self.modules[rel] = kept
            self.builds += 1
        diags.items.extend(kept.diagnostics)
        return kept.value

    def forget(self, keep: set[str]) -> None:
        """Drop what belongs to module files that no longer exist."""
        for cache in (self.parsed, self.modules):
            for rel in set(cache) - keep:
                del cache[rel]


def _signature(folder: Path) -> tuple:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + dirs:
            st = os.lstat(os.path.join(root, name))
            found.append((root, name, st.st_mode, st.st_size, st.st_mtime_ns))
    return tuple(found)


class CourseMemo:
    """A load_course that re-reads a course folder only when its stat signature changed."""

    def __init__(self) -> None:
        self.kept: dict[Path, _Kept] = {}
        self.loads = 0

    def load(self, project: Path, folder: Path, diags: Diagnostics) -> CourseSource:
        signature = _signature(folder)
        kept = self.kept.get(folder)
        if kept is None or kept.key != signature:
            local = Diagnostics()
            kept = _Kept(signature, load_course(project, folder, local), tuple(local.items))
            self.kept[folder] = kept
            self.loads += 1
        diags.items.extend(kept.diagnostics)
        return kept.value


def recording_environment(project: Path) -> Environment:
    """make_environment, plus `env.loaded`: the name of every template loaded since it was last cleared,
    and a `sameas` test that sees through pagedeps' proxies."""
    env = make_environment(project)
    env.tests["sameas"] = same_object
    env.loaded = set()  # type: ignore[attr-defined]
    load = env._load_template

    def recorded(name: Any, globals: Any) -> Any:
        env.loaded.add(getattr(name, "name", name))  # type: ignore[attr-defined]
        return load(name, globals)

    env._load_template = recorded  # type: ignore[method-assign]
    return env


@dataclass
class _PageState:
    context: dict[str, Any]
    reads: Groups
    templates: frozenset[str]
    url: str
    data: bytes
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class Rebuild:
    """What one rebuild did."""

    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rendered: int = 0  # pages rendered
    pages: int = 0  # pages in the site
    changed: set[str] = field(default_factory=set)  # output paths whose bytes changed, appeared or went
    reload: set[str] = field(default_factory=set)  # page URLs whose HTML changed ('*': every page)
    css: dict[str, str] = field(default_factory=dict)  # stylesheet URL -> its new URL
    seconds: float = 0.0
    crash: str | None = None  # traceback of an exception inside coursegen

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class IncrementalBuilder:
    """Builds a project in memory and rebuilds it after changes; `files` is the last good site."""

    def __init__(self, project: Path, base_url: str = "/", drafts: bool = True):
        self.project, self.base_url, self.drafts = project.resolve(), base_url, drafts
        self.md = make_markdown()
        self.files = SiteFiles()
        self._reset()

    def _reset(self) -> None:
        self.memo, self.courses = ModelMemo(), CourseMemo()
        self.static: tuple[StaticFile, ...] | None = None
        self.env: Environment | None = None
        self.stale_templates: set[str] | None = None  # None: every page
        self.states: dict[str, _PageState] = {}
        self.site: Site | None = None  # of the last good build
        self.interned: dict = {}  # equal read groups of different pages, kept as one object

    def rebuild(self, changed: Iterable[Path] = ()) -> Rebuild:
        """Bring the site up to date after `changed` files (paths in the project) changed."""
        started = time.perf_counter()
        try:
            result = self._rebuild({Path(p) for p in changed})
        except Exception:  # a bug in coursegen: show it, keep serving the last good site
            log.debug("rebuild crashed", exc_info=True)
            self._reset()
            result = Rebuild(False, crash=traceback.format_exc())
        result.seconds = time.perf_counter() - started
        return result

    def _note_changes(self, changed: set[Path]) -> None:
        parts = {p.relative_to(self.project).parts[0] for p in changed if p.is_relative_to(self.project)}
        if self.static is None or "static" in parts:
            self.static = collect_static(self.project)
        if self.env is None or "templates" in parts:
            self.env = recording_environment(self.project)
            names = {p.relative_to(self.project / "templates").as_posix() for p in changed
                     if p.is_relative_to(self.project / "templates")}
            if self.stale_templates is not None and self.states and all(Path(n).suffix for n in names):
                self.stale_templates |= names
            else:  # a folder of templates came or went: its files may not have had events of their own
                self.stale_templates = None

    def _rebuild(self, changed: set[Path]) -> Rebuild:
        self._note_changes(changed)
        assert self.static is not None and self.env is not None
        diags = Diagnostics()
        source = load_content(self.project, diags, self.courses.load)
        outline = build_outline(source, self.md, diags, base_url=self.base_url, drafts=self.drafts,
                                widgets=widget_names(self.static), memo=self.memo)
        self.memo.forget({m.source.rel for c in source.courses for m in c.modules})
        self.courses.kept = {k: v for k, v in self.courses.kept.items() if k.is_dir()}
        if outline is None or diags.errors:
            return Rebuild(False, diags.sorted())
        site = _interned(self.site, outline.site)
        publishing = prepare_publishing(self.project, site, self.static, draw=False)
        renderer = Renderer(self.env, site, self.static, publishing.seo)
        try:
            states, rendered = self._render_pages(renderer, site)
        except TemplateError as exc:
            return Rebuild(False, [*diags.sorted(), template_diagnostic(self.project, exc)])
        all_pages = list(pages(site))
        texts = render_extras(renderer, all_pages)
        page_data = {path: text.encode() for path, text in texts.items()}
        page_data.update({path: state.data for path, state in states.items()})
        files = site_files(page_data, outline, self.static, publishing)
        targets = files.paths() | publishing.image_paths
        for path in rendered:
            states[path].diagnostics = tuple(check_links(self.project, site, {path: scan_page(files.data[path].decode())},
                                                         targets))
        result = Rebuild(True, sorted({*diags.sorted(), *(d for s in states.values() for d in s.diagnostics)}),
                         rendered=len(rendered), pages=len(states))
        if result.errors:
            result.ok = False
            return result
        self._commit(result, site, states, files, changed)
        return result

    def _render_pages(self, renderer: Renderer, site: Site) -> tuple[dict[str, _PageState], list[str]]:
        states: dict[str, _PageState] = {}
        rendered: list[str] = []
        seen: dict = {}  # answers shared between pages; `contexts` keeps their objects (and ids) alive
        contexts = []
        for page in pages(site):
            old = self.states.get(page.path)
            if old is not None and old.context["page"] == page:
                page = old.context["page"]  # the same page: let identity prove it cheaply
            context = renderer.context(page)
            if old is not None:
                context = _reuse_equal(old.context, context)
            contexts.append(context)
            if old is not None and self._fresh(old, context, seen):
                states[page.path] = old
                continue
            states[page.path] = self._render(renderer.env, page, context)
            rendered.append(page.path)
        return states, rendered

    def _fresh(self, old: _PageState, context: dict[str, Any], seen: dict) -> bool:
        if self.stale_templates is None or not old.templates.isdisjoint(self.stale_templates):
            return False
        return unchanged(old.reads, old.context, context, seen)

    def _render(self, env: Environment, page: Page, context: dict[str, Any]) -> _PageState:
        reads: Reads = {}
        env.loaded.clear()  # type: ignore[attr-defined]
        text = env.get_template(page.template).render(track(context, reads))
        return _PageState(context, group(reads, self.interned), frozenset(env.loaded),  # type: ignore[attr-defined]
                          page.url, text.encode())

    def _commit(self, result: Rebuild, site: Site, states: dict[str, _PageState], files: SiteFiles,
                changed: set[Path]) -> None:
        old = self.files
        result.changed = {p for p in old.data.keys() | files.data.keys() if old.data.get(p) != files.data.get(p)}
        result.changed |= {p for p in old.copies.keys() | files.copies.keys()
                           if old.copies.get(p) != files.copies.get(p) or files.copies.get(p) in changed}
        urls = {path: state.url for path, state in {**self.states, **states}.items()}
        result.reload = {urls[p] for p in result.changed if p in urls}
        if any(p not in urls and not p.endswith((".css", ".xml", ".txt")) for p in result.changed):
            result.reload = {"*"}
        result.css = _stylesheet_moves(site, old, files) if old.data else {}
        self.states, self.files, self.stale_templates, self.site = states, files, set(), site


def _reuse_equal(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The new page context, holding the old value wherever it is equal (so identity proves it)."""
    return {name: old[name] if name in old and _same_value(old[name], value) else value
            for name, value in new.items()}


def _same_value(a: Any, b: Any) -> bool:
    return a is b or (not callable(a) and type(a) is type(b) and equal(a, b))


def _interned(old: Site | None, new: Site) -> Site:
    """`new`, reusing the old Course objects (and Site) that are equal, so identity proves sameness."""
    if old is None:
        return new
    kept = {course.slug: course for course in old.courses}
    courses = tuple(kept[c.slug] if kept.get(c.slug) == c else c for c in new.courses)
    new = replace(new, courses=courses)
    return old if new == old else new


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
