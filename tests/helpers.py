"""Shared test helpers: a tiny course project written into a temp folder, built, and parsed.

Import them as `from helpers import ...` (a plain `from conftest import` is ambiguous:
tests/browser has a conftest.py too).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

from coursegen import BuildOptions, BuildReport, build, check

REPO = Path(__file__).resolve().parents[1]

SITE_YAML = """\
title: Test Academy
description: Courses for testing coursegen.
courses:
  - demo
  - later
"""

COURSE_YAML = """\
title: Demo Course
tagline: A course that exercises every feature.
description: Learn *everything* about testing.
why: Because tests catch bugs.
level: beginner
next:
  - later
"""

PLANNED_YAML = """\
title: Later Course
tagline: Coming after the demo.
description: Not written yet.
status: planned
"""

MODULE_ONE = """\
---
title: First Steps
summary: The very first module.
goals:
  - Read a concept card.
  - Follow a link to the next module.
---
Intro paragraph.

## Opening Card

This card opens the course and links to [the next one](02-second.md#second-card).

## Another Card

Plain text here.

::: reveal {goals=1,2} Where does the link lead?
To the second card.
:::
"""

MODULE_TWO = """\
---
title: Second Module
summary: The second module.
goals:
  - Finish the course.
---
## Second Card

Back to [the start](01-first.md).

::: reveal {goals=1} Is the course finished?
Yes.
:::
"""


CHECK_GOAL_1 = "::: reveal {goals=1} Is goal 1 checked?\nYes.\n:::\n\n"  # a module's goal left unchecked is a warning


def one_card_module(title: str, body: str) -> str:
    """A module with one goal (checked by a reveal) and one card 'Card' that ends with `body`."""
    return f"---\ntitle: {title}\nsummary: S.\ngoals:\n  - G.\n---\n## Card\n\nOpening words.\n\n{CHECK_GOAL_1}{body}"


BODY_LINE = one_card_module("T", "").count("\n") + 1  # the line of one_card_module's file where `body` starts


def own(report: BuildReport) -> list:
    """The report's problems less the site's base_url warning (a test project is built under a path)."""
    return [d for d in report.diagnostics if d.path != "content/site.yaml"]


def package_source(target: Path) -> Path:
    """A copy of what a wheel is built from (pyproject.toml, README.md, src/): building the wheel there leaves
    setuptools' build/ folder in the copy, not in the repository, whose build/ is the site's."""
    import shutil
    target.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    shutil.copytree(REPO / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class CourseProject:
    """A project folder for one test: write files, build or check it, read pages."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "build"

    def write(self, rel: str, text: str | bytes) -> CourseProject:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return self

    def remove(self, rel: str) -> CourseProject:
        (self.root / rel).unlink()
        return self

    def demo(self) -> CourseProject:
        """A valid two-module course plus a planned course."""
        return (self.write("content/site.yaml", SITE_YAML)
                .write("content/demo/course.yaml", COURSE_YAML)
                .write("content/later/course.yaml", PLANNED_YAML)
                .write("content/demo/01-first.md", MODULE_ONE)
                .write("content/demo/02-second.md", MODULE_TWO))

    def build(self, **options) -> BuildReport:
        """build(); with COURSEGEN_COMPARE_NO_CACHE=1 in the environment, every successful build is also made
        with the speed-ups off (--no-cache) and must give the same bytes."""
        options.setdefault("out", self.out)
        report = build(self.root, BuildOptions(**options))
        if os.environ.get("COURSEGEN_COMPARE_NO_CACHE") and report.ok and options.get("write", True) \
                and options.get("cache", True):
            with tempfile.TemporaryDirectory() as folder:
                plain = build(self.root, BuildOptions(**{**options, "out": Path(folder) / "out", "cache": False}))
                assert plain.ok, plain.diagnostics
                assert tree(Path(folder) / "out") == tree(report.out), "the cached build differs from --no-cache"
        return report

    def check(self, **options) -> BuildReport:
        return check(self.root, BuildOptions(**options))

    def cli(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "coursegen", *args], cwd=cwd or self.root,
                              capture_output=True, text=True, timeout=120, check=False)

    def html(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / rel).read_text(encoding="utf-8"), "html.parser")


MODULE_THREE = """\
---
title: Third Module
summary: A module added while serving.
goals:
  - Appear in the course.
---
## Third Card

Added later.

::: reveal {goals=1} Is it in the course?
Yes.
:::
"""


WORDS = ("Alpha", "Beta", "Gamma", "Delta")


def random_edit(root: Path, kind: int, word: str) -> list[Path]:
    """One of nine kinds of edit an author makes while previewing (each keeps the content valid)."""
    def write(rel: str, text: str) -> list[Path]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        return [root / rel]

    def replace_line(rel: str, prefix: str, line: str) -> list[Path]:
        text = (root / rel).read_text(encoding="utf-8")
        old = next(x for x in text.split("\n") if x.startswith(prefix))
        return write(rel, text.replace(old, line, 1))

    def delete_third() -> list[Path]:
        third = root / "content/demo/03-third.md"
        if third.exists():
            third.unlink()
        return [third]

    return [
        lambda: replace_line("content/demo/02-second.md", "Back to", f"Back to, said {word},"
                             " [the start](01-first.md)."),
        lambda: replace_line("content/demo/02-second.md", "title:", f"title: Second {word}"),
        lambda: replace_line("content/demo/01-first.md", "## Another", f"## Another {word}"),
        lambda: replace_line("content/demo/course.yaml", "title:", f"title: Demo {word}"),
        lambda: replace_line("content/demo/01-first.md", "summary:", f"summary: First, {word}.\ndraft: true"
                             if word in ("Alpha", "Beta") else "summary: The very first module."),
        lambda: write("templates/partials/footer.html", f"<footer>{word} {{{{ site.title }}}}</footer>\n"),
        lambda: write("static/coursegen.css", f"/* {word} */ body {{ margin: 0; }}\n"),
        lambda: write("content/demo/03-third.md", MODULE_THREE.replace("Third Module", f"Third {word}")),
        delete_third,
    ][kind]()
