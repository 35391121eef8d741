"""Nothing on the flagship's pages moves once painted: the header has its final height before coursegen.js runs,
and every picture's box is reserved before the picture arrives."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
COURSE = "how-llms-work"


@pytest.fixture(scope="module")
def flagship(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flagship-layout") / "site"
    report = build(REPO, BuildOptions(out=out, cache=False))
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return out


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["", f"{COURSE}/the-arc/", "404.html"])
def test_header_has_its_final_height_before_the_script_runs(page, flagship, serve_folder, width, path):
    url = serve_folder(flagship) + "/" + path
    page.set_viewport_size({"width": width, "height": 800})
    page.route("**/static/coursegen.*.js", lambda route: route.abort())  # the first paint: no script yet
    page.goto(url)
    before = page.locator(".cg-header").bounding_box()["height"]
    assert page.locator(".cg-search").is_visible() and page.locator(".cg-theme-toggle").is_visible()
    page.unroute("**/static/coursegen.*.js")
    page.goto(url)
    page.wait_for_function("!document.querySelector('[data-search]').hidden")  # coursegen.js has run
    assert page.locator(".cg-header").bounding_box()["height"] == before


def test_without_javascript_the_header_shows_no_dead_controls(browser, flagship, serve_folder):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(serve_folder(flagship) + "/")
    assert not page.locator(".cg-search").is_visible() and not page.locator(".cg-theme-toggle").is_visible()
    context.close()


@pytest.mark.parametrize("path", [f"{COURSE}/print/", f"{COURSE}/the-arc/"])
def test_every_picture_has_its_box_before_it_loads(page, flagship, serve_folder, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.route("**/images/**", lambda route: None)  # the pictures never arrive: every one is still loading
    page.goto(serve_folder(flagship) + "/" + path, wait_until="domcontentloaded")
    boxes = page.eval_on_selector_all("main img", "els => els.map(e => [e.getAttribute('src'), e.clientWidth, "
                                      "e.clientHeight, e.getAttribute('width'), e.getAttribute('height')])")
    assert boxes
    for src, width, height, given_w, given_h in boxes:
        assert given_w and given_h, src
        assert width > 0 and abs(height - width * int(given_h) / int(given_w)) <= 1.5, (src, width, height)


@pytest.mark.parametrize("path", ["", f"{COURSE}/", f"{COURSE}/the-arc/", f"{COURSE}/print/", "404.html"])
def test_no_page_shifts_while_it_loads_and_scrolls(page, flagship, serve_folder, path):
    """The layout shift Chromium measures while a page loads on a phone and is scrolled to its end: none."""
    page.set_viewport_size({"width": 412, "height": 823})
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({type: "layout-shift", buffered: true});
    """)
    page.goto(serve_folder(flagship) + "/" + path)
    page.wait_for_load_state("load")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0


SHIFT_OBSERVER = """
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({type: "layout-shift", buffered: true});
"""
BOXES = """els => els.map(e => { const r = e.getBoundingClientRect();
    return [e.tagName + "." + e.classList[0], Math.round(r.top + scrollY), Math.round(r.height)]; })"""


@pytest.mark.parametrize("width", [375, 1280])
def test_a_returning_learners_course_page_is_laid_out_from_the_first_paint(page, flagship, serve_folder, width):
    """With progress stored, the course page's progress panel and every module's progress line have their final
    box before coursegen.js runs: the script fills them in and nothing moves (CLS 0)."""
    course = serve_folder(flagship) + f"/{COURSE}/"
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(course + "the-arc/")
    page.locator("[data-understood]").first.click()
    page.locator("[data-module-done]").click()
    watched = ".cg-course-progress, .cg-course-progress p, .cg-module-progress, .cg-module-entry, main > *"
    page.route("**/static/coursegen.*.js", lambda route: route.abort())  # the first paint: no script yet
    page.goto(course)
    first_paint = page.eval_on_selector_all(watched, BOXES)
    assert page.locator(".cg-course-progress").is_visible()
    page.unroute("**/static/coursegen.*.js")
    page.add_init_script(SHIFT_OBSERVER)
    page.goto(course)
    expect(page.locator(".cg-course-progress-summary")).to_have_text("1 of 5 modules done.")
    expect(page.locator("#module-the-arc [data-module-progress]")).to_contain_text("Done · 1 of")
    expect(page.locator("#module-two-files [data-module-progress]")).to_contain_text("0 of")
    assert page.eval_on_selector_all(watched, BOXES) == first_paint
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0


def test_a_first_visit_reserves_nothing(page, flagship, serve_folder):
    """Without stored progress the course page shows no empty progress boxes, with or without the script."""
    page.goto(serve_folder(flagship) + f"/{COURSE}/")
    page.wait_for_function("document.querySelector('[data-search]') && !document.querySelector('[data-search]').hidden")
    assert page.locator(".cg-course-progress").is_hidden()
    assert page.locator(".cg-module-progress").evaluate_all("els => els.every(e => !e.offsetHeight)")
