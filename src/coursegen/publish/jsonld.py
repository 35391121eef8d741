"""schema.org JSON-LD objects: Course, LearningResource, ItemList of courses, BreadcrumbList."""
from __future__ import annotations

import re
from typing import Any

from ..model import Alternate, Course, Module, Site

CONTEXT = "https://schema.org"
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+")


def plain(text: str) -> str:
    """Inline Markdown (links, emphasis, code) to plain text with folded whitespace."""
    # every match of _INLINE_MARKUP holds one of these; most summaries and goals have none: skip the scan
    if "[" in text or "*" in text or "_" in text or "`" in text:
        text = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def iso_duration(minutes: int) -> str:
    """Minutes as an ISO 8601 duration: 87 -> 'PT1H27M'."""
    hours, rest = divmod(max(minutes, 0), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _optional(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data.update({key: value for key, value in extra.items() if value not in (None, "", [], ())})
    return data


def provider(site: Site) -> dict[str, Any]:
    """The publisher: site.yaml `organization`, else the site itself."""
    return {"@type": "Organization", "name": site.organization or site.title,
            "url": site.absolute(site.url(""))}


def breadcrumbs(site: Site, course: Course | None, module: Module | None, home: str) -> dict[str, Any]:
    """The page's trail, starting at the home page named `home` (in the page's language)."""
    trail = [(home, site.url(""))]
    if course:
        trail.append((course.title, course.url))
    if module:
        trail.append((module.title, module.url))
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": name, "item": site.absolute(url)}
        for n, (name, url) in enumerate(trail, 1)]}


def course_list(site: Site, name: str) -> dict[str, Any]:
    """The home page's list of courses (Google's course list summary page), called `name`."""
    return {"@context": CONTEXT, "@type": "ItemList", "name": name,
            "itemListElement": [{"@type": "ListItem", "position": n, "url": site.absolute(c.url),
                                 "name": c.title} for n, c in enumerate(site.published_courses, 1)]}


def _course_ref(site: Site, course: Course) -> dict[str, Any]:
    return {"@type": "Course", "name": course.title, "url": site.absolute(course.url)}


def prerequisites(site: Site, course: Course) -> list[dict[str, Any]]:
    """Published courses whose `next:` leads to this one."""
    return [_course_ref(site, c) for c in site.published_courses
            if c.slug != course.slug and any(link.url == course.url for link in c.next)]


def translations(site: Site, alternates: tuple[Alternate, ...], kind: str) -> dict[str, Any]:
    """schema.org's links between a work and its translations: the original lists its `workTranslation`s, a
    translation names its `translationOfWork`; each a `kind` ('Course', 'LearningResource') with its URL."""
    current = next((a for a in alternates if a.current), None)
    original = next((a for a in alternates if a.original and not a.missing), None)
    if current is None or original is None:
        return {}

    def ref(alternate: Alternate) -> dict[str, Any]:
        url = site.absolute(alternate.url)
        return {"@type": kind, **({"@id": url + "#course"} if kind == "Course" else {}), "url": url,
                "inLanguage": alternate.language}

    if current.original:
        return {"workTranslation": [ref(a) for a in alternates if not a.current and not a.missing]}
    return {"translationOfWork": ref(original)}


def course_ld(site: Site, course: Course, image: str | None, date: str | None) -> dict[str, Any]:
    """A Course with every field Google's course info result requires, plus teaches/hasPart/prerequisites."""
    data: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Course", "@id": site.absolute(course.url) + "#course",
        "name": course.title, "description": plain(f"{course.tagline} {course.description_text}"),
        "url": site.absolute(course.url), "inLanguage": course.language, "provider": provider(site),
        "offers": [{"@type": "Offer", "category": site.offer_category}],
        "hasCourseInstance": [{"@type": "CourseInstance", "courseMode": "Online",
                               "courseWorkload": iso_duration(course.minutes)}],
        "isAccessibleForFree": site.offer_category == "Free",
    }
    return _optional(
        data, educationalLevel=course.level, timeRequired=iso_duration(course.minutes),
        teaches=[plain(goal) for m in course.modules for goal in m.goals],
        hasPart=[{"@type": "LearningResource", "name": m.title, "url": site.absolute(m.url),
                  "position": m.position} for m in course.modules],
        coursePrerequisites=prerequisites(site, course), image=image, dateModified=date,
        **translations(site, course.alternates, "Course"))


def module_ld(site: Site, course: Course, module: Module, image: str | None, date: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": CONTEXT, "@type": "LearningResource", "name": module.title,
        "description": plain(module.summary), "url": site.absolute(module.url),
        "inLanguage": course.language, "learningResourceType": "module",
        "timeRequired": iso_duration(module.minutes), "position": module.position,
        "teaches": [plain(goal) for goal in module.goals],
        "isPartOf": {**_course_ref(site, course), "@id": site.absolute(course.url) + "#course"},
        "provider": provider(site), "isAccessibleForFree": site.offer_category == "Free",
    }
    return _optional(data, educationalLevel=course.level, image=image, dateModified=date,
                     **translations(site, module.alternates, "LearningResource"))
