"""PyYAML's syntax errors in an author's words: the line to change, what went wrong, and the fix.

Front matter, course.yaml and quizzes are prose in YAML, so most mistakes are a ': ' inside a value,
a value that starts with a character YAML reserves, or a line indented one step off."""
from __future__ import annotations

import re

import yaml

_KEY = re.compile(r"^(\s*)([A-Za-z_][\w-]*):\s")  # 'title: '
_ITEM_KEY = re.compile(r"^(\s*(?:-\s+)+)(text|correct|feedback|title|preview|visual|alt):\s")  # '  - text: '
_ITEM = re.compile(r"^(\s*(?:-\s+)+)")  # '  - '
_RESERVED_START = "`@%"  # characters that cannot start a plain YAML value


def quoted(value: str) -> str:
    """`value` as a YAML double-quoted string (single-quoted when that reads better)."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_line(line: str) -> str:
    """The line with its value quoted: 'title: a: b' -> 'title: "a: b"'; '- a: b' -> '- "a: b"'.

    A '- ' item that starts with a key of a quiz option or a card entry ('- text: a: b') keeps its key."""
    if item := _ITEM.match(line):
        found = _ITEM_KEY.match(line)
        prefix = found.group(0) if found else item.group(1)
    else:
        prefix = found.group(0) if (found := _KEY.match(line)) else ""
    return prefix + quoted(line[len(prefix):].strip())


def _quote_hint(line: str, why: str) -> str:
    return f"{why}; write the line as: {quote_line(line).strip()}"


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, int] | None:
    """(message, 1-based line) for a syntax error authors commonly make; None for the others."""
    mark = exc.problem_mark
    if mark is None:
        return None
    problem = exc.problem or ""
    text = lines[mark.line] if mark.line < len(lines) else ""
    found: str | None = None
    if problem == "mapping values are not allowed here":
        found = _colon_in_value(text, mark.column)
    elif problem.startswith("found character") and "cannot start any token" in problem:
        found = _reserved_start(text, problem)
    elif problem == "could not find expected ':'" and exc.context_mark is not None:
        line = exc.context_mark.line
        return ((f"invalid YAML: '{lines[line].strip() if line < len(lines) else ''}' is not a 'key: value' line; "
                "add ': ' after the key, or indent the line to continue the value above"), line + 1)
    elif problem.startswith(("expected <block end>, but found", "expected <block mapping end>")):
        found = _indentation(text, problem)
    return (found, mark.line + 1) if found else None


def _colon_in_value(text: str, column: int) -> str:
    if ": " in text[:column]:  # a second ': ' on the line: the value holds one
        return _quote_hint(text, "invalid YAML: a value that contains ': ' must be in quotes")
    return ("invalid YAML: this line is indented as if it went on with the value above; line its key up "
            "with the keys above it (or, if it is part of the value, put the whole value in quotes)")


def _reserved_start(text: str, problem: str) -> str | None:
    char = problem.split("'")[1] if "'" in problem else ""
    if char in _RESERVED_START:
        return _quote_hint(text, f"invalid YAML: a value that starts with '{char}' must be in quotes")
    return None


def _indentation(text: str, problem: str) -> str:
    if "'<scalar>'" in problem:
        return _quote_hint(text, "invalid YAML: text follows a closing quote")
    return ("invalid YAML: this line's indentation does not match the lines above: keys of one mapping "
            "line up with each other, and so do the '- ' items of one list")
