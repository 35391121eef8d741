"""build(project, options) -> BuildReport: the pipeline, load -> parse -> model -> render -> check -> write."""
from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from jinja2 import TemplateError
from markdown_it import MarkdownIt

from .config import base_url_problem
from .content import ContentSource, ModuleFile, load_content, project_files, project_problem
from .diagnostics import Diagnostic, Diagnostics, UsageError
from .linkcheck import PageScan, check_links, scan_page
from .localize import localize, site_messages
from .markdown import make_markdown
from .model import Site
from .outline import Outline, build_outline
from .output import SiteFiles, Staging, check_output_folder, output_lock, recover
from .parse import ParsedModule, parse_module
from .publish.offline import WORKER, write_offline
from .publish.search import SearchIndexError, index_site
from .publish.seo import Publishing, origin_warning, prepare_publishing
from .render import Page, Renderer, pages, render_extras
from .seam import NoSpeed, Parsed, RenderedPage, Speed
from .staticfiles import StaticFile, collect_static, widget_names
from .templates import make_environment, template_diagnostic
from .translations import translation_gaps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    out: Path | None = None  # default: PROJECT/build
    base_url: str | None = None  # overrides site.yaml base_url
    drafts: bool = False
    write: bool = True  # False: validate and render in memory only (check, serve)
    strict: bool = False  # warnings count as errors (e.g. in CI)
    search: bool = True  # index the written site with Pagefind
    reuse: bool = False  # when no input changed since the last build into `out`, keep it as it is
    cache: bool = True  # False (--no-cache): no speed-ups, nothing read from or written to .coursegen-cache/
    report: bool = False  # add the author's alignment report, report/index.html (coursegen report --html)
    wait: bool = False  # another build is writing `out`: wait for it (else UsageError)
    publish: bool = True  # the pages go on the web: warn when their origin is unknown (False: serve, export)
    offline: bool = True  # a written site gets a service worker and "Make available offline" (publish/offline.py)
    packaged: bool = False  # pages for an LMS package (publish/lms): one course, no search box, no other languages


@dataclass(frozen=True)
class BuildReport:
    project: Path
    out: Path
    diagnostics: tuple[Diagnostic, ...] = ()
    site: Site | None = None
    files: SiteFiles = field(default_factory=SiteFiles)  # the site, in memory (pages as bytes, files to copy)
    pages: int = 0
    rendered: int = 0  # pages rendered anew; the others were kept from an earlier build
    seconds: float = 0.0
    up_to_date: bool = False  # `reuse` found nothing changed: the report is the last build's summary

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def build(project: Path | str, options: BuildOptions = BuildOptions(), speed: Speed | None = None) -> BuildReport:
    """Build the site of `project`. Content problems come back as diagnostics, never raised.

    Raises UsageError when `project` is not a project folder, an option is wrong or the output folder is
    unsafe to write.
    """
    started = time.perf_counter()
    project = Path(project).resolve()
    if problem := project_problem(project):
        raise UsageError(problem)
    out = (options.out or project / "build").resolve()
    if options.base_url is not None and (problem := base_url_problem(options.base_url)):
        raise UsageError(f"--base-url {problem}")
    if options.write:
        check_output_folder(project, out)
    with output_lock(out, options.wait) if options.write else nullcontext():  # one build at a time per output
        if options.write:
            recover(out)
        speed = speed or _speed_for(project, out, options)
        if options.reuse and (last := speed.unchanged()):
            return BuildReport(project, out, last.diagnostics, pages=last.pages, up_to_date=True,
                               seconds=time.perf_counter() - started)
        with _fewer_collections():
            report = _pipeline(project, out, options, speed)
    return replace(report, seconds=time.perf_counter() - started)


