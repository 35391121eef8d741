"""The course model: frozen dataclasses that templates read. Pure data: no I/O, no Markdown."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Alternate:
    """A page of a translation group in one of its languages: the page itself or its translation."""

    language: str  # BCP 47 tag of that course
    url: str  # the translated page; its course's page when `missing`
    current: bool = False  # the page that lists it
    missing: bool = False  # that course has no translation of this module
    original: bool = False  # in the course the others translate (the group's x-default)


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    title_html: str
    html: str
    preview: str
    url: str  # the module page URL with '#id'
    visual: str | None = None  # URL of the card's picture
    alt: str | None = None
    visual_size: tuple[int, int] | None = None  # the picture's width and height in CSS pixels, when known
    goals: tuple[int, ...] = ()  # the module goals (1-based) the card teaches, as its front matter says


@dataclass(frozen=True)
class Check:
    """A quiz or reveal, and the module goals (1-based) it checks."""

    kind: str  # 'quiz' or 'reveal'
    goals: tuple[int, ...]
    label: str  # the question or prompt, as plain text
    url: str  # the quiz itself, or the card a reveal is in
    card_title: str  # '' in the module's intro
    answers: tuple[str, ...] = ()  # a quiz's right options, as plain text


@dataclass(frozen=True)
class InstructorNote:
    """A `::: instructor` block: shown on the course's instructor views only, at the end of its card."""

    card_id: str  # '' in the module's intro
    title: str  # '' for none
    html: str


@dataclass(frozen=True)
class GoalRow:
    """One goal of a module with what teaches and what checks it: a row of the alignment matrix."""

    number: int
    text: str
    taught_by: tuple[Card, ...]
    checked_by: tuple[Check, ...]


@dataclass(frozen=True)
class Module:
    slug: str
    number: int
    title: str
    summary: str
    goals: tuple[str, ...]
    goals_html: tuple[str, ...]
    minutes: int
    draft: bool
    intro_html: str
    cards: tuple[Card, ...]
    sources_html: tuple[str, ...]
    url: str
    source: str  # project-relative path of the Markdown file
    course_slug: str
    position: int  # 1-based place in its course
    previous: Link | None
    next: Link | None
    widgets: tuple[str, ...]  # names of the widgets the page uses
    word_count: int
    checks: tuple[Check, ...] = ()  # every quiz and reveal, in page order
    notes: tuple[InstructorNote, ...] = ()  # instructor notes, in page order (learner pages leave them out)
    alternates: tuple[Alternate, ...] = ()  # this module in each language of its course's translation group
    aliases: tuple[str, ...] = ()  # its old slugs: pages at those URLs redirect to it (front matter 'aliases')

    def notes_in(self, card_id: str) -> tuple[InstructorNote, ...]:
        """The instructor notes written in one card ('' for the intro)."""
        return tuple(note for note in self.notes if note.card_id == card_id)

    @property
    def goal_rows(self) -> tuple[GoalRow, ...]:
        """The module's alignment matrix: each goal, the cards that teach it, the checks that check it."""
        return tuple(GoalRow(n, goal, tuple(c for c in self.cards if n in c.goals),
                             tuple(c for c in self.checks if n in c.goals))
                     for n, goal in enumerate(self.goals, 1))

    @property
    def checked_goals(self) -> int:
        return sum(1 for row in self.goal_rows if row.checked_by)


@dataclass(frozen=True)
class TermUse:
    """A place that uses a glossary term: a card (or a module's intro, with card_title '')."""

    module_title: str
    card_title: str
    url: str


@dataclass(frozen=True)
class TermRef:
    """Another term of the same glossary: its name and its anchor on the glossary page."""

    name: str
    id: str


@dataclass(frozen=True)
class Term:
    """A glossary entry of a course, as its glossary page shows it."""

    id: str  # its anchor on the glossary page
    name: str
    aliases: tuple[str, ...]
    definition_html: str
    tip_html: str  # the definition as inline HTML without links: the tooltip of the term's first use in a module
    see: tuple[TermRef, ...]  # the other terms to read too
    used_in: tuple[TermUse, ...]  # every card that uses the term, in course order


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    tagline: str
    description_html: str
    description_text: str
    why_html: str | None
    level: str | None
    status: str
    next: tuple[Link, ...]
    modules: tuple[Module, ...]
    url: str
    source: str
    language: str = "en"  # BCP 47 tag of the course's pages
    dir: str = "ltr"  # 'rtl' for a right-to-left language
    mastery: float = 0.8  # course.yaml 'mastery': the quiz score that passes in an LMS (SCORM 2004)
    alternates: tuple[Alternate, ...] = ()  # the course in each language of its translation group (itself too)
    glossary: tuple[Term, ...] = ()  # glossary.yaml's terms, in alphabetical order

    @property
    def glossary_url(self) -> str | None:
        return f"{self.url}glossary/" if self.glossary else None

    @property
    def planned(self) -> bool:
        return self.status == "planned"

    @property
    def minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    @property
    def goal_count(self) -> int:
        return sum(len(module.goals) for module in self.modules)

    @property
    def checked_goals(self) -> int:
        return sum(module.checked_goals for module in self.modules)

    @property
    def moves(self) -> tuple[str, ...]:
        """'old:new' for each module alias: the page script moves progress saved under an old slug to the new."""
        return tuple(f"{old}:{m.slug}" for m in self.modules for old in m.aliases)

    @property
    def redirect_paths(self) -> frozenset[str]:
        """Site paths of the pages at the modules' old slugs, which are listed nowhere (offline copies, LMS)."""
        return frozenset(f"{self.slug}/{old}/index.html" for m in self.modules for old in m.aliases)

    @property
    def has_notes(self) -> bool:
        return any(module.notes for module in self.modules)


@dataclass(frozen=True)
class Logo:
    url: str
    size: tuple[int, int] | None  # width and height in CSS pixels, when known


@dataclass(frozen=True)
class SiteTheme:
    """site.yaml's look settings (themeconfig.py)."""

    accent_css: str = ""  # custom properties for the accent colour, '' for the theme's own
    logo: Logo | None = None
    extra_css: tuple[str, ...] = ()  # names of the project's stylesheets under static/, linked after the theme's
    edit_url: str | None = None  # a prefix ending with '/', to which a module's project path is added


@dataclass(frozen=True)
class Site:
    title: str
    description: str
    base_url: str  # as configured, always ending with '/'
    base_path: str  # the path part of base_url: '/', '/courses/'
    origin: str  # 'https://example.org' or '' for a bare path
    language: str
    organization: str | None
    preview_length: int
    courses: tuple[Course, ...]
    drafts: bool  # drafts are included in this build
    offer_category: str = "Free"  # schema.org Offer category of the courses
    theme: SiteTheme = SiteTheme()

    @property
    def published_courses(self) -> tuple[Course, ...]:
        return tuple(c for c in self.courses if not c.planned)

    @property
    def planned_courses(self) -> tuple[Course, ...]:
        return tuple(c for c in self.courses if c.planned)

    def url(self, path: str) -> str:
        """Site-relative path ('how-llms-work/') -> URL under the base path."""
        return self.base_path + path.lstrip("/")

    def edit_link(self, module: Module) -> str | None:
        """Where an author edits a module's file: site.yaml's edit_url and the file's path in the project."""
        return self.theme.edit_url + module.source if self.theme.edit_url else None

    def absolute(self, url: str) -> str:
        """A base-path URL -> an absolute URL when the origin is known, else unchanged."""
        return self.origin + url
