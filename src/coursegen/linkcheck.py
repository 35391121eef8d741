"""Check the rendered pages: every internal link, anchor and asset exists; problems point at the source."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic
from .model import Site
from .render import pages as site_pages

LINK_ATTRS = frozenset({"href", "src", "poster", "action"})
SHARE_META = frozenset({"og:image", "og:url", "twitter:image"})
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")
GENERATED_LATER = ("pagefind/",)  # written after the check (search index)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Ref:
    url: str
    line: int  # line in the rendered page
    what: str  # 'link', 'image', 'script', ...


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    no_alt: list[tuple[str, int]] = field(default_factory=list)  # (src, line)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.ids.add(values["name"])
        what = {"img": "image", "script": "script", "link": "stylesheet or icon"}.get(tag, "link")
        for name in LINK_ATTRS & values.keys():
            self.scan.refs.append(Ref(values[name], line, what))
        for candidate in (values.get("srcset") or "").split(","):
            if candidate.strip():
                self.scan.refs.append(Ref(candidate.split()[0], line, "image"))
        if tag == "meta" and values.get("property", values.get("name")) in SHARE_META and "content" in values:
            self.scan.refs.append(Ref(values["content"], line, "sharing URL"))
        if tag == "img" and "alt" not in values:
            self.scan.no_alt.append((values.get("src", ""), line))

    handle_startendtag = handle_starttag


def scan_page(html: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


def page_url(site: Site, path: str) -> str:
    """The URL a page is served at: 'demo/x/index.html' -> '/base/demo/x/'."""
    return site.url(path[: -len("index.html")] if path.endswith("index.html") else path)


class LinkChecker:
    """Resolves every reference of every page against the output paths and the ids of each page."""

    def __init__(self, site: Site, pages: Mapping[str, str], known: Iterable[str]):
        self.site, self.known = site, set(known) | set(pages)
        self.scans = {path: scan_page(html) for path, html in sorted(pages.items()) if path.endswith(".html")}

    def problems(self) -> Iterable[tuple[str, Ref, str, str]]:
        """(page path, reference, severity, message) for every problem found."""
        for path, scan in self.scans.items():
            for ref in scan.refs:
                found = self.resolve(path, ref.url)
                if found:
                    yield path, ref, *found
            for src, line in scan.no_alt:
                yield path, Ref(src, line, "image"), "warning", f"image '{src}' has no alt text"

    def resolve(self, page: str, url: str) -> tuple[str, str] | None:
        """(severity, message) when `url` on `page` is broken, insecure or escapes the base path."""
        url = url.strip()
        if not url or url == "#" or url.lower().startswith(SKIP_SCHEMES):
            return None
        if url.startswith("#"):
            return self._anchor(page, url[1:], url)
        base, origin = self.site.base_path, self.site.origin
        if url.startswith("//") or _SCHEME.match(url):
            parts = urlsplit(url if not url.startswith("//") else "https:" + url)
            if not origin or f"{parts.scheme}://{parts.netloc}" != origin:
                if parts.scheme == "http":
                    return "warning", f"'{url}' is an insecure http:// link; use https:// if the site offers it"
                return None
            target = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
        elif page == "404.html" and not url.startswith(("/", "#")):
            return "error", (f"'{url}' is relative, but 404.html is served at any missing URL; "
                             "link with site.url() so the link works from everywhere")
        else:
            target = posixpath.join(posixpath.dirname(page_url(self.site, page)) + "/", url) \
                if not url.startswith("/") else url
        return self._check_target(page, url, target)

    def _check_target(self, page: str, url: str, target: str) -> tuple[str, str] | None:
        parts = urlsplit(target)
        path = posixpath.normpath(unquote(parts.path) or "/")
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
        if not (path + "/").startswith(self.site.base_path):
            return "error", f"'{url}' leaves the site's base path {self.site.base_path}; it breaks when published"
        rel = path[len(self.site.base_path):]
        if rel.startswith(GENERATED_LATER):
            return None
        for candidate in ((rel + "index.html") if rel.endswith("/") or not rel else rel, rel + "/index.html"):
            if candidate in self.known:
                return self._anchor(candidate, parts.fragment, url) if parts.fragment else None
        return "error", f"'{url}' points at '{rel or '/'}', which is not in the built site"

    def _anchor(self, page: str, fragment: str, url: str) -> tuple[str, str] | None:
        scan = self.scans.get(page)
        if scan is None or fragment == "top" or unquote(fragment) in scan.ids:
            return None
        return "error", f"'{url}': the page {page} has no element with id '{unquote(fragment)}'"


def _line_of(text: str, needles: Iterable[str]) -> int | None:
    for needle in needles:
        if needle and needle in text:
            return text[: text.index(needle)].count("\n") + 1
    return None


def _source_line(project: Path, source: str, url: str) -> tuple[str, int]:
    """The best source location of a reference: the Markdown line, else a project template line."""
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    needles = [url, unquote(url), tail] if tail else [url, unquote(url)]
    path = project / source
    if path.is_file() and (line := _line_of(path.read_text(encoding="utf-8", errors="replace"), needles)):
        return source, line
    templates = project / "templates"
    for template in sorted(templates.rglob("*.html")) if templates.is_dir() else ():
        if line := _line_of(template.read_text(encoding="utf-8", errors="replace"), [url, unquote(url)]):
            return template.relative_to(project).as_posix(), line
    return source, 1


def page_sources(site: Site) -> dict[str, str]:
    """Output page path -> the project file it comes from (module Markdown, course.yaml, site.yaml)."""
    found = {}
    for page in site_pages(site):
        source = page.module.source if page.module else page.course.source if page.course else None
        found[page.path] = source or "content/site.yaml"
    return found


def check_links(project: Path, site: Site, pages: Mapping[str, str], known: Iterable[str]) -> list[Diagnostic]:
    """Diagnostics for the rendered `pages` (path -> HTML), each at the source file and line it comes from."""
    checker = LinkChecker(site, pages, known)
    sources = page_sources(site)
    found = []
    for page, ref, severity, message in checker.problems():
        path, line = _source_line(project, sources.get(page, "content/site.yaml"), ref.url)
        found.append(Diagnostic(path, line, f"{message} (built page {page}, line {ref.line})", severity))
    return sorted(set(found))
