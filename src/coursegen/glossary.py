"""content/<course>/glossary.yaml -> the course's glossary entries, validated (SPEC 4.6).

Each top-level key is a term. Its value is the term's Markdown definition, or a mapping with `definition`,
optional `aliases` (other words that stand for the term: plurals, abbreviations, synonyms) and optional
`see` (other terms of the glossary to read too). Terms and aliases are matched in the course's text
case-insensitively, so two of them that differ only in case are one word: defining it twice, or giving
two terms the same alias, is an error at the second one's line.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode

from .content import GLOSSARY, SourceFile
from .diagnostics import Diagnostics
from .yamlsource import YamlDoc, YamlProblem, parse_yaml

KEYS = ["definition", "aliases", "see"]
EXAMPLE = "token: A chunk of text the model reads as one unit."


@dataclass(frozen=True)
class GlossaryEntry:
    """One term as glossary.yaml defines it."""

    name: str
    definition: str  # Markdown
    aliases: tuple[str, ...]
    see: tuple[str, ...]  # names of other entries (an alias named in 'see' is replaced by its term)
    line: int  # the term's line
    definition_line: int


def word_key(text: str) -> str:
    """How a term or alias is compared: case-insensitive, whitespace runs as one space."""
    return " ".join(text.casefold().split())


def read_glossary(source: SourceFile, diags: Diagnostics) -> tuple[GlossaryEntry, ...]:
    """The entries of a glossary.yaml, in file order; every problem reported at its line."""
    try:
        doc = parse_yaml(source.text)
    except YamlProblem as problem:
        diags.error(source.rel, problem.line, problem.message)
        return ()
    if doc.value is None:
        return ()
    if not isinstance(doc.value, dict):
        diags.error(source.rel, 1, f"{GLOSSARY} maps each term to its definition, like '{EXAMPLE}'")
        return ()
    _report_repeated_keys(source, diags)
    reader = _Reader(doc, source.rel, diags)
    entries = [entry for key, value in doc.value.items() if (entry := reader.entry(key, value))]
    return reader.checked(entries)


def _report_repeated_keys(source: SourceFile, diags: Diagnostics) -> None:
    """An error for a term written twice as the same YAML key (YAML keeps the last one silently)."""
    root = yaml.compose(source.text, Loader=yaml.SafeLoader)  # parse_yaml read it: no error, no alias
    if not isinstance(root, MappingNode):
        return
    first: dict[str, int] = {}
    for key, _ in root.value:
        line = key.start_mark.line + 1
        if key.value in first:
            diags.error(source.rel, line, f"the term '{key.value}' is defined twice (first at line "
                        f"{first[key.value]}); keep one definition")
        first.setdefault(key.value, line)


class _Reader:
    def __init__(self, doc: YamlDoc, path: str, diags: Diagnostics):
        self.doc, self.path, self.diags = doc, path, diags

    def error(self, line: int, message: str) -> None:
        self.diags.error(self.path, line, message)

    def entry(self, key: Any, value: Any) -> GlossaryEntry | None:
        line = self.doc.line(key)
        if not isinstance(key, str) or not key.strip():
            self.error(line, f"a term must be a word or phrase, not {key!r}; quote it: '\"{key}\": ...'")
            return None
        name = key.strip()
        if isinstance(value, str):
            value = {"definition": value}
        if not isinstance(value, dict):
            self.error(line, f"the term '{name}' needs a definition: '{name}: what it means', or a mapping "
                       "with 'definition' (and optional 'aliases' and 'see')")
            return None
        for unknown in (k for k in value if k not in KEYS):
            close = difflib.get_close_matches(str(unknown), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(KEYS)})"
            self.error(self.doc.line(key, unknown), f"unknown key '{unknown}' in the term '{name}'{hint}")
        definition = value.get("definition")
        if not isinstance(definition, str) or not definition.strip():
            self.error(self.doc.line(key, "definition"), f"the term '{name}' needs a 'definition': Markdown "
                       "text that says what it means")
            return None
        return GlossaryEntry(name, definition.strip(), self.words(key, value, "aliases"),
                             self.words(key, value, "see"), line, self.doc.line(key, "definition"))

    def words(self, key: str, value: dict[str, Any], field: str) -> tuple[str, ...]:
        items = value.get(field)
        if items is None:
            return ()
        items = [items] if isinstance(items, str) else items
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            self.error(self.doc.line(key, field), f"'{field}' of the term '{key}' must be a word or a list of "
                       f"words, like {field}: [one, two]")
            return ()
        return tuple(i.strip() for i in items)

    def checked(self, entries: list[GlossaryEntry]) -> tuple[GlossaryEntry, ...]:
        """The entries with clashing words and unknown 'see' targets reported, 'see' aliases made terms."""
        owner: dict[str, GlossaryEntry] = {}
        for entry in entries:
            if (other := owner.get(word_key(entry.name))) is not None and other is not entry:
                self.error(entry.line, f"the term '{entry.name}' is defined twice: '{other.name}' (line "
                           f"{other.line}) is the same word (terms are matched ignoring case); keep one")
                continue
            owner[word_key(entry.name)] = entry
        for entry in entries:
            for index, alias in enumerate(entry.aliases):
                key = word_key(alias)
                if (other := owner.get(key)) is not None and other is not entry:
                    line = self.doc.line(entry.name, "aliases", index)
                    what = "a term" if word_key(other.name) == key else "an alias of the term"
                    self.error(line, f"the alias '{alias}' of '{entry.name}' is already {what} '{other.name}' "
                               f"(line {other.line}); a word can stand for one term only")
                owner.setdefault(key, entry)
        names = sorted({entry.name for entry in entries} | {a for e in entries for a in e.aliases})
        return tuple(self._see(entry, owner, names) for entry in entries)

    def _see(self, entry: GlossaryEntry, owner: dict[str, GlossaryEntry], names: list[str]) -> GlossaryEntry:
        see = []
        for index, name in enumerate(entry.see):
            target = owner.get(word_key(name))
            line = self.doc.line(entry.name, "see", index)
            if target is None:
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else "; 'see' names other terms of this glossary"
                self.error(line, f"'see' of '{entry.name}' names '{name}', which is not a term here{hint}")
            elif target is entry:
                self.error(line, f"'see' of '{entry.name}' names the term itself; name other terms")
            elif target.name not in see:
                see.append(target.name)
        return GlossaryEntry(entry.name, entry.definition, entry.aliases, tuple(see), entry.line,
                             entry.definition_line)
