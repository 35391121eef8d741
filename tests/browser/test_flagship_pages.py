"""The flagship site (this repository's content/) in real Chromium: every page loads cleanly, fits a
375 px screen, and passes axe-core in light and dark mode; screenshots go to tests/screenshots/."""
from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
COURSE = "how-llms-work"
PAGES = [
    ("home", ""),
    ("course", f"{COURSE}/"),
    ("module-1", f"{COURSE}/the-arc/"),
    ("module-2", f"{COURSE}/two-files/"),
    ("module-3", f"{COURSE}/dreamer-to-assistant/"),
    ("module-4", f"{COURSE}/scaling-and-limits/"),
    ("module-5", f"{COURSE}/ninas-toolkit/"),
    ("print", f"{COURSE}/print/"),
    ("instructor", f"{COURSE}/instructor/"),
    ("instructor-print", f"{COURSE}/instructor-print/"),
    ("404", "404.html"),
]


@pytest.fixture(scope="module")
def flagship_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flagship-pages") / "site"
    report = build(REPO, BuildOptions(out=out, cache=False))
    assert report.ok, "\n".join(d.format() for d in report.errors)
    return out


def record_errors(page) -> list[str]:
    """Console errors, page errors and failed HTTP responses of `page`, as they happen."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda res: errors.append(f"HTTP {res.status} {res.url}") if res.status >= 400 else None)
    return errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name,path", PAGES)
def test_flagship_page_is_clean_and_accessible(flagship_site, serve_folder, browser, save_screenshot,
                                               name, path, scheme):
    base = serve_folder(flagship_site) + "/"
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        errors = record_errors(page)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert errors == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scroll"
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        save_screenshot(page, f"flagship-{name}-{width}-{scheme}.png")
        context.close()
