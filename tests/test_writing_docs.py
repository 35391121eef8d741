"""docs/authoring.md's "Writing STEM and code" examples build as written: no error, no warning."""
from __future__ import annotations

import re

from helpers import CHECK_GOAL_1, REPO, CourseProject, own

FRONT = "---\ntitle: Docs examples\nsummary: Every example of the writing section.\ngoals:\n  - Build.\n---\n" + CHECK_GOAL_1


def writing_examples() -> list[str]:
    text = (REPO / "docs/authoring.md").read_text(encoding="utf-8")
    section = text.split("\n## Writing STEM and code\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^````markdown\n(.*?)^````$", section, re.DOTALL | re.MULTILINE)


def test_the_writing_examples_build_without_a_warning(project: CourseProject):
    examples = writing_examples()
    assert len(examples) >= 1
    body = "".join(f"\n## Example {n}\n\nExample {n}.\n\n{example}" for n, example in enumerate(examples, 1))
    project.demo().write("content/demo/03-docs.md", FRONT + body)
    report = project.build()
    assert report.ok and not own(report), report.diagnostics
    main = project.html("demo/docs/index.html").find("main")
    assert len(main.select(".cg-card")) == len(examples)
    assert main.find("math") is not None
