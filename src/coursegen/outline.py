"""Parsed modules -> the site model: order, URLs, prev/next, previews, resolved links, course Markdown."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt

from .alignment import AlignedModule, coverage_warnings
from .config import CardMeta, CourseConfig, SiteConfig, read_course_config, read_site_config
from .content import ContentSource, CourseSource, SourceFile
from .diagnostics import Diagnostics
from .glossary import GlossaryEntry, read_glossary
from .i18n import is_rtl
from .ids import slugify
from .imagesize import Size, add_sizes, sizes_of
from .links import LinkTargets, draft_only_files, fill
from .markdown import plain_text, render_tokens, yaml_text
from .model import Card, Check, Course, InstructorNote, Link, Module, Site, SiteTheme, Term
from .parse import ParsedCard, ParsedModule
from .preview import cut_preview
from .slugs import RESERVED_SLUGS, check_aliases
from .termlinks import course_glossary
from .themeconfig import site_theme
from .translations import TranslationClaim, link_translations
from .yamlsource import YamlDoc, YamlProblem, parse_yaml

WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Asset:
    source: Path  # absolute path of the file in content/
    target: str  # site-relative output path ('how-llms-work/images/x.svg')


@dataclass(frozen=True)
class Outline:
    site: Site
    assets: tuple[Asset, ...]
    unbuilt: frozenset[str] = frozenset()  # site paths of pages content errors left out (links to them unchecked)


def _load_yaml(source: SourceFile, diags: Diagnostics) -> YamlDoc | None:
    try:
        return parse_yaml(source.text)
    except YamlProblem as problem:
        diags.error(source.rel, problem.line, problem.message)
        return None


@dataclass
class _CourseDraft:
    source: CourseSource
    config: CourseConfig
    doc: YamlDoc
    modules: list[ParsedModule]


class _Builder:
    def __init__(self, source: ContentSource, parsed: Mapping[str, ParsedModule | None], diags: Diagnostics):
        self.source, self.parsed, self.diags = source, parsed, diags

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
            modules = [self.parsed.get(m.source.rel) for m in course.modules]
            parsed = [m for m in modules if m is not None]
            check_aliases(course, parsed, self.diags)
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


@dataclass(frozen=True)
class ModulePlace:
    """Where a module stands in its course: everything its Module depends on besides its parse and links."""

    course_slug: str
    course_url: str
    position: int  # 1-based
    previous: Link | None
    next: Link | None


def build_outline(source: ContentSource, parsed: Mapping[str, ParsedModule | None], md: MarkdownIt,
                  diags: Diagnostics, *, base_url: str | None = None, drafts: bool = False) -> Outline | None:
    """Turn loaded sources and their parsed modules (by project-relative path) into the site model; None
    when site.yaml's errors prevent it. After other content errors the model is partial: the pages that could be
    made (modules and courses with errors are left out, links to them unchecked), for the link check to report in
    the same pass; a partial model is never written."""
    builder = _Builder(source, parsed, diags)
    config = builder.site_config()
    course_drafts = builder.course_drafts()
    _warn_loose_files(source, config, diags)
    if config is None:
        return None
    return _outline(builder, config, course_drafts, md, diags, base_url, drafts)


def _outline(builder: _Builder, config: SiteConfig, course_drafts: list[_CourseDraft], md: MarkdownIt,
             diags: Diagnostics, base_url: str | None, drafts: bool) -> Outline:
    source = builder.source
    base, base_path, origin = _base(config, base_url)
    ordered = _ordered(course_drafts, config, builder)
    targets = LinkTargets(base_path)
    targets.files["site.yaml"] = base_path  # a link to the home page
    unbuilt = _unbuilt(builder, course_drafts, targets)
    published: dict[str, list[ParsedModule]] = {}
    assets: list[Asset] = []
    for draft in ordered:
        slug = draft.source.slug
        course_url = f"{base_path}{slug}/"
        targets.files[f"{slug}/course.yaml"] = course_url if draft.config.status != "planned" \
            else f"{base_path}#course-{slug}"  # a link to a course page; a planned one is on the home page
        if draft.config.status == "planned":
            continue
        published[slug] = [m for m in draft.modules if drafts or not m.meta.draft]
        assets += _register(draft, published[slug], course_url, targets, source.root)
    sizes = sizes_of({targets.files[a.target]: a.source for a in assets})
    theme, theme_assets = _theme(config, source, base_path, diags)
    courses = tuple(_course(d, published.get(d.source.slug, []), ordered, targets, sizes, config, base_path, md,
                            diags) for d in ordered)
    courses = _translated(courses, ordered, source, diags)
    site = Site(config.title, config.description, base, base_path, origin, config.language,
                config.organization, config.preview_length, courses, drafts, config.offer_category, theme)
    return Outline(site, (*assets, *theme_assets), unbuilt)


def _register(draft: _CourseDraft, visible: list[ParsedModule], course_url: str, targets: LinkTargets,
              root: Path) -> list[Asset]:
    """A course's modules and files as link targets; the files to publish (not those only drafts left out use)."""
    slug = draft.source.slug
    for module in draft.modules:
        key = f"{slug}/{module.rel.rsplit('/', 1)[-1]}"
        if module in visible:
            targets.pages[key] = (f"{course_url}{module.slug}/", module.anchors)
            if module.meta.draft:
                targets.shown_drafts.add(f"{course_url}{module.slug}/")
        else:
            targets.drafts.add(key)
    private = draft_only_files([m for m in draft.modules if m not in visible], visible)
    for asset in draft.source.assets:
        targets.files[f"{slug}/{asset}"] = course_url + quote(asset)  # 'bild ü.svg' -> 'bild%20%C3%BC.svg'
    return [Asset(root / slug / asset, f"{slug}/{asset}") for asset in draft.source.assets if asset not in private]


