"""In a real browser, under a sub-path: every request a page makes (CSS, JS modules, widgets, images) succeeds."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_publish_subpath import ORIGIN, SUB, serve_under_sub_path

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def flagship_under_sub_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("flagship")
    for name in ("content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / "project" / name)
    report = build(root / "project", BuildOptions(out=root / "site", base_url=ORIGIN + SUB))
    assert report.ok, [d.format() for d in report.errors]
    with serve_under_sub_path(root / "site") as server:
        yield server, sorted(p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("index.html"))


def test_every_page_loads_every_resource_from_under_the_sub_path(page, flagship_under_sub_path):
    server, pages = flagship_under_sub_path
    failed, outside, errors = [], [], []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: outside.append(r.url)
            if r.url.startswith(server) and not r.url[len(server):].startswith(SUB) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for rel in pages:
        page.goto(f"{server}{SUB}{rel.removesuffix('index.html')}", wait_until="networkidle")
    assert len(pages) >= 7
    assert failed == [] and outside == [] and errors == []
