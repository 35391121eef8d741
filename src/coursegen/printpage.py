"""The whole-course print page: module HTML with its ids made unique on a page that holds every module."""
from __future__ import annotations

import re
from collections.abc import Callable

_ID_ATTRS = re.compile(r'\b(id|for|name|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
# No leading \b: a pattern that starts with a literal is searched for quickly; _sub_at_word_start checks the \b.
_LOCAL_HREF = re.compile(r'href="#([^"]*)"')
_WORD = re.compile(r"\w")


def scope_ids(html: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) in `html` with `prefix--`.

    Card ids are unique within a module page, not across a course; the print page joins them.
    """
    def ids(match: re.Match[str]) -> str:
        scoped = " ".join(f"{prefix}--{value}" for value in match.group(2).split())
        return f'{match.group(1)}="{scoped}"'

    # most card HTML has no such attribute: skip the slow \b scan (a chain of `in`, cheaper than any())
    if 'id="' in html or 'for="' in html or 'name="' in html or "aria-" in html:
        html = _ID_ATTRS.sub(ids, html)
    return _sub_at_word_start(_LOCAL_HREF, html, lambda m: f'href="#{prefix}--{m.group(1)}"')


def _sub_at_word_start(pattern: re.Pattern[str], html: str, replace: Callable[[re.Match[str]], str]) -> str:
    """`re.sub` of a pattern that starts with a word character, as if it began with \\b.

    A match right after a word character is skipped and searched again one character on, as \\b would.
    """
    parts: list[str] = []
    done = start = 0
    while (match := pattern.search(html, start)) is not None:
        begin = match.start()
        if begin and _WORD.match(html, begin - 1):
            start = begin + 1
            continue
        parts += (html[done:begin], replace(match))
        done = start = match.end()
    if not parts:
        return html
    parts.append(html[done:])
    return "".join(parts)
