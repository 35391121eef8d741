"""Every page type in real Chromium: clean loads, no third-party requests, no horizontal scroll,
axe-core with zero violations in light and dark mode, and screenshots for a human to look at."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from learner_site import PAGES
from playwright.sync_api import Page, expect

WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


def open_page(page: Page, url: str) -> list[str]:
    """Go to url; return the console errors, failed requests and off-site requests it caused."""
    problems: list[str] = []
    origin = url.split("/", 3)[:3]
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on("request", lambda req: problems.append(f"third party: {req.url}")
            if req.url.split("/", 3)[:3] != origin and not req.url.startswith("data:") else None)
    page.on("response", lambda res: problems.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return problems


def axe_report(page: Page) -> tuple[int, str]:
    result = Axe().run(page)
    return result.violations_count, result.generate_report()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name,path", PAGES)
def test_page_is_clean_accessible_and_fits_small_screens(learner, browser, save_screenshot, name, path, scheme):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        problems = open_page(page, learner + path)
        assert problems == [], problems
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scroll"
        count, report = axe_report(page)
        assert count == 0, report
        save_screenshot(page, f"learner-{name}-{width}-{scheme}.png")
        context.close()


@pytest.mark.parametrize("name,path", PAGES)
def test_no_horizontal_scroll_at_320_px(learner, browser, name, path):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(learner + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_open_search_panel_and_progress_pass_axe(learner, browser, save_screenshot):
    """The states a learner creates (search results open, progress shown, quiz answered) stay accessible."""
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(learner + "mechanics/motion/")
        page.locator("#forces").get_by_role("button", name="I understand this card").click()
        quiz = page.locator("form.cg-quiz").first
        quiz.get_by_label("Speed").check()
        quiz.get_by_role("button", name="Check answer").click()
        page.locator("details.cg-reveal summary").click()
        count, report = axe_report(page)
        assert count == 0, report
        page.goto(learner + "mechanics/")
        page.keyboard.press("/")
        page.keyboard.type("energy")
        page.locator(".cg-search-results a").first.wait_for()
        count, report = axe_report(page)
        assert count == 0, report
        save_screenshot(page, f"learner-search-open-1280-{scheme}.png", full_page=False)
        context.close()


def test_printing_opens_every_reveal_and_shows_quiz_answers(learner, page):
    page.goto(learner + "mechanics/print/")
    expect(page.get_by_role("button", name="Print this course")).to_be_visible()
    expect(page.locator("details.cg-reveal .cg-reveal-body")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    expect(page.locator("details.cg-reveal .cg-reveal-body")).to_be_visible()
    expect(page.locator(".cg-quiz-answers").first).to_contain_text("Velocity is speed with a direction.")
    expect(page.locator(".cg-quiz-answers").first).to_be_visible()
    for hidden in (".cg-header", ".cg-footer", ".cg-print-actions", ".cg-quiz-actions"):
        expect(page.locator(hidden).first).to_be_hidden()
    assert len(page.locator(".cg-print-module").all()) == 3


def test_reduced_motion_turns_transitions_off(learner, browser):
    for motion, expected in (("no-preference", "0.15s"), ("reduce", "0s")):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        page.goto(learner + "mechanics/")
        duration = page.locator(".cg-preview-link").first.evaluate("e => getComputedStyle(e).transitionDuration")
        assert duration.split(",")[0].strip() == expected
        context.close()
