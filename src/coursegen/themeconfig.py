"""site.yaml's look settings: `theme.accent`, `theme.logo`, `theme.extra_css` and `edit_url`.

`read_theme` checks what the YAML says (a colour tinycss2 can read, paths that stay in their folder, an
http(s) URL) and warns when the accent is hard to read on the page: under 4.5:1 against the theme's light
or dark background, computed with WCAG's relative luminance. `site_theme` then finds the files (the model
stage) and gives the model's SiteTheme and the logo to copy.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tinycss2.color4 import Color, parse_color

from .diagnostics import Diagnostics
from .imagesize import image_size
from .model import Logo, SiteTheme
from .staticfiles import hashed_name
from .yamlsource import YamlDoc

BACKGROUNDS = {"light": "#ffffff", "dark": "#0f141b"}  # the theme's --cg-bg (coursegen.css)
ON_ACCENT = ("#ffffff", "#0b1220")  # text on accent-coloured buttons: whichever reads better
MIN_CONTRAST = 4.5
THEME_KEYS = ("accent", "logo", "extra_css")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
_URL = re.compile(r"^https?://[^\s/?#]+/?\S*$")


@dataclass(frozen=True)
class ThemeConfig:
    """What site.yaml says; the lines are where to report a missing file."""

    accent: tuple[tuple[str, str], ...] = ()  # (scheme 'light'|'dark', CSS colour), as written
    logo: str | None = None  # path under content/
    logo_line: int = 0
    extra_css: tuple[tuple[str, int], ...] = ()  # (path under static/, line)
    edit_url: str | None = None  # prefix; ends with '/'


def _srgb(color: Color) -> tuple[float, float, float]:
    red, green, blue = color.to("srgb").coordinates
    return red, green, blue


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (channels 0..1)."""
    def linear(c: float) -> float:
        c = min(1.0, max(0.0, c))
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two opaque CSS colours (1 to 21)."""
    first, second = (luminance(_srgb(parse_color(c))) for c in (one, other))
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)


def colour_problem(value: str) -> str | None:
    """Why `value` is not an opaque CSS colour whose contrast can be computed, or None."""
    color = parse_color(value)
    if not isinstance(color, Color):
        return "is not a CSS colour like '#0f766e', 'rgb(15 118 110)' or 'teal'"
    if color.alpha < 1:
        return "must be opaque (links and focus rings must stand out on any background)"
    try:
        _srgb(color)
    except NotImplementedError:
        return "is a colour whose contrast coursegen cannot compute; write it as hex, rgb(), hsl() or a name"
    return None


def on_accent(accent: str) -> str:
    """The colour of text on an accent-coloured button."""
    return max(ON_ACCENT, key=lambda text: contrast(text, accent))


def _accent(doc: YamlDoc, path: str, diags: Diagnostics) -> tuple[tuple[str, str], ...]:
    raw = doc.value["theme"].get("accent")
    if raw is None:
        return ()
    pairs: list[tuple[str, Any, tuple[str, ...]]]
    if isinstance(raw, str):
        pairs = [(scheme, raw, ("theme", "accent")) for scheme in BACKGROUNDS]
    elif isinstance(raw, dict) and raw and set(raw) <= set(BACKGROUNDS):
        pairs = [(scheme, raw[scheme], ("theme", "accent", scheme)) for scheme in BACKGROUNDS if scheme in raw]
    else:
        diags.error(path, doc.line("theme", "accent"), "'theme.accent' must be a CSS colour like '#0f766e', or "
                    "one for each scheme: {light: '#0f766e', dark: '#5eead4'}")
        return ()
    found = []
    for scheme, value, keys in pairs:
        line = doc.line(*keys)
        if not isinstance(value, str) or (problem := colour_problem(value)) is not None:
            problem = "is not a CSS colour" if not isinstance(value, str) else problem
            diags.error(path, line, f"'{'.'.join(keys)}' {problem}")
            continue
        ratio = contrast(value, BACKGROUNDS[scheme])
        if ratio < MIN_CONTRAST:
            fix = "give a darker one" if scheme == "light" else "give a lighter one"
            diags.warning(path, line, f"'{'.'.join(keys)}' {value} has a contrast of {ratio:.2f}:1 on the {scheme} "
                          f"background ({BACKGROUNDS[scheme]}), under the {MIN_CONTRAST}:1 that links and text need; "
                          f"{fix}, or one for each scheme: accent: {{light: '…', dark: '…'}}")
        found.append((scheme, value.strip()))
    return tuple(found)


def _inside(value: Any, what: str) -> tuple[str | None, str]:
    """A relative path that stays inside its folder, as posix text; or None and why not."""
    if not isinstance(value, str) or not value.strip():
        return None, f"must be a path under {what}"
    text = value.strip().replace("\\", "/")
    parts = PurePosixPath(text).parts
    if text.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", text):
        return None, f"must be a path inside {what}, like 'images/logo.svg', not {value!r}"
    return "/".join(parts), ""


def _paths(doc: YamlDoc, path: str, diags: Diagnostics) -> tuple[tuple[str, int] | None, tuple[tuple[str, int], ...]]:
    theme = doc.value["theme"]
    logo = None
    if theme.get("logo") is not None:
        text, problem = _inside(theme["logo"], "content/")
        if text and not text.lower().endswith(IMAGE_SUFFIXES):
            text, problem = None, f"must be an image ({', '.join(IMAGE_SUFFIXES)}), not {theme['logo']!r}"
        if text is None:
            diags.error(path, doc.line("theme", "logo"), f"'theme.logo' {problem}")
        else:
            logo = (text.removeprefix("content/"), doc.line("theme", "logo"))
    raw = theme.get("extra_css") or []
    items = raw if isinstance(raw, list) else [raw]
    css = []
    for index, item in enumerate(items):
        keys = ("theme", "extra_css", index) if isinstance(raw, list) else ("theme", "extra_css")
        text, problem = _inside(item, "static/")
        if text is None:
            diags.error(path, doc.line(*keys), f"item {index + 1} of 'theme.extra_css' {problem}")
        else:
            css.append((text.removeprefix("static/"), doc.line(*keys)))
    return logo, tuple(css)


def read_theme(doc: YamlDoc, path: str, diags: Diagnostics) -> ThemeConfig:
    """The `theme` mapping and `edit_url` of site.yaml (doc.value is a mapping), every problem reported."""
    edit_url = doc.value.get("edit_url")
    if edit_url is not None and not (isinstance(edit_url, str) and _URL.match(edit_url.strip())):
        diags.error(path, doc.line("edit_url"), "'edit_url' must be an http(s) URL that a file's path is added to, "
                    "like 'https://github.com/me/course/edit/main/'")
        edit_url = None
    if isinstance(edit_url, str):
        edit_url = edit_url.strip().rstrip("/") + "/"
    theme = doc.value.get("theme")
    if theme is None:
        return ThemeConfig(edit_url=edit_url)
    if not isinstance(theme, dict):
        diags.error(path, doc.line("theme"), "'theme' must be a mapping of 'key: value' lines "
                    f"({', '.join(THEME_KEYS)})")
        return ThemeConfig(edit_url=edit_url)
    for key in theme:
        if key not in THEME_KEYS:
            close = difflib.get_close_matches(str(key), THEME_KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(THEME_KEYS)})"
            diags.error(path, doc.line("theme", key), f"unknown key '{key}' in site.yaml 'theme'{hint}")
    accent = _accent(doc, path, diags)
    logo, css = _paths(doc, path, diags)
    return ThemeConfig(accent, logo[0] if logo else None, logo[1] if logo else 0, css, edit_url)


def accent_css(accent: tuple[tuple[str, str], ...]) -> str:
    """The custom properties that recolour the theme: screen only (print stays black on white)."""
    rules = {scheme: f"--cg-accent:{value};--cg-accent-fg:{on_accent(value)}" for scheme, value in accent}
    out = []
    if "light" in rules:
        out.append(f":root{{{rules['light']}}}")
    if "dark" in rules:
        out.append(f':root[data-theme="dark"]{{{rules["dark"]}}}'
                   f'@media (prefers-color-scheme:dark){{:root:not([data-theme="light"]){{{rules["dark"]}}}}}')
    return f"@media screen{{{''.join(out)}}}" if out else ""


def site_theme(config: ThemeConfig, content: Path, base_path: str, path: str, diags: Diagnostics
               ) -> tuple[SiteTheme, tuple[Path, str] | None]:
    """The model's theme settings, and the logo file to copy (source, site-relative target), its files
    checked: a missing one is an error at its line in site.yaml."""
    logo, copy = None, None
    if config.logo is not None:
        source = content / config.logo
        if not source.is_file():
            diags.error(path, config.logo_line, f"'theme.logo': content/{config.logo} does not exist")
        else:
            target = hashed_name(f"logo/{source.name}", source.read_bytes())
            logo, copy = Logo(base_path + target, image_size(source)), (source, target)
    static = content.parent / "static"
    known = sorted(p.relative_to(static).as_posix() for p in static.rglob("*.css")) if static.is_dir() else []
    for name, line in config.extra_css:
        if not (static / name).is_file():
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else " (paths are relative to static/)"
            diags.error(path, line, f"'theme.extra_css': static/{name} does not exist{hint}")
    found = tuple(name for name, _ in config.extra_css if (static / name).is_file())  # the pages still render
    theme = SiteTheme(accent_css(config.accent), logo, found, config.edit_url)
    return theme, copy
