"""Glossary terms in a course's modules: the first use of each term in a module links to its glossary entry,
with the definition as a tooltip; every use is a back-link from the glossary page (SPEC 4.6).

Runs on the modules' rendered HTML in the model stage: a term is matched as a whole word (or phrase),
ignoring case, in text outside code, links, headings, math, quizzes, widgets and form controls. In
scripts written without spaces between words (Chinese, Japanese, Thai...) a term's edge in such a
script needs no word boundary.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape

from pyuca import Collator  # type: ignore[import-untyped]

from .glossary import GlossaryEntry, word_key
from .ids import PageIds, slugify
from .model import Module, Term, TermRef, TermUse

# What a page of the theme already names (base.html and its partials): no term gets these ids.
PAGE_IDS = ("main", "cg-messages", "cg-search-input", "cg-search-panel", "toc-heading", "glossary-heading")
# Elements whose text is never linked: code, links, headings, math, quizzes (forms), controls, embedded media.
SKIPPED = frozenset({"a", "audio", "button", "canvas", "code", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                     "iframe", "kbd", "label", "math", "noscript", "object", "option", "pre", "samp", "script",
                     "select", "style", "summary", "svg", "template", "textarea", "var", "video"})
SKIPPED_CLASSES = frozenset({"cg-widget", "cg-term-tip", "cg-no-terms"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")

# (plain-text block definition HTML, inline tooltip HTML) of an entry
Renderer = Callable[[GlossaryEntry], tuple[str, str]]


def _unspaced(char: str) -> bool:
    """Whether `char` is of a script that writes words without spaces between them."""
    return unicodedata.name(char, "").startswith(_UNSPACED)


def _pattern(word: str) -> str:
    """The regular expression of a term or alias as it appears in HTML text: escaped like Markdown escapes
    text, any whitespace between its words, and a word boundary at each edge (unless in an unspaced script)."""
    escaped = escape(word, quote=False).replace('"', "&quot;")
    body = r"\s+".join(re.escape(part) for part in escaped.split())
    before = "" if _unspaced(word[0]) else r"(?<![\w&#-])"
    after = "" if _unspaced(word[-1]) else r"(?![\w-])"
    return f"{before}{body}{after}"


class TermMatcher:
    """Finds the terms and aliases of a glossary in text (longest first where two start at one place)."""

    def __init__(self, words: Mapping[str, str]):  # word (term or alias) -> term id
        self.owner = {word_key(w): term for w, term in words.items()}
        ordered = sorted(words, key=len, reverse=True)
        self.regex = re.compile("|".join(_pattern(w) for w in ordered), re.IGNORECASE) if ordered else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term id) of each use in an HTML text (no tags in it)."""
        if self.regex is None:
            return []
        return [(m.start(), m.end(), self.owner[word_key(_unescape(m.group()))]) for m in self.regex.finditer(text)]


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _skips(name: str, attributes: str) -> bool:
    if name in SKIPPED:
        return True
    match = _CLASS.search(attributes)
    return bool(match and SKIPPED_CLASSES & set((match.group(1) or match.group(2) or match.group(3)).split()))


