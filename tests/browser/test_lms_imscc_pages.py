"""The flagship's Common Cartridge opened as an LMS shows its web content: the pages work inside the
cartridge in real Chromium (navigation between modules, quizzes, no search box), with nothing fetched
from outside the machine and no script error."""
from __future__ import annotations

import re
import zipfile

from helpers import REPO
from playwright.sync_api import expect

from coursegen.publish.lms import export


def test_the_cartridge_pages_work_inside_the_cartridge(page, serve_folder, tmp_path, console_errors):
    package = export(REPO, "imscc", out=tmp_path).packages[0].path
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path / "cartridge")
    left: list[str] = []
    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|about:)"),
               lambda route: (left.append(route.request.url), route.abort()))
    base = serve_folder(tmp_path / "cartridge")
    page.goto(f"{base}/how-llms-work/index.html")  # the page the organization's first item opens
    expect(page.locator("h1")).to_have_text("How LLMs Work")
    assert page.locator(".cg-search, .cg-key-hint").count() == 0
    page.locator(".cg-main h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/how-llms-work/the-arc/index\.html$"))
    quiz = page.locator("form.cg-quiz").first
    quiz.locator("input[data-correct=true]").first.check()
    quiz.locator("button[type=submit]").click()
    expect(quiz.locator(".cg-quiz-result")).to_have_class(re.compile("is-right"))
    page.locator("a.cg-pager-next[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/how-llms-work/two-files/index\.html$"))
    expect(page.locator("h1")).to_have_text("Just Two Files")
    assert left == [] and [e for e in console_errors if "favicon" not in e] == []
