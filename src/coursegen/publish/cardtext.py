"""Whether a social card can show a text as a reader would write it: right-to-left and joined scripts
(Arabic, Hebrew, Persian, Indic scripts) need Pillow's raqm layout (FriBiDi and HarfBuzz) to come out in the
right order with their letters joined, and every character needs a glyph in the card's font (DejaVu Sans has
Arabic, Hebrew, Cyrillic and Greek, but no Chinese or Japanese). A text that cannot be drawn so is left off
the card rather than drawn reversed, unjoined or as empty boxes."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont


@lru_cache(maxsize=1)
def can_shape() -> bool:
    """Pillow was built with raqm (its wheels are, with FriBiDi and HarfBuzz inside)."""
    from PIL import features
    return bool(features.check("raqm"))


def needs_shaping(text: str) -> bool:
    """Right-to-left letters, or marks that combine with their letter into one shape (Indic vowel signs)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") or unicodedata.category(ch) == "Mc" for ch in text)


def is_rtl_text(text: str) -> bool:
    """The text's first strong character is right to left (the Unicode bidi rule for a paragraph's direction)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=4096)
def _missing(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    """The font has no glyph for `ch`: it draws the same box as for a character no font has."""
    return bytes(font.getmask(ch)) == bytes(font.getmask("\U0010fffd"))


def drawable(text: str, font: ImageFont.FreeTypeFont) -> bool:
    """The card can show `text` in `font`: every character has a glyph, and shaping is there when needed."""
    if needs_shaping(text) and not can_shape():
        return False
    return not any(_missing(font, ch) for ch in set(text) if not ch.isspace() and unicodedata.category(ch)[0] != "C")
