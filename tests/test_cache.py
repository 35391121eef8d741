"""The build cache: a rebuild with nothing changed is skipped, and every kind of change is seen."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import CourseProject

import coursegen
from coursegen import cache
from coursegen.cli import main

UP_TO_DATE = "Up to date"


def run(project: CourseProject, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code = main(["build", str(project.root), *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(demo: CourseProject, capsys: pytest.CaptureFixture[str]) -> CourseProject:
    assert UP_TO_DATE not in run(demo, capsys)
    return demo


def test_second_build_with_nothing_changed_is_skipped(built: CourseProject,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    before = mtimes(built.out)
    out = run(built, capsys)
    assert UP_TO_DATE in out and f"{len(list(built.out.rglob('*.html')))} pages" in out
    assert mtimes(built.out) == before
    assert (built.root / ".coursegen-cache").is_dir()


def test_warnings_of_a_skipped_build_are_shown_again(demo: CourseProject,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    demo.write("content/stray.txt", "not used")
    run(demo, capsys)
    main(["build", str(demo.root)])
    err = capsys.readouterr().err
    assert "content/stray.txt:1: warning: files at the top of content/ are not used" in err


CHANGES = {
    "module text": ("content/demo/01-first.md", "Plain text here.", "Plain text, edited."),
    "course title": ("content/demo/course.yaml", "title: Demo Course", "title: Demo Course Renamed"),
    "site.yaml": ("content/site.yaml", "title: Test Academy", "title: Test Academy Renamed"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_changed_input_is_rebuilt(built: CourseProject, capsys: pytest.CaptureFixture[str], change: str) -> None:
    rel, old, new = CHANGES[change]
    path = built.root / rel
    path.write_text(path.read_text().replace(old, new))
    assert UP_TO_DATE not in run(built, capsys)
    pages = "".join(p.read_text() for p in built.out.rglob("*.html"))
    assert new.split(": ")[-1] in pages


def test_changed_project_template_is_rebuilt(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    built.write("templates/module.html", '{% extends "theme/module.html" %}'
                '{% block main %}<p id="custom">custom module page</p>{{ super() }}{% endblock %}')
    assert UP_TO_DATE not in run(built, capsys)
    assert built.html("demo/first/index.html").find(id="custom") is not None


def test_changed_static_file_is_rebuilt(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    built.write("static/extra.css", "body { color: red; }")
    assert UP_TO_DATE not in run(built, capsys)
    assert (built.out / "static").is_dir() and any(built.out.glob("static/extra.*.css"))


def test_new_coursegen_version_rebuilds(built: CourseProject, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coursegen, "__version__", "99.0.0")
    cache.code_digest.cache_clear()
    try:
        assert UP_TO_DATE not in run(built, capsys)
    finally:
        cache.code_digest.cache_clear()


def test_source_date_epoch_change_rebuilds(built: CourseProject, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert UP_TO_DATE not in run(built, capsys)
    assert UP_TO_DATE in run(built, capsys)


def test_other_options_rebuild(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    assert UP_TO_DATE not in run(built, capsys, "--base-url", "/courses/")
    assert 'href="/courses/demo/"' in (built.out / "index.html").read_text()
    assert UP_TO_DATE not in run(built, capsys)


def test_output_changed_by_hand_is_rebuilt(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    page = built.out / "demo/first/index.html"
    text = page.read_text()
    page.unlink()
    assert UP_TO_DATE not in run(built, capsys)
    assert page.read_text() == text
    (built.out / "demo/first/index.html").write_text(text.replace("First Steps", "Hacked"))
    assert UP_TO_DATE not in run(built, capsys)
    assert page.read_text() == text


def test_failed_build_is_never_recorded_as_fresh(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    good = (built.root / "content/demo/01-first.md").read_text()
    built.write("content/demo/01-first.md", "---\ntitle: [\n---\n")
    assert main(["build", str(built.root)]) == 1
    capsys.readouterr()
    built.write("content/demo/01-first.md", good.replace("Intro paragraph.", "Intro, again."))
    assert UP_TO_DATE not in run(built, capsys)
    assert "Intro, again." in (built.out / "demo/first/index.html").read_text()


def test_symlinked_inputs_always_rebuild(built: CourseProject, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (built.root / "static").mkdir(exist_ok=True)
    os.symlink(tmp_path / "shared" / "pic.svg", built.root / "static" / "pic.svg")
    assert UP_TO_DATE not in run(built, capsys)
    assert UP_TO_DATE not in run(built, capsys)


def test_damaged_cache_is_ignored(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    for record in (built.root / ".coursegen-cache").rglob("*.json"):
        record.write_text("{not json")
    assert UP_TO_DATE not in run(built, capsys)
    assert UP_TO_DATE in run(built, capsys)


def test_rebuild_over_the_kept_previous_site_equals_a_fresh_build(demo: CourseProject, tmp_path: Path) -> None:
    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    for title in ("First Steps", "First Steps Again"):  # two builds: the first site is kept for reuse
        demo.write("content/demo/01-first.md", (demo.root / "content/demo/01-first.md").read_text()
                   .replace("First Steps", title))
        assert demo.build(search=False).ok
    assert any((demo.root / ".coursegen-cache" / "spare").iterdir())
    demo.remove("content/demo/02-second.md")
    demo.write("content/demo/01-first.md", (demo.root / "content/demo/01-first.md").read_text()
               .replace("[the next one](02-second.md#second-card)", "the next one"))
    demo.write("content/demo/03-third.md", "---\ntitle: Third\nsummary: S\ngoals:\n  - G\n---\n## Third Card\n\nText.\n")
    assert demo.build(search=False).ok
    assert demo.build(search=False, out=tmp_path / "fresh").ok
    assert tree(demo.out) == tree(tmp_path / "fresh")
    assert not (demo.out / "demo/second").exists()


def test_cached_modules_follow_their_neighbours_and_link_targets(demo: CourseProject) -> None:
    assert demo.build(search=False).ok
    assert demo.build(search=False).ok  # every module now comes from the cache
    second = demo.root / "content/demo/02-second.md"
    second.write_text(second.read_text().replace("title: Second Module", "title: Renamed Second"))
    assert demo.build(search=False).ok
    pager = demo.html("demo/first/index.html").find("main").get_text()
    assert "Renamed Second" in pager  # the unchanged first module's 'next' link follows the new title
    second.write_text(second.read_text().replace("## Second Card", "## Other Card"))
    report = demo.build(search=False)
    assert [d.format() for d in report.errors] == [
        ("content/demo/01-first.md:12: error: link to '02-second.md#second-card': that module has no card "
         "or heading with id 'second-card'")]


def test_module_cache_is_keyed_by_coursegen_code(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo.build(search=False).ok
    stored = cache.Store(demo.root).keys("module")
    monkeypatch.setattr(cache, "code_digest", lambda: "another coursegen")
    assert demo.build(search=False).ok
    now = cache.Store(demo.root).keys("module")
    assert len(now) == len(stored) and not set(stored) & set(now)  # replaced, not accumulated


def test_highlighted_code_is_kept_by_coursegen_version_and_used_again(demo: CourseProject,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from coursegen import markdown
    demo.write("content/demo/02-second.md", demo.root.joinpath("content/demo/02-second.md").read_text()
               + "\n```python\nanswer = 42\n```\n")
    monkeypatch.setattr(markdown.Highlights, "known", {})
    assert demo.build(search=False).ok
    stored = cache.Store(demo.root).get("code", cache.code_digest())
    assert stored and any("answer" in code for _, code in stored)
    page = (demo.out / "demo/second/index.html").read_text()
    markdown.Highlights.known.clear()  # a new process: only the cache knows the code
    fake = {key: html.replace("answer", "cached-answer") for key, html in stored.items()}
    store = cache.Store(demo.root)
    store.put("code", cache.code_digest(), fake)
    store.save()
    demo.write("content/demo/02-second.md", demo.root.joinpath("content/demo/02-second.md").read_text()
               .replace("## Second Card", "## Second Card\n\nEdited."))
    assert demo.build(search=False).ok
    assert "cached-answer" in (demo.out / "demo/second/index.html").read_text()  # taken from the cache
    assert page != (demo.out / "demo/second/index.html").read_text()
    monkeypatch.setattr(cache, "code_digest", lambda: "another coursegen")
    markdown.Highlights.known.clear()
    demo.write("content/demo/02-second.md", demo.root.joinpath("content/demo/02-second.md").read_text() + "\nMore.\n")
    assert demo.build(search=False).ok
    assert "cached-answer" not in (demo.out / "demo/second/index.html").read_text()  # another version: not used


def test_packs_of_the_format_before_shards_are_removed(demo: CourseProject) -> None:
    assert demo.build().ok
    objects = demo.root / ".coursegen-cache" / "objects"
    old = objects / "module.pack"
    old.write_bytes(b"a pack of the single-file format, 7 MB on a large site")
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Intro paragraph.", "Intro paragraph, edited."))
    assert demo.build().ok
    assert not old.exists()
    assert list(objects.glob("module.*.pack"))  # the shards stay


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the build reads from disk from now on: by the input scan, or as content (absolute paths)."""
    opened: list[str] = []
    read_bytes = Path.read_bytes

    def spy(path: str, *args: object, **kwargs: object) -> object:  # stands in for open()
        opened.append(str(path))
        return open(path, *args, **kwargs)

    def read_spy(path: Path) -> bytes:
        opened.append(str(path))
        return read_bytes(path)

    monkeypatch.setattr(cache, "open", spy, raising=False)
    monkeypatch.setattr(Path, "read_bytes", read_spy)
    return opened


