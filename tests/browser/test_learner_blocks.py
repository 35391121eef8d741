"""Interactive blocks in real Chromium: quizzes, reveals, widgets, with and without JavaScript."""
from __future__ import annotations

from playwright.sync_api import expect


def test_single_answer_quiz_announces_wrong_then_right_in_a_live_region(learner, page, console_errors):
    page.goto(learner + "mechanics/motion/")
    quiz = page.locator("form.cg-quiz").first
    result = quiz.locator(".cg-quiz-result")
    assert result.get_attribute("role") == "status" and result.get_attribute("aria-live") == "polite"
    quiz.get_by_label("Speed").check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(result).to_contain_text("Not quite")
    expect(result).to_contain_text("Speed is only a size.")
    expect(quiz.locator(".cg-quiz-option.is-wrong")).to_have_count(1)
    quiz.get_by_role("button", name="Try again").click()
    expect(result).to_have_text("")
    expect(quiz.get_by_label("Speed")).not_to_be_checked()
    quiz.get_by_label("Velocity").check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(result).to_contain_text("Correct!")
    expect(result).to_contain_text("Velocity is speed with a direction.")
    assert console_errors == []


def test_multiple_answer_quiz_wants_every_correct_option(learner, page):
    page.goto(learner + "mechanics/motion/")
    quiz = page.locator("form.cg-quiz").nth(1)
    expect(quiz).to_contain_text("Choose all that apply.")
    result = quiz.locator(".cg-quiz-result")
    quiz.get_by_label("Gravity").check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(result).to_contain_text("there is more")
    quiz.get_by_label("Friction").check()
    quiz.get_by_label("Temperature").check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(result).to_contain_text("Not quite")
    expect(result).to_contain_text("Temperature is not a force.")
    quiz.get_by_label("Temperature").uncheck()
    quiz.get_by_role("button", name="Check answer").click()
    expect(result).to_contain_text("Correct!")


def test_quiz_works_with_the_keyboard_alone(learner, page):
    page.goto(learner + "mechanics/motion/")
    quiz = page.locator("form.cg-quiz").first
    quiz.get_by_label("Speed").focus()
    page.keyboard.press("ArrowDown")  # radio group: moves to and checks "Velocity"
    expect(quiz.get_by_label("Velocity")).to_be_checked()
    page.keyboard.press("Enter")  # submits the form
    expect(quiz.locator(".cg-quiz-result")).to_contain_text("Correct!")


def test_reveal_is_a_disclosure_the_keyboard_opens(learner, page):
    page.goto(learner + "mechanics/motion/")
    reveal = page.locator("details.cg-reveal")
    answer = reveal.locator(".cg-reveal-body")
    expect(answer).to_be_hidden()
    summary = reveal.locator("summary")
    expect(summary).to_contain_text("What is its average velocity?")
    summary.focus()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("Zero")


def test_callouts_are_labelled(learner, page):
    page.goto(learner + "mechanics/motion/")
    for label in ("Note", "Remember this", "Warning"):
        expect(page.get_by_role("complementary", name=label)).to_contain_text(
            {"Note": "direction", "Remember this": "below zero", "Warning": "units"}[label])


def test_widget_mounts_with_its_options_only_on_pages_that_use_it(learner, page, console_errors):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(learner + "mechanics/motion/")
    widget = page.locator('[data-widget="counter"]')
    expect(widget).to_have_class("cg-widget cg-widget-mounted")
    expect(widget.locator(".w-counter-output")).to_have_text("Collisions: 3")
    widget.get_by_role("button", name="Add one").click()
    expect(widget.locator(".w-counter-output")).to_have_text("Collisions: 4")
    assert any("/widgets/counter." in url for url in requested)
    requested.clear()
    page.goto(learner + "mechanics/energy/")
    page.wait_for_load_state("networkidle")
    assert not any("/widgets/" in url for url in requested)
    assert console_errors == []


def test_without_javascript_quiz_answers_sit_behind_a_disclosure(learner, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(learner + "mechanics/motion/")
    quiz = page.locator("form.cg-quiz").first
    expect(quiz.get_by_role("button", name="Check answer")).to_be_hidden()
    answers = quiz.locator("details.cg-quiz-answers")
    expect(answers).to_be_visible()
    expect(answers.locator("li").first).to_be_hidden()
    answers.locator("summary").click()
    expect(answers).to_contain_text("Velocity is speed with a direction.")
    # the widget's fallback is readable; no progress buttons or search box that cannot work
    expect(page.locator('[data-widget="counter"]')).to_contain_text("Each collision adds one")
    expect(page.get_by_role("button", name="I understand this card")).to_have_count(0)
    expect(page.get_by_role("searchbox")).to_have_count(0)
    expect(page.locator(".cg-card").first).to_contain_text("Speed is how fast")
    context.close()