def _theme(config: SiteConfig, source: ContentSource, base_path: str, diags: Diagnostics
           ) -> tuple[SiteTheme, tuple[Asset, ...]]:
    """site.yaml's theme settings in the model, and the logo to copy."""
    theme, logo = site_theme(config.theme, source.root, base_path,
                             source.site.rel if source.site else "content/site.yaml", diags)
    return theme, (Asset(*logo),) if logo else ()


def _warn_loose_files(source: ContentSource, config: SiteConfig | None, diags: Diagnostics) -> None:
    """A warning for each file at the top of content/ that is not site.yaml's logo."""
    for name in source.loose:
        if config is None or name != config.theme.logo:
            diags.warning(f"content/{name}", 1, "files at the top of content/ are not used; "
                          "put them inside a course folder")


def _unbuilt(builder: _Builder, course_drafts: list[_CourseDraft], targets: LinkTargets) -> frozenset[str]:
    """Register the modules and courses that content errors left out (a module whose front matter failed, a
    course whose course.yaml did) as link targets nobody checks; their site paths."""
    configured = {d.source.slug for d in course_drafts}
    paths = set()
    for course in builder.source.courses:
        if course.slug not in configured:
            targets.unchecked[f"{course.slug}/course.yaml"] = f"{targets.base}{course.slug}/"
            paths.add(f"{course.slug}/index.html")
        for module in course.modules:
            if course.slug not in configured or builder.parsed.get(module.source.rel) is None:
                targets.unchecked[f"{course.slug}/{module.source.rel.rsplit('/', 1)[-1]}"] = \
                    f"{targets.base}{course.slug}/{module.slug}/"
                paths.add(f"{course.slug}/{module.slug}/index.html")
        for name in course.skipped:  # unreadable or misnamed: its slug is a guess
            slug = name.removesuffix(".md").split("-", 1)[-1]
            targets.unchecked[f"{course.slug}/{name}"] = f"{targets.base}{course.slug}/{slug}/"
            paths.add(f"{course.slug}/{slug}/index.html")
    return frozenset(paths)


