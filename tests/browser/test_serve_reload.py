"""coursegen serve in real Chromium: the page reloads by itself, keeps its scroll, swaps CSS, shows errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from servehelp import Server, edit, sandbox

import coursegen


@pytest.fixture
def preview(demo, tmp_path: Path):
    demo.write("content/demo/01-first.md", demo.root.joinpath("content/demo/01-first.md").read_text()
               + "".join(f"\nFiller paragraph {n} so that the page scrolls.\n" for n in range(80)))
    server = Server(demo.root, sandbox(tmp_path))
    yield server
    server.stop()


def test_the_page_reloads_itself_after_an_edit_and_keeps_its_scroll(demo, page, context, preview, console_errors):
    home = context.new_page()
    home.goto(preview.url)
    home.evaluate("window.beforeEdit = true")
    page.goto(preview.url + "demo/first/")
    page.evaluate("window.scrollTo(0, 1500); window.beforeEdit = true")
    page.wait_for_function("window.scrollY >= 1400")
    edit(demo.root, "content/demo/01-first.md", "Plain text here.", "Plain text, reloaded by itself.")
    page.wait_for_function("document.body.innerText.includes('reloaded by itself')", timeout=10_000)
    assert page.evaluate("window.beforeEdit") is None  # a real reload, not a patch
    page.wait_for_function("window.scrollY >= 1400", timeout=5_000)
    assert home.evaluate("window.beforeEdit") is True  # the home page does not show that text: left alone
    assert console_errors == []


def test_a_css_edit_restyles_the_open_page_without_a_reload(demo, page, tmp_path, console_errors):
    theme_css = (Path(coursegen.__file__).parent / "theme/static/coursegen.css").read_text()
    demo.write("static/coursegen.css", theme_css)
    preview = Server(demo.root, sandbox(tmp_path))
    try:
        page.goto(preview.url + "demo/first/")
        page.evaluate("window.beforeEdit = true")
        demo.write("static/coursegen.css", theme_css + "body { background-color: rgb(1, 2, 3); }\n")
        page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10_000)
        assert page.evaluate("window.beforeEdit") is True
        assert page.locator('link[rel="stylesheet"][href*="coursegen."]').count() == 1
        assert console_errors == []
    finally:
        preview.stop()


def test_an_error_overlay_appears_on_every_open_page_and_goes_when_fixed(demo, page, context, preview):
    other, third = context.new_page(), context.new_page()
    other.goto(preview.url)
    third.goto(preview.url + "demo/")
    page.goto(preview.url + "demo/second/")
    edit(demo.root, "content/demo/02-second.md", "goals:", "titel: typo\ngoals:")
    for tab in (page, other, third):
        overlay = tab.locator("#cg-serve-overlay")
        overlay.wait_for(timeout=10_000)
        assert "content/demo/02-second.md:4: error: " in overlay.inner_text()
        assert "4 | titel: typo" in overlay.inner_text()  # the offending line
    page.screenshot(path=str(Path(__file__).parents[1] / "screenshots" / "serve-error-overlay.png"))
    other.get_by_role("button", name="Hide").click()  # to look at the last good page underneath
    assert other.locator("#cg-serve-overlay").count() == 0
    edit(demo.root, "content/demo/02-second.md", "titel: typo\ngoals:", "goals:")
    for tab in (page, third):
        tab.locator("#cg-serve-overlay").wait_for(state="detached", timeout=10_000)
    assert "Second Card" in page.inner_text("main")


def test_a_warning_shows_in_a_panel_that_leaves_the_page_usable_and_goes_when_fixed(demo, page, preview,
                                                                                   console_errors):
    page.goto(preview.url + "demo/first/")
    assert page.locator("#cg-serve-warnings").count() == 0
    edit(demo.root, "content/demo/02-second.md", "goals:", "draft: true\ngoals:")  # 01-first links to it
    panel = page.get_by_role("status").filter(has_text="1 warning")
    panel.wait_for(timeout=10_000)
    assert "content/demo/01-first.md:" in panel.inner_text() and "a draft: the link works in the preview" \
        in panel.inner_text()
    page.screenshot(path=str(Path(__file__).parents[1] / "screenshots" / "serve-warnings-panel.png"))
    box = panel.bounding_box()
    assert box and box["y"] > page.viewport_size["height"] / 2  # a strip at the bottom, not over the page
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")  # the page's end is not under it
    last = page.locator("footer").last.bounding_box()
    assert last and last["y"] + last["height"] <= panel.bounding_box()["y"] + 1, (last, panel.bounding_box())
    page.get_by_role("link", name="the next one").click()  # the page under it still works
    page.wait_for_url(lambda url: "/demo/second/" in url)
    page.locator("#cg-serve-warnings").wait_for()  # on every page while the warning lasts
    edit(demo.root, "content/demo/02-second.md", "draft: true\ngoals:", "goals:")
    page.locator("#cg-serve-warnings").wait_for(state="detached", timeout=10_000)
    assert page.evaluate("document.body.style.paddingBottom") == ""  # the room it took goes with it
    assert console_errors == []
