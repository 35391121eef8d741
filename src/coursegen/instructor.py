"""Instructor notes: `::: instructor` blocks, taken out of the learner's pages and kept for the course's
instructor view (`/<course>/instructor/`) and its print variant.

A note belongs to the card it is written in ('' for the module's intro); the instructor views show it at
the end of that card. Its text is left out of the card's preview, the word count and the search index,
because none of those ever see it: the block's tokens leave the card before anything is rendered.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from .blocks import container_kind

KIND = "instructor"


@dataclass(frozen=True)
class NoteTokens:
    """The inside of one `::: instructor` block, its opening line's text after the kind, and that line
    (0-based, in the Markdown body)."""

    title: str
    line: int
    tokens: tuple[Token, ...]


def _is_note(token: Token) -> bool:
    return token.type == "container_block_open" and container_kind(token.info)[0] == KIND


def take_notes(tokens: Sequence[Token]) -> tuple[tuple[Token, ...], tuple[NoteTokens, ...]]:
    """The tokens without their instructor blocks, and the inside of each block, in order."""
    kept: list[Token] = []
    notes: list[NoteTokens] = []
    inside: list[Token] | None = None
    depth, opener = 0, Token("container_block_open", "div", 1)
    for token in tokens:
        if inside is None:
            if _is_note(token):
                inside, depth, opener = [], 0, token
            else:
                kept.append(token)
            continue
        if token.type == "container_block_open":
            depth += 1
        elif token.type == "container_block_close":
            if depth == 0:
                notes.append(NoteTokens(container_kind(opener.info)[1], opener.map[0] if opener.map else 0, tuple(inside)))
                inside = None
                continue
            depth -= 1
        inside.append(token)
    return tuple(kept), tuple(notes)
