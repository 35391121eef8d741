"""Safe rendering: YAML values are escaped in HTML, attributes, JSON-LD and URLs; no script gets in."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import CourseProject

EVIL = """Tom's "best" </script><script>alert(1337)</script><img src=x onerror=alert(1337)> & co"""
YAML_EVIL = json.dumps(EVIL)  # a double-quoted YAML scalar holding EVIL exactly

SITE = f"""\
title: {YAML_EVIL}
description: {YAML_EVIL}
organization: {YAML_EVIL}
courses:
  - demo
  - later
"""

COURSE = f"""\
title: {YAML_EVIL}
tagline: {YAML_EVIL}
description: {YAML_EVIL}
why: {YAML_EVIL}
level: {YAML_EVIL}
next:
  - later
"""

PLANNED = f"""\
title: {YAML_EVIL}
tagline: {YAML_EVIL}
description: {YAML_EVIL}
status: planned
"""

MODULE = f"""\
---
title: {YAML_EVIL}
summary: {YAML_EVIL}
goals:
  - {YAML_EVIL}
sources:
  - {YAML_EVIL}
cards:
  - title: Opening Card
    preview: {YAML_EVIL}
    visual: images/pic.svg
    alt: {YAML_EVIL}
---
Intro.

## Opening Card

Body text.

```quiz
question: {YAML_EVIL}
options:
  - text: {YAML_EVIL}
    correct: true
    feedback: {YAML_EVIL}
  - text: Plain
```
"""


@pytest.fixture
def evil_site(project: CourseProject) -> CourseProject:
    project.demo()
    project.write("content/site.yaml", SITE)
    project.write("content/demo/course.yaml", COURSE)
    project.write("content/later/course.yaml", PLANNED)
    project.write("content/demo/01-first.md", MODULE)
    project.write("content/demo/02-second.md", "---\ntitle: Two\nsummary: S\ngoals:\n  - G\n---\n## Two\n\nText.\n")
    project.write("content/demo/images/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    report = project.build()
    assert report.ok, [d.format() for d in report.diagnostics]
    return project


def html_pages(project: CourseProject) -> list[Path]:
    return sorted(project.out.rglob("*.html"))


def injected_elements(soup: BeautifulSoup) -> list[str]:
    """Elements or attributes that only the payload could have produced."""
    found = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        if "1337" in script.get_text():
            found.append(str(script)[:80])
    for tag in soup.find_all(True):
        for name in tag.attrs:
            if name.startswith("on"):
                found.append(f"<{tag.name} {name}=...>")
    found += [str(img) for img in soup.find_all("img") if img.get("src") == "x"]
    return found


def test_no_payload_executes_on_any_page(evil_site: CourseProject) -> None:
    pages = html_pages(evil_site)
    assert len(pages) >= 4
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert injected_elements(soup) == [], page


def test_text_and_attributes_show_the_value_verbatim(evil_site: CourseProject) -> None:
    module = evil_site.html("demo/first/index.html")
    assert module.find("h1").get_text() == EVIL
    assert module.find("meta", attrs={"name": "description"})["content"] == EVIL
    assert module.find("meta", property="og:title")["content"].startswith(EVIL)
    assert EVIL in module.find("title").get_text()
    figure = module.find("img", src=re.compile(r"pic\.svg$"))
    assert figure is not None and figure["alt"] == EVIL
    assert EVIL in module.get_text()  # goals, sources, quiz text appear as text
    course = evil_site.html("demo/index.html")
    assert course.find("h1").get_text() == EVIL
    assert EVIL in course.get_text()  # tagline, description, card preview


def json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in json_strings(item)]


def test_json_ld_is_valid_json_holding_the_exact_value(evil_site: CourseProject) -> None:
    for rel in ("index.html", "demo/index.html", "demo/first/index.html"):
        raw = (evil_site.out / rel).read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.DOTALL)
        assert blocks, rel
        texts = []
        for block in blocks:
            assert "<" not in block, "JSON-LD must not contain a raw '<' (it could close the script)"
            texts += json_strings(json.loads(block))
        assert any(EVIL in text for text in texts), rel


def test_sitemap_and_feeds_are_well_formed_xml(evil_site: CourseProject) -> None:
    import xml.etree.ElementTree as ET
    for path in evil_site.out.rglob("*.xml"):
        ET.fromstring(path.read_bytes())  # raises on unescaped '<' or '&'


JS_LINKS = [
    "[click](javascript:alert(1337))",
    "[click](JaVaScRiPt:alert(1337))",
    "[click]( javascript:alert(1337) )",
    "[click](&#106;avascript:alert(1337))",
    "[click](java&#x09;script:alert(1337))",
    "[click](vbscript:msgbox(1337))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMzM3KTwvc2NyaXB0Pg==)",
    "<javascript:alert(1337)>",
    "[click][ref]\n\n[ref]: javascript:alert(1337)",
    "![pic](javascript:alert(1337))",
]


@pytest.mark.parametrize("link", JS_LINKS)
def test_markdown_javascript_links_are_dropped(project: CourseProject, link: str) -> None:
    project.demo().write("content/demo/02-second.md",
                         f"---\ntitle: Two\nsummary: S\ngoals:\n  - G\n---\n## Second Card\n\n{link}\n")
    report = project.build()
    if not report.ok:  # refused outright is fine too, as long as it names the line
        assert all(d.path == "content/demo/02-second.md" and d.line == 9 for d in report.errors)
        assert not project.out.exists()
        return
    main = project.html("demo/second/index.html").find("main")
    for tag in main.find_all(["a", "img"]):
        url = (tag.get("href") or tag.get("src") or "").strip().lower()
        assert not url.startswith(("javascript:", "vbscript:", "data:text")), tag


def test_card_visual_with_javascript_url_is_an_error(project: CourseProject) -> None:
    project.demo().write("content/demo/02-second.md",
                         "---\ntitle: Two\nsummary: S\ngoals:\n  - G\ncards:\n  - title: Second Card\n"
                         "    visual: javascript:alert(1337)\n    alt: A picture\n---\n## Second Card\n\nText.\n")
    report = project.build()
    assert [d.format() for d in report.errors] == [
        ("content/demo/02-second.md:7: error: 'javascript:alert(1337)' is not allowed here: links may not run "
         "scripts or open local files; use an http(s) link or a file of the course")]
