"""Pages kept from the last build: a rebuild after an edit renders only the pages the edit changes, and
its output is byte for byte what a build from scratch gives."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import REPO, WORDS, CourseProject, random_edit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen import BuildOptions, build
from coursegen.model import Card, Module
from coursegen.outline import build_outline
from coursegen.pagedeps import evaluate, track
from coursegen.render import Renderer, pages
from coursegen.seo import prepare_publishing
from coursegen.staticfiles import collect_static, widget_names
from coursegen.templates import make_environment

sys.path.insert(0, str(REPO / "bench"))
from make_course import make_course

FIRST = "content/demo/01-first.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".coursegen")}


def from_scratch(project: Path, tmp: Path, drafts: bool = False) -> dict[str, bytes]:
    """The site a first build of a copy of `project` gives (no cache, no previous output)."""
    copy = tmp / "scratch"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "content", copy / "content")
    for folder in ("static", "templates"):
        if (project / folder).is_dir():
            shutil.copytree(project / folder, copy / folder)
    report = build(copy, BuildOptions(out=copy / "build", search=False, drafts=drafts))
    assert report.ok, [d.format() for d in report.errors]
    assert report.rendered == report.pages
    return tree(copy / "build")


def edit(demo: CourseProject, rel: str, old: str, new: str) -> None:
    path = demo.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {  # name: (file, old text, new text, pages that must be rendered again, or None for "any")
    "a short card (all preview)": (FIRST, "Plain text here.", "Plain text, edited.",
                                   {"demo/first/index.html", "demo/print/index.html", "demo/index.html"}),
    "the start of a card (its preview)": (FIRST, "This card opens", "Now this card opens",
                                          {"demo/first/index.html", "demo/print/index.html", "demo/index.html"}),
    "a module title": (FIRST, "title: First Steps", "title: Very First Steps", None),
    "a module summary": (FIRST, "summary: The very first module.", "summary: Where it all starts.", None),
    "a goal": (FIRST, "  - Read a concept card.", "  - Read two concept cards.", None),
    "a course title": ("content/demo/course.yaml", "title: Demo Course", "title: Demo Course Renamed", None),
    "the site title": ("content/site.yaml", "title: Test Academy", "title: Test Academy Renamed", None),
    "a card heading": ("content/demo/02-second.md", "## Second Card", "## Second Card\n\nNew intro.\n\n## Third",
                       None),
    "a link": ("content/demo/02-second.md", "(01-first.md)", "(01-first.md#another-card)", None),
}


@pytest.fixture
def dated(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> CourseProject:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the scratch copy's files are newer
    return demo


@pytest.mark.parametrize("name", EDITS, ids=list(EDITS))
def test_rebuild_after_an_edit_equals_a_build_from_scratch(dated: CourseProject, tmp_path: Path, name: str) -> None:
    rel, old, new, expected = EDITS[name]
    assert dated.build(search=False).ok
    edit(dated, rel, old, new)
    report = dated.build(search=False)
    assert report.ok, [d.format() for d in report.errors]
    assert tree(dated.out) == from_scratch(dated.root, tmp_path)
    if expected is not None:
        rendered = {p for p, data in tree(dated.out).items() if p.endswith(".html")}
        assert report.rendered == len(expected) < len(rendered)


def test_adding_and_removing_modules_equals_a_build_from_scratch(dated: CourseProject, tmp_path: Path) -> None:
    assert dated.build(search=False).ok
    dated.write("content/demo/03-third.md", "---\ntitle: Third\nsummary: A third one.\ngoals: [Go on.]\n---\n## Three\nMore.\n")
    assert dated.build(search=False).ok
    assert tree(dated.out) == from_scratch(dated.root, tmp_path)
    dated.remove("content/demo/03-third.md")
    assert dated.build(search=False).ok
    assert tree(dated.out) == from_scratch(dated.root, tmp_path)
    assert not (dated.out / "demo/third").exists()


def test_a_module_saved_unchanged_gets_its_new_date(demo: CourseProject, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # pages are dated by their files' times
    assert demo.build(search=False).ok
    os.utime(demo.root / FIRST, (1_800_000_000, 1_800_000_000))  # saved again, same text: 2027-01-15
    report = demo.build(search=False)
    assert report.ok and 0 < report.rendered < report.pages
    assert '"dateModified":"2027-01-15"' in (demo.out / "demo/first/index.html").read_text()
    assert tree(demo.out) == from_scratch(demo.root, tmp_path)  # the copy keeps the files' times


def test_nothing_changed_renders_nothing_and_a_touched_output_file_is_rewritten(dated: CourseProject) -> None:
    assert dated.build(search=False).ok
    report = dated.build(search=False)
    assert report.ok and report.rendered == 0 and report.pages > 0
    page = dated.out / "demo/first/index.html"
    good = page.read_bytes()
    page.write_text("vandalised")
    report = dated.build(search=False)
    assert report.rendered == 1 and page.read_bytes() == good


def test_the_cli_says_how_many_pages_it_kept(dated: CourseProject) -> None:
    first = dated.cli("build", str(dated.root))
    assert first.returncode == 0 and "6 rendered;" in first.stdout
    edit(dated, FIRST, "Intro paragraph.", "An intro paragraph.")
    second = dated.cli("build", str(dated.root))
    assert "Built 6 pages" in second.stdout and "2 rendered, 4 unchanged since the last build" in second.stdout


def test_a_project_that_overrides_a_theme_template_renders_every_page(dated: CourseProject) -> None:
    dated.write("templates/README.md", "Templates placed here replace the theme's.")
    dated.write("templates/extra/note.html", "<p>not loaded by any template</p>")
    assert dated.build(search=False).ok
    report = dated.build(search=False)
    assert report.ok and report.rendered == 0  # files that override nothing change nothing
    dated.write("templates/partials/footer.html", "<footer>Ours</footer>")
    assert dated.build(search=False).ok
    report = dated.build(search=False)
    assert report.ok and report.rendered == report.pages


def test_large_site_rebuild_on_every_core_equals_a_build_from_scratch(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = make_course(tmp_path / "big", 120)
    options = BuildOptions(out=project / "build", search=False)
    assert build(project, options).ok
    module = sorted((project / "content/course-002").glob("*.md"))[10]
    module.write_text(module.read_text().replace("    total = sum(values)\n", "    total = sum(values) + 1\n", 1))
    report = build(project, options)
    assert report.ok and report.rendered == 2  # the module's page and its course's print page
    assert tree(project / "build") == from_scratch(project, tmp_path)
    module.write_text(module.read_text().replace("## How it works\n", "## How it works\nAn edit.\n\n", 1))
    report = build(project, options)
    assert report.ok and report.rendered == 3  # and the course page, which shows the card's preview
    assert tree(project / "build") == from_scratch(project, tmp_path)


@settings(max_examples=int(os.environ.get("CG_EXAMPLES", "10")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 8), st.sampled_from(WORDS)), min_size=1, max_size=4))
def test_any_series_of_edits_rebuilds_what_a_build_from_scratch_gives(edits: list[tuple[int, str]]) -> None:
    """Random edits (text, titles, headings, drafts, a theme override, CSS, modules added and removed),
    each followed by a build that keeps what it can: always byte for byte a first build."""
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            project = CourseProject(Path(tmp) / "site").demo()
            assert project.build(search=False, drafts=True).ok  # some edits mark a module as a draft
            for kind, word in edits:
                random_edit(project.root, kind, word)
                report = project.build(search=False, drafts=True)
                assert report.ok, [d.format() for d in report.errors]
                assert tree(project.out) == from_scratch(project.root, Path(tmp), drafts=True), (kind, word)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


# --- the key covers what the theme reads ---------------------------------------------------------------

BODY = {Module: {"intro_html", "sources_html", "word_count"}, Card: {"html", "preview"}}


def _body_reads(reads: dict, context: dict) -> set[tuple[str, str]]:
    """(module URL, attribute) of every module body part a page's templates read."""
    found = set()
    for path in reads:
        module = None
        value = context[path[0]]
        for step in path[1:]:
            if step[0] == "a" and step[1] in BODY.get(type(value), ()):
                found.add((module.url if isinstance(value, Card) else value.url, step[1]))
            if isinstance(value, Module):
                module = value
            try:
                value = evaluate((path[0], *path[1:path.index(step) + 1]), context)
            except Exception:  # noqa: BLE001 - a call path; its reads are recorded on their own
                break
    return found


