"""Link check of the rendered pages: broken links, anchors and assets point at the Markdown (or template) line."""
from __future__ import annotations

import os
import pickle
import posixpath
import re
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from coursegen import linkcheck as lc
from coursegen.cli import github_annotation
from coursegen.diagnostics import Diagnostic
from coursegen.linkcheck import PageScan, Ref, scan_page

BASE = "https://example.org/sub/"


def add_to_second(demo, text: str) -> int:
    """Append `text` to module 2; returns the line of its first line."""
    path = demo.root / "content/demo/02-second.md"
    body = path.read_text()
    path.write_text(body + "\n" + text + "\n")
    return body.count("\n") + 2


def located(report, path: str, line: int, fragment: str, severity: str = "error") -> bool:
    return any(d.path == path and d.line == line and fragment in d.message and d.severity == severity
               for d in report.diagnostics)


def test_the_demo_and_the_flagship_have_no_link_problems(demo, tmp_path):
    report = demo.build(base_url=BASE)
    assert report.ok and report.diagnostics == []
    from coursegen import BuildOptions, build
    flagship = build(REPO, BuildOptions(write=False, base_url=BASE))
    assert flagship.ok and flagship.diagnostics == [], [d.format() for d in flagship.diagnostics]


def test_raw_html_link_to_a_missing_page_fails_the_build_at_its_markdown_line(demo):
    assert demo.build().ok
    before = (demo.out / "index.html").read_bytes()
    line = add_to_second(demo, 'See <a href="../nowhere/">the missing page</a>.')
    report = demo.build()
    assert not report.ok
    assert located(report, "content/demo/02-second.md", line, "'../nowhere/'")
    assert (demo.out / "index.html").read_bytes() == before  # the previous site is untouched


def test_raw_html_anchor_that_does_not_exist_on_the_target_page(demo):
    line = add_to_second(demo, '<p>Go <a href="../first/#no-such-card">back</a>.</p>')
    report = demo.check()
    assert located(report, "content/demo/02-second.md", line, "no element with id 'no-such-card'")


def test_raw_html_anchor_that_exists_is_fine(demo):
    add_to_second(demo, '<p>Go <a href="../first/#another-card">back</a> and <a href="#second-card">up</a>.</p>')
    assert [d for d in demo.check(base_url=BASE).diagnostics] == []


def test_raw_html_image_that_is_missing_and_one_without_alt(demo):
    line = add_to_second(demo, '<img src="images/gone.png" alt="Gone">\n\n<img src="../../static/favicon.svg">')
    report = demo.check(base_url=BASE)
    assert located(report, "content/demo/02-second.md", line, "'images/gone.png'")
    assert located(report, "content/demo/02-second.md", line + 2, "has no alt text", "warning")


def test_a_root_absolute_link_that_leaves_the_base_path(demo):
    line = add_to_second(demo, '<a href="/elsewhere/">out</a>')
    report = demo.check(base_url=BASE)
    assert located(report, "content/demo/02-second.md", line, "leaves the site's base path /sub/")


def test_template_mistake_is_reported_once_at_the_template_line(demo):
    demo.write("templates/partials/footer.html",
               '<footer>\n  <p>{{ site.title }}</p>\n  <a href="{{ site.url(\'about/\') }}">About</a>\n</footer>\n')
    report = demo.check(base_url=BASE)
    found = [d for d in report.errors if d.path == "templates/partials/footer.html"]
    assert len(found) == 1 and found[0].line == 3
    assert "'/sub/about/'" in found[0].message and "more pages" in found[0].message


def test_relative_link_in_the_404_page_is_an_error(demo):
    demo.write("templates/404.html", '{% extends "theme/404.html" %}{% block main %}<a href="demo/">x</a>'
                                     '{% endblock %}')
    report = demo.check(base_url=BASE)
    assert any("404.html is served at any missing URL" in d.message for d in report.errors)


def test_insecure_http_link_is_a_warning_and_strict_makes_it_an_error(demo):
    line = add_to_second(demo, "Read [the old site](http://example.com/page).")
    report = demo.build(base_url=BASE)
    assert report.ok and located(report, "content/demo/02-second.md", line, "insecure http://", "warning")
    strict = demo.build(base_url=BASE, strict=True)
    assert not strict.ok and located(strict, "content/demo/02-second.md", line, "--strict makes it an error")


def test_strict_on_the_command_line_for_build_and_check(demo):
    add_to_second(demo, "Read [the old site](http://example.com/page).")
    assert demo.cli("check", "--base-url", BASE).returncode == 0
    for command in ("check", "build"):
        result = demo.cli(command, "--strict", "--base-url", BASE)
        assert result.returncode == 1, result.stderr
        assert "content/demo/02-second.md:" in result.stderr and "insecure http://" in result.stderr


