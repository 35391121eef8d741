"""Property-based tests: for any input, coursegen builds or reports PATH:LINE errors, never anything else."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from helpers import COURSE_YAML, MODULE_TWO, PLANNED_YAML, SITE_YAML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen import BuildOptions, check
from coursegen.content import ModuleFile, SourceFile
from coursegen.diagnostics import Diagnostics
from coursegen.markdown import make_markdown
from coursegen.parse import parse_module, slugify
from coursegen.preview import _TRAILING as TRAILING
from coursegen.preview import ELLIPSIS, cut_preview

SETTINGS = settings(max_examples=int(os.environ.get('CG_EXAMPLES', '100')), deadline=None, suppress_health_check=[HealthCheck.too_slow])
MD = make_markdown()
PATH = "content/demo/01-first.md"


def is_slug(text: str) -> bool:
    """Words of lower-case letters, digits and marks of any script, joined by single hyphens."""
    return (bool(text) and text == text.strip("-") and "--" not in text and text == text.lower()
            and all(char == "-" or unicodedata.category(char)[0] in "LNM" for char in text))


def has_word_char(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in unicodedata.normalize("NFKC", text) if c not in "'’ʼ‘")


# --- generators of author-like text ---

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
line_text = st.lists(words, max_size=8).map(" ".join)
yaml_scalar = st.one_of(line_text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
                        st.sampled_from(["'quoted: text'", '"a \\" b"', "[a, b]", "{a: 1}", "&x a", "*x",
                                         "|", ">", "- item", ": :", "\t", "---", "!!python/object:os.system"]))
yaml_key = st.sampled_from(["title", "summary", "goals", "minutes", "draft", "sources", "cards",
                            "titel", "goal", "visual", "alt", "preview"])


INDENTS = ["  - ", "- ", "    - ", "\t- "]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(yaml_key, max_size=7)):
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(yaml_scalar)}")
        else:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(0, 3))):
                item = draw(st.one_of(yaml_scalar, st.just("title: Card")))
                lines.append(draw(st.sampled_from(INDENTS)) + str(item))
    return "\n".join(lines)


markdown_piece = st.one_of(
    line_text,
    line_text.map(lambda t: f"## {t}"),
    line_text.map(lambda t: f"### {t}"),
    line_text.map(lambda t: f"[{t}]({t.replace(' ', '-')}.md)"),
    line_text.map(lambda t: f"[x](#{slugify(t)})"),
    line_text.map(lambda t: f"![{t}](images/{t}.png)"),
    st.sampled_from(["::: note", "::: reveal Why?", "::: tip Title", ":::", "::: bogus", "```", "```python",
                     "```quiz", "```widget", "question: Q?", "options:", "  - text: A", "    correct: true",
                     "| a | b |", "|---|---|", "- item", "1. item", "> quote", "<div>", "</div>", "&amp;", "&#0;",
                     "<script>alert(1)</script>", "[broken](", "\\", "***", "    code", ""]),
)
markdown_body = st.lists(markdown_piece, max_size=25).map("\n".join)


@st.composite
def module_text(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.text(max_size=300))
    head = draw(front_matter()) if choice == 1 else "title: T\nsummary: S\ngoals:\n  - G"
    closing = draw(st.sampled_from(["---", "...", "---  ", ""])) if choice != 3 else "---"
    return f"---\n{head}\n{closing}\n{draw(markdown_body)}\n"


def parse(text: str) -> tuple[object, Diagnostics]:
    diags = Diagnostics()
    source = SourceFile(PATH, text.replace("\r\n", "\n").replace("\r", "\n"))
    parsed = parse_module(MD, ModuleFile(1, "first", source), frozenset({"demo"}), diags)
    return parsed, diags


def assert_located(diags: Diagnostics, path: str, text: str) -> None:
    last = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
    for d in diags.items:
        assert d.path == path
        assert 1 <= d.line <= last, d.format()
        assert d.message and "Traceback" not in d.message


# --- front matter and card splitting ---

@SETTINGS
@given(module_text())
def test_any_module_text_parses_or_reports_located_errors(text: str) -> None:
    parsed, diags = parse(text)
    assert_located(diags, PATH, text)
    assert (parsed is None) == bool(diags.errors), "a module is dropped exactly when an error says why"


@SETTINGS
@given(st.lists(line_text, min_size=1, max_size=8), st.lists(line_text, max_size=4))
def test_card_ids_are_url_safe_and_unique_per_page(titles: list[str], subtitles: list[str]) -> None:
    body = "\n\n".join(f"## {t}\n\ntext\n\n" + "".join(f"### {s}\n\nmore\n\n" for s in subtitles) for t in titles)
    text = f"---\ntitle: T\nsummary: S\ngoals:\n  - G\n---\n{body}"
    parsed, diags = parse(text)
    assert_located(diags, PATH, text)
    # any titles, in any script, repeated or not, build: only a formula ($...$) that is not one stops a module
    assert all("this formula cannot be converted" in d.message for d in diags.errors), diags.errors
    if parsed is None:
        assert diags.errors
        return
    ids = [card.id for card in parsed.cards]
    assert len(ids) == len(set(ids)) == len(titles)
    assert all(is_slug(i) for i in parsed.anchors), parsed.anchors
    for card in parsed.cards:  # a title's own slug, or that slug numbered: readable, never a blanket 'section'
        base = slugify(card.title)
        assert card.id == base or re.fullmatch(re.escape(base) + r"(-\d+)+", card.id), (card.title, card.id)
        assert (base != "section") or not has_word_char(card.title) or card.title.strip().lower() == "section"
    renamed = [card for card in parsed.cards if card.id != slugify(card.title)]
    assert [d.line for d in diags.warnings] == [card.line for card in renamed]


@SETTINGS
@given(st.text())
def test_slugs_are_url_safe(text: str) -> None:
    slug = slugify(text)
    assert is_slug(slug), slug
    assert slugify(slug) == slug


# --- previews ---

prose = st.lists(st.one_of(words, st.sampled_from(["&amp;", "&lt;tag&gt;", "&#8212;", "naïve", "—", "…", "a.",
                                                   "(see", "x" * 60])), max_size=60).map(" ".join)


@SETTINGS
@given(prose, st.integers(20, 300))
def test_previews_fit_and_never_cut_a_word_or_entity(text: str, limit: int) -> None:
    preview = cut_preview(text, limit)
    folded = " ".join(text.split())
    assert len(preview) <= limit
    if len(folded) <= limit:
        assert preview == folded
        return
    assert preview.endswith(ELLIPSIS)
    kept = preview[: -len(ELLIPSIS)]
    assert folded.startswith(kept)
    word_end = folded.find(" ", len(kept))
    dropped = folded[len(kept): word_end if word_end >= 0 else len(folded)]
    assert not kept or all(char in TRAILING for char in dropped), (kept[-20:], dropped)
    last_word = kept.rsplit(" ", 1)[-1]
    assert not re.search(r"&#?[A-Za-z0-9]+$", last_word) or not dropped.startswith(";"), "an entity was cut"


# --- the whole pipeline ---

@SETTINGS
@given(module_text(), st.sampled_from([SITE_YAML, "title: [x\n", "- a\n", "title: T\ndescription: D\n"]))
def test_any_project_builds_or_reports_path_line_errors(text: str, site_yaml: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, content in {"content/site.yaml": site_yaml, "content/demo/course.yaml": COURSE_YAML,
                             "content/later/course.yaml": PLANNED_YAML, "content/demo/02-second.md": MODULE_TWO,
                             "content/demo/01-first.md": text}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(content, encoding="utf-8")
        report = check(root, BuildOptions(search=False))
        for d in report.diagnostics:
            assert (root / d.path).exists() or d.path in ("content", "templates"), d.format()
            assert d.line >= 1 and d.message
    assert report.ok or not report.files.data, "a failed build produces no pages"
