"""Theme text in the reader's language: the shipped gettext catalogs, a project's overrides, plural forms,
numbers, dates and the writing direction. The catalogs are Babel's; nothing here looks text up by hand.

Catalogs live in theme/locale/LANG/LC_MESSAGES/coursegen.po (the standard gettext layout, so pybabel and
translation tools work on them); they are compiled in memory when a build needs them. A project overrides or
adds messages in content/i18n/LANG.yaml (message id -> text, or a list of plural forms).
"""
from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .diagnostics import Diagnostics
from .yamlsource import YamlProblem, parse_yaml

LOCALE_DIR = Path(__file__).parent / "theme" / "locale"
DOMAIN = "coursegen"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
OVERRIDES = "content/i18n"

# A message in HTML made before the language is known (a quiz's buttons): \x02=MESSAGE\x03, filled in later.
_MESSAGE = re.compile("\x02=([^\x02\x03]+)\x03")


def N_(message: str) -> str:
    """Mark `message` for the catalog where it is translated later (blocks.py's HTML labels)."""
    return f"\x02={message}\x03"


def base_language(tag: str) -> str:
    """'pt-BR' -> 'pt', 'zh_Hant' -> 'zh'."""
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def is_rtl(tag: str) -> bool:
    return base_language(tag) in RTL_LANGUAGES


def shipped_languages() -> tuple[str, ...]:
    """The languages whose catalog coursegen ships ('en' among them)."""
    return tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


def _catalog_name(tag: str) -> str | None:
    """The shipped catalog for a language tag: 'pt-BR' -> 'pt_BR' if shipped, else 'pt', else None."""
    shipped = shipped_languages()
    full = tag.replace("-", "_")
    for name in (full, base_language(tag)):
        if name in shipped:
            return name
    return None


@lru_cache(maxsize=32)
def _po_text(name: str) -> bytes:
    return (LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()


def read_catalog(name: str) -> Catalog:
    """The shipped catalog `name` (a fresh copy: callers may change it)."""
    return read_po(io.BytesIO(_po_text(name)), locale=name, domain=DOMAIN)


def template_catalog() -> Catalog:
    """Every message id the theme uses: the English catalog's."""
    return read_catalog("en")


def _locale(tag: str) -> Locale:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(base_language(tag))
        except (UnknownLocaleError, ValueError):
            return Locale("en")


@lru_cache(maxsize=64)
def language_name(tag: str) -> str:
    """A language's name in that language, as a reader looks for it in a language menu: 'fr' -> 'Français',
    'ar' -> 'العربية', 'pt-BR' -> 'Português (Brasil)'; the tag itself when CLDR does not know it."""
    locale = _locale(tag)
    if locale.language != base_language(tag):
        return tag
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def _sample(locale: Locale, category: str) -> int | None:
    """A whole number in a CLDR plural category of the locale ('one' -> 1 in English), None if there is none."""
    for n in (*range(200), 1_000_000):
        if locale.plural_form(n) == category:
            return n
    return None


class Translator:
    """The theme's text in one language: gettext, plural forms, numbers, dates, direction."""

    def __init__(self, language: str, translations: Translations, overrides: tuple[tuple[str, Any], ...] = ()):
        self.language = language
        self.overrides = overrides  # the project's messages, for the page cache's key
        self.translations = translations
        self.locale = _locale(language)
        self.dir = "rtl" if is_rtl(language) else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.ugettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ungettext(singular, plural, n)

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """The message's form for each CLDR plural category, for the page's JavaScript (Intl.PluralRules)."""
        forms = {}
        for category in sorted({*self.locale.plural_form.tags, "other"}):
            n = _sample(self.locale, category)
            if n is not None:
                forms[category] = self.ngettext(singular, plural, n)
        return forms

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: date | str, form: str = "long") -> str:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, form, locale=self.locale)

    def fill(self, html: str) -> str:
        """HTML with each message mark (see N_) replaced by its escaped translation."""
        if "\x02=" not in html:
            return html
        return _MESSAGE.sub(lambda m: escape(self.gettext(m.group(1))), html)

    def template_functions(self) -> dict[str, Any]:
        """`_`, `gettext` and `ngettext` for Jinja (new-style: %(name)s variables, autoescaped), the JavaScript
        catalog's `js_text` and `js_plural`, `number`, `format_date`, and `numbering`: the digits numbers
        are written with (a CLDR numbering system, for the script's Intl.NumberFormat)."""

        @pass_context
        def gettext(context: Context, message: str, **variables: Any) -> str:
            text = self.gettext(message)
            return (Markup(text) if context.eval_ctx.autoescape else text) % variables

        @pass_context
        def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
            text = self.ngettext(singular, plural, num)
            variables.setdefault("num", self.number(num))
            return (Markup(text) if context.eval_ctx.autoescape else text) % variables

        return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "js_text": self.gettext,
                "js_plural": self.plural_forms, "number": self.number, "format_date": self.date,
                "numbering": self.locale.default_numbering_system}


