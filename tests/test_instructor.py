"""Instructor notes (SPEC 4.6): `::: instructor` blocks, off the learner's pages and the search index, on the
course's instructor view and its print variant."""
from __future__ import annotations

import gzip
import re

from helpers import COURSE_YAML, CourseProject

SITE = "title: Test Academy\ndescription: Courses for testing.\ncourses: [demo]\n"

MODULE = """\
---
title: Loops
summary: Repeating things.
minutes: 12
goals:
  - Name the parts of a loop.
  - Predict the output of a loop.
---
Intro for everyone.

::: instructor Before you start
Ask who has written a loop before: zanzibarish.
:::

## Parts

A loop has a body and a condition.

::: instructor
**Misconceptions.** Learners think the body runs once: quokkafish.
See [the next module](02-more.md).
:::

```quiz
question: What does a loop repeat?
goals: [1]
options:
  - text: Its body
    correct: true
  - text: Its name
```

## Output

Counting to three prints three lines.
"""

MORE = """\
---
title: More
summary: More loops.
goals:
  - Write a loop.
---
## Writing

Write one.
"""


def project(tmp_path, module: str = MODULE) -> CourseProject:
    course = COURSE_YAML.replace("next:\n  - later\n", "")
    return (CourseProject(tmp_path).write("content/site.yaml", SITE).write("content/demo/course.yaml", course)
            .write("content/demo/01-loops.md", module).write("content/demo/02-more.md", MORE))


def text(p: CourseProject, rel: str) -> str:
    return p.html(rel).get_text(" ")


def test_notes_are_left_out_of_every_learner_page(tmp_path):
    p = project(tmp_path)
    report = p.build(search=False)
    assert report.ok, report.diagnostics
    for rel in ("demo/loops/index.html", "demo/print/index.html", "demo/index.html", "index.html"):
        page = (p.out / rel).read_text(encoding="utf-8")
        assert "zanzibarish" not in page and "quokkafish" not in page, rel
    assert "A loop has a body" in text(p, "demo/loops/index.html")


def test_the_instructor_view_shows_goals_timing_notes_answers_and_alignment(tmp_path):
    p = project(tmp_path)
    assert p.build(search=False).ok
    page = p.html("demo/instructor/index.html")
    module = page.select_one("section#loops")
    assert "12 min" in module.select_one(".cg-eyebrow").get_text()
    assert [li.get_text(strip=True) for li in module.select("ol.cg-instructor-goals li")] == [
        "Name the parts of a loop.", "Predict the output of a loop."]
    notes = module.select(".cg-instructor-note")
    assert len(notes) == 2
    assert "Before you start" in notes[0].select_one(".cg-callout-title").get_text()
    assert "zanzibarish" in notes[0].get_text()
    assert notes[1].select_one(".cg-callout-title a")["href"] == "/demo/loops/#parts"  # the card it is written in
    assert notes[1].select_one(".cg-prose a")["href"] == "/demo/more/"  # links in notes are resolved
    answers = module.select_one("ol.cg-instructor-answers").get_text(" ", strip=True)
    assert "What does a loop repeat?" in answers and "Its body" in answers and "Its name" not in answers
    gap = module.select_one("table.cg-alignment tr.cg-alignment-gap th").get_text(" ", strip=True)
    assert gap.startswith("2.")  # goal 2 is checked by nothing
    assert "no instructor notes" in page.select_one("section#more").get_text()


def test_instructor_pages_are_noindex_and_out_of_the_sitemap_and_search(tmp_path):
    p = project(tmp_path)
    assert p.build().ok
    for rel in ("demo/instructor/index.html", "demo/instructor-print/index.html"):
        page = p.html(rel)
        assert page.select_one('meta[name="robots"]')["content"] == "noindex"
        assert page.select_one("[data-pagefind-body]") is None
    sitemap = (p.out / "sitemap.xml").read_text()
    assert "/demo/loops/" in sitemap and "instructor" not in sitemap
    fragments = [gzip.decompress(f.read_bytes()) for f in (p.out / "pagefind/fragment").iterdir()]
    assert any(b"A loop has a body" in f for f in fragments)  # the index holds the module page ...
    assert not any(b"quokkafish" in f or b"zanzibarish" in f for f in fragments)  # ... and none of its notes


