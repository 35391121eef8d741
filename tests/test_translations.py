"""Courses that translate each other (course.yaml `translation_of`): reciprocal hreflang alternates on course
and module pages with x-default, the sitemap's xhtml:link alternates, the language switcher, and the errors."""
from __future__ import annotations

import json
import re

import pytest
from helpers import REPO, CourseProject
from polyglot_site import MODULE, SITE, polyglot

COURSES = {"en": "intro/", "fr": "intro-fr/", "ar": "arabi/"}
FIRST = {"en": "intro/what-is-a-token/", "fr": "intro-fr/quest-ce-qu-un-jeton/", "ar": "arabi/what-is-a-token/"}


def _alternates(project: CourseProject, url: str) -> dict[str, str]:
    return {link["hreflang"]: link["href"]
            for link in project.html(f"{url}index.html").find_all("link", rel="alternate", hreflang=True)}


@pytest.mark.parametrize("group", [COURSES, FIRST], ids=["course pages", "module pages"])
def test_every_page_of_a_group_links_every_other_and_back(project, group):
    report = polyglot(project).build(search=False)
    assert report.ok, report.diagnostics
    expected = {lang: f"https://example.org/learn/{url}" for lang, url in group.items()}
    expected["x-default"] = expected["en"]  # the course the others translate
    for url in group.values():
        assert _alternates(project, url) == expected, url


def test_a_module_missing_from_a_translation_gets_no_alternate_there_and_the_switcher_says_so(project):
    polyglot(project).build(search=False)
    assert _alternates(project, "intro/counting/") == {
        "en": "https://example.org/learn/intro/counting/", "ar": "https://example.org/learn/arabi/counting/",
        "x-default": "https://example.org/learn/intro/counting/"}
    french = project.html("intro/counting/index.html").select_one("nav.cg-languages a[hreflang=fr]")
    assert french["href"] == "/learn/intro-fr/"  # its course page, not a 404
    assert "not translated" in french.get_text()


def test_the_switcher_names_each_language_in_itself_and_marks_the_page(project):
    polyglot(project).build(search=False)
    nav = project.html("arabi/what-is-a-token/index.html").select_one("nav.cg-languages")
    assert nav["aria-label"] == "اللغات"  # in the page's language
    links = [(a["hreflang"], a["lang"], a.get_text(strip=True), a["href"], a.get("aria-current"))
             for a in nav.find_all("a")]
    assert links == [("en", "en", "English", "/learn/intro/what-is-a-token/", None),
                     ("fr", "fr", "Français", "/learn/intro-fr/quest-ce-qu-un-jeton/", None),
                     ("ar", "ar", "العربية", "/learn/arabi/what-is-a-token/", "true")]


def test_pages_outside_a_group_have_no_switcher_or_alternates(demo):
    demo.build(search=False)
    page = demo.html("demo/first/index.html")
    assert page.select("nav.cg-languages") == [] and page.find_all("link", hreflang=True) == []


def test_the_sitemap_lists_alternates_with_a_full_base_url(project):
    polyglot(project).build(search=False)
    sitemap = (project.out / "sitemap.xml").read_text(encoding="utf-8")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    entry = re.search(r"<url><loc>https://example.org/learn/arabi/what-is-a-token/</loc>.*?</url>", sitemap)[0]
    assert re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry) == [
        ("en", "https://example.org/learn/intro/what-is-a-token/"),
        ("fr", "https://example.org/learn/intro-fr/quest-ce-qu-un-jeton/"),
        ("ar", "https://example.org/learn/arabi/what-is-a-token/"),
        ("x-default", "https://example.org/learn/intro/what-is-a-token/")]


def test_with_a_path_base_the_sitemap_has_no_alternates_and_the_page_links_by_path(project):
    report = polyglot(project, base="/learn/").build(search=False)
    assert report.ok, report.diagnostics
    assert "xhtml:link" not in (project.out / "sitemap.xml").read_text(encoding="utf-8")
    assert _alternates(project, "intro-fr/")["en"] == "/learn/intro/"


def _errors(report) -> list[str]:
    return [d.format() for d in report.diagnostics if d.severity == "error"]


