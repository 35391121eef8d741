"""Whole projects made at random (issue 16): course folders, module files and assets named in every script,
random site.yaml and course.yaml, random front matter, blocks and headings. coursegen builds them or
reports `PATH:LINE: error|warning: MESSAGE` at a real file and line; it never raises, never writes outside
the output folder. Seeded (CG_FUZZ_SEED), CG_EXAMPLES examples (30 by default, a few seconds each)."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from test_properties import line_text, markdown_body, module_text, yaml_scalar

from coursegen import BuildOptions, build

EXAMPLES = int(os.environ.get("CG_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
SEED = int(os.environ.get("CG_FUZZ_SEED", "20261204"))
FORMAT = re.compile(r"^[^\n]+:\d+: (error|warning): .+", re.DOTALL)

# pieces of file and folder names in many scripts, with the characters careless names hold
NAME_PIECES = ["intro", "Введение", "简介", "مقدمة", "מבוא", "परिचय", "ภาษาไทย", "café", "cafe\u0301", "naïve",
               "Straße", "İstanbul", "ǅ", "😀", "a b", "x.y", "-", "_", "%20", "#1", "?", "&", "'", "(1)",
               "\u200b", "\u202e", "~", "UPPER", "01", "index", "print", "static", "pagefind", ".hidden", "..."]
hostile_name = st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=3).map("".join)
slug = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?", fullmatch=True)


def rarely(draw: st.DrawFn) -> bool:
    """True one time in eight: most of a project is valid, so that its build goes on to the later stages."""
    return draw(st.integers(0, 7)) == 7


name = st.integers(0, 7).flatmap(lambda n: hostile_name if n == 7 else slug)
TITLES = ["Что такое токен", "什么是注意力", "ما هو الرمز", "מה זה", "टोकन क्या है", "😀 Emoji", "Ǆemo",
          "<script>alert(1)</script>", "{{ 7*7 }}", "a\u0301b", "x" * 300, "Same", "Same"]
title = st.one_of(st.sampled_from(TITLES), line_text.filter(str.strip))
# YAML values that once crashed a build (review F8-F11, F26): bad dates and tags, surrogates, deep nesting
RAW_VALUES = ["2024-02-30", "!!int abc", "!!float x", "!!timestamp x", '"\\uD800"', "1" * 5000,
              "[" * 60 + "x" + "]" * 60, "{1: a, b: c}", "~", "true", "&a [*a]"]
raw_value = st.one_of(yaml_scalar, st.sampled_from(RAW_VALUES))
course_key = st.sampled_from(["title", "tagline", "description", "why", "level", "next", "status", "titel"])


@st.composite
def course_yaml(draw: st.DrawFn) -> str:
    if rarely(draw):
        return draw(st.text(max_size=80))
    lines = [] if rarely(draw) else [f"title: {draw(title)!r}", "tagline: T", "description: D"]
    for key in draw(st.lists(course_key, max_size=4)) if rarely(draw) else []:
        lines.append(f"{key}: {draw(raw_value)}")
    return "\n".join(lines) + "\n"


@st.composite
def module_source(draw: st.DrawFn) -> str:
    """Mostly a module with valid front matter (titles and headings in every script), else any text."""
    if rarely(draw):
        return draw(module_text())
    body = markdown_body if rarely(draw) else line_text
    cards = "".join(f"\n## {draw(title)}\n\n{draw(body)}\n" for _ in range(draw(st.integers(1, 3))))
    goals = "".join(f"  - {draw(title)!r}\n" for _ in range(draw(st.integers(1, 2))))
    if draw(st.booleans()):
        goals += f"minutes: {draw(st.sampled_from([*RAW_VALUES, '5', '10', '15']))}\n"
    return f"---\ntitle: {draw(title)!r}\nsummary: {draw(title)!r}\ngoals:\n{goals}---\n{draw(body)}\n{cards}"


@st.composite
def project(draw: st.DrawFn) -> dict[str, str | bytes]:
    """Relative path -> file content of a project with one to three courses."""
    files: dict[str, str | bytes] = {}
    courses = draw(st.lists(name, min_size=1, max_size=2, unique=True))
    listed = draw(st.sampled_from(["all", "none", "some"])) if rarely(draw) else "all"
    site = "title: Fuzz Academy\ndescription: D\n"
    if listed != "none":
        site += "courses:\n" + "".join(f"  - {draw(st.sampled_from([repr(c), c + 'x'])) if rarely(draw) else c}\n"
                                       for c in courses[: None if listed == "all" else 1])
    files["content/site.yaml"] = site
    for course in courses:
        files[f"content/{course}/course.yaml"] = draw(course_yaml())
        assets = draw(st.lists(hostile_name, max_size=2, unique=True))  # any name: linked as <images/NAME>
        for asset in assets:
            files[f"content/{course}/images/{asset}.svg"] = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
        for number, module in enumerate(draw(st.lists(name, min_size=1, max_size=3, unique=True)), 1):
            text = draw(module_source())
            if assets and draw(st.booleans()):
                target = draw(st.sampled_from(assets)) + ".svg"
                text += f"\n![a picture](<images/{target}>)\n"
            prefix = draw(st.sampled_from([f"{number}-", ""])) if rarely(draw) else f"{number:02d}-"
            files[f"content/{course}/{prefix}{module}.md"] = text
    return files


def write(root: Path, files: dict[str, str | bytes]) -> bool:
    """Write the project; False when this file system cannot hold one of its names."""
    for rel, content in files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        except OSError:
            return False
    return True


def lines_of(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1 if path.is_file() else 1


@seed(SEED)
@SETTINGS
@given(project())
def test_any_project_builds_or_says_where_it_is_wrong(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        if not write(root, files):
            return
        out = Path(folder) / "out"
        report = build(root, BuildOptions(out=out, search=False, cache=False))  # raises: the test fails
        for d in report.diagnostics:
            assert FORMAT.match(d.format()), d.format()
            assert "Traceback" not in d.message, d.format()
            where = root / d.path
            assert where.exists() or d.path in ("content", "templates", "build"), d.format()
            assert 1 <= d.line <= lines_of(where) + 1, d.format()
        if not report.ok:
            assert not out.exists(), "a failed build wrote the site"
            return
        written = [p for p in Path(folder).rglob("*") if p.is_file() and not p.is_relative_to(root)]
        assert written and all(p.is_relative_to(out) for p in written), "a file was written outside --out"
        for page in out.rglob("*.html"):
            page.read_bytes().decode("utf-8")
