"""docs/learning-design.md: its example project builds, and its messages and report are what coursegen says."""
from __future__ import annotations

import re

from helpers import REPO, CourseProject

DOC = (REPO / "docs" / "learning-design.md").read_text(encoding="utf-8")
FILES = re.findall(r"<!-- file: (\S+) -->\n(`{3,})\w*\n(.*?)\n\2\n", DOC, re.DOTALL)
REPORT = re.search(r"<!-- report -->\n```text\n(.*?)\n```\n", DOC, re.DOTALL)


def doc_project(tmp_path) -> CourseProject:
    project = CourseProject(tmp_path)
    for path, _, text in FILES:
        project.write(path, text + "\n")
    return project


def test_the_example_builds_and_the_report_is_the_one_shown(tmp_path):
    assert len(FILES) >= 3 and REPORT
    project = doc_project(tmp_path)
    assert project.build().ok
    result = project.cli("report")
    assert result.returncode == 0, result.stderr
    assert result.stdout == REPORT.group(1) + "\n"


def test_the_messages_shown_are_the_ones_coursegen_gives(tmp_path):
    project = doc_project(tmp_path)
    module = "content/loops/01-repeat.md"
    text = (tmp_path / module).read_text()
    project.write(module, text.replace("question: When does a `while` loop stop?\ngoals: [2]",
                                       "question: When does a `while` loop stop?\ngoals: [3]"))
    error = project.check().errors[0].format()
    assert f"`{error}`" in " ".join(DOC.replace("\n  ", " ").split()).replace("` `", "")
    project.write(module, text.replace("::: reveal {goals=1}", "::: reveal"))
    warning = next(d for d in project.check().diagnostics if "goal 1" in d.message).format()
    assert warning in DOC


def test_the_glossary_example_links_first_uses_and_its_messages_are_the_ones_shown(tmp_path):
    project = doc_project(tmp_path)
    report = project.build()
    assert report.ok and not [d for d in report.diagnostics if "glossary" in d.path], report.diagnostics
    page = project.html("loops/repeat/index.html")
    assert [a.get_text() for a in page.select("a.cg-term")] == ["loop", "condition"]
    assert [dt.dfn.get_text() for dt in project.html("loops/glossary/index.html").select("dt")] == ["condition", "loop"]
    glossary = tmp_path / "content/loops/glossary.yaml"
    text = glossary.read_text()
    glossary.write_text(text.replace("see: [condition]", "see: [conditon]") + "iteration: One pass of a loop.\n")
    found = [d.format() for d in project.check().diagnostics]
    flat = " ".join(DOC.split())
    assert any("names 'conditon', which is not a term here; did you mean 'condition'?" in f for f in found)
    assert "'see' of 'loop' names 'conditon', which is not a term here; did you mean 'condition'?" in flat
    glossary.write_text(text + "iteration: One pass of a loop.\n")
    warning = next(f for f in project.check().diagnostics if "iteration" in f.message).format()
    assert warning in DOC
