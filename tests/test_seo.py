"""Search and sharing metadata per page type: <title>, description, canonical, Open Graph, Twitter, JSON-LD."""
from __future__ import annotations

import json
import re

import pytest

from coursegen.publish.seo import og_locale, script_json

BASE = "https://example.org/courses/"


def jsonld(page) -> dict[str, dict]:
    """The page's JSON-LD objects by @type; each must be valid JSON."""
    found = {}
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        assert data["@context"] == "https://schema.org"
        found[data["@type"]] = data
    return found


def meta(page, key: str) -> str | None:
    tag = page.find("meta", property=key) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


@pytest.fixture
def built(demo):
    demo.write("content/site.yaml", demo.root.joinpath("content/site.yaml").read_text()
               + "organization: Test Org\nlanguage: en-GB\n")
    demo.write("content/later/course.yaml", "title: Later Course\ntagline: After the demo.\n"
               "description: Next.\n")  # published now, so the demo course is its prerequisite
    demo.write("content/later/01-only.md", "---\ntitle: Only\nsummary: The only module.\ngoals:\n  - Go on.\n"
               "---\n## Card\n\nText.\n")
    report = demo.build(base_url=BASE)
    assert report.ok, [d.format() for d in report.errors]
    return demo


def test_every_page_has_title_description_canonical_open_graph_and_twitter_tags(built):
    for rel, url, og_type in [("index.html", BASE, "website"), ("demo/index.html", BASE + "demo/", "article"),
                              ("demo/first/index.html", BASE + "demo/first/", "article")]:
        page = built.html(rel)
        assert page.title.string.endswith("Test Academy")
        description = meta(page, "description")
        assert description and "<" not in description and "*" not in description
        assert page.find("link", rel="canonical")["href"] == url
        assert meta(page, "og:url") == url
        assert meta(page, "og:type") == og_type
        assert meta(page, "og:site_name") == "Test Academy"
        assert meta(page, "og:locale") == "en_GB"
        assert meta(page, "og:description") == description
        assert meta(page, "twitter:card") == "summary_large_image"
        assert meta(page, "og:image") == meta(page, "twitter:image")
        assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
        assert meta(page, "og:image:alt") and meta(page, "twitter:image:alt") == meta(page, "og:image:alt")


def test_titles_name_the_page_then_its_course_then_the_site(built):
    assert built.html("index.html").title.string == "Test Academy"
    assert built.html("demo/index.html").title.string == "Demo Course · Test Academy"
    assert built.html("demo/first/index.html").title.string == "First Steps · Demo Course · Test Academy"
    assert meta(built.html("demo/first/index.html"), "og:title") == "First Steps"


def test_course_description_is_plain_text_from_tagline_and_description(built):
    description = meta(built.html("demo/index.html"), "description")
    assert description == "A course that exercises every feature. Learn everything about testing."


def test_course_page_json_ld_has_every_field_google_course_info_requires(built):
    data = jsonld(built.html("demo/index.html"))
    course = data["Course"]
    assert course["name"] == "Demo Course" and course["description"]
    assert course["url"] == BASE + "demo/"
    assert course["provider"] == {"@type": "Organization", "name": "Test Org", "url": BASE}
    assert course["offers"] == [{"@type": "Offer", "category": "Free"}]
    instance = course["hasCourseInstance"][0]
    assert instance["@type"] == "CourseInstance" and instance["courseMode"] == "Online"
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?", instance["courseWorkload"])
    minutes = sum(int(m.select_one(".cg-eyebrow").get_text().split("·")[1].split()[0])
                  for m in built.html("demo/index.html").select(".cg-module-entry"))
    assert instance["courseWorkload"] == f"PT{minutes}M"
    assert course["teaches"] == ["Read a concept card.", "Follow a link to the next module.", "Finish the course."]
    assert [(p["name"], p["url"]) for p in course["hasPart"]] == [
        ("First Steps", BASE + "demo/first/"), ("Second Module", BASE + "demo/second/")]
    assert course["image"] == meta(built.html("demo/index.html"), "og:image")
    assert course["educationalLevel"] == "beginner"
    assert "coursePrerequisites" not in course  # nothing leads to the demo course


def test_prerequisites_come_from_the_courses_whose_next_leads_here(built):
    later = jsonld(built.html("later/index.html"))["Course"]
    assert later["coursePrerequisites"] == [{"@type": "Course", "name": "Demo Course", "url": BASE + "demo/"}]


