"""Card and heading ids (SPEC 4.1): Unicode-aware slugs, numbered duplicates with a warning, permalinks."""
from __future__ import annotations

import sys

from bs4 import BeautifulSoup
from helpers import CHECK_GOAL_1, REPO

from coursegen import BuildOptions, build

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

HEAD = "---\ntitle: {title}\nsummary: S\ngoals:\n  - G\n---\n"

REPEATS = HEAD.format(title="Practice") + """\
## Exercises

One.

### Solution

A.

## Exercises

Two.

### Solution

B.

## Exercises

Three, and [the second set](#exercises-1).

""" + CHECK_GOAL_1

SCRIPTS = HEAD.format(title="Четыре письменности") + """\
## Что такое токен

Next: [attention](#什么是注意力) and [a token](#τι-είναι-ένα-token).

## 什么是注意力

Text.

## Τι είναι ένα token;

Text, then [the Arabic card](#ما-هو-الرمز).

## ما هو الرمز؟

Back to [the first card](#что-такое-токен).

""" + CHECK_GOAL_1


def cards(soup) -> list[tuple[str, str]]:
    return [(section["id"], section.h2.get_text(strip=True)) for section in soup.select("section.cg-card")]


def test_repeated_titles_get_numbered_ids_and_a_warning_at_each_repeat(demo):
    demo.write("content/demo/03-practice.md", REPEATS)
    demo.write("content/demo/02-second.md", HEAD.format(title="Second") + "## Second Card\n\n"
               "The [third set](03-practice.md#exercises-2).\n\n" + CHECK_GOAL_1)
    result = demo.cli("build")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line
                and not line.startswith("content/site.yaml:")]  # not the base_url warning
    assert warnings == [
        f"content/demo/03-practice.md:{line}: warning: another card is titled 'Exercises' (line 7), so this "
        f"card's id is '{card_id}': link to it with '#{card_id}', or give it a title of its own"
        for line, card_id in ((15, "exercises-1"), (23, "exercises-2"))]
    page = demo.html("demo/practice/index.html")
    assert cards(page) == [("exercises", "Exercises"), ("exercises-1", "Exercises"), ("exercises-2", "Exercises")]
    assert [h["id"] for h in page.select("section.cg-card h3")] == ["solution", "solution-1"]
    assert page.select_one("#exercises-2 .cg-prose a")["href"] == "#exercises-1"
    link = demo.html("demo/second/index.html").select_one(".cg-prose a")
    assert link["href"].endswith("/demo/practice/#exercises-2")


def test_strict_build_and_check_fail_on_a_repeated_title(demo):
    demo.write("content/demo/03-practice.md", REPEATS)
    for command in ("build", "check"):
        result = demo.cli(command, "--strict", "--base-url", "https://example.org/")
        assert result.returncode == 1, result.stderr
        assert ("content/demo/03-practice.md:15: error: another card is titled 'Exercises' (line 7)"
                in result.stderr)


def test_a_course_in_four_scripts_builds_with_readable_ids(demo):
    demo.write("content/demo/03-scripts.md", SCRIPTS)
    report = demo.build(base_url="https://example.org/")
    assert report.ok and not report.diagnostics, report.diagnostics
    page = demo.html("demo/scripts/index.html")
    assert cards(page) == [("что-такое-токен", "Что такое токен"), ("什么是注意力", "什么是注意力"),
                           ("τι-είναι-ένα-token", "Τι είναι ένα token;"), ("ما-هو-الرمز", "ما هو الرمز؟")]
    toc = [a["href"] for a in page.select(".cg-toc a")]
    assert toc == ["#что-такое-токен", "#什么是注意力", "#τι-είναι-ένα-token", "#ما-هو-الرمز"]


def test_a_link_to_a_missing_unicode_anchor_is_named_as_written(demo):
    demo.write("content/demo/03-scripts.md", SCRIPTS.replace("#什么是注意力", "#什么是"))
    result = demo.cli("build")
    assert result.returncode == 1
    assert ("content/demo/03-scripts.md:9: error: link to '#什么是': no card or heading with that id on this page; "
            "did you mean '#什么是注意力'?" in result.stderr.splitlines())


def test_every_card_heading_has_a_permalink_outside_its_heading(demo):
    demo.write("content/demo/03-scripts.md", SCRIPTS)
    assert demo.build().ok
    page = demo.html("demo/scripts/index.html")
    for section in page.select("section.cg-card"):
        link = section.select_one(".cg-card-heading > a.cg-permalink")
        assert link["href"] == f"#{section['id']}"
        title = section.h2.get_text(strip=True)
        assert link.get_text(" ", strip=True) == f"# Link to this card: {title}"
        assert link.select_one("[aria-hidden=true]").get_text() == "#"
        assert section.h2.find("a") is None, "the heading (the section's name) holds the title alone"
        assert section["aria-labelledby"] == section.h2["id"]


def test_the_synthetic_course_with_repeated_titles_builds(tmp_path):
    root = make_course(tmp_path / "site", 10, repeat_titles=True)  # modules 5 and 10 repeat two titles
    report = build(root, BuildOptions(search=False))
    assert report.ok, report.errors
    repeats = [d for d in report.diagnostics if d.path != "content/site.yaml"]  # not the base_url warning
    assert len(repeats) == 4 and {d.severity for d in repeats} == {"warning"}
    page = BeautifulSoup((root / "build/course-001/topic-5/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [s["id"] for s in page.select("section.cg-card")][-4:] == ["exercises", "summary", "exercises-1",
                                                                       "summary-1"]
