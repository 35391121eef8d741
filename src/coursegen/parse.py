"""A module file -> ParsedModule: its front matter, and its Markdown rendered to HTML card by card.

A ParsedModule depends on the file alone (and the widget names known): links to other pages are left
as placeholders (LinkRef, see links.fill), which the model stage resolves once every page is known.
So a parsed module is pure, plain data that can be computed anywhere and kept between builds."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import alignment, blocks, codeblocks, instructor, mathrender, structure
from .alignment import GoalCheck
from .config import ModuleMeta, read_module_meta
from .content import ModuleFile
from .diagnostics import Diagnostics
from .frontmatter import FrontMatterProblem, split_front_matter
from .ids import PageIds, slugify
from .markdown import plain_text, render_tokens, yaml_inline
from .yamlsource import YamlDoc, YamlProblem, parse_yaml

MAX_MODULE_CHARS = 16_000_000  # prose takes ~50 bytes of memory per character while a module is parsed
MAX_TABLE_CELLS = 20_000  # ... and a table ~700 bytes per character: 4 tokens per cell
PLACEHOLDER_CHARS = ("\x02", "\x03")  # what a link placeholder is made of; never left in a text


@dataclass(frozen=True)
class LinkRef:
    """A link or image target as the author wrote it, at its source line."""

    href: str
    line: int
    kind: str  # 'link' or 'image'


@dataclass(frozen=True)
class ParsedCard:
    id: str
    title: str  # plain text of the heading
    title_html: str
    html: str  # the body after the heading, with link placeholders
    line: int
    text: str  # plain text of the body, for previews and search


@dataclass(frozen=True)
class ParsedNote:
    """An instructor note (`::: instructor`), rendered, with the card it is written in ('' for the intro)."""

    card: str
    title: str  # what follows '::: instructor' on its line, '' for none
    html: str  # with link placeholders
    line: int


@dataclass(frozen=True)
class ParsedModule:
    rel: str  # project-relative path of the file
    number: int
    slug: str
    meta: ModuleMeta
    intro_html: str  # with link placeholders
    cards: tuple[ParsedCard, ...]
    goals_html: tuple[str, ...]
    sources_html: tuple[str, ...]
    anchors: frozenset[str]  # every id on the page an author may link to
    word_count: int
    widgets: tuple[str, ...]  # names of the widgets the page uses
    links: tuple[LinkRef, ...]  # placeholder n stands for links[n]
    checks: tuple[GoalCheck, ...] = ()  # the quizzes and reveals, and the goals they check
    notes: tuple[ParsedNote, ...] = ()  # the instructor notes, in page order


@dataclass(frozen=True)
class _TokenCard:
    id: str
    title: str
    title_tokens: tuple[Token, ...]
    tokens: tuple[Token, ...]
    line: int
    text: str


def _heading_text(inline: Token) -> str:
    return plain_text([inline]) or inline.content.strip()


# The token types _check_blocks reads: the others (most of a page) are passed over at once.
_CHECKED = frozenset(("container_block_open", "container_block_close", "fence", "inline", *mathrender.BLOCK_TYPES))


def _check_blocks(md: MarkdownIt, tokens: list[Token], path: str, offset: int, widgets: frozenset[str],
                  diags: Diagnostics) -> None:
    """Validate ::: containers and quiz/widget fences; stash parsed data in token.meta."""
    openers: list[Token] = []
    for token in tokens:
        if token.type not in _CHECKED:
            continue
        start = (token.map[0] if token.map else 0) + offset + 1

        def report(line: int, message: str, start: int = start) -> None:
            diags.error(path, start + line, message)

        if token.type == "inline":
            _mark_link_lines(token, start, report)
        elif token.type in mathrender.BLOCK_TYPES:
            _check_math(token.content, True, 0, report)
        elif token.type == "container_block_open" and not token.meta.get("stray"):
            parent = blocks.container_kind(openers[-1].info)[0] if openers else None
            blocks.check_container(token.info, parent, report)
            openers.append(token)
        elif token.type == "container_block_close" and openers:
            token.meta["opener_info"] = openers.pop().info
        elif token.type == "fence" and not token.meta.get("unclosed"):
            _check_fence(md, token, widgets, report, partial(_report_at, diags, path, start))


def _check_structure(md: MarkdownIt, tokens: list[Token], path: str, offset: int, lines: list[str],
                     widgets: frozenset[str], diags: Diagnostics) -> bool:
    """Every check of the body's blocks, headings and images; True when an open block swallowed a card."""
    error, warn = partial(diags.error, path), partial(diags.warning, path)
    swallowed = structure.check_containers(tokens, lines, offset, error)
    structure.check_fences(tokens, lines, offset, error)
    _check_blocks(md, tokens, path, offset, widgets, diags)
    structure.check_headings(tokens, offset, warn)
    for line, src in structure.images_without_alt(tokens):
        warn(line, f"image '{src}' has no alt text; describe what it shows between the brackets: "
             f"![what the picture shows]({src})")
    return swallowed


