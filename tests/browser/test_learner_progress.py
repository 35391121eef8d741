"""Progress, navigation and the theme toggle in real Chromium."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect


def test_progress_persists_across_reloads_and_shows_on_the_course_page(learner, page, console_errors):
    page.goto(learner + "mechanics/motion/")
    understood = page.locator("#forces").get_by_role("button", name="I understand this card")
    expect(understood).to_have_attribute("aria-pressed", "false")
    understood.click()
    expect(understood).to_have_attribute("aria-pressed", "true")
    page.locator("#speed-and-velocity").get_by_role("button", name="I understand this card").click()
    page.get_by_role("button", name="Mark module as done").click()
    page.reload()
    expect(page.locator("#forces").get_by_role("button", name="I understand this card")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.get_by_role("button", name="Mark module as done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('.cg-toc a.is-understood')).to_have_count(2)

    page.goto(learner + "mechanics/")
    panel = page.locator("[data-course-progress]")
    expect(panel).to_contain_text("1 of 3 modules done.")
    entry = page.locator("#module-motion [data-module-progress]")
    expect(entry).to_contain_text("Done · 2 of 4 cards understood")
    expect(entry.locator("progress")).to_have_attribute("aria-label", "Cards understood in module motion")
    expect(page.locator("#module-energy [data-module-progress]")).to_have_text(re.compile(r"^0 of \d+ cards? understood$"))
    stored = page.evaluate("Object.keys(localStorage)")
    assert stored == ["cg-progress:/mechanics"]
    page.goto(learner)
    home = page.locator("#course-mechanics [data-home-progress]")
    expect(home).to_have_text("Your progress: 1 of 3 modules done · continue")
    home.get_by_role("link", name="continue").click()
    page.wait_for_url("**/mechanics/motion/**")
    assert console_errors == []


def test_continue_link_returns_to_the_card_being_read(learner, page):
    page.goto(learner + "mechanics/motion/")
    page.locator("#momentum").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('momentum').scrollIntoView()")
    expect(page.locator('.cg-toc a[aria-current="location"]')).to_have_text("Momentum")
    page.goto(learner + "mechanics/")
    link = page.get_by_role("link", name="Motion: Momentum")
    expect(link).to_be_visible()
    expect(page.get_by_role("link", name="Start with module 1")).not_to_have_class(re.compile("cg-button-primary"))
    link.click()
    page.wait_for_url("**/mechanics/motion/#momentum")


def test_reset_clears_progress_and_says_so(learner, page):
    page.goto(learner + "mechanics/energy/")
    page.get_by_role("button", name="Mark module as done").click()
    page.goto(learner + "mechanics/")
    expect(page.locator("[data-course-progress]")).to_contain_text("1 of 3 modules done.")
    page.get_by_role("button", name="Reset progress").click()
    expect(page.locator("[data-progress-status]")).to_have_text("Progress reset.")
    expect(page.locator("#module-energy [data-module-progress]")).to_be_hidden()
    expect(page.get_by_role("link", name="Start with module 1")).to_be_focused()
    page.reload()
    expect(page.locator("[data-course-progress]")).to_be_hidden()


def test_progress_stays_in_the_browser(learner, page):
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method) if request.method != "GET" else None)
    page.goto(learner + "mechanics/motion/")
    page.locator("#forces").get_by_role("button", name="I understand this card").click()
    page.goto(learner + "mechanics/")
    assert sent == []
    raw = page.evaluate("localStorage.getItem('cg-progress:/mechanics')")
    assert json.loads(raw)["cards"] == {"motion#forces": 1}


def test_arrow_keys_move_between_modules_but_not_while_typing(learner, page):
    page.goto(learner + "mechanics/energy/")
    page.locator("#cg-search-input").focus()
    page.keyboard.press("ArrowRight")
    assert page.url.endswith("/mechanics/energy/")
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/mechanics/waves/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/mechanics/energy/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/mechanics/motion/")
    page.keyboard.press("ArrowLeft")  # the first module goes back to the course page
    page.wait_for_url("**/mechanics/")


def test_slash_focuses_search_from_anywhere(learner, page):
    page.goto(learner + "mechanics/")
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search the courses")).to_be_focused()


def test_skip_link_and_tab_order_start_at_the_top(learner, page):
    page.goto(learner + "mechanics/motion/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_card_table_follows_the_reader_on_wide_screens(learner, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(learner + "mechanics/motion/")
    toc = page.locator("nav.cg-toc")
    page.evaluate("document.getElementById('momentum').scrollIntoView()")
    expect(toc.locator('a[aria-current="location"]')).to_have_text("Momentum")
    expect(toc).to_be_in_viewport()
    box = toc.bounding_box()
    assert box is not None and box["x"] > 700  # beside the cards, not above them


def test_dark_mode_toggle_persists_across_pages(learner, browser):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(learner)
    toggle = page.get_by_role("button", name="Dark mode")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.goto(learner + "mechanics/motion/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    context.close()


def test_dark_mode_follows_the_system_until_toggled(learner, browser):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(learner)
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 20, 27)"
    context.close()
