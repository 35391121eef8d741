"""Search and sharing metadata of each page: title, description, canonical, Open Graph, JSON-LD, dates."""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, UsageError
from ..i18n import Messages
from ..model import Site
from ..preview import cut_preview
from ..render import Page
from ..staticfiles import StaticFile
from ..translations import hreflang
from .jsonld import breadcrumbs, course_ld, course_list, module_ld, plain
from .socialcards import HEIGHT, WIDTH, SocialCard, card_pngs, palette_from_css, plan_cards

DESCRIPTION_LENGTH = 160


@dataclass(frozen=True)
class CardImage:
    url: str  # absolute
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageMeta:
    """Everything the <head> says about a page to search engines and chat apps."""

    title: str  # the <title>
    og_title: str
    description: str  # plain text
    canonical: str | None  # absolute, only when the site's origin is known (a relative one is worse than none)
    og_type: str
    og_url: str | None  # only when the site's origin is known
    locale: str
    image: CardImage | None
    robots: str | None  # 'noindex' for pages left out of the sitemap: 404, drafts, print copies
    jsonld: tuple[str, ...]  # JSON texts, safe inside <script type="application/ld+json">
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, URL): the page in each language, then x-default


# languages whose usual territory code is not the language code in capitals (en -> en_US, fr -> fr_FR)
_TERRITORY = {"en": "US", "ja": "JP", "zh": "CN", "ko": "KR", "sv": "SE", "da": "DK", "cs": "CZ", "el": "GR",
              "uk": "UA", "he": "IL", "hi": "IN", "ar": "AR", "vi": "VN", "nb": "NO", "nn": "NO", "fa": "IR",
              "et": "EE", "sl": "SI", "ms": "MY", "ca": "ES", "eu": "ES", "gl": "ES", "ga": "IE", "sq": "AL",
              "sr": "RS", "bn": "IN", "ta": "IN", "ur": "PK", "sw": "KE", "af": "ZA", "be": "BY", "ka": "GE",
              "kk": "KZ", "hy": "AM"}


@functools.cache  # one language per site, asked for on every page
def origin_warning(site: Site) -> Diagnostic | None:
    """A warning when the site's origin is unknown (base_url is a path): its pages then get no canonical link,
    og:url or social card. Builds and checks for publishing give it alike."""
    if site.origin:
        return None
    return Diagnostic("content/site.yaml", 1, "base_url is a path, so pages get no rel=canonical link (search "
                      "engines may index duplicate addresses of a page), no og:url and no social-card image (chat "
                      "apps show links without a picture); set base_url (or --base-url) to the full URL, like "
                      "https://example.org/courses/", "warning")


def og_locale(language: str) -> str:
    """A BCP 47 tag as an Open Graph locale: 'en' -> 'en_US', 'pt-BR' -> 'pt_BR'."""
    lang, _, territory = language.replace("_", "-").partition("-")
    lang = lang.lower()
    territory = territory.split("-")[-1] if territory else _TERRITORY.get(lang, lang)
    return f"{lang}_{territory.upper()}"


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps would make one per call


def script_json(data: Any) -> str:
    """JSON that cannot end its <script> element early or break an HTML parser."""
    text = _JSON.encode(data)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).strftime("%Y-%m-%d")


MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last moment a date can name


def source_date_epoch(environ: Mapping[str, str] = os.environ) -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as an int, None when unset."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > MAX_EPOCH:
        raise UsageError("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (0 to "
                         f"{MAX_EPOCH}, the end of year 9999), not {value[:40]!r}")
    return int(value)


def page_dates(project: Path, site: Site, epoch: int | None) -> dict[str, str]:
    """Last-modified date (YYYY-MM-DD, UTC) of every page URL: SOURCE_DATE_EPOCH, else the files' dates."""
    def mtime(rel: str) -> float:
        path = project / rel
        return path.stat().st_mtime if path.exists() else 0.0

    dates: dict[str, float] = {}
    newest = mtime("content/site.yaml")
    for course in site.published_courses:
        course_time = mtime(course.source)
        for module in course.modules:
            dates[module.url] = mtime(module.source)
            course_time = max(course_time, dates[module.url])
        dates[course.url] = course_time
        newest = max(newest, course_time)
    dates[site.url("")] = newest
    return {url: _date(epoch if epoch is not None else value) for url, value in dates.items()}


