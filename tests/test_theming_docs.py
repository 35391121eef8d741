"""docs/theming.md: its files build as written (your CSS on top of the theme, a block override), and its tables
of template variables and page kinds are what the templates really receive."""
from __future__ import annotations

import re

import pytest
from helpers import REPO, CourseProject, own

from coursegen import BuildOptions, build
from coursegen.render import Renderer
from coursegen.seam import NoSpeed

THEMING = (REPO / "docs/theming.md").read_text(encoding="utf-8")
FILE = re.compile(r"^<!-- file: (\S+) -->\n```\w+\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _table(heading: str) -> list[list[str]]:
    """The rows (cells, backticks kept) of the first table after the line starting with `heading`."""
    after = THEMING.split(heading, 1)[1]
    rows = re.findall(r"^\|(.+)\|$", after.split("\n\n|", 1)[1].split("\n\n", 1)[0].join(["|", ""]), re.MULTILINE)
    return [[cell.strip() for cell in row.split("|")] for row in rows[2:]]


def test_the_files_of_the_docs_build_and_do_what_they_say(demo: CourseProject) -> None:
    files = dict(FILE.findall(THEMING))
    assert {"content/site.yaml", "static/brand.css", "templates/home.html"} <= files.keys()
    for path, text in files.items():
        demo.write(path, text)
    report = demo.build()
    assert report.ok and not own(report), [d.format() for d in report.diagnostics]
    home = demo.html("index.html")
    sheets = [link["href"] for link in home.select('link[rel="stylesheet"]')]
    assert [s.split("/")[-1].split(".")[0] for s in sheets][:2] == ["coursegen", "brand"]  # yours after the theme's
    assert "--cg-radius:4px" in (demo.out / sheets[1].lstrip("/")).read_text()
    main = home.select_one("main")
    assert main.find("p").get_text() == "Welcome!" and main.select(".cg-course-card")  # the block, then super()
    assert "cg-page-module" in demo.html("demo/first/index.html").body["class"]


@pytest.fixture
def rendered(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[set[str], str, bool, bool]]:
    """page kind -> (the variables its template got, its template, has a course, has a module)."""
    demo.write("content/demo/glossary.yaml", "card: A short piece of a module.\n")
    seen: dict[str, tuple[set[str], str, bool, bool]] = {}
    context = Renderer.context

    def recording(self: Renderer, page):  # type: ignore[no-untyped-def]
        found = context(self, page)
        seen[page.kind] = (set(found), page.template, page.course is not None, page.module is not None)
        return found

    monkeypatch.setattr(Renderer, "context", recording)
    assert build(demo.root, BuildOptions(out=demo.out, report=True, cache=False), NoSpeed()).ok
    return seen


def test_the_variables_table_lists_every_variable_a_page_gets(rendered) -> None:
    documented = {name for row in _table("Every page template gets these variables")
                  for name in re.findall(r"`([^`]+)`", row[0])}
    for kind, (variables, *_) in rendered.items():
        assert variables == documented, (kind, variables ^ documented)


def test_the_page_kinds_table_is_every_kind_with_its_template_course_and_module(rendered) -> None:
    rows = _table("`course` and `module` are `None` where a page has none")
    documented = {row[0].strip("`"): (row[1].strip("`"), row[2] == "yes", row[3] == "yes") for row in rows}
    assert documented == {kind: (template, course, module) for kind, (_, template, course, module) in rendered.items()}