def _translated(courses: tuple[Course, ...], ordered: list[_CourseDraft], source: ContentSource,
                diags: Diagnostics) -> tuple[Course, ...]:
    """The courses with their translations' alternates (translations.py)."""
    return link_translations(courses, {d.source.slug: _claim(d) for d in ordered}, {c.slug for c in source.courses},
                             diags)


def _claim(draft: _CourseDraft) -> TranslationClaim:
    """What the course and its modules say of translations (translations.py)."""
    target = draft.config.translation_of
    return TranslationClaim(
        draft.source.config.rel, target, draft.doc.line("translation_of") if target else 1,  # type: ignore[union-attr]
        {m.rel: (m.meta.translation_of, m.meta.translation_of_line) for m in draft.modules if m.meta.translation_of},
        frozenset(f.source.rel.rsplit("/", 1)[-1] for f in draft.source.modules))


def _next_links(draft: _CourseDraft, ordered: list[_CourseDraft], base_path: str, targets: LinkTargets,
                diags: Diagnostics) -> list[Link]:
    by_slug = {d.source.slug: d for d in ordered}
    links = []
    for index, next_slug in enumerate(draft.config.next):
        target = by_slug.get(next_slug)
        if target is None and f"{next_slug}/course.yaml" in targets.unchecked:
            continue  # its course.yaml has errors, reported
        if target is None:
            diags.error(draft.source.config.rel, draft.doc.line("next", index),  # type: ignore[union-attr]
                        f"'next' names course '{next_slug}', which does not exist or is not listed in "
                        "site.yaml 'courses'")
            continue
        planned_target = target.config.status == "planned"
        links.append(Link(target.config.title, f"{base_path}#course-{next_slug}" if planned_target
                          else f"{base_path}{next_slug}/"))
    return links


def _course(draft: _CourseDraft, modules: list[ParsedModule], ordered: list[_CourseDraft],
            targets: LinkTargets, sizes: Mapping[str, Size], config: SiteConfig, base_path: str, md: MarkdownIt,
            diags: Diagnostics) -> Course:
    slug, rel = draft.source.slug, draft.source.config.rel  # type: ignore[union-attr]
    planned = draft.config.status == "planned"
    url = f"{base_path}#course-{slug}" if planned else f"{base_path}{slug}/"

    def markdown(key: str, text: str | None) -> str | None:
        if text is None:
            return None
        resolve = targets.resolver(slug, frozenset(), diags, rel, draft.doc.line(key))
        with yaml_text(md):
            html = render_tokens(md, md.parse(text), {"resolve": resolve, "id_prefix": f"{slug}-{key}"})
        return add_sizes(html, sizes)

    built = tuple(_module(m, _place(modules, i, slug, url), targets, sizes, config.preview_length, diags)
                  for i, m in enumerate(modules))
    coverage_warnings([AlignedModule(m.rel, m.meta, m.checks) for m in modules], diags)
    built, terms = _glossary(draft.source, built, targets, md, url, diags)
    description_html = markdown("description", draft.config.description) or ""
    language = draft.config.language or config.language
    return Course(slug, draft.config.title, draft.config.tagline, description_html,
                  plain_text(md.parse(draft.config.description)), markdown("why", draft.config.why),
                  draft.config.level, draft.config.status, tuple(_next_links(draft, ordered, base_path, targets, diags)),
                  built, url, rel, language, "rtl" if is_rtl(language) else "ltr", draft.config.mastery,
                  glossary=terms)


def _glossary(source: CourseSource, modules: tuple[Module, ...], targets: LinkTargets, md: MarkdownIt,
              course_url: str, diags: Diagnostics) -> tuple[tuple[Module, ...], tuple[Term, ...]]:
    """The course's glossary.yaml read, its definitions rendered, and its terms linked in `modules`."""
    if source.glossary is None:
        return modules, ()
    rel = source.glossary.rel
    entries = read_glossary(source.glossary, diags)

    def render(entry: GlossaryEntry) -> tuple[str, str]:
        env = {"resolve": targets.resolver(source.slug, frozenset(), diags, rel, entry.definition_line),
               "id_prefix": f"term-{slugify(entry.name)}"}
        with yaml_text(md):
            return (render_tokens(md, md.parse(entry.definition), env),
                    md.renderInline(" ".join(entry.definition.split()), env))

    return course_glossary(entries, modules, f"{course_url}glossary/", render,
                           lambda line, message: diags.warning(rel, line, message))


