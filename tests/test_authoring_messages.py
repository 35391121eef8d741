"""What an author sees for the mistakes of the author trial (docs/authoring.md): previews out of bounds, links to
course and home pages, `-v` detail, and a `coursegen new` project that passes --strict without a warning."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import CHECK_GOAL_1, CourseProject

HEAD = "---\ntitle: Third\nsummary: S.\ngoals:\n  - G.\n"


def _messages(report) -> list[str]:
    return [d.format() for d in report.diagnostics if not d.path.endswith("site.yaml")]


def test_a_preview_longer_than_preview_length_is_a_warning_at_its_line(demo: CourseProject) -> None:
    long = "word " * 40  # 200 characters
    demo.write("content/demo/03-third.md", f"{HEAD}cards:\n  - title: A\n    preview: {long}\n---\n## A\n\nText.\n\n" + CHECK_GOAL_1)
    report = demo.check()
    assert report.ok and _messages(report) == [
        ("content/demo/03-third.md:8: warning: the preview of card 'A' is 199 characters, over the limit of 140 "
         "(preview_length in site.yaml); shorten it to 140 or fewer")]
    assert not demo.check(strict=True).ok


def test_a_card_without_text_for_its_preview_is_a_warning_at_its_heading(demo: CourseProject) -> None:
    demo.write("content/demo/03-third.md", f"{HEAD}---\n## Code First\n\n```bash\nls\n```\n\n## Prose\n\nWords.\n\n" + CHECK_GOAL_1)
    report = demo.check()
    assert report.ok and _messages(report) == [
        ("content/demo/03-third.md:7: warning: card 'Code First' has an empty preview: it has no text outside code, "
         "pictures and blocks; add a sentence, or give it a 'preview:' of up to 140 characters in the front matter "
         "'cards' list")]


def test_course_and_home_pages_are_linked_by_their_yaml_files(demo: CourseProject) -> None:
    demo.write("content/demo/03-third.md", f"{HEAD}---\n## Links\n\n[course](course.yaml), [home](../site.yaml), "
               "[planned](../later/course.yaml), [course again](../demo/course.yaml#module-first).\n\n" + CHECK_GOAL_1)
    report = demo.build(base_url="https://example.org/sub/")
    assert report.ok, [d.format() for d in report.diagnostics]
    hrefs = [a["href"] for a in demo.html("demo/third/index.html").select(".cg-card .cg-prose a")]
    assert hrefs == ["/sub/demo/", "/sub/", "/sub/#course-later", "/sub/demo/#module-first"]
    demo.write("content/demo/03-third.md", f"{HEAD}---\n## Links\n\n[x](../nosuch/course.yaml)\n\n" + CHECK_GOAL_1)
    assert _messages(demo.check()) == [
        ("content/demo/03-third.md:9: error: link to '../nosuch/course.yaml': no published course 'nosuch' (a "
         "course's page is linked as its course.yaml, for example '../other-course/course.yaml')")]


def test_verbose_shows_coursegen_stages_and_no_library_debug_log(demo: CourseProject) -> None:
    result = demo.cli("build", "-v")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    stages = [line.split(":")[1].strip() for line in lines if line.startswith("coursegen: ")]
    assert [s for s in stages if s in ("load", "parse", "model", "render", "check links", "write")] == [
        "load", "parse", "model", "render", "check links", "write"], lines
    assert all(line.startswith(("coursegen: ", "content/")) for line in lines), lines  # nothing from markdown-it
    assert len(lines) < 40
    assert "coursegen: " not in demo.cli("build").stderr


def test_a_new_project_passes_strict_check_and_build_without_a_warning(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "coursegen", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, check=False)

    assert run("new", "site").returncode == 0
    checked = run("check", "site", "--strict")
    assert checked.returncode == 0 and checked.stderr == "" and "0 errors." in checked.stdout, checked.stderr
    built = run("build", "site", "--strict")
    assert built.returncode == 0 and built.stderr == "" and "0 errors)" in built.stdout, built.stderr
    drafts = run("build", "site", "--strict", "--drafts", "--out", str(tmp_path / "drafts"))
    assert drafts.returncode == 0 and drafts.stderr == "", drafts.stderr
    assert (tmp_path / "drafts/git-basics/undo/index.html").exists()
    assert not (tmp_path / "site/build/git-basics/undo").exists()  # the draft stays out of a normal build


def test_link_check_findings_come_in_the_same_pass_as_content_errors(demo: CourseProject) -> None:
    """A front-matter error in module 2 and a broken module link in module 1 do not hide the link check's findings
    elsewhere; a link to the broken module is not blamed; each mistake is one message; nothing is written."""
    second = demo.root / "content/demo/02-second.md"
    second.write_text(second.read_text().replace("title: Second Module", "title: Second Module\ntitel: x"))
    first = demo.root / "content/demo/01-first.md"
    body = first.read_text()
    first.write_text(body + "\n[Old](http://example.com/) and <img src=\"../../nowhere.png\" alt=\"x\">.\n\n"
                     "[Gone](03-gone.md).\n")
    line = body.count("\n") + 2
    report = demo.build(base_url="https://example.org/")
    found = [(d.path, d.line, d.severity, d.message.split(" (built page")[0]) for d in report.diagnostics]
    assert found == [
        ("content/demo/01-first.md", line, "error",
         "'../../nowhere.png' points at 'nowhere.png', which is not in the built site"),
        ("content/demo/01-first.md", line, "warning",
         "'http://example.com/' is an insecure http:// link; use https:// if the site offers it"),
        ("content/demo/01-first.md", line + 2, "error", "link to '03-gone.md': no such module"),
        ("content/demo/02-second.md", 3, "error", "unknown key 'titel' in front matter; did you mean 'title'?")]
    assert not demo.out.exists()
    strict = demo.check(base_url="https://example.org/", strict=True)
    assert [d.severity for d in strict.diagnostics] == ["error"] * 4
