"""The course navigation and media in real Chromium: a sidebar at desktop width and a disclosure on phones, done
modules marked, nothing moving once painted (CLS 0), embeds that never scroll a phone's page sideways, images for
one colour scheme (by the system's preference and by the theme toggle), zero axe violations."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

VIDEO_PAGE = "<!doctype html><title>video</title><p>video</p>"
CLS = """new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 1500);
})"""


@pytest.fixture
def probe(writing_build, serve_folder) -> str:
    return serve_folder(writing_build) + "/probe/"


def _context(browser, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    context.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body=VIDEO_PAGE,
                                                                                      content_type="text/html"))
    return context


def test_the_course_navigation_is_a_sidebar_on_desktops_and_folds_on_phones(probe, browser):
    desktop = _context(browser, 1280).new_page()
    desktop.goto(probe + "features/")
    nav = desktop.get_by_role("navigation", name="Modules of Writing Probe")
    expect(nav).to_be_visible()
    assert nav.get_by_role("link").evaluate_all("links => links.map(a => a.innerText)") == [
        "Writing Probe", "Features", "More", "Media"]  # no module done yet
    expect(nav.locator('[aria-current="page"]')).to_have_accessible_name("Features")
    expect(desktop.locator(".cg-course-nav > summary")).to_be_hidden()
    assert nav.bounding_box()["x"] > 640  # beside the text, not above it
    assert desktop.evaluate(CLS) == 0
    phone = _context(browser, 375).new_page()
    phone.goto(probe + "media/")
    assert phone.evaluate(CLS) == 0  # (not on the pages with tabs: tabs.js folds their stacked panels)
    phone.goto(probe + "more/")
    summary = phone.locator(".cg-course-nav > summary")
    expect(summary).to_have_text("Modules of this course (2 of 3)")
    expect(phone.locator(".cg-course-nav a", has_text="Media")).to_be_hidden()
    summary.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".cg-course-nav a", has_text="Media")).to_be_visible()
    phone.get_by_role("button", name="Mark module as done").click()
    phone.goto(probe + "media/")
    phone.locator(".cg-course-nav > summary").click()
    done = phone.locator(".cg-course-nav a", has_text="More").locator(".cg-nav-done")
    expect(done).to_be_visible()
    expect(done).to_have_text("(Done)")
    expect(phone.locator(".cg-course-nav a", has_text="Features").locator(".cg-nav-done")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_embeds_fit_a_phone_and_images_follow_the_colour_scheme(probe, browser, save_screenshot, scheme):
    other = "dark" if scheme == "light" else "light"
    for width in (375, 1280):
        page = _context(browser, width, scheme).new_page()
        page.goto(probe + "media/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") == width, "the page scrolls sideways"
        frame = page.locator("iframe").bounding_box()
        assert frame["width"] <= width - 40 and frame["height"] == pytest.approx(frame["width"] * 9 / 16, abs=1)
        assert page.locator("video").bounding_box()["width"] <= width - 40
        expect(page.get_by_role("img", name=f"A diagram drawn for {scheme} pages")).to_be_visible()
        expect(page.get_by_alt_text(f"A diagram drawn for {other} pages")).to_be_hidden()
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        save_screenshot(page, f"writing-media-{width}-{scheme}.png")
        if width == 375:
            page.locator("[data-theme-toggle]").click()  # the site's toggle wins over the system's preference
            expect(page.get_by_alt_text(f"A diagram drawn for {other} pages")).to_be_visible()
            expect(page.get_by_alt_text(f"A diagram drawn for {scheme} pages")).to_be_hidden()
        page.context.close()


@pytest.mark.parametrize(("scheme", "accent"), [("light", "rgb(15, 118, 110)"), ("dark", "rgb(94, 234, 212)")])
def test_the_accent_colours_links_and_focus_rings_and_the_logo_shows(probe, browser, scheme, accent):
    page = _context(browser, 1280, scheme).new_page()
    page.goto(probe + "features/")
    link = page.locator(".cg-breadcrumbs a").first
    assert link.evaluate("a => getComputedStyle(a).color") == accent
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused by keyboard: the ring shows
    assert link.evaluate("a => getComputedStyle(a).outlineColor") == accent
    logo = page.get_by_role("link", name="Probe Academy").get_by_role("img", name="Probe Academy")
    expect(logo).to_be_visible()
    assert logo.bounding_box()["height"] == pytest.approx(32, abs=1)
    expect(page.get_by_role("link", name="Edit this page")).to_have_attribute(
        "href", "https://example.org/probe/edit/main/content/probe/01-features.md")
    page.context.close()
