"""Card permalinks in real Chromium: hidden until the heading is pointed at or the link is focused,
reached with Tab, named for screen readers, and leading to the card's own URL."""
from __future__ import annotations

from playwright.sync_api import expect


def opacity(locator) -> float:
    return float(locator.evaluate("el => getComputedStyle(el).opacity"))


def test_card_permalink_shows_on_hover_and_focus_and_links_to_the_card(learner, page):
    page.goto(learner + "mechanics/motion/")
    card = page.locator("section.cg-card").first
    link = card.locator("a.cg-permalink")
    expect(link).to_have_attribute("href", "#speed-and-velocity")
    expect(page.get_by_role("link", name="Link to this card: Speed and Velocity")).to_have_count(1)
    expect(page.get_by_role("heading", name="Speed and Velocity", exact=True)).to_have_count(1)
    assert opacity(link) == 0
    card.locator("h2").hover()
    expect(link).to_have_css("opacity", "1")
    page.mouse.move(0, 0)
    expect(link).to_have_css("opacity", "0")
    for _ in range(60):  # Tab through the page until the permalink has the focus
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the card's permalink")
    expect(link).to_have_css("opacity", "1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(learner + "mechanics/motion/#speed-and-velocity")
