"""coursegen serve's warnings: in the terminal and in a panel on every served page, for as long as they last."""
from __future__ import annotations

from pathlib import Path

from helpers import CourseProject
from servehelp import Server, edit, get, page_with, sandbox, until

DRAFT_LINK = ("link to '02-second.md', a draft: the link works in the preview but breaks 'coursegen build' "
              "(publish the draft: remove its 'draft: true'; or remove the link)")


def _link_line(demo: CourseProject) -> int:
    text = (demo.root / "content/demo/01-first.md").read_text()
    return text[: text.index("(02-second.md#second-card)")].count("\n") + 1


def test_a_link_from_a_published_module_to_a_draft_is_a_warning_at_the_link(demo: CourseProject,
                                                                             tmp_path: Path) -> None:
    """serve shows drafts, so the link works there; the warning says it breaks the build, which it does."""
    line = _link_line(demo)
    edit(demo.root, "content/demo/02-second.md", "goals:", "draft: true\ngoals:")
    server = Server(demo.root, sandbox(tmp_path))
    try:
        status, page = get(server.url + "demo/first/")
        assert status == 200 and 'href="/demo/second/#second-card"' in page  # the link works in the preview
        assert 'id="cg-serve-warnings"' in page and "1 warning</h2>" in page
        assert f"content/demo/01-first.md:{line}</strong>: warning: {DRAFT_LINK.replace(chr(39), '&#x27;')}" in page
        assert "(02-second.md#second-card)" in page  # the offending source line is quoted
        assert 'id="cg-serve-warnings"' in get(server.url)[1]  # on every page, not only the one with the link
        edit(demo.root, "content/demo/02-second.md", "draft: true\ngoals:", "goals:")
        until("the panel goes once the draft is published",
              lambda: page_with(server.url + "demo/first/", "Second Module") and 'id="cg-serve-warnings"'
              not in get(server.url + "demo/first/")[1])
    finally:
        code, _, err = server.stop()
    assert code == 0
    assert err.count(f"content/demo/01-first.md:{line}: warning: {DRAFT_LINK}\n") == 1, err  # once, not per rebuild


def test_the_build_breaks_where_serve_warned_and_links_between_drafts_are_silent(demo: CourseProject) -> None:
    line = _link_line(demo)
    edit(demo.root, "content/demo/02-second.md", "goals:", "draft: true\ngoals:")
    built = demo.cli("build")
    assert built.returncode == 1
    assert f"content/demo/01-first.md:{line}: error: '02-second.md' is a draft" in built.stderr
    drafts = demo.cli("check", "--drafts", "--strict", "--base-url", "https://example.org/")
    assert drafts.returncode == 1 and f"content/demo/01-first.md:{line}: error: {DRAFT_LINK}" in drafts.stderr
    edit(demo.root, "content/demo/01-first.md", "goals:", "draft: true\ngoals:")  # a draft linking to a draft
    both = demo.cli("check", "--drafts", "--strict", "--base-url", "https://example.org/")
    assert both.returncode == 0, both.stderr
