"""The course navigation on module pages: every module of the course in order, the current one marked, folded
away by default (the stylesheet shows it as a sidebar at desktop width), not on the print page."""
from __future__ import annotations

from helpers import CourseProject


def test_every_module_is_listed_in_order_with_the_current_one_marked(demo: CourseProject):
    demo.write("content/demo/03-third.md", "---\ntitle: Third Module\nsummary: S.\ngoals:\n  - G.\n---\n## Card\n\nText.\n")
    assert demo.build().ok
    for slug, current in (("first", "First Steps"), ("second", "Second Module"), ("third", "Third Module")):
        page = demo.html(f"demo/{slug}/index.html")
        details = page.select_one("main details.cg-course-nav")
        assert not details.has_attr("open")  # folded on phones; a sidebar at desktop width (CSS)
        position = ["first", "second", "third"].index(slug) + 1
        assert details.summary.get_text(" ", strip=True) == f"Modules of this course ({position} of 3)"
        nav = details.find("nav")
        assert nav["aria-label"] == "Modules of Demo Course"
        links = nav.select("ol > li > a")
        assert [a.get_text(" ", strip=True) for a in links] == ["First Steps (Done)", "Second Module (Done)",
                                                                   "Third Module (Done)"]
        assert [a["href"] for a in links] == ["/demo/first/", "/demo/second/", "/demo/third/"]
        assert all(a.select_one(".cg-nav-done").has_attr("hidden") for a in links)  # until coursegen.js marks them
        assert [a.get_text(" ", strip=True) for a in nav.select('[aria-current="page"]')] == [f"{current} (Done)"]
        assert nav.select_one(".cg-course-nav-title a")["href"] == "/demo/"
    assert demo.html("demo/print/index.html").select_one(".cg-course-nav") is None
    assert demo.html("demo/index.html").select_one(".cg-course-nav") is None
