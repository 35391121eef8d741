"""Diagnostics: content problems as values with a path and a line."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the content, anchored to a project-relative path and a 1-based line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Diagnostics:
    """Collects every problem of a run so they can be reported together."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, max(1, line), message))

    def warning(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, max(1, line), message, "warning"))

    def extend(self, other: Diagnostics | Iterable[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.message))


class UsageError(Exception):
    """A problem with how coursegen was called (bad output folder, bad option): exit code 2."""