def _report_at(diags: Diagnostics, path: str, line: int, severity: str, message: str) -> None:
    (diags.error if severity == "error" else diags.warning)(path, line, message)


def _check_fence(md: MarkdownIt, token: Token, widgets: frozenset[str], report: blocks.Report,
                 code_report: codeblocks.Report) -> None:
    kind, _, name = token.info.strip().partition(" ")
    if kind == "quiz":
        if quiz := blocks.parse_quiz(token.content, report):
            token.meta["quiz"] = quiz
            for text in (quiz.question, *(o.text for o in quiz.options), *(o.feedback or "" for o in quiz.options)):
                _inline_math(md, text, report)
    elif kind == "widget":
        if widget := blocks.parse_widget(name.strip(), token.content, widgets, report):
            token.meta["widget"] = widget
    else:
        token.meta["code"] = codeblocks.read_code_block(token.info, token.content, code_report)


def _check_math(tex: str, display: bool, line: int, report: blocks.Report) -> None:
    if (problem := mathrender.problem(tex.strip(), display)) is not None:
        report(line, f"this formula cannot be converted to MathML: {problem} (in '{tex.strip()}')")


def _inline_math(md: MarkdownIt, text: str, report: blocks.Report) -> None:
    """Report the formulas of a YAML text (a goal, a quiz question or option) that cannot be converted."""
    for token in md.parseInline(text):
        for child in token.children or []:
            if child.type in mathrender.INLINE_TYPES:
                _check_math(child.content, child.type == "math_inline_double", 0, report)


def _check_goal_math(md: MarkdownIt, doc: YamlDoc, meta: ModuleMeta, path: str, offset: int,
                     diags: Diagnostics) -> None:
    for index, goal in enumerate(meta.goals):
        def report(_: int, message: str, line: int = doc.line("goals", index) + offset) -> None:
            diags.error(path, line, message)
        _inline_math(md, goal, report)


def _mark_link_lines(inline: Token, start: int, report: blocks.Report) -> None:
    """Store in each link and image token the source line it is on (paragraphs span many lines), and
    report the formulas that cannot be converted at theirs."""
    line = start
    for child in inline.children or []:
        if child.type in ("link_open", "image"):
            child.meta["line"] = line
        elif child.type in mathrender.INLINE_TYPES:
            _check_math(child.content, child.type == "math_inline_double", line - start, report)
            line += child.content.count("\n")
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("html_inline", "code_inline", "text"):
            line += child.content.count("\n")


def _line(token: Token, offset: int) -> int:
    return (token.map[0] if token.map else 0) + offset + 1


def _split_cards(tokens: list[Token], path: str, offset: int, diags: Diagnostics
                 ) -> tuple[list[Token], list[_TokenCard], set[str]]:
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2" and t.level == 0]
    intro = tokens[: starts[0]] if starts else tokens
    cards: list[_TokenCard] = []
    ids = PageIds()
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
        inline = tokens[start + 1]
        title = _heading_text(inline)
        line = _line(tokens[start], offset)
        card_id = ids.unique(slugify(title))
        if card_id != slugify(title):
            _warn_renamed(cards, title, card_id, path, line, diags)
        body = tokens[start + 3:end]
        cards.append(_TokenCard(card_id, title, (inline,), tuple(body), line, plain_text(body)))
    ids.taken.update(f"{card.id}-title" for card in cards)  # the id of each card's heading (partials/card.html)
    _name_subheadings(tokens, ids)
    return intro, cards, ids.taken


