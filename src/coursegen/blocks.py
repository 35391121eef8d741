"""Interactive blocks: validation of ::: containers and quiz/widget fences, and their HTML."""
from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from . import callouts, tabs
from .config import goal_numbers
from .i18n import N_
from .yamlsource import YamlDoc, YamlProblem, parse_yaml

CONTAINERS = (*callouts.CALLOUTS, "reveal", "tabs", "tab", "instructor")
REVEAL, CHECK, RETRY, ANSWERS = N_("Predict, then reveal"), N_("Check answer"), N_("Try again"), N_("Show the answers")
NEEDS_JS = N_("This interactive part of the page needs JavaScript.")


@dataclass(frozen=True)
class QuizOption:
    text: str
    correct: bool
    feedback: str | None


@dataclass(frozen=True)
class Quiz:
    question: str
    options: tuple[QuizOption, ...]
    goals: tuple[int, ...] = ()  # the module goals (1-based) the quiz checks
    goals_line: int = 0  # line of 'goals:' within the quiz body

    @property
    def multiple(self) -> bool:
        return sum(o.correct for o in self.options) > 1


@dataclass(frozen=True)
class Widget:
    name: str
    options: dict[str, Any]
    fallback: str | None


Report = Callable[[int, str], None]  # (line within the block body, message)


def container_kind(info: str) -> tuple[str, str]:
    """Split a '::: kind {attributes} title' opener into (kind, title), the attributes left out."""
    kind, _, rest = info.strip().partition(" ")
    return kind.strip(), container_attributes(rest)[1]


def container_attributes(rest: str) -> tuple[str, str]:
    """Split what follows a container's kind into its '{...}' attribute text (without the braces, '' when
    there is none) and the title after it."""
    rest = rest.strip()
    if rest.startswith("{") and "}" in rest:
        attributes, _, title = rest[1:].partition("}")
        return attributes.strip(), title.strip()
    return "", rest


def check_container(info: str, parent: str | None, report: Report) -> None:
    """Report what is wrong with a '::: kind title' opener inside a block of kind `parent` (None: none)."""
    kind, title = container_kind(info)
    if kind == "tab" and not title:
        report(0, "a tab needs its label on the same line: '::: tab Python'")
    if (kind == "tab") != (parent == "tabs"):
        report(0, "a '::: tab LABEL' block goes directly inside a ':::: tabs' block (four colons), and a "
               "':::: tabs' block holds only '::: tab' blocks")
    if kind not in CONTAINERS and callouts.read_callout(kind, title) is None:
        close = difflib.get_close_matches(kind.rstrip("".join(callouts.FOLDS)), CONTAINERS, n=1)
        hint = f"; did you mean '::: {close[0]}'?" if close else f"; use one of: {', '.join(CONTAINERS)}"
        report(0, f"unknown block '::: {kind}'{hint}")
    elif kind == "instructor" and parent is not None:
        report(0, f"an instructor note goes directly in a card or the module's intro, not inside '::: {parent}'; "
               "move it out of that block")
    elif kind == "reveal" and not title:
        report(0, "a reveal needs its prompt on the same line: '::: reveal What do you predict...?'")


def _mapping(body: str, what: str, report: Report) -> YamlDoc | None:
    try:
        doc = parse_yaml(body)
    except YamlProblem as problem:
        report(problem.line, f"in {what}: {problem.message}")
        return None
    if doc.value is None:
        return YamlDoc({}, {(): 1})
    if not isinstance(doc.value, dict):
        report(1, f"the body of {what} must be 'key: value' lines")
        return None
    return doc


def parse_quiz(body: str, report: Report) -> Quiz | None:
    doc = _mapping(body, "a quiz", report)
    if doc is None:
        return None
    question = _quiz_question(doc, report)
    goals = _quiz_goals(doc, report)
    raw = doc.value.get("options")
    if not isinstance(raw, list) or len(raw) < 2:
        report(doc.line("options"), "a quiz needs 'options:' with at least two '- text: ...' entries")
        return None
    checked = [_quiz_option(doc, index, item, report) for index, item in enumerate(raw, 1)]
    options = [option for option, _ in checked if option is not None]
    if options and not any(o.correct for o in options):
        report(doc.line("options"), "the quiz has no correct option; mark at least one with 'correct: true'")
        return None
    if question is None or goals is None or not all(fine for _, fine in checked):
        return None
    return Quiz(question, tuple(options), goals, doc.line("goals") if goals else 0)


def _quiz_goals(doc: YamlDoc, report: Report) -> tuple[int, ...] | None:
    """The goals a quiz names (() when none); None when 'goals' is wrong (reported)."""
    if doc.value.get("goals") is None:
        return ()
    ok, goals, message = goal_numbers(doc.value["goals"])
    if not ok:
        report(doc.line("goals"), f"'goals' of a quiz {message}")
        return None
    return goals


def _quiz_question(doc: YamlDoc, report: Report) -> str | None:
    """The quiz's question; None when it is missing or the quiz has an unknown key (both reported)."""
    unknown = [key for key in doc.value if key not in ("question", "goals", "options")]
    for key in unknown:
        report(doc.line(key), f"unknown key '{key}' in a quiz (allowed: question, goals, options)")
    question = doc.value.get("question")
    if not isinstance(question, str) or not question.strip():
        report(1, "a quiz needs 'question:' with the question text")
        return None
    return None if unknown else question.strip()


