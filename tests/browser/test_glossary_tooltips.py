"""Glossary tooltips in real Chromium, on the flagship course: keyboard, hover, tap, Escape, no JavaScript, axe."""
from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
MODULE = "how-llms-work/the-arc/"


@pytest.fixture(scope="module")
def flagship_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flagship") / "site"
    report = build(REPO, BuildOptions(out=out, search=False, cache=False))
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


@pytest.fixture
def site(flagship_site, serve_folder) -> str:
    return serve_folder(flagship_site) + "/"


def _tip(page, link):
    return page.locator(f"#{link.get_attribute('aria-describedby')}")


def test_the_keyboard_shows_the_definition_and_escape_closes_it(site, page, console_errors):
    page.goto(site + MODULE)
    link = page.locator("a.cg-term").first
    tip = _tip(page, link)
    expect(tip).to_be_hidden()
    for _ in range(300):  # Tab through the page to the first term, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cg-term')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == link.get_attribute(
        "aria-describedby")
    expect(tip).to_be_visible()
    assert tip.inner_text().strip()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cg-term')")  # focus stays on the term
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(tip).to_be_visible()
    assert [e for e in console_errors if "Failed to load resource" not in e] == []  # (built without search)


def test_hover_shows_the_definition_which_the_pointer_can_reach(site, page):
    page.goto(site + MODULE)
    link = page.locator("a.cg-term").first
    tip = _tip(page, link)
    link.hover()
    expect(tip).to_be_visible()
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)  # onto the tooltip
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.mouse.move(1, 1)
    link.hover()
    expect(tip).to_be_visible()


def test_a_first_tap_shows_the_definition_on_screen_and_a_second_follows_the_link(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + MODULE)
    links = page.locator("a.cg-term")
    for index in range(links.count()):  # every tooltip fits the narrow screen
        links.nth(index).scroll_into_view_if_needed()
        links.nth(index).tap()
        for _ in range(30):  # terms.js moves the tip on the next animation frame, later on a loaded machine
            box = _tip(page, links.nth(index)).bounding_box()
            if box and box["x"] >= 0 and box["x"] + box["width"] <= 375:
                break
            page.wait_for_timeout(100)
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (index, box)
        page.keyboard.press("Escape")  # else the open tooltip may cover the next term
    assert page.url == site + MODULE
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    link = links.first
    link.scroll_into_view_if_needed()
    link.tap()
    expect(_tip(page, link)).to_be_visible()
    page.locator("h1").tap()  # a tap elsewhere closes it
    expect(_tip(page, link)).to_be_hidden()
    link.tap()
    link.tap()
    page.wait_for_url("**/how-llms-work/glossary/#*")
    expect(page.locator(f"[id='{page.url.split('#')[1]}'] dfn")).to_be_visible()
    context.close()


def test_without_javascript_a_term_is_a_plain_link_to_its_entry(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + MODULE)
    link = page.locator("a.cg-term").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**" + href)
    term = href.split("#")[1]
    expect(page.locator(f"[id='{term}'] dfn")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_glossary_page_and_an_open_tooltip_have_no_axe_violations(site, browser, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site + "how-llms-work/glossary/")
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    page.goto(site + MODULE)
    page.locator("a.cg-term").nth(2).hover()
    expect(_tip(page, page.locator("a.cg-term").nth(2))).to_be_visible()
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