def _warn_renamed(cards: list[_TokenCard], title: str, card_id: str, path: str, line: int,
                  diags: Diagnostics) -> None:
    """A card whose title gives an id an earlier card has: it gets a numbered id, and a warning says so."""
    first = next((c for c in cards if c.id == slugify(title)), None)
    if first is None:
        earlier = f"an earlier card has the id '{slugify(title)}'"
    elif first.title == title:
        earlier = f"another card is titled '{title}' (line {first.line})"
    else:
        earlier = f"the card '{first.title}' (line {first.line}) has the id '{first.id}'"
    diags.warning(path, line, f"{earlier}, so this card's id is '{card_id}': link to it with '#{card_id}', "
                  "or give it a title of its own")


def _name_subheadings(tokens: list[Token], ids: PageIds) -> None:
    """Give level-3 and 4 headings ids too, unique on the page (added to `ids`)."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h3", "h4") and token.level == 0:
            token.attrSet("id", ids.unique(slugify(_heading_text(tokens[index + 1]))))


def _check_card_meta(meta: ModuleMeta, cards: list[_TokenCard], tokens: list[Token], path: str, offset: int,
                     diags: Diagnostics) -> None:
    if meta.cards is None:
        return
    other_levels = {_heading_text(tokens[i + 1]): (t.markup, _line(t, offset)) for i, t in enumerate(tokens)
                    if t.type == "heading_open" and t.tag in ("h1", "h3", "h4") and t.level == 0}
    for index, card_meta in enumerate(meta.cards):
        if card_meta.title in other_levels and (index >= len(cards) or card_meta.title != cards[index].title):
            markup, line = other_levels[card_meta.title]
            diags.error(path, line, f"'{markup} {card_meta.title}' is not a card, but 'cards' entry {index + 1} "
                        f"(line {card_meta.line}) names it; use '## {card_meta.title}' for a card")
            return  # the entries after it would only be off by one
        if index >= len(cards):
            diags.error(path, card_meta.line, f"'cards' entry {index + 1} ('{card_meta.title}') has no "
                        f"matching '## {card_meta.title}' heading; the module has {len(cards)} card(s)")
        elif card_meta.title != cards[index].title:
            diags.error(path, card_meta.line, f"'cards' entry {index + 1} is titled '{card_meta.title}' but "
                        f"card {index + 1} is '## {cards[index].title}' (line {cards[index].line}); "
                        "entries must match the headings in order")
    for card in cards[len(meta.cards):]:
        diags.error(path, card.line, f"card '## {card.title}' has no entry in the front matter 'cards' list; "
                    "add one or remove 'cards' entirely")


def parse_module(md: MarkdownIt, file: ModuleFile, widgets: frozenset[str],
                 diags: Diagnostics) -> ParsedModule | None:
    """Parse one module file; report every problem; None when it cannot become a page."""
    path = file.source.rel
    try:
        split = split_front_matter(file.source.text)
    except FrontMatterProblem as problem:
        diags.error(path, problem.line, problem.message)
        return None
    try:
        doc = parse_yaml(split.yaml_text)
    except YamlProblem as problem:
        diags.error(path, problem.line + split.yaml_offset, f"front matter: {problem.message}")
        return None
    meta = read_module_meta(doc, path, split.yaml_offset, diags)
    if meta is not None:
        _check_goal_math(md, doc, meta, path, split.yaml_offset, diags)
    body = split.body
    for char in PLACEHOLDER_CHARS:  # control characters no page may hold; they would pose as placeholders
        body = body.replace(char, "\ufffd")
    if _too_large(body, path, split.body_offset, diags):
        return None
    tokens = md.parse(body)
    before = len(diags.errors)
    swallowed = _check_structure(md, tokens, path, split.body_offset, body.split("\n"), widgets, diags)
    intro, cards, anchors = _split_cards(tokens, path, split.body_offset, diags)
    intro, cards, notes = _take_notes(intro, cards, split.body_offset)
    checks = alignment.collect_checks([("", intro), *((c.id, c.tokens) for c in cards)], split.body_offset,
                                      path, diags)
    if meta is None:
        return None
    if not swallowed:
        _check_card_meta(meta, cards, tokens, path, split.body_offset, diags)
    alignment.check_numbers(checks, meta, path, diags)
    if len(diags.errors) > before:
        return None
    return replace(_rendered(md, file, meta, intro, cards, frozenset(anchors), notes), checks=checks)


_Notes = list[tuple[str, instructor.NoteTokens]]  # (card id or '' for the intro, the note's tokens)


def _take_notes(intro: list[Token], cards: list[_TokenCard], offset: int
                ) -> tuple[list[Token], list[_TokenCard], _Notes]:
    """The intro and cards without their instructor notes, and the notes, each with the card it is in (their
    lines made the file's)."""
    kept_intro, intro_notes = instructor.take_notes(intro)
    notes: _Notes = [("", replace(note, line=note.line + offset + 1)) for note in intro_notes]
    kept_cards = []
    for card in cards:
        tokens, card_notes = instructor.take_notes(card.tokens)
        notes.extend((card.id, replace(note, line=note.line + offset + 1)) for note in card_notes)
        kept_cards.append(replace(card, tokens=tokens) if card_notes else card)
    return list(kept_intro), kept_cards, notes


def _too_large(body: str, path: str, offset: int, diags: Diagnostics) -> bool:
    """Whether the module, or one of its tables, is larger than a build's memory allows (reported)."""
    if len(body) > MAX_MODULE_CHARS:
        diags.error(path, offset + 1, f"this module holds {len(body):,} characters of Markdown, more than the "
                    f"{MAX_MODULE_CHARS:,} a module may hold; split it into several modules")
        return True
    if body.count("|") <= MAX_TABLE_CELLS:
        return False
    start, cells = 0, 0
    for number, line in enumerate(body.split("\n")):
        if "|" not in line:
            cells = 0
            continue
        start, cells = (number, 0) if cells == 0 else (start, cells)
        cells += line.count("|")
        if cells > MAX_TABLE_CELLS:
            diags.error(path, offset + start + 1, f"this table has more than {MAX_TABLE_CELLS:,} cells, more "
                        "than a page can hold; split it, or link to the data as a file (CSV)")
            return True
    return False


def _rendered(md: MarkdownIt, file: ModuleFile, meta: ModuleMeta, intro: list[Token], cards: list[_TokenCard],
              anchors: frozenset[str], notes: _Notes) -> ParsedModule:
    """The module's HTML, each link target replaced by a placeholder that stands for a LinkRef."""
    links: list[LinkRef] = []
    widgets: set[str] = set()

    def placeholder(href: str, line: int, kind: str) -> str:
        links.append(LinkRef(href, line, kind))
        return f"{PLACEHOLDER_CHARS[0]}{len(links) - 1}{PLACEHOLDER_CHARS[1]}"

    def html(tokens: tuple[Token, ...] | list[Token], prefix: str) -> str:
        return render_tokens(md, tokens, {"resolve": placeholder, "id_prefix": prefix, "widgets": widgets})

    parsed_cards = tuple(ParsedCard(card.id, card.title, md.renderer.render(list(card.title_tokens), md.options, {}),
                                    html(card.tokens, card.id), card.line, card.text) for card in cards)
    intro_html = html(intro, "intro")
    parsed_notes = tuple(ParsedNote(card, note.title, html(note.tokens, f"{card or 'intro'}-note-{n}"), note.line)
                         for n, (card, note) in enumerate(notes, 1))
    return ParsedModule(
        rel=file.source.rel, number=file.number, slug=file.slug, meta=meta, intro_html=intro_html,
        cards=parsed_cards, goals_html=tuple(yaml_inline(md, g) for g in meta.goals),
        sources_html=tuple(yaml_inline(md, s) for s in meta.sources), anchors=anchors,
        word_count=_word_count(intro, cards), widgets=tuple(sorted(widgets)), links=tuple(links), notes=parsed_notes)


def _word_count(intro: list[Token], cards: list[_TokenCard]) -> int:
    """len(plain_text(all tokens).split()), summed from the parts (the card texts are plain already):
    each inline token's text ends at a word break, and no card heading is inside a ::: block."""
    return len(plain_text(intro).split()) + sum(
        len(plain_text(card.title_tokens).split()) + len(card.text.split()) for card in cards)
