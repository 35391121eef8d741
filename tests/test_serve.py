"""coursegen serve: incremental rebuilds equal full builds; the real server previews, recovers and stops."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import MODULE_THREE, WORDS, CourseProject, random_edit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servehelp import Server, edit, get, page_with, sandbox, until

from coursegen import BuildOptions, check
from coursegen.serve.live import LiveSite

# --- incremental rebuilds give exactly what a full build gives -------------------------------------------

def _full(root: Path) -> dict[str, object]:
    report = check(root, BuildOptions(base_url="/", drafts=True))
    assert report.ok, [d.format() for d in report.errors]
    return {**report.files.data, **{k: str(v) for k, v in report.files.copies.items()}}


def _served(builder: LiveSite) -> dict[str, object]:
    return {**builder.files.data, **{k: str(v) for k, v in builder.files.copies.items()}}


def _assert_same(builder: LiveSite, root: Path) -> None:
    served, full = _served(builder), _full(root)
    differing = sorted(k for k in served.keys() | full.keys() if served.get(k) != full.get(k))
    assert not differing, f"incremental output differs from a full build in {differing}"


EDITS = {
    "module text": lambda p: [edit(p.root, "content/demo/02-second.md", "Back to", "Go back to")],
    "module title": lambda p: [edit(p.root, "content/demo/02-second.md", "title: Second Module", "title: Renamed Two")],
    "card title": lambda p: [edit(p.root, "content/demo/02-second.md", "## Second Card", "## Second Card Renamed"),
                             edit(p.root, "content/demo/01-first.md", "#second-card", "#second-card-renamed")],
    "course title": lambda p: [edit(p.root, "content/demo/course.yaml", "title: Demo Course", "title: Demo Renamed")],
    "site title": lambda p: [edit(p.root, "content/site.yaml", "title: Test Academy", "title: Renamed Academy")],
    "draft": lambda p: [edit(p.root, "content/demo/02-second.md", "goals:", "draft: true\ngoals:")],
    "template": lambda p: [p.write("templates/partials/footer.html", "<footer>Custom footer</footer>\n")
                           .root / "templates/partials/footer.html"],
    "static css": lambda p: [p.write("static/coursegen.css", "body { color: rebeccapurple; }\n")
                             .root / "static/coursegen.css"],
    "add module": lambda p: [p.write("content/demo/03-third.md", MODULE_THREE).root / "content/demo/03-third.md"],
    "delete module": lambda p: [p.remove("content/demo/02-second.md").root / "content/demo/02-second.md",
                                edit(p.root, "content/demo/01-first.md", "(02-second.md#second-card)", "(#opening-card)")],
    "add image": lambda p: [p.write("content/demo/images/a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
                            .root / "content/demo/images/a.svg"],
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_incremental_rebuild_equals_full_build(demo: CourseProject, kind: str) -> None:
    builder = LiveSite(demo.root)
    assert builder.rebuild().ok
    _assert_same(builder, demo.root)
    changed = EDITS[kind](demo)
    result = builder.rebuild(changed)
    assert result.ok, [d.format() for d in result.errors] or result.crash
    _assert_same(builder, demo.root)




@settings(max_examples=int(os.environ.get("CG_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 8), st.sampled_from(WORDS)), min_size=1, max_size=5))
def test_any_series_of_edits_gives_what_a_full_build_gives(edits: list[tuple[int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = CourseProject(Path(tmp) / "site").demo()
        builder = LiveSite(project.root)
        assert builder.rebuild().ok
        for kind, word in edits:
            result = builder.rebuild(random_edit(project.root, kind, word))
            assert result.ok, [d.format() for d in result.errors] or result.crash
        _assert_same(builder, project.root)


def test_incremental_rebuilds_of_the_flagship_equal_full_builds(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "flagship"
    for name in ("content", "static", "templates"):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, root / name)
    builder = LiveSite(root)
    assert builder.rebuild().ok
    module = "content/how-llms-work/03-dreamer-to-assistant.md"
    text = (root / module).read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.MULTILINE).group(1)
    changed = [edit(root, module, f"title: {title}", "title: A Renamed Module"),
               edit(root, module, "\n## ", "\nA sentence added while serving.\n\n## ")]
    result = builder.rebuild(changed)
    assert result.ok, [d.format() for d in result.errors] or result.crash
    _assert_same(builder, root)


def test_a_module_text_edit_re_renders_only_the_pages_that_show_it(demo: CourseProject) -> None:
    builder = LiveSite(demo.root)
    first = builder.rebuild()
    result = builder.rebuild([edit(demo.root, "content/demo/02-second.md", "Back to", "Go back to")])
    assert result.rendered < first.rendered
    assert "/demo/second/" in result.reload and "/" not in result.reload


def test_a_course_title_edit_reaches_the_home_page(demo: CourseProject) -> None:
    builder = LiveSite(demo.root)
    builder.rebuild()
    result = builder.rebuild([edit(demo.root, "content/demo/course.yaml", "title: Demo Course", "title: Demo Renamed")])
    assert {"/", "/demo/", "/demo/first/"} <= result.reload
    assert "Demo Renamed" in builder.files.data["index.html"].decode()


def test_pages_follow_whatever_a_project_template_reads(demo: CourseProject) -> None:
    demo.write("templates/partials/footer.html",
               "<footer>Last: {{ site.published_courses[0].modules[-1].title }} "
               "({{ site.courses | map(attribute='modules') | map('length') | sum }} modules)"
               "{% for m in (course.modules if course else []) %}{% if m is sameas module %} [here]"
               "{% endif %}{% endfor %}</footer>\n")
    builder = LiveSite(demo.root)
    builder.rebuild()
    result = builder.rebuild([edit(demo.root, "content/demo/02-second.md", "title: Second Module", "title: Omega")])
    assert "Last: Omega (2 modules)" in builder.files.data["404.html"].decode()
    assert "[here]" in builder.files.data["demo/second/index.html"].decode()
    assert result.rendered == result.pages  # every page shows that title now
    _assert_same(builder, demo.root)


def test_drafts_are_shown_and_marked(demo: CourseProject) -> None:
    edit(demo.root, "content/demo/02-second.md", "goals:", "draft: true\ngoals:")
    builder = LiveSite(demo.root)
    assert builder.rebuild().ok
    assert "cg-draft" in builder.files.data["demo/second/index.html"].decode()
    assert "cg-draft" in builder.files.data["demo/index.html"].decode()


def test_a_series_of_edits_with_a_failure_in_between_stays_equal_to_a_full_build(demo: CourseProject) -> None:
    builder = LiveSite(demo.root)
    builder.rebuild()
    broken = builder.rebuild([edit(demo.root, "content/demo/01-first.md", "title: First Steps", "title: [oops")])
    assert not broken.ok and broken.errors[0].path == "content/demo/01-first.md"
    builder.rebuild([demo.write("templates/partials/footer.html", "<footer>New</footer>\n").root / "templates"])
    fixed = builder.rebuild([edit(demo.root, "content/demo/01-first.md", "title: [oops", "title: Fixed Steps")])
    assert fixed.ok
    _assert_same(builder, demo.root)
    assert "<footer>New</footer>" in builder.files.data["demo/first/index.html"].decode()


# --- the real server ---------------------------------------------------------------------------------------

@pytest.fixture
def server(demo: CourseProject, tmp_path: Path):
    running = Server(demo.root, sandbox(tmp_path))
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_serve_previews_edits_errors_templates_and_css_then_stops(demo: CourseProject, tmp_path: Path) -> None:
    demo.build()
    published = _tree(demo.out)
    before = _tree(demo.root)
    box = sandbox(tmp_path)
    server = Server(demo.root, box)
    try:
        status, page = get(server.url + "demo/second/")
        assert status == 200 and "Second Card" in page
        assert 'id="cg-serve-client"' in page and "/__coursegen/events" in page

        edit(demo.root, "content/demo/02-second.md", "Back to", "Freshly edited, back to")
        until("the edit is served", lambda: "Freshly edited" in get(server.url + "demo/second/")[1])

        edit(demo.root, "content/demo/02-second.md", "title: Second Module", "title: Second Module\ntitel: typo")
        broken = until("the error is shown", lambda: page_with(server.url + "demo/second/", 'id="cg-serve-overlay"'))
        assert "content/demo/02-second.md:3</strong>: error: " in broken and "titel" in broken
        assert "   3 | titel: typo</pre>" in broken  # the offending line of source
        assert "Freshly edited" in broken  # the last good page stays under the overlay
        assert "The page below is the last good build." in broken

        edit(demo.root, "content/demo/02-second.md", "title: Second Module\ntitel: typo", "title: Second Module Fixed")
        fixed = until("the page recovers", lambda: page_with(server.url + "demo/second/", "Second Module Fixed"))
        assert 'id="cg-serve-overlay"' not in fixed

        demo.write("templates/partials/footer.html", "<footer>Footer from the project</footer>\n")
        until("the template is used", lambda: "Footer from the project" in get(server.url + "demo/first/")[1])

        demo.write("static/coursegen.css", "body { color: rebeccapurple; }\n")

        def new_css() -> str | None:
            href = re.search(r'href="(/static/coursegen\.[0-9a-f]+\.css)"', get(server.url)[1])
            return href and "rebeccapurple" in get(server.url + href.group(1).lstrip("/"))[1]

        until("the new stylesheet is served", new_css)
        assert get(server.url + "no/such/page/")[0] == 404
    finally:
        code, out, err = server.stop()
    assert code == 0, err
    assert "Stopped." in out
    assert re.search(r"content/demo/02-second\.md: \d+ of \d+ pages re-rendered in \d+ ms", out), out
    assert "content/demo/02-second.md:3: error:" in err
    assert _tree(demo.out) == published  # build/ untouched
    assert not any((box / "home").iterdir()) and not any((box / "tmp").iterdir())
    after = _tree(demo.root)
    changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    cached = {rel for rel in changed if rel.startswith(".coursegen-cache/")}  # the build cache, shared with build
    assert changed - cached == {"content/demo/02-second.md", "templates/partials/footer.html", "static/coursegen.css"}


def test_content_broken_from_the_start_shows_the_errors_until_fixed(demo: CourseProject, tmp_path: Path) -> None:
    edit(demo.root, "content/demo/course.yaml", "tagline:", "tagine:")
    server = Server(demo.root, sandbox(tmp_path))
    try:
        status, page = get(server.url + "demo/")
        assert status == 503 and "content/demo/course.yaml:2</strong>: error: " in page
        assert "The site has not built yet." in page and "last good build" not in page  # there is none
        assert 'id="cg-serve-client"' in page  # so the page reloads itself once fixed
        edit(demo.root, "content/demo/course.yaml", "tagine:", "tagline:")
        until("the site is served", lambda: get(server.url + "demo/")[0] == 200)
    finally:
        code, _, err = server.stop()
    assert code == 0 and "content/demo/course.yaml:2: error:" in err
    assert "no site yet" in err and "last good site" not in err


def test_a_replaced_content_folder_is_still_watched(demo: CourseProject, server: Server, tmp_path: Path) -> None:
    shutil.move(demo.root / "content", tmp_path / "elsewhere")
    until("the missing folder is reported", lambda: page_with(server.url, 'id="cg-serve-overlay"'))
    shutil.copytree(tmp_path / "elsewhere", demo.root / "content")
    until("the site is back", lambda: not page_with(server.url, 'id="cg-serve-overlay"'))
    edit(demo.root, "content/demo/02-second.md", "Back to", "Edited after the checkout, back to")
    until("the edit is served", lambda: page_with(server.url + "demo/second/", "Edited after the checkout"))


def test_the_event_stream_greets_with_the_current_state(server: Server) -> None:
    with urllib.request.urlopen(server.url + "__coursegen/events", timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"event: state\n"
        assert b'"overlay": null' in stream.readline()


def test_pages_are_never_cached_and_hashed_assets_are_kept(server: Server) -> None:
    with urllib.request.urlopen(server.url) as response:
        assert response.headers["Cache-Control"] == "no-store"
        css = re.search(r'href="(/static/coursegen\.[0-9a-f]{8}\.css)"', response.read().decode()).group(1)
    with urllib.request.urlopen(server.url + css.lstrip("/")) as response:
        assert response.headers["Cache-Control"] == "max-age=31536000, immutable"
        etag = response.headers["ETag"]
    request = urllib.request.Request(server.url + css.lstrip("/"), headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request)
    assert not_modified.value.code == 304


def test_a_crash_inside_coursegen_shows_its_traceback_and_the_server_stays_up(demo: CourseProject,
                                                                               server: Server) -> None:
    demo.write("templates/partials/footer.html", "<footer>{{ site.url(1) }}</footer>\n")
    page = until("the crash is shown", lambda: page_with(server.url, "Traceback"))
    assert "coursegen crashed" in page
    demo.write("templates/partials/footer.html", "<footer>Back to normal</footer>\n")
    until("the site recovers", lambda: "Back to normal" in get(server.url)[1])
    code, _, err = server.stop()
    assert code == 0 and "Traceback" in err


def test_a_port_in_use_is_a_one_line_usage_error(demo: CourseProject) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = demo.cli("serve", ".", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"coursegen: error: port {port} on 127.0.0.1 is already in use; "
                                     "choose another with --port (--port 0 picks a free one)")


def test_serve_stops_cleanly_on_sigterm(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    out, _ = server.process.communicate(timeout=15)  # not server.stop(): it would send a second signal
    assert server.process.returncode == 0 and "Stopped." in out