def _pipeline(project: Path, out: Path, options: BuildOptions, speed: Speed) -> BuildReport:
    diags, stages = Diagnostics(), _Stages()
    source = load_content(project, diags)
    static = collect_static(project, diags)
    project_files(project, project / "templates", diags)  # for its errors: no template read through a link out
    stages.done("load", _counted(source, static))
    md = make_markdown()
    parsed = _parse(source, md, widget_names(static), speed, diags)
    stages.done("parse")
    outline = build_outline(source, parsed, md, diags, base_url=options.base_url, drafts=options.drafts)
    stages.done("model")
    if outline is None:
        return BuildReport(project, out, tuple(diags.sorted()))
    content_errors = {(d.path, d.line) for d in diags.errors}  # any: a partial model, checked and never written
    write = options.write and not content_errors
    diags.extend(_origin(outline.site, options))
    messages = site_messages(project, outline.site, diags)
    site = localize(outline.site, messages)
    publishing = prepare_publishing(project, site, messages, static, draw=write, drawn=speed.folder("social-cards"))
    renderer = Renderer(make_environment(project), site, static,
                        publishing.seo.meta, publishing.seo.dates, messages,
                        worker=site.url(WORKER) if options.write and options.offline else None,
                        packaged=options.packaged)
    staging = Staging(project, out) if write else None
    all_pages = list(pages(site, messages, report=options.report))
    try:
        rendered = _render(renderer, all_pages, staging, speed, project)
        stages.done("render", f"{_fresh(rendered)} of {len(rendered)} pages rendered, the others kept from before")
        files = _site_files(rendered, all_pages, renderer, outline, static, publishing)
        problems = [r.problem for r in rendered if r.problem] + _replaced_pages(all_pages, outline)
        diags.extend(problems)
        if not problems:  # a page missing for a template error would break every link to it
            diags.extend(_link_problems(project, site, rendered, files.paths() | publishing.image_paths | outline.unbuilt,
                                        content_errors))
            stages.done("check links")
        if content_errors:  # a partial model's pages are only for the link check
            return BuildReport(project, out, _strict(diags.sorted(), options.strict))
        report = BuildReport(project, out, _strict(diags.sorted(), options.strict), site, files, len(rendered),
                             _fresh(rendered))
        if report.ok and staging is not None:
            report = _write(staging, files, report, options, speed)
            stages.done("write")
    finally:
        if staging is not None:
            staging.discard()
    return report


def _link_problems(project: Path, site: Site, rendered: Sequence[RenderedPage], known: set[str],
                   content_errors: set[tuple[str, int]]) -> list[Diagnostic]:
    """The link check's findings; after content errors, only those it can place at a line without one (the
    others are most likely the errors' consequences: one mistake, one message)."""
    scans = {r.path: r.scan for r in rendered if r.scan}
    found = check_links(project, site, scans, known, guess=not content_errors)
    return [d for d in found if (d.path, d.line) not in content_errors]


def _counted(source: ContentSource, static: Sequence[StaticFile]) -> str:
    return f"{sum(len(c.modules) for c in source.courses)} modules, {len(static)} static files"


def _fresh(rendered: Sequence[RenderedPage]) -> int:
    """How many pages were rendered anew (the others were kept from an earlier build)."""
    return sum(r.rendered for r in rendered)


def _origin(site: Site, options: BuildOptions) -> list[Diagnostic]:
    """The warning that pages get no absolute URLs, for a build or check of pages to publish."""
    warning = origin_warning(site) if options.publish else None
    return [warning] if warning else []


class _Stages:
    """Logs how long each stage of the pipeline took (coursegen -v shows it)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def done(self, stage: str, detail: str = "") -> None:
        now = time.perf_counter()
        log.debug("%s: %.0f ms%s", stage, (now - self.last) * 1000, f" ({detail})" if detail else "")
        self.last = now


def _speed_for(project: Path, out: Path, options: BuildOptions) -> Speed:
    if not options.cache:
        return NoSpeed()
    from .speed import CachedSpeed
    from .speed.store import Store
    if not options.write:  # check: whatever the cache knows, and nothing written there
        return CachedSpeed(project, store=Store(project, read_only=True))
    key = {"base_url": options.base_url, "drafts": options.drafts, "strict": options.strict, "search": options.search,
           "report": options.report, "offline": options.offline, "packaged": options.packaged}
    return CachedSpeed(project, out, key)


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


def _parse_one(md: MarkdownIt, widgets: frozenset[str], file: ModuleFile) -> Parsed:
    diags = Diagnostics()
    return parse_module(md, file, widgets, diags), tuple(diags.items)


def _parse(source: ContentSource, md: MarkdownIt, widgets: frozenset[str], speed: Speed,
           diags: Diagnostics) -> dict[str, ParsedModule | None]:
    """Every module file's parse, by project-relative path; its problems go to `diags`."""
    files = [module for course in source.courses for module in course.modules]
    results = speed.parse_modules(files, partial(_parse_one, md, widgets), sorted(widgets))
    for _, problems in results:
        diags.extend(problems)
    return {file.source.rel: parsed for file, (parsed, _) in zip(files, results)}


