"""site.yaml's theme settings: the accent colour (and its computed contrast warnings), the logo, extra
stylesheets after the theme's, "Edit this page" links, and typed errors at the right line."""
from __future__ import annotations

import re

import pytest
from helpers import SITE_YAML, CourseProject, own

from coursegen.themeconfig import contrast

LOGO = "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'><rect width='120' height='40'/></svg>\n"


def _site(project: CourseProject, extra: str):
    project.demo().write("content/site.yaml", SITE_YAML + extra)
    return project.build()


def _site_problems(report) -> list[tuple[int, str, str]]:
    return sorted((d.line, d.severity, d.message) for d in report.diagnostics if d.path == "content/site.yaml"
                  and not d.message.startswith("base_url is a path"))


def test_contrast_is_computed_as_wcag_says():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#fff", "#fff") == pytest.approx(1)
    assert contrast("#767676", "white") == pytest.approx(4.54, abs=0.01)
    assert contrast("rgb(0 0 255)", "hsl(0 0% 100%)") == pytest.approx(8.59, abs=0.01)


def test_accent_logo_extra_css_and_edit_link(project: CourseProject):
    project.write("content/logo.svg", LOGO).write("static/brand.css", ".cg-brand { letter-spacing: 1px; }\n")
    report = _site(project, "theme:\n  accent: {light: '#0f766e', dark: '#5eead4'}\n  logo: logo.svg\n"
                            "  extra_css: [brand.css]\nedit_url: https://github.com/me/course/edit/main\n")
    assert report.ok and not own(report), own(report)
    page = project.html("demo/first/index.html")
    style = page.head.find("style").get_text()
    assert ":root{--cg-accent:#0f766e;--cg-accent-fg:#ffffff}" in style
    assert ':root[data-theme="dark"]{--cg-accent:#5eead4;--cg-accent-fg:#0b1220}' in style
    assert style.startswith("@media screen{")  # the print page stays black on white
    sheets = [link["href"] for link in page.head.select("link[rel=stylesheet]")]
    assert re.fullmatch(r"/static/coursegen\.\w{8}\.css", sheets[0])
    assert re.fullmatch(r"/static/brand\.\w{8}\.css", sheets[-1])  # after the theme's, hashed like the others
    assert (project.out / sheets[-1].lstrip("/")).read_text().startswith(".cg-brand{letter-spacing:1px}")  # minified
    logo = page.select_one(".cg-header a.cg-brand img.cg-logo")
    assert logo["alt"] == "Test Academy" and (logo["width"], logo["height"]) == ("120", "40")
    assert (project.out / logo["src"].lstrip("/")).read_text() == LOGO
    edit = page.select_one("main .cg-edit a")
    assert edit["href"] == "https://github.com/me/course/edit/main/content/demo/01-first.md"
    assert edit.get_text() == "Edit this page"
    assert project.html("demo/index.html").select_one(".cg-edit") is None  # module pages only
    assert project.html("index.html").select_one("img.cg-logo") is not None


def test_without_settings_nothing_is_added(project: CourseProject):
    assert project.demo().build().ok
    page = project.html("demo/first/index.html")
    assert page.head.find("style") is None and page.select_one(".cg-logo, .cg-edit") is None
    assert len(page.head.select("link[rel=stylesheet]")) == 1


def test_low_contrast_accents_warn_for_each_scheme(project: CourseProject):
    report = _site(project, "theme:\n  accent: '#facc15'\n")
    assert report.ok
    (line, severity, message), = _site_problems(report)
    assert (line, severity) == (7, "warning")
    assert message.startswith("'theme.accent' #facc15 has a contrast of 1.53:1 on the light background (#ffffff), "
                              "under the 4.5:1")
    dark = _site(project, "theme:\n  accent: '#1e3a8a'\n")
    (_, _, message), = _site_problems(dark)
    assert message.startswith("'theme.accent' #1e3a8a has a contrast of 1.78:1 on the dark background (#0f141b)")
    assert not project.build(strict=True).ok


def test_wrong_values_are_typed_errors_at_their_lines(project: CourseProject):
    report = _site(project, "theme:\n  acent: red\n  accent: {light: '#12', dark: 'rgb(0 0 0 / 50%)'}\n"
                            "  logo: ../secret.png\n  extra_css: [missing.css]\nedit_url: github.com/me\nthemes: x\n")
    assert not report.ok
    found = _site_problems(report)
    messages = [m for _, _, m in found]
    assert (7, "error", "unknown key 'acent' in site.yaml 'theme'; did you mean 'accent'?") in found
    assert (8, "error", "'theme.accent.light' is not a CSS colour like '#0f766e', 'rgb(15 118 110)' or 'teal'") in found
    assert any(m.startswith("'theme.accent.dark' must be opaque") for m in messages)
    assert (9, "error", "'theme.logo' must be a path inside content/, like 'images/logo.svg', not '../secret.png'") \
        in found
    assert any(line == 11 and m.startswith("'edit_url' must be an http(s) URL") for line, _, m in found)
    assert any(line == 12 and m.startswith("unknown key 'themes' in site.yaml; did you mean 'theme'?")
               for line, _, m in found)


def test_missing_files_are_errors_with_a_suggestion(project: CourseProject):
    project.write("static/brand.css", "a{}\n")
    report = _site(project, "theme:\n  logo: logo.svg\n  extra_css:\n    - brnd.css\n")
    assert _site_problems(report) == [
        (7, "error", "'theme.logo': content/logo.svg does not exist"),
        (9, "error", "'theme.extra_css': static/brnd.css does not exist; did you mean 'brand.css'?")]