def _translations(catalog: Catalog) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@dataclass
class Messages:
    """The translator of each language a site uses, made once per build."""

    translators: Mapping[str, Translator]

    def __getitem__(self, language: str) -> Translator:
        return self.translators[language]

    @property
    def digest_parts(self) -> tuple[Any, ...]:
        """What the pages' text depends on besides the shipped catalogs: the project's overrides."""
        return tuple((lang, t.overrides) for lang, t in sorted(self.translators.items()))


@lru_cache(maxsize=1)
def english() -> Translator:
    return Translator("en", _translations(read_catalog("en")))


def load_messages(project: Path, languages: Iterable[str], diags: Diagnostics,
                  where: Mapping[str, tuple[str, int]] | None = None) -> Messages:
    """The translator of each of `languages`: the shipped catalog with the project's overrides.

    A language with neither a shipped catalog nor a project file gets English, with one warning at the
    place that names it (`where`: language -> (path, line)).
    """
    ids = template_catalog()
    translators = {}
    for language in sorted(set(languages)):
        name = _catalog_name(language)
        override = _override_file(project, language)
        if name is None and override is None:
            path, line = (where or {}).get(language, ("content/site.yaml", 1))
            shipped = ", ".join(shipped_languages())
            diags.warning(path, line, f"coursegen has no catalog for language '{language}', so its theme text "
                          f"stays English; add content/i18n/{language}.yaml to translate it (catalogs shipped: "
                          f"{shipped})")
        catalog = read_catalog(name or "en")
        if name is None:
            catalog = _retagged(catalog, language)
        applied = _apply_overrides(project, override, catalog, ids, diags) if override is not None else ()
        translators[language] = Translator(language, _translations(catalog), applied)
    return Messages(translators)


def _retagged(catalog: Catalog, language: str) -> Catalog:
    """The English catalog's ids under another language's plural rules (for a project's own catalog)."""
    try:
        retagged = Catalog(locale=language.replace("-", "_"), domain=DOMAIN)
    except (UnknownLocaleError, ValueError):
        return catalog
    for message in catalog:
        if message.id:
            retagged.add(message.id, message.string)
    return retagged


def _override_file(project: Path, language: str) -> Path | None:
    for name in (language, language.replace("_", "-"), base_language(language)):
        path = project / OVERRIDES / f"{name}.yaml"
        if path.is_file():
            return path
    return None


def _apply_overrides(project: Path, path: Path, catalog: Catalog, ids: Catalog,
                     diags: Diagnostics) -> tuple[tuple[str, Any], ...]:
    """Put the messages of a project's LANG.yaml into `catalog`, reporting unknown ids and wrong values;
    returns what it put there."""
    rel = path.relative_to(project).as_posix()
    try:
        doc = parse_yaml(path.read_text(encoding="utf-8"))
    except YamlProblem as problem:
        diags.error(rel, problem.line, problem.message)
        return ()
    if doc.value is None:
        return ()
    if not isinstance(doc.value, dict):
        diags.error(rel, 1, "an i18n file must be a mapping of 'message: translation' lines")
        return ()
    applied: list[tuple[str, Any]] = []
    known = {m.id if isinstance(m.id, str) else m.id[0]: m for m in ids if m.id}
    for key, value in doc.value.items():
        line = doc.line(key)
        message = known.get(str(key))
        if message is None:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else " (coursegen's message ids are listed in docs/languages.md)"
            diags.error(rel, line, f"unknown message id '{key}'{hint}")
            continue
        text, wrong = _override_value(value, message.pluralizable, catalog.num_plurals)
        if wrong:
            diags.error(rel, line, f"'{key}' {wrong}")
        else:
            if (existing := catalog.get(message.id)) is not None:
                existing.string = text  # Catalog.add keeps a message's old string
            else:
                catalog.add(message.id, text)
            applied.append((str(key), text))
    return tuple(applied)


def _override_value(value: Any, plural: bool, forms: int) -> tuple[Any, str | None]:
    """The catalog string (or plural forms) of an override value, or a message saying what is wrong."""
    if plural:
        if isinstance(value, list) and len(value) == forms and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(value), None
        return None, (f"counts something: give its {forms} plural form{'s' if forms != 1 else ''} as a list "
                      "('- ...' lines) in the order of the language's gettext plural rule (docs/languages.md)")
    if isinstance(value, str) and value.strip():
        return value, None
    return None, "must be the translation, as text"