def _render(renderer: Renderer, all_pages: list[Page], staging: Staging | None, speed: Speed,
            project: Path) -> list[RenderedPage]:
    """Render, scan (and when building, write) every page, through speed (on every core, or kept from before)."""
    try:
        for name in sorted({page.template for page in all_pages}):
            renderer.env.get_template(name)  # compiled once, here, not in every worker
    except TemplateError as exc:
        return [RenderedPage("", problem=template_diagnostic(project, exc))]

    def keep(page: Page, data: bytes, scan: PageScan) -> RenderedPage:
        if staging is not None:
            staging.put(page.path, data)
        return RenderedPage(page.path, data, scan, written=staging is not None)

    def render(page: Page) -> RenderedPage:
        try:
            html = renderer.render_page(page)
        except TemplateError as exc:
            return RenderedPage(page.path, problem=template_diagnostic(project, exc))
        return replace(keep(page, html.encode(), scan_page(html)), rendered=True)

    return speed.pages(renderer, all_pages, render, keep)


def _site_files(rendered: Sequence[RenderedPage], all_pages: list[Page], renderer: Renderer, outline: Outline,
                static: Sequence[StaticFile], publishing: Publishing) -> SiteFiles:
    """Everything a build writes besides the pages already written: pages in memory, sitemap and robots.txt,
    the courses' assets, static files, social cards."""
    files = SiteFiles({r.path: r.data for r in rendered if r.scan and not r.written},
                      {asset.target: asset.source for asset in outline.assets})
    files.data.update({path: text.encode() for path, text in render_extras(renderer, all_pages).items()})
    files.data.update({f.target: f.data for f in static})
    files.data.update(publishing.images)
    return files


def _replaced_pages(all_pages: list[Page], outline: Outline) -> list[Diagnostic]:
    """An error for each file of a course that would land where coursegen writes a page, names compared as
    file systems that ignore case compare them (macOS's and Windows', where 'Print/index.html' is the print page)."""
    paths = {page.path.casefold(): page.path for page in all_pages}
    found = [(asset.target, paths[asset.target.casefold()]) for asset in outline.assets
             if asset.target.casefold() in paths]
    return [Diagnostic(f"content/{target}", 1, f"this file would replace the page {page} that coursegen makes"
                       f"{'' if target == page else ' (on file systems that ignore case, as on macOS and Windows)'}"
                       "; rename it or move it to another folder") for target, page in found]


def _write(staging: Staging, files: SiteFiles, report: BuildReport, options: BuildOptions,
           speed: Speed) -> BuildReport:
    """Finish the site in the staging folder (files, search index, offline manifests), swap it in, and tell speed."""
    def finish(folder: Path) -> None:
        if options.search:
            index_site(folder, kept=speed.folder("search"))
        if options.offline and report.site is not None:
            write_offline(folder, report.site)

    try:
        staging.commit(files, finish=finish)
    except SearchIndexError as exc:
        problem = Diagnostic(report.out.name, 1, f"search index: {exc}")
        return replace(report, diagnostics=(*report.diagnostics, problem))
    speed.built(report.pages, report.diagnostics)
    return report


def _strict(found: list[Diagnostic], strict: bool) -> tuple[Diagnostic, ...]:
    if not strict:
        return tuple(found)
    return tuple(replace(d, severity="error", message=f"{d.message} (a warning; --strict makes it an error)")
                 if d.severity == "warning" else d for d in found)


def check(project: Path | str, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Validate content, links and assets and render every page in memory; write nothing. The same problems
    as a build with the same options, and warnings of the modules and cards a translation lacks."""
    report = build(project, replace(options, write=False))
    gaps = translation_gaps(report.site.courses) if report.site else []
    return replace(report, diagnostics=_strict([*report.diagnostics, *gaps], options.strict)) if gaps else report
