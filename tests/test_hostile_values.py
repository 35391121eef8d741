"""Values that reach a file name, a URL or a terminal are validated (review F6, F21, F22, F25)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CHECK_GOAL_1, SITE_YAML, CourseProject


def files_outside(root: Path, out: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and not p.is_relative_to(out) and ".coursegen-cache" not in p.parts)


@pytest.mark.parametrize("language", ["a/../../../../OUTSIDE", 'en" x', "../x", "e", "en_US", "x" * 20])
def test_a_language_that_is_no_language_tag_is_an_error_and_writes_nothing(tmp_path: Path, language: str) -> None:
    demo = CourseProject(tmp_path / "p" / "site").demo()
    demo.write("content/site.yaml", SITE_YAML + f"language: '{language}'\n")
    before = files_outside(tmp_path, demo.out)
    report = demo.build()
    expected = ("content/site.yaml:6: error: 'language' must be a language tag like 'en', 'de' or 'pt-BR', "
                f"not {language!r}")
    assert [d.format() for d in report.errors] == [expected]
    assert files_outside(tmp_path, demo.out) == before


@pytest.mark.parametrize("language", ["en", "de", "pt-BR", "zh-Hant-TW", "sr-Latn", "gsw"])
def test_real_language_tags_are_accepted(demo: CourseProject, language: str) -> None:
    demo.write("content/site.yaml", SITE_YAML + f"language: {language}\n")
    report = demo.build(search=False)
    assert report.ok, report.diagnostics
    assert demo.html("index.html").html["lang"] == language


@pytest.mark.parametrize("url", ["/\\evil.example/", "//evil.example/", "https://example.org:99999/",
                                 "https://example.org:abc/", "https://user@evil.example/", "https://ex ample.org/",
                                 "https://evil.example\\@example.org/"])
def test_base_urls_that_lead_to_another_host_are_refused(demo: CourseProject, url: str) -> None:
    result = demo.cli("build", "--base-url", url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("coursegen: error: --base-url must be a path starting with '/'")
    demo.write("content/site.yaml", SITE_YAML + f"base_url: '{url}'\n")
    errors = [d.format() for d in demo.build().errors]
    assert len(errors) == 1 and errors[0].startswith("content/site.yaml:6: error: 'base_url' must be a path")


@pytest.mark.parametrize("url", ["/", "/courses/", "https://example.org", "https://example.org:8443/c/",
                                 "http://127.0.0.1:8000/", "http://[::1]:8000/x/"])
def test_ordinary_base_urls_still_work(demo: CourseProject, url: str) -> None:
    assert demo.build(base_url=url, search=False).ok


def test_user_text_in_diagnostics_cannot_start_a_workflow_command_or_drive_the_terminal(demo: CourseProject) -> None:
    demo.write("content/demo/03-x.md", '---\ntitle: T\nsummary: S\ngoals:\n  - G\n'
                                       '"x\\n::warning::INJECTED\\e]0;title\\a\\u202e": 1\n---\n## Card\n\nx\n\n' + CHECK_GOAL_1)
    result = subprocess.run([sys.executable, "-m", "coursegen", "check", str(demo.root), "--base-url",
                             "https://example.org/"], capture_output=True,
                            text=True, env={**os.environ, "GITHUB_ACTIONS": "true"}, check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/demo/03-x.md:6: error: unknown key") for line in lines), lines
    assert any(line.startswith("::error file=content/demo/03-x.md,line=6::") for line in lines), lines
    assert not [line for line in lines if line.startswith("::warning")], "a workflow command was injected"
    assert not set(result.stderr) & {"\x1b", "\x07", "\u202e"}
    assert "\\n::warning::INJECTED\\x1b]0;title\\x07\\u202e" in result.stderr


@pytest.mark.parametrize("epoch", ["²", "١٢٣", "99999999999999999999", "253402300800", "-1", "1e9"])
def test_a_source_date_epoch_out_of_range_is_a_one_line_usage_error(demo: CourseProject, epoch: str) -> None:
    result = subprocess.run([sys.executable, "-m", "coursegen", "build", str(demo.root), "--base-url",
                             "https://example.org/"], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": epoch}, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("coursegen: error: SOURCE_DATE_EPOCH must be a whole number")
    assert "Traceback" not in result.stderr


def test_the_last_possible_source_date_epoch_builds(demo: CourseProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert demo.build(base_url="https://example.org/", search=False).ok
