"""A renamed module in real Chromium: its old URL lands on its new page (with and without JavaScript, built and
under `coursegen serve`), and the progress a learner saved under the old slug shows on the renamed module."""
from __future__ import annotations

import json
import re

import pytest
from helpers import MODULE_ONE, MODULE_TWO, CourseProject
from playwright.sync_api import expect
from servehelp import Server, sandbox

RENAMED = MODULE_TWO.replace("goals:", "aliases: [second]\ngoals:")


def _rename(project: CourseProject) -> None:
    """02-second.md becomes 02-renamed.md, which lists its old slug; the link to it follows."""
    project.remove("content/demo/02-second.md").write("content/demo/02-renamed.md", RENAMED)
    project.write("content/demo/01-first.md", MODULE_ONE.replace("02-second.md", "02-renamed.md"))


@pytest.fixture
def built(demo: CourseProject) -> CourseProject:
    assert demo.build(search=False).ok
    return demo


def _progress(page) -> dict:
    return json.loads(page.evaluate("localStorage.getItem('cg-progress:/demo')"))


def test_progress_saved_under_the_old_slug_shows_on_the_renamed_module(built, page, serve_folder, console_errors):
    site = serve_folder(built.out)
    page.goto(f"{site}/demo/second/")
    page.locator("#second-card").get_by_role("button", name="I understand this card").click()
    page.get_by_role("button", name="Mark module as done").click()
    assert _progress(page)["done"] == {"second": 1}

    _rename(built)
    assert built.build(search=False).ok
    page.goto(f"{site}/demo/renamed/")
    expect(page.get_by_role("button", name="Mark module as done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#second-card").get_by_role("button", name="I understand this card")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator('[data-nav-module="renamed"] .cg-nav-done')).to_be_visible()
    stored = _progress(page)
    assert stored["done"] == {"renamed": 1} and stored["cards"] == {"renamed#second-card": 1}
    assert stored["last"]["module"] == "renamed" and stored["last"]["url"] == "/demo/renamed/"
    assert console_errors == []


def test_the_course_and_home_pages_move_progress_too(built, page, serve_folder):
    site = serve_folder(built.out)
    page.goto(f"{site}/demo/second/")
    page.get_by_role("button", name="Mark module as done").click()
    _rename(built)
    assert built.build(search=False).ok
    page.goto(f"{site}/")  # the first page after the rename: the home page
    expect(page.locator("#course-demo [data-home-progress]")).to_contain_text("1 of 2 modules done")
    assert re.fullmatch(r"/demo/renamed/(#second-card)?", _progress(page)["last"]["url"])  # was /demo/second/...
    page.goto(f"{site}/demo/")
    expect(page.locator("#module-renamed [data-module-progress]")).to_contain_text("Done")
    page.get_by_role("link", name="Second Module", exact=True).last.click()
    page.wait_for_url("**/demo/renamed/")


def test_the_old_url_lands_on_the_new_page_with_its_card(built, page, serve_folder, console_errors):
    _rename(built)
    assert built.build(search=False).ok
    site = serve_folder(built.out)
    page.goto(f"{site}/demo/second/#second-card")
    page.wait_for_url("**/demo/renamed/#second-card")
    expect(page.locator("h1")).to_have_text("Second Module")
    assert console_errors == []


def test_the_old_url_redirects_without_javascript(built, browser, serve_folder):
    _rename(built)
    assert built.build(search=False).ok
    site = serve_folder(built.out)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/demo/second/")
    page.wait_for_url("**/demo/renamed/")
    expect(page.locator("h1")).to_have_text("Second Module")
    context.close()


def test_serve_previews_the_old_url_as_a_redirect(built, page, tmp_path):
    _rename(built)
    server = Server(built.root, sandbox(tmp_path))
    try:
        page.goto(f"{server.url}demo/second/")
        page.wait_for_url("**/demo/renamed/")
        expect(page.locator("h1")).to_have_text("Second Module")
    finally:
        server.stop()