def test_the_print_variant_puts_each_note_at_the_end_of_its_card(tmp_path):
    p = project(tmp_path)
    assert p.build(search=False).ok
    page = p.html("demo/instructor-print/index.html")
    card = page.select_one("section#loops--parts")
    assert "quokkafish" in card.select(".cg-instructor-note")[-1].get_text()
    assert card.select_one(".cg-quiz")  # the card's own content is still there
    assert "zanzibarish" in page.select_one("article#loops").get_text()  # the intro's note
    assert page.select_one("section#loops--output .cg-instructor-note") is None


def test_notes_count_in_neither_the_preview_nor_the_reading_time(tmp_path):
    plain = MODULE.replace("minutes: 12\n", "")
    without = re.sub(r"::: instructor.*?\n:::\n", "", plain, flags=re.DOTALL)
    assert "instructor" not in without and "## Parts" in without
    with_notes, bare = project(tmp_path / "a", plain), project(tmp_path / "b", without)
    assert with_notes.build(search=False).ok and bare.build(search=False).ok
    a, b = with_notes.html("demo/index.html"), bare.html("demo/index.html")
    assert str(a.select_one("ul.cg-preview-list")) == str(b.select_one("ul.cg-preview-list"))
    assert "quokkafish" not in a.select_one("ul.cg-preview-list").get_text()
    assert a.select_one(".cg-module-entry .cg-eyebrow").get_text() == b.select_one(".cg-module-entry .cg-eyebrow").get_text()


def test_the_course_page_links_the_instructor_view_only_when_it_has_notes(tmp_path):
    p = project(tmp_path / "a")
    assert p.build(search=False).ok
    assert p.html("demo/index.html").select_one('a[href="/demo/instructor/"]')
    q = project(tmp_path / "b", MODULE.replace("::: instructor", "::: note"))
    assert q.build(search=False).ok
    assert q.html("demo/index.html").select_one('a[href="/demo/instructor/"]') is None
    assert (q.out / "demo/instructor/index.html").is_file()  # goals, timing and answers are there anyway


def test_a_note_inside_another_block_is_an_error_at_its_line(tmp_path):
    module = MODULE.replace("## Output\n", "## Output\n\n:::: tip\n::: instructor\nHidden?\n:::\n::::\n")
    lines = module.split("\n")
    line = len(lines) - lines[::-1].index("::: instructor")  # the last one, in the tip
    report = project(tmp_path, module).check()
    expected = (f"content/demo/01-loops.md:{line}: error: an instructor note goes directly in a card or the "
                "module's intro, not inside '::: tip'; move it out of that block")
    assert [d.format() for d in report.errors] == [expected]


def test_a_broken_link_in_a_note_is_an_error_at_its_line(tmp_path):
    module = MODULE.replace("02-more.md", "02-mroe.md")
    line = next(n for n, text in enumerate(module.split("\n"), 1) if "02-mroe.md" in text)
    report = project(tmp_path, module).check()
    assert [(d.path, d.line) for d in report.errors] == [("content/demo/01-loops.md", line)]
    assert "02-mroe.md" in report.errors[0].message


def test_an_edited_note_reaches_the_instructor_view_on_the_next_build(tmp_path):
    p = project(tmp_path)
    assert p.build(search=False).ok
    p.write("content/demo/01-loops.md", MODULE.replace("quokkafish", "wombatish"))
    report = p.build(search=False)
    assert report.ok
    assert "wombatish" in text(p, "demo/instructor/index.html")
    assert "wombatish" in text(p, "demo/instructor-print/index.html")
    assert "wombatish" not in (p.out / "demo/loops/index.html").read_text(encoding="utf-8")



def test_a_module_cannot_take_the_instructor_views_address(tmp_path):
    p = project(tmp_path).write("content/demo/03-instructor.md", MORE.replace("title: More", "title: Instructor"))
    expected = ("content/demo/03-instructor.md:1: error: module slug 'instructor' clashes with a reserved name or "
                "an asset folder of the course; rename the file")
    assert [d.format() for d in p.check().errors] == [expected]
