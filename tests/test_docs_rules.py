"""What docs/authoring.md says about nesting blocks, raw HTML paths and which .md files are modules is what
coursegen does: each rule built on a real project (the examples themselves also build in test_docs_examples)."""
from __future__ import annotations

import re

from helpers import REPO, CourseProject, own

AUTHORING = (REPO / "docs/authoring.md").read_text(encoding="utf-8")
HEAD = "---\ntitle: Rules\nsummary: A rule of the docs.\ngoals:\n  - Build.\n---\n## The Card\n\nText.\n\n"


def _section(title: str) -> str:
    return AUTHORING.split(f"\n### {title}\n", 1)[1].split("\n#", 1)[0]


def _examples(section: str) -> list[str]:
    return re.findall(r"^(`{3,4})markdown\n(.*?)^\1$", section, re.DOTALL | re.MULTILINE)


def test_the_nesting_example_nests_every_kind_of_block(demo: CourseProject) -> None:
    [(_, example)] = _examples(_section("Nesting blocks"))
    demo.write("content/demo/03-rules.md", HEAD + example)
    report = demo.build()
    assert report.ok and not own(report), [d.format() for d in report.diagnostics]
    prose = demo.html("demo/rules/index.html").select_one("#the-card .cg-prose")
    assert prose.select_one("details.cg-reveal > .cg-reveal-body > aside.cg-callout-tip")  # a callout in a reveal
    assert prose.select_one("details.cg-callout-note > details.cg-reveal")  # a reveal in a folded callout
    tab_sql, tab_python = prose.select(".cg-tabs > .cg-tab")
    assert tab_sql.select_one("aside.cg-callout-warning") and tab_python.select_one("form.cg-quiz")
    assert not [p for p in prose.find_all("p") if p.get_text().startswith(":")]  # no fence left over as text


def test_an_inner_block_with_as_many_colons_is_the_error_the_docs_show(demo: CourseProject) -> None:
    demo.write("content/demo/03-rules.md", HEAD + "::: tip\n::: reveal Why?\nBecause.\n:::\nMore tip.\n:::\n")
    lines = [line for line in demo.cli("check").stderr.splitlines() if ": error: " in line]
    expected = re.search(r"error: (the '::: tip' block opened here is never closed: .*)", _section("Nesting blocks"))
    assert lines == [f"content/demo/03-rules.md:11: error: {expected.group(1)}"]  # the last ':::' is its closer


def test_raw_html_paths_are_relative_to_the_built_page_and_checked(demo: CourseProject) -> None:
    demo.write("content/demo/images/arc.svg", "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>")
    demo.write("content/demo/03-rules.md", HEAD + '<img src="../images/arc.svg" alt="Good">\n\n'
               '<a href="../second/#second-card">Good</a>\n\n<img src="images/arc.svg" alt="Bad">\n\n'
               '<a href="02-second.md">Bad</a>\n')  # each error at its own line, not at the good path's
    result = demo.cli("check")
    errors = [line.split(" (built page")[0] for line in result.stderr.splitlines() if ": error: " in line]
    missing = "points at 'demo/rules/{}', which is not in the built site"
    assert errors == [f"content/demo/03-rules.md:15: error: 'images/arc.svg' {missing.format('images/arc.svg')}",
                      f"content/demo/03-rules.md:17: error: '02-second.md' {missing.format('02-second.md')}"]


def test_every_md_file_of_a_course_folder_is_a_module_and_others_are_left_out(demo: CourseProject) -> None:
    demo.write("content/demo/notes/ideas.md", "Not a module.\n").write("content/demo/.scratch.md", "Hidden.\n")
    demo.write("content/demo/03-rules.md~", "A backup.\n")
    assert demo.build().ok
    assert not (demo.out / "demo/notes").exists() and not list(demo.out.rglob("*.md"))
    demo.write("content/demo/README.md", "# About\n").write("content/demo/_notes.md", "Notes.\n")
    demo.write("content/stray.md", "Stray.\n")
    problems = [line for line in demo.cli("check").stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert [line.split(": ")[0] for line in problems if "content/site.yaml" not in line] == [
        "content/demo/README.md:1", "content/demo/_notes.md:1", "content/stray.md:1"], problems
    assert "module file name 'README.md' must look like '01-some-slug.md'" in problems[0]