def test_github_annotation_is_printed_and_escaped_when_running_in_actions(demo):
    line = add_to_second(demo, '<a href="../nowhere/">x</a>')
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = subprocess.run([sys.executable, "-m", "coursegen", "check", "--base-url", BASE], check=False, cwd=demo.root,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"::error file=content/demo/02-second.md,line={line}::" in result.stderr


def test_annotation_escaping_follows_the_workflow_command_rules():
    d = Diagnostic("content/a,b:c.md", 7, "50% done\nnext: line\r", "warning")
    assert github_annotation(d) == "::warning file=content/a%2Cb%3Ac.md,line=7::50%25 done%0Anext: line%0D"


def _soup_scan(text: str) -> tuple[set[str], list[str]]:
    soup = BeautifulSoup(text, "html.parser")
    for raw in soup.find_all(["script", "style"]):
        raw.string = ""  # bodies are not markup
    ids = {t["id"] for t in soup.find_all(id=True)}
    refs = []
    for tag in soup.find_all(True):
        refs += [tag[a] for a in ("href", "src", "poster", "action") if tag.has_attr(a)]
        if tag.has_attr("srcset"):
            refs += [c.split()[0] for c in tag["srcset"].split(",") if c.strip()]
        if tag.name == "meta" and (tag.get("property") or tag.get("name")) in ("og:image", "og:url", "twitter:image"):
            refs.append(tag["content"])
    return ids, sorted(refs)


def test_fast_scanner_finds_exactly_what_an_html_parser_finds_on_the_flagship(tmp_path):
    from coursegen import BuildOptions, build
    report = build(REPO, BuildOptions(write=False, base_url=BASE))
    pages = {p: d.decode() for p, d in report.files.data.items() if p.endswith(".html")}
    assert len(pages) >= 7
    for path, text in pages.items():
        scan = scan_page(text)
        ids, refs = _soup_scan(text)
        assert scan.ids == ids, path
        assert sorted(r.url for r in scan.refs) == refs, path


@pytest.mark.parametrize("html, ids, refs", [
    ('<p id="a">x</p><!-- <a href="hidden"> --><script>var s = \'<a href="js">\';</script>', {"a"}, []),
    ('<img srcset="a.png 1x, b.png 2x" alt="" src=c.png>', set(), ["a.png", "b.png", "c.png"]),
    ('<a href="x?a=1&amp;b=2" id=\'q\'>x</a><a name="legacy"></a>', {"q", "legacy"}, ["x?a=1&b=2"]),
    ('<script src="s.js"></script><style>a[href="no"]{}</style>', set(), ["s.js"]),
])
def test_fast_scanner_edge_cases(html, ids, refs):
    scan = scan_page(html)
    assert scan.ids == ids and sorted(r.url for r in scan.refs) == refs



def test_attribute_lookalikes_in_escaped_text_are_not_links():
    text = '<p>&lt;img src=x onerror=alert(1)&gt; and id=\'y\' <a href="real">r</a></p>'
    scan = scan_page(text)
    assert [r.url for r in scan.refs] == ["real"] and scan.ids == set()


def test_attribute_lookalikes_inside_other_attribute_values_are_not_links():
    text = '<meta content="x &lt;img src=y&gt;" name="description"><a title=\'say src="z"\' href="ok">'
    assert [r.url for r in scan_page(text).refs] == ["ok"]



def test_fast_scanner_on_hand_written_markup_with_line_numbers():
    text = ("<A HREF='upper-ignored' href='single' id=bare>\n<a title=\"a > b\" href=after-gt>"
            "<!-- <a href=\"in-comment\"> -->\n<SCRIPT>var a = '<a href=\"in-script\">';</SCRIPT>"
            "<img srcset=\"a.png 1x,\n b.png 2x\" src = 'c.png'>\n<a name='legacy'></a>"
            "<meta property=\"og:image\" content=\"/card.png\">\n<meta name=\"og:title\" content=\"not-a-url\">")
    scan = scan_page(text)
    assert scan.ids == {"bare", "legacy"}
    assert scan.refs == [("single", 1), ("after-gt", 2), ("a.png", 3), ("b.png", 3), ("c.png", 4), ("/card.png", 5)]
    assert scan.no_alt == [("c.png", 3)]


TOKENS = ["<a", "<A", "<img", "<IMG", "<meta", "<script>", "<script src=s.js>", "</script>", "<style>", "</STYLE >",
          "<ſcript>", "<!--", "-->", "<!-->", " href=", " HREF=", " id=", "id=", " name=", " NAME =", " name\n=", "=",
          " = ", '"', "'", ">", "<", " ", "\n", "x", " srcset=", '"a.png 1x, b.png 2x"', " property=", " content=",
          "og:image", "twitter:image", " alt", "&amp;", "\t", "\xa0", " src = ", "data-name=", " poster=", " action=",
          "<p", "</a>", "<a name=n>", "/>"]


@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_fast_scanner_finds_what_one_regex_pass_per_kind_finds(text):
    assert scan_page(text) == _one_pass_per_kind(text)


def _one_pass_per_kind(text: str) -> PageScan:
    """The scanner as it was before it looked only where its regexes can match: slower, plainly right."""
    scan, skipped = PageScan(), [(m.start() if not m.group(1) else text.find(">", m.start()) + 1, m.end())
                                 for m in lc._SKIPPED.finditer(text)]

    def ref(url: str, at: int) -> Ref:
        return Ref(url, text.count("\n", 0, at + 1) + 1)

    for match in lc._URL_OR_ID.finditer(text):
        at, name, value = match.start(), match.group(1), lc._value(match)
        if any(start <= at < end for start, end in skipped) or \
                not lc._TAG_SO_FAR.fullmatch(text, text.rfind("<", 0, at), at):
            continue
        if name == "id":
            scan.ids.add(value)
        elif name == "srcset":
            scan.refs += [ref(c.split()[0], at) for c in value.split(",") if c.strip()]
        else:
            scan.refs.append(ref(value, at))
    scan.ids.update(lc._value(m) for m in re.finditer(r"<a\s[^>]*?\b" + lc._NAMED_A_NAME.pattern, text, re.IGNORECASE))
    for match in lc._META.finditer(text):
        attrs = {m.group(1).lower(): lc._value(m) for m in lc._ATTR.finditer(match.group(0))}
        if attrs.get("property", attrs.get("name")) in lc.SHARE_META and "content" in attrs:
            scan.refs.append(ref(attrs["content"], match.start()))
    for match in lc._IMG.finditer(text):
        if not lc._ALT.search(match.group(0)):
            found = lc._IMG_SRC.search(match.group(0))
            scan.no_alt.append(ref(lc._value(found) if found else "", match.start()))
    return scan


def test_absolute_links_are_checked_inside_the_site_and_left_alone_outside_it(demo):
    line = add_to_second(demo, f'<a href="{BASE}demo/gone/">a</a> <a href="https://example.org/other-project/">b</a>'
                               ' <a href="https://elsewhere.example/x">c</a>')
    report = demo.check(base_url=BASE)
    assert [(d.line, d.severity) for d in report.diagnostics] == [(line, "error")]
    assert "'https://example.org/sub/demo/gone/' points at 'demo/gone/'" in report.diagnostics[0].message


def test_annotation_paths_are_relative_to_the_repository_when_the_project_is_a_sub_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    d = Diagnostic("content/site.yaml", 3, "bad")
    assert github_annotation(d, tmp_path / "docs-site") == "::error file=docs-site/content/site.yaml,line=3::bad"
    assert github_annotation(d, tmp_path.parent / "elsewhere") == "::error file=content/site.yaml,line=3::bad"


def test_anchors_on_the_same_page_are_matched_after_percent_decoding():
    scan = PageScan({"a b", "c%20d", "e"}, [Ref(url, 1) for url in ("#a%20b", "#c%20d", "#e", " #e ", "#f", "#top")])
    found = [(ref.url, message) for _, ref, _, message in lc.LinkChecker(None, {"p.html": scan}, []).problems()]
    assert found == [("#c%20d", "'#c%20d': the page p.html has no element with id 'c d'"),
                     ("#f", "'#f': the page p.html has no element with id 'f'")]


def test_a_scan_comes_back_from_the_cache_as_it_was():
    scan = scan_page('<p id="x"><a href="/a/">a</a>\n<img src="b.png"></p>')
    back = pickle.loads(pickle.dumps(scan, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == scan and back.refs == [Ref("/a/", 1), Ref("b.png", 2)] and back.no_alt == [Ref("b.png", 2)]
    assert back.refs[0].url == "/a/" and back.no_alt[0].line == 2


def _split_the_slow_way(target: str) -> tuple[str, str]:
    parts = urlsplit(target)
    path = posixpath.normpath(unquote(parts.path) or "/")
    return path + "/" if parts.path.endswith("/") and not path.endswith("/") else path, parts.fragment


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["/", "/", "a", "b-c", ".", "..", "#", "%20", "?", "é", " ", "\t", "x.css", "~"]),
                max_size=10).map("".join))
def test_plain_targets_split_as_urlsplit_normpath_and_unquote_split_them(target):
    assert lc.split_target(target) == _split_the_slow_way(target)
    assert lc.split_target("/" + target) == _split_the_slow_way("/" + target)