def test_module_page_is_a_learning_resource_part_of_its_course(built):
    resource = jsonld(built.html("demo/second/index.html"))["LearningResource"]
    assert resource["name"] == "Second Module"
    assert resource["url"] == BASE + "demo/second/"
    assert resource["teaches"] == ["Finish the course."]
    assert resource["isPartOf"]["@type"] == "Course" and resource["isPartOf"]["url"] == BASE + "demo/"
    assert resource["position"] == 2 and resource["timeRequired"].startswith("PT")


def test_home_page_lists_the_published_courses_in_order(built):
    items = jsonld(built.html("index.html"))["ItemList"]["itemListElement"]
    assert [(i["position"], i["url"]) for i in items] == [(1, BASE + "demo/"), (2, BASE + "later/")]


@pytest.mark.parametrize("rel, trail", [
    ("index.html", ["Home"]),
    ("demo/index.html", ["Home", "Demo Course"]),
    ("demo/first/index.html", ["Home", "Demo Course", "First Steps"]),
])
def test_breadcrumb_list_on_every_page(built, rel, trail):
    items = jsonld(built.html(rel))["BreadcrumbList"]["itemListElement"]
    assert [i["name"] for i in items] == trail
    assert [i["position"] for i in items] == list(range(1, len(trail) + 1))
    assert all(i["item"].startswith(BASE) for i in items)


def test_404_page_is_not_indexed_and_has_no_canonical(built):
    page = built.html("404.html")
    assert meta(page, "robots") == "noindex"
    assert page.find("link", rel="canonical") is None


def test_json_ld_is_escaped_so_content_cannot_close_the_script(project):
    project.demo()
    project.write("content/demo/course.yaml", "title: 'Break </script><script>alert(1)</script> & more'\n"
                  "tagline: \"Quotes \\\" and separators\"\ndescription: Text.\n")
    assert project.build(base_url=BASE).ok
    html = (project.out / "demo/index.html").read_text()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert scripts and all("</" not in s and "<script" not in s for s in scripts)
    course = jsonld(project.html("demo/index.html"))["Course"]
    assert course["name"] == "Break </script><script>alert(1)</script> & more"
    assert course["description"].startswith('Quotes " and')


def test_offer_category_comes_from_site_yaml(demo):
    demo.write("content/site.yaml", demo.root.joinpath("content/site.yaml").read_text() + "offer_category: Paid\n")
    assert demo.build(base_url=BASE).ok
    assert jsonld(demo.html("demo/index.html"))["Course"]["offers"] == [{"@type": "Offer", "category": "Paid"}]


def test_unknown_offer_category_is_a_located_error(demo):
    demo.write("content/site.yaml", demo.root.joinpath("content/site.yaml").read_text() + "offer_category: Cheap\n")
    report = demo.check()
    assert any(d.path == "content/site.yaml" and d.line == 6 and "offer_category" in d.message for d in report.errors)


def test_draft_modules_built_with_drafts_are_noindex_and_left_out_of_the_sitemap(demo):
    demo.write("content/demo/03-wip.md", "---\ntitle: WIP\nsummary: Not yet.\ngoals:\n  - Wait.\ndraft: true\n---\nx\n")
    assert demo.build(base_url=BASE, drafts=True).ok
    assert meta(demo.html("demo/wip/index.html"), "robots") == "noindex"
    assert "demo/wip/" not in (demo.out / "sitemap.xml").read_text()


def test_script_json_and_og_locale_units():
    assert script_json({"a": "</script>&\u2028"}) == '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'
    assert json.loads(script_json({"a": "</script>&\u2028"})) == {"a": "</script>&\u2028"}
    assert [og_locale(x) for x in ("en", "fr", "pt-BR", "zh-Hant-TW")] == ["en_US", "fr_FR", "pt_BR", "zh_TW"]


def test_pages_left_out_of_the_sitemap_are_noindex_and_the_others_are_not(built):
    sitemap = (built.out / "sitemap.xml").read_text()
    for html in sorted(built.out.rglob("*.html")):
        rel = html.relative_to(built.out).as_posix()
        url = BASE + rel.removesuffix("index.html")
        robots = meta(built.html(rel), "robots")
        assert (robots == "noindex") == (f"<loc>{url}</loc>" not in sitemap), rel


def test_without_an_origin_no_page_has_a_canonical_or_og_url(demo):
    assert demo.build().ok  # base_url '/' in site.yaml: a path alone
    for rel in ("index.html", "demo/index.html", "demo/first/index.html", "demo/print/index.html", "404.html"):
        page = demo.html(rel)
        assert page.find("link", rel="canonical") is None, rel  # a relative canonical is worse than none
        assert meta(page, "og:url") is None, rel
