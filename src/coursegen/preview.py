"""Concept-card previews: plain text cut at a word boundary, with '…' only when cut."""
from __future__ import annotations

import re

ELLIPSIS = "…"
_TRAILING = " ,;:.-–—([{\"'“‘"
_ENTITY_START = re.compile(r"&#?[A-Za-z0-9]+$")


def cut_preview(text: str, limit: int) -> str:
    """Fold whitespace and cut to at most `limit` characters, the ellipsis included."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    if text[room] != " ":
        cut = cut[: max(cut.rfind(" "), 0)]  # never end inside a word, even a first word too long to show
    trimmed = cut.rstrip(_TRAILING)
    if _ENTITY_START.search(trimmed) and text[len(trimmed)] == ";":  # '&amp;' stays whole
        trimmed += ";"
    return (trimmed or cut) + ELLIPSIS
