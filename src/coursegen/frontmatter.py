"""Split a module's YAML front matter from its Markdown body, keeping line offsets."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Split:
    yaml_text: str
    yaml_offset: int  # lines before the YAML's first line (the opening '---')
    body: str
    body_offset: int  # lines before the body's first line


class FrontMatterProblem(Exception):
    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


def split_front_matter(text: str) -> Split:
    """Return the front matter and body of a module; raise FrontMatterProblem when absent or open."""
    if not text.strip():
        raise FrontMatterProblem("the file is empty; a module starts with front matter "
                                 "('---', then title, summary and goals, then '---')")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise FrontMatterProblem("a module must start with front matter: a line '---', "
                                 "then title, summary and goals, then another '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return Split("\n".join(lines[1:index]) + "\n", 1,
                         "\n".join(lines[index + 1:]), index + 1)
    raise FrontMatterProblem("the front matter that opens on line 1 is never closed; "
                             "add a line with just '---' after the last key")
