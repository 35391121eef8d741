"""Integration: build fixture projects and check what a learner sees in the HTML."""
from __future__ import annotations

import re

from helpers import MODULE_TWO

from coursegen.preview import ELLIPSIS

LONG_CARD = """\
---
title: Long Card Module
summary: Previews get cut.
goals:
  - See a preview cut.
cards:
  - title: Overridden
    preview: A hand-written preview.
  - title: Automatic
---
## Overridden

Whatever the text says, the preview comes from front matter.

## Automatic

**Bold** words and `code` and a [link](01-first.md) lead into a long paragraph that keeps going well
beyond the preview limit so that the preview has to be cut somewhere sensible at a word boundary, and
then some more words follow.
"""


def test_home_lists_courses_in_order_and_planned_on_roadmap(demo):
    report = demo.build()
    assert report.ok, report.diagnostics
    home = demo.html("index.html")
    assert home.find("h1").get_text() == "Test Academy"
    courses = [a.get_text() for a in home.select(".cg-course-list h3 a")]
    assert courses == ["Demo Course"]
    roadmap = home.select_one(".cg-roadmap")
    assert "Later Course" in roadmap.get_text() and "Coming soon" in roadmap.get_text()
    assert not (demo.out / "later").exists()


def test_course_page_shows_tagline_why_goals_and_linked_previews(demo):
    demo.build()
    page = demo.html("demo/index.html")
    assert page.find("h1").get_text() == "Demo Course"
    assert "A course that exercises every feature." in page.select_one(".cg-lead").get_text()
    assert "Because tests catch bugs." in page.select_one(".cg-why").get_text()
    entries = page.select(".cg-module-entry")
    assert [e.h3.get_text() for e in entries] == ["First Steps", "Second Module"]
    assert [li.get_text() for li in entries[0].select(".cg-goals li")] == [
        "Read a concept card.", "Follow a link to the next module."]
    links = [a["href"] for a in entries[0].select(".cg-preview a")]
    assert links == ["/demo/first/#opening-card", "/demo/first/#another-card"]
    assert entries[0].select_one(".cg-preview-text").get_text().startswith("This card opens the course")


def test_module_page_has_goals_intro_cards_and_prev_next(demo):
    demo.build()
    page = demo.html("demo/first/index.html")
    assert page.find("h1").get_text() == "First Steps"
    assert [s["id"] for s in page.select("section.cg-card")] == ["opening-card", "another-card"]
    assert "Intro paragraph." in page.select_one(".cg-intro").get_text()
    assert page.select_one("a[rel=next]")["href"] == "/demo/second/"
    link = page.select_one("#opening-card a[href*=second]")
    assert link["href"] == "/demo/second/#second-card"
    second = demo.html("demo/second/index.html")
    assert second.select_one("a[rel=prev]")["href"] == "/demo/first/"


def test_previews_override_and_cut_at_word_boundary(demo):
    demo.write("content/demo/03-long.md", LONG_CARD).build()
    previews = demo.html("demo/index.html").select("#module-long .cg-preview-text")
    assert previews[0].get_text() == "A hand-written preview."
    automatic = previews[1].get_text()
    assert automatic.endswith(ELLIPSIS) and len(automatic) <= 140
    assert automatic.startswith("Bold words and code and a link lead into")
    words = automatic[:-1].split()
    source_words = ("Bold words and code and a link lead into a long paragraph that keeps going well beyond "  # noqa: SIM905
                    "the preview limit so that the preview has to be cut somewhere sensible at a word").split()
    assert words == source_words[: len(words)]  # whole words only


def test_modules_order_numerically_not_alphabetically(demo):
    demo.write("content/demo/10-tenth.md", MODULE_TEMPLATE.format(title="Tenth"))
    demo.write("content/demo/3-third.md", MODULE_TEMPLATE.format(title="Third"))
    demo.build()
    titles = [e.h3.get_text() for e in demo.html("demo/index.html").select(".cg-module-entry")]
    assert titles == ["First Steps", "Second Module", "Third", "Tenth"]


