"""`coursegen report`: the goal x card x quiz/reveal matrix of every course, as terminal text or a page."""
from __future__ import annotations

import textwrap
from collections.abc import Iterator

from .model import Check, Course, Module, Site

WIDTH = 80


def percent(checked: int, total: int) -> str:
    return f"{round(100 * checked / total)}%" if total else "-"


def _short(text: str, limit: int = 48) -> str:
    """A check's question or prompt cut at a word to at most `limit` characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def check_label(check: Check) -> str:
    where = f" in “{check.card_title}”" if check.card_title else " in the intro"
    return f"{check.kind} “{_short(check.label)}”{where}"


def _field(name: str, items: list[str], indent: str) -> Iterator[str]:
    """`name: item` and each further item on lines of its own, aligned under the first, wrapped at WIDTH."""
    head = f"{indent}{name}: "
    for n, item in enumerate(items or ["nothing"]):
        yield from textwrap.wrap(item, WIDTH, initial_indent=head if n == 0 else " " * len(head),
                                 subsequent_indent=" " * (len(head) + 2), break_on_hyphens=False)


def module_lines(module: Module) -> Iterator[str]:
    rows = module.goal_rows
    yield (f"{module.position:02d} {module.title}: {module.checked_goals} of {len(rows)} goals checked "
           f"({percent(module.checked_goals, len(rows))})")
    teaches = any(card.goals for card in module.cards)
    for row in rows:
        mark = "" if row.checked_by else "  [NOT CHECKED]"
        yield from textwrap.wrap(f"{row.number}. {row.text}{mark}", WIDTH, initial_indent="  ",
                                 subsequent_indent="     ")
        if teaches:
            yield from _field("taught by", [f"“{card.title}”" for card in row.taught_by], "     ")
        yield from _field("checked by", [check_label(check) for check in row.checked_by], "     ")
    unaligned = [check for check in module.checks if not check.goals]
    if unaligned:
        yield from _field("names no goal", [check_label(check) for check in unaligned], "  ")


def course_lines(course: Course) -> Iterator[str]:
    heading = (f"{course.title} ({course.slug}): {course.checked_goals} of {course.goal_count} goals checked "
               f"({percent(course.checked_goals, course.goal_count)})")
    yield heading
    yield "=" * min(WIDTH, len(heading))
    for module in course.modules:
        yield ""
        yield from module_lines(module)


def text_report(site: Site) -> str:
    """The alignment matrix of every published course, readable at 80 columns."""
    parts = ["\n".join(course_lines(course)) for course in site.published_courses if course.modules]
    return "\n\n\n".join(parts) + "\n" if parts else "No published course has modules.\n"
