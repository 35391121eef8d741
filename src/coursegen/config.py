"""Strict, typed schemas for site.yaml, course.yaml and module front matter."""
from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .diagnostics import Diagnostics
from .slugs import SLUG_RE, alias_slug
from .themeconfig import ThemeConfig, read_theme
from .yamlhints import quoted
from .yamlsource import YamlDoc


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    base_url: str = "/"
    language: str = "en"
    courses: tuple[str, ...] | None = None
    preview_length: int = 140
    organization: str | None = None
    offer_category: str = "Free"
    theme: ThemeConfig = field(default_factory=ThemeConfig)


@dataclass(frozen=True)
class CourseConfig:
    title: str
    tagline: str
    description: str
    why: str | None = None
    level: str | None = None
    status: str = "published"
    next: tuple[str, ...] = ()
    language: str | None = None  # None: the site's
    mastery: float = 0.8  # share of quizzes right at the first try that passes, in LMS packages
    translation_of: str | None = None  # the slug of the course this one translates


@dataclass(frozen=True)
class CardMeta:
    title: str
    line: int
    preview: str | None = None
    visual: str | None = None
    alt: str | None = None
    goals: tuple[int, ...] = ()  # the module goals (1-based) this card teaches
    goals_line: int = 0
    preview_line: int = 0  # the line of 'preview:', when given


@dataclass(frozen=True)
class ModuleMeta:
    title: str
    summary: str
    goals: tuple[str, ...]
    minutes: int | None = None
    draft: bool = False
    sources: tuple[str, ...] = ()
    cards: tuple[CardMeta, ...] | None = None
    goal_lines: tuple[int, ...] = ()  # the line of each goal
    translation_of: str | None = None  # file name of the module this one translates, in the course translated
    translation_of_line: int = 0
    aliases: tuple[str, ...] = ()  # the module's old slugs, whose URLs redirect to it
    alias_lines: tuple[int, ...] = ()  # the line of each


# --- field checkers: each returns (ok, converted value, message when not ok) ---

Checker = Callable[[Any], tuple[bool, Any, str]]


