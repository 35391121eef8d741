"""parse_yaml reads every text as the careful, alias-refusing parser alone reads it: the same value and key
lines, or the same problem (message and line). libyaml may read a text first, but it must never change what
an author sees. The oracle is parse_yaml with libyaml taken away (its lookup answers None)."""
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

CORPUS = {
    # valid mappings and lists
    "mapping": "title: Hello\nsummary: A module.\nminutes: 12\ndraft: false\n",
    "nested": "site:\n  title: T\n  links:\n    - a\n    - b: c\n      d: [1, 2]\n",
    "list": "- one\n- two:\n    three: 3\n- [x, y]\n",
    "flow": "{a: 1, b: [2, 3], c: {d: e}}\n",
    "block scalars": "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\nend: x\n",
    "duplicate key": "a: 1\na: 2\n",
    "types": "d: 2001-12-14\nn: ~\nf: 1.5\nb: !!binary aGVsbG8=\nyes: yes\n",
    "non-string keys": "1: one\ntrue: t\nnull: n\n",
    "complex key": "? [a, b]\n: c\n",
    "unicode": "title: Ελληνικά 日本語 😀\n",
    "byte order mark": "\ufefftitle: x\n",
    "empty": "",
    "only a comment": "# nothing here\n",
    "only a scalar": "just text\n",
    "explicit document": "---\ntitle: x\n...\n",
    # Markdown-ish values with '*' and '&'
    "markdown values": MARKDOWN_VALUES,
    "star in plain scalar": "a: 5 * 3\nb: x*y*z\n",
    "quoted alias-like": "a: '*not an alias'\nb: \"&not an anchor\"\n",
    "anchor without alias": "a: &x [1, 2]\nb: c\n",
    # aliases
    "alias": "title: &t Hello\nsummary: *t\n",
    "merge key": "base: &b {a: 1}\nother:\n  <<: *b\n",
    "recursive alias": "loop: &l [x, *l]\n",
    "alias bomb": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "undefined alias": "a: *nowhere\n",
    # syntax errors
    "bad indentation": "title: Fine\ngoals:\n  - one\n - two\n",
    "unclosed bracket": "title: [a, b\nx: 1\n",
    "colon in a value": "title: Fine\npreview: A table is a grid: every row is one thing.\n",
    "colon in a quiz option": "question: Q?\noptions:\n  - text: WHERE a: b\n    correct: true\n",
    "colon in a goal": "goals:\n  - Explain: a \"file\": and more\n",
    "backtick start": "question: `SELECT *` means what?\n",
    "key indented by mistake": "title: T\n  minutes: 15\n",
    "key without a colon": "title: T\nsummary\ngoals: [a]\n",
    "text after a quote": 'title: "Quoted" and more\n',
    "unclosed brace": "a: {b: 1\n",
    "unclosed quote": "key: 'unclosed\n",
    "mapping in a value": "a: b: c\n",
    "two documents": "---\na: 1\n---\nb: 2\n",
    "unknown tag": "a: !custom x\n",
    "unhashable key": "? {a: 1}\n: b\n",
    # tabs
    "tab indentation": "title: a\n\tgoals: x\n",
    "tab after a dash": "a:\n  - b\n  -\tc\n",
    # control characters
    "bell": "title: ok\nbad: \x07bell\n",
    "nul": "x: \x00\n",
    "escape": "a: 1\nb: 2\nc: \x1b[0m\n",
    "next line": "x: \x85y\n",
    "zero-width no-break space": "x: \ufeffy\n",
    "lone surrogate": "x: \ud800\n",
}


def outcome(text: str) -> tuple[str, object, object]:
    try:
        doc = parse_yaml(text)
    except YamlProblem as problem:
        return ("problem", problem.message, problem.line)
    return ("doc", doc.value, doc.lines)


def careful_outcome(text: str) -> tuple[str, object, object]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlsource, "_fast_loader", lambda: None)
        return outcome(text)


@pytest.mark.parametrize("text", CORPUS.values(), ids=CORPUS.keys())
def test_parse_yaml_reads_every_text_as_the_careful_parser_does(text: str) -> None:
    assert outcome(text) == careful_outcome(text)


# A tab between the words of a line (not indenting it) is white space to libyaml, as the YAML spec says,
# but the pure-Python parser refuses it. These texts build today where libyaml is installed (it always is
# with the PyYAML wheels); this test pins that, so that changing it is a decision, not an accident.
TAB_BETWEEN_WORDS = ["a: b\tc\n", "a: b\t\n", "a:\tb\n", "- b\tc\n", "a: b\t# comment\n"]


