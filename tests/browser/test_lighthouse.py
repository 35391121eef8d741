"""Lighthouse on the flagship, built with a full base URL: 100 in every category on home, course and module pages,
performance >= 95 on print and 404 (rightly noindex), CLS 0 everywhere; the median of three runs a page."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import StaticServer, free_port
from lighthouse_run import LIGHTHOUSE, audit

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
COURSE = "how-llms-work"
INDEXABLE = ["", f"{COURSE}/", f"{COURSE}/the-arc/"]
NOINDEX = [f"{COURSE}/print/", "404.html"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not LIGHTHOUSE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{LIGHTHOUSE} missing: scripts/test.sh installs it")  # never skip in CI
        pytest.skip("lighthouse not installed (scripts/test.sh installs it into .npm-test/)")
    port = free_port()
    out = tmp_path_factory.mktemp("flagship-lighthouse") / "site"
    report = build(REPO, BuildOptions(out=out, cache=False, base_url=f"http://127.0.0.1:{port}/"))
    assert report.ok, "\n".join(d.format() for d in report.errors)
    server = StaticServer(out, port)
    yield server.url + "/"
    server.stop()


@pytest.mark.parametrize("path", INDEXABLE + NOINDEX)
def test_lighthouse_scores(served, path):
    result = audit(served + path)
    assert result.metrics["cumulative-layout-shift"] == 0, result
    assert result.scores["performance"] >= (100 if path in INDEXABLE else 95), result
    assert result.scores["accessibility"] == 100 and result.scores["best-practices"] == 100, result
    if path in INDEXABLE:
        assert result.scores["seo"] == 100, result
