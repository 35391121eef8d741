"""Concept-card previews: plain text cut at a word boundary, with '…' only when cut."""
from __future__ import annotations

ELLIPSIS = "…"
_TRAILING = " ,;:.-–—([{\"'“‘"


def cut_preview(text: str, limit: int) -> str:
    """Fold whitespace and cut to at most `limit` characters, the ellipsis included."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    if text[room] != " ":
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    trimmed = cut.rstrip(_TRAILING)
    return (trimmed or cut) + ELLIPSIS
