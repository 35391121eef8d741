"""Theme text in the site's language: catalogs complete, no English left on a French or Arabic site,
plural forms, a project's overrides, the fallback for a language without a catalog, a course's own language."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from bs4 import BeautifulSoup, NavigableString
from helpers import REPO, CourseProject

from coursegen.i18n import read_catalog, shipped_languages
from coursegen.templates import THEME

REQUIRED = {"en", "fr", "de", "es", "pt", "ar", "zh"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(catalog) -> dict[str, object]:
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}


def test_every_required_language_is_shipped():
    assert REQUIRED <= set(shipped_languages())


def test_the_catalogs_hold_exactly_the_messages_the_theme_uses():
    """What pybabel extracts from the templates and the code (babel.cfg) is what the English catalog lists:
    a message added to a template without scripts/i18n.sh fails here."""
    method_map = [("src/coursegen/**.py", "python"), ("src/coursegen/theme/templates/**.html", "jinja2")]
    options = {"src/coursegen/theme/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                                         "lstrip_blocks": "True"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "js_text": None, "js_plural": (1, 2)}
    used = {msg[2] if isinstance(msg[2], str) else msg[2][0]
            for msg in extract_from_dir(REPO, method_map, options, keywords=keywords)}
    assert used == set(_ids(read_catalog("en"))), "run scripts/i18n.sh and translate the new messages"


@pytest.mark.parametrize("language", sorted(REQUIRED - {"en"}))
def test_every_message_is_translated_with_its_placeholders(language):
    catalog = read_catalog(language)
    for key, message in _ids(catalog).items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{language}: untranslated {key!r}"
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), key
        allowed = set(PLACEHOLDER.findall(key if isinstance(message.id, str) else " ".join(message.id)))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) <= allowed | {"num"}, f"{language}: {s!r} names an unknown value"
            assert "fuzzy" not in message.flags


# --- no English outside _() in the theme ---------------------------------------------------------------------

JINJA = re.compile(r"{#.*?#}|{%\s*block \w+_attrs\s*%}.*?{%\s*endblock\s*%}|{%-?\s*trans\b.*?endtrans\s*-?%}|{{.*?}}|{%.*?%}", re.DOTALL)
LETTERS = re.compile(r"[^\W\d_]{2,}")
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "aria-description", "value", "label")


def _untranslated(template: Path) -> list[str]:
    """Text a reader could see in a template once every Jinja tag is taken out: what is left is not from _()."""
    soup = BeautifulSoup(JINJA.sub(" ", template.read_text(encoding="utf-8")), "html.parser")
    for hidden in soup.find_all(["script", "style"]):
        hidden.decompose()
    found = [text.strip() for text in soup.find_all(string=True)
             if type(text) is NavigableString and LETTERS.search(text)]  # not the doctype or a comment
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{name}]={tag[name]!r}" for name in SHOWN_ATTRIBUTES
                  if isinstance(tag.get(name), str) and LETTERS.search(tag[name])]
    return found


@pytest.mark.parametrize("template", sorted((THEME / "templates").rglob("*.html")), ids=lambda p: p.name)
def test_no_template_shows_text_outside_gettext(template):
    assert _untranslated(template) == []


def test_the_detector_finds_english_text(tmp_path):
    """The check above can fail: a heading or an aria-label written in English is found."""
    page = tmp_path / "x.html"
    page.write_text('<h2>{{ _("Fine") }}</h2><p>Oops here</p><nav aria-label="Steps"></nav>')
    assert _untranslated(page) == ["Oops here", "nav[aria-label]='Steps'"]


def test_the_script_shows_no_english_of_its_own():
    """Every sentence the theme's JavaScript shows comes from the page's catalog (t() and tn())."""
    script = (THEME / "static" / "coursegen.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.split("\n") if not line.strip().startswith("//"))
    literals = re.findall(r'"([^"\n]*)"|`([^`\n]*)`', code)
    sentences = [a or b for a, b in literals if re.match(r"[A-Z][a-z]+[ ,:!.]", a or b)]
    assert sentences == []


# --- built sites ---------------------------------------------------------------------------------------------

FRENCH_COURSE = """\
title: Cours démo
tagline: Un cours pour tout essayer.
description: On apprend *tout*.
why: Parce que les tests trouvent les bogues.
next:
  - plus-tard
"""

FRENCH_MODULE = """\
---
title: Premiers pas
summary: Le tout premier pas.
goals:
  - Lire une fiche.
sources:
  - Une source, 2024.
---
Un paragraphe d'introduction.

## Première fiche

Du texte, puis une question.

```quiz
question: Combien font deux et deux ?
options:
  - text: Quatre
    correct: true
    feedback: Oui.
  - text: Cinq
```

::: note
Une remarque.
:::

::: reveal Que va-t-il se passer ?
Ceci.
:::

