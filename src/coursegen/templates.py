"""The Jinja environment: the project's templates/ first, then the built-in theme."""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)

THEME = Path(__file__).parent / "theme"


class _Environment(Environment):
    """An Environment whose templates see its globals as one flat dict.

    Jinja's default, a ChainMap over the environment's globals, is iterated into a set for every
    include (a new Context each time): a tenth of a module page's rendering. Jinja documents changing
    the globals after templates are loaded as unsupported, and coursegen never does.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(project: Path, compiled: Path | None = None) -> Environment:
    """A strict, autoescaping environment; a project template overrides the theme's by file name.

    `{% extends "theme/base.html" %}` reaches the built-in file even when the project overrides it.
    With `compiled`, a folder, compiled templates are kept there for the next run (Jinja checks each
    against its source).
    """
    theme = FileSystemLoader(THEME / "templates")
    loaders: list = []
    if (project / "templates").is_dir():
        loaders.append(FileSystemLoader(project / "templates"))
    loaders += [theme, PrefixLoader({"theme": theme})]
    return _Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
        auto_reload=False,  # an environment lives for one build (serve makes a new one when templates change)
    )
