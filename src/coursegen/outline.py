"""Sources -> model: ordering, URLs, prev/next, previews, link targets and Markdown HTML."""
from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from .config import CourseConfig, SiteConfig, read_course_config, read_site_config
from .content import ContentSource, CourseSource, ModuleFile, SourceFile
from .diagnostics import Diagnostics
from .markdown import plain_text, render_tokens, yaml_inline, yaml_text
from .model import Card, Course, Link, Module, Site
from .parse import ParsedModule, parse_module
from .preview import cut_preview
from .yamlsource import YamlDoc, YamlProblem, parse_yaml

RESERVED_SLUGS = frozenset({"print", "static", "pagefind", "images", "assets", "widgets"})
WORDS_PER_MINUTE = 200
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|file|data(?!:image/(png|gif|jpeg|webp);)):", re.IGNORECASE)


@dataclass(frozen=True)
class Asset:
    source: Path  # absolute path of the file in content/
    target: str  # site-relative output path ('how-llms-work/images/x.svg')


@dataclass(frozen=True)
class Outline:
    site: Site
    assets: tuple[Asset, ...]


def _load_yaml(source: SourceFile, diags: Diagnostics) -> YamlDoc | None:
    try:
        return parse_yaml(source.text)
    except YamlProblem as problem:
        diags.error(source.rel, problem.line, problem.message)
        return None


class OutlineMemo(Protocol):
    """Keeps the two costly, pure steps between builds (serve's incremental rebuilds).

    `parse` stands in for parse_module; `module` returns `make(targets, diags)`'s Module, or
    a kept one when `key` and every link resolution `make` did are unchanged.
    """

    def parse(self, md: MarkdownIt, file: ModuleFile, widgets: frozenset[str],
              diags: Diagnostics) -> ParsedModule | None: ...

    def module(self, parsed: ParsedModule, key: tuple, targets: _Targets, diags: Diagnostics,
               make: Callable[[_Targets, Diagnostics], Module]) -> Module: ...


@dataclass
class _CourseDraft:
    source: CourseSource
    config: CourseConfig
    doc: YamlDoc
    modules: list[ParsedModule]


class _Targets:
    """Every page and file a link may point at, keyed by content-relative path."""

    def __init__(self, site_base: str):
        self.base = site_base
        self.pages: dict[str, tuple[str, frozenset[str]]] = {}  # 'course/01-x.md' -> (url, anchors)
        self.files: dict[str, str] = {}  # 'course/images/a.svg' -> url
        self.drafts: set[str] = set()

    def resolve(self, href: str, from_dir: str, own_anchors: frozenset[str], kind: str) -> tuple[str, str | None]:
        """(url, problem) for an author's href written in a file in `from_dir` (content-relative)."""
        if _UNSAFE_URL.match(href):
            return "", (f"'{href}' is not allowed here: links may not run scripts or open local files; "
                        "use an http(s) link or a file of the course")
        if _SCHEME.match(href) or href.startswith("//"):
            return href, None
        path, _, fragment = href.partition("#")
        if not path:
            if fragment and fragment not in own_anchors:
                return href, f"link to '#{fragment}': no card or heading with that id on this page"
            return href, None
        if href.startswith("/"):
            return href, f"'{href}' is an absolute path; link relative to this file so it works under any base URL"
        target = posixpath.normpath(posixpath.join(from_dir, path.split("?")[0]))
        if target.startswith("../") or target == "..":
            return href, f"'{href}' points outside content/; keep linked files inside the course folder"
        if target in self.pages:
            url, anchors = self.pages[target]
            if fragment and fragment not in anchors:
                return href, f"link to '{path}#{fragment}': that module has no card or heading with id '{fragment}'"
            return url + (f"#{fragment}" if fragment else ""), None
        if target in self.drafts:
            return href, f"'{path}' is a draft; it is not published, so this link would break (build with --drafts to preview)"
        if target.endswith(".md"):
            return href, f"link to '{path}': no such module"
        if target in self.files:
            return self.files[target] + (f"#{fragment}" if fragment else ""), None
        what = "image" if kind == "image" else "file"
        return href, f"{what} '{path}' not found (looked for content/{target})"


class RecordingTargets:
    """Stands in for the link targets and remembers every resolution asked of it.

    Serve and the parallel build use the recorded calls to tell when a cached module would
    now resolve its links differently.
    """

    def __init__(self, targets: _Targets):
        self.targets, self.calls = targets, []

    def resolve(self, *args: Any) -> Any:
        result = self.targets.resolve(*args)
        self.calls.append((args, result))
        return result


