"""Translation groups: courses joined by `translation_of: SLUG` in course.yaml, and their modules matched by
file name (or by a module's own `translation_of: FILE`, the file name of the module it translates). Gives
every course and module of a group its alternates, the same page in each language of the group."""
from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .diagnostics import Diagnostic, Diagnostics
from .model import Alternate, Course, Module


@dataclass(frozen=True)
class TranslationClaim:
    """What a course says about translations: its course.yaml `translation_of` (and its line), each of its
    modules' front matter `translation_of` (module source path -> (file name, line)), and the file names of
    all its modules, drafts included."""

    rel: str  # the course.yaml
    target: str | None = None
    line: int = 1
    modules: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    files: frozenset[str] = frozenset()


def _file(module: Module) -> str:
    return module.source.rsplit("/", 1)[-1]


def _did_you_mean(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(sorted(known)) or 'none'})"


class _Groups:
    """Union-find over course slugs."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, slug: str) -> str:
        while self.parent.get(slug, slug) != slug:
            slug = self.parent[slug]
        return slug

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def link_translations(courses: Sequence[Course], claims: Mapping[str, TranslationClaim], content_slugs: Collection[str],
                      diags: Diagnostics) -> tuple[Course, ...]:
    """The courses (in site order) with their translation groups' alternates; problems go to `diags`."""
    by_slug = {course.slug: course for course in courses}
    groups = _Groups()
    for slug, claim in claims.items():
        if claim.target is None:
            for rel, (_, line) in claim.modules.items():
                diags.error(rel, line, "'translation_of' in a module needs its course to be a translation: add "
                            "'translation_of: COURSE' to its course.yaml")
            continue
        if slug not in by_slug:
            continue
        if _target_problem(slug, claim, by_slug, content_slugs, diags):
            continue
        if not by_slug[slug].planned and not by_slug[claim.target].planned:
            groups.join(slug, claim.target)
    members: dict[str, list[Course]] = {}
    for course in courses:
        if not course.planned:
            members.setdefault(groups.find(course.slug), []).append(course)
    linked = dict(by_slug)
    for group in members.values():
        if len(group) > 1 and _languages_ok(group, claims, diags):
            linked.update(_link_group(group, claims, diags))
    return tuple(linked[course.slug] for course in courses)


def _target_problem(slug: str, claim: TranslationClaim, by_slug: Mapping[str, Course],
                    content_slugs: Collection[str], diags: Diagnostics) -> bool:
    target = claim.target or ""
    if target == slug:
        diags.error(claim.rel, claim.line, f"course '{slug}' names itself in 'translation_of'; name the course "
                    "it translates")
    elif target in content_slugs and target not in by_slug:
        diags.error(claim.rel, claim.line, f"'translation_of' names course '{target}', which is not listed in "
                    "site.yaml 'courses'; add it there")
    elif target not in by_slug:
        diags.error(claim.rel, claim.line, f"'translation_of' names course '{target}', which does not exist"
                    + _did_you_mean(target, [s for s in by_slug if s != slug]))
    else:
        return False
    return True


def _languages_ok(group: list[Course], claims: Mapping[str, TranslationClaim], diags: Diagnostics) -> bool:
    """One course per language in a group; else an error at the `translation_of` that joined the second."""
    seen: dict[str, Course] = {}
    ok = True
    for course in group:
        key = course.language.lower().replace("_", "-")
        first = seen.setdefault(key, course)
        if first is course:
            continue
        ok = False
        blamed = course if claims[course.slug].target else first
        other = first if blamed is course else course
        claim = claims[blamed.slug]
        diags.error(claim.rel, claim.line, f"courses '{other.slug}' and '{blamed.slug}' are translations of each "
                    f"other but both are in language '{course.language}'; set 'language' in the translation's "
                    "course.yaml, or remove its 'translation_of'")
    return ok


def _original(group: list[Course], claims: Mapping[str, TranslationClaim]) -> Course:
    """The course the others translate: the one without `translation_of` (the first when they form a ring)."""
    return next((c for c in group if claims[c.slug].target is None), group[0])


