"""Search in real Chromium: the Pagefind index written by `coursegen build`, at the root and under a sub-path."""
from __future__ import annotations

import json
from pathlib import Path

from learner_site import build_learner_site
from playwright.sync_api import expect

import coursegen.publish.search


def search(page, query: str):
    page.keyboard.press("/")
    page.keyboard.type(query)
    results = page.locator(".cg-search-results a")
    expect(results.first).to_be_visible()
    return results


def test_search_finds_a_card_and_the_result_lands_on_it(learner, page, console_errors):
    page.goto(learner)
    results = search(page, "quasiperiodic")
    expect(results.first).to_contain_text("Kinetic Energy")
    expect(results.first).to_contain_text("Mechanics › Energy")
    expect(page.locator(".cg-search-status")).to_contain_text("for “quasiperiodic”")
    page.keyboard.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mechanics/energy/#kinetic-energy")
    expect(page.locator("#kinetic-energy")).to_be_in_viewport()
    assert console_errors == []


def test_enter_in_the_search_box_opens_the_first_result(learner, page):
    page.goto(learner + "mechanics/waves/")
    search(page, "quasiperiodic")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mechanics/energy/#kinetic-energy")


def test_search_results_leave_out_navigation_and_hints(learner, page):
    page.goto(learner)
    page.keyboard.press("/")
    page.keyboard.type("press")  # only the keyboard hint under the pager says "press"
    expect(page.locator(".cg-search-status")).to_have_text("No results for “press”.")


def test_search_says_when_nothing_matches_and_escape_closes(learner, page):
    page.goto(learner + "mechanics/")
    page.keyboard.press("/")
    page.keyboard.type("zzyzx")
    expect(page.locator(".cg-search-status")).to_have_text("No results for “zzyzx”.")
    page.keyboard.press("Escape")
    expect(page.locator(".cg-search-panel")).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search the courses")).to_be_focused()


def test_search_finds_courses_and_modules_too(learner, page):
    page.goto(learner)
    results = search(page, "oscillations")
    expect(results.first).to_contain_text("Waves")
    page.get_by_role("searchbox").fill("apples")
    expect(page.locator(".cg-search-results a").first).to_contain_text("Mechanics")


def test_search_works_under_a_base_url_sub_path(tmp_path: Path, page, serve_folder, console_errors):
    build_learner_site(tmp_path / "project", tmp_path / "www" / "courses", base_url="/courses/")
    root = serve_folder(tmp_path / "www")
    page.goto(root + "/courses/mechanics/")
    results = search(page, "quasiperiodic")
    assert results.first.get_attribute("href") == "/courses/mechanics/energy/#kinetic-energy"
    results.first.click()
    page.wait_for_url("**/courses/mechanics/energy/#kinetic-energy")
    expect(page.locator("h1")).to_have_text("Energy")
    assert console_errors == []


def test_search_results_fit_a_small_screen(learner, page):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(learner + "mechanics/")
    page.get_by_role("searchbox").click()
    page.keyboard.type("energy")
    page.locator(".cg-search-results a").first.wait_for()
    box = page.locator(".cg-search-panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_slash_hint_sits_inside_the_search_box_on_wide_screens_only(learner, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(learner)
    field = page.get_by_role("searchbox").bounding_box()
    hint = page.locator(".cg-search-key").bounding_box()
    assert field and hint
    assert field["x"] <= hint["x"] and hint["x"] + hint["width"] <= field["x"] + field["width"]
    assert field["y"] <= hint["y"] and hint["y"] + hint["height"] <= field["y"] + field["height"]
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.locator(".cg-search-key")).to_be_hidden()


def test_a_site_indexed_in_parts_finds_words_of_the_last_part_under_a_sub_path(
        tmp_path: Path, page, serve_folder, console_errors, monkeypatch):
    monkeypatch.setattr(coursegen.publish.search, "PART_PAGES", 1)  # one index per page: four parts to merge
    out = build_learner_site(tmp_path / "project", tmp_path / "www" / "courses", base_url="/courses/")
    parts = coursegen.publish.search.split_pages(out, coursegen.publish.search.html_pages(out))
    assert parts[-1] == ["mechanics/waves/index.html"]  # "matter" is only on the Waves page
    assert json.loads((out / "pagefind/parts.json").read_text())["parts"] == ["part-1/", "part-2/", "part-3/"]
    root = serve_folder(tmp_path / "www")
    page.goto(root + "/courses/mechanics/energy/")
    results = search(page, "matter")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("What a Wave Is")
    assert results.first.get_attribute("href") == "/courses/mechanics/waves/#what-a-wave-is"
    results.first.click()
    page.wait_for_url("**/courses/mechanics/waves/#what-a-wave-is")
    expect(page.locator("h1")).to_have_text("Waves")
    page.get_by_role("searchbox").fill("quasiperiodic")  # the first part still answers
    expect(page.locator(".cg-search-results a").first).to_contain_text("Kinetic Energy")
    assert console_errors == []


def test_after_an_edit_search_finds_the_new_words_once_and_not_the_old_ones(tmp_path: Path, page, serve_folder,
                                                                            monkeypatch, console_errors):
    monkeypatch.setattr(coursegen.publish.search, "PART_PAGES", 1)  # one part a page: the others come from the cache
    out = build_learner_site(tmp_path / "project", tmp_path / "www")
    energy = tmp_path / "project/content/mechanics/02-energy.md"
    energy.write_text(energy.read_text().replace("quasiperiodic", "hyperbolic"))
    report = coursegen.build(tmp_path / "project", coursegen.BuildOptions(out=out))
    assert report.ok
    page.goto(serve_folder(out) + "/")
    results = search(page, "hyperbolic")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Kinetic Energy")
    page.get_by_role("searchbox").fill("quasiperiodic")
    expect(page.locator(".cg-search-status")).to_have_text("No results for “quasiperiodic”.")
    page.get_by_role("searchbox").fill("energy")  # on the edited page and on unchanged parts
    expect(page.locator(".cg-search-status")).to_contain_text("for “energy”")
    hrefs = [link.get_attribute("href") for link in page.locator(".cg-search-results a").all()]
    assert hrefs and len(hrefs) == len(set(hrefs))  # each page once
    assert console_errors == []