@pytest.mark.parametrize(("fr_extra", "expected"), [
    ("translation_of: intor\n", ("content/intro-fr/course.yaml:5: error: 'translation_of' names course 'intor', "
                                "which does not exist; did you mean 'intro'?")),
    ("translation_of: intro-fr\n", ("content/intro-fr/course.yaml:5: error: course 'intro-fr' names itself in "
                                   "'translation_of'; name the course it translates")),
])
def test_a_wrong_translation_of_is_an_error_at_its_line(project, fr_extra, expected):
    report = polyglot(project, fr_extra=fr_extra, module_extra="").build(search=False)
    assert _errors(report) == [expected]


def test_two_courses_of_one_language_in_a_group_is_an_error(project):
    polyglot(project).write("content/arabi/course.yaml", "title: Tokens again\ntagline: Again.\ndescription: Again.\n"
                                                         "translation_of: intro-fr\n")
    report = project.build(search=False)
    assert _errors(report) == [
        ("content/arabi/course.yaml:4: error: courses 'intro' and 'arabi' are translations of each other but both "
        "are in language 'en'; set 'language' in the translation's course.yaml, or remove its 'translation_of'")]


def test_a_course_listed_nowhere_cannot_be_translated(project):
    polyglot(project).write("content/site.yaml", SITE.format(base="/").replace(", intro,", ",").replace("[intro, ", "["))
    report = project.build(search=False)
    assert "content/intro-fr/course.yaml:5: error: 'translation_of' names course 'intro', which is not listed in " \
           "site.yaml 'courses'; add it there" in _errors(report)


def test_a_module_s_translation_of_must_name_a_module_of_the_translated_course(project):
    report = polyglot(project, module_extra="translation_of: 01-what-is-a-tokn.md\n").build(search=False)
    assert _errors(report) == [
        ("content/intro-fr/01-quest-ce-qu-un-jeton.md:6: error: 'translation_of' names '01-what-is-a-tokn.md', which "
        "is not a module of course 'intro'; did you mean '01-what-is-a-token.md'?")]


def test_a_module_s_translation_of_needs_a_translated_course(project):
    report = polyglot(project, fr_extra="").build(search=False)
    assert _errors(report) == [
        ("content/intro-fr/01-quest-ce-qu-un-jeton.md:6: error: 'translation_of' in a module needs its course to be "
        "a translation: add 'translation_of: COURSE' to its course.yaml")]


def test_a_translation_of_a_translation_joins_the_group_and_matches_modules_up_the_chain(project):
    """Three languages, the Arabic translating the French: its module named after the French file still
    finds the English original."""
    polyglot(project).write("content/arabi/course.yaml", "title: شرح\ntagline: كيف.\ndescription: الرموز.\n"
                                                         "language: ar\ntranslation_of: intro-fr\n")
    project.remove("content/arabi/01-what-is-a-token.md").write(
        "content/arabi/01-ma-huwa.md",
        MODULE.format(title="ما هو الرمز", extra="translation_of: 01-quest-ce-qu-un-jeton.md\n", body="نص."))
    report = project.build(search=False)
    assert report.ok, report.diagnostics
    assert _alternates(project, "intro/what-is-a-token/")["ar"] == "https://example.org/learn/arabi/ma-huwa/"
    assert _alternates(project, "arabi/ma-huwa/")["x-default"] == "https://example.org/learn/intro/what-is-a-token/"


def _ld(project: CourseProject, url: str, kind: str) -> dict:
    scripts = project.html(f"{url}index.html").find_all("script", type="application/ld+json")
    return next(data for data in (json.loads(s.string) for s in scripts) if data["@type"] == kind)


def test_structured_data_links_the_original_and_its_translations(project):
    polyglot(project).build(search=False)
    original = _ld(project, "intro/", "Course")
    assert [(t["@id"], t["inLanguage"]) for t in original["workTranslation"]] == [
        ("https://example.org/learn/intro-fr/#course", "fr"), ("https://example.org/learn/arabi/#course", "ar")]
    assert _ld(project, "arabi/", "Course")["translationOfWork"]["@id"] == "https://example.org/learn/intro/#course"
    module = _ld(project, "intro-fr/quest-ce-qu-un-jeton/", "LearningResource")
    assert module["inLanguage"] == "fr"
    assert module["translationOfWork"] == {"@type": "LearningResource", "inLanguage": "en",
                                           "url": "https://example.org/learn/intro/what-is-a-token/"}
    assert [t["url"] for t in _ld(project, "intro/counting/", "LearningResource")["workTranslation"]] == [
        "https://example.org/learn/arabi/counting/"]  # no French translation of this module