MODULE_TEMPLATE = """\
---
title: {title}
summary: A module.
goals:
  - A goal.
---
## Only Card

Text.
"""


def test_assets_are_copied_and_links_work_under_a_sub_path(demo):
    demo.write("content/demo/images/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    demo.write("content/demo/02-second.md", MODULE_TWO_WITH_IMAGE)
    report = demo.build(base_url="/courses/")
    assert report.ok, report.diagnostics
    page = demo.html("demo/second/index.html")
    assert page.select_one("#second-card img")["src"] == "/courses/demo/images/pic.svg"
    assert (demo.out / "demo/images/pic.svg").exists()
    hrefs = [a["href"] for a in page.select("a[href]") if not a["href"].startswith("#")]
    for href in hrefs:
        assert href.startswith("/courses/"), href
        target = href.split("#")[0][len("/courses/"):]
        assert (demo.out / target).exists() or (demo.out / target / "index.html").exists(), href
    for tag in page.select("link[rel=stylesheet], link[rel=icon], script[src]"):
        url = tag.get("href") or tag.get("src")
        assert url.startswith("/courses/static/"), url
        assert (demo.out / url[len("/courses/"):]).exists()


MODULE_TWO_WITH_IMAGE = MODULE_TWO.replace(
    "Back to [the start](01-first.md).",
    "![A picture](images/pic.svg) and back to [the start](01-first.md#opening-card).")


def test_absolute_base_url_gives_absolute_canonical(demo):
    demo.build(base_url="https://example.org/learn/")
    page = demo.html("demo/first/index.html")
    assert page.select_one("link[rel=canonical]")["href"] == "https://example.org/learn/demo/first/"
    assert page.select_one("a[rel=next]")["href"] == "/learn/demo/second/"
    sitemap = (demo.out / "sitemap.xml").read_text()
    assert "<loc>https://example.org/learn/demo/second/</loc>" in sitemap


def test_drafts_are_left_out_unless_asked_for(demo):
    demo.write("content/demo/03-draft.md", MODULE_TEMPLATE.format(title="Drafty").replace(
        "goals:", "draft: true\ngoals:"))
    demo.build()
    assert not (demo.out / "demo/draft").exists()
    demo.build(drafts=True)
    page = demo.html("demo/draft/index.html")
    assert "Draft" in page.select_one(".cg-eyebrow").get_text()


def test_code_is_highlighted_with_pygments_classes(demo):
    demo.write("content/demo/03-code.md", MODULE_TEMPLATE.format(title="Code").replace(
        "Text.", "```python\ndef f():\n    return 1\n```"))
    demo.build()
    code = demo.html("demo/code/index.html").select_one("pre.highlight code.language-python")
    assert code.select_one("span.k").get_text() == "def"
    css = next((demo.out / "static").glob("pygments.*.css")).read_text()
    assert ".highlight .k" in css and re.search(r"prefers-color-scheme: ?dark", css)  # shipped minified


def test_project_template_and_static_override_the_theme(demo):
    demo.write("templates/partials/footer.html", "<footer><p>Custom footer</p></footer>\n")
    demo.write("templates/home.html", '{% extends "theme/home.html" %}{% block main %}<p id="x">Mine</p>'
               '{{ super() }}{% endblock %}')
    demo.write("static/coursegen.css", "body { color: red; }")
    demo.write("static/extra.txt", "hello")
    demo.build()
    home = demo.html("index.html")
    assert home.select_one("footer").get_text(strip=True) == "Custom footer"
    assert home.select_one("#x").get_text() == "Mine" and home.find("h1")
    css_href = home.select_one("link[rel=stylesheet]")["href"]
    assert (demo.out / css_href.lstrip("/")).read_text() == "body{color:red}"  # the project's file, minified
    [extra] = (demo.out / "static").glob("extra.*.txt")  # every static file is named by its content
    assert extra.read_text() == "hello"


def test_every_static_file_has_a_content_hashed_name_and_the_pages_link_it(demo):
    demo.write("static/favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"></svg>')
    demo.build()
    home = demo.html("index.html")
    icon = home.select_one("link[rel=icon]")["href"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{8}\.svg", icon)
    assert (demo.out / icon.lstrip("/")).read_text().startswith("<svg")
    names = [p.relative_to(demo.out / "static").as_posix() for p in (demo.out / "static").rglob("*") if p.is_file()]
    assert names and all(re.search(r"\.[0-9a-f]{8,10}\.[a-z]+$", name) for name in names), names
    before = icon
    demo.write("static/favicon.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"></svg>')
    demo.build()
    assert demo.html("index.html").select_one("link[rel=icon]")["href"] != before  # new content, new name


def test_404_sitemap_and_robots(demo):
    demo.build(base_url="https://example.org/")
    not_found = demo.html("404.html")
    assert not_found.find("h1").get_text() == "Page not found"
    assert not_found.select_one(".cg-hero a")["href"] == "/"
    sitemap = (demo.out / "sitemap.xml").read_text()
    assert sitemap.count("<loc>") == 4  # home, course, two modules
    assert "404" not in sitemap
    robots = (demo.out / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_the_same_input_gives_byte_identical_output(demo, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    demo.build(out=first)
    demo.build(out=second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_crlf_and_bom_files_build(demo):
    text = "\ufeff" + MODULE_TEMPLATE.format(title="Windows").replace("\n", "\r\n")
    demo.write("content/demo/03-windows.md", text.encode("utf-8"))
    report = demo.build()
    assert report.ok, report.diagnostics
    assert demo.html("demo/windows/index.html").find("h1").get_text() == "Windows"


def test_interactive_blocks_render_without_javascript(demo):
    demo.write("static/widgets/counter.js", "export default function mount(el) { el.textContent = 'ok'; }")
    demo.write("content/demo/03-blocks.md", BLOCKS_MODULE)
    report = demo.build()
    assert report.ok, report.diagnostics
    page = demo.html("demo/blocks/index.html")
    title = page.select_one("aside.cg-callout-warning .cg-callout-title")
    assert title.get_text() == "Warning: Careful" and title.select_one(".cg-visually-hidden").get_text() == "Warning: "
    reveal = page.select_one("details.cg-reveal")
    assert "What is 2 + 2?" in reveal.summary.get_text() and "Four." in reveal.get_text()
    quiz = page.select_one("form.cg-quiz")
    assert quiz["data-multiple"] == "true"
    assert [i["type"] for i in quiz.select("input")] == ["checkbox"] * 3
    answers = quiz.select_one("details.cg-quiz-answers").get_text()
    assert "Correct: Two" in answers and "Not correct: Three" in answers
    widget = page.select_one('[data-widget="counter"]')
    assert "Counts things." in widget.get_text()
    assert '"start": 3' in widget["data-options"]
    module_script = [s.string for s in page.select("script[type=module]")]
    assert any("widgets/counter." in (s or "") for s in module_script)
    other = demo.html("demo/first/index.html")
    assert not other.select("script[type=module]")  # widget code only where used


BLOCKS_MODULE = """\
---
title: Blocks
summary: Every interactive block.
goals:
  - Try each block.
---
## All Blocks

::: warning Careful
Hot stove.
:::

::: reveal What is 2 + 2?
Four.
:::

```quiz
question: Which are even?
options:
  - text: Two
    correct: true
  - text: Three
    feedback: Odd.
  - text: Four
    correct: true
```

```widget counter
start: 3
fallback: Counts things.
```
"""


def test_unknown_widget_is_an_error_until_its_script_exists(demo):
    demo.write("content/demo/03-blocks.md", BLOCKS_MODULE)
    report = demo.build()
    assert [d.format() for d in report.errors] == [
        ("content/demo/03-blocks.md:28: error: unknown widget 'counter'; add static/widgets/counter.js "
        "(available: none found)")]
    demo.write("static/widgets/counter.js", "export default function mount(el) { el.textContent = 'ok'; }")
    assert demo.build().ok


