"""A course in three languages in real Chromium (tests/polyglot_site.py): the Arabic pages right to left and
mirrored at 375 and 1280 px, accessible in light and dark mode; the language switcher; search that keeps to
the page's language, with one index and with the index in parts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import CourseProject
from playwright.sync_api import Page, expect
from polyglot_site import polyglot

import coursegen.publish.search

WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")
ARABIC_PAGES = ("arabi/", "arabi/what-is-a-token/")
SWITCHER_PAGES = ("intro/counting/", "intro-fr/quest-ce-qu-un-jeton/")


def _build(root: Path) -> Path:
    """The site built for https://example.org/learn/, into root/www/learn/ (served from root/www)."""
    project = polyglot(CourseProject(root / "project"))
    report = project.build(out=root / "www" / "learn")
    assert report.ok, [d.format() for d in report.diagnostics]
    return root / "www"


@pytest.fixture(scope="module")
def polyglot_www(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("polyglot"))


@pytest.fixture
def site(polyglot_www, serve_folder) -> str:
    return serve_folder(polyglot_www) + "/learn/"


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return box


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_arabic_pages_are_right_to_left_mirrored_fitting_and_accessible(site, browser, save_screenshot, path, scheme):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("[document.documentElement.dir, getComputedStyle(document.body).direction]") == ["rtl"] * 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "sideways scroll"
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        brand, home = _box(page, ".cg-brand"), _box(page, ".cg-breadcrumbs li:first-child a")
        assert brand["x"] + brand["width"] > width * 0.8 and brand["x"] > width / 3  # the site's name on the right
        assert home["x"] + home["width"] > width * 0.8  # the trail starts on the right
        if path != "arabi/" and width > 600:  # side by side: 'next' on the left, 'previous' (the course) on the right
            assert _box(page, ".cg-pager-next")["x"] < _box(page, ".cg-pager-prev")["x"]
        save_screenshot(page, f"languages-{path.strip('/').replace('/', '-')}-{width}-{scheme}.png")
        context.close()


def test_an_english_page_is_not_mirrored(site, browser):
    """The check above can fail: in English the pager's 'next' is on the right."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "intro/what-is-a-token/")
    assert _box(page, ".cg-pager-next")["x"] > _box(page, ".cg-pager-prev")["x"]
    assert _box(page, ".cg-brand")["x"] < 640
    page.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", SWITCHER_PAGES)
def test_the_language_switcher_fits_and_passes_axe(site, browser, save_screenshot, path, scheme):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(site + path)
        switcher = page.get_by_role("navigation", name=re.compile("^(Languages|Langues)$"))
        expect(switcher).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        save_screenshot(page, f"languages-switcher-{path.strip('/').replace('/', '-')}-{width}-{scheme}.png",
                        full_page=False)
        context.close()


def test_the_switcher_leads_to_the_same_module_in_the_other_language(site, page):
    page.goto(site + "intro/what-is-a-token/")
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français").click()
    page.wait_for_url("**/learn/intro-fr/quest-ce-qu-un-jeton/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("navigation", name="Langues").get_by_role("link", name="العربية").click()
    page.wait_for_url("**/learn/arabi/what-is-a-token/")


def _search(page: Page, query: str) -> list[str]:
    page.get_by_role("searchbox").fill(query)
    results = page.locator(".cg-search-results a")
    expect(results.first).to_be_visible()
    return [href or "" for href in results.evaluate_all("links => links.map(a => a.getAttribute('href'))")]


SEARCHES = [("intro/what-is-a-token/", "/learn/intro/"), ("intro-fr/quest-ce-qu-un-jeton/", "/learn/intro-fr/"),
            ("arabi/what-is-a-token/", "/learn/arabi/")]


@pytest.mark.parametrize(("path", "prefix"), SEARCHES)
def test_search_keeps_to_the_page_s_language(site, page, console_errors, path, prefix):
    """'Tokenopolis' is on the module page of every language: each page finds only its own language's."""
    page.goto(site + path)
    found = _search(page, "Tokenopolis")
    assert found and all(href.startswith(prefix) for href in found), found
    assert console_errors == []


def test_search_on_an_arabic_page_finds_arabic_words_and_speaks_arabic(site, page):
    page.goto(site + "arabi/")
    found = _search(page, "الفيلة")
    assert found == ["/learn/arabi/what-is-a-token/#ما-هو-الرمز"] or all(f.startswith("/learn/arabi/") for f in found)
    summary = page.locator(".cg-search-summary").inner_text()
    assert re.search(r"[\u0600-\u06ff]", summary) and not re.search(r"[A-Za-z]", summary), summary


def test_search_in_parts_keeps_to_the_page_s_language(tmp_path, page, serve_folder, monkeypatch, console_errors):
    """One part per page: the French module is in a part of its own, not the bundle's first, and is what a
    French page searches; the English page merges only English parts."""
    monkeypatch.setattr(coursegen.publish.search, "PART_PAGES", 1)
    www = _build(tmp_path)
    site = serve_folder(www) + "/learn/"
    for path, prefix in SEARCHES:
        page.goto(site + path)
        found = _search(page, "Tokenopolis")
        assert found and all(href.startswith(prefix) for href in found), (path, found)
    assert console_errors == []