class _Builder:
    def __init__(self, source: ContentSource, md: MarkdownIt, diags: Diagnostics,
                 widgets: frozenset[str], memo: OutlineMemo | None = None):
        self.source, self.md, self.diags, self.widgets = source, md, diags, widgets
        self.parse = memo.parse if memo else parse_module

    def site_config(self) -> SiteConfig | None:
        if self.source.site is None:
            return None
        doc = _load_yaml(self.source.site, self.diags)
        if doc is None:
            return None
        self.site_doc = doc
        return read_site_config(doc, self.source.site.rel, self.diags)

    def course_drafts(self) -> list[_CourseDraft]:
        drafts = []
        for course in self.source.courses:
            if course.config is None:
                continue
            doc = _load_yaml(course.config, self.diags)
            config = read_course_config(doc, course.config.rel, self.diags) if doc else None
            self._check_module_files(course)
            modules = [self.parse(self.md, m, self.widgets, self.diags) for m in course.modules]
            parsed = [m for m in modules if m is not None]
            if config is not None and doc is not None:
                if config.status == "planned" and course.modules:
                    self.diags.warning(course.config.rel, doc.line("status"),
                                       "this course is planned, so its module files are not published")
                drafts.append(_CourseDraft(course, config, doc, parsed))
        return drafts

    def _check_module_files(self, course: CourseSource) -> None:
        numbers: dict[int, str] = {}
        slugs: dict[str, str] = {}
        top_assets = {a.split("/")[0] for a in course.assets}
        for module in course.modules:
            rel = module.source.rel
            if module.number in numbers:
                self.diags.error(rel, 1, f"module number {module.number:02d} is also used by "
                                 f"{numbers[module.number]}; give each module its own number")
            numbers.setdefault(module.number, rel)
            if module.slug in slugs:
                self.diags.error(rel, 1, f"module slug '{module.slug}' is also used by {slugs[module.slug]}; "
                                 "two modules cannot share a URL")
            slugs.setdefault(module.slug, rel)
            if module.slug in RESERVED_SLUGS or module.slug in top_assets:
                self.diags.error(rel, 1, f"module slug '{module.slug}' clashes with a reserved name or an "
                                 "asset folder of the course; rename the file")


def _ordered(drafts: list[_CourseDraft], config: SiteConfig, builder: _Builder) -> list[_CourseDraft]:
    by_slug = {d.source.slug: d for d in drafts}
    if config.courses is None:
        return sorted(drafts, key=lambda d: d.source.slug)
    ordered = []
    site_rel = builder.source.site.rel if builder.source.site else "content/site.yaml"
    for index, slug in enumerate(config.courses):
        if slug in by_slug:
            ordered.append(by_slug[slug])
        elif slug not in {c.slug for c in builder.source.courses}:
            known = ", ".join(sorted(by_slug)) or "none"
            builder.diags.error(site_rel, builder.site_doc.line("courses", index),
                                f"course '{slug}' is listed in 'courses' but content/{slug}/ does not exist "
                                f"(courses found: {known})")
    for slug in sorted(set(by_slug) - set(config.courses)):
        builder.diags.warning(by_slug[slug].source.config.rel, 1,  # type: ignore[union-attr]
                              f"course '{slug}' is not listed in site.yaml 'courses', so it is not published")
    return ordered


def _base(config: SiteConfig, override: str | None) -> tuple[str, str, str]:
    base_url = override or config.base_url
    if not base_url.endswith("/"):
        base_url += "/"
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
    return base_url, parts.path or "/", origin


def build_outline(source: ContentSource, md: MarkdownIt, diags: Diagnostics, *,
                  base_url: str | None = None, drafts: bool = False,
                  widgets: frozenset[str] = frozenset(), memo: OutlineMemo | None = None) -> Outline | None:
    """Turn loaded sources into the site model; None when content errors prevent it."""
    builder = _Builder(source, md, diags, widgets, memo)
    config = builder.site_config()
    course_drafts = builder.course_drafts()
    if config is None or diags.errors:
        return None
    base, base_path, origin = _base(config, base_url)
    ordered = _ordered(course_drafts, config, builder)
    targets = _Targets(base_path)
    published: dict[str, list[ParsedModule]] = {}
    assets: list[Asset] = []
    for draft in ordered:
        slug = draft.source.slug
        course_url = f"{base_path}{slug}/"
        if draft.config.status == "planned":
            continue
        visible = [m for m in draft.modules if drafts or not m.meta.draft]
        published[slug] = visible
        for module in draft.modules:
            key = f"{slug}/{module.file.source.rel.rsplit('/', 1)[-1]}"
            if module in visible:
                targets.pages[key] = (f"{course_url}{module.file.slug}/", module.anchors)
            else:
                targets.drafts.add(key)
        for asset in draft.source.assets:
            targets.files[f"{slug}/{asset}"] = course_url + asset
            assets.append(Asset(source.root / slug / asset, f"{slug}/{asset}"))
    courses = tuple(_course(d, published.get(d.source.slug, []), ordered, targets, config, base_path, md, diags,
                            memo) for d in ordered)
    if diags.errors:
        return None
    site = Site(config.title, config.description, base, base_path, origin, config.language,
                config.organization, config.preview_length, courses, drafts, config.offer_category)
    return Outline(site, tuple(assets))


