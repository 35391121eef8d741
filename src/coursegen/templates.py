"""The Jinja environment (the project's templates/ first, then the built-in theme), and template errors as diagnostics."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import traceback
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
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


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in a folder of the project's cache, each file signed with a key kept
    outside the project (in the user's cache folder).

    A compiled template is code that Jinja unpickles and runs, and `.coursegen-cache/` may come from
    elsewhere (CI restores it with actions/cache, a project archive may ship it): a file this user's
    coursegen did not write, or one changed or cut since, is a miss, never code. On a machine with a new
    key (a fresh CI runner) every template is compiled again, about 0.1 s.
    """

    def __init__(self, folder: Path, key: bytes):
        self.folder, self.key = folder, key

    def _path(self, bucket: Any) -> Path:
        return self.folder / f"{bucket.key}.signed"  # bucket.key is a hex digest

    def _signature(self, body: bytes) -> bytes:
        return hmac.new(self.key, body, hashlib.sha256).digest()

    def load_bytecode(self, bucket: Any) -> None:
        try:
            raw = self._path(bucket).read_bytes()
        except OSError:
            return
        body = raw[32:]
        if len(raw) <= 32 or not hmac.compare_digest(raw[:32], self._signature(body)):
            return
        try:
            bucket.bytecode_from_string(body)
        except Exception:  # noqa: BLE001 - signed but unloadable (another Jinja): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        body = bucket.bytecode_to_string()
        path = self._path(bucket)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(self._signature(body) + body)
            os.replace(tmp, path)  # whole or not at all
        except OSError:  # a read-only or full disk makes builds slower, nothing more
            tmp.unlink(missing_ok=True)


def signing_key() -> bytes | None:
    """This user's key for signing compiled templates, made on first use: XDG_CACHE_HOME (or ~/.cache)
    /coursegen/template-key, readable by the user alone; None when it can be neither read nor made."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursegen"
    path = folder / "template-key"
    for _ in range(2):
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
            path.unlink()  # cut short: make another
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # another build made it first: read theirs
        except OSError:
            return None
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
    return None


def _bytecode_cache(compiled: Path | None) -> BytecodeCache | None:
    key = signing_key() if compiled else None
    return SignedBytecodeCache(compiled, key) if compiled and key else None


def make_environment(project: Path, compiled: Path | None = None) -> Environment:
    """A strict, autoescaping environment; a project template overrides the theme's by file name.

    `{% extends "theme/base.html" %}` reaches the built-in file even when the project overrides it.
    With `compiled`, a folder, compiled templates are kept there for the next run, signed (Jinja checks
    each against its source).
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
        bytecode_cache=_bytecode_cache(compiled),
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
