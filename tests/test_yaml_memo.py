"""YAML texts parsed in one build are not parsed again in the next: an edit of a module's body builds without
importing PyYAML, while a changed YAML text is parsed anew and a text with a problem reports it every time."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from helpers import CourseProject

from coursegen import cache
from coursegen.yamlsource import YamlDoc, YamlMemo, YamlProblem, parse_yaml

SECOND = "content/demo/02-second.md"

# a fresh interpreter, as `coursegen build` is: builds, then says whether PyYAML was imported
BUILD_AND_TELL = textwrap.dedent("""\
    import sys
    from coursegen.cli import main
    code = main(["build", "-q", sys.argv[1]])
    print("yaml imported" if "yaml" in sys.modules else "yaml not imported", code)
""")


def build_in_new_process(project: CourseProject) -> str:
    result = subprocess.run([sys.executable, "-c", BUILD_AND_TELL, str(project.root)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def edit(project: CourseProject, old: str, new: str) -> None:
    text = project.root.joinpath(SECOND).read_text()
    assert old in text
    project.write(SECOND, text.replace(old, new))


@pytest.fixture
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a new one: only the cache knows what was parsed."""
    monkeypatch.setattr(YamlMemo, "known", {})
    monkeypatch.setattr(YamlMemo, "new", {})
    monkeypatch.setattr(YamlMemo, "used", set())


def test_an_edit_of_a_body_builds_without_pyyaml_and_a_front_matter_edit_parses_it(demo: CourseProject) -> None:
    assert build_in_new_process(demo) == "yaml imported 0"
    edit(demo, "Back to", "Back again to")
    assert build_in_new_process(demo) == "yaml not imported 0"
    assert "Back again to" in (demo.out / "demo/second/index.html").read_text()
    edit(demo, "title: Second Module", "title: Second Module Renamed")
    assert build_in_new_process(demo) == "yaml imported 0"
    assert demo.html("demo/second/index.html").find("h1").get_text(strip=True) == "Second Module Renamed"


def test_a_text_that_fails_to_parse_fails_every_time(demo: CourseProject, fresh_memo: None) -> None:
    bad = "title: Fine\ngoals:\n  - one\n - two\n"
    for _ in range(2):
        with pytest.raises(YamlProblem) as caught:
            parse_yaml(bad)
        assert caught.value.line == 4
        assert caught.value.message == "invalid YAML: expected <block end>, but found '<block sequence start>'"
    assert bad not in YamlMemo.known
    edit(demo, "  - Finish the course.", "  - Finish the course.\n - Badly indented.")
    for _ in range(2):  # the second build, with every other YAML text in the cache, reports it too
        report = demo.build(search=False)
        assert not report.ok
        assert [(d.path, d.line) for d in report.diagnostics if "invalid YAML" in d.message] == [(SECOND, 6)]


def test_parsed_yaml_is_kept_by_coursegen_version_and_used_again(demo: CourseProject, fresh_memo: None,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo.build(search=False).ok
    stored = cache.Store(demo.root).get("yaml", cache.code_digest())
    front = next(text for text in stored if "title: Second Module" in text)
    assert demo.root.joinpath("content/site.yaml").read_text() in stored
    YamlMemo.known.clear()  # a new process: only the cache knows the documents
    doc = stored[front]
    stored[front] = YamlDoc({**doc.value, "title": "Cached Title"}, doc.lines)
    store = cache.Store(demo.root)
    store.put("yaml", cache.code_digest(), stored)
    store.save()
    edit(demo, "Back to", "Back again to")
    assert demo.build(search=False).ok
    assert demo.html("demo/second/index.html").find("h1").get_text(strip=True) == "Cached Title"
    monkeypatch.setattr(cache, "code_digest", lambda: "another coursegen")
    YamlMemo.known.clear()
    edit(demo, "Back again to", "Back once more to")
    assert demo.build(search=False).ok
    assert demo.html("demo/second/index.html").find("h1").get_text(strip=True) == "Second Module"


def test_past_its_limit_the_cache_keeps_only_the_yaml_of_this_build(demo: CourseProject, fresh_memo: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from coursegen import parallel
    YamlMemo.known["stale: front matter of a module since edited\n"] = YamlDoc({"stale": "x"}, {(): 1})
    assert demo.build(search=False).ok
    assert len(cache.Store(demo.root).get("yaml", cache.code_digest())) == 6  # 5 texts of the demo, the stale one
    monkeypatch.setattr(parallel, "MAX_YAML", 5)
    edit(demo, "title: Second Module", "title: Second Module Renamed")
    assert demo.build(search=False).ok
    stored = cache.Store(demo.root).get("yaml", cache.code_digest())
    assert len(stored) == 5 and not any("stale" in text for text in stored)
    assert any("Second Module Renamed" in text for text in stored)
