"""Goals aligned with quizzes and reveals (SPEC 4.6): goal references, their errors and warnings, the report."""
from __future__ import annotations

import pytest
from helpers import COURSE_YAML, CourseProject

SITE = "title: Test Academy\ndescription: Courses for testing.\ncourses: [demo]\n"

ALIGNED = """\
---
title: Aligned
summary: A module whose checks name their goals.
goals:
  - Name the parts.
  - Explain the loop.
  - Predict the output.
cards:
  - title: Parts
    goals: [1]
  - title: Loop
    goals: [2, 3]
---
Intro.

## Parts

::: reveal {goals=1} How many parts are there?
Two.
:::

```quiz
question: Which is a part?
goals: [1]
options:
  - text: The file
    correct: true
  - text: The weather
```

## Loop

```quiz
question: What repeats?
goals: [2]
options:
  - text: Prediction
    correct: true
  - text: Nothing
```

```quiz
question: An unaligned quiz
options:
  - text: "Yes"
    correct: true
  - text: "No"
```
"""


def project_with(tmp_path, module: str = ALIGNED) -> CourseProject:
    course = COURSE_YAML.replace("next:\n  - later\n", "")
    return (CourseProject(tmp_path).write("content/site.yaml", SITE).write("content/demo/course.yaml", course)
            .write("content/demo/01-aligned.md", module))


def lines(report) -> list[str]:
    return [d.format() for d in report.diagnostics  # the alignment's, not the site's or the previews'
            if "base_url" not in d.message and "empty preview" not in d.message]


def test_a_goal_no_quiz_checks_is_a_warning_at_its_line(tmp_path):
    report = project_with(tmp_path).check()
    assert report.ok
    assert lines(report) == [("content/demo/01-aligned.md:7: warning: goal 3 ('Predict the output.') is checked "
                              "by no quiz or reveal; add 'goals: [3]' to a quiz that checks it, or "
                              "'::: reveal {goals=3} ...'")]


def test_strict_makes_the_coverage_warning_fail(tmp_path):
    assert not project_with(tmp_path).check(strict=True).ok


def test_full_coverage_is_silent(tmp_path):
    module = ALIGNED.replace("question: What repeats?\ngoals: [2]", "question: What repeats?\ngoals: [2, 3]")
    assert lines(project_with(tmp_path, module).check()) == []


def test_a_module_that_names_no_goal_gets_a_coverage_warning_for_every_goal(tmp_path):
    module = (ALIGNED.replace("{goals=1} ", "").replace("goals: [1]\noptions", "options")
              .replace("goals: [2]\noptions", "options").replace("    goals: [1]\n", "")
              .replace("    goals: [2, 3]\n", ""))
    assert "goals: [" not in module
    report = project_with(tmp_path, module).check()
    assert [(d.line, d.severity, d.message.split(" (")[0]) for d in report.diagnostics if "goal" in d.message] == [
        (5, "warning", "goal 1"), (6, "warning", "goal 2"), (7, "warning", "goal 3")]


def test_a_goal_no_card_teaches_is_a_warning_when_cards_name_goals(tmp_path):
    module = ALIGNED.replace("goals: [2, 3]\n---", "goals: [2]\n---").replace(
        "question: What repeats?\ngoals: [2]", "question: What repeats?\ngoals: [2, 3]")
    assert lines(project_with(tmp_path, module).check()) == [
        ("content/demo/01-aligned.md:7: warning: goal 3 ('Predict the output.') is taught by no card; add 3 to "
         "the 'goals' of the card in 'cards' that teaches it")]


