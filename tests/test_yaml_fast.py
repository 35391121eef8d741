"""Front matter with '*' and '&' in its values (Markdown emphasis, 'Q&A') reads the same through the fast
parser as through the careful one, and aliases are still refused with their line."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen import yamlsource
from coursegen.yamlsource import YamlProblem, parse_yaml

MARKDOWN_VALUES = """title: Q&A on *tokens*
summary: 'Why **attention** & not *recurrence*'
goals:
  - Explain *why* a model predicts one token at a time
  - "Compare R&D budgets: 5 * 3 = 15"
  - Use &amp; and &lt;tags&gt; in text
cards:
  - title: A *card*
    preview: >
      Folded text with * and & inside.
anchored: &only-anchor value with no alias
"""


def careful(text: str, monkeypatch: pytest.MonkeyPatch) -> yamlsource.YamlDoc:
    with monkeypatch.context() as patch:
        patch.setattr(yamlsource, "_fast_loader", lambda: None)
        return yamlsource._parse(text)  # not parse_yaml: its memo would answer for the parser


def test_markdown_in_values_goes_through_libyaml_and_reads_the_same(monkeypatch):
    fast = yamlsource._parse_fast(MARKDOWN_VALUES)
    assert fast is not None, "the fast parser takes documents whose '*' and '&' are only text"
    reference = careful(MARKDOWN_VALUES, monkeypatch)
    assert fast.value == reference.value and fast.lines == reference.lines
    assert fast.value["goals"][0] == "Explain *why* a model predicts one token at a time"
    assert fast.line("cards", 0, "preview") == 9


@pytest.mark.parametrize(("text", "line"), [
    ("title: &t Hello\nsummary: *t\n", 2),
    ("base: &b {a: 1}\nother:\n  <<: *b\n", 3),
    ("loop: &l [x, *l]\n", 1),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", 2),
])
def test_aliases_are_refused_with_their_line(text, line):
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text)
    assert "aliases" in caught.value.message and caught.value.line == line


value_text = st.lists(st.sampled_from(["word", "*em*", "**strong**", "Q&A", "&amp;", "5 * 3", "&x", "*x", "'q'",
                                       '"d"', ":", "#", "-", "[a]", "{b: 1}", "|", ">"]), max_size=5).map(" ".join)
entry = st.one_of(
    value_text.map(lambda v: f"key: {v}"),
    value_text.map(lambda v: f"list:\n  - {v}\n  - &x {v}"),
    st.sampled_from(["ref: *x", "anchor: &x value", "pair: &p {a: 1}", "use: *p", "merge:\n  <<: *p"]),
)


@settings(max_examples=int(os.environ.get("CG_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry, min_size=1, max_size=6).map("\n".join))
def test_fast_and_careful_parsers_agree_on_any_text_with_stars_and_ampersands(text):
    expected: object
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlsource, "_fast_loader", lambda: None)
        try:
            doc = yamlsource._parse(text)  # parse_yaml's memo would answer the second time
            expected = (doc.value, doc.lines)
        except YamlProblem as problem:
            expected = (problem.message, problem.line)
    try:
        doc = yamlsource._parse(text)
        got: object = (doc.value, doc.lines)
    except YamlProblem as problem:
        got = (problem.message, problem.line)
    assert got == expected
