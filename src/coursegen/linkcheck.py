"""Check the rendered pages: every internal link, anchor and asset exists; problems point at the source."""
from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic
from .model import Site
from .render import pages as site_pages

SHARE_META = frozenset({"og:image", "og:url", "twitter:image"})
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")
GENERATED_LATER = ("pagefind/",)  # written after the check (search index)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Ref(NamedTuple):
    url: str
    line: int  # the line of the rendered page the attribute is on


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    no_alt: list[Ref] = field(default_factory=list)  # images without an alt attribute

    def __reduce__(self) -> tuple:
        """Pickled with its references as plain tuples: the cache loads every kept page's scan on each build,
        and a NamedTuple costs a Python call apiece to unpickle (half of the time)."""
        return _unpickle_scan, (self.ids, [tuple(ref) for ref in self.refs], [tuple(ref) for ref in self.no_alt])


def _unpickle_scan(ids: set[str], refs: list[tuple[str, int]], no_alt: list[tuple[str, int]]) -> PageScan:
    as_ref = partial(tuple.__new__, Ref)  # Ref(url, line) without calling Python code
    return PageScan(ids, list(map(as_ref, refs)), list(map(as_ref, no_alt)))


# Rendered HTML escapes every '<' of text, so an attribute regex run over the whole page, keeping the matches
# inside a tag and outside scripts, styles and comments, finds what a parser finds, ~7× faster than html.parser.
_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_URL_OR_ID = re.compile(rf"\s(id|href|src(?:set)?|poster|action){_VALUE}")  # lowercase names: ~2× faster
_SKIPPED = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_NAMED_A_NAME = re.compile(rf"name{_VALUE}", re.IGNORECASE)  # <a\s[^>]*?\bname=value names an anchor
_META = re.compile(r"<meta\s[^>]*>", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\salt(?:\s*=|[\s/>])", re.IGNORECASE)
_IMG_SRC = re.compile(rf"\ssrc{_VALUE}", re.IGNORECASE)
_ATTR = re.compile(rf"([^\s\"'>/=]+){_VALUE}")
_TAG_SO_FAR = re.compile(r"""<[^\s"'>]*(?:[^"'>]|"[^"]*"|'[^']*')*""")  # a tag opened, not yet closed

# Each regex above run over the whole page costs a pass trying every '<' or every space. Instead two passes find
# where they can match: the few '<' that open a comment, script, style, meta or img, and the '=' after a wanted
# attribute name (a regex starting with a literal skips text fast; look-behinds check the name). The regexes
# then run only there, keeping the matches and overlaps of their finditer: ~2.4× faster in all.
# (?i) as in the regexes above: it also matches 'ſcript' and 'İmg'.
_OPENER = re.compile(r"<(?=(?i:[!sim]))(?:(!--|(?i:script|style)\b)|((?i:meta)\s)|((?i:img)\b))")
_URL_NAMES = ("id", "href", "src", "srcset", "poster", "action")
_EQUALS = re.compile(r"=(?<=[dfcrtneE\s]=)(?:"  # the look-behind on one character rejects most '=' at once
                     + "".join(rf"(?<=\s{name}=)()|" for name in _URL_NAMES) + r"(?<=\b(?i:name)=)()|(?<=\s=)())")
_NAME = len(_URL_NAMES) + 1  # the group of `name=`; the one after it is '=' after spaces
_NAME_ENDS = re.compile(rf"\s({'|'.join(_URL_NAMES)})\Z|\b(?i:name)\Z")  # the name before spaces and '='
_A_OPEN = re.compile(r"<a\s", re.IGNORECASE)
_RAW_END = {"script": re.compile(r"</script\s*>", re.IGNORECASE), "style": re.compile(r"</style\s*>", re.IGNORECASE)}


def _value(match: re.Match) -> str:
    value = match[match.lastindex]  # the value's groups come last: the one that matched closed last
    return html.unescape(value) if "&" in value else value


class _Lines:
    """Line numbers of offsets, counting newlines only as far as the offsets asked for."""

    def __init__(self, text: str):
        self.text, self.at, self.line = text, 0, 1

    def __call__(self, at: int) -> int:
        at += 1  # an attribute's match starts at the space before it, maybe a newline: the line after it
        if at >= self.at:
            self.line += self.text.count("\n", self.at, at)
        else:
            self.line -= self.text.count("\n", at, self.at)
        self.at = at
        return self.line


def _emulated_finditer(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterable[re.Match]:
    """pattern.finditer(text), given every offset it can match at, in order."""
    end = 0
    for at in starts:
        if at >= end and (match := pattern.match(text, at)):
            end = match.end()
            yield match


def _openers(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where _SKIPPED, _META and _IMG can match."""
    found: tuple[list[int], list[int], list[int]] = ([], [], [])
    for match in _OPENER.finditer(text):
        found[match.lastindex - 1].append(match.start())
    return found


def _skipped(text: str, at: int) -> tuple[int, int] | None:
    """_SKIPPED.match(text, at) as (where the skipped body starts, where it ends), searching for the end instead of
    trying it at every character (.*?)."""
    if text.startswith("<!--", at):
        end = text.find("-->", at + 4)
        return at, end + 3 if end >= 0 else len(text)
    opened = text.find(">", at) + 1
    name = "script" if text[at + 1:at + 7].lower() == "script" else "style"
    if not opened or text[at + 1:at + 1 + len(name)].lower() != name:  # no tag end, or 'ſcript' (own case rules)
        match = _SKIPPED.match(text, at)
        return (opened, match.end()) if match else None
    end = _RAW_END[name].search(text, opened)  # a script's own src is checked; its body is not
    return opened, end.end() if end else len(text)


def _skipped_ranges(text: str, openers: Iterable[int]) -> tuple[list[int], list[int]]:
    """Where the comments, scripts and styles _SKIPPED.finditer finds start and end."""
    starts, ends = [], []
    for at in openers:
        if not (ends and at < ends[-1]) and (found := _skipped(text, at)):
            starts.append(found[0])
            ends.append(found[1])
    return starts, ends


def _attribute_starts(text: str) -> tuple[list[int], list[int]]:
    """Where _URL_OR_ID can match (the space before the name), and where the `name` of <a name=...> can."""
    urls, names = [], []
    for equals in _EQUALS.finditer(text):
        at, kind = equals.start(), equals.lastindex
        if kind < _NAME:
            urls.append(at - len(_URL_NAMES[kind - 1]) - 1)
        elif kind == _NAME:
            names.append(at - 4)
        else:  # spaces before the '=': rare, so found the slow way
            while at and text[at - 1].isspace():
                at -= 1
            if found := _NAME_ENDS.search(text, max(0, at - 7), at):
                (urls if found.group(1) else names).append(found.start())
    return urls, names


def _named_anchors(text: str, starts: list[int]) -> Iterable[str]:
    """The ids of <a name=...>, as a finditer of _NAMED_A_NAME after an '<a', given where each name= is, in an <a> or
    not: the first name= in each <a> tag, or the first after the previous value."""
    end = 0
    for at in starts:
        if (match := _NAMED_A_NAME.match(text, at)) and _A_OPEN.search(text, max(text.rfind(">", 0, at) + 1, end), at):
            end = match.end()
            yield _value(match)


def scan_page(text: str) -> PageScan:
    """The ids and the references (href, src, srcset, poster, sharing URLs) of one HTML page."""
    scan, line = PageScan(), _Lines(text)
    skipping, metas, images = _openers(text)
    urls, names = _attribute_starts(text)
    skipped, ends = _skipped_ranges(text, skipping)
    for match in _emulated_finditer(_URL_OR_ID, text, urls):
        at = match.start()
        if skipped and (i := bisect_right(skipped, at) - 1) >= 0 and at < ends[i]:
            continue
        if not _TAG_SO_FAR.fullmatch(text, text.rfind("<", 0, at), at):  # in text or in another value
            continue
        name, value = match.group(1), _value(match)
        if name == "id":
            scan.ids.add(value)
        elif name == "srcset":
            scan.refs += [Ref(c.split()[0], line(at)) for c in value.split(",") if c.strip()]
        else:
            scan.refs.append(Ref(value, line(at)))
    scan.ids.update(_named_anchors(text, names))
    for match in _emulated_finditer(_META, text, metas):
        tag = match.group(0)
        if "og:image" in tag or "og:url" in tag or "twitter:image" in tag or "&" in tag:  # else no share URL
            attrs = {m.group(1).lower(): _value(m) for m in _ATTR.finditer(tag)}
            if attrs.get("property", attrs.get("name")) in SHARE_META and "content" in attrs:
                scan.refs.append(Ref(attrs["content"], line(match.start())))
    for match in _emulated_finditer(_IMG, text, images):
        if not _ALT.search(match.group(0)):
            found = _IMG_SRC.search(match.group(0))
            scan.no_alt.append(Ref(_value(found) if found else "", line(match.start())))
    return scan


def page_url(site: Site, path: str) -> str:
    """The URL a page is served at: 'demo/x/index.html' -> '/base/demo/x/'."""
    return site.url(path.removesuffix("index.html"))


class LinkChecker:
    """Resolves every reference of every page against the output paths and the ids of each page."""

    def __init__(self, site: Site, scans: Mapping[str, PageScan], known: Iterable[str]):
        self.site, self.known, self.scans = site, set(known) | set(scans), dict(sorted(scans.items()))

    def problems(self) -> Iterable[tuple[str, Ref, str, str]]:
        """(page path, reference, severity, message) for every problem found."""
        known: dict[object, tuple[str, str] | None] = {}  # the same URL on many pages is resolved once
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

    def resolve(self, page: str, url: str) -> tuple[str, str] | None:
        """(severity, message) when `url` on `page` is broken, insecure or escapes the base path."""
        url = url.strip()
        if not url or url == "#" or url.lower().startswith(SKIP_SCHEMES):
            return None
        if url.startswith("#"):
            return self._anchor(page, url[1:], url)
        origin = self.site.origin
        if url.startswith("//") or _SCHEME.match(url):
            parts = urlsplit(url if not url.startswith("//") else "https:" + url)
            inside = f"{parts.scheme}://{parts.netloc}" == origin and (parts.path + "/").startswith(self.site.base_path)
            if not origin or not inside:  # another site, or another project on this host
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

    def _anchor(self, page: str, fragment: str, url: str) -> tuple[str, str] | None:
        scan = self.scans.get(page)
        if scan is None or fragment == "top" or unquote(fragment) in scan.ids:
            return None
        return "error", f"'{url}': the page {page} has no element with id '{unquote(fragment)}'"


# A target whose path normpath and unquote leave as it is (no '.', '..' or empty segment, no '%'), with no query:
# most links of a site. Its path and fragment are read off without urlsplit, normpath and unquote.
_PLAIN_TARGET = re.compile(r"((?:/[\w~+@=,;!$&'*()-][\w.~+@=,;!$&'*()-]*)*/?)(?:#([^%\s]*))?", re.ASCII)


def split_target(target: str) -> tuple[str, str]:
    """(normalized, unquoted path, fragment) of a link's target path ('/base/a/../b/#x' -> ('/base/b/', 'x'))."""
    if plain := _PLAIN_TARGET.fullmatch(target):
        return plain[1] or "/", plain[2] or ""
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


def _source_line(project: Path, site: Site, sources: tuple[str, ...], url: str) -> tuple[str, int]:
    """Where a reference was written: its line in the page's sources, else in a project template."""
    for source in sources:
        path = project / source
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        if line := _line_of(text, [url, unquote(url), url.replace("&", "&amp;")]):
            return source, line
    folder = project / "templates"
    templates = [(t, t.read_text(encoding="utf-8", errors="replace"))
                 for t in sorted(folder.rglob("*")) if t.is_file()] if folder.is_dir() else []
    for needle in _template_needles(site, url):
        for template, text in templates:
            if line := _line_of(text, [needle]):
                return template.relative_to(project).as_posix(), line
    return sources[0], 1


def page_sources(site: Site) -> dict[str, tuple[str, ...]]:
    """Output page path -> the files its content comes from, its own first (module, course.yaml, site.yaml).

    Course-level pages (the landing page, a whole-course print page) also show their modules' text.
    """
    found = {}
    for page in site_pages(site):
        if page.module:
            found[page.path] = (page.module.source,)
        elif page.course:
            found[page.path] = (page.course.source, *(m.source for m in page.course.modules))
        else:
            found[page.path] = ("content/site.yaml",)
    return found


def check_links(project: Path, site: Site, scans: Mapping[str, PageScan], known: Iterable[str]) -> list[Diagnostic]:
    """Diagnostics for the rendered pages (path -> scan_page(HTML)), each at the source file and line it comes from.

    A problem repeated on many pages (a template mistake) is reported once, with the number of pages.
    """
    checker = LinkChecker(site, scans, known)
    sources = page_sources(site)
    where: dict[tuple[str, int, str, str], list[tuple[bool, str]]] = {}
    located: dict[tuple[tuple[str, ...], str], tuple[str, int]] = {}
    for page, ref, severity, message in checker.problems():
        source = sources.get(page, ("content/site.yaml",))
        if (source, ref.url) not in located:
            located[source, ref.url] = _source_line(project, site, source, ref.url)
        path, line = located[source, ref.url]
        borrowed = path != source[0]  # False sorts first: name the page whose own source holds the link
        where.setdefault((path, line, severity, message), []).append((borrowed, f"{page}, line {ref.line}"))
    found = []
    for (path, line, severity, message), seen in sorted(where.items()):
        more = f" and {len(seen) - 1} more page{'s' if len(seen) > 2 else ''}" if len(seen) > 1 else ""
        found.append(Diagnostic(path, line, f"{message} (built page {min(seen)[1]}{more})", severity))
    return found
