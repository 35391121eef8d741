"""build(project, options) -> BuildReport: the one orchestrator of load, parse, model, render, write."""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from jinja2 import TemplateError

from . import cache, pagecache
from .config import base_url_problem
from .content import load_content
from .diagnostics import Diagnostic, Diagnostics, UsageError
from .linkcheck import PageScan, check_links, scan_page
from .markdown import make_markdown
from .model import Site
from .outline import Outline
from .output import SiteFiles, Staging, check_output_folder, recover
from .parallel import fork_map, parallel_outline
from .render import Page, Renderer, pages, render_extras
from .search import SearchIndexError, index_site
from .seo import Publishing, prepare_publishing
from .staticfiles import StaticFile, collect_static, widget_names
from .templates import make_environment

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    out: Path | None = None  # default: PROJECT/build
    base_url: str | None = None  # overrides site.yaml base_url
    drafts: bool = False
    write: bool = True  # False: validate and render in memory only (coursegen check)
    progress: Progress | None = None
    strict: bool = False  # warnings count as errors (e.g. in CI)
    search: bool = True  # index the written site with Pagefind (serve may turn it off for speed)
    reuse: bool = False  # when no input changed since the last build into `out`, keep it as it is


@dataclass
class BuildReport:
    project: Path
    out: Path
    site: Site | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: SiteFiles = field(default_factory=SiteFiles)
    pages: int = 0
    rendered: int = 0  # pages rendered anew; the others were kept from the last build (see pagecache)
    seconds: float = 0.0
    up_to_date: bool = False  # `reuse` found nothing changed: the report is the last build's summary

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def template_diagnostic(project: Path, exc: TemplateError) -> Diagnostic:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    path = Path(name)
    rel = path.relative_to(project).as_posix() if path.is_absolute() and path.is_relative_to(project) else str(name)
    return Diagnostic(rel, getattr(exc, "lineno", None) or 1, f"template error: {exc.message or exc}")


