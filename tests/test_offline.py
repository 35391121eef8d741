"""Offline courses, without a browser: each course's manifest (publish/offline.py) lists every file of the
course with its right hash and nothing of another course; the service worker names them; `serve`'s preview
and LMS packages get no worker."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from helpers import REPO, CourseProject

from coursegen import BuildOptions, build
from coursegen.publish.offline import HASH_CHARS


def _manifest(site: Path, slug: str) -> dict:
    return json.loads((site / "offline" / f"{slug}.json").read_text(encoding="utf-8"))


def _path(url: str, base: str = "/") -> str:
    rel = url[len(base):]
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def test_the_flagship_manifest_lists_every_file_of_the_course_with_its_hash(tmp_path):
    site = tmp_path / "site"
    assert build(REPO, BuildOptions(out=site, cache=False)).ok
    listed = _manifest(site, "how-llms-work")
    files = listed["files"]
    course = {p.relative_to(site).as_posix() for p in (site / "how-llms-work").rglob("*") if p.is_file()
              and p.relative_to(site).parts[1] not in ("instructor", "instructor-print")}
    assert course <= {_path(url) for url in files}, "a file of the course is missing"
    assert (site / "how-llms-work/instructor/index.html").is_file()
    assert not [u for u in files if "/instructor" in u], "the instructor views are not part of a learner's copy"
    for url, (digest, size) in files.items():
        data = (site / _path(url)).read_bytes()
        assert digest == hashlib.sha256(data).hexdigest()[:HASH_CHARS] and size == len(data), url
    assert listed["bytes"] == sum(size for _, size in files.values())
    # what its pages load: stylesheets, scripts, widgets, and the search bundle
    page = (site / "how-llms-work/two-files/index.html").read_text(encoding="utf-8")
    for rel in sorted(course):
        if rel.endswith(".html"):
            loaded = set(re.findall(r'"(/static/[^"]+)"', (site / rel).read_text(encoding="utf-8")))
            assert loaded and loaded <= set(files), f"{rel} loads a file the manifest does not list"
    assert any("/static/widgets/" in u for u in files) and "/pagefind/pagefind.js" in files
    assert all(u in files for u in ("/how-llms-work/", "/how-llms-work/print/", "/how-llms-work/two-files/"))
    assert "/static/offline." not in page, "offline.js is only on the course page"
    worker = (site / "sw.js").read_text(encoding="utf-8")
    assert json.dumps(listed["version"]) in worker and '"/offline/how-llms-work.json"' in worker


def _two_courses(root: Path) -> CourseProject:
    project = CourseProject(root).demo()
    project.write("content/site.yaml", "title: Two\ndescription: Two courses.\ncourses: [demo, later, other]\n")
    project.write("content/other/course.yaml", "title: Other\ntagline: Another.\ndescription: Another course.\n")
    project.write("content/other/01-only.md", "---\ntitle: Only\nsummary: The only one.\ngoals:\n  - Learn.\n---\n"
                  "## Unique card\n\nZanzibarian words.\n\n![A dot](images/dot.svg)\n")
    project.write("content/other/images/dot.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    return project


def test_nothing_of_another_course_is_listed_and_the_search_index_is_shared(tmp_path):
    project = _two_courses(tmp_path)
    assert project.build(base_url="/sub/").ok, project.build(base_url="/sub/").diagnostics
    demo, other = _manifest(project.out, "demo")["files"], _manifest(project.out, "other")["files"]
    assert all(url.startswith("/sub/") for url in demo)
    assert not any(url.startswith("/sub/other/") for url in demo)
    assert "/sub/other/images/dot.svg" in other and "/sub/other/only/" in other
    fragments = lambda files: {u for u in files if "/fragment/" in u}
    assert fragments(demo) and fragments(other) and not fragments(demo) & fragments(other)
    shared = {u for u in demo if u.startswith("/sub/pagefind/") and "/fragment/" not in u}
    assert shared and shared <= set(other), "the index itself is in both"
    worker = (project.out / "sw.js").read_text(encoding="utf-8")
    assert '"scope": "/sub/"' in worker and '"/sub/offline/other.json"' in worker


def test_a_changed_module_changes_only_its_own_entries(tmp_path):
    project = _two_courses(tmp_path)
    assert project.build().ok
    before = _manifest(project.out, "demo")
    other_before = _manifest(project.out, "other")
    project.write("content/demo/02-second.md", (project.root / "content/demo/02-second.md").read_text() + "\nMore.\n")
    assert project.build().ok
    after = _manifest(project.out, "demo")
    changed = {u for u in after["files"] if before["files"].get(u) != after["files"][u]}
    assert "/demo/second/" in changed and after["version"] != before["version"]
    # the module page, and the pages that show its text: the print pages, the course page (card previews)
    shows_it = {"/demo/second/", "/demo/print/", "/demo/", "/demo/instructor/", "/demo/instructor-print/"}
    assert changed - shows_it <= {u for u in changed if u.startswith("/pagefind/")}
    assert _manifest(project.out, "other")["files"]["/other/only/"] == other_before["files"]["/other/only/"]


def test_pages_without_a_written_site_get_no_worker(tmp_path):
    project = CourseProject(tmp_path).demo()
    checked = project.check()
    assert checked.ok and all(b"data-sw" not in data for rel, data in checked.files.data.items() if rel.endswith(".html"))
    assert project.build(offline=False).ok
    assert not (project.out / "sw.js").exists() and b"data-sw" not in (project.out / "index.html").read_bytes()
    assert project.build().ok
    page = project.html("demo/index.html")
    assert page.body["data-sw"] == "/sw.js" and page.select_one("[data-offline][hidden]")
