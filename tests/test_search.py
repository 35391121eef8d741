"""The Pagefind search index: written by build before the swap, skipped by check and on request."""
from __future__ import annotations

import contextlib
import gzip
import json
import stat
from pathlib import Path

from coursegen import BuildOptions, build
from coursegen.publish import search


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
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("part-") and p.name != "parts.json"}


def _bundle(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_a_rebuild_indexes_again_only_the_parts_whose_pages_changed(demo, tmp_path, monkeypatch):
    """Each part's index is kept in the cache by what it read: a build into a new folder (CI with the cache
    restored) links the unchanged parts from there and runs Pagefind on the others alone."""
    monkeypatch.setattr(search, "PART_PAGES", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert demo.build().ok
    parts = search.split_pages(demo.out, search.html_pages(demo.out))
    edited = next(n for n, part in enumerate(parts) if "demo/first/index.html" in part)
    kept = demo.root / ".coursegen-cache/search"
    assert len(list(kept.iterdir())) == 2
    folders = ["pagefind", "pagefind/part-1"]
    before = [_inodes(demo.out / folder) for folder in folders]  # the site's index files are the cache's
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Intro paragraph.", "Intro paragraph about quasars."))
    fresh = tmp_path / "fresh"
    assert demo.build(out=fresh).ok
    after = [_inodes(fresh / folder) for folder in folders]
    assert after[1 - edited] == before[1 - edited]  # the unchanged part: linked from the cache
    assert not set(after[edited].values()) & set(before[edited].values())  # indexed again
    assert len(list(kept.iterdir())) == 2  # the edited part's old index is gone
    scratch = tmp_path / "scratch"
    assert demo.build(out=scratch, cache=False).ok
    assert _bundle(fresh) == _bundle(scratch)  # the same index a build from scratch makes


def test_a_kept_index_changed_on_disk_is_indexed_again_not_published(demo, tmp_path, monkeypatch):
    """The site's index files are hard links to the kept ones: a file changed in place in build/ (or cut on
    disk) must not be linked into the next site (review F14)."""
    monkeypatch.setattr(search, "PART_PAGES", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert demo.build().ok
    damaged = 0
    for path in (demo.out / "pagefind").rglob("*.pf_fragment"):
        with open(path, "r+b") as f:  # in place: the same inode as the kept copy
            f.write(b"garbage")
        damaged += 1
    assert damaged >= 2
    fresh, scratch = tmp_path / "fresh", tmp_path / "scratch"
    assert demo.build(out=fresh).ok
    assert demo.build(out=scratch, cache=False).ok
    assert _bundle(fresh) == _bundle(scratch)


def test_parts_are_indexed_side_by_side(demo, tmp_path, monkeypatch):
    real = search.pagefind_executable()
    runs = tmp_path / "runs"
    runs.mkdir()
    # each run counts the runs started by the time it has slept a second: one after another, 1 then 2
    body = f'touch {runs}/$$; sleep 1; ls {runs} | wc -l >> {tmp_path}/at-once; exec "{real}" "$@"'
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, body)))
    monkeypatch.setattr(search, "PART_PAGES", 2)
    assert build(demo.root, BuildOptions(out=demo.out)).ok  # one build: these runs alone
    assert sorted(int(n) for n in (tmp_path / "at-once").read_text().split()) == [2, 2]  # both ran at once
    bundle = demo.out / "pagefind"
    assert [page_count(bundle), page_count(bundle / "part-1")] == [2, 1]


def test_a_failed_part_fails_the_build_and_keeps_the_previous_site(demo, tmp_path, monkeypatch):
    assert demo.build().ok
    before = (demo.out / "pagefind/pagefind-entry.json").read_bytes()
    real = search.pagefind_executable()
    body = f'mkdir {tmp_path}/first 2>/dev/null && exec "{real}" "$@"; echo "Error: part broke" >&2; exit 3'  # the 2nd
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, body)))
    monkeypatch.setattr(search, "PART_PAGES", 2)
    report = demo.build()
    assert [d.format() for d in report.errors] == [
        "build:1: error: search index: Pagefind failed to index the site: Error: part broke"]
    assert (demo.out / "pagefind/pagefind-entry.json").read_bytes() == before
    assert not (demo.out / "pagefind/part-1").exists()


def test_html_pages_lists_pages_below_every_folder_but_the_bundle(tmp_path):
    for rel in ["index.html", "a/index.html", "a/b/c/page.html", "a/pagefind/x.html", "pagefind/y.html",
                "a/style.css", "z.htm"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert search.html_pages(tmp_path) == ["a/b/c/page.html", "a/index.html", "a/pagefind/x.html", "index.html"]


def _published_with(out: Path, word: str) -> list[str]:
    """The files of the site's search bundle that hold `word`, decompressed as a browser would fetch them."""
    found = []
    for path in sorted((out / "pagefind").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            with contextlib.suppress(OSError, EOFError):
                data = gzip.decompress(data)
            if word.encode() in data:
                found.append(path.relative_to(out).as_posix())
    return found


def _more_modules(demo, count: int) -> None:
    for n in range(3, 3 + count):
        demo.write(f"content/demo/0{n}-extra-{n}.md", f"---\ntitle: Extra {n}\nsummary: S.\ngoals:\n  - G.\n---\n"
                                                  f"## Card {n}\n\nText of module {n}.\n")


def test_text_removed_from_a_module_is_gone_from_every_published_index_file(demo, monkeypatch):
    """Review F2: on a site indexed in parts, an edit must re-index the part that held the old text, not
    hide it behind a list of dropped results: every fragment, index chunk and meta file is public."""
    monkeypatch.setattr(search, "PART_PAGES", 2)
    _more_modules(demo, 4)
    module = demo.root / "content/demo/01-first.md"
    module.write_text(module.read_text().replace("Plain text here.", "The key is ZZSECRETKEY4242, do not share."))
    assert demo.build().ok
    assert _published_with(demo.out, "ZZSECRETKEY4242"), "the word is indexed (else this test proves nothing)"
    assert len(json.loads((demo.out / "pagefind/parts.json").read_text())["parts"]) >= 2
    module.write_text(module.read_text().replace("ZZSECRETKEY4242", "removed"))
    assert demo.build().ok
    assert _published_with(demo.out, "ZZSECRETKEY4242") == []
    assert _published_with(demo.out, "removed")


def test_a_module_made_a_draft_leaves_no_text_in_the_published_index(demo, monkeypatch):
    monkeypatch.setattr(search, "PART_PAGES", 2)
    _more_modules(demo, 4)
    module = demo.root / "content/demo/04-extra-4.md"
    module.write_text(module.read_text().replace("Text of module 4.", "Embargoed: ZZEMBARGOWORD."))
    r = demo.build()
    assert r.ok, [d.format() for d in r.errors]
    assert _published_with(demo.out, "ZZEMBARGOWORD")
    module.write_text(module.read_text().replace("goals:", "draft: true\ngoals:"))
    assert demo.build().ok
    assert not (demo.out / "demo/extra-4/index.html").exists()
    assert _published_with(demo.out, "ZZEMBARGOWORD") == []
