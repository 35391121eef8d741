"""Offline courses in real Chromium over HTTP (service workers need http://127.0.0.1 or HTTPS): the flagship
course made available offline, then read with the network off (every module page, its images, a search
result); a second build with one module changed updates exactly what changed; the preview of `coursegen serve`
removes a worker left from a built site and is never cached."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
COURSE = "how-llms-work"
MODULES = ["the-arc", "two-files", "dreamer-to-assistant", "scaling-and-limits", "ninas-toolkit"]
RECORD = """(slug) => caches.open("cg-offline").then((c) => c.match(new URL(`__offline__/${slug}`, location.origin + "/")))
  .then((r) => (r ? r.json() : null))"""


def _project(root: Path) -> Path:
    """A copy of the flagship project, to edit."""
    for name in ("content", "static", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    return root


def _build(project: Path, out: Path) -> None:
    report = build(project, BuildOptions(out=out, cache=False))
    assert report.ok, "\n".join(d.format() for d in report.errors)


@pytest.fixture
def flagship(tmp_path) -> tuple[Path, Path]:
    project = _project(tmp_path / "project")
    _build(project, tmp_path / "site")
    return project, tmp_path / "site"


def _save(page, url: str) -> None:
    page.goto(url + f"{COURSE}/")
    save = page.locator("[data-offline-save]")
    expect(save).to_be_visible()
    size = page.evaluate(f"fetch('/offline/{COURSE}.json').then((r) => r.json()).then((m) => m.bytes)")
    expect(page.locator("[data-offline-size]")).to_have_text(f"{max(size / 1e6, 0.1):.1f} MB to download")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-offline-mark]")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-offline-status]")).to_have_text("This course is available offline in this browser.")
    expect(page.locator("[data-offline-remove]")).to_be_focused()
    expect(save).to_be_hidden()


def _images_loaded(page) -> None:
    images = page.locator("main img")
    for n in range(images.count()):
        images.nth(n).scroll_into_view_if_needed()
        expect(images.nth(n)).to_have_js_property("complete", True)
        assert images.nth(n).evaluate("img => img.naturalWidth") > 0, images.nth(n).get_attribute("src")


def test_a_saved_course_reads_and_searches_with_the_network_off(flagship, serve_folder, browser):
    _, site = flagship
    url = serve_folder(site) + "/"
    context = browser.new_context()
    page = context.new_page()
    _save(page, url)
    assert Axe().run(page).violations_count == 0
    context.set_offline(True)
    for module in MODULES:
        response = page.goto(url + f"{COURSE}/{module}/")
        assert response is not None and response.ok, module
        expect(page.locator("h1")).to_be_visible()
        _images_loaded(page)
    page.goto(url + f"{COURSE}/print/")
    _images_loaded(page)
    page.goto(url + f"{COURSE}/")
    page.keyboard.press("/")
    page.keyboard.type("transformer")
    result = page.locator(".cg-search-results a").first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_load_state()
    assert f"/{COURSE}/" in page.url and page.locator("h1").is_visible()
    context.set_offline(False)
    page.goto(url + f"{COURSE}/")
    page.locator("[data-offline-remove]").click()
    expect(page.locator("[data-offline-status]")).to_have_text("The offline copy is removed.")
    expect(page.locator("[data-offline-save]")).to_be_focused()
    assert page.evaluate(RECORD, COURSE) is None
    assert not [n for n in page.evaluate("caches.keys()") if n.startswith("cg-course-")]
    context.close()


def test_a_new_build_downloads_what_changed_and_nothing_else(flagship, serve_folder, browser):
    project, site = flagship
    url = serve_folder(site) + "/"
    context = browser.new_context()
    page = context.new_page()
    _save(page, url)
    before = page.evaluate(RECORD, COURSE)
    module = project / "content" / COURSE
    source = next(p for p in sorted(module.glob("*.md")) if "scaling" in p.name)
    source.write_text(source.read_text(encoding="utf-8") + "\nA sentence added for the second build.\n", encoding="utf-8")
    _build(project, site)
    fetched: list[str] = []  # by the worker, for itself (the page's own requests go through it too)
    asked: list[str] = []
    context.on("request", lambda r: fetched.append(r.url) if r.service_worker else None)
    page.on("request", lambda r: asked.append(r.url))
    page.goto(url)  # any page of the site: the browser finds the new worker
    for _ in range(300):  # the new worker, once it runs, brings the saved course up to date
        if (page.evaluate(RECORD, COURSE) or before)["version"] != before["version"]:
            break
        page.wait_for_timeout(100)
    after = page.evaluate(RECORD, COURSE)
    changed = {path for path, entry in after["files"].items() if before["files"].get(path) != entry}
    assert f"/{COURSE}/scaling-and-limits/" in changed
    shows_it = {"scaling-and-limits/", "print/", ""}  # the module's text (the instructor views are not saved)
    assert changed <= {f"/{COURSE}/{p}" for p in shows_it} | \
        {p for p in changed if p.startswith("/pagefind/")}
    downloaded = {u.removeprefix(url[:-1]) for u in set(fetched) - set(asked)
                  if "/offline/" not in u and not u.endswith("/sw.js")}
    assert downloaded == changed, "the worker downloads the changed files only"
    names = [n for n in page.evaluate("caches.keys()") if n.startswith("cg-course-")]
    assert names == [f"cg-course-{COURSE}-{after['version']}"], "one version, the old one gone"
    context.set_offline(True)
    page.goto(url + f"{COURSE}/scaling-and-limits/")
    expect(page.locator("main")).to_contain_text("A sentence added for the second build.")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_control_looks_right_and_shifts_nothing(flagship, serve_folder, browser, width, scheme, save_screenshot):
    _, site = flagship
    url = serve_folder(site) + "/"
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.add_init_script("""window.__cls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())
      if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });""")
    page.goto(url + f"{COURSE}/")
    expect(page.locator("[data-offline-size]")).not_to_be_empty()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cls") == 0
    box = page.locator("[data-offline]").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert Axe().run(page).violations_count == 0
    save_screenshot(page, f"offline-course-{width}-{scheme}.png", full_page=False)
    context.close()


def test_without_javascript_nothing_of_it_appears(flagship, serve_folder, browser):
    _, site = flagship
    url = serve_folder(site) + "/"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + f"{COURSE}/")
    expect(page.locator("[data-offline]")).to_be_hidden()
    page.wait_for_timeout(300)
    assert context.service_workers == [], "no worker is registered"
    context.close()


def test_the_preview_of_serve_removes_a_worker_left_from_a_built_site(flagship, tmp_path, browser):
    """A built site served at an address, then `coursegen serve` at the same one: the preview's pages have no
    worker, remove the built site's, and serve's sw.js empties coursegen's caches: nothing of the preview is kept."""
    from conftest import StaticServer, wait_for_port
    project, site = flagship
    built = StaticServer(site)
    page = browser.new_context().new_page()
    page.goto(built.url + f"/{COURSE}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled: the page is kept in the read cache
    assert any(n.startswith("cg-read-") for n in page.evaluate("caches.keys()"))
    built.stop()
    serve = subprocess.Popen([sys.executable, "-m", "coursegen", "serve", str(project), "--port", str(built.port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(built.port, timeout=60)
        page.goto(built.url + f"/{COURSE}/")
        assert page.locator("body").get_attribute("data-sw") is None
        for _ in range(100):
            left = page.evaluate("""async () => [(await navigator.serviceWorker.getRegistrations()).length,
              (await caches.keys()).filter((n) => n.startsWith("cg-")).length]""")
            if left == [0, 0]:
                break
            page.wait_for_timeout(100)
        assert left == [0, 0], "a worker or a cache is left"
        page.goto(built.url + f"/{COURSE}/two-files/")
        assert page.evaluate("navigator.serviceWorker.controller") is None
        assert page.evaluate("caches.keys()") == []
    finally:
        serve.terminate()
        serve.wait(timeout=15)
