"""Slips in the shape of a module's Markdown, reported at the line to change: blocks and fences left open
(which swallow what follows them), headings one level off, images without alt text.

Each check reads markdown-it's block tokens (`Token.map` lines are 0-based within the body) and reports
1-based lines of the file: `offset` is the number of lines before the body."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it.token import Token

from .blocks import container_kind

Report = Callable[[int, str], None]  # (1-based line of the file, message)
FENCED = ("quiz", "widget")  # fences whose body coursegen reads (YAML): an open one shows as a YAML error


def _name(token: Token) -> str:
    kind, _ = container_kind(token.info)
    return f"{token.markup} {kind}"


def _closes(line: str, markup: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(markup) and not stripped.strip(markup[0])


def check_containers(tokens: Sequence[Token], lines: list[str], offset: int, error: Report) -> bool:
    """Report each ::: block that is not closed where it should be; True when one swallowed a card heading
    (then the cards the author meant are not the cards the page has, and no more need be said of them)."""
    check = _Containers(offset, error)
    for index, token in enumerate(tokens):
        if token.type == "container_block_open":
            check.opened(token)
        elif token.type == "container_block_close" and check.open_blocks:
            check.open_blocks.pop()
        elif token.type == "heading_open" and token.tag in ("h1", "h2") and check.open_blocks:
            check.heading_inside(token, tokens[index + 1].content)
    for token in tokens:
        if token.type == "container_block_open" and not token.meta.get("material") and not _closed(token, lines):
            check.unclosed(token)
    return check.swallowed


class _Containers:
    """The ::: blocks open at a point of the token stream, and the ones already reported (once each)."""

    def __init__(self, offset: int, error: Report):
        self.offset, self.error = offset, error
        self.open_blocks: list[Token] = []
        self.reported: set[int] = set()
        self.swallowed = False

    def report(self, block: Token, message: str) -> None:
        if id(block) not in self.reported:
            self.reported.add(id(block))
            self.error(_start(block) + self.offset + 1, message)

    def opened(self, token: Token) -> None:
        if self.open_blocks and _same_end(outer := self.open_blocks[-1], token):
            self.report(outer, f"the '{_name(outer)}' block opened here is never closed: the '{token.markup}' on "
                        f"line {_end(token) + self.offset + 1} closes the '{_name(token)}' block inside it; add a "
                        f"line '{outer.markup}' where this block ends (to put a block inside another, open the "
                        "outer one with one more ':')")
        self.open_blocks.append(token)

    def unclosed(self, token: Token) -> None:
        """A block open to the end of the body. A bare ':::' is one when nothing was open to close: the closer
        of a block reported already (say nothing more of it), or a stray line (say that, and only that)."""
        if container_kind(token.info)[0]:
            self.report(token, f"the '{_name(token)}' block opened here is never closed; add a line "
                        f"'{token.markup}' where it ends")
            return
        token.meta["stray"] = True  # not a block: parse.py does not check it as one
        if not self.reported:
            self.report(token, f"this '{token.markup}' closes no block: none is open here; remove the line")

    def heading_inside(self, heading: Token, title: str) -> None:
        self.swallowed = True
        block = self.open_blocks[-1]
        self.report(block, f"the '{_name(block)}' block opened here is not closed before the card "
                    f"'{heading.markup} {title}' on line {_start(heading) + self.offset + 1}; add a line "
                    f"'{block.markup}' where the block ends")


def _start(token: Token) -> int:
    return token.map[0] if token.map else 0


def _end(token: Token) -> int:
    return token.map[1] if token.map else 0


def _same_end(outer: Token, inner: Token) -> bool:
    """One closing line ended both blocks: the inner block's closer was taken as the outer's too."""
    return _end(outer) == _end(inner) and outer.markup == inner.markup


def _closed(token: Token, lines: list[str]) -> bool:
    end = _end(token)
    return end < len(lines) and _closes(lines[end], token.markup)


def check_fences(tokens: Sequence[Token], lines: list[str], offset: int, error: Report) -> None:
    """Report a ```quiz or ```widget fence that runs past its end: into the next fence, or to the end of
    the file. Marks it `meta['unclosed']`, so its body is not read as YAML (which would only say that a
    line of Markdown is bad YAML)."""
    for token in tokens:
        kind = token.info.strip().split(" ")[0]
        if token.type != "fence" or kind not in FENCED or not token.map:
            continue
        start, end = token.map
        body = range(start + 1, end - 1 if end - 1 > start and _closes(lines[end - 1], token.markup) else end)
        inner = next((n for n in body if lines[n].strip().startswith(token.markup)), None)
        what = f"'{token.markup}{kind}' block"
        if inner is not None:
            error(start + offset + 1, f"the {what} opened here is not closed before the '{lines[inner].strip()}' "
                  f"on line {inner + offset + 1}; add a line '{token.markup}' after the {kind}'s last line")
        elif end > start + 1 and not _closes(lines[end - 1], token.markup):
            error(start + offset + 1, f"the {what} opened here is never closed; add a line '{token.markup}' after the "
                  f"{kind}'s last line")
        else:
            continue
        token.meta["unclosed"] = True


def check_headings(tokens: Sequence[Token], offset: int, warn: Report) -> None:
    """A '# ' heading (a second page title) and a '### ' before the first card: a card written one level off."""
    seen_card = False
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0:
            continue
        title = tokens[index + 1].content
        if token.tag == "h1":
            warn(_start(token) + offset + 1, f"'# {title}' makes a second page title (the module's title is the first); "
                 f"use '## {title}' for a card, or '### {title}' for a heading inside one")
        elif token.tag == "h2":
            seen_card = True
        elif token.tag == "h3" and not seen_card:
            warn(_start(token) + offset + 1, f"'### {title}' comes before the first card, so it is not one; use '## {title}' "
                 "to start a card")


def images_without_alt(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """(source line, src) of each Markdown image with no alt text (`![](x.svg)`); lines as _mark_link_lines
    stored them in the image tokens."""
    found = []
    for token in tokens:
        for child in (token.children or []) if token.type == "inline" else []:
            if child.type == "image" and not child.content.strip() and not child.children:
                found.append((child.meta.get("line", 1), str(child.attrGet("src") or "")))
    return found
