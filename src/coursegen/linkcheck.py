"""Check the rendered pages: every internal link, anchor and asset exists; problems point at the source."""
from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic
from .model import Site
from .render import pages as site_pages

SHARE_META = frozenset({"og:image", "og:url", "twitter:image"})
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")
GENERATED_LATER = ("pagefind/",)  # written after the check (search index)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

Severity = Literal["error", "warning"]  # as a Diagnostic's
Problem = tuple[Severity, str]  # (severity, message) of a broken reference


class Ref(NamedTuple):
    url: str
    line: int  # the line of the rendered page the attribute is on


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    no_alt: list[Ref] = field(default_factory=list)  # images without an alt attribute
    parts: list[Ref] = field(default_factory=list)  # (id, line) of each <article id=...>: a module on a print page


# Rendered HTML escapes every '<' of text and of attribute values, so one regex pass per kind of thing over the whole
# page, keeping the attributes that are inside a tag and outside scripts, styles and comments, finds what an HTML
# parser finds, ~4× faster than html.parser.
_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_URL_OR_ID = re.compile(rf"\s(id|href|src(?:set)?|poster|action){_VALUE}")  # lowercase names: ~2× faster
_SKIPPED = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b[^>]*>(.*?)(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_NAMED_ANCHOR = re.compile(rf"<a\s[^>]*?\bname{_VALUE}", re.IGNORECASE)  # <a name=...> names an anchor
_META = re.compile(r"<meta\s[^>]*>", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ARTICLE = re.compile(rf"<article\s[^>]*?\bid{_VALUE}", re.IGNORECASE)
_ALT = re.compile(r"\salt(?:\s*=|[\s/>])", re.IGNORECASE)
_IMG_SRC = re.compile(rf"\ssrc{_VALUE}", re.IGNORECASE)
_ATTR = re.compile(rf"([^\s\"'>/=]+){_VALUE}")
_TAG_SO_FAR = re.compile(r"""<[^\s"'>]*(?:[^"'>]|"[^"]*"|'[^']*')*""")  # a tag opened, not yet closed
_NEWLINE = re.compile("\n")


def _value(match: re.Match[str]) -> str:
    """The unescaped attribute value at the end of a match of a regex ending in _VALUE."""
    value = match[match.lastindex or 0]  # the value's groups come last: the one that matched closed last
    return html.unescape(value) if "&" in value else value


class _Page:
    """A page's text, with where its lines end and where its comments, scripts and styles are."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = [match.start() for match in _NEWLINE.finditer(text)]
        self.skipped_starts: list[int] = []
        self.skipped_ends: list[int] = []
        for match in _SKIPPED.finditer(text):  # a script's own attributes count (its src); its body does not
            self.skipped_starts.append(match.start(2) if match[1] else match.start())
            self.skipped_ends.append(match.end())

    def ref(self, url: str, at: int) -> Ref:
        """A reference found by a match starting at `at`: an attribute's starts at the space before it, maybe a
        newline, so the line is the one of the character after `at`."""
        return Ref(url, bisect_right(self.newlines, at) + 1)

    def is_skipped(self, at: int) -> bool:
        i = bisect_right(self.skipped_starts, at) - 1
        return i >= 0 and at < self.skipped_ends[i]

    def is_in_tag(self, at: int) -> bool:
        """Whether `at` is inside a tag (not in text, nor in another attribute's value) and outside comments, scripts
        and styles."""
        if self.is_skipped(at):
            return False
        return _TAG_SO_FAR.fullmatch(self.text, self.text.rfind("<", 0, at), at) is not None


def _attributes(page: _Page) -> Iterator[tuple[str, str, int]]:
    """(name, value, offset) of each id, href, src, srcset, poster and action attribute of the page's tags."""
    for match in _URL_OR_ID.finditer(page.text):
        if page.is_in_tag(match.start()):
            yield match[1], _value(match), match.start()


def _named_anchors(text: str) -> Iterator[str]:
    return (_value(match) for match in _NAMED_ANCHOR.finditer(text))


def _share_urls(page: _Page) -> Iterator[Ref]:
    """The URLs of the <meta> tags that give the page's sharing image and URL (og:image, og:url, twitter:image)."""
    for match in _META.finditer(page.text):
        attrs = {found[1].lower(): _value(found) for found in _ATTR.finditer(match[0])}
        if attrs.get("property", attrs.get("name")) in SHARE_META and "content" in attrs:
            yield page.ref(attrs["content"], match.start())


def _images_without_alt(page: _Page) -> Iterator[Ref]:
    """The src ('' if none) of each <img> without an alt attribute."""
    for match in _IMG.finditer(page.text):
        if not _ALT.search(match[0]):
            src = _IMG_SRC.search(match[0])
            yield page.ref(_value(src) if src else "", match.start())


def scan_page(text: str) -> PageScan:
    """The ids and the references (href, src, srcset, poster, action, sharing URLs) of one HTML page."""
    page, scan = _Page(text), PageScan()
    for name, value, at in _attributes(page):
        if name == "id":
            scan.ids.add(value)
        elif name == "srcset":  # 'a.png 1x, b.png 2x'
            scan.refs += [page.ref(candidate.split()[0], at) for candidate in value.split(",") if candidate.strip()]
        else:
            scan.refs.append(page.ref(value, at))
    scan.ids.update(_named_anchors(text))
    scan.refs += _share_urls(page)
    scan.no_alt += _images_without_alt(page)
    scan.parts += [page.ref(_value(match), match.start()) for match in _ARTICLE.finditer(text)
                   if not page.is_skipped(match.start())]
    return scan


def page_url(site: Site, path: str) -> str:
    """The URL a page is served at: 'demo/x/index.html' -> '/base/demo/x/'."""
    return site.url(path.removesuffix("index.html"))


class LinkChecker:
    """Resolves every reference of every page against the output paths and the ids of each page."""

    def __init__(self, site: Site, scans: Mapping[str, PageScan], known: Iterable[str]):
        self.site, self.known, self.scans = site, set(known) | set(scans), dict(sorted(scans.items()))

    def problems(self) -> Iterator[tuple[str, Ref, Severity, str]]:
        """(page path, reference, severity, message) for every problem found."""
        known: dict[object, Problem | None] = {}  # the same URL on many pages is resolved once
        for path, scan in self.scans.items():
            for ref in scan.refs:
                url = ref.url.strip()
                if url[:1] == "#" and url[1:] in scan.ids and "%" not in url:  # most anchors: fine, as _anchor finds
                    continue
                key = url if url.startswith("/") or _SCHEME.match(url) else (path, url)  # page-independent
                if key not in known:
                    known[key] = self.resolve(path, url)
                found = known[key]
                if found:
                    yield path, ref, *found
            for ref in scan.no_alt:
                yield path, ref, "warning", f"image '{ref.url}' has no alt text (alt=\"\" marks a decorative one)"

    def resolve(self, page: str, url: str) -> Problem | None:
        """(severity, message) when `url` on `page` is broken, insecure or escapes the base path."""
        url = url.strip()
        if not url or url == "#" or url.lower().startswith(SKIP_SCHEMES):
            return None
        if url.startswith("#"):
            return self._anchor(page, url[1:], url)
        if url.startswith("//") or _SCHEME.match(url):
            return self._absolute(page, url)
        if url.startswith("/"):
            return self._check_target(page, url, url)
        if page == "404.html":
            return "error", (f"'{url}' is relative, but 404.html is served at any missing URL; "
                             "link with site.url() so the link works from everywhere")
        return self._check_target(page, url, posixpath.join(posixpath.dirname(page_url(self.site, page)) + "/", url))

    def _absolute(self, page: str, url: str) -> Problem | None:
        """resolve() for 'https://host/path' and '//host/path': checked when inside the site, else left alone."""
        parts = urlsplit(url if not url.startswith("//") else "https:" + url)
        origin = self.site.origin
        inside = f"{parts.scheme}://{parts.netloc}" == origin and (parts.path + "/").startswith(self.site.base_path)
        if not origin or not inside:  # another site, or another project on this host
            if parts.scheme == "http":
                return "warning", f"'{url}' is an insecure http:// link; use https:// if the site offers it"
            return None
        return self._check_target(page, url, parts.path + (f"#{parts.fragment}" if parts.fragment else ""))

    def _check_target(self, page: str, url: str, target: str) -> Problem | None:
        path, fragment = split_target(target)
        if not (path + "/").startswith(self.site.base_path):
            return "error", f"'{url}' leaves the site's base path {self.site.base_path}; it breaks when published"
        rel = path[len(self.site.base_path):]
        if rel.startswith(GENERATED_LATER):
            return None
        for candidate in ((rel + "index.html") if rel.endswith("/") or not rel else rel, rel + "/index.html"):
            if candidate in self.known:
                return self._anchor(candidate, fragment, url) if fragment else None
        return "error", f"'{url}' points at '{rel or '/'}', which is not in the built site"

    def _anchor(self, page: str, fragment: str, url: str) -> Problem | None:
        scan = self.scans.get(page)
        if scan is None or fragment == "top" or unquote(fragment) in scan.ids:
            return None
        return "error", f"'{url}': the page {page} has no element with id '{unquote(fragment)}'"


def split_target(target: str) -> tuple[str, str]:
    """(normalized, unquoted path, fragment) of a link's target path ('/base/a/../b/#x' -> ('/base/b/', 'x'))."""
    parts = urlsplit(target)
    path = posixpath.normpath(unquote(parts.path) or "/")
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    return path, parts.fragment


def _line_of(text: str, needles: Iterable[str]) -> int | None:
    for needle in needles:
        if needle and needle in text:
            return text[: text.index(needle)].count("\n") + 1
    return None


def _template_needles(site: Site, url: str) -> list[str]:
    """Ways a template may spell a URL: as rendered, relative to the base ('about/'), its last segment."""
    path = urlsplit(url).path
    inside = path[len(site.base_path):] if path.startswith(site.base_path) else path.lstrip("/")
    last = inside.rstrip("/").rsplit("/", 1)[-1]
    return [n for n in dict.fromkeys([url, unquote(url), f"'{inside}'", f'"{inside}"', inside, last]) if n]


def _source_line(project: Path, site: Site, sources: tuple[str, ...], url: str) -> tuple[str, int] | None:
    """Where a reference was written: its line in the page's sources, else in a project template; None when
    neither holds it."""
    for source in sources:
        path = project / source
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        quoted = [f'"{url}"', f"'{url}'", f"({url})"]  # first: 'x.svg' is also in '../x.svg' on an earlier line
        if line := _line_of(text, [*quoted, url, unquote(url), url.replace("&", "&amp;")]):
            return source, line
    folder = project / "templates"
    templates = [(t, t.read_text(encoding="utf-8", errors="replace"))
                 for t in sorted(folder.rglob("*")) if t.is_file()] if folder.is_dir() else []
    for needle in _template_needles(site, url):
        for template, text in templates:
            if line := _line_of(text, [needle]):
                return template.relative_to(project).as_posix(), line
    return None


def page_sources(site: Site) -> dict[str, tuple[str, ...]]:
    """Output page path -> the files its content comes from, its own first (module, course.yaml, site.yaml).

    Course-level pages (the landing page, a whole-course print page) also show their modules' text.
    """
    found: dict[str, tuple[str, ...]] = {}
    for page in site_pages(site):
        if page.module:
            found[page.path] = (page.module.source,)
        elif page.course:
            found[page.path] = (page.course.source, *(m.source for m in page.course.modules))
        else:
            found[page.path] = ("content/site.yaml",)
    return found


def print_parts(site: Site) -> dict[str, dict[str, tuple[str, ...]]]:
    """Print page path -> module slug (the id of the module's <article>) -> the files that part comes from."""
    return {page.path: {m.slug: (m.source, page.course.source) for m in page.course.modules}
            for page in site_pages(site) if page.kind in ("print", "instructor-print") and page.course}


def _sources_of(sources: tuple[str, ...], parts: Mapping[str, tuple[str, ...]], scan: PageScan,
                ref: Ref) -> tuple[str, ...]:
    """The files a reference on a page may come from: on a print page, those of the module part it is in."""
    if parts and scan.parts:
        i = bisect_right([part.line for part in scan.parts], ref.line) - 1
        if i >= 0 and scan.parts[i].url in parts:
            return parts[scan.parts[i].url]
    return sources


Where = tuple[str, int, Severity, str]  # (source path, line, severity, message) of a problem
Seen = tuple[tuple[bool, bool], str, int]  # (rank, page, line on the page) where a problem was seen


def _without_print_repeats(where: dict[Where, list[Seen]], printed: Iterable[str]) -> dict[Where, list[Seen]]:
    """`where` less the problems seen only on print pages at a source line another page already reports (a
    module's raw HTML link breaks alike on its own page and on the print page, each naming its own target)."""
    printed = set(printed)
    elsewhere = {key[:3] for key, seen in where.items() if any(page not in printed for _, page, _ in seen)}
    return {key: seen for key, seen in where.items()
            if key[:3] not in elsewhere or any(page not in printed for _, page, _ in seen)}


def check_links(project: Path, site: Site, scans: Mapping[str, PageScan], known: Iterable[str],
                guess: bool = True) -> list[Diagnostic]:
    """Diagnostics for the rendered pages (path -> scan_page(HTML)), each at the source file and line it comes from.

    A problem repeated on many pages (a template mistake) is reported once, with the number of pages. One whose
    source line is not found is put at line 1 of the page's first source, or, without `guess` (after content
    errors, when it is most likely one of their consequences), left out.
    """
    checker = LinkChecker(site, scans, known)
    sources, parts = page_sources(site), print_parts(site)
    where: dict[Where, list[Seen]] = {}
    located: dict[tuple[tuple[str, ...], str], tuple[str, int]] = {}  # line 0: not found
    for page, ref, severity, message in checker.problems():
        source = _sources_of(sources.get(page, ("content/site.yaml",)), parts.get(page, {}), checker.scans[page], ref)
        if (source, ref.url) not in located:
            located[source, ref.url] = _source_line(project, site, source, ref.url) or (source[0], 0)
        path, line = located[source, ref.url]
        if not line and not guess:
            continue
        line = line or 1
        rank = (path != source[0], page in parts)  # first named: the page whose own source holds it, not print
        where.setdefault((path, line, severity, message), []).append((rank, page, ref.line))
    found = []
    for (path, line, severity, message), seen in sorted(_without_print_repeats(where, parts).items()):
        more = f" and {len(seen) - 1} more page{'s' if len(seen) > 2 else ''}" if len(seen) > 1 else ""
        _, first, first_line = min(seen)
        found.append(Diagnostic(path, line, f"{message} (built page {first}, line {first_line}{more})", severity))
    return found
