"""Template errors name the template file and line, for errors while rendering (a misspelt variable under
StrictUndefined) as for syntax errors; and a page template can override every block of the theme's skeleton,
`extra_head` included."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CourseProject, tree
from jinja2 import TemplateError

from coursegen.diagnostics import Diagnostic
from coursegen.templates import make_environment, template_diagnostic

MODULE_PAGES = {"demo/first/index.html", "demo/second/index.html"}
EXTRA = '<meta name="x-extra-head" content="EXTRA-HEAD-TEST">'


def errors(project: CourseProject) -> list[tuple[str, int, str]]:
    report = project.build(search=False)
    assert not report.ok
    return [(d.path, d.line, d.message) for d in report.errors]


# --- through a build --------------------------------------------------------------------------------------


def test_a_misspelt_variable_names_the_project_template_and_line(demo: CourseProject) -> None:
    demo.write("templates/module.html", '{% extends "theme/module.html" %}\n'
                                        "{% block main %}<p>{{ module.no_such_field }}</p>{% endblock %}\n")
    found = errors(demo)
    assert len(found) == 1, found
    path, line, message = found[0]
    assert (path, line) == ("templates/module.html", 2)
    assert message.startswith("template error: ") and "no_such_field" in message
    assert not demo.out.exists()  # a failed build writes nothing


def test_a_bad_attribute_in_an_included_partial_names_the_partial(demo: CourseProject) -> None:
    demo.write("templates/partials/footer.html", "<footer>\n  <p>{{ site.title }}</p>\n"
                                                 "  <p>{{ site.title.no_such_method() }}</p>\n</footer>\n")
    found = errors(demo)
    assert [(path, line) for path, line, _ in found] == [("templates/partials/footer.html", 3)]
    assert found[0][2].startswith("template error: ")


def test_a_syntax_error_in_a_page_template_names_its_file_and_line(demo: CourseProject) -> None:
    demo.write("templates/module.html", '{% extends "theme/module.html" %}\n'
                                        "{% block main %}\n"
                                        "{% for card in module.cards %}{{ card.title }\n"
                                        "{% endblock %}\n")
    found = errors(demo)
    assert [(path, line) for path, line, _ in found] == [("templates/module.html", 3)]
    assert found[0][2].startswith("template error: ")


def test_a_syntax_error_in_an_included_partial_names_its_file_and_line(demo: CourseProject) -> None:
    demo.write("templates/partials/footer.html", "<footer>\n<p>x</p>\n{% endif %}\n</footer>\n")
    found = errors(demo)
    assert [(path, line) for path, line, _ in found] == [("templates/partials/footer.html", 3)]
    assert "endif" in found[0][2]


def test_extra_head_from_a_page_template_is_in_every_module_page_head_and_nowhere_else(
        demo: CourseProject, tmp_path: Path) -> None:
    assert demo.build(search=False, out=tmp_path / "plain").ok
    plain = tree(tmp_path / "plain")
    demo.write("templates/module.html", '{% extends "theme/module.html" %}\n'
                                        f"{{% block extra_head %}}{EXTRA}{{% endblock %}}\n")
    report = demo.build(search=False)
    assert report.ok, [d.format() for d in report.diagnostics]
    built = tree(demo.out)
    assert set(built) == set(plain)
    pages = {rel for rel in built if rel.endswith(".html")}
    assert MODULE_PAGES < pages
    for rel in MODULE_PAGES:
        head = demo.html(rel).head
        assert head.find("meta", attrs={"name": "x-extra-head"}) is not None, rel
        assert head.find("link", rel="stylesheet") is not None  # the theme's head is still there
        assert built[rel].count(b"EXTRA-HEAD-TEST") == 1
    changed = {rel for rel in built if built[rel] != plain[rel]}
    offline = {"sw.js", "offline/demo.json"}  # which name the module pages' hashes (publish/offline.py)
    assert changed - offline == MODULE_PAGES  # other pages unchanged


@pytest.mark.parametrize(("block", "marker"), [
    ("head", '{{ super() }}<meta name="x-head" content="HEAD-BLOCK">'),
    ("header", '<div class="x-header">HEADER-BLOCK</div>'),
    ("main", '<p class="x-main">MAIN-BLOCK</p>{{ super() }}'),
    ("footer", '<div class="x-footer">FOOTER-BLOCK</div>'),
    ("scripts", '{{ super() }}<script>/* SCRIPTS-BLOCK */</script>'),
])
def test_a_page_template_overrides_each_block_of_the_skeleton(demo: CourseProject, block: str, marker: str) -> None:
    demo.write("templates/course.html", '{% extends "theme/course.html" %}\n'
                                        f"{{% block {block} %}}{marker}{{% endblock %}}\n")
    report = demo.build(search=False)
    assert report.ok, [d.format() for d in report.diagnostics]
    text = (demo.out / "demo/index.html").read_text(encoding="utf-8")
    word = f"{block.upper()}-BLOCK"
    assert text.count(word) == 1
    assert word not in (demo.out / "demo/first/index.html").read_text(encoding="utf-8")
    if "super()" in marker:  # the theme's own part of the block is kept
        assert {"head": 'name="generator"', "main": "cg-module-list", "scripts": 'src="/static/coursegen.'}[block] in text


# --- template_diagnostic on an environment ----------------------------------------------------------------


def diagnostic_of(project: Path, name: str, **context: object) -> Diagnostic:
    env = make_environment(project)
    with pytest.raises(TemplateError) as caught:
        env.get_template(name).render(**context)
    return template_diagnostic(project, caught.value)


def test_the_innermost_template_frame_is_the_place(tmp_path: Path) -> None:
    (tmp_path / "templates/partials").mkdir(parents=True)
    (tmp_path / "templates/page.html").write_text('<p>\n{% include "partials/bit.html" %}\n</p>\n')
    (tmp_path / "templates/partials/bit.html").write_text("one\ntwo\n{{ thing.missing }}\n")
    found = diagnostic_of(tmp_path, "page.html", thing={})
    assert (found.path, found.line, found.severity) == ("templates/partials/bit.html", 3, "error")
    assert found.message == "template error: 'dict object' has no attribute 'missing'"


def test_an_undefined_variable_in_a_project_template(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text("<p>fine</p>\n<p>{{ no_such_variable }}</p>\n")
    found = diagnostic_of(tmp_path, "page.html")
    assert (found.path, found.line) == ("templates/page.html", 2)
    assert found.message == "template error: 'no_such_variable' is undefined"


def test_an_error_in_a_built_in_template_is_named_under_theme_templates(tmp_path: Path) -> None:
    found = diagnostic_of(tmp_path, "theme/partials/goals.html")  # rendered without its `goals`
    assert (found.path, found.line) == ("theme/templates/partials/goals.html", 2)
    assert found.message == "template error: 'goals' is undefined"


def test_a_project_template_that_extends_the_theme_is_named_where_the_error_is(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/goals.html").write_text('{% extends "theme/partials/goals.html" %}\n')
    assert diagnostic_of(tmp_path, "goals.html").path == "theme/templates/partials/goals.html"
    (tmp_path / "templates/page.html").write_text("{% set goals = [] %}\n{{ goals.first.missing }}\n")
    assert (diagnostic_of(tmp_path, "page.html").path, diagnostic_of(tmp_path, "page.html").line) == \
        ("templates/page.html", 2)


def test_a_syntax_error_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text("<p>\n\n{% if x %}\n<p>never closed</p>\n")
    env = make_environment(tmp_path)
    with pytest.raises(TemplateError) as caught:
        env.get_template("page.html")
    found = template_diagnostic(tmp_path, caught.value)
    assert (found.path, found.line) == ("templates/page.html", 4)
    assert found.message.startswith("template error: Unexpected end of template")


def test_a_missing_include_is_placed_at_the_include(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text('<p>\n{% include "partials/nowhere.html" %}\n')
    found = diagnostic_of(tmp_path, "page.html")
    assert (found.path, found.line) == ("templates/page.html", 2)
    assert "partials/nowhere.html" in found.message


def test_an_error_from_no_template_file_is_reported_at_templates(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    with pytest.raises(TemplateError) as caught:
        env.from_string("{{ nothing.here }}").render()
    found = template_diagnostic(tmp_path, caught.value)
    assert (found.path, found.line) == ("templates", 1)
    assert found.message == "template error: 'nothing' is undefined"
