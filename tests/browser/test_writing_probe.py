"""The writing probe page in real Chromium: tabs by keyboard and in step across sets and pages, the stacked
panels without JavaScript, zero axe violations, no sideways scroll at 320/375 px, screenshots light and dark."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

FEATURES = "probe/features/"


@pytest.fixture
def probe(writing_build, serve_folder) -> str:
    return serve_folder(writing_build) + "/"


def _selected(page, set_index: int) -> str:
    return page.locator(".cg-tabs").nth(set_index).locator("[role=tab][aria-selected=true]").inner_text()


def test_tabs_work_by_keyboard_and_stay_in_step_across_sets_and_pages(probe, page, console_errors):
    page.goto(probe + FEATURES)
    first = page.locator(".cg-tabs").first
    tabs = first.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(first.get_by_role("tabpanel")).to_have_count(1)  # the hidden panels are out of the tree
    assert _selected(page, 0) == "Linux" and _selected(page, 1) == "Linux"
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    expect(tabs.nth(1)).to_be_focused()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(first.get_by_role("tabpanel")).to_contain_text("brew install tool")
    assert page.url.endswith(FEATURES)  # the arrow moved the tab, not to the next module
    assert _selected(page, 1) == "macOS"  # the set further down followed
    expect(page.locator(".cg-tabs").nth(1).get_by_role("tabpanel")).to_contain_text("tool --mac")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # wraps round to the last
    expect(tabs.nth(2)).to_be_focused()
    assert _selected(page, 0) == _selected(page, 1) == "Windows"
    page.keyboard.press("Home")
    assert _selected(page, 1) == "Linux"
    page.keyboard.press("End")
    page.keyboard.press("Tab")  # from the tab list into the panel, not through the other tabs
    expect(first.get_by_role("tabpanel")).to_be_focused()
    tabs.nth(1).click()
    page.goto(probe + "probe/more/")  # another page: the pick is remembered, whatever the order of the labels
    assert _selected(page, 0) == "macOS"
    expect(page.get_by_role("tabpanel")).to_contain_text("Mac again.")
    tab = page.get_by_role("tab", name="macOS")
    assert tab.get_attribute("aria-controls") == page.get_by_role("tabpanel").get_attribute("id")
    assert console_errors == []


def test_without_javascript_every_panel_shows_under_its_label(writing_build, serve_folder, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve_folder(writing_build) + "/" + FEATURES)
    first = page.locator(".cg-tabs").first
    expect(first.locator(".cg-tab-label")).to_have_text(["Linux", "macOS", "Windows"])
    for text in ("apt install tool", "brew install tool", "winget install tool"):
        expect(first.get_by_text(text)).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_probe_page_has_no_axe_violation_and_fits_a_phone(probe, browser, save_screenshot, scheme):
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(probe + FEATURES)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scroll"
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        save_screenshot(page, f"writing-probe-{width}-{scheme}.png")
        context.close()
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(probe + FEATURES)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_copy_button_copies_the_code_alone_and_says_so(writing_build, serve_folder, browser, save_screenshot):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(serve_folder(writing_build) + "/" + FEATURES)
    block = page.locator("figure.cg-code")
    expect(block.locator("figcaption")).to_have_text("app.py")
    expect(block.get_by_role("button", name="Copy")).to_have_count(1)
    button = block.locator(".cg-copy")
    button.focus()  # reachable by keyboard: a real button
    page.keyboard.press("Enter")
    expect(button).to_have_text("Copied")
    expect(page.locator("[role=status]", has_text="Copied")).to_have_count(1)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("import sys\ntotal = sum(") and copied.endswith("{total}\")\n")
    assert copied.count("\n") == 3 and "1import" not in copied
    numbers = block.locator(".cg-ln")
    expect(numbers).to_have_count(3)
    assert numbers.nth(1).evaluate("n => getComputedStyle(n, '::before').content") == '"2"'
    assert block.locator("mark.cg-line").count() == 2
    wide = block.locator("pre")
    assert wide.evaluate("p => p.scrollWidth > p.clientWidth")  # the long line scrolls inside the block
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    context.close()
