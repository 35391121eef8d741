"""Bad-input corpus: every broken project fails with exit 1 and PATH:LINE errors, no traceback, no site.

The cases live in tests/bad_input/*.case (format in tests/bad_input/README.md); the few that need
bytes, symlinks or big files are built in code below.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import MODULE_ONE, CourseProject

from coursegen.cli import main

CORPUS = Path(__file__).parent / "bad_input"
ERROR_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<message>.+)$", re.MULTILINE)


@dataclass
class Case:
    name: str
    expects: list[tuple[str, int, str]] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def read_case(path: Path) -> Case:
    case = Case(path.stem)
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("=== "):
            current = line[4:].strip()
            case.files[current] = ""
        elif current is not None:
            case.files[current] += line
        elif line.startswith("expect: "):
            where, _, message = line[8:].strip().partition(": ")
            file, _, number = where.rpartition(":")
            case.expects.append((file, int(number), message))
        elif line.startswith("remove: "):
            case.removes.append(line[8:].strip())
        elif line.startswith("options: "):
            case.options += line[9:].split()
    assert case.expects, f"{path.name} has no 'expect:' line"
    return case


CASES = sorted(CORPUS.glob("*.case"))


def run_build(project: CourseProject, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    """Run `coursegen build` in-process (an uncaught exception fails the test) and return (code, stderr)."""
    code = main(["build", str(project.root), "--out", str(project.out), *options])
    captured = capsys.readouterr()
    return code, captured.err


def assert_reported(err: str, project: CourseProject, path: str, line: int, fragment: str) -> None:
    errors = [(m["path"], int(m["line"]), m["message"]) for m in ERROR_LINE.finditer(err)]
    assert any(p == path and n == line and fragment in msg for p, n, msg in errors), (
        f"expected '{path}:{line}: error: ...{fragment}...' in:\n{err}")
    assert "Traceback" not in err
    assert not project.out.exists(), "a failed build must not write a site"


@pytest.mark.parametrize("case_file", CASES, ids=[p.stem for p in CASES])
def test_corpus_case_fails_with_located_error(case_file: Path, project: CourseProject,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    case = read_case(case_file)
    project.demo()
    for rel in case.removes:
        project.remove(rel)
    for rel, text in case.files.items():
        project.write(rel, text)
    code, err = run_build(project, capsys, *case.options)
    assert code == 1, err
    for path, line, fragment in case.expects:
        assert_reported(err, project, path, line, fragment)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_file_that_is_not_utf8(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    project.demo().write("content/demo/03-latin.md",
                         "---\ntitle: Caf\xe9\nsummary: s\ngoals:\n  - g\n---\n".encode("latin-1"))
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/03-latin.md", 2, "not UTF-8 text")


def test_binary_junk_named_md(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    junk = bytes(range(256)) * 40
    project.demo().write("content/demo/03-junk.md", b"\x89PNG\r\n\x1a\n" + junk)
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/03-junk.md", 3, "not a text file")


def test_binary_junk_as_site_yaml(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    project.demo().write("content/site.yaml", b"\xff\xfe\x00t\x00i\x00t\x00l\x00e")
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/site.yaml", 1, "not a text file")


def test_symlink_pointing_outside_is_not_followed(project: CourseProject, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\nsummary: s\ngoals:\n  - g\n---\n## Secret\n\nTOP-SECRET\n")
    project.demo()
    os.symlink(secret, project.root / "content/demo/03-secret.md")
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/03-secret.md", 1, "points outside the project")


def test_symlinked_asset_folder_outside_is_reported(project: CourseProject, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "key.pem").write_text("PRIVATE")
    project.demo()
    os.symlink(tmp_path / "elsewhere", project.root / "content/demo/images")
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/images", 1, "points outside the project")


def test_bom_and_crlf_build_fine(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    project.demo().write("content/demo/01-first.md",
                         b"\xef\xbb\xbf" + MODULE_ONE.replace("\n", "\r\n").encode())
    project.write("content/site.yaml", b"\xef\xbb\xbf" + project.root.joinpath(
        "content/site.yaml").read_bytes().replace(b"\n", b"\r\n"))
    code, err = run_build(project, capsys)
    assert code == 0, err
    page = project.html("demo/first/index.html")
    assert page.find("section", id="opening-card") is not None
    assert page.find("h1").get_text(strip=True) == "First Steps"


def test_ten_megabyte_module_builds(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = ("A long line of ordinary prose about tokens and weights. " * 20 + "\n\n")
    cards = "".join(f"## Card {n}\n\n" + paragraph * 9 for n in range(1000))
    text = "---\ntitle: Huge\nsummary: A very big module.\ngoals:\n  - Survive.\n---\n" + cards
    assert len(text) > 10_000_000
    project.demo().write("content/demo/03-huge.md", text)
    code, err = run_build(project, capsys)
    assert code == 0, err
    assert project.html("demo/huge/index.html").find("section", id="card-999") is not None


def test_ten_megabyte_broken_module_fails_with_line(project: CourseProject,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    body = "Plain words on a line.\n" * 450_000
    text = "---\ntitle: Huge\nsummary: A very big module.\ngoals:\n  - Survive.\n---\n" + body + \
        "[broken](99-missing.md)\n"
    project.demo().write("content/demo/03-huge.md", text)
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/03-huge.md", 450_007, "no such module")


def test_many_errors_are_reported_in_one_run(project: CourseProject, capsys: pytest.CaptureFixture[str]) -> None:
    project.demo()
    project.write("content/demo/03-a.md", "")
    project.write("content/demo/04-b.md", "---\ntitle: B\nsumary: s\ngoals:\n  - g\n---\n")
    code, err = run_build(project, capsys)
    assert code == 1
    assert_reported(err, project, "content/demo/03-a.md", 1, "empty")
    assert_reported(err, project, "content/demo/04-b.md", 3, "did you mean 'summary'")


def test_cli_subprocess_has_no_traceback(project: CourseProject) -> None:
    project.demo().write("content/demo/01-first.md", "---\n- a\n- b\n---\n")
    result = project.cli("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/demo/01-first.md:2: error: front matter must be a mapping" in result.stderr
    assert not (project.root / "build").exists()