def build(project: Path | str, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Build the site of `project`. Content problems come back as diagnostics, never raised.

    Raises UsageError when the output folder is unsafe to write.
    """
    started = time.perf_counter()
    project = Path(project).resolve()
    with _fewer_collections():
        report = _build(project, (options.out or project / "build").resolve(), options)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often: a build makes millions of objects that live until it ends
    (parsed Markdown), and each full collection walks them all (1.4 s of 2000 modules' build)."""
    before = gc.get_threshold()
    gc.set_threshold(20_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(project: Path, out: Path, options: BuildOptions) -> BuildReport:
    report = BuildReport(project, out)
    if options.base_url is not None and (problem := base_url_problem(options.base_url)):
        raise UsageError(f"--base-url {problem}")
    inputs = store = None
    if options.write:
        check_output_folder(project, out)
        recover(out)
        store = cache.Store(project)
        inputs = cache.scan_inputs(project, out, _options_key(options), store)
        if options.reuse and (fresh := cache.fresh_build(project, out, inputs.fingerprint)):
            report.up_to_date, report.pages = True, fresh.pages
            report.diagnostics = [Diagnostic(*d) for d in fresh.diagnostics]
            return report
    diags = Diagnostics()
    source = load_content(project, diags, texts=cache.stored_texts(store, inputs) if store and inputs else None)
    static = collect_static(project, store)
    md = make_markdown()
    outline = parallel_outline(source, md, diags, base_url=options.base_url, drafts=options.drafts,
                               widgets=widget_names(static), store=store)
    report.diagnostics = diags.sorted()
    if outline is None or diags.errors:
        return report
    _render_and_write(project, out, outline, static, store, inputs, options, report)
    return report


def _render_and_write(project: Path, out: Path, outline: Outline, static: tuple[StaticFile, ...],
                      store: cache.Store | None, inputs: cache.Inputs | None, options: BuildOptions,
                      report: BuildReport) -> None:
    """Render the pages (keeping those the last build wrote that are unchanged), check their links, and
    write the site when building; problems land in `report`."""
    site = outline.site
    publishing = prepare_publishing(project, site, static, draw=options.write)
    compiled = cache.folder(project, "templates") if options.write else None
    renderer = Renderer(make_environment(project, compiled), site, static, publishing.seo)
    all_pages = list(pages(site))
    key_of = pagecache.PageKeys(renderer) if store and pagecache.reuse_possible(project) else None
    last = pagecache.last_pages(project, out, store) if store and key_of else None
    keys = {page.path: key_of(page) for page in all_pages} if key_of and last and last.keys else {}
    staging = Staging(project, out) if options.write else None
    try:
        try:
            kept = _keep_pages(all_pages, staging, keys, last)
            rendered = _render_pages(renderer, [p for p in all_pages if p.path not in kept], staging,
                                     options.progress, key_of if key_of and not keys else None)
            keys = keys or {path: done.key for path, done in rendered.items() if done.key}
        except TemplateError as exc:
            report.diagnostics.append(template_diagnostic(project, exc))
            return
        extras = {path: text.encode() for path, text in render_extras(renderer, all_pages).items()}
        unwritten = {path: done.data for path, done in rendered.items() if done.data is not None}
        files = site_files({**unwritten, **extras}, outline, static, publishing)
        scans = {page.path: kept[page.path] if page.path in kept else rendered[page.path].scan
                 for page in all_pages}
        report.site, report.files = site, files
        report.diagnostics += _publishing_checks(project, site, scans, files.paths() | publishing.image_paths,
                                                 options)
        if options.strict:
            report.diagnostics = [_strict(d) for d in report.diagnostics]
        if report.ok:
            report.pages, report.rendered = len(all_pages), len(rendered)
        if report.ok and staging is not None and store is not None:
            _commit(staging, files, scans, report, inputs, options, keys, frozenset(kept))
            if report.ok and keys:
                pagecache.remember(store, keys, scans)
    finally:
        if staging is not None:
            staging.discard()


@dataclass(frozen=True)
class _Rendered:
    scan: PageScan  # what the link check needs of the page
    data: bytes | None  # the page, when it was not written yet (check, or no output folder)
    key: str | None = None  # its page key, when the worker computed it


def _keep_pages(all_pages: list[Page], staging: Staging | None, keys: dict[str, str],
                last: pagecache.LastPages | None) -> dict[str, PageScan]:
    """The pages kept as the last build wrote them (see pagecache), put in the staging folder: path -> scan."""
    kept: dict[str, PageScan] = {}
    if staging is None or last is None or not keys:
        return kept
    for page in all_pages:
        if scan := last.reusable(page.path, keys[page.path]):
            if not last.in_spare(staging.tmp, page.path, keys[page.path]):
                staging.put(page.path, last.out / page.path)
            kept[page.path] = scan
    return kept


def _render_pages(renderer: Renderer, fresh: list[Page], staging: Staging | None, progress: Progress | None,
                  key_of: pagecache.PageKeys | None) -> dict[str, _Rendered]:
    """Render `fresh` (on every core when there are many), scanning each page and writing it when building;
    with `key_of`, each page's key is computed there too."""
    for name in sorted({page.template for page in fresh}):
        renderer.env.get_template(name)  # compiled once, here, not in every worker
    work = _page_work(renderer, staging, key_of)
    return dict(zip((page.path for page in fresh), _each_page(fresh, work, progress)))


def _page_work(renderer: Renderer, staging: Staging | None,
               key_of: pagecache.PageKeys | None) -> Callable[[Page], _Rendered]:
    """What happens to each page where it is rendered: scanned for links, and written when building."""
    def work(page: Page) -> _Rendered:
        html = renderer.render_page(page)
        key = key_of(page) if key_of else None
        if staging is None:
            return _Rendered(scan_page(html), html.encode(), key)
        staging.put(page.path, html.encode())
        return _Rendered(scan_page(html), None, key)
    return work


def _each_page(all_pages: list[Page], work: Callable[[Page], T], progress: Progress | None) -> list[T]:
    """[work(page) for page in all_pages], on every core for large sites: a worker does the whole of a
    page's work (render, scan, write), so only what `work` returns travels back."""
    done = fork_map(work, all_pages)
    if done is not None:
        if progress:
            progress(len(all_pages), len(all_pages))
        return done
    done = []
    for count, page in enumerate(all_pages, 1):
        done.append(work(page))
        if progress:
            progress(count, len(all_pages))
    return done


def _commit(staging: Staging, files: SiteFiles, scans: dict[str, PageScan], report: BuildReport,
            inputs: cache.Inputs | None, options: BuildOptions, keys: dict[str, str], kept: frozenset[str]) -> None:
    """Finish the site in the staging folder (files, search index) and swap it in; record the build.
    `kept` are the pages put there as the last build wrote them (the search index need not read them)."""
    index = partial(index_site, previous=report.out, unchanged=kept) if options.search else None
    try:
        staging.commit(files, set(scans), finish=index)
    except SearchIndexError as exc:
        report.diagnostics.append(Diagnostic(report.out.name, 1, f"search index: {exc}"))
    if report.ok:
        cache.record_build(report.project, report.out, inputs, report.pages,
                           [(d.path, d.line, d.message, d.severity) for d in report.diagnostics], keys)


def site_files(pages: Mapping[str, bytes], outline: Outline, static: Sequence[StaticFile],
               publishing: Publishing) -> SiteFiles:
    """Everything a build writes: rendered pages, the courses' assets, static files, social cards."""
    files = SiteFiles(dict(pages), {asset.target: asset.source for asset in outline.assets})
    files.data.update({f.target: f.data for f in static})
    files.data.update(publishing.images)
    return files


def _options_key(options: BuildOptions) -> dict:
    return cache.options_key(options.base_url, options.drafts, options.strict, options.search)


def _publishing_checks(project: Path, site: Site, scans: dict[str, PageScan], known: set[str],
                       options: BuildOptions) -> list[Diagnostic]:
    """Links, anchors and assets of the rendered pages; `check` also warns when the origin is unknown."""
    found = check_links(project, site, scans, known)
    if not options.write and not site.origin:
        found.append(Diagnostic("content/site.yaml", 1, "base_url is a path, so pages get no absolute canonical "
                                "URL, og:url or social-card image; set base_url (or --base-url) to the full URL, "
                                "like https://example.org/courses/", "warning"))
    return found


def _strict(d: Diagnostic) -> Diagnostic:
    if d.severity != "warning":
        return d
    return replace(d, severity="error", message=f"{d.message} (a warning; --strict makes it an error)")


def check(project: Path | str, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Validate content, links and assets and render every page in memory; write nothing."""
    return build(project, replace(options, write=False, progress=None))