def _link_group(group: list[Course], claims: Mapping[str, TranslationClaim],
                diags: Diagnostics) -> dict[str, Course]:
    original = _original(group, claims)
    keys = _ModuleKeys({c.slug: c for c in group}, claims, original.slug, diags)
    by_key = {course.slug: {keys.key(course, m): m for m in course.modules} for course in group}

    def alternates(current: Course, key: str | None) -> tuple[Alternate, ...]:
        found = []
        for course in group:
            module = by_key[course.slug].get(key) if key is not None else None
            missing = key is not None and module is None
            found.append(Alternate(course.language, module.url if module else course.url, course is current,
                                   missing, course is original))
        return tuple(found)

    return {course.slug: replace(course, alternates=alternates(course, None), modules=tuple(
        replace(m, alternates=alternates(course, keys.key(course, m))) for m in course.modules))
        for course in group}


class _ModuleKeys:
    """Which module of the original course each module translates: the file name of that module (or its own
    file name when it matches none). A module's `translation_of` names a file of the course its course
    translates; a course translating a translation goes on up the chain."""

    def __init__(self, courses: Mapping[str, Course], claims: Mapping[str, TranslationClaim], original: str,
                 diags: Diagnostics):
        self.courses, self.claims, self.original, self.diags = courses, claims, original, diags
        self.keys: dict[tuple[str, str], str] = {}
        for course in courses.values():
            self._check_unique(course)

    def key(self, course: Course, module: Module) -> str:
        return self._key(course.slug, _file(module), self.claims[course.slug].modules.get(module.source), set())

    def _key(self, slug: str, file: str, named: tuple[str, int] | None, seen: set[str]) -> str:
        claim = self.claims[slug]
        parent = claim.target
        if slug == self.original or parent is None or parent in seen or parent not in self.courses:
            return file
        seen.add(slug)
        wanted = named[0] if named else file
        target = next((m for m in self.courses[parent].modules if _file(m) == wanted), None)
        if target is None:
            return file
        return self._key(parent, wanted, self.claims[parent].modules.get(target.source), seen)

    def _check_unique(self, course: Course) -> None:
        """Each module's `translation_of` names a module of the translated course, and no two name the same."""
        claim = self.claims[course.slug]
        taken: dict[str, str] = {}
        for module in course.modules:
            named = claim.modules.get(module.source)
            if named and claim.target and named[0] not in self.claims[claim.target].files:
                self.diags.error(module.source, named[1], f"'translation_of' names '{named[0]}', which is not a "
                                 f"module of course '{claim.target}'"
                                 + _did_you_mean(named[0], self.claims[claim.target].files))
                continue
            key = named[0] if named else _file(module)
            if key in taken:
                self.diags.error(module.source, named[1] if named else 1, f"this module and {taken[key]} both "
                                 f"translate '{key}'; one module translates one module")
            taken.setdefault(key, module.source)


def hreflang(alternates: Sequence[Alternate]) -> tuple[tuple[str, str], ...]:
    """A page's (hreflang, URL) pairs: itself and every translation that exists, then x-default (the page in
    the original course); none for a page without translations."""
    found = [(a.language, a.url) for a in alternates if not a.missing]
    if len(found) < 2:
        return ()
    default = next((a.url for a in alternates if a.original and not a.missing), None)
    return (*found, ("x-default", default)) if default else tuple(found)


def translation_gaps(courses: Sequence[Course]) -> list[Diagnostic]:
    """Warnings for `coursegen check`: each module of an original course that a translation lacks, and each
    translated module with fewer cards than its original (a card may be left untranslated)."""
    by_url = {c.url: c for c in courses} | {m.url: m for c in courses for m in c.modules}
    found = []
    for module in (m for c in courses for m in c.modules if any(a.current and a.original for a in m.alternates)):
        for alternate in (a for a in module.alternates if not a.current):
            other = by_url[alternate.url]
            if isinstance(other, Course):
                found.append(Diagnostic(other.source, 1, f"this translation has no module translating "
                                        f"{module.source} ('{module.title}'); its language switcher links to the "
                                        "course page instead", "warning"))
            elif len(other.cards) < len(module.cards):
                found.append(Diagnostic(other.source, 1, f"this module has {_cards(len(other.cards))} and the one it "
                                        f"translates, {module.source}, has {_cards(len(module.cards))}: is a card "
                                        "left untranslated?", "warning"))
    return found


def _cards(n: int) -> str:
    return f"{n} card" if n == 1 else f"{n} cards"