def test_check_reports_the_modules_and_cards_a_translation_lacks(project):
    polyglot(project).write("content/intro/01-what-is-a-token.md", MODULE.format(
        title="What is a token", extra="", body="Text.\n\n## A second card\n\nMore text."))
    warnings = [d.format() for d in project.check().diagnostics if "translat" in d.message]
    assert warnings == [
        ("content/intro-fr/01-quest-ce-qu-un-jeton.md:1: warning: this module has 1 card and the one it translates, "
        "content/intro/01-what-is-a-token.md, has 2 cards: is a card left untranslated?"),
        ("content/arabi/01-what-is-a-token.md:1: warning: this module has 1 card and the one it translates, "
        "content/intro/01-what-is-a-token.md, has 2 cards: is a card left untranslated?"),
        ("content/intro-fr/course.yaml:1: warning: this translation has no module translating "
        "content/intro/02-counting.md ('Counting tokens'); its language switcher links to the course page instead")]
    assert not [d for d in polyglot(project).build(search=False).diagnostics if "translat" in d.message]  # build: quiet


# --- the example of docs/languages.md, as an author would copy it ------------------------------------------

DOCS = (REPO / "docs" / "languages.md").read_text(encoding="utf-8")
ORIGINAL = "title: How LLMs Work\ntagline: What a language model does.\ndescription: The course.\n"


def _docs_yaml(first_line: str) -> str:
    """The body of the docs' yaml block that starts with the comment `first_line`."""
    return re.search(rf"```yaml\n{re.escape(first_line)}\n(.*?)```", DOCS, re.DOTALL)[1]


def _docs_project(project: CourseProject, course: str | None = None, module_file: str | None = None) -> CourseProject:
    module = _docs_yaml("# content/how-llms-work-fr/01-l-arc.md, front matter")
    return (project.write("content/site.yaml", "title: Academy\ndescription: Courses.\nbase_url: https://example.org/\n"
                                               "courses: [how-llms-work, how-llms-work-fr]\n")
            .write("content/how-llms-work/course.yaml", ORIGINAL)
            .write("content/how-llms-work/01-the-arc.md", MODULE.format(title="The arc", extra="", body="Text."))
            .write("content/how-llms-work-fr/course.yaml", course or _docs_yaml("# content/how-llms-work-fr/course.yaml"))
            .write("content/how-llms-work-fr/01-l-arc.md", f"---\n{module_file or module}---\n## L’arc\n\nTexte.\n"))


def test_the_docs_example_makes_a_translation_group(project):
    report = _docs_project(project).build(search=False)
    assert report.ok, report.diagnostics
    assert _alternates(project, "how-llms-work-fr/l-arc/") == {
        "en": "https://example.org/how-llms-work/the-arc/", "fr": "https://example.org/how-llms-work-fr/l-arc/",
        "x-default": "https://example.org/how-llms-work/the-arc/"}


def test_the_docs_show_the_errors_as_coursegen_writes_them(project):
    course = _docs_yaml("# content/how-llms-work-fr/course.yaml")
    module = _docs_yaml("# content/how-llms-work-fr/01-l-arc.md, front matter")
    mistakes = [(course.replace("translation_of: how-llms-work", "translation_of: how-llms-wrk"), None),
                (course.replace("translation_of: how-llms-work", "translation_of: how-llms-work-fr"), None),
                (course.replace("language: fr", "language: en"), None),
                (None, module.replace("01-the-arc.md", "01-the-ark.md"))]
    for course_text, module_text in mistakes:
        errors = _errors(_docs_project(project, course_text, module_text).build(search=False))
        assert len(errors) == 1 and errors[0] in DOCS, errors


def test_the_print_and_instructor_views_switch_to_the_same_view_of_each_translation(project):
    polyglot(project).build(search=False)
    for view in ("print", "instructor", "instructor-print"):
        nav = project.html(f"intro-fr/{view}/index.html").select_one("nav.cg-languages")
        links = {a["hreflang"]: a["href"] for a in nav.find_all("a")}
        assert links == {"en": f"/learn/intro/{view}/", "fr": f"/learn/intro-fr/{view}/",
                         "ar": f"/learn/arabi/{view}/"}, view
