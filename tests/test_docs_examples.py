"""The docs' examples build: every Markdown example in docs/*.md and README.md, as an author would copy it.

A complete module (it starts with '---') becomes a module file as it is; a fragment (a callout, a quiz, a
widget) goes into a module's card. Files the example points at (images, widgets) are put in place first,
as the author's own would be. Examples of errors are `text` blocks, so nobody mistakes them for input."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, CourseProject

DOCS = sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]
FENCE = re.compile(r"^(?P<fence>`{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.DOTALL | re.MULTILINE)
DIAGNOSTIC = re.compile(r"^\S+:\d+: (error|warning): ", re.MULTILINE)
ASSET = re.compile(r"(?:visual:\s*|\]\()(?P<path>[\w./-]+\.(?:svg|png|jpe?g|gif|webp|pdf|sql|csv|zip))")
WIDGET = re.compile(r"^```widget (\S+)", re.MULTILINE)
HEAD = ("---\ntitle: Example\nsummary: An example from the docs.\ngoals:\n  - Build.\n---\n## The Example\n\n"
        "The example, as the docs give it.\n\n::: reveal {goals=1} Does it build?\nYes.\n:::\n\n")


def blocks() -> list[tuple[str, str, str]]:
    """(where, info string, body) of every fenced block of the docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            found.append((f"{doc.relative_to(REPO)}:{line}", match["info"].strip(), match["body"]))
    return found


EXAMPLES = [(where, body) for where, info, body in blocks() if info.split()[:1] in (["markdown"], ["md"])]


def test_the_docs_have_module_examples() -> None:
    complete = [where for where, body in EXAMPLES if body.startswith("---\n")]
    assert any(w.startswith("docs/authoring.md:") for w in complete) and any(w.startswith("README.md") for w in complete), \
        complete


@pytest.mark.parametrize(("where", "body"), EXAMPLES, ids=[where for where, _ in EXAMPLES])
def test_every_markdown_example_builds_without_a_problem(where: str, body: str, tmp_path: Path) -> None:
    project = CourseProject(tmp_path / "site").demo()
    for asset in ASSET.findall(body):
        project.write(f"content/demo/{asset}", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    for name in WIDGET.findall(body):
        project.write(f"static/widgets/{name}.js", "export default function mount(element) {}\n")
    project.write("content/demo/03-example.md", body if body.startswith("---\n") else HEAD + body)
    report = project.build(search=False)
    own = [d for d in report.diagnostics if d.path == "content/demo/03-example.md"]  # not the demo's own modules
    assert report.ok and not own, "\n".join(d.format() for d in report.diagnostics)


def test_examples_of_messages_are_text_blocks() -> None:
    wrong = [f"{where} (```{info})" for where, info, body in blocks() if DIAGNOSTIC.search(body) and info != "text"]
    assert wrong == []
