"""Where an author's link may point: every page and file of the site, and the placeholders that stand for links."""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml

from .parse import PLACEHOLDER_CHARS

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
        self.drafts: set[str] = set()

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
                return href, f"link to '#{unquote(fragment)}': no card or heading with that id on this page"
            return href, None
        if href.startswith("/"):
            return href, f"'{href}' is an absolute path; link relative to this file so it works under any base URL"
        target = posixpath.normpath(posixpath.join(from_dir, unquote(path.split("?")[0])))
        if target.startswith("../") or target == "..":
            return href, f"'{href}' points outside content/; keep linked files inside the course folder"
        return self._in_content(href, path, fragment, target, kind)

    def _in_content(self, href: str, path: str, fragment: str, target: str, kind: str) -> tuple[str, str | None]:
        """resolve() for a target inside content/ (`target`, content-relative)."""
        suffix = f"#{fragment}" if fragment else ""
        path, fragment = unquote(path), unquote(fragment)  # as the author wrote them, for lookups and messages
        if target in self.pages:
            url, anchors = self.pages[target]
            if fragment and fragment not in anchors:
                return href, f"link to '{path}#{fragment}': that module has no card or heading with id '{fragment}'"
            return url + suffix, None
        if target in self.drafts:
            return href, (f"'{path}' is a draft; it is not published, so this link would break "
                          "(build with --drafts to preview)")
        if target.endswith(".md"):
            return href, f"link to '{path}': no such module"
        if target in self.files:
            return self.files[target] + suffix, None
        what = "image" if kind == "image" else "file"
        return href, f"{what} '{path}' not found (looked for content/{target})"
