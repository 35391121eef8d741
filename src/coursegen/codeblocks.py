"""Code blocks: ```` ```python title="app.py" linenums="1" hl_lines="2 3" ````, read, checked and rendered.

The file name is the caption of a <figure>; line numbers are empty `aria-hidden` spans that the stylesheet
fills from `data-n` (so they are neither copied with the code nor read by screen readers); highlighted
lines are <mark>s. The theme's code.js adds a copy button to every block when JavaScript is on.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

ATTRIBUTES = ("title", "linenums", "hl_lines")
_ATTRIBUTE = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")

Report = Callable[[str, str], None]  # (severity 'error'|'warning', message), at the fence's line


@dataclass(frozen=True)
class CodeBlock:
    lang: str  # the language name as written ('' for none)
    title: str = ""  # the file name shown above the code
    start: int | None = None  # the number of the first line; None: no line numbers
    marked: frozenset[int] = frozenset()  # the highlighted lines, 1-based within the block


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def lexer(name: str) -> Lexer | None:
    """The Pygments lexer for a fence's language name, None when Pygments has none.

    Cached: the lookup scans every lexer's aliases, and lexers keep no state between texts.
    """
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _language_names() -> tuple[str, ...]:
    return tuple(sorted({alias for _, aliases, _, _ in get_all_lexers() for alias in aliases}))


def split_info(info: str) -> tuple[str, dict[str, str], list[str]]:
    """A fence's info string -> (language, attributes, the other words that are not `key=value`)."""
    words = info.strip()
    lang = ""
    if words and "=" not in words.split()[0]:
        lang, _, words = words.partition(" ")
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(words):
        attributes[match[1]] = next(v for v in match.groups()[1:] if v is not None)
    stray = _ATTRIBUTE.sub(" ", words).split()
    return lang, attributes, stray


def read_code_block(info: str, code: str, report: Report) -> CodeBlock:
    """The code block a fence's info string asks for; what is wrong with it goes to `report`."""
    lang, attributes, stray = split_info(info)
    if lang and lexer(lang) is None:
        close = difflib.get_close_matches(lang.lower(), _language_names(), n=1, cutoff=0.7)
        hint = f"; did you mean '{close[0]}'?" if close else " (the code is shown without colours; 'text' for none)"
        report("warning", f"unknown language '{lang}' in a code block{hint}")
    for key in attributes:
        if key not in ATTRIBUTES:
            close = difflib.get_close_matches(key, ATTRIBUTES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(ATTRIBUTES)}"
            report("warning", f"unknown code block attribute '{key}'; {hint}")
    if stray:
        report("warning", f"'{' '.join(stray)}' after the language of a code block is ignored; attributes are "
               "written key=\"value\", like title=\"app.py\"")
    return CodeBlock(lang, attributes.get("title", "").strip(), _start(attributes.get("linenums"), report),
                     _marked(attributes.get("hl_lines"), code.count("\n") or 1, report))


def _start(value: str | None, report: Report) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        report("error", f"linenums=\"{value}\" must be the number of the first line, like linenums=\"1\"")
        return None
    return int(value)


def _marked(value: str | None, count: int, report: Report) -> frozenset[int]:
    if value is None:
        return frozenset()
    lines: set[int] = set()
    for word in value.replace(",", " ").split():
        match = _RANGE.match(word)
        if match is None:
            report("error", f"hl_lines=\"{value}\": '{word}' is not a line number or a range like 2-4")
            continue
        first, last = int(match[1]), int(match[2] or match[1])
        if not 1 <= first <= last <= count:
            report("error", f"hl_lines=\"{value}\": line {word} is not in the block, which has {count} "
                   f"line{'s' if count != 1 else ''} (hl_lines counts from 1, whatever linenums says)")
            continue
        lines.update(range(first, last + 1))
    return frozenset(lines)


def highlight_code(code: str, lang: str) -> str:
    """Pygments-highlighted code in a <pre><code> pair (plain, escaped code for unknown languages)."""
    name = lang.split()[0] if lang.strip() else ""
    return _pre(name, _body(code, name))


def _body(code: str, name: str) -> str:
    found = lexer(name) if name else None
    return highlight(code, found, _formatter()) if found else escape(code)


def _pre(name: str, body: str) -> str:
    css = f' class="language-{escape(name)}"' if name else ""
    return f'<pre class="highlight"><code{css}>{body}</code></pre>\n'


def _lines(body: str, block: CodeBlock) -> str:
    """Each line of highlighted code in a span (a <mark> when highlighted), after its number if shown.

    Pygments closes every token's span at the end of its line, so the lines can be split on newlines."""
    out = []
    for number, line in enumerate(body.removesuffix("\n").split("\n"), 1):
        tag = "mark" if number in block.marked else "span"
        ln = "" if block.start is None else f'<span class="cg-ln" data-n="{block.start + number - 1}" aria-hidden="true"></span>'
        out.append(f'<{tag} class="cg-line">{ln}{line}\n</{tag}>')
    return "".join(out)


def code_block_html(code: str, block: CodeBlock) -> str:
    """A code block: its file name as the figure's caption, the code with line numbers and marked lines."""
    body = _body(code, block.lang)
    if block.start is not None or block.marked:
        body = _lines(body, block)
    pre = _pre(block.lang, body)
    if block.title:
        return (f'<figure class="cg-code"><figcaption class="cg-code-title">{escape(block.title)}</figcaption>'
                f'{pre}</figure>\n')
    return f'<div class="cg-code">{pre}</div>\n'
