"""Static files: the theme's and the project's static/ merged, CSS and JS minified, each with a content-hashed name.

Every file under static/ is named by its content (`favicon.3f9a1c2e.svg`), so a host may cache the whole
folder forever; templates reach them by logical name through `static_url('favicon.svg')`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .content import project_files
from .diagnostics import Diagnostics
from .minify import minify
from .templates import THEME

LIGHT_STYLE, DARK_STYLE = "default", "github-dark"


@dataclass(frozen=True)
class StaticFile:
    name: str  # logical name: 'coursegen.css', 'widgets/next-token.js'
    target: str  # site-relative output path: 'static/coursegen.3f9a1c2e.css'
    data: bytes


def _style_defs(style: str, selector: str) -> str:
    """Pygments' rules for one style's tokens and background, compact: without the token-name comment after
    every rule, the spaces around punctuation, and the rules for Pygments' own line numbers (unused)."""
    formatter = HtmlFormatter(style=style)
    rules = "\n".join([*formatter.get_background_style_defs(selector), *formatter.get_token_style_defs(selector)])
    rules = re.sub(r" */\*.*?\*/", "", rules)
    return re.sub(r"\s*([{};])\s*|(:)\s+", r"\1\2", rules).replace(";}", "}")


def pygments_css() -> str:
    """Highlight colours for light pages, dark pages, and the explicit dark toggle. The dark rules are nested
    (`& .k`) in one rule per case rather than each starting with the long case selector: a third the bytes."""
    light = _style_defs(LIGHT_STYLE, ".highlight")
    dark = _style_defs(DARK_STYLE, "&")
    return (f"/* Pygments: {LIGHT_STYLE} (light), {DARK_STYLE} (dark) */\n{light}\n"
            f":root[data-theme=dark] .highlight{{{dark}}}\n"
            f"@media (prefers-color-scheme: dark){{:root:not([data-theme=light]) .highlight{{{dark}}}}}\n")


def collect_static(project: Path, diags: Diagnostics) -> tuple[StaticFile, ...]:
    """Theme static files, overridden or extended by the project's static/ folder, plus Pygments CSS. Hidden files
    and editor leftovers stay out, and so do links out of the project (an error each, as in content/)."""
    theme = THEME / "static"
    found = {p.relative_to(theme).as_posix(): p for p in sorted(theme.rglob("*")) if p.is_file()
             and not p.name.startswith(".")}
    found.update({p.relative_to(project / "static").as_posix(): p
                  for p in project_files(project, project / "static", diags)})
    data = {name: path.read_bytes() for name, path in found.items()}
    if "pygments.css" not in data:
        data["pygments.css"] = pygments_css().encode()
    data = {name: minify(name, content) for name, content in data.items()}
    files = []
    for name in sorted(data):
        files.append(StaticFile(name, hashed_name(name, data[name]), data[name]))
    return tuple(files)


def hashed_name(name: str, data: bytes) -> str:
    """'favicon.svg' -> 'static/favicon.3f9a1c2e.svg' (a name without a suffix gets the digest at its end)."""
    digest = hashlib.sha256(data).hexdigest()[:8]
    folder, _, base = name.rpartition("/")
    stem, dot, suffix = base.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return f"static/{folder + '/' if folder else ''}{hashed}"


def widget_names(files: tuple[StaticFile, ...]) -> frozenset[str]:
    return frozenset(f.name[len("widgets/"):-3] for f in files
                     if f.name.startswith("widgets/") and f.name.endswith(".js") and f.name.count("/") == 1)
