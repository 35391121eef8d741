"""The Pagefind search index: written by build before the swap, skipped by check and on request."""
from __future__ import annotations

import gzip
import json
import math
import stat
from pathlib import Path

import pytest

from coursegen import search, searchstate
from coursegen.search import index_pages


def fake_pagefind(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-pagefind"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_build_writes_a_search_index_of_course_and_module_pages(demo):
    report = demo.build()
    assert report.ok, [d.format() for d in report.diagnostics]
    bundle = demo.out / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list((bundle / "fragment").iterdir())  # one fragment per indexed page
    assert not list(bundle.glob("pagefind-*ui*"))  # Pagefind's own interfaces are not shipped
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3  # the course page and its two modules


def test_search_box_points_at_the_bundle_under_the_base_url(demo):
    assert demo.build(base_url="/sub/").ok
    box = demo.html("index.html").select_one("[data-search]")
    assert box["data-bundle"] == "/sub/pagefind/pagefind.js"
    assert demo.html("index.html").body["data-base"] == "/sub/"


def test_check_writes_nothing_and_runs_no_index(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, f"touch {tmp_path}/ran; exit 1")))
    report = demo.check()
    assert report.ok
    assert not demo.out.exists()
    assert not (tmp_path / "ran").exists()


def test_build_can_skip_the_index(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "exit 1")))
    report = demo.build(search=False)
    assert report.ok
    assert (demo.out / "index.html").is_file()
    assert not (demo.out / "pagefind").exists()


def test_a_failed_index_keeps_the_previous_site(demo, tmp_path, monkeypatch):
    assert demo.build().ok
    before = (demo.out / "demo/first/index.html").read_bytes()
    demo.write("content/demo/01-first.md", (demo.root / "content/demo/01-first.md").read_text()
               .replace("Intro paragraph.", "Changed intro."))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "echo 'Error: disk full' >&2; exit 3")))
    report = demo.build()
    assert not report.ok
    expected = "build:1: error: search index: Pagefind failed to index the site: Error: disk full"
    assert [d.format() for d in report.errors] == [expected]
    assert (demo.out / "demo/first/index.html").read_bytes() == before
    assert (demo.out / "pagefind/pagefind.js").is_file()
    assert [p.name for p in demo.out.parent.iterdir() if p.name.startswith(".build")] == []


