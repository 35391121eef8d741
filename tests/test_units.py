"""Unit tests of the parsing stages: YAML lines, schemas, front matter, slugs, previews."""
from __future__ import annotations

import pytest

from coursegen.config import read_module_meta, read_site_config
from coursegen.diagnostics import Diagnostics
from coursegen.frontmatter import FrontMatterProblem, split_front_matter
from coursegen.parse import slugify
from coursegen.preview import cut_preview
from coursegen.yamlsource import YamlProblem, parse_yaml


def test_yaml_keeps_the_line_of_every_key_and_item():
    doc = parse_yaml("title: A\ngoals:\n  - one\n  - two\ncards:\n  - title: X\n    alt: y\n")
    assert doc.line("title") == 1
    assert doc.line("goals", 1) == 4
    assert doc.line("cards", 0, "alt") == 7
    assert doc.line("missing") == 1


def test_yaml_alias_is_refused_with_its_line():
    with pytest.raises(YamlProblem) as info:
        parse_yaml("a: &x [1, 2]\nb: *x\n")
    assert info.value.line == 2
    assert "aliases" in info.value.message


def test_yaml_tab_indentation_gets_a_hint():
    with pytest.raises(YamlProblem) as info:
        parse_yaml("goals:\n\t- one\n")
    assert info.value.line == 2
    assert "tabs" in info.value.message


def test_front_matter_split_keeps_offsets():
    split = split_front_matter("---\ntitle: T\n---\nBody line\n")
    assert split.yaml_text == "title: T\n"
    assert split.yaml_offset == 1
    assert split.body.startswith("Body line")
    assert split.body_offset == 3


@pytest.mark.parametrize("text, fragment", [
    ("", "empty"),
    ("title: no fences\n", "must start with front matter"),
    ("---\ntitle: T\nbody\n", "never closed"),
])
def test_front_matter_problems(text, fragment):
    with pytest.raises(FrontMatterProblem) as info:
        split_front_matter(text)
    assert fragment in info.value.message


def test_a_misspelt_required_key_is_one_error_at_the_misspelling():
    diags = Diagnostics()
    doc = parse_yaml("title: T\nsumary: S\ngoals: [g]\ncards:\n  - tilte: C\n")
    assert read_module_meta(doc, "m.md", 1, diags) is None
    assert [d.format() for d in diags.items] == [
        "m.md:3: error: unknown key 'sumary' in front matter; did you mean 'summary'? 'summary' is required and missing",
        "m.md:6: error: unknown key 'tilte' in card 1 of 'cards'; did you mean 'title'? 'title' is required and missing"]


def test_a_misspelt_optional_key_or_a_second_misspelling_is_a_plain_unknown_key():
    diags = Diagnostics()
    doc = parse_yaml("title: T\nsumary: S\nsummery: S\nmintues: 3\ngoals: [g]\n")
    assert read_module_meta(doc, "m.md", 1, diags) is None
    assert sorted(d.format() for d in diags.items) == [
        "m.md:3: error: unknown key 'sumary' in front matter; did you mean 'summary'? 'summary' is required and missing",
        "m.md:4: error: unknown key 'summery' in front matter; did you mean 'summary'?",
        "m.md:5: error: unknown key 'mintues' in front matter; did you mean 'minutes'?"]


def test_goals_must_be_a_list_of_text():
    diags = Diagnostics()
    doc = parse_yaml("title: T\nsummary: S\ngoals:\n  - fine\n  - [nested]\n")
    read_module_meta(doc, "m.md", 1, diags)
    assert [d.format() for d in diags.items] == ["m.md:6: error: item 2 of 'goals' must be text, not a list"]


def test_site_config_defaults_and_base_url_normalised():
    diags = Diagnostics()
    config = read_site_config(parse_yaml("title: T\ndescription: D\nbase_url: /courses\n"), "s.yaml", diags)
    assert diags.items == []
    assert config.base_url == "/courses/"
    assert config.preview_length == 140 and config.language == "en" and config.courses is None


@pytest.mark.parametrize("title, slug", [
    ("Just Two Files", "just-two-files"),
    ("Stage 1: Pre-training (The Dreamer)", "stage-1-pre-training-the-dreamer"),
    ("Nina's Black Box", "ninas-black-box"),
    ("Nina\u2019s Black Box", "ninas-black-box"),
    ("Café — naïve ÜBER", "café-naïve-über"),
    ("Что такое токен", "что-такое-токен"),
    ("什么是注意力", "什么是注意力"),
    ("ما هو الرمز؟", "ما-هو-الرمز"),
    ("Τι είναι ένα token;", "τι-είναι-ένα-token"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),  # vowel signs are marks: kept, the words stay whole
    ("snake_case and CamelCase", "snake-case-and-camelcase"),
    ("!!!", "section"),
    ("🚀", "section"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_preview_is_untouched_when_short():
    assert cut_preview("  Short   text\nhere. ", 140) == "Short text here."


def test_preview_cuts_at_a_word_boundary_with_ellipsis():
    text = "alpha beta gamma delta epsilon"
    cut = cut_preview(text, 14)
    assert cut == "alpha beta…"
    assert len(cut) <= 14


def test_preview_exactly_at_limit_is_not_cut():
    assert cut_preview("abcde fghij", 11) == "abcde fghij"


def test_preview_drops_trailing_punctuation_before_the_ellipsis():
    assert cut_preview("one two, three four five six", 12) == "one two…"