def _content_reads(project: CourseProject, opened: list[str]) -> list[str]:
    return sorted({Path(p).relative_to(project.root).as_posix() for p in opened
                   if Path(p).is_relative_to(project.root / "content")})


def test_only_changed_inputs_are_read_again(demo: CourseProject, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the files were all written a moment ago
    run(demo, capsys, "--quiet")  # records every file as known
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Plain text here.", "Plain text, edited."))
    opened = _reads(monkeypatch)
    run(demo, capsys)
    assert _content_reads(demo, opened) == ["content/demo/01-first.md"]
    assert "Plain text, edited." in (demo.out / "demo/first/index.html").read_text()


def test_an_edit_that_keeps_size_and_mtime_is_seen(demo: CourseProject, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    run(demo, capsys, "--quiet")
    module = demo.root / "content/demo/01-first.md"
    before = module.stat()
    module.write_text(module.read_text().replace("Plain text here.", "Plain text HERE."))  # same size
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert module.stat().st_size == before.st_size and module.stat().st_mtime_ns == before.st_mtime_ns
    assert UP_TO_DATE not in run(demo, capsys)  # the inode's change time moved: read again
    assert "Plain text HERE." in (demo.out / "demo/first/index.html").read_text()


def test_files_changed_just_before_a_build_are_read_by_the_next(built: CourseProject,
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed within RACY_NS of the scan could change again within the same timestamp tick, so the
    record does not vouch for it: the next build reads it (as git treats 'racily clean' files)."""
    run(built, capsys, "--quiet")
    record = cache.last_record(built.root, built.out)
    assert record is not None and record["inputs"] == {}  # every file was written just now
    opened = _reads(monkeypatch)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    run(built, capsys, "--base-url", "/other/")  # not up to date: a build that records its inputs
    assert "content/demo/01-first.md" in _content_reads(built, opened)
    known = cache.last_record(built.root, built.out)["inputs"]  # type: ignore[index]
    assert "content/demo/01-first.md" in known and "content/site.yaml" in known


def test_lost_or_damaged_text_pack_is_read_around(demo: CourseProject, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    run(demo, capsys, "--quiet")
    packs = sorted((demo.root / ".coursegen-cache/objects").glob("text.*.pack"))
    assert packs
    for n, pack in enumerate(packs):
        pack.write_bytes(b"junk") if n % 2 else pack.unlink()
    module = demo.root / "content/demo/02-second.md"
    module.write_text(module.read_text().replace("Back to", "Back again to"))
    run(demo, capsys, "--quiet")
    assert "Plain text here." in (demo.out / "demo/first/index.html").read_text()
    assert "Back again to" in (demo.out / "demo/second/index.html").read_text()


def test_a_record_with_damaged_inputs_is_read_around(demo: CourseProject, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    run(demo, capsys, "--quiet")
    path = next((demo.root / ".coursegen-cache/builds").glob("*.json"))
    record = json.loads(path.read_text())
    for rel in record["inputs"]:
        record["inputs"][rel][4] = 7  # a digest that is not one
    path.write_text(json.dumps(record))
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Plain text here.", "Plain text, edited."))
    assert UP_TO_DATE not in run(demo, capsys)
    assert "Plain text, edited." in (demo.out / "demo/first/index.html").read_text()
    known = json.loads(path.read_text())["inputs"]  # every file was read again, and its digest noted
    assert known and all(isinstance(entry[4], str) and len(entry[4]) == 40 for entry in known.values())