@pytest.mark.skipif(yamlsource._fast_loader() is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", TAB_BETWEEN_WORDS)
def test_a_tab_between_words_is_read_where_libyaml_is_installed(text: str) -> None:
    assert outcome(text)[0] == "doc"
    kind, message, line = careful_outcome(text)
    assert kind == "problem" and "does not allow tabs" in str(message) and line == 1


def test_markdown_in_values_is_text() -> None:
    doc = parse_yaml(MARKDOWN_VALUES)
    assert doc.value["title"] == "Q&A on *tokens*"
    assert doc.value["goals"][0] == "Explain *why* a model predicts one token at a time"
    assert doc.value["goals"][1] == "Compare R&D budgets: 5 * 3 = 15"
    assert doc.value["cards"][0]["preview"] == "Folded text with * and & inside.\n"
    assert doc.value["anchored"] == "value with no alias"
    assert doc.line("cards", 0, "preview") == 9
    assert doc.line("cards", 0, "no such key") == 8
    assert doc.line("nowhere") == 1


@pytest.mark.parametrize(("name", "line"), [
    ("alias", 2), ("merge key", 3), ("recursive alias", 1), ("alias bomb", 2), ("undefined alias", 1),
])
def test_aliases_are_refused_with_their_line(name: str, line: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(CORPUS[name])
    assert caught.value.message == "YAML aliases (*name) are not supported; write the value out in full"
    assert caught.value.line == line


UNCLOSED = "invalid YAML: a bracket, brace or quote opened on this line is never closed"
TAB = ("invalid YAML: found character '\\t' that cannot start any token "
       "(YAML does not allow tabs for indentation; use spaces)")
INDENT = ("invalid YAML: this line's indentation does not match the lines above: keys of one mapping line up "
          "with each other, and so do the '- ' items of one list")
QUOTE = "invalid YAML: a value that contains ': ' must be in quotes; write the line as: "
CONTROL = "invalid YAML: the invisible control character U+{:04X} is not allowed; delete it (retyping the line removes it)"


@pytest.mark.parametrize(("name", "message", "line"), [
    ("bad indentation", INDENT, 4),
    ("colon in a value", QUOTE + 'preview: "A table is a grid: every row is one thing."', 2),
    ("colon in a quiz option", QUOTE + '- text: "WHERE a: b"', 3),
    ("colon in a goal", QUOTE + """- 'Explain: a "file": and more'""", 2),
    ("backtick start", ("invalid YAML: a value that starts with '`' must be in quotes; write the line as: "
     'question: "`SELECT *` means what?"'), 1),
    ("key indented by mistake", ("invalid YAML: this line is indented as if it went on with the value above; line "
     "its key up with the keys above it (or, if it is part of the value, put the whole value in quotes)"), 2),
    ("key without a colon", ("invalid YAML: 'summary' is not a 'key: value' line; add ': ' after the key, or "
     "indent the line to continue the value above"), 2),
    ("text after a quote", ("invalid YAML: text follows a closing quote; write the line as: "
     """title: '"Quoted" and more'"""), 1),
    ("unclosed bracket", "invalid YAML: expected ',' or ']', but got ':'", 2),
    ("unclosed quote", UNCLOSED, 1),
    ("unclosed brace", UNCLOSED, 1),
    ("tab indentation", TAB, 2),
    ("tab after a dash", TAB, 3),
    ("bell", CONTROL.format(0x07), 2),
    ("escape", CONTROL.format(0x1B), 3),
    ("lone surrogate", CONTROL.format(0xD800), 1),
])
def test_problems_are_worded_for_authors_with_their_line(name: str, message: str, line: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(CORPUS[name])
    assert (caught.value.message, caught.value.line) == (message, line)


def test_parsing_is_pure_a_text_gives_a_fresh_document_and_a_problem_every_time() -> None:
    first = parse_yaml("title: x\ngoals: [a]\n")
    first.value["goals"].append("changed by a caller")
    first.lines[("title",)] = 99
    again = parse_yaml("title: x\ngoals: [a]\n")
    assert again.value == {"title": "x", "goals": ["a"]}
    assert again.lines == {(): 1, ("title",): 1, ("goals",): 2, ("goals", 0): 2}
    for _ in range(2):
        with pytest.raises(YamlProblem) as caught:
            parse_yaml(CORPUS["bad indentation"])
        assert caught.value.line == 4


value_text = st.lists(st.sampled_from(["word", "*em*", "**strong**", "Q&A", "&amp;", "5 * 3", "&x", "*x", "'q'",
                                       '"d"', ":", "#", "-", "[a]", "{b: 1}", "|", ">", "\x07"]),
                      max_size=5).map(" ".join)
entry = st.one_of(
    value_text.map(lambda v: f"key: {v}"),
    value_text.map(lambda v: f"list:\n  - {v}\n  - &x {v}"),
    st.sampled_from(["ref: *x", "anchor: &x value", "pair: &p {a: 1}", "use: *p", "merge:\n  <<: *p",
                     "\tindented: by a tab", "  nested: deeper", "- item"]),
)


@settings(max_examples=int(os.environ.get("CG_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry, min_size=1, max_size=6).map("\n".join))
def test_parse_yaml_agrees_with_the_careful_parser_on_any_text(text: str) -> None:
    assert outcome(text) == careful_outcome(text)


@pytest.mark.parametrize("name", ["colon in a value", "colon in a quiz option", "colon in a goal", "backtick start",
                                  "text after a quote"])
def test_the_quoted_line_a_problem_suggests_reads_as_the_text_meant(name: str) -> None:
    text = CORPUS[name]
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text)
    suggested = caught.value.message.split("write the line as: ", 1)[1]
    lines = text.split("\n")
    wrong = lines[caught.value.line - 1]
    lines[caught.value.line - 1] = wrong[: len(wrong) - len(wrong.lstrip())] + suggested
    fixed = parse_yaml("\n".join(lines)).value
    meant = wrong.strip().removeprefix("- ").split(": ", 1)
    values = [fixed] if not isinstance(fixed, dict) else list(fixed.values())
    flat = repr(values)
    assert meant[-1] in flat or wrong.strip().removeprefix("- ") in flat, (suggested, fixed)