def _course(draft: _CourseDraft, modules: list[ParsedModule], ordered: list[_CourseDraft],
            targets: _Targets, config: SiteConfig, base_path: str, md: MarkdownIt,
            diags: Diagnostics, memo: OutlineMemo | None = None) -> Course:
    slug, rel = draft.source.slug, draft.source.config.rel  # type: ignore[union-attr]
    planned = draft.config.status == "planned"
    url = f"{base_path}#course-{slug}" if planned else f"{base_path}{slug}/"
    by_slug = {d.source.slug: d for d in ordered}
    next_links = []
    for index, next_slug in enumerate(draft.config.next):
        target = by_slug.get(next_slug)
        if target is None:
            diags.error(rel, draft.doc.line("next", index), f"'next' names course '{next_slug}', "
                        "which does not exist or is not listed in site.yaml 'courses'")
            continue
        planned_target = target.config.status == "planned"
        next_links.append(Link(target.config.title, f"{base_path}#course-{next_slug}" if planned_target
                               else f"{base_path}{next_slug}/"))

    def markdown(key: str, text: str | None) -> str | None:
        if text is None:
            return None
        line = draft.doc.line(key)

        def resolve(href: str, _line: int, kind: str) -> str:
            url_, problem = targets.resolve(href, slug, frozenset(), kind)
            if problem:
                diags.error(rel, line, problem)
            return url_

        with yaml_text(md):
            return render_tokens(md, md.parse(text), {"resolve": resolve, "id_prefix": f"{slug}-{key}"})

    built = tuple(_memo_module(memo, m, i, modules, slug, targets, config, url, md, diags)
                  for i, m in enumerate(modules))
    description_html = markdown("description", draft.config.description) or ""
    return Course(slug, draft.config.title, draft.config.tagline, description_html,
                  plain_text(md.parse(draft.config.description)), markdown("why", draft.config.why),
                  draft.config.level, draft.config.status, tuple(next_links), built, url, rel)


def _memo_module(memo: OutlineMemo | None, parsed: ParsedModule, index: int, siblings: list[ParsedModule],
                 course_slug: str, targets: _Targets, config: SiteConfig, course_url: str, md: MarkdownIt,
                 diags: Diagnostics) -> Module:
    """_module, through the memo when there is one. The key lists everything _module reads
    besides `parsed` and link resolutions: keep it in step with _module."""
    if memo is None:
        return _module(parsed, index, siblings, course_slug, targets, config, course_url, md, diags)
    near = [siblings[i] if 0 <= i < len(siblings) else None for i in (index - 1, index + 1)]
    key = (index, course_slug, course_url, config.preview_length,
           *((m.meta.title, m.file.slug) if m else None for m in near))
    return memo.module(parsed, key, targets, diags, lambda t, d: _module(
        parsed, index, siblings, course_slug, t, config, course_url, md, d))


def _module(parsed: ParsedModule, index: int, siblings: list[ParsedModule], course_slug: str,
            targets: _Targets, config: SiteConfig, course_url: str, md: MarkdownIt,
            diags: Diagnostics) -> Module:
    rel = parsed.file.source.rel
    url = f"{course_url}{parsed.file.slug}/"

    def resolve(href: str, line: int, kind: str) -> str:
        url_, problem = targets.resolve(href, course_slug, parsed.anchors, kind)
        if problem:
            diags.error(rel, line, problem)
        return url_

    def html(tokens: tuple, prefix: str) -> str:
        return render_tokens(md, tokens, {"resolve": resolve, "id_prefix": prefix, "widgets": widgets})

    widgets: set[str] = set()
    meta = parsed.meta
    cards = []
    for n, card in enumerate(parsed.cards):
        card_meta = meta.cards[n] if meta.cards else None
        visual = card_meta.visual if card_meta else None
        if visual:
            visual = resolve(visual, card_meta.line, "image")  # type: ignore[union-attr]
        preview = (card_meta.preview if card_meta and card_meta.preview
                   else cut_preview(card.text, config.preview_length))
        cards.append(Card(card.id, card.title, md.renderer.render(list(card.title_tokens), md.options, {}),
                          html(card.tokens, card.id), preview, f"{url}#{card.id}", visual,
                          card_meta.alt if card_meta else None))
    intro_html = html(parsed.intro, "intro")
    minutes = meta.minutes or max(1, math.ceil(parsed.word_count / WORDS_PER_MINUTE))
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return Module(
        slug=parsed.file.slug, number=parsed.file.number, title=meta.title, summary=meta.summary,
        goals=meta.goals, goals_html=tuple(yaml_inline(md, g) for g in meta.goals), minutes=minutes,
        draft=meta.draft, intro_html=intro_html, cards=tuple(cards),
        sources_html=tuple(yaml_inline(md, s) for s in meta.sources), url=url, source=rel,
        course_slug=course_slug, position=index + 1,
        previous=Link(previous.meta.title, f"{course_url}{previous.file.slug}/") if previous else None,
        next=Link(following.meta.title, f"{course_url}{following.file.slug}/") if following else None,
        widgets=tuple(sorted(widgets)), word_count=parsed.word_count,
    )
