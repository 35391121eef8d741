"""A module's word count (its reading time) is the count of all its readable words, however it is split into cards."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coursegen.content import ModuleFile, SourceFile
from coursegen.diagnostics import Diagnostics
from coursegen.markdown import make_markdown, plain_text
from coursegen.parse import ParsedModule, parse_module

MD = make_markdown()
FRONT = "---\ntitle: T\nsummary: S\ngoals:\n  - G\n---\n"


def parsed(body: str) -> ParsedModule | None:
    source = SourceFile("content/demo/01-first.md", FRONT + body)
    return parse_module(MD, ModuleFile(1, "first", source), frozenset(), Diagnostics())


def words_of_whole_page(body: str) -> int:
    return len(plain_text(MD.parse(body)).split())


@pytest.mark.parametrize("body", [
    "Intro words here.\n\n## One card\n\nBody `code` text.\n\n## Two *cards*\n\n- a list\n- of words\n",
    "## ![only an image](a.png)\n\nA card titled by an image.\n",
    "::: note\nhidden aside words\n:::\n\n## Card\n\n::: reveal Why?\nmore hidden\n:::\n\nshown words\n",
    "- item\n\n  ## heading inside a list item\n\n## Real card\n\nline one\nline two  \nline three\n",
    "Text[^1] with a footnote.\n\n[^1]: The footnote words.\n\n## Card\n\n| a | b |\n|---|---|\n| c d | e |\n",
])
def test_word_count_is_every_readable_word_of_the_page(body: str) -> None:
    module = parsed(body)
    assert module is not None
    assert module.word_count == words_of_whole_page(body) > 0


piece = st.one_of(
    st.lists(st.sampled_from(["word", "two words", "`code`", "*em*", "[link](#x)", "<b>html</b>", "&amp;", "  "]),
             max_size=4).map(" ".join),
    st.sampled_from(["## Card A", "## Card B", "### Sub", "## ![img](a.png)", "::: note", "::: reveal Why?",
                     ":::", "```python", "```", "- item", "  ## nested heading", "> quoted words", "| a | b |",
                     "|---|---|", "Term", ": definition words", "[^1]: note words", "Text[^1]", ""]),
)


@settings(max_examples=int(os.environ.get("CG_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(piece, max_size=25).map("\n".join))
def test_word_count_matches_the_whole_page_for_any_body(body: str) -> None:
    module = parsed(body + "\n")
    assume(module is not None)  # e.g. two cards with the same title: reported, no page
    assert module.word_count == words_of_whole_page(body + "\n")
