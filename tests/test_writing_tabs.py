"""Tabs: both spellings give the same HTML (every panel under its label), tabs.js only where there are tabs,
misplaced blocks are errors at their line."""
from __future__ import annotations

from helpers import BODY_LINE, CourseProject, one_card_module, own

COLONS = """\
:::: tabs
::: tab Linux
Use `apt`.

```bash
apt install git
```
:::
::: tab macOS
Use `brew`.
:::
::::
"""

MATERIAL = """\
=== "Linux"

    Use `apt`.

    ```bash
    apt install git
    ```

=== "macOS"
    Use `brew`.

After the tabs.
"""


def _module(body: str) -> str:
    return one_card_module("Tabs", body)


def test_both_spellings_render_the_same_stacked_panels(project: CourseProject):
    project.demo().write("content/demo/03-a.md", _module(COLONS)).write("content/demo/04-b.md", _module(MATERIAL))
    report = project.build()
    assert report.ok and not own(report), report.diagnostics
    colons = project.html("demo/a/index.html").select_one(".cg-card .cg-tabs")
    material = project.html("demo/b/index.html").select_one(".cg-card .cg-tabs")
    assert str(colons) == str(material)
    assert [t["data-tab"] for t in colons.select(":scope > .cg-tab")] == ["Linux", "macOS"]
    assert [p.get_text() for p in colons.select(".cg-tab > .cg-tab-label")] == ["Linux", "macOS"]
    assert colons.select_one(".cg-tab pre code.language-bash") is not None
    assert project.html("demo/b/index.html").select_one(".cg-tabs + p").get_text() == "After the tabs."
    scripts = [s["src"] for s in project.html("demo/a/index.html").find_all("script", src=True)]
    assert any("/tabs." in src for src in scripts)
    assert not any("/tabs." in s["src"] for s in project.html("demo/first/index.html").find_all("script", src=True))
    printed = project.html("demo/print/index.html")
    assert len(printed.select(".cg-tabs .cg-tab")) == 4
    assert not any("/tabs." in s["src"] for s in printed.find_all("script", src=True))


def test_misplaced_tab_blocks_are_errors(project: CourseProject):
    body = "::: tab Lonely\nx\n:::\n\n:::: tabs\n::: note\ny\n:::\n::: tab\nz\n:::\n::::\n"
    report = project.demo().write("content/demo/03-a.md", _module(body)).build()
    found = [(d.line, d.message.split(";")[0].split(":")[0]) for d in report.diagnostics]
    assert (BODY_LINE, "a '") in found  # ::: tab outside tabs
    assert (BODY_LINE + 5, "a '") in found  # ::: note directly inside tabs
    assert any(d.line == BODY_LINE + 8 and "needs its label" in d.message for d in report.diagnostics)
    assert not report.ok
