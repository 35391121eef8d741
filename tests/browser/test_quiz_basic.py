"""The built site in real Chromium: pages load cleanly and a quiz answers."""
from __future__ import annotations

QUIZ_MODULE = """\
---
title: Quiz Module
summary: A module with a quiz.
goals:
  - Answer a quiz.
---
## Check Yourself

```quiz
question: Which number is even?
options:
  - text: Three
    feedback: Three is odd.
  - text: Four
    correct: true
    feedback: Four divides by two.
```
"""


def test_quiz_gives_feedback_for_wrong_then_right_answer(demo, page, serve_folder, console_errors):
    demo.write("content/demo/03-quiz.md", QUIZ_MODULE)
    assert demo.build().ok
    base = serve_folder(demo.out)
    page.goto(f"{base}/demo/quiz/")
    quiz = page.locator("form.cg-quiz")
    quiz.get_by_label("Three").check()
    quiz.get_by_role("button", name="Check answer").click()
    result = quiz.locator(".cg-quiz-result")
    assert "Not quite" in result.inner_text()
    assert "Three is odd." in result.inner_text()
    quiz.get_by_role("button", name="Try again").click()
    quiz.get_by_label("Four").check()
    quiz.get_by_role("button", name="Check answer").click()
    assert result.inner_text().startswith("Correct!")
    assert not quiz.locator(".cg-quiz-answers").is_visible()  # the no-JS disclosure hides with JS on
    assert console_errors == []