def test_the_theme_reads_module_bodies_only_where_the_page_key_covers_them() -> None:
    from coursegen.content import load_content
    from coursegen.diagnostics import Diagnostics
    from coursegen.markdown import make_markdown

    diags = Diagnostics()
    static = collect_static(REPO)
    outline = build_outline(load_content(REPO, diags), make_markdown(), diags, base_url=None, drafts=False,
                            widgets=widget_names(static))
    assert outline is not None and not diags.errors
    site = outline.site
    renderer = Renderer(make_environment(REPO), site, static, prepare_publishing(REPO, site, static, False).seo)
    checked = 0
    for page in pages(site):
        context, reads = renderer.context(page), {}
        renderer.env.get_template(page.template).render(track(context, reads))
        own = {page.module.url} if page.module else set()
        of_course = {m.url for m in page.course.modules} if page.course else set()
        for url, attribute in _body_reads(reads, context):
            allowed = own | (of_course if page.kind == "print" or
                             (page.kind == "course" and attribute == "preview") else set())
            assert url in allowed, f"{page.path} reads {attribute} of {url}"
            checked += 1
    assert checked > 20  # the module and print pages did read bodies


def test_a_kept_page_changed_in_the_spare_folder_is_written_again(dated: CourseProject, tmp_path: Path) -> None:
    """The site before last waits in the cache as the next build's starting point; a page there that was
    changed since it was written (same size, modification time put back) must not be taken as it is."""
    assert dated.build(search=False).ok
    assert dated.build(search=False).ok  # the first site is now the spare
    spares = list((dated.root / ".coursegen-cache" / "spare").iterdir())
    page = spares[0] / "demo/second/index.html"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"<main", b"<MAIN", 1))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    edit(dated, FIRST, "Plain text here.", "Plain text, edited.")
    report = dated.build(search=False)
    assert report.ok and report.rendered < report.pages
    assert tree(dated.out) == from_scratch(dated.root, tmp_path)