@pytest.mark.parametrize(("old", "new", "line", "what"), [
    ("goals: [1]\noptions", "goals: [1, 4]\noptions", 24, "this quiz"),
    ("{goals=1}", "{goals=1,5}", 18, "this reveal"),
    ("    goals: [2, 3]\n", "    goals: [2, 7]\n", 12, "the 'cards' entry of 'Loop'"),
])
def test_an_unknown_goal_number_is_an_error_at_its_line(tmp_path, old, new, line, what):
    report = project_with(tmp_path, ALIGNED.replace(old, new)).check()
    assert not report.ok
    number = new.split("]")[0].split("}")[0][-1]
    assert [d.format() for d in report.errors] == [
        (f"content/demo/01-aligned.md:{line}: error: {what} names goal {number}, but this module has 3 goals "
         "(numbered 1 to 3, in the order of 'goals')")]


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("goals: [1]\noptions", "goals: [one]\noptions", 24, "'goals' of a quiz must be goal numbers"),
    ("{goals=1}", "{goal=1}", 18, "cannot read '{goal=1}'"),
    ("::: reveal {goals=1} How", "::: note {goals=1} How", 18, "'::: note' takes no {...} attributes"),
])
def test_a_malformed_goal_reference_is_an_error(tmp_path, old, new, line, message):
    report = project_with(tmp_path, ALIGNED.replace(old, new)).check()
    assert [d.line for d in report.errors] == [line]
    assert message in report.errors[0].message


def test_the_reveal_prompt_is_shown_without_its_goals(tmp_path):
    project = project_with(tmp_path)
    assert project.build().ok
    summary = project.html("demo/aligned/index.html").select_one("details.cg-reveal summary")
    assert summary.select_one(".cg-reveal-prompt").get_text() == "How many parts are there?"
    assert "goals" not in summary.get_text()


def test_report_prints_each_goal_with_what_teaches_and_checks_it(tmp_path):
    result = project_with(tmp_path).cli("report")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Demo Course (demo): 2 of 3 goals checked (67%)\n")
    assert "01 Aligned: 2 of 3 goals checked (67%)" in out
    goal1 = " ".join(out[out.index("1. Name the parts."):out.index("2. Explain the loop.")].split())
    assert "taught by: “Parts”" in goal1
    assert "reveal “How many parts are there?” in “Parts”" in goal1
    assert "quiz “Which is a part?” in “Parts”" in goal1
    goal3 = out[out.index("3. Predict the output."):]
    assert "[NOT CHECKED]" in goal3 and "checked by: nothing" in goal3
    assert "names no goal: quiz “An unaligned quiz” in “Loop”" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "warning: goal 3" in result.stderr


def test_report_html_is_a_noindex_page_outside_the_sitemap_with_links(tmp_path):
    project = project_with(tmp_path)
    result = project.cli("report", "--html")
    assert result.returncode == 0, result.stderr
    page = project.html("report/index.html")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one("main[data-pagefind-body]") is None
    assert "report/" not in (project.out / "sitemap.xml").read_text()
    table = page.select_one("table.cg-alignment")
    rows = table.select("tbody tr")
    assert [r.th.get_text(" ", strip=True) for r in rows] == [
        "1. Name the parts.", "2. Explain the loop.", "3. Predict the output."]
    links = [(a["href"], a.get_text()) for a in rows[0].select("td a")]
    assert links == [("/demo/aligned/#parts", "Parts"), ("/demo/aligned/#parts", "Reveal: How many parts are there?"),
                     ("/demo/aligned/#parts-quiz-1", "Quiz: Which is a part?")]
    assert project.html("demo/aligned/index.html").select_one("#parts-quiz-1") is not None
    assert "cg-alignment-gap" in rows[2]["class"]
    assert "2 of 3 goals checked (67%)" in page.select_one(".cg-report-coverage").get_text()
    built_pages = {p.relative_to(project.out).as_posix() for p in project.out.rglob("*.html")}
    assert not any('href="/report/' in (project.out / p).read_text() for p in built_pages - {"report/index.html"})


def test_a_plain_build_has_no_report_page(tmp_path):
    project = project_with(tmp_path)
    assert project.build().ok
    assert not (project.out / "report").exists()
