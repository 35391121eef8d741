"""Math: the four TeX spellings become MathML in the built page (cards, goals, quizzes, previews), prices stay
text, and a formula that cannot be converted is an error at its line."""
from __future__ import annotations

from helpers import CourseProject, own

MODULE = """\
---
title: Formulas
summary: A module with math.
goals:
  - Use $E = mc^2$ in a goal.
---
Intro with $a^2 + b^2 = c^2$ and \\(\\frac{1}{2}\\), for $20 and $30.

## Power laws

The loss falls as $L \\propto C^{-0.05}$ of compute.

$$
\\sum_{i=1}^n i = \\frac{n(n+1)}{2}
$$

\\[
\\sqrt{x}
\\]

::: note
Inside a callout: $\\alpha$.
:::

```quiz
question: What is $\\frac{1}{2} + \\frac{1}{2}$?
options:
  - text: $1$
    correct: true
  - text: $2$
```
"""


def _build(project: CourseProject, module: str = MODULE):
    project.demo().write("content/demo/03-formulas.md", module)
    return project.build()


def test_every_spelling_becomes_mathml_without_scripts(project: CourseProject):
    report = _build(project)
    assert report.ok, report.diagnostics
    page = project.html("demo/formulas/index.html")
    main = page.find("main")
    maths = main.find_all("math")
    shown = {m.get("display") for m in maths}
    assert shown == {"inline", "block"}
    # intro 2, card inline 1, two displayed, callout 1, quiz question 1, options 2 (twice: form and answers)
    assert len(main.select(".cg-intro math")) == 2
    assert len(main.select(".cg-math > math[display=block]")) == 2
    assert main.select_one(".cg-callout math") is not None
    assert main.select_one(".cg-quiz-question math") is not None
    assert main.select_one(".cg-goals math") is not None
    assert "$" not in main.select_one(".cg-card").get_text().replace("$20", "")
    assert "\\(" not in main.get_text() and "\\frac" not in main.get_text()
    assert "for $20 and $30." in main.select_one(".cg-intro").get_text()
    assert main.select_one(".cg-math-error") is None
    assert not [s for s in page.find_all("script", src=True) if "math" in s["src"].lower()]
    fraction = main.select_one(".cg-intro math mfrac")
    assert [mn.get_text() for mn in fraction.find_all("mn")] == ["1", "2"]


def test_the_course_page_preview_shows_the_formula_text(project: CourseProject):
    assert _build(project).ok
    preview = project.html("demo/index.html").get_text(" ")
    assert "L \\propto C^{-0.05}" in preview


def test_a_formula_that_cannot_be_converted_is_an_error_at_its_line(project: CourseProject):
    broken = (MODULE.replace("\\sqrt{x}", "x^")
              .replace("compute.", "compute, $\\nosuch y$.")
              .replace("Use $E = mc^2$", "Use $E = {mc^2$")
              .replace("text: $2$", "text: $2^$"))
    report = _build(project, broken)
    assert not report.ok
    found = {(d.line, d.message.split(": ", 1)[1].split(" (in")[0]) for d in own(report)}
    assert (5, "a '{' is never closed; add its '}'") in found  # the goal's own line
    assert (11, "unknown TeX command '\\nosuch'") in found
    assert (17, "'^' or '_' has nothing after it") in found  # the line the \\[ block starts on
    assert (25, "'^' or '_' has nothing after it") in found  # a quiz option: the quiz fence's line
    assert all(d.path == "content/demo/03-formulas.md" and d.severity == "error" for d in own(report))
    assert len(own(report)) == 4
