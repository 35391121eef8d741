"""Learning-goal alignment: the goals each quiz and reveal checks and each card teaches, validated.

A module's goals are numbered by their place in its `goals:` list (1 is the first). A quiz names the goals
it checks with `goals: [1, 3]`, a reveal with `::: reveal {goals=2} Prompt...`, a card (front matter
`cards:`) with `goals: [1]`. Numbers are checked against the module (an error at the line); each goal that
no quiz or reveal checks is a warning at the goal's line, in every module (see SPEC 4.6).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from . import blocks
from .config import ModuleMeta
from .diagnostics import Diagnostics

_GOALS_ATTRIBUTE = re.compile(r"^goals\s*=\s*(.*)$")


@dataclass(frozen=True)
class GoalCheck:
    """A quiz or reveal of a parsed module and the goals it checks."""

    kind: str  # 'quiz' or 'reveal'
    goals: tuple[int, ...]
    line: int  # where its goals are named (the reveal's opening line, the quiz's 'goals:')
    card: str  # id of the card it is in ('' in the module's intro)
    anchor: str  # id of the quiz on the page ('' for a reveal: the card is the place to link to)
    label: str  # the question or prompt, as plain text
    answers: tuple[str, ...] = ()  # a quiz's right options, as plain text


def plain_label(markdown: str) -> str:
    """A question or prompt as plain text: emphasis, code and math marks dropped, links reduced to their text."""
    return " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"[*_`$]", "", markdown)).split())


def reveal_goals(info: str) -> tuple[tuple[int, ...], str | None]:
    """The goals named in a container opener's '{goals=...}' (() when none), and a problem (or None)."""
    kind, _, rest = info.strip().partition(" ")
    attributes, _ = blocks.container_attributes(rest)
    if not attributes:
        return (), None
    if kind != "reveal":
        return (), f"'::: {kind}' takes no {{...}} attributes; only a reveal names goals: '::: reveal {{goals=2}} ...'"
    match = _GOALS_ATTRIBUTE.match(attributes)
    numbers = re.split(r"[\s,]+", match.group(1).strip("\"'[] ")) if match else []
    if not numbers or not all(n.isdigit() and int(n) > 0 for n in numbers):
        return (), (f"cannot read '{{{attributes}}}': a reveal names the goals it checks as {{goals=2}} "
                    "or {goals=1,3} (goal 1 is the first of the module's 'goals')")
    return tuple(int(n) for n in numbers), None


def collect_checks(parts: Iterable[tuple[str, Sequence[Token]]], offset: int, path: str,
                   diags: Diagnostics) -> tuple[GoalCheck, ...]:
    """Every quiz and reveal of the module's parts ('' for the intro, else a card id, with its tokens).

    A quiz's anchor is the id markdown._fence gives it: '<card id or intro>-quiz-<n>' (n counts per part).
    """
    checks: list[GoalCheck] = []
    for card, tokens in parts:
        quizzes = 0
        for token in tokens:
            line = (token.map[0] if token.map else 0) + offset + 1
            if token.type == "fence" and "quiz" in token.meta:
                quizzes += 1
                quiz: blocks.Quiz = token.meta["quiz"]
                checks.append(GoalCheck("quiz", quiz.goals, line + quiz.goals_line if quiz.goals else line, card,
                                        f"{card or 'intro'}-quiz-{quizzes}", plain_label(quiz.question),
                                        tuple(plain_label(o.text) for o in quiz.options if o.correct)))
            elif token.type == "container_block_open":
                goals, problem = reveal_goals(token.info)
                if problem:
                    diags.error(path, line, problem)
                if blocks.container_kind(token.info)[0] == "reveal":
                    checks.append(GoalCheck("reveal", goals, line, card, "",
                                            plain_label(blocks.container_kind(token.info)[1])))
    return tuple(checks)


def check_numbers(checks: Sequence[GoalCheck], meta: ModuleMeta, path: str, diags: Diagnostics) -> None:
    """An error for every goal number, in a quiz, a reveal or a card entry, that the module does not have."""
    count = len(meta.goals)

    def verify(numbers: tuple[int, ...], line: int, what: str) -> None:
        for number in numbers:
            if number > count:
                diags.error(path, line, f"{what} names goal {number}, but this module has {count} goal"
                            f"{'s' if count != 1 else ''} (numbered 1 to {count}, in the order of 'goals')")

    for check in checks:
        verify(check.goals, check.line, f"this {check.kind}")
    for card in meta.cards or ():
        verify(card.goals, card.goals_line, f"the 'cards' entry of '{card.title}'")


@dataclass(frozen=True)
class AlignedModule:
    """What the coverage warnings need of a module (a parsed module, seen through its goals)."""

    path: str
    meta: ModuleMeta
    checks: tuple[GoalCheck, ...]


def coverage_warnings(modules: Sequence[AlignedModule], diags: Diagnostics) -> None:
    """For each module: a warning per goal that no quiz or reveal checks, and, where its cards name the
    goals they teach, per goal that no card teaches."""
    for module in modules:
        checked = {n for check in module.checks for n in check.goals}
        cards = module.meta.cards or ()
        taught = {n for card in cards for n in card.goals}
        for number, (goal, line) in enumerate(zip(module.meta.goals, module.meta.goal_lines), 1):
            short = goal if len(goal) <= 60 else goal[:59] + "…"
            if number not in checked:
                diags.warning(module.path, line, f"goal {number} ('{short}') is checked by no quiz or reveal; "
                              f"add 'goals: [{number}]' to a quiz that checks it, or "
                              f"'::: reveal {{goals={number}}} ...'")
            if taught and number not in taught:
                diags.warning(module.path, line, f"goal {number} ('{short}') is taught by no card; add "
                              f"{number} to the 'goals' of the card in 'cards' that teaches it")
