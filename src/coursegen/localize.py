"""The model in each course's language: the theme's catalogs for the languages a site uses, and the labels
of interactive blocks (made while parsing, before the language is known) in their course's language."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostics
from .i18n import Messages, Translator, load_messages
from .model import Course, Module, Site


def site_messages(project: Path, site: Site, diags: Diagnostics) -> Messages:
    """The translator of the site's language and of every course's."""
    where = {course.language: (course.source, 1) for course in site.courses}
    where[site.language] = ("content/site.yaml", 1)
    return load_messages(project, where, diags, where)


def localize(site: Site, messages: Messages) -> Site:
    """The site with every block label of a course in that course's language."""
    return replace(site, courses=tuple(_course(course, messages[course.language]) for course in site.courses))


def _course(course: Course, t: Translator) -> Course:
    return replace(course, description_html=t.fill(course.description_html),
                   why_html=t.fill(course.why_html) if course.why_html else None,
                   modules=tuple(_module(module, t) for module in course.modules))


def _module(module: Module, t: Translator) -> Module:
    return replace(module, intro_html=t.fill(module.intro_html),
                   cards=tuple(replace(card, html=t.fill(card.html)) for card in module.cards))
