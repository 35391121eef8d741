"""Code blocks: file name, line numbers, highlighted lines, the copy script only where there is code, and
warnings and errors at the fence's line for unknown languages, unknown attributes and bad values."""
from __future__ import annotations

from helpers import BODY_LINE, CourseProject, one_card_module, own

CODE = '```python title="app.py" linenums="7" hl_lines="2 3-4"\nimport os\nx = 1\ny = 2\nz = 3\nprint(x)\n```\n'


def _module(body: str) -> str:
    return one_card_module("Code", body)


def _build(project: CourseProject, body: str):
    project.demo().write("content/demo/03-code.md", _module(body))
    return project.build()


def test_title_line_numbers_and_marked_lines(project: CourseProject):
    report = _build(project, CODE)
    assert report.ok and not own(report), own(report)
    page = project.html("demo/code/index.html")
    figure = page.select_one(".cg-card figure.cg-code")
    assert figure.figcaption.get_text() == "app.py"
    code = figure.select_one("pre.highlight code.language-python")
    assert code.get_text() == "import os\nx = 1\ny = 2\nz = 3\nprint(x)\n"  # the numbers are not in the text
    numbers = code.select(".cg-ln")
    assert [n["data-n"] for n in numbers] == ["7", "8", "9", "10", "11"]
    assert all(n["aria-hidden"] == "true" and not n.get_text() for n in numbers)
    assert [m.get_text() for m in code.select("mark.cg-line")] == ["x = 1\n", "y = 2\n", "z = 3\n"]
    assert code.select_one('span.cg-line .k, span.cg-line .kn').get_text() == "import"
    scripts = [s.get("src", "") for s in page.select("script")]
    assert any("/code." in src for src in scripts)
    assert not any("/code." in s.get("src", "") for s in project.html("demo/first/index.html").select("script"))


def test_plain_fences_stay_plain_code_in_a_block(project: CourseProject):
    assert _build(project, "```\nplain <b>\n```\n\n```sql\nSELECT 1;\n```\n").ok
    blocks = project.html("demo/code/index.html").select(".cg-card div.cg-code")
    assert [b.pre.get_text() for b in blocks] == ["plain <b>\n", "SELECT 1;\n"]
    assert blocks[0].find("figcaption") is None and blocks[0].select(".cg-line") == []
    assert blocks[1].select_one("code.language-sql .k").get_text() == "SELECT"


def test_unknown_language_is_a_warning_with_a_suggestion_at_the_fence(project: CourseProject):
    report = _build(project, "Words.\n\n```sqll\nSELECT 1;\n```\n\n```zzzzqqq\nx\n```\n")
    assert report.ok
    found = {(d.line, d.severity, d.message) for d in report.diagnostics if d.path.endswith("03-code.md")}
    assert found == {
        (BODY_LINE + 2, "warning", "unknown language 'sqll' in a code block; did you mean 'sql'?"),
        (BODY_LINE + 6, "warning", ("unknown language 'zzzzqqq' in a code block (the code is shown without colours; "
                         "'text' for none)"))}
    assert project.build(strict=True).ok is False


def test_bad_attribute_values_are_errors_at_the_fence(project: CourseProject):
    body = ('```python hl_lines="2 9"\na\nb\n```\n\n```python linenums="one"\na\n```\n\n'
            '```python hl_lines="x"\na\n```\n\n```python titel="a.py"\na\n```\n')
    report = _build(project, body)
    found = sorted((d.line, d.severity, d.message) for d in report.diagnostics if d.path.endswith("03-code.md"))
    assert found == [
        (BODY_LINE, "error", ('hl_lines="2 9": line 9 is not in the block, which has 2 lines (hl_lines counts from 1, '
                       "whatever linenums says)")),
        (BODY_LINE + 5, "error", 'linenums="one" must be the number of the first line, like linenums="1"'),
        (BODY_LINE + 9, "error", "hl_lines=\"x\": 'x' is not a line number or a range like 2-4"),
        (BODY_LINE + 13, "warning", "unknown code block attribute 'titel'; did you mean 'title'?")]
    assert not report.ok
