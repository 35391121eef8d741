"""Shared test helpers: a tiny course project written into a temp folder, built, and parsed.

Import them as `from helpers import ...` (a plain `from conftest import` is ambiguous:
tests/browser has a conftest.py too).
"""
from __future__ import annotations

import subprocess
import sys
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
"""


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
        options.setdefault("out", self.out)
        return build(self.root, BuildOptions(**options))

    def check(self, **options) -> BuildReport:
        return check(self.root, BuildOptions(**options))

    def cli(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "coursegen", *args], cwd=cwd or self.root,
                              capture_output=True, text=True, timeout=120, check=False)

    def html(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / rel).read_text(encoding="utf-8"), "html.parser")