@dataclass
class _Linker:
    """Links the first use of each term on one module page (the intro, then each card in order)."""

    matcher: TermMatcher
    url: str  # of the glossary page
    tips: Mapping[str, str]  # term id -> tooltip HTML
    linked: set[str]

    def link(self, html: str) -> tuple[str, set[str]]:
        """`html` with the first uses linked, and the ids of every term it uses."""
        out: list[str] = []
        used: set[str] = set()
        open_tags: list[tuple[str, bool]] = []  # (name, skipped) of each element open at this point
        skipped = 0
        position = 0
        for tag in _TAG.finditer(html):
            text = html[position:tag.start()]
            out.append(self._text(text, used) if text and not skipped else text)
            out.append(tag.group())
            position = tag.end()
            closing, name = tag.group(1), (tag.group(2) or "").lower()
            if not name or name in VOID or tag.group(3).rstrip().endswith("/"):
                continue
            if not closing:
                skip = _skips(name, tag.group(3))
                open_tags.append((name, skip))
                skipped += skip
            elif any(n == name for n, _ in open_tags):
                while open_tags:
                    popped, skip = open_tags.pop()
                    skipped -= skip
                    if popped == name:
                        break
        rest = html[position:]
        out.append(self._text(rest, used) if rest and not skipped else rest)
        return "".join(out), used

    def _text(self, text: str, used: set[str]) -> str:
        out, position = [], 0
        for start, end, term in self.matcher.find(text):
            used.add(term)
            if term in self.linked:
                continue
            self.linked.add(term)
            out.append(text[position:start])
            out.append(self._markup(text[start:end], term))
            position = end
        out.append(text[position:])
        return "".join(out)

    def _markup(self, text: str, term: str) -> str:
        anchor = escape(f"{self.url}#{term}")
        tip = escape(f"cg-tip-{term}")
        return (f'<span class="cg-term-wrap"><a class="cg-term" href="{anchor}" aria-describedby="{tip}">{text}</a>'
                f'<span class="cg-term-tip" id="{tip}" role="tooltip" data-pagefind-ignore>{self.tips[term]}</span>'
                "</span>")


def _unlinked(html: str) -> str:
    """Inline HTML without its links (a tooltip holds no control): each link becomes its text."""
    return re.sub(r"</?a\b[^>]*>", "", html)


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()  # reads the Unicode collation table (~0.1 s): once, and only for a course with a glossary


def sort_key(name: str) -> tuple[object, str]:
    """Alphabetical order by the Unicode Collation Algorithm (accented letters beside their base letters,
    case second), then by the text itself so that the order is total."""
    return tuple(_collator().sort_key(name)), name


def course_glossary(entries: Sequence[GlossaryEntry], modules: Sequence[Module], url: str, render: Renderer,
                    warn: Callable[[int, str], None]) -> tuple[tuple[Module, ...], tuple[Term, ...]]:
    """The modules with the first use of each term linked (per module), and the course's terms in
    alphabetical order with their back-links; a warning for each term that no module uses."""
    ids = PageIds(PAGE_IDS)
    term_ids = {entry.name: ids.unique(slugify(entry.name)) for entry in entries}
    words = {word: term_ids[e.name] for e in entries for word in (e.name, *e.aliases)}
    rendered = {e.name: render(e) for e in entries}
    tips = {term_ids[name]: _unlinked(inline) for name, (_, inline) in rendered.items()}
    matcher = TermMatcher(words)
    uses: dict[str, list[TermUse]] = {term: [] for term in term_ids.values()}
    linked_modules = []
    for module in modules:
        linker = _Linker(matcher, url, tips, set())
        intro, used = linker.link(module.intro_html)
        for term in sorted(used):
            uses[term].append(TermUse(module.title, "", module.url))
        cards = []
        for card in module.cards:
            html, used = linker.link(card.html)
            for term in sorted(used):
                uses[term].append(TermUse(module.title, card.title, card.url))
            cards.append(replace(card, html=html))
        linked_modules.append(replace(module, intro_html=intro, cards=tuple(cards)))
    for entry in entries:
        if not uses[term_ids[entry.name]]:
            forms = "' or '".join((entry.name, *entry.aliases))
            warn(entry.line, f"the term '{entry.name}' is used in no module of this course (looked for '{forms}' "
                 "as whole words, ignoring case, outside code, links and headings); add the form the cards use "
                 "to its 'aliases', or remove the term")
    terms = tuple(Term(term_ids[e.name], e.name, e.aliases, rendered[e.name][0], tips[term_ids[e.name]],
                       tuple(TermRef(name, term_ids[name]) for name in e.see), tuple(uses[term_ids[e.name]]))
                  for e in sorted(entries, key=lambda e: sort_key(e.name)))
    return tuple(linked_modules), terms