def test_a_missing_pagefind_binary_is_a_clear_error(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    result = demo.cli("build")
    assert result.returncode == 1
    assert "pip install 'pagefind[bin]'" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_index_is_reproducible(demo):
    assert demo.build().ok
    first = {p.relative_to(demo.out): p.read_bytes() for p in (demo.out / "pagefind").rglob("*") if p.is_file()}
    assert demo.build().ok
    second = {p.relative_to(demo.out): p.read_bytes() for p in (demo.out / "pagefind").rglob("*") if p.is_file()}
    assert first == second


def test_index_pages_gives_the_bundle_for_a_site_kept_in_memory(demo):
    report = demo.check()
    assert report.ok
    bundle = index_pages(report.files.data)
    assert "pagefind/pagefind.js" in bundle
    assert json.loads(bundle["pagefind/pagefind-entry.json"])["languages"]["en"]["page_count"] == 3
    assert not demo.out.exists()



def test_a_small_site_gets_one_index_and_an_empty_list_of_parts(demo):
    assert demo.build().ok
    assert json.loads((demo.out / "pagefind/parts.json").read_text())["parts"] == []
    assert not list((demo.out / "pagefind").glob("part-*"))


def test_a_large_site_is_indexed_in_parts_of_bounded_size(demo, monkeypatch):
    monkeypatch.setattr(search, "PART_PAGES", 2)
    report = demo.build()
    assert report.ok, [d.format() for d in report.diagnostics]
    bundle = demo.out / "pagefind"
    assert json.loads((bundle / "parts.json").read_text())["parts"] == ["part-1/"]
    counts = [page_count(bundle), page_count(bundle / "part-1")]
    assert counts == [2, 1]  # the course page and its two modules, each indexed once
    assert (bundle / "part-1/pagefind-entry.json").is_file()
    assert not list(bundle.rglob("pagefind-*ui*"))
    assert not list((bundle / "part-1").glob("*.js")) + list((bundle / "part-1").glob("wasm.*"))  # shared


def test_parts_take_pages_in_turn_and_leave_out_pages_that_are_not_searchable(tmp_path, monkeypatch):
    site = tmp_path / "site"
    for course in ("a", "b"):
        for module in range(3):
            write_page(site / course / f"m{module}/index.html", f"{course} module {module}")
    (site / "a/print").mkdir()
    (site / "a/print/index.html").write_text("<html lang='en'><body><main>printed copy</main></body></html>")
    monkeypatch.setattr(search, "PART_PAGES", 2)
    parts = search.split_pages(site, search.html_pages(site))
    # every part holds pages of both courses, so each is a sample of the whole site
    assert parts == [["a/m0/index.html", "b/m0/index.html"], ["a/m1/index.html", "b/m1/index.html"],
                     ["a/m2/index.html", "b/m2/index.html"]]


def test_very_long_pages_make_more_parts(tmp_path, monkeypatch):
    site = tmp_path / "site"
    for name, words in [("a", 10), ("b", 2000), ("c", 10), ("d", 10)]:
        write_page(site / name / "index.html", "searchable " * words)
    monkeypatch.setattr(search, "PART_BYTES", 12_000)
    assert search.split_pages(site, search.html_pages(site)) == [["a/index.html", "c/index.html"],
                                                                 ["b/index.html", "d/index.html"]]


def test_pages_with_glob_characters_in_their_path_are_each_indexed_once(tmp_path, monkeypatch):
    site = tmp_path / "site"
    names = ["a,b/index.html", "c{d}/index.html", "e[f]*/index.html", "g h (x)/index.html", "$:<é>/index.html"]
    for rel in names:
        write_page(site / rel, f"page {rel.split('/')[0]}")
    monkeypatch.setattr(search, "PART_PAGES", 1)
    search.index_site(site)
    bundle = site / "pagefind"
    parts = json.loads((bundle / "parts.json").read_text())["parts"]
    assert [page_count(bundle)] + [page_count(bundle / part) for part in parts] == [1, 1, 1, 1, 1]


def write_page(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang='en'><head><title>{text[:20]}</title></head>"
                    f"<body><main data-pagefind-body><h1>Page</h1><p>{text}</p></main></body></html>")


def page_count(bundle: Path) -> int:
    return json.loads((bundle / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]


def _inodes(folder: Path) -> dict[str, int]:
    """Inode of each file of one part (the first part's folder holds the others and the records: left out)."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith(("part-", "overlay/"))
            and p.name not in ("parts.json", searchstate.STATE)}


def _bundle(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_a_rebuild_indexes_again_only_the_parts_whose_pages_changed(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PART_PAGES", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert demo.build().ok
    parts = search.split_pages(demo.out, search.html_pages(demo.out))
    folders = [demo.out / "pagefind", demo.out / "pagefind/part-1"]
    edited = next(n for n, part in enumerate(parts) if "demo/first/index.html" in part)
    before = [_inodes(folder) for folder in folders]
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Intro paragraph.", "Intro paragraph about quasars."))
    report = demo.build()
    assert report.ok and report.rendered == 2  # the module page and the print page, which is not searched
    after = [_inodes(folder) for folder in folders]
    assert after[1 - edited] == before[1 - edited]  # the other part: the last build's files, linked
    assert not set(after[edited].values()) & set(before[edited].values())  # indexed again
    scratch = tmp_path / "scratch"
    report = demo.build(out=scratch)
    assert report.ok and report.rendered == report.pages
    assert _bundle(demo.out) == _bundle(scratch)  # the same index a build from scratch makes


def test_parts_are_indexed_side_by_side(demo, tmp_path, monkeypatch):
    real = search.pagefind_executable()
    runs = tmp_path / "runs"
    runs.mkdir()
    # each run counts the runs started by the time it has slept a second: one after another, 1 then 2
    body = f'touch {runs}/$$; sleep 1; ls {runs} | wc -l >> {tmp_path}/at-once; exec "{real}" "$@"'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, body)))
    monkeypatch.setattr(search, "PART_PAGES", 2)
    assert demo.build().ok
    assert sorted(int(n) for n in (tmp_path / "at-once").read_text().split()) == [2, 2]  # both ran at once
    bundle = demo.out / "pagefind"
    assert [page_count(bundle), page_count(bundle / "part-1")] == [2, 1]


def test_a_failed_part_fails_the_build_and_keeps_the_previous_site(demo, tmp_path, monkeypatch):
    assert demo.build().ok
    before = (demo.out / "pagefind/pagefind-entry.json").read_bytes()
    real = search.pagefind_executable()
    body = f'case "$*" in *part-1*) echo "Error: part broke" >&2; exit 3;; esac; exec "{real}" "$@"'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, body)))
    monkeypatch.setattr(search, "PART_PAGES", 2)
    report = demo.build()
    assert [d.format() for d in report.errors] == [
        "build:1: error: search index: Pagefind failed to index the site: Error: part broke"]
    assert (demo.out / "pagefind/pagefind-entry.json").read_bytes() == before
    assert not (demo.out / "pagefind/part-1").exists()


# --- A rebuild after an edit: the changed pages go into an overlay index -------------------------------

def _overlay_site(demo, monkeypatch, pages: int = 2):
    """The demo with overlays allowed at its size (3 searchable pages), padded to `pages`."""
    monkeypatch.setattr(searchstate, "OVERLAY_MIN_PAGES", 1)
    monkeypatch.setattr(searchstate, "OVERLAY_PAGES", pages)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert demo.build().ok
    return demo


def _edit_first_module(demo, words: str) -> None:
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Intro paragraph.", f"Intro paragraph {words}."))


def _fragments(bundle: Path) -> dict[str, dict]:
    """Each page a bundle indexed, by URL: its result id and its text."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = {"id": path.name.removesuffix(".pf_fragment"), "content": data["content"]}
    return found


def test_a_rebuild_indexes_the_edited_pages_in_an_overlay_and_drops_their_old_copies(demo, monkeypatch):
    _overlay_site(demo, monkeypatch)
    bundle = demo.out / "pagefind"
    before_ids = _inodes(bundle)
    old = _fragments(bundle)["/demo/first/"]["id"]
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    manifest = json.loads((bundle / "parts.json").read_text())
    assert manifest["parts"] == []
    assert manifest["overlay"]["path"] == "overlay/" and manifest["overlay"]["drop"] == [old]
    assert _inodes(bundle) == before_ids  # the part itself is the last build's, linked
    overlay = _fragments(bundle / "overlay")
    assert "quasars" in overlay["/demo/first/"]["content"]
    assert "quasars" not in _fragments(bundle)["/demo/first/"]["content"]  # the old copy, dropped in the browser
    assert len(overlay) == 2  # the edited page and one unchanged page as padding
    assert page_count(bundle / "overlay") == 2
    assert not list((bundle / "overlay").glob("*.js")) + list((bundle / "overlay").glob("wasm.*"))


def test_overlay_results_weigh_up_to_match_the_parts(demo, monkeypatch):
    _overlay_site(demo, monkeypatch)
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    state = searchstate.IndexState.load(demo.out / "pagefind", search._engine(search.pagefind_executable()))
    assert state is not None and state.overlay == ["demo/first/index.html", "demo/index.html"]
    state.parts = [[f"page-{n}" for n in range(400)]]  # a part of 400 pages against an overlay of 2
    assert searchstate.overlay_weight(state) == pytest.approx(math.log(1 + 399.5 / 1.5) / math.log(1 + 1.5 / 1.5),
                                                               abs=0.001)
    state.overlay = ["one page"]
    assert searchstate.overlay_weight(state) == 1.0


def test_later_edits_keep_the_parts_and_grow_the_overlay(demo, monkeypatch):
    _overlay_site(demo, monkeypatch, pages=1)
    bundle = demo.out / "pagefind"
    first_ids = _fragments(bundle)
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    second = demo.root / "content/demo/02-second.md"
    second.write_text(second.read_text().replace("Back to", "Pulsars lead back to"))
    assert demo.build().ok
    overlay = json.loads((bundle / "parts.json").read_text())["overlay"]
    assert sorted(overlay["drop"]) == sorted([first_ids["/demo/first/"]["id"], first_ids["/demo/second/"]["id"]])
    # the course page changed too (its module previews), but not in what Pagefind indexes: not dropped
    assert set(_fragments(bundle / "overlay")) == {"/demo/first/", "/demo/second/", "/demo/"}
    assert _fragments(bundle / "overlay")["/demo/"] == first_ids["/demo/"]
    assert _fragments(bundle) == first_ids  # the part is still the first build's


def test_an_unchanged_rebuild_links_the_overlay_too(demo, monkeypatch):
    _overlay_site(demo, monkeypatch)
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    before = _inodes(demo.out / "pagefind/overlay")
    (demo.root / "content/demo/01-first.md").touch()
    assert demo.build().ok
    assert _inodes(demo.out / "pagefind/overlay") == before


def test_many_changed_pages_index_the_site_anew(demo, tmp_path, monkeypatch):
    _overlay_site(demo, monkeypatch)
    monkeypatch.setattr(searchstate, "OVERLAY_MAX_CHANGED", 1)
    _edit_first_module(demo, "about quasars")
    course = demo.root / "content/demo/course.yaml"
    course.write_text(course.read_text() + "tagline: Now with nebulae.\n")  # changes every page of the course
    report = demo.build()
    assert report.ok
    assert json.loads((demo.out / "pagefind/parts.json").read_text())["overlay"] is None
    assert not (demo.out / "pagefind/overlay").exists()
    assert demo.build(out=tmp_path / "scratch").ok
    assert _bundle(demo.out) == _bundle(tmp_path / "scratch")  # the same index a build from scratch makes


def test_a_damaged_index_record_makes_the_index_anew(demo, tmp_path, monkeypatch):
    _overlay_site(demo, monkeypatch)
    (demo.out / "pagefind" / searchstate.STATE).write_text("{not json")
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    assert json.loads((demo.out / "pagefind/parts.json").read_text())["overlay"] is None
    assert "quasars" in _fragments(demo.out / "pagefind")["/demo/first/"]["content"]


def test_a_part_missing_from_the_previous_site_makes_the_index_anew(demo, monkeypatch):
    _overlay_site(demo, monkeypatch)
    (demo.out / "pagefind/pagefind-entry.json").unlink()
    _edit_first_module(demo, "about quasars")
    assert demo.build().ok
    assert json.loads((demo.out / "pagefind/parts.json").read_text())["overlay"] is None
    assert page_count(demo.out / "pagefind") == 3


def test_removed_and_unsearchable_pages_are_stale_without_an_overlay_copy(monkeypatch):
    monkeypatch.setattr(searchstate, "OVERLAY_MIN_PAGES", 1)
    monkeypatch.setattr(searchstate, "OVERLAY_PAGES", 3)

    def page(rel: str, digest: str, searchable: bool = True) -> searchstate.PageFile:
        return searchstate.PageFile(rel, 10, searchable, digest)
    before = [page("a/index.html", "1"), page("b/index.html", "2"), page("c/index.html", "3"),
              page("d/index.html", "4"), page("e/index.html", "5")]
    state = searchstate.IndexState("engine", {p.rel: p for p in before},
                                   [["a/index.html", "c/index.html", "e/index.html"], ["b/index.html", "d/index.html"]])
    now = [page("a/index.html", "1"), page("b/index.html", "2*"), page("c/index.html", "3", searchable=False),
           page("e/index.html", "5"), page("f/index.html", "6")]
    plan = searchstate.plan_overlay(state, now)
    assert plan is not None
    assert plan.stale == ["b/index.html", "c/index.html", "d/index.html"]  # changed, no longer searchable, gone
    assert plan.pages == ["a/index.html", "b/index.html", "f/index.html"]  # changed and new, then padding
    assert plan.indexed == {"b/index.html": "2", "c/index.html": "3", "d/index.html": "4"}
    monkeypatch.setattr(searchstate, "OVERLAY_MAX_CHANGED", 3)
    assert searchstate.plan_overlay(state, now) is None  # two changed pages, but four with those gone: anew


def test_the_binary_is_the_one_pagefinds_own_lookup_finds(monkeypatch):
    from pagefind.service import get_executable
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert search.pagefind_executable() == get_executable()


def test_html_pages_lists_pages_below_every_folder_but_the_bundle(tmp_path):
    for rel in ["index.html", "a/index.html", "a/b/c/page.html", "a/pagefind/x.html", "pagefind/y.html",
                "a/style.css", "z.htm"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert search.html_pages(tmp_path) == ["a/b/c/page.html", "a/index.html", "a/pagefind/x.html", "index.html"]
