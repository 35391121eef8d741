"""URL slugs: the form of course and module slugs, the names coursegen keeps for its own pages, and a module's
old slugs (front matter 'aliases'), whose URLs redirect to it."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostics

if TYPE_CHECKING:
    from .content import CourseSource
    from .parse import ParsedModule

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"print", "glossary", "instructor", "instructor-print", "static", "pagefind", "images",
                            "assets", "widgets"})


def alias_slug(value: Any) -> tuple[bool, Any, str]:
    """An item of 'aliases' (config.py's checker form): a slug, else a message with the slug it most likely means."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads the slug 2019 as a number
    if isinstance(value, str) and SLUG_RE.match(value.strip()):
        return True, value.strip(), ""
    shown = repr(value) if isinstance(value, (str, int, float)) else "a list or mapping"
    guess = _guess(value) if isinstance(value, str) else ""
    hint = f"; did you mean '{guess}'?" if guess else ""
    return False, None, f"must be an old slug of this module (lowercase letters, digits, '-'), not {shown}{hint}"


def _guess(text: str) -> str:
    """The slug an author most likely meant: '/demo/old-name/' -> 'old-name', '02-old-name.md' -> 'old-name',
    'Old Name' -> 'old-name'; '' when there is none."""
    last = next((part for part in reversed(text.strip().split("/")) if part), "")
    if last.endswith(".md"):
        last = re.sub(r"^\d+-", "", last[:-3])
    guess = re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")
    return guess if SLUG_RE.match(guess) else ""


def check_aliases(course: CourseSource, modules: Sequence[ParsedModule], diags: Diagnostics) -> None:
    """Errors for the aliases of `modules` (a course's parsed modules) that cannot redirect: a module's own slug,
    another module's slug or alias, a reserved name or an asset folder of the course."""
    slugs = {m.slug: m.source.rel for m in course.modules}
    assets = {asset.split("/")[0] for asset in course.assets}  # the files and folders at the course's top
    taken: dict[str, str] = {}
    for module in modules:
        seen: set[str] = set()
        for alias, line in zip(module.meta.aliases, module.meta.alias_lines):
            if alias in seen:
                diags.warning(module.rel, line, f"alias '{alias}' is listed twice; remove one")
                continue
            seen.add(alias)
            problem = _clash(alias, module.slug, slugs, taken, assets)
            if problem:
                diags.error(module.rel, line, problem)
            taken.setdefault(alias, module.rel)


def _clash(alias: str, own: str, slugs: dict[str, str], taken: dict[str, str], assets: set[str]) -> str | None:
    """Why `alias` of the module with slug `own` cannot redirect to it, or None."""
    if alias == own:
        return (f"alias '{alias}' is this module's own slug; 'aliases' lists the slugs the module had before "
                "it was renamed")
    if alias in slugs:
        return (f"alias '{alias}' is the slug of {slugs[alias]}, whose page is at that URL; "
                "an old URL can only redirect when no module uses it")
    if alias in taken:
        return f"alias '{alias}' is also an alias of {taken[alias]}; an old URL can redirect to one module only"
    if alias in RESERVED_SLUGS:
        return (f"alias '{alias}' is a name coursegen keeps for its own pages and files "
                f"({', '.join(sorted(RESERVED_SLUGS))}); it cannot be a module's URL")
    if alias in assets:
        return f"alias '{alias}' is the name of a file or folder of the course, which is at that URL"
    return None
