"""What SCORM 1.2 and 2004 packages share: the launch page, its settings, and the size of the progress."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ...diagnostics import Diagnostic
from ...templates import make_environment
from .package import CoursePackage

LAUNCH = "scorm.html"
SCRIPTS = ("lms/api-finder.js", "lms/scorm-runtime.js")
SUSPEND_LIMIT = {"1.2": 4096, "2004": 64000}  # characters of cmi.suspend_data (Moodle enforces 1.2's)
_QUIZ = re.compile(rb'<form class="cg-quiz" id="([^"]+)"')


@dataclass(frozen=True)
class SuspendLayout:
    keep_cards: bool  # cards understood fit into suspend_data too
    length: int  # characters of suspend_data, whatever the learner has done


def quizzes(package: CoursePackage) -> list[str]:
    """Every quiz of the course as 'module#quiz-id', in reading order."""
    found = []
    for module in package.course.modules:
        page = package.files.get(f"{package.course.slug}/{module.slug}/index.html", b"")
        found += [f"{module.slug}#{quiz_id.decode()}" for quiz_id in _QUIZ.findall(page)]
    return found


def suspend_layout(modules: int, quiz_count: int, cards: int, limit: int) -> SuspendLayout | None:
    """The fixed length of the runtime's suspend_data ("1.DONE.QUIZZES.CARDS", six bits a character, two
    bits a quiz): with the cards when they fit, else without; None when even that is over `limit`."""
    def length(card_bits: int) -> int:
        return 4 + math.ceil(modules / 6) + math.ceil(2 * quiz_count / 6) + math.ceil(card_bits / 6)

    if length(cards) <= limit:
        return SuspendLayout(True, length(cards))
    if length(0) <= limit:
        return SuspendLayout(False, length(0))
    return None


def scorm_files(project: Path, package: CoursePackage, version: str, language: str
                ) -> tuple[dict[str, bytes], Diagnostic | None]:
    """The launch page and its scripts for `version` ('1.2' or '2004'), or the problem that stops them."""
    course = package.course
    quiz_ids = quizzes(package)
    cards = sum(len(m.cards) for m in course.modules)
    layout = suspend_layout(len(course.modules), len(quiz_ids), cards, SUSPEND_LIMIT[version])
    if layout is None:
        return {}, Diagnostic(course.source, 1, f"the course is too large for SCORM {version}: its progress needs "
                              f"more than the {SUSPEND_LIMIT[version]:,} characters of cmi.suspend_data; "
                              "export it with --format scorm2004, or split it into smaller courses")
    settings = {
        "version": version, "start": package.start, "progressKey": package.progress_key,
        "mastery": course.mastery, "keepCards": layout.keep_cards, "quizzes": quiz_ids,
        "modules": [{"slug": m.slug, "title": m.title, "url": f"{course.slug}/{m.slug}/",
                     "cards": [card.id for card in m.cards]} for m in course.modules],
    }
    page = make_environment(project).get_template("lms/launch.html").render(
        course=course, language=language, start=package.start, settings=settings, scripts=SCRIPTS)
    js = resources.files(__package__) / "js"
    files = {LAUNCH: page.encode("utf-8")}
    files.update({script: (js / Path(script).name).read_bytes() for script in SCRIPTS})
    return files, None
