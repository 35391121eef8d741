"""Model -> page HTML (and sitemap, robots) as strings. Writes nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ._version import __version__
from .i18n import Messages, Translator, english, language_name
from .model import Alternate, Course, Module, Site
from .printpage import scope_ids
from .staticfiles import StaticFile
from .translations import hreflang


@dataclass(frozen=True)
class Page:
    path: str  # site-relative output path: 'how-llms-work/index.html'
    template: str
    url: str  # URL under the base path: '/how-llms-work/'
    title: str
    description: str
    kind: str  # home, course, module, redirect, print, glossary, instructor, instructor-print, report, 404
    course: Course | None = None
    module: Module | None = None
    in_sitemap: bool = True

    @property
    def alternates(self) -> tuple[Alternate, ...]:
        """The page in each language of its translation group: course and module pages only."""
        if self.kind == "module" and self.module:
            return self.module.alternates
        if self.kind == "course" and self.course:
            return self.course.alternates
        return ()


def pages(site: Site, messages: Messages | None = None, report: bool = False) -> Iterator[Page]:
    """Every HTML page of the site, in a stable order; titles in each page's language (English without
    `messages`); with `report`, the author's alignment report too."""
    def lang(language: str) -> Translator:
        return messages[language] if messages else english()

    home = lang(site.language)
    yield Page("index.html", "home.html", site.url(""), site.title, site.description, "home")
    for course in site.published_courses:
        yield Page(f"{course.slug}/index.html", "course.html", course.url, course.title,
                   course.tagline, "course", course)
        for module in course.modules:
            yield Page(f"{course.slug}/{module.slug}/index.html", "module.html", module.url,
                       module.title, module.summary, "module", course, module,
                       in_sitemap=not module.draft)
            for old in module.aliases:  # a page at each old URL that sends the reader on (redirect.html)
                yield Page(f"{course.slug}/{old}/index.html", "redirect.html", f"{course.url}{old}/", module.title,
                           module.summary, "redirect", course, module, in_sitemap=False)
        if course.modules:
            title = lang(course.language).gettext("%(course)s: the whole course") % {"course": course.title}
            yield Page(f"{course.slug}/print/index.html", "print.html", f"{course.url}print/",
                       title, course.tagline, "print", course, in_sitemap=False)
            yield from _instructor_pages(course, lang(course.language))
        if course.glossary_url:
            translator = lang(course.language)
            yield Page(f"{course.slug}/glossary/index.html", "glossary.html", course.glossary_url,
                       translator.gettext("%(course)s: glossary") % {"course": course.title},
                       translator.gettext("The words of this course and what they mean."), "glossary", course)
    if report:
        yield Page("report/index.html", "report.html", site.url("report/"), home.gettext("Alignment report"),
                   home.gettext("Which cards teach each learning goal, and which quizzes and reveals check it."),
                   "report", in_sitemap=False)
    yield Page("404.html", "404.html", site.url("404.html"), home.gettext("Page not found"),
               home.gettext("This page does not exist."), "404", in_sitemap=False)


def _instructor_pages(course: Course, language: Translator) -> Iterator[Page]:
    """The course's instructor view and its print variant: noindex, out of the sitemap and the search index.
    Both sit at the depth of a module page, as the print page does, so the cards' relative links still work."""
    title = language.gettext("%(course)s: instructor view") % {"course": course.title}
    yield Page(f"{course.slug}/instructor/index.html", "instructor.html", f"{course.url}instructor/", title,
               course.tagline, "instructor", course, in_sitemap=False)
    title = language.gettext("%(course)s: the whole course, with instructor notes") % {"course": course.title}
    yield Page(f"{course.slug}/instructor-print/index.html", "print.html", f"{course.url}instructor-print/", title,
               course.tagline, "instructor-print", course, in_sitemap=False)


PageMeta = Callable[["Page"], Any]  # what the <head> says of a page (publish/seo.py makes it)


class Renderer:
    """Renders pages with one Jinja environment, the site's static file names, and what publishing adds:
    each page's metadata (`meta`), each page URL's last-modified date (`dates`) and, for a site to be
    served over HTTP, the URL of its service worker (`worker`; None in serve's preview and LMS packages).
    `packaged` pages go into an LMS package: templates leave out what a package cannot have (the search box, whose
    index covers the whole site, and the links to the course's translations, which are other packages)."""

    def __init__(self, env: Environment, site: Site, static: tuple[StaticFile, ...], meta: PageMeta,
                 dates: Mapping[str, str], messages: Messages, worker: str | None = None, packaged: bool = False):
        self.env, self.site, self.meta, self.dates, self.messages = env, site, meta, dates, messages
        self.worker = worker  # the service worker's URL (publish/offline.py), None where pages get none
        self.packaged = packaged
        self.static_paths = {f.name: site.url(f.target) for f in static}

    def static_url(self, name: str) -> str:
        return self.static_paths[name]

    def context(self, page: Page) -> dict[str, Any]:
        language = page.course.language if page.course else self.site.language
        translator = self.messages[language]
        return {"site": self.site, "page": page, "course": page.course, "module": page.module,
                "static_url": self.static_url, "absolute": self.site.absolute,
                "generator": f"coursegen {__version__}", "scope_ids": scope_ids,
                "meta": self.meta(page), "lang": language, "dir": translator.dir, "kbd": _kbd,
                "language_name": language_name,
                "updated": self.dates.get(page.url), "worker": self.worker, "packaged": self.packaged,
                "time_tag": partial(_time, translator),
                **translator.template_functions()}

    def render_page(self, page: Page) -> str:
        return self.env.get_template(page.template).render(self.context(page))

    def render_text(self, template: str, **extra: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site, static_url=self.static_url, absolute=self.site.absolute, **extra)


def _kbd(key: str) -> Markup:
    """A key to press, for a message's %(name)s."""
    return Markup("<kbd>%s</kbd>") % key


def _time(translator: Translator, day: str) -> Markup:
    """A YYYY-MM-DD date in the page's language, machine-readable too: <time datetime="2026-12-04">…</time>."""
    return Markup('<time datetime="%s">%s</time>') % (day, translator.date(day))


def render_extras(renderer: Renderer, all_pages: list[Page]) -> dict[str, str]:
    """The text outputs besides the pages: sitemap.xml and robots.txt."""
    return {"sitemap.xml": renderer.render_text("sitemap.xml", pages=[p for p in all_pages if p.in_sitemap],
                                                lastmod=renderer.dates, hreflang=hreflang),
            "robots.txt": renderer.render_text("robots.txt")}
