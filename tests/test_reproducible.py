"""Reproducible output: the same input gives byte-identical files; dates come from content or SOURCE_DATE_EPOCH."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

BASE = "https://example.org/courses/"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = tree(a), tree(b)
    return sorted(set(left) ^ set(right)) + sorted(k for k in set(left) & set(right) if left[k] != right[k])


def _flagship(tmp_path: Path, name: str) -> Path:
    project = tmp_path / name
    for folder in ("content", "templates", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, project / folder)  # copytree keeps modification times
    return project


def _build(project: Path, out: Path, epoch: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([sys.executable, "-m", "coursegen", "build", str(project), "--out", str(out),
                           "--base-url", BASE, "-q"], check=False, env=env, capture_output=True, text=True, timeout=300)


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    project = _flagship(tmp_path, "site")
    for out in ("one", "two"):
        result = _build(project, tmp_path / out, "1700000000")
        assert result.returncode == 0, result.stderr
    assert len(tree(tmp_path / "one")) > 20
    assert differences(tmp_path / "one", tmp_path / "two") == []


def test_a_copy_of_the_project_elsewhere_builds_byte_identical_without_cache(tmp_path):
    first, second = _flagship(tmp_path, "a"), _flagship(tmp_path, "elsewhere/b")
    assert _build(first, tmp_path / "one", None).returncode == 0
    assert _build(second, tmp_path / "two", None).returncode == 0  # cold social-card cache, other paths
    assert differences(tmp_path / "one", tmp_path / "two") == []


def test_sitemap_dates_come_from_source_date_epoch(demo, tmp_path):
    result = _build(demo.root, demo.out, "1700000000")  # 2023-11-14 22:13:20 UTC
    assert result.returncode == 0, result.stderr
    sitemap = (demo.out / "sitemap.xml").read_text()
    assert re.findall(r"<lastmod>(.*?)</lastmod>", sitemap) == ["2023-11-14"] * 4


def test_sitemap_dates_come_from_the_content_files_without_source_date_epoch(demo):
    day = 86400
    for rel, when in [("content/site.yaml", 10 * day), ("content/demo/course.yaml", 20 * day),
                      ("content/demo/01-first.md", 30 * day), ("content/demo/02-second.md", 40 * day)]:
        os.utime(demo.root / rel, (when, when))
    assert _build(demo.root, demo.out, None).returncode == 0
    sitemap = (demo.out / "sitemap.xml").read_text()
    dates = dict(re.findall(r"<loc>(.*?)</loc><lastmod>(.*?)</lastmod>", sitemap))
    assert dates == {BASE: "1970-02-10", BASE + "demo/": "1970-02-10",
                     BASE + "demo/first/": "1970-01-31", BASE + "demo/second/": "1970-02-10"}


def test_a_malformed_source_date_epoch_is_a_usage_error(demo):
    result = _build(demo.root, demo.out, "yesterday")
    assert result.returncode == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr


def test_theme_assets_get_content_hashed_names_that_pages_reference(demo):
    assert demo.build().ok
    static = demo.out / "static"
    css = sorted(p.name for p in static.glob("*.css"))
    js = sorted(p.name for p in static.glob("*.js"))
    assert all(re.fullmatch(r"[a-z]+\.[0-9a-f]{8}\.(css|js)", name) for name in css + js), css + js
    head = demo.html("demo/first/index.html")
    linked = {Path(tag["href"]).name for tag in head.find_all("link", rel="stylesheet")}
    linked |= {Path(tag["src"]).name for tag in head.find_all("script", src=True)}
    assert {"coursegen"} <= {name.split(".")[0] for name in linked}  # pygments.css only where code is shown
    assert linked <= set(css + js)
    import hashlib
    for name in css + js:
        assert name.split(".")[1] == hashlib.sha256((static / name).read_bytes()).hexdigest()[:8]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="a tmpfs to build on needs root (mount)")
def test_a_site_built_on_another_file_system_is_byte_identical(tmp_path):
    """ext4 lists a folder's entries by a hash of their names, tmpfs newest first: the search index, which
    numbers pages in the order they are read, came out in other bytes on each (the pages, the same)."""
    disk, memory = tmp_path / "disk", tmp_path / "memory"
    memory.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs", str(memory)], check=True)
    try:  # two copies of the project: each its own cache, or the second build would take the first one's index
        assert _build(_flagship(tmp_path, "one"), disk / "site", "1700000000").returncode == 0
        assert _build(_flagship(tmp_path, "two"), memory / "site", "1700000000").returncode == 0
        assert sorted(os.listdir(disk / "site")) == sorted(os.listdir(memory / "site"))
        assert os.listdir(disk / "site") != os.listdir(memory / "site"), "the two list entries alike: no test"
        assert differences(disk / "site", memory / "site") == []
    finally:
        subprocess.run(["umount", str(memory)], check=True)
