"""The built-in theme's pages as written to disk: weight budget, no third-party requests, no dead
controls without JavaScript, the print page, search markers, widget scripts only where used."""
from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coursegen import BuildOptions, build

_spec = importlib.util.spec_from_file_location("learner_site", Path(__file__).parent / "browser" / "learner_site.py")
learner_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(learner_site)
build_learner_site = learner_site.build_learner_site

BUDGET = 100 * 1024  # a page's own HTML + CSS + JS, uncompressed


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("theme")
    return build_learner_site(root / "project", root / "site")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_weight(site: Path, page: Path) -> int:
    """Bytes of the page plus its stylesheets and scripts, without widgets and the search index."""
    doc = soup(page)
    urls = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
    urls += [script["src"] for script in doc.find_all("script", src=True)]
    own = [u for u in urls if "/widgets/" not in u and "/pagefind/" not in u]
    return page.stat().st_size + sum((site / u.lstrip("/")).stat().st_size for u in own)


def test_every_page_stays_within_the_weight_budget(site):
    weights = {p.relative_to(site).as_posix(): page_weight(site, p) for p in html_pages(site)}
    assert len(weights) == 9  # home, course, three modules, print, the instructor view and its print variant, 404
    heavy = {path: size for path, size in weights.items() if size > BUDGET}
    assert heavy == {}


def test_flagship_pages_stay_within_the_weight_budget(tmp_path):
    """The real course: every page but the print pages, which hold the whole course by design."""
    out = tmp_path / "flagship"
    report = build(Path(__file__).resolve().parents[1], BuildOptions(out=out, cache=False))
    assert report.ok, [d.format() for d in report.errors]
    weights = {p.relative_to(out).as_posix(): page_weight(out, p) for p in html_pages(out)
               if not {"print", "instructor-print"} & set(p.parts)}
    assert len(weights) >= 7
    assert {path: size for path, size in weights.items() if size > BUDGET} == {}


def test_pages_request_nothing_from_other_sites(site):
    for page in html_pages(site):
        doc = soup(page)
        loaded = [t.get("src") for t in doc.find_all(["script", "img", "iframe", "source"])]
        loaded += [t.get("href") for t in doc.find_all("link") if t.get("rel") != ["canonical"]]
        assert [u for u in loaded if u and u.startswith(("http:", "https:", "//"))] == [], page


def test_controls_that_need_javascript_are_hidden_in_the_html(site):
    doc = soup(site / "mechanics/motion/index.html")
    for selector in ("[data-search]", ".cg-card-foot", ".cg-module-done", ".cg-quiz-actions", ".cg-key-hint"):
        elements = doc.select(selector)
        assert elements, selector
        assert all(e.has_attr("hidden") for e in elements), selector
    assert doc.select_one("[data-theme-toggle]").has_attr("hidden")
    course = soup(site / "mechanics/index.html")
    assert course.select_one("[data-course-progress]").has_attr("hidden")


def test_module_page_has_a_card_table_breadcrumbs_and_pager(site):
    doc = soup(site / "mechanics/energy/index.html")
    toc = [a["href"] for a in doc.select("nav.cg-toc a")]
    assert toc == ["#kinetic-energy", "#potential-energy"]
    assert [a.get_text() for a in doc.select(".cg-breadcrumbs a")] == ["Home", "Mechanics", "Energy"]
    assert doc.select_one('.cg-pager a[rel="prev"]')["href"] == "/mechanics/motion/"
    assert doc.select_one('.cg-pager a[rel="next"]')["href"] == "/mechanics/waves/"


def test_print_page_holds_the_whole_course_with_unique_ids(site):
    doc = soup(site / "mechanics/print/index.html")
    titles = [h.get_text() for h in doc.select(".cg-print-module > header h2")]
    assert titles == ["Motion", "Energy", "Waves"]
    assert len(doc.select(".cg-print-module .cg-card")) == 7
    ids = Counter(tag["id"] for tag in doc.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    for label in doc.find_all("label", attrs={"for": True}):
        assert doc.find(id=label["for"]) is not None
    assert doc.find("script", type="module") is None  # widgets show their static fallback
    assert "Each collision adds one" in doc.get_text()
    course = soup(site / "mechanics/index.html")
    assert course.find("a", href="/mechanics/print/") is not None


def test_print_page_is_not_in_the_sitemap_or_the_search_index(site):
    assert "/print/" not in (site / "sitemap.xml").read_text()
    assert not soup(site / "mechanics/print/index.html").select("[data-pagefind-body]")


def test_only_course_and_module_pages_are_indexed_for_search(site):
    marked = {p.relative_to(site).as_posix() for p in html_pages(site) if soup(p).select("[data-pagefind-body]")}
    assert marked == {"mechanics/index.html", "mechanics/motion/index.html", "mechanics/energy/index.html",
                      "mechanics/waves/index.html"}
    module = soup(site / "mechanics/motion/index.html")
    for selector in (".cg-breadcrumbs", ".cg-toc", ".cg-pager", ".cg-card-foot", ".cg-key-hint", ".cg-eyebrow"):
        assert module.select_one(selector).has_attr("data-pagefind-ignore"), selector


def test_widget_script_is_loaded_only_on_pages_that_use_it(site):
    def loads_counter(rel: str) -> bool:
        return "widgets/counter." in (site / rel).read_text(encoding="utf-8")

    assert loads_counter("mechanics/motion/index.html")
    assert not loads_counter("mechanics/energy/index.html")
    assert not loads_counter("index.html")


def test_code_stylesheet_is_linked_only_on_pages_with_highlighted_code(tmp_path):
    project = learner_site.write_learner_site(tmp_path / "project")
    (project / "content/mechanics/02-energy.md").write_text(
        learner_site.ENERGY + "\n```python\nenergy = 0.5 * m * v ** 2\n```\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(project, BuildOptions(out=out)).ok

    def links_code_css(rel: str) -> bool:
        return bool(soup(out / rel).select('link[rel=stylesheet][href*="/pygments."]'))

    assert links_code_css("mechanics/energy/index.html")
    assert links_code_css("mechanics/print/index.html")
    assert not links_code_css("mechanics/motion/index.html")
    assert not links_code_css("mechanics/index.html")
    assert not links_code_css("index.html")



def test_code_stylesheet_does_not_block_the_print_pages_first_paint(tmp_path):
    project = learner_site.write_learner_site(tmp_path / "project")
    (project / "content/mechanics/02-energy.md").write_text(
        learner_site.ENERGY + "\n```python\nenergy = 0.5 * m * v ** 2\n```\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(project, BuildOptions(out=out)).ok
    head = soup(out / "mechanics/print/index.html").head
    [late] = [link for link in head.select('link[rel=stylesheet][href*="/pygments."]') if link.parent.name == "head"]
    assert late["media"] == "print" and late["onload"] == "this.media='all'"  # loaded, then applied to the screen
    assert head.select_one('noscript link[rel=stylesheet][href*="/pygments."]')["href"] == late["href"]
    module = soup(out / "mechanics/energy/index.html").head.select_one('link[href*="/pygments."]')
    assert not module.get("media")  # a module page with code shows it coloured from the first paint
