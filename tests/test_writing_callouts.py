"""Callouts: five kinds in the ::: syntax and as GitHub alerts, rendered alike, with titles, foldable forms,
accessible names, left out of previews, shown on the print page."""
from __future__ import annotations

import pytest
from helpers import BODY_LINE, CourseProject, one_card_module, own

KINDS = ("note", "tip", "important", "warning", "caution")


def _module(body: str) -> str:
    return one_card_module("Callouts", body)


def _build(project: CourseProject, body: str):
    project.demo().write("content/demo/03-callouts.md", _module(body))
    return project.build()


@pytest.mark.parametrize("kind", KINDS)
def test_colon_and_github_syntax_render_alike(project: CourseProject, kind: str):
    body = f"::: {kind}\nSame *words*.\n:::\n\n> [!{kind.upper()}]\n> Same *words*.\n"
    report = _build(project, body)
    assert report.ok and not own(report), report.diagnostics
    card = project.html("demo/callouts/index.html").select_one(".cg-card .cg-prose")
    colon, alert = card.select("aside.cg-callout")
    assert str(colon) == str(alert)
    assert colon["class"] == ["cg-callout", f"cg-callout-{kind}"]
    assert colon["aria-label"] == kind.title()
    assert colon.select_one(".cg-callout-title").get_text() == kind.title()
    assert colon.select_one("em").get_text() == "words"
    assert card.find("blockquote") is None and "[!" not in card.get_text()


def test_titles_keep_the_kind_in_the_name_and_folds_are_disclosures(project: CourseProject):
    body = ("::: important Read this first\nBody one.\n:::\n\n::: caution- Hot surface\nBody two.\n:::\n\n"
            "::: tip+ Shortcut\nBody three.\n:::\n")
    assert _build(project, body).ok
    card = project.html("demo/callouts/index.html").select_one(".cg-card")
    important = card.select_one("aside.cg-callout-important")
    assert important["aria-label"] == "Important: Read this first"
    assert important.select_one(".cg-callout-title").get_text() == "Important: Read this first"
    assert important.select_one(".cg-visually-hidden").get_text() == "Important: "
    folded, unfolded = card.select("details.cg-callout")
    assert "cg-callout-caution" in folded["class"] and not folded.has_attr("open")
    assert folded.summary.get_text() == "Caution: Hot surface" and "Body two." in folded.get_text()
    assert "cg-callout-tip" in unfolded["class"] and unfolded.has_attr("open")


def test_previews_leave_callouts_out_and_the_print_page_shows_them(project: CourseProject):
    assert _build(project, "> [!WARNING]\n> Alert words.\n\n::: tip\nTip words.\n:::\n").ok
    course = project.html("demo/index.html").get_text(" ")
    assert "Opening words." in course and "Alert words" not in course and "Tip words" not in course
    printed = project.html("demo/print/index.html")
    assert printed.select_one("aside.cg-callout-warning").get_text(" ").split() == ["Warning", "Alert", "words."]
    assert printed.select_one("aside.cg-callout-tip") is not None


def test_an_unknown_kind_is_an_error_with_a_suggestion(project: CourseProject):
    report = _build(project, "::: cuation\nx\n:::\n\n::: zzz\ny\n:::\n")
    messages = [(d.line, d.message) for d in report.diagnostics]
    assert (BODY_LINE, "unknown block '::: cuation'; did you mean '::: caution'?") in messages
    assert any(line == BODY_LINE + 4 and "use one of: note, tip, important, warning, caution, reveal" in m
               for line, m in messages)