```quiz
question: Lesquels sont pairs ?
options:
  - text: Deux
    correct: true
  - text: Quatre
    correct: true
  - text: Trois
```
"""

SECOND_MODULE = """\
---
title: Deuxième étape
summary: La suite.
goals:
  - Finir.
---
## Dernière fiche

Fin.
"""


def multilingual(project: CourseProject, language: str, course_language: str | None = None) -> CourseProject:
    course = FRENCH_COURSE + (f"language: {course_language}\n" if course_language else "")
    return (project.write("content/site.yaml", f"title: Académie\ndescription: Des cours.\nlanguage: {language}\n"
                                               "base_url: https://example.org/\ncourses: [demo, plus-tard]\n")
            .write("content/demo/course.yaml", course)
            .write("content/plus-tard/course.yaml", "title: Plus tard\ntagline: Bientôt.\ndescription: Rien.\n"
                                                    "status: planned\n")
            .write("content/demo/01-premiers-pas.md", FRENCH_MODULE)
            .write("content/demo/02-suite.md", SECOND_MODULE))


PAGES = ("index.html", "demo/index.html", "demo/premiers-pas/index.html", "demo/suite/index.html",
         "demo/print/index.html", "404.html")


def theme_text(soup: BeautifulSoup) -> str:
    """All a reader meets: the text, the labels, and what the script will show."""
    parts = [soup.get_text(" ")]
    parts += [tag[name] for tag in soup.find_all(True) for name in SHOWN_ATTRIBUTES if isinstance(tag.get(name), str)]
    parts += [tag["content"] for tag in soup.find_all("meta") if tag.get("content")]
    messages = soup.find("script", id="cg-messages")
    if messages:
        for value in json.loads(messages.string).values():
            parts += [PLACEHOLDER.sub(" ", v) for v in (value.values() if isinstance(value, dict) else [value])]
    return "\n".join(parts)


def english_fragments(language: str) -> list[str]:
    """The English words of every message that `language` translates differently, cut at the placeholders."""
    catalog = read_catalog(language)
    translated = " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalog).lower()
    found = set()
    for message in _ids(catalog).values():
        for english in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for fragment in PLACEHOLDER.split(english)[::2]:
                fragment = fragment.strip(" .:“”")
                if len(fragment) >= 3 and fragment.lower() not in translated:  # 'Module' is German too
                    found.add(fragment)
    return sorted(found)


@pytest.mark.parametrize("language", ["fr", "ar", "de", "zh"])
def test_no_english_theme_text_on_any_page_type(project, language):
    report = multilingual(project, language).build(report=True)  # the author's report page too
    assert report.ok, report.diagnostics
    assert not [d for d in report.diagnostics if "catalog" in d.message]
    fragments = english_fragments(language)
    assert len(fragments) > 50
    for page in (*PAGES, "report/index.html"):
        text = theme_text(project.html(page))
        left = [f for f in fragments if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text)]
        assert left == [], f"{page}: English theme text on a {language} page"
        assert project.html(page).html["lang"] == language


def test_a_french_page_reads_in_french(project):
    multilingual(project, "fr").build()
    module = project.html("demo/premiers-pas/index.html")
    assert module.find("h2", id="goals-heading").get_text() == "Objectifs d’apprentissage"
    assert "Module 1 sur 2" in module.select_one(".cg-eyebrow").get_text()
    quiz = module.select("form.cg-quiz")
    assert quiz[0].select_one("button[type=submit]").get_text() == "Vérifier"
    assert quiz[0].select_one(".cg-quiz-hint").get_text() == "Une seule réponse."
    assert quiz[1].select_one(".cg-quiz-hint").get_text() == "Cochez toutes les bonnes réponses."
    assert module.select_one(".cg-callout-title").get_text() == "Remarque"
    assert module.select_one(".cg-reveal-label").get_text() == "Devinez, puis vérifiez"
    assert project.html("404.html").find("h1").get_text() == "Page introuvable"
    assert project.html("demo/print/index.html").title.get_text().startswith("Cours démo : le cours complet")


@pytest.mark.parametrize(("language", "two", "one"), [("fr", "2 modules", "1 module"), ("en", "2 modules", "1 module"),
                                                      ("ar", "وحدتان", "وحدة واحدة"), ("zh", "2 个模块", "1 个模块")])
def test_counts_take_the_language_s_plural_forms(project, language, two, one):
    multilingual(project, language).build()
    assert two in project.html("index.html").select_one("#course-demo .cg-meta").get_text()
    project.remove("content/demo/02-suite.md").build()
    assert one in project.html("index.html").select_one("#course-demo .cg-meta").get_text()


def test_the_script_gets_every_plural_category_of_the_language(project):
    multilingual(project, "ar").build()
    messages = json.loads(project.html("demo/index.html").find("script", id="cg-messages").string)
    assert set(messages["progress.course"]) == {"zero", "one", "two", "few", "many", "other"}
    assert messages["progress.course"]["two"] == "أُنجزت %(done)s من وحدتين."
    assert messages["quiz.right"] == "إجابة صحيحة!"
    multilingual(project, "zh").build()
    messages = json.loads(project.html("demo/index.html").find("script", id="cg-messages").string)
    assert set(messages["search.results"]) == {"other"}


def test_a_project_overrides_messages(project):
    multilingual(project, "fr").write("content/i18n/fr.yaml", (
        "Learning goals: Ce que vous saurez faire\n"
        "'%(num)s module':\n  - '%(num)s chapitre'\n  - '%(num)s de chapitres'\n  - '%(num)s chapitres'\n"))
    report = project.build()
    assert report.ok, report.diagnostics
    module = project.html("demo/premiers-pas/index.html")
    assert module.find("h2", id="goals-heading").get_text() == "Ce que vous saurez faire"
    assert "2 chapitres" in project.html("index.html").select_one("#course-demo .cg-meta").get_text()


def test_a_wrong_override_is_an_error_at_its_line(project):
    multilingual(project, "fr").write("content/i18n/fr.yaml", (
        "Learning goals: Objectifs\n"
        "Learning goal: Objectif\n"
        "'%(num)s module': '%(num)s chapitres'\n"
        "Sources: [a, b]\n"))
    report = project.build()
    errors = [(d.path, d.line, d.message) for d in report.errors]
    assert errors[0][:2] == ("content/i18n/fr.yaml", 2)
    assert "unknown message id 'Learning goal'; did you mean 'Learning goals'?" in errors[0][2]
    assert errors[1][:2] == ("content/i18n/fr.yaml", 3) and "3 plural forms as a list" in errors[1][2]
    assert errors[2][:2] == ("content/i18n/fr.yaml", 4) and "as text" in errors[2][2]
    assert len(errors) == 3


def test_a_language_without_a_catalog_falls_back_to_english_with_one_warning(project):
    report = multilingual(project, "it").build()
    assert report.ok
    warnings = [d for d in report.diagnostics if "no catalog" in d.message]
    assert len(warnings) == 1 and warnings[0].path == "content/site.yaml"
    assert "content/i18n/it.yaml" in warnings[0].message
    module = project.html("demo/premiers-pas/index.html")
    assert module.html["lang"] == "it"
    assert module.find("h2", id="goals-heading").get_text() == "Learning goals"
    project.write("content/i18n/it.yaml", "Learning goals: Obiettivi\n")
    report = project.build()
    assert not [d for d in report.diagnostics if "no catalog" in d.message]
    assert project.html("demo/premiers-pas/index.html").find("h2", id="goals-heading").get_text() == "Obiettivi"


def test_a_regional_tag_uses_its_language_s_catalog(project):
    report = multilingual(project, "pt-BR").build()
    assert not [d for d in report.diagnostics if "catalog" in d.message]
    page = project.html("demo/premiers-pas/index.html")
    assert page.html["lang"] == "pt-BR"
    assert page.find("h2", id="goals-heading").get_text() == "Objetivos de aprendizagem"


def test_a_course_in_its_own_language(project):
    """site.yaml says English, course.yaml French: the course's pages are French, the home page English with
    the course's card marked French."""
    multilingual(project, "en", course_language="fr").build()
    home = project.html("index.html")
    assert home.html["lang"] == "en" and home.find("h2", id="courses-heading").get_text() == "Courses"
    assert home.select_one("#course-demo")["lang"] == "fr"
    assert "2 modules" in home.select_one("#course-demo .cg-meta").get_text()
    module = project.html("demo/premiers-pas/index.html")
    assert module.html["lang"] == "fr"
    assert module.find("h2", id="goals-heading").get_text() == "Objectifs d’apprentissage"
    assert module.select_one(".cg-breadcrumbs a").get_text() == "Accueil"
    ld = [json.loads(s.string) for s in module.find_all("script", type="application/ld+json")]
    assert ld[0]["inLanguage"] == "fr" and ld[1]["itemListElement"][0]["name"] == "Accueil"
    assert module.find("meta", property="og:locale")["content"] == "fr_FR"


def test_a_bad_language_tag_is_an_error(project):
    report = multilingual(project, "en", course_language="French please").build()
    assert [(d.path, d.line) for d in report.errors] == [("content/demo/course.yaml", 7)]
    assert "language tag" in report.errors[0].message


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"),
                                                     ("fr", "ltr"), ("zh", "ltr")])
def test_right_to_left_languages_get_dir_rtl(project, language, direction):
    multilingual(project, language).build()
    for page in PAGES:
        assert project.html(page).html["dir"] == direction, page


def test_dates_are_written_in_the_page_s_language(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05
    multilingual(project, "fr").build()
    updated = project.html("demo/premiers-pas/index.html").select_one(".cg-updated")
    assert updated.get_text() == "Mis à jour le 5 décembre 2026" and updated.time["datetime"] == "2026-12-05"
