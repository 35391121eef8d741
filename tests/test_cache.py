"""The build cache: a rebuild with nothing changed is skipped, every kind of change is seen, entries are data."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from helpers import CourseProject

from coursegen.cli import main
from coursegen.speed import store as cache

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
    monkeypatch.setattr(cache, "__version__", "99.0.0")
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


def test_symlinked_inputs_always_rebuild(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    (built.root / "shared").mkdir()  # a link within the project: one out of it is an error (docs/building.md)
    (built.root / "shared" / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (built.root / "static").mkdir(exist_ok=True)
    os.symlink(built.root / "shared" / "pic.svg", built.root / "static" / "pic.svg")
    assert UP_TO_DATE not in run(built, capsys)
    assert UP_TO_DATE not in run(built, capsys)


def test_damaged_cache_is_ignored(built: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    for record in (built.root / ".coursegen-cache").rglob("*.json"):
        record.write_text("{not json")
    assert UP_TO_DATE not in run(built, capsys)
    assert UP_TO_DATE in run(built, capsys)


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


def entries(project: CourseProject, kind: str) -> set[str]:
    return {p.stem for p in (project.root / ".coursegen-cache" / cache.FORMAT / kind).glob("*/*.json")}


def test_module_cache_is_keyed_by_coursegen_code(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo.build(search=False).ok
    stored = entries(demo, "module")
    monkeypatch.setattr(cache, "code_digest", lambda: "another coursegen")
    monkeypatch.setattr("coursegen.speed.code_digest", lambda: "another coursegen")
    assert demo.build(search=False).ok
    now = entries(demo, "module")
    assert len(now) == len(stored) == 2 and not stored & now  # replaced, not accumulated


def test_cache_holds_data_not_code(demo: CourseProject) -> None:
    assert demo.build().ok
    files = [p for p in (demo.root / ".coursegen-cache").rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert b"\x80\x04" not in path.read_bytes()[:2]  # no pickle protocol header anywhere
        if path.suffix == ".json":
            json.loads(entry_json(path) if cache.FORMAT in path.parts else path.read_bytes())


@pytest.mark.parametrize("damage", ["garbage", "wrong-types", "foreign-class", "empty"])
def test_damaged_or_crafted_entries_are_misses(demo: CourseProject, tmp_path: Path, damage: str) -> None:
    assert demo.build(search=False).ok
    for path in (demo.root / ".coursegen-cache" / cache.FORMAT).rglob("*.json"):
        data = json.loads(entry_json(path))
        if damage == "garbage":
            path.write_bytes(b"\x80\x04\x95 not json")
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "wrong-types":  # with a right checksum: the codec itself must refuse it
            text = json.dumps(data).replace('"html": "', '"html": 12, "x": "').encode()
            path.write_bytes(signed(text if text != json.dumps(data).encode() else b"[1, 2]"))
        else:
            path.write_bytes(signed(json.dumps({"@": "Popen", "args": ["touch", str(tmp_path / "pwned")]}).encode()))
    edited = demo.root / "content/demo/02-second.md"
    edited.write_text(edited.read_text() + "\nOne more line.\n")
    assert demo.build(search=False).ok
    assert demo.build(search=False, out=tmp_path / "fresh", cache=False).ok
    assert tree(demo.out) == tree(tmp_path / "fresh")
    assert not (tmp_path / "pwned").exists()


def entry_json(path: Path) -> bytes:
    """The JSON of a store entry, after its checksum line."""
    return path.read_bytes().partition(b"\n")[2]


def signed(payload: bytes) -> bytes:
    """A store entry holding `payload` with a matching checksum, as a careful attacker would write it."""
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_records_are_pruned(demo: CourseProject, tmp_path: Path) -> None:
    for n in range(12):
        assert demo.build(search=False, out=tmp_path / f"out-{n}").ok
    records = list((demo.root / ".coursegen-cache" / "builds").glob("*.json"))
    assert len(records) == 8


def test_no_cache_reads_and_writes_nothing_there(demo: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    run(demo, capsys, "--no-cache")
    assert not (demo.root / ".coursegen-cache").exists()
    assert (demo.out / "demo/first/index.html").is_file()
    run(demo, capsys)
    assert UP_TO_DATE not in run(demo, capsys, "--no-cache")  # never answers from a record