def _place(modules: list[ParsedModule], index: int, course_slug: str, course_url: str) -> ModulePlace:
    def link(at: int) -> Link | None:
        if not 0 <= at < len(modules):
            return None
        return Link(modules[at].meta.title, f"{course_url}{modules[at].slug}/")

    return ModulePlace(course_slug, course_url, index + 1, link(index - 1), link(index + 1))


def _checks(parsed: ParsedModule, url: str) -> tuple[Check, ...]:
    """The module's quizzes and reveals in the model: each links to the quiz, or the card a reveal is in."""
    titles = {card.id: card.title for card in parsed.cards}
    return tuple(Check(c.kind, c.goals, c.label, f"{url}#{c.anchor or c.card or 'main'}", titles.get(c.card, ""),
                       c.answers) for c in parsed.checks)


def _preview(rel: str, card: ParsedCard, meta: CardMeta | None, limit: int, diags: Diagnostics) -> str:
    """The card's preview: its 'preview:' (a warning when longer than preview_length), else its opening text cut
    to preview_length (a warning when there is none: a card that opens with code, a picture or a block)."""
    if meta and meta.preview:
        length = len(" ".join(meta.preview.split()))
        if length > limit:
            diags.warning(rel, meta.preview_line, f"the preview of card '{card.title}' is {length} characters, over "
                          f"the limit of {limit} (preview_length in site.yaml); shorten it to {limit} or fewer")
        return meta.preview
    preview = cut_preview(card.text, limit)
    if not preview:
        diags.warning(rel, card.line, f"card '{card.title}' has an empty preview: it has no text outside code, "
                      "pictures and blocks; add a sentence, or give it a 'preview:' of up to "
                      f"{limit} characters in the front matter 'cards' list")
    return preview


def _module(parsed: ParsedModule, place: ModulePlace, targets: LinkTargets, sizes: Mapping[str, Size],
            preview_length: int, diags: Diagnostics) -> Module:
    """The Module of a parsed module at its place: its links resolved, its cards' previews cut."""
    url = f"{place.course_url}{parsed.slug}/"
    resolve = targets.resolver(place.course_slug, parsed.anchors, diags, parsed.rel, published=not parsed.meta.draft)
    urls = [resolve(link.href, link.line, link.kind) for link in parsed.links]
    meta = parsed.meta
    cards = []
    for n, card in enumerate(parsed.cards):
        card_meta = meta.cards[n] if meta.cards else None
        visual = resolve(card_meta.visual, card_meta.line, "image") if card_meta and card_meta.visual else None
        preview = _preview(parsed.rel, card, card_meta, preview_length, diags)
        size = sizes.get(visual) if visual else None
        cards.append(Card(card.id, card.title, card.title_html, add_sizes(fill(card.html, urls), sizes), preview,
                          f"{url}#{card.id}", visual, card_meta.alt if card_meta else None, size,
                          card_meta.goals if card_meta else ()))
    return Module(
        slug=parsed.slug, number=parsed.number, title=meta.title, summary=meta.summary, goals=meta.goals,
        goals_html=parsed.goals_html, minutes=meta.minutes or max(1, math.ceil(parsed.word_count / WORDS_PER_MINUTE)),
        draft=meta.draft, intro_html=add_sizes(fill(parsed.intro_html, urls), sizes), cards=tuple(cards),
        sources_html=parsed.sources_html, url=url, source=parsed.rel, course_slug=place.course_slug,
        position=place.position, previous=place.previous, next=place.next, widgets=parsed.widgets,
        word_count=parsed.word_count, checks=_checks(parsed, url), aliases=meta.aliases,
        notes=tuple(InstructorNote(n.card, n.title, add_sizes(fill(n.html, urls), sizes)) for n in parsed.notes),
    )
