"""The flagship course in real Chromium: its three widgets, a quiz and the reveals of every module."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
COURSE = "how-llms-work"
MODULES = ("the-arc", "two-files", "dreamer-to-assistant", "scaling-and-limits", "ninas-toolkit")
WIDGET_PAGES = {"bag-of-words": "the-arc", "next-token": "two-files", "scaling-curve": "scaling-and-limits"}


@pytest.fixture(scope="module")
def flagship(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flagship-browser") / "site"
    report = build(REPO, BuildOptions(out=out, cache=False))
    assert report.ok, "\n".join(str(d) for d in report.errors)
    return out


@pytest.fixture
def site_url(flagship, serve_folder) -> str:
    return serve_folder(flagship)


def open_module(page: Page, base: str, slug: str) -> None:
    page.goto(f"{base}/{COURSE}/{slug}/")
    expect(page.locator("h1")).to_be_visible()


def test_bag_of_words_counts_shared_words_live(page, site_url, console_errors):
    open_module(page, site_url, "the-arc")
    widget = page.locator('[data-widget="bag-of-words"]')
    shared = widget.locator("thead th.w-bag-of-words-shared")
    expect(shared).to_have_text(["the", "bank"])
    live = widget.locator("[aria-live=polite]")
    expect(live).to_contain_text("Cosine similarity of the two count vectors: 0.37")
    expect(live).to_contain_text("Shared: “the” and “bank”")
    sentence_b = widget.get_by_label("Sentence B")
    sentence_b.press("End")
    sentence_b.press_sequentially(", by the river bank!")
    expect(live).to_contain_text("Shared: “the”, “river” and “bank”")
    expect(shared).to_have_text(["the", "river", "bank"])
    widget.get_by_label("Sentence A").fill("")
    expect(live).to_contain_text("Type at least one word in each sentence")
    assert console_errors == []


def test_next_token_greedy_loop_finishes_the_sentence(page, site_url, console_errors):
    open_module(page, site_url, "two-files")
    widget = page.locator('[data-widget="next-token"]')
    live = widget.locator("[aria-live=polite]")
    greedy = widget.get_by_role("button", name="Pick most likely")
    greedy.click()
    expect(live).to_have_text("Chose 'mat' with 44% probability (most likely).")
    for _ in range(8):
        greedy.click()
    expect(widget).to_contain_text("The cat sat on the mat and purred softly in the warm sun.")
    expect(live).to_have_text(re.compile(r"The sentence is finished; press Reset to start again\.$"))
    expect(greedy).to_be_disabled()
    expect(widget.get_by_role("button", name="Next token")).to_be_disabled()
    widget.get_by_role("button", name="Reset").click()
    expect(live).to_contain_text("New random choices")
    expect(greedy).to_be_enabled()
    widget.get_by_role("button", name="Next token").click()
    expect(live).to_contain_text("Chose '")
    assert console_errors == []


def test_next_token_temperature_slider_works_from_the_keyboard(page, site_url, console_errors):
    open_module(page, site_url, "two-files")
    slider = page.locator('[data-widget="next-token"]').get_by_role("slider", name="Temperature")
    expect(slider).to_have_value("1")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    expect(slider).to_have_attribute("aria-valuetext", re.compile(r"^0\.5"))
    assert console_errors == []


def test_scaling_curve_slider_lowers_loss_and_raises_arithmetic_odds(page, site_url, console_errors):
    open_module(page, site_url, "scaling-and-limits")
    widget = page.locator('[data-widget="scaling-curve"]')
    slider = widget.get_by_role("slider", name="Training compute")
    expect(slider).to_have_attribute("min", "0")
    expect(slider).to_have_attribute("max", "8")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(widget.locator("[aria-live=polite]")).to_have_text(
        "At 10^5× compute, loss is 1.69 (−1.31 vs 10^0); exact arithmetic is right 43% of the time: "
        "better odds, never a guarantee.")
    titles = " ".join(widget.locator("svg title").all_text_contents())
    assert "Marker at 10^5: loss 1.69" in titles
    assert "Marker at 10^5: 43%" in titles
    page.keyboard.press("End")
    expect(widget.locator("svg title").nth(1)).to_contain_text("Marker at 10^8: 83%")
    assert console_errors == []


def answer(quiz, correct: bool) -> None:
    """Tick the right options (or one wrong one) by clicking their labels, then check."""
    wanted = quiz.locator(f"input[data-correct='{str(correct).lower()}']")
    targets = [wanted.nth(i) for i in range(wanted.count())] if correct else [wanted.first]
    for target in targets:
        quiz.locator(f"label[for='{target.get_attribute('id')}']").click()
    quiz.get_by_role("button", name="Check answer").click()


@pytest.mark.parametrize("slug", MODULES)
def test_quizzes_and_reveals_of_each_module(page, site_url, console_errors, slug):
    open_module(page, site_url, slug)
    quizzes = page.locator("form.cg-quiz")
    assert quizzes.count() >= 1
    for i in range(quizzes.count()):
        quiz = quizzes.nth(i)
        result = quiz.locator(".cg-quiz-result")
        answer(quiz, correct=False)
        expect(result).to_contain_text("Not quite")
        quiz.get_by_role("button", name="Try again").click()
        expect(result).to_have_text("")
        answer(quiz, correct=True)
        expect(result).to_contain_text("Correct!")
    reveals = page.locator("details.cg-reveal")
    assert reveals.count() >= 1
    for i in range(reveals.count()):
        reveal = reveals.nth(i)
        body = reveal.locator(".cg-reveal-body")
        expect(body).to_be_hidden()
        reveal.locator("summary").click()
        expect(body).to_be_visible()
        assert len(body.inner_text().split()) >= 15
    assert console_errors == []


def test_without_javascript_fallbacks_and_answers_are_readable(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for name, slug in WIDGET_PAGES.items():
            open_module(page, site_url, slug)
            widget = page.locator(f'[data-widget="{name}"]')
            expect(widget.locator("table")).to_be_visible()
            assert len(widget.inner_text().split()) >= 60, f"{name} fallback too short"
        for slug in MODULES:
            open_module(page, site_url, slug)
            answers = page.locator("details.cg-quiz-answers").first
            answers.locator("summary").click()
            expect(answers.locator("li").first).to_be_visible()
            expect(answers).to_contain_text("Correct:")
            reveal = page.locator("details.cg-reveal").first
            reveal.locator("summary").click()
            expect(reveal.locator(".cg-reveal-body")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagrams_follow_the_colour_scheme(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        for slug in MODULES:
            open_module(page, site_url, slug)
            figure = page.locator("figure img[src$='.svg']").first
            figure.scroll_into_view_if_needed()
            expect(figure).to_have_js_property("complete", True)
            shot = Image.open(io.BytesIO(figure.screenshot())).convert("L")
            brightness = ImageStat.Stat(shot).mean[0]
            if scheme == "dark":
                assert brightness < 90, f"{slug}: diagram stays bright ({brightness:.0f}) in dark mode"
            else:
                assert brightness > 180, f"{slug}: diagram is dark ({brightness:.0f}) in light mode"
    finally:
        context.close()
