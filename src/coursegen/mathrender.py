"""TeX formulas -> MathML at build time: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` in Markdown.

The page gets MathML, which browsers render natively and screen readers read: no script, no font, no
request. latex2mathml converts; it lets some mistakes through (an unknown command comes out as its
name, an unclosed brace is closed for you), so `problem()` also checks for those, and a formula that
has any is a content error at its line (parse.py reports it; the page shows the TeX as code).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

INLINE_TYPES = frozenset(("math_inline", "math_inline_double"))
BLOCK_TYPES = frozenset(("math_block", "math_block_eqno"))

_UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)


class MathProblem(ValueError):
    """A formula that cannot be turned into MathML; the message says why."""


_MESSAGES = {  # latex2mathml's exception names that do not say it in words
    "NoAvailableTokensError": "a command is missing its argument (like '\\frac{a}' without '{b}')",
    "StopIteration": "the formula ends too early (a '\\left' without '\\right'?)",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "MissingEndError": "a '\\begin{…}' has no matching '\\end{…}'",
}


def _words(name: str) -> str:
    """Why latex2mathml failed, from its exception's name: 'MissingEndError' -> 'missing end'."""
    return _MESSAGES.get(name) or " ".join(re.findall(r"[A-Z][a-z]*", name.removesuffix("Error"))).lower()


def _brace_problem(tex: str) -> str | None:
    depth = 0
    for match in _BRACES.finditer(tex):
        if match[0] == "{":
            depth += 1
        elif match[0] == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no '{'"
    return "a '{' is never closed; add its '}'" if depth else None


@lru_cache(maxsize=1024)
def to_mathml(tex: str, display: bool) -> str:
    """The MathML of one formula; raises MathProblem when it cannot be converted faithfully."""
    if not tex.strip():
        raise MathProblem("the formula is empty")
    if (braces := _brace_problem(tex)) is not None:
        raise MathProblem(braces)
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 - latex2mathml raises bare Exceptions (and StopIteration), mostly without a message
        raise MathProblem(str(exc) or _words(type(exc).__name__)) from None
    if unknown := _UNKNOWN_COMMAND.search(mathml):
        raise MathProblem(f"unknown TeX command '{unknown[1]}'")
    return mathml


def problem(tex: str, display: bool) -> str | None:
    """Why `tex` cannot be converted, or None when it can."""
    try:
        to_mathml(tex, display)
    except MathProblem as exc:
        return str(exc)
    return None


def math_html(tex: str, display: bool) -> str:
    """A formula's HTML: MathML, or its TeX as code when it cannot be converted (that is reported)."""
    tex = tex.strip()
    try:
        mathml = to_mathml(tex, display)
    except MathProblem:
        mathml = f'<code class="cg-math-error">{escape(tex)}</code>'
    # tabindex: a formula wider than the column scrolls, and a keyboard must be able to scroll it too
    return f'<div class="cg-math" tabindex="0">{mathml}</div>\n' if display else mathml


def _inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return math_html(tokens[idx].content, tokens[idx].type == "math_inline_double")


def _block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return math_html(tokens[idx].content, True)


def _place_bracket_blocks(state: StateCore) -> None:
    """Give each `\\[…\\]` block the source lines it spans (texmath's block rule leaves its map empty): it
    starts on the first line at or after where the previous block ended that holds its opening."""
    lines = state.src.split("\n")
    openers: list[Token] = []
    cursor = 0
    for token in state.tokens:
        if token.nesting == 1:
            openers.append(token)
            cursor = token.map[0] + 1 if token.map else cursor
        elif token.nesting == -1:
            opener = openers.pop() if openers else None
            cursor = opener.map[1] if opener is not None and opener.map else cursor
        elif token.map:
            cursor = token.map[1]
        elif token.type in BLOCK_TYPES:
            start = next((n for n in range(cursor, len(lines)) if "\\[" in lines[n]), cursor)
            cursor = start + token.content.count("\n") + 1
            token.map = [start, cursor]


def math_plugin(md: MarkdownIt) -> None:
    """Parse the four kinds of formula and render them as MathML.

    Dollars follow Pandoc's rule, so prices stay text: no space inside the dollars and no digit right
    after the opening one or before the closing one (`$20 and $30` is not a formula).
    """
    texmath_plugin(md, delimiters="brackets")
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False, allow_blank_lines=False)
    md.core.ruler.after("block", "cg_math_lines", _place_bracket_blocks)
    for name in INLINE_TYPES:
        md.add_render_rule(name, _inline)
    for name in BLOCK_TYPES:
        md.add_render_rule(name, _block)
