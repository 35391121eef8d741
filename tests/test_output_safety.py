"""The output folder: atomic replacement, refusal of unsafe targets, nothing written elsewhere."""
from __future__ import annotations

import pytest


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_leaves_previous_site_byte_for_byte(demo):
    assert demo.build().ok
    before = snapshot(demo.out)
    demo.write("content/demo/01-first.md", "---\ntitle: Broken\n")
    result = demo.cli("build")
    assert result.returncode == 1
    assert "the previous site" in result.stderr
    assert snapshot(demo.out) == before


def test_rebuild_replaces_the_site_and_removes_stale_pages(demo):
    demo.build()
    assert (demo.out / "demo/second/index.html").exists()
    demo.remove("content/demo/02-second.md")
    demo.write("content/demo/01-first.md", (demo.root / "content/demo/01-first.md").read_text().replace(
        "[the next one](02-second.md#second-card)", "the next one"))
    assert demo.build().ok
    assert not (demo.out / "demo/second").exists()
    leftovers = [p.name for p in demo.root.iterdir() if "coursegen" in p.name and p.name != ".coursegen-cache"]
    assert leftovers == []


def test_build_writes_only_inside_the_output_folder(demo, tmp_path):
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    content_before = snapshot(demo.root / "content")
    demo.build()
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before
    assert sorted(p.name for p in demo.root.iterdir()) == [".coursegen-cache", "build", "content"]  # issue 7
    assert snapshot(demo.root / "content") == content_before


@pytest.mark.parametrize("out", [".", "content", "content/demo/out", "..", "static"])
def test_output_overlapping_sources_is_refused(demo, out):
    (demo.root / "static").mkdir(exist_ok=True)
    result = demo.cli("build", "--out", out)
    assert result.returncode == 2
    assert result.stderr.startswith("coursegen: error: output folder")
    assert "Traceback" not in result.stderr


def test_non_empty_folder_not_made_by_coursegen_is_refused(demo):
    (demo.root / "mine").mkdir()
    (demo.root / "mine/notes.txt").write_text("precious")
    result = demo.cli("build", "--out", "mine")
    assert result.returncode == 2
    assert "not empty and was not made by coursegen" in result.stderr
    assert (demo.root / "mine/notes.txt").read_text() == "precious"


def test_output_path_that_is_a_file_is_refused(demo):
    (demo.root / "site.zip").write_text("x")
    result = demo.cli("build", "--out", "site.zip")
    assert result.returncode == 2 and "is a file" in result.stderr


def test_interrupted_swap_is_recovered_on_next_build(demo):
    """A crash between the two renames leaves only the old site aside; the next run restores it."""
    demo.build()
    before = snapshot(demo.out)
    aside = demo.root / ".build.coursegen-old-999"
    demo.out.rename(aside)
    demo.write("content/demo/01-first.md", "---\ntitle: Broken\n")
    assert demo.cli("build").returncode == 1  # even a failed build puts the old site back
    assert snapshot(demo.out) == before
    assert not aside.exists()
