"""Where an author's link may point: every page and file of the site, and the placeholders that stand for links."""
from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml

from .diagnostics import Diagnostics
from .parse import PLACEHOLDER_CHARS, ParsedModule

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|file|data(?!:image/(png|gif|jpeg|webp);)):", re.IGNORECASE)
_PLACEHOLDER = re.compile(f"{PLACEHOLDER_CHARS[0]}(\\d+){PLACEHOLDER_CHARS[1]}")


def fill(html: str, urls: list[str]) -> str:
    """`html` with placeholder n replaced by urls[n], escaped as Markdown escapes an attribute."""
    if PLACEHOLDER_CHARS[0] not in html:
        return html
    return _PLACEHOLDER.sub(lambda match: escapeHtml(urls[int(match.group(1))]), html)


class LinkTargets:
    """Every page and file a link may point at, keyed by content-relative path."""

    def __init__(self, site_base: str):
        self.base = site_base
        self.pages: dict[str, tuple[str, frozenset[str]]] = {}  # 'course/01-x.md' -> (url, anchors)
        self.files: dict[str, str] = {}  # 'course/images/a.svg' -> url
        self.drafts: set[str] = set()  # drafts left out of this build
        self.shown_drafts: set[str] = set()  # URLs of the drafts this build includes (serve, --drafts)
        self.unchecked: dict[str, str] = {}  # pages content errors left out: 'course/02-x.md' -> url, anchors unknown

    def resolve(self, href: str, from_dir: str, own_anchors: frozenset[str], kind: str) -> tuple[str, str | None]:
        """(url, problem) for an author's href written in a file in `from_dir` (content-relative)."""
        if _UNSAFE_URL.match(href):
            return "", (f"'{href}' is not allowed here: links may not run scripts or open local files; "
                        "use an http(s) link or a file of the course")
        if _SCHEME.match(href) or href.startswith("//"):
            return href, None
        path, _, fragment = href.partition("#")  # Markdown percent-encodes them: '#что' is '#%D1%87%D1%82%D0%BE'
        if not path:
            if fragment and unquote(fragment) not in own_anchors:
                return href, (f"link to '#{unquote(fragment)}': no card or heading with that id on this page"
                              f"{_did_you_mean(unquote(fragment), own_anchors, '#')}")
            return href, None
        if href.startswith("/"):
            return href, f"'{href}' is an absolute path; link relative to this file so it works under any base URL"
        target = _file_path(from_dir, path)
        if target.startswith("../") or target == "..":
            return href, f"'{href}' points outside content/; keep linked files inside the course folder"
        return self._in_content(href, path, fragment, target, kind)

    def resolver(self, from_dir: str, own_anchors: frozenset[str], diags: Diagnostics, rel: str,
                 line: int | None = None, published: bool = True) -> Callable[[str, int, str], str]:
        """A resolver for the links of file `rel`: resolve(), its problems reported at the link's line (or at
        `line`), and a warning for a link from a published page to a draft, which only a build with drafts has."""
        def resolve(href: str, link_line: int, kind: str) -> str:
            url, problem = self.resolve(href, from_dir, own_anchors, kind)
            if problem:
                diags.error(rel, line or link_line, problem)
            elif published and url.partition("#")[0] in self.shown_drafts:
                diags.warning(rel, line or link_line, f"link to '{unquote(href.partition('#')[0])}', a draft: the "
                              "link works in the preview but breaks 'coursegen build' (publish the draft: remove "
                              "its 'draft: true'; or remove the link)")
            return url

        return resolve

    def _module_hint(self, path: str, target: str) -> str:
        """'; did you mean '03-dreamer.md'?' for a misspelt module file, written as the link wrote its folder."""
        folder = posixpath.dirname(target)
        names = [posixpath.basename(key) for key in (*self.pages, *self.drafts) if posixpath.dirname(key) == folder]
        return _did_you_mean(posixpath.basename(target), names, path[: len(path) - len(posixpath.basename(path))])

    def _in_content(self, href: str, path: str, fragment: str, target: str, kind: str) -> tuple[str, str | None]:
        """resolve() for a target inside content/ (`target`, content-relative)."""
        suffix = f"#{fragment}" if fragment else ""
        path, fragment = unquote(path), unquote(fragment)  # as the author wrote them, for lookups and messages
        if target in self.pages:
            url, anchors = self.pages[target]
            if fragment and fragment not in anchors:
                return href, (f"link to '{path}#{fragment}': that module has no card or heading with id '{fragment}'"
                              f"{_did_you_mean(fragment, anchors, f'{path}#')}")
            return url + suffix, None
        if target in self.unchecked:
            return self.unchecked[target] + suffix, None
        if target in self.drafts:
            return href, (f"'{path}' is a draft; it is not published, so this link would break "
                          "(build with --drafts to preview)")
        if target.endswith(".md"):
            return href, f"link to '{path}': no such module{self._module_hint(path, target)}"
        if target in self.files:
            return self.files[target] + suffix, None
        if posixpath.basename(target) == "course.yaml":
            return href, (f"link to '{path}': no published course '{posixpath.dirname(target)}' (a course's page is "
                          "linked as its course.yaml, for example '../other-course/course.yaml')")
        what = "image" if kind == "image" else "file"
        return href, f"{what} '{path}' not found (looked for content/{target})"


def _file_path(from_dir: str, path: str) -> str:
    """Where the path of a link (no '#fragment'), percent-encoded as Markdown leaves it, lands: its file, relative
    to content/ when `from_dir` is (query dropped, then decoded: 'q%3F.svg' is the file 'q?.svg')."""
    return posixpath.normpath(posixpath.join(from_dir, unquote(path.split("?")[0])))


def _did_you_mean(wrong: str, known: Iterable[str], prefix: str) -> str:
    """'; did you mean 'PREFIXclosest'?' when one of `known` is close to `wrong` (a typo, or the start of it), else ''."""
    known = sorted(known)
    started = sorted((k for k in known if len(wrong) > 1 and k.startswith(wrong)), key=len)
    close = started or difflib.get_close_matches(wrong, known, n=1, cutoff=0.75)
    return f"; did you mean '{prefix}{close[0]}'?" if close else ""


def draft_only_files(hidden: Iterable[ParsedModule], shown: Iterable[ParsedModule]) -> set[str]:
    """The course's files (paths in its folder) that only the modules left out of this build link, by a Markdown
    link or image or a card's visual: they stay out of the site with their drafts, instead of waiting at a
    guessable URL. A file that a shown module, raw HTML or no module at all uses is published as always."""
    def used(modules: Iterable[ParsedModule]) -> set[str]:
        found = set()
        for module in modules:
            hrefs = [ref.href for ref in module.links] + [c.visual for c in module.meta.cards or () if c.visual]
            for href in hrefs:
                path = href.partition("#")[0]
                if path and not _SCHEME.match(path) and not path.startswith("/"):
                    found.add(_file_path("", path))
        return found

    return used(hidden) - used(shown)
