"""A module's old slugs (front matter 'aliases'): a page at each old URL sends readers and search engines on to the
module, and is listed nowhere else. The mistakes authors make with aliases are in the bad-input corpus
(tests/bad_input/alias-*.case); the learner's progress following the module is tests/browser/test_aliases_browser.py."""
from __future__ import annotations

import gzip
import json

from helpers import MODULE_TWO, CourseProject, own
from servehelp import edit

from coursegen.publish.lms.package import course_package
from coursegen.serve.live import LiveSite


def _renamed(project: CourseProject, aliases: str = "[old-second, second-draft]") -> CourseProject:
    return project.write("content/demo/02-second.md", MODULE_TWO.replace("goals:", f"aliases: {aliases}\ngoals:"))


def test_each_old_url_has_a_page_that_redirects_to_the_module(demo: CourseProject) -> None:
    report = _renamed(demo).build(base_url="https://example.org/courses/")
    assert report.ok and not own(report), [d.format() for d in report.diagnostics]
    for old in ("old-second", "second-draft"):
        page = demo.html(f"demo/{old}/index.html")
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/courses/demo/second/"
        assert page.find("link", rel="canonical")["href"] == "https://example.org/courses/demo/second/"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.html["lang"] == "en" and page.find("meta", charset="utf-8") and page.title.string == "Second Module"
        link = page.find("a")
        assert link["href"] == "/courses/demo/second/" and link.parent.get_text() == \
            "This page has moved to Second Module."
        assert '"/courses/demo/second/" + location.hash' in page.script.string  # a link to a card keeps its card
    assert demo.html("demo/second/index.html").find("h1").get_text() == "Second Module"


def test_a_single_alias_may_be_written_as_text_as_in_hugo(demo: CourseProject) -> None:
    assert _renamed(demo, "old-second").build().ok
    assert (demo.out / "demo/old-second/index.html").is_file()


def test_an_alias_of_digits_is_a_slug_though_yaml_reads_a_number(demo: CourseProject) -> None:
    assert _renamed(demo, "[2019]").build().ok
    assert (demo.out / "demo/2019/index.html").is_file()


def test_the_redirect_text_is_in_the_course_language(demo: CourseProject) -> None:
    demo.write("content/demo/course.yaml", "title: Démo\ntagline: Un cours.\ndescription: Un cours.\nlanguage: fr\n")
    assert _renamed(demo).build().ok
    page = demo.html("demo/old-second/index.html")
    assert page.html["lang"] == "fr" and page.p.get_text() == "Cette page a été déplacée : Second Module."


def test_redirect_pages_are_listed_nowhere(demo: CourseProject) -> None:
    assert _renamed(demo).build(base_url="https://example.org/").ok
    out = demo.out
    assert "old-second" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    shown = [p for p in out.rglob("*.html") if "old-second" not in p.parts and "second-draft" not in p.parts]
    assert shown and not [p for p in shown if "old-second" in p.read_text(encoding="utf-8")
                          .replace('data-moves="old-second:second second-draft:second"', "")]
    fragments = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])["url"]
                 for p in out.glob("pagefind*/fragment/*.pf_fragment")]
    assert "/demo/second/" in fragments and not [u for u in fragments if "old-second" in u]
    offline = json.loads((out / "offline/demo.json").read_text(encoding="utf-8"))["files"]
    assert "/demo/second/" in offline and not [u for u in offline if "old-second" in u]


def test_lms_packages_leave_redirect_pages_out(demo: CourseProject) -> None:
    report = _renamed(demo).build(write=False)
    assert report.ok and report.site
    package = course_package(report.site, report.site.courses[0], report.files)
    assert "demo/second/index.html" in package.files
    assert not [p for p in package.files if "old-second" in p or "second-draft" in p]


def test_redirect_pages_are_valid_html(demo: CourseProject) -> None:
    from test_html_valid import validate
    assert _renamed(demo).build(base_url="https://example.org/").ok
    for path in demo.out.rglob("*"):
        if path.is_file() and "old-second" not in path.parts:
            path.unlink()
    assert (demo.out / "demo/old-second/index.html").is_file()
    result = validate(demo.out)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cached_builds_follow_alias_edits(demo: CourseProject) -> None:
    assert demo.build().ok
    assert _renamed(demo).build().ok and (demo.out / "demo/old-second/index.html").is_file()
    edit(demo.root, "content/demo/01-first.md", "Plain text here.", "Plain text, edited.")
    assert demo.build().ok  # 02-second.md's parse, aliases and all, comes from the cache
    assert (demo.out / "demo/second-draft/index.html").is_file()
    _renamed(demo, "[second-draft]").build()
    assert not (demo.out / "demo/old-second").exists() and (demo.out / "demo/second-draft/index.html").is_file()


def test_serve_previews_redirect_pages_and_follows_alias_edits(demo: CourseProject) -> None:
    builder = LiveSite(demo.root)
    assert builder.rebuild().ok
    assert builder.rebuild([_renamed(demo).root / "content/demo/02-second.md"]).ok
    assert b'url=/demo/second/"' in builder.files.data["demo/old-second/index.html"]
    assert builder.rebuild([edit(demo.root, "content/demo/02-second.md", "old-second, ", "")]).ok
    assert "demo/old-second/index.html" not in builder.files.data
    assert "demo/second-draft/index.html" in builder.files.data