def _quiz_option(doc: YamlDoc, index: int, item: Any, report: Report) -> tuple[QuizOption | None, bool]:
    """Option `index` (1-based) of a quiz (None without a text), and whether it is free of problems (the
    problems are reported)."""
    if isinstance(item, dict) and isinstance(item.get("text"), bool):  # 'text: Yes' would show "True"
        report(doc.line("options", index - 1, "text"), f"YAML reads the text of option {index} as "
               f"{str(item['text']).lower()} (yes, no, on and off are true or false to it); put the text in quotes, "
               f"like text: \"{'Yes' if item['text'] else 'No'}\"")
        return None, False
    if not isinstance(item, dict) or not isinstance(item.get("text"), (str, int, float)):
        report(doc.line("options", index - 1), f"option {index} of the quiz needs 'text:'")
        return None, False
    ok = True
    unknown = set(item) - {"text", "correct", "feedback"}
    if unknown:
        first = min(unknown, key=str)
        report(doc.line("options", index - 1, first),
               f"unknown key '{first}' in option {index} of the quiz (allowed: text, correct, feedback)")
        ok = False
    correct = item.get("correct", False)
    if not isinstance(correct, bool):
        report(doc.line("options", index - 1, "correct"), f"'correct' of option {index} must be true or false")
        ok = False
    feedback = item.get("feedback")
    return QuizOption(str(item["text"]), correct is True, str(feedback) if feedback is not None else None), ok


def parse_widget(name: str, body: str, known: frozenset[str], report: Report) -> Widget | None:
    if not name:
        report(0, "a widget block needs a name: '```widget NAME'")
        return None
    if name not in known:
        listed = ", ".join(sorted(known)) or "none found"
        report(0, f"unknown widget '{name}'; add static/widgets/{name}.js (available: {listed})")
        return None
    doc = _mapping(body, f"widget '{name}'", report)
    if doc is None:
        return None
    data = dict(doc.value)
    fallback = data.pop("fallback", None)
    if fallback is not None and not isinstance(fallback, str):
        report(1, "'fallback' of a widget must be Markdown text")
        return None
    try:
        json.dumps(data, sort_keys=True)  # as widget_html will
    except (TypeError, ValueError):
        report(1, f"the options of widget '{name}' must be plain text, numbers, lists and mappings whose keys "
                  "are all text (put a key like 1, true or ~ in quotes)")
        return None
    return Widget(name, data, fallback)


# --- HTML ---

Inline = Callable[[str], str]  # Markdown (inline) -> HTML
Block = Callable[[str], str]  # Markdown (block) -> HTML


def container_open_html(info: str) -> str:
    kind, title = container_kind(info)
    if kind == "tabs":
        return tabs.tabs_open_html()
    if kind == "tab":
        return tabs.tab_open_html(title)
    if kind == "reveal":
        return (f'<details class="cg-reveal"><summary><span class="cg-reveal-label">{REVEAL}'
                f'</span> <span class="cg-reveal-prompt">{escape(title)}</span></summary>'
                '<div class="cg-reveal-body">\n')
    callout = callouts.read_callout(kind, title)
    return callouts.open_html(callout) if callout else ""


def container_close_html(info: str) -> str:
    kind, title = container_kind(info)
    if kind in ("tab", "tabs"):
        return tabs.close_html(kind)
    if kind == "reveal":
        return "</div></details>\n"
    callout = callouts.read_callout(kind, title)
    return callouts.close_html(callout) if callout else ""


def quiz_html(quiz: Quiz, quiz_id: str, inline: Inline) -> str:
    kind = "checkbox" if quiz.multiple else "radio"
    hint = N_("Choose all that apply.") if quiz.multiple else N_("Choose one.")
    rows, answers = [], []
    for index, option in enumerate(quiz.options):
        option_id = f"{quiz_id}-o{index}"
        feedback = inline(option.feedback) if option.feedback else ""
        rows.append(
            f'<li class="cg-quiz-option"><input type="{kind}" id="{option_id}" name="{quiz_id}" '
            f'value="{index}" data-correct="{str(option.correct).lower()}">'
            f'<label for="{option_id}">{inline(option.text)}</label>'
            f'<div class="cg-quiz-option-feedback" hidden>{feedback}</div></li>')
        verdict = N_("Correct") if option.correct else N_("Not correct")
        answers.append(f'<li class="cg-quiz-answer-{"right" if option.correct else "wrong"}">'
                       f'<strong>{verdict}:</strong> {inline(option.text)}'
                       f'{" — " + feedback if feedback else ""}</li>')
    return (f'<form class="cg-quiz" id="{quiz_id}" data-multiple="{str(quiz.multiple).lower()}">'
            f'<fieldset><legend class="cg-quiz-question">{inline(quiz.question)} '
            f'<span class="cg-quiz-hint">{hint}</span></legend>'
            f'<ul class="cg-quiz-options">{"".join(rows)}</ul>'
            '<div class="cg-quiz-actions" hidden><button type="submit" class="cg-button">'
            f'{CHECK}</button> <button type="reset" class="cg-button cg-button-quiet">'
            f'{RETRY}</button></div><p class="cg-quiz-result" role="status" aria-live="polite"></p>'
            f'</fieldset><details class="cg-quiz-answers"><summary>{ANSWERS}</summary>'
            f'<ul>{"".join(answers)}</ul></details></form>\n')


def widget_html(widget: Widget, block: Block) -> str:
    options = escape(json.dumps(widget.options, sort_keys=True, ensure_ascii=False), quote=True)
    fallback = block(widget.fallback) if widget.fallback else (
        f"<p>{NEEDS_JS}</p>")
    return (f'<div class="cg-widget" data-widget="{escape(widget.name)}" data-options="{options}">'
            f'{fallback}</div>\n')