@dataclass(frozen=True)
class Seo:
    """Builds the PageMeta of every page from the site, its social cards and its dates."""

    site: Site
    messages: Messages
    cards: Mapping[str, SocialCard] = field(default_factory=dict)  # page URL -> card
    dates: Mapping[str, str] = field(default_factory=dict)  # page URL -> 'YYYY-MM-DD'

    def absolute(self, url: str) -> str:
        return self.site.absolute(url)

    def title(self, page: Page) -> str:
        """'Module · Course · Site', 'Course · Site' or the site's title alone on the home page."""
        course = page.course
        return " · ".join(t for t in (page.title if page.kind != "home" else None,
                                      course.title if page.module and course else None, self.site.title) if t)

    def address(self, page: Page) -> str | None:
        """The page's absolute URL for canonical and og:url: none without an absolute base, none for 404."""
        return self.absolute(page.url) if self.site.origin and page.kind != "404" else None

    def meta(self, page: Page) -> PageMeta:
        site, course = self.site, page.course
        card = self.cards.get(page.url) if site.origin else None
        image = CardImage(self.absolute(site.url(card.target)), WIDTH, HEIGHT, card.alt) if card else None
        return PageMeta(
            title=self.title(page), og_title=page.title, description=self.description(page),
            canonical=self.address(page),
            og_type="website" if page.kind in ("home", "404") else "article",
            og_url=self.address(page),
            locale=og_locale(course.language if course else site.language), image=image,
            robots=None if page.in_sitemap else "noindex",  # 404, drafts, print copies
            jsonld=tuple(script_json(data) for data in self.structured_data(page)),
            alternates=tuple((lang, self.absolute(url)) for lang, url in hreflang(page.alternates)))

    def description(self, page: Page) -> str:
        if page.module:
            text = page.module.summary
        elif page.course and page.kind != "course":
            text = page.course.tagline
        elif page.course:
            text = f"{page.course.tagline} {page.course.description_text}"
        elif page.kind == "home":
            text = self.site.description
        else:
            text = self.messages[self.site.language].gettext("This page does not exist on %(site)s.") % {
                "site": self.site.title}
        return cut_preview(plain(text), DESCRIPTION_LENGTH)

    def structured_data(self, page: Page) -> list[dict[str, Any]]:
        """schema.org objects: the page's main entity, then its BreadcrumbList."""
        site, course, module = self.site, page.course, page.module
        card = self.cards.get(page.url) if site.origin else None
        image = self.absolute(site.url(card.target)) if card else None
        date = self.dates.get(page.url)
        found: list[dict[str, Any]] = []
        t = self.messages[course.language if course else site.language]
        if page.kind == "home":
            found.append(course_list(site, t.gettext("Courses on %(site)s") % {"site": site.title}))
        elif page.kind == "module" and module and course:
            found.append(module_ld(site, course, module, image, date))
        elif page.kind == "course" and course:
            found.append(course_ld(site, course, image, date))
        found.append(breadcrumbs(site, course, module, t.gettext("Home")))
        return found


@dataclass(frozen=True)
class Publishing:
    """What publishing adds to a build: the page metadata and the social-card images."""

    seo: Seo
    images: dict[str, bytes]  # site-relative path -> PNG; empty when not drawn (coursegen check)
    image_paths: frozenset[str]  # every card path the pages reference


def prepare_publishing(project: Path, site: Site, messages: Messages, static: tuple[StaticFile, ...], draw: bool,
                       drawn: Path | None = None) -> Publishing:
    """Plan (and with `draw`, draw or take from the folder `drawn`) the social cards; date every page.

    Cards need the site's origin (a full base_url): chat apps and search engines ignore relative image URLs.
    """
    css = next((f.data for f in static if f.name == "coursegen.css"), b"").decode("utf-8", "replace")
    cards = plan_cards(site, palette_from_css(css), messages) if site.origin else {}
    images = card_pngs(cards.values(), drawn) if draw else {}
    seo = Seo(site, messages, cards, page_dates(project, site, source_date_epoch()))
    return Publishing(seo, images, frozenset(card.target for card in cards.values()))