def _text(value: Any) -> tuple[bool, Any, str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return False, None, f"must be text, not {_kind(value)}"
    if not value.strip():
        return False, None, "must not be empty"
    return True, value.strip(), ""


def _bool(value: Any) -> tuple[bool, Any, str]:
    if not isinstance(value, bool):
        return False, None, f"must be true or false, not {_kind(value)}"
    return True, value, ""


def _positive_int(value: Any) -> tuple[bool, Any, str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return False, None, f"must be a whole number of at least 1, not {_describe(value)}"
    return True, value, ""


def goal_numbers(value: Any) -> tuple[bool, Any, str]:
    """A goal reference: a goal's number (1-based) or a list of them -> a tuple of ints."""
    items = value if isinstance(value, list) else [value]
    if not items or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in items):
        return False, None, (f"must be goal numbers, like [1, 3] (goal 1 is the first of the module's "
                             f"'goals'), not {_describe(value)}")
    return True, tuple(items), ""


def _status(value: Any) -> tuple[bool, Any, str]:
    if value not in ("published", "planned"):
        return False, None, f"must be 'published' or 'planned', not {_describe(value)}"
    return True, value, ""


def _mastery(value: Any) -> tuple[bool, Any, str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return False, None, f"must be a share between 0 and 1, like 0.8 for 80%, not {_describe(value)}"
    return True, float(value), ""


_URL_PATH = re.compile(r"^/(?![/\\])[^\s?#\\]*$")  # no '//' or '\': a browser reads '/\host/' as '//host/'
_HOST_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47: a language, then subtags


def _base_url(value: Any) -> tuple[bool, Any, str]:
    ok, text, message = _text(value)
    if not ok:
        return ok, text, message
    if re.match(r"^https?://[^/\s?#]+$", text):  # an origin alone: the site is at its root
        text += "/"
    problem = _url_problem(text)
    if problem is not None:
        return False, None, (
            "must be a path starting with '/' or an http(s) URL, "
            f"like '/courses/' or 'https://example.org/courses/', not {text!r}{problem}"
        )
    return True, text if text.endswith("/") else text + "/", ""


def _url_problem(text: str) -> str | None:
    """None when `text` is a site path or an http(s) URL with a plain host (and port); else '' or a reason."""
    path = text
    if re.match(r"^https?://", text):
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - raises ValueError when the port is not a number from 0 to 65535
        except ValueError:
            return " (its port must be a number from 0 to 65535)"
        host = parts.hostname or ""
        if "@" in parts.netloc or parts.query or parts.fragment or not (_HOST_NAME.match(host) or _is_ip(host)):
            return ""
        path = parts.path
    return None if _URL_PATH.match(path) else ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _language(value: Any) -> tuple[bool, Any, str]:
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        return False, None, f"must be a language tag like 'en', 'de' or 'pt-BR', not {_describe(value)}"
    return True, value, ""


OFFER_CATEGORIES = ("Free", "Partially Free", "Subscription", "Paid")


def _offer_category(value: Any) -> tuple[bool, Any, str]:
    if value not in OFFER_CATEGORIES:
        return False, None, f"must be one of {', '.join(OFFER_CATEGORIES)}, not {_describe(value)}"
    return True, value, ""


def base_url_problem(value: str) -> str | None:
    """Why `value` (e.g. from --base-url) is not a usable base URL, or None when it is."""
    ok, _, message = _base_url(value)
    return None if ok else message


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(value), type(value).__name__)


def _describe(value: Any) -> str:
    return repr(value) if isinstance(value, (str, int, float)) else _kind(value)


class _Reader:
    """Reads one YAML mapping against a schema, reporting problems at the right line."""

    def __init__(self, doc: YamlDoc, path: str, offset: int, diags: Diagnostics,
                 what: str, prefix: tuple[Any, ...] = (), required: tuple[str, ...] = ()):
        self.doc, self.path, self.offset, self.diags = doc, path, offset, diags
        self.what, self.prefix, self.required = what, prefix, required
        self.misspelt: set[str] = set()  # required keys missing because misspelt, reported at the misspelling
        value = doc.value
        for key in prefix:
            value = value[key]
        self.data: dict[str, Any] = value

    def line(self, *keys: Any) -> int:
        return self.doc.line(*self.prefix, *keys) + self.offset

    def error(self, line: int, message: str) -> None:
        self.diags.error(self.path, line, message)

    def check_keys(self, allowed: list[str]) -> None:
        for key in self.data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
            if close and close[0] in self.required and close[0] not in self.data and close[0] not in self.misspelt:
                self.misspelt.add(close[0])  # one message, not 'unknown key' here and 'missing key' at line 1
                hint += f" '{close[0]}' is required and missing"
            self.error(self.line(key), f"unknown key '{key}' in {self.what}{hint}")

    def get(self, key: str, check: Checker, default: Any = None) -> Any:
        required = key in self.required
        if key not in self.data:
            if required and key not in self.misspelt:
                where = self.line() if self.prefix else max(1, self.offset)
                self.error(where, f"missing required key '{key}' in {self.what}")
            return default
        if self.data[key] is None:
            if required:
                self.error(self.line(key), f"'{key}' is empty; it is required in {self.what}")
            return default
        ok, value, message = check(self.data[key])
        if not ok:
            self.error(self.line(key), f"'{key}' {message}")
            return default
        return value

    def text_list(self, key: str, check: Checker = _text) -> tuple[Any, ...]:
        raw = self.data.get(key)
        required = key in self.required
        if raw is None:
            if required:
                self.get(key, _text)
            return ()
        if not isinstance(raw, list):
            self.error(self.line(key), f"'{key}' must be a list ('- item' lines), not {_kind(raw)}")
            return ()
        if required and not raw:
            self.error(self.line(key), f"'{key}' must list at least one item")
        items = []
        for index, item in enumerate(raw):
            ok, value, message = check(item)
            if ok:
                items.append(value)
            else:
                self.error(self.line(key, index), f"item {index + 1} of '{key}' {message}{_colon_hint(item)}")
        return tuple(items)


def _colon_hint(item: Any) -> str:
    """For a list item YAML read as 'key: value' because its text holds ': ', how to quote it."""
    if not isinstance(item, dict) or len(item) != 1:
        return ""
    (key, value), = item.items()
    if not isinstance(key, str) or isinstance(value, (dict, list, bool)) or value is None:
        return ""
    return (f": YAML reads the ': ' in it as 'key: value'; put the item in quotes: "
            f"- {quoted(f'{key}: {value}')}")


def _mapping_or_error(doc: YamlDoc, path: str, offset: int, diags: Diagnostics, what: str) -> bool:
    if isinstance(doc.value, dict):
        return True
    diags.error(path, doc.line() + offset,
                f"{what} must be a mapping of 'key: value' lines, not {_kind(doc.value)}")
    return False


def _slug(value: Any) -> tuple[bool, Any, str]:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        return False, None, f"must be a course folder name (lowercase letters, digits, '-'), not {_describe(value)}"
    return True, value, ""


_MODULE_FILE = re.compile(r"^\d+-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def _module_file(value: Any) -> tuple[bool, Any, str]:
    if not isinstance(value, str) or not _MODULE_FILE.match(value.rsplit("/", 1)[-1]):
        return False, None, f"must be a module's file name, like '01-first-steps.md', not {_describe(value)}"
    return True, value.rsplit("/", 1)[-1], ""


def read_site_config(doc: YamlDoc, path: str, diags: Diagnostics) -> SiteConfig | None:
    """Validate site.yaml. Returns None when required keys are missing or wrong."""
    if not _mapping_or_error(doc, path, 0, diags, "site.yaml"):
        return None
    reader = _Reader(doc, path, 0, diags, "site.yaml", required=("title", "description"))
    reader.check_keys(["title", "description", "base_url", "language", "courses",
                       "preview_length", "organization", "offer_category", "theme", "edit_url"])
    before = len(diags.errors)
    title = reader.get("title", _text)
    description = reader.get("description", _text)
    base_url = reader.get("base_url", _base_url, default="/")
    language = reader.get("language", _language, default="en")
    courses = reader.text_list("courses", check=_slug) if "courses" in reader.data else None
    preview_length = reader.get("preview_length", _positive_int, default=140)
    if isinstance(preview_length, int) and preview_length < 20:
        reader.error(reader.line("preview_length"), "'preview_length' must be at least 20 characters")
    organization = reader.get("organization", _text)
    offer_category = reader.get("offer_category", _offer_category, default="Free")
    theme = read_theme(doc, path, diags)
    if len(diags.errors) > before or reader.misspelt:
        return None
    return SiteConfig(title, description, base_url, language, courses, preview_length, organization,
                      offer_category, theme)


def read_course_config(doc: YamlDoc, path: str, diags: Diagnostics) -> CourseConfig | None:
    """Validate course.yaml."""
    if not _mapping_or_error(doc, path, 0, diags, "course.yaml"):
        return None
    reader = _Reader(doc, path, 0, diags, "course.yaml", required=("title", "tagline", "description"))
    reader.check_keys(["title", "tagline", "description", "why", "level", "status", "next", "language", "mastery",
                       "translation_of"])
    before = len(diags.errors)
    config = CourseConfig(
        title=reader.get("title", _text),
        tagline=reader.get("tagline", _text),
        description=reader.get("description", _text),
        why=reader.get("why", _text),
        level=reader.get("level", _text),
        status=reader.get("status", _status, default="published"),
        next=reader.text_list("next", check=_slug),
        language=reader.get("language", _language),
        mastery=reader.get("mastery", _mastery, default=0.8),
        translation_of=reader.get("translation_of", _slug),
    )
    return None if len(diags.errors) > before or reader.misspelt else config


def read_module_meta(doc: YamlDoc, path: str, offset: int, diags: Diagnostics) -> ModuleMeta | None:
    """Validate a module's front matter; `offset` is the line before the YAML's first line."""
    if not _mapping_or_error(doc, path, offset, diags, "front matter"):
        return None
    reader = _Reader(doc, path, offset, diags, "front matter", required=("title", "summary", "goals"))
    reader.check_keys(["title", "summary", "goals", "minutes", "draft", "sources", "cards", "translation_of",
                       "aliases"])
    before = len(diags.errors)
    title = reader.get("title", _text)
    summary = reader.get("summary", _text)
    goals = reader.text_list("goals")
    minutes = reader.get("minutes", _positive_int)
    draft = reader.get("draft", _bool, default=False)
    sources = reader.text_list("sources")
    cards = _read_cards(doc, path, offset, diags) if "cards" in reader.data else None
    translation_of = reader.get("translation_of", _module_file)
    listed = isinstance(reader.data.get("aliases"), list)  # or one alias as text, as Hugo takes it
    alias = None if listed else reader.get("aliases", alias_slug)
    aliases = reader.text_list("aliases", check=alias_slug) if listed else (alias,) if alias else ()
    if len(diags.errors) > before or reader.misspelt:
        return None
    goal_lines = tuple(reader.line("goals", index) for index in range(len(goals)))
    alias_lines = tuple(reader.line("aliases", i) if listed else reader.line("aliases") for i in range(len(aliases)))
    return ModuleMeta(title, summary, goals, minutes, draft, sources, cards, goal_lines, translation_of,
                      reader.line("translation_of") if translation_of else 0, aliases, alias_lines)


def _read_cards(doc: YamlDoc, path: str, offset: int, diags: Diagnostics) -> tuple[CardMeta, ...]:
    raw = doc.value["cards"]
    if not isinstance(raw, list):
        diags.error(path, doc.line("cards") + offset,
                    f"'cards' must be a list of card entries, not {_kind(raw)}")
        return ()
    cards = []
    for index, item in enumerate(raw):
        line = doc.line("cards", index) + offset
        if not isinstance(item, dict):
            diags.error(path, line, f"card {index + 1} in 'cards' must be a mapping with a 'title', not {_kind(item)}")
            continue
        reader = _Reader(doc, path, offset, diags, f"card {index + 1} of 'cards'", ("cards", index), ("title",))
        reader.check_keys(["title", "preview", "visual", "alt", "goals"])
        title = reader.get("title", _text)
        visual = reader.get("visual", _text)
        alt = reader.get("alt", _text)
        if visual and not alt:
            reader.error(reader.line("visual"), f"card '{title}' has a 'visual' but no 'alt' text; "
                         "add 'alt:' describing the picture for readers who cannot see it")
        goals = reader.get("goals", goal_numbers, default=())
        preview = reader.get("preview", _text)
        cards.append(CardMeta(title or "", line, preview, visual, alt, goals, reader.line("goals") if goals else 0,
                              reader.line("preview") if preview else 0))
    return tuple(cards)
