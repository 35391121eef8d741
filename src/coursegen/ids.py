"""Ids of cards and headings: Unicode-aware slugs, made unique on a page GitHub-style (x, x-1, x-2).

Written here rather than taken from python-slugify: that library turns a combining mark (the vowel
signs of Hindi, Bengali, Thai...) into a hyphen, cutting words apart, and turns a typographic
apostrophe into a hyphen, which would change the ids pages already link to ('ninas-black-box')."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

FALLBACK = "section"  # the id of a title with no letter or digit ('!!!', an emoji)
_APOSTROPHES = frozenset("'\u2019\u02bc\u2018")  # dropped inside words: "Nina's" -> 'ninas'
_KEPT = ("L", "N", "M")  # Unicode categories kept: letters, numbers, marks of every script


def slugify(text: str) -> str:
    """Lower-cased letters, digits and marks of any script, every other run of characters one '-'.

    `## Что такое токен` -> 'что-такое-токен', `## 什么是注意力` -> '什么是注意力',
    `## Nina’s Black Box` -> 'ninas-black-box', `## Stage 1: Pre-training` -> 'stage-1-pre-training'.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text).lower():
        if char in _APOSTROPHES:
            continue
        if unicodedata.category(char)[0] in _KEPT:
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-") or FALLBACK


class PageIds:
    """The ids taken on one page; `unique` gives a base id, or base-1, base-2... when it is taken."""

    def __init__(self, reserved: Iterable[str] = ()):
        self.taken: set[str] = set(reserved)
        self._tried: dict[str, int] = {}  # per base: every suffix up to it is taken (linear, not quadratic)

    def unique(self, base: str) -> str:
        count = self._tried.get(base, 0)
        found = f"{base}-{count}" if count else base
        while found in self.taken:
            count += 1
            found = f"{base}-{count}"
        self._tried[base] = count
        self.taken.add(found)
        return found
