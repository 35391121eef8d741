"""The whole-course print page: module HTML with its ids made unique on a page that holds every module."""
from __future__ import annotations

import re

_ID_ATTRS = re.compile(r'\b(id|for|name|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
_LOCAL_HREF = re.compile(r'\bhref="#([^"]*)"')


def scope_ids(html: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) in `html` with `prefix--`.

    Card ids are unique within a module page, not across a course; the print page joins them.
    """
    def ids(match: re.Match[str]) -> str:
        scoped = " ".join(f"{prefix}--{value}" for value in match.group(2).split())
        return f'{match.group(1)}="{scoped}"'

    html = _ID_ATTRS.sub(ids, html)
    return _LOCAL_HREF.sub(lambda m: f'href="#{prefix}--{m.group(1)}"', html)
