"""Bad content: exact PATH:LINE errors, all in one pass, exit code 1, no traceback, nothing written."""
from __future__ import annotations

import pytest

GOOD_HEAD = "---\ntitle: T\nsummary: S\ngoals:\n  - G\n---\n"

# (files to write over the demo project, the exact error lines expected)
CASES = {
    "front matter not closed": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary: S\n"},
        [("content/demo/03-x.md:1: error: the front matter that opens on line 1 is never closed; "
         "add a line with just '---' after the last key")]),
    "no front matter": (
        {"content/demo/03-x.md": "# Just markdown\n"},
        [("content/demo/03-x.md:1: error: a module must start with front matter: a line '---', "
         "then title, summary and goals, then another '---'")]),
    "empty file": (
        {"content/demo/03-x.md": ""},
        [("content/demo/03-x.md:1: error: the file is empty; a module starts with front matter "
         "('---', then title, summary and goals, then '---')")]),
    "yaml syntax error": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary: [unclosed\ngoals: []\n---\n"},
        ["content/demo/03-x.md:4: error: front matter: invalid YAML: expected ',' or ']', but got ':'"]),
    "front matter is a list": (
        {"content/demo/03-x.md": "---\n- a\n- b\n---\n"},
        ["content/demo/03-x.md:2: error: front matter must be a mapping of 'key: value' lines, not a list"]),
    "missing title": (
        {"content/demo/03-x.md": "---\nsummary: S\ngoals: [G]\n---\n"},
        ["content/demo/03-x.md:1: error: missing required key 'title' in front matter"]),
    "empty summary": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary:\ngoals: [G]\n---\n"},
        ["content/demo/03-x.md:3: error: 'summary' is empty; it is required in front matter"]),
    "goals not a list": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary: S\ngoals: learn things\n---\n"},
        ["content/demo/03-x.md:4: error: 'goals' must be a list ('- item' lines), not text"]),
    "empty goals": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary: S\ngoals: []\n---\n"},
        ["content/demo/03-x.md:4: error: 'goals' must list at least one item"]),
    "unknown key with hint": (
        {"content/demo/03-x.md": GOOD_HEAD.replace("goals:", "minuts: 5\ngoals:")},
        ["content/demo/03-x.md:4: error: unknown key 'minuts' in front matter; did you mean 'minutes'?"]),
    "minutes not a number": (
        {"content/demo/03-x.md": GOOD_HEAD.replace("goals:", "minutes: soon\ngoals:")},
        ["content/demo/03-x.md:4: error: 'minutes' must be a whole number of at least 1, not 'soon'"]),
    "cards metadata mismatch": (
        {"content/demo/03-x.md": GOOD_HEAD.replace("goals:", "cards:\n  - title: Wrong\ngoals:")
         + "## Right\n\nText.\n"},
        [("content/demo/03-x.md:5: error: 'cards' entry 1 is titled 'Wrong' but card 1 is '## Right' (line 9); "
         "entries must match the headings in order")]),
    "visual without alt": (
        {"content/demo/03-x.md": GOOD_HEAD.replace("goals:", "cards:\n  - title: A\n    visual: a.svg\ngoals:")
         + "## A\n\nText.\n"},
        [("content/demo/03-x.md:6: error: card 'A' has a 'visual' but no 'alt' text; "
         "add 'alt:' describing the picture for readers who cannot see it")]),
    "link to missing module": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\nSee [nothing](09-nothing.md).\n"},
        ["content/demo/03-x.md:9: error: link to '09-nothing.md': no such module"]),
    "link to misspelt module": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\nSee [second](02-secnd.md).\n"},
        ["content/demo/03-x.md:9: error: link to '02-secnd.md': no such module; did you mean '02-second.md'?"]),
    "link to misspelt card": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\nSee [card](01-first.md#another-crd) and [a](#b).\n"},
        [("content/demo/03-x.md:9: error: link to '#b': no card or heading with that id on this page"),
         ("content/demo/03-x.md:9: error: link to '01-first.md#another-crd': that module has no card or heading "
          "with id 'another-crd'; did you mean '01-first.md#another-card'?")]),
    "link to missing anchor": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\nSee [card](01-first.md#no-such-card).\n"},
        [("content/demo/03-x.md:9: error: link to '01-first.md#no-such-card': that module has no card "
         "or heading with id 'no-such-card'")]),
    "missing image": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\n![diagram](images/missing.svg)\n"},
        [("content/demo/03-x.md:9: error: image 'images/missing.svg' not found "
         "(looked for content/demo/images/missing.svg)")]),
    "duplicate module numbers": (
        {"content/demo/02-again.md": GOOD_HEAD},
        [("content/demo/02-second.md:1: error: module number 02 is also used by content/demo/02-again.md; "
         "give each module its own number")]),
    "duplicate module slugs": (
        {"content/demo/05-second.md": GOOD_HEAD},
        [("content/demo/05-second.md:1: error: module slug 'second' is also used by content/demo/02-second.md; "
         "two modules cannot share a URL")]),
    "not utf-8": (
        {"content/demo/03-x.md": GOOD_HEAD.encode() + b"## A\n\ncaf\xe9\n"},
        [("content/demo/03-x.md:9: error: this file is not UTF-8 text (byte 0xe9 cannot be decoded); "
         "save it with UTF-8 encoding")]),
    "tabs in yaml": (
        {"content/demo/03-x.md": "---\ntitle: T\nsummary: S\ngoals:\n\t- G\n---\n"},
        [("content/demo/03-x.md:5: error: front matter: invalid YAML: found character '\\t' that cannot "
         "start any token (YAML does not allow tabs for indentation; use spaces)")]),
    "unknown site key": (
        {"content/site.yaml": "title: T\ndescription: D\ncourse:\n  - demo\n"},
        ["content/site.yaml:3: error: unknown key 'course' in site.yaml; did you mean 'courses'?"]),
    "course listed but missing": (
        {"content/site.yaml": "title: T\ndescription: D\ncourses:\n  - demo\n  - later\n  - ghost\n"},
        [("content/site.yaml:6: error: course 'ghost' is listed in 'courses' but content/ghost/ does not "
         "exist (courses found: demo, later)")]),
    "bad course status": (
        {"content/later/course.yaml": "title: L\ntagline: T\ndescription: D\nstatus: soon\n"},
        ["content/later/course.yaml:4: error: 'status' must be 'published' or 'planned', not 'soon'"]),
    "next names a missing course": (
        {"content/demo/course.yaml": "title: D\ntagline: T\ndescription: D\nnext:\n  - nowhere\n"},
        [("content/demo/course.yaml:5: error: 'next' names course 'nowhere', which does not exist or is "
         "not listed in site.yaml 'courses'")]),
    "unknown block": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\n::: danger\nBoo\n:::\n"},
        ["content/demo/03-x.md:9: error: unknown block '::: danger'; use one of: note, tip, important, warning, caution, reveal, tabs, tab, instructor"]),
    "quiz without a correct option": (
        {"content/demo/03-x.md": GOOD_HEAD + "## A\n\n```quiz\nquestion: Q?\noptions:\n  - text: a\n  - text: b\n```\n"},
        ["content/demo/03-x.md:11: error: the quiz has no correct option; mark at least one with 'correct: true'"]),
    "bad module file name": (
        {"content/demo/notes.md": GOOD_HEAD},
        [("content/demo/notes.md:1: error: module file name 'notes.md' must look like '01-some-slug.md': "
         "a number, a hyphen, then lowercase words joined by hyphens")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_content_reports_path_and_line(demo, case):
    files, expected = CASES[case]
    for rel, text in files.items():
        demo.write(rel, text)
    result = demo.cli("build")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert lines == expected
    assert "Traceback" not in result.stderr
    assert not demo.out.exists()  # nothing written


def test_all_errors_reported_in_one_pass_then_a_count(demo):
    demo.write("content/demo/03-a.md", "---\ntitle: A\n---\n")
    demo.write("content/demo/04-b.md", GOOD_HEAD + "## A\n\n[x](nowhere.md)\n")
    demo.write("content/later/course.yaml", "title: L\ntagline: T\ndescriptoin: D\n")
    result = demo.cli("check")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error:")[0] for e in errors] == [
        "content/demo/03-a.md:1", "content/demo/03-a.md:1", "content/demo/04-b.md:9", "content/later/course.yaml:3"]
    assert result.stderr.rstrip().endswith("Check failed: 4 errors, 2 warnings.")  # base_url; 04-b's goal


def test_check_is_silent_and_writes_nothing_on_good_content(demo):
    result = demo.cli("check", "-q")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert not demo.out.exists()
