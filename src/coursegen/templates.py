"""The Jinja environment (the project's templates/ first, then the built-in theme), and template errors as diagnostics."""
from __future__ import annotations

import traceback
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
    select_autoescape,
)

from .diagnostics import Diagnostic

THEME = Path(__file__).parent / "theme"


class _Environment(Environment):
    """An Environment whose templates see its globals as one flat dict.

    Jinja's default, a ChainMap over the environment's globals, is iterated into a set for every
    include (a new Context each time): a tenth of a module page's rendering. Jinja documents changing
    the globals after templates are loaded as unsupported, and coursegen never does.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(project: Path) -> Environment:
    """A strict, autoescaping environment; a project template overrides the theme's by file name.

    `{% extends "theme/base.html" %}` reaches the built-in file even when the project overrides it.
    Compiled templates are kept in memory only: Jinja's bytecode cache unpickles and runs whatever its
    files hold, and `.coursegen-cache/` may come from elsewhere (CI restores it, an archive ships it).
    """
    theme = FileSystemLoader(THEME / "templates")
    loaders: list = []
    if (project / "templates").is_dir():
        loaders.append(FileSystemLoader(project / "templates"))
    loaders += [theme, PrefixLoader({"theme": theme})]
    env = _Environment(
        loader=ChoiceLoader(loaders),
        extensions=["jinja2.ext.i18n"],
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build (serve makes a new one when templates change)
    )
    # Theme text is written `{{ _("Learning goals") }}` / `{% trans %}`; the catalog of the site's language
    # replaces these null translations (English as written).
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def template_diagnostic(project: Path, exc: Exception) -> Diagnostic:
    """A template error as a content problem at the template file and line where it happened.

    A syntax error carries its file and line. For an error while rendering (a misspelt variable under
    StrictUndefined, a bad attribute, a missing include), Jinja rewrites the traceback so that the frames
    of template code carry the template's file name and line: the innermost frame of a template file is
    where the error is.

    The path is project-relative for the project's templates (`templates/module.html`). A built-in
    template is named by its place in the coursegen package, `theme/templates/NAME` (for instance
    `theme/templates/partials/head.html`): the file that `{% extends "theme/NAME" %}` reaches. An error
    that no template file can be found for is reported at `templates`, line 1.
    """
    folders = _template_folders(project)
    path: str | None = None
    line = 1
    if isinstance(exc, TemplateSyntaxError):
        path, line = _shown(exc.filename, folders), exc.lineno
    else:
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            if (shown := _shown(frame.f_code.co_filename, folders)) is not None:
                path, line = shown, frame_line  # the last one found is the innermost
    if path is None:
        path = str(getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates")
        line = getattr(exc, "lineno", None) or 1
    message = getattr(exc, "message", None) or str(exc)
    return Diagnostic(path, max(1, line or 1), f"template error: {message}")


def _template_folders(project: Path) -> tuple[tuple[Path, str], ...]:
    """Each folder of template files with the name its files are shown under, the project's first."""
    return ((Path(project, "templates").resolve(), "templates"), ((THEME / "templates").resolve(), "theme/templates"))


def _shown(filename: str | None, folders: tuple[tuple[Path, str], ...]) -> str | None:
    """How a template file is named in a diagnostic; None for a file in no template folder."""
    if not filename or filename.startswith("<"):
        return None
    path = Path(filename).resolve()
    for folder, shown in folders:
        if path.is_relative_to(folder):
            return f"{shown}/{path.relative_to(folder).as_posix()}"
    return None
