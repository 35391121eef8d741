"""Link check of the rendered pages: broken links, anchors and assets point at the Markdown (or template) line."""
from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from helpers import REPO
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursegen import linkcheck as lc
from coursegen.cli import github_annotation
from coursegen.diagnostics import Diagnostic
from coursegen.linkcheck import PageScan, Ref, scan_page
from coursegen.speed.pages import decode_page, encode_page

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
    assert report.ok and report.diagnostics == ()
    from coursegen import BuildOptions, build
    flagship = build(REPO, BuildOptions(write=False, base_url=BASE))
    assert flagship.ok and flagship.diagnostics == (), [d.format() for d in flagship.diagnostics]


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


def test_a_print_page_problem_is_reported_at_the_module_that_has_it_and_only_once(demo):
    """The print page shows every module: a broken raw <img> of module 2 is not blamed on module 1, where the same
    path is a working Markdown image, nor repeated for the print page (the module page reports it)."""
    demo.write("content/demo/images/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    first = demo.root / "content/demo/01-first.md"
    first.write_text(first.read_text().replace("Plain text here.", "Plain text here.\n\n![A pic](images/pic.svg)"))
    line = add_to_second(demo, '<img src="images/pic.svg">')
    report = demo.check(base_url=BASE)
    found = [d for d in report.diagnostics if "images/pic.svg" in d.message]
    assert [(d.path, d.line, d.severity) for d in found] == [
        ("content/demo/02-second.md", line, "error"), ("content/demo/02-second.md", line, "warning")]
    assert "built page demo/second/index.html" in found[0].message and "print" not in found[0].message
    assert "built page demo/second/index.html, line" in found[1].message and "more page" in found[1].message
    assert scan_page('<article class="m" id="a">\n<article id="b">').parts == [Ref("a", 1), Ref("b", 2)]


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


# Soups of TOKENS where the scanner and an HTML parser must agree: markup as rendered pages have it. Every '<' opens
# a tag, an end tag, a comment (closed) or a script or style. Values hold no '<', '>' or other quote and no lookalike
# of the attributes the scanner reads anywhere in a tag (name on an <a>, an <img>'s alt and src); the URL attributes
# are lowercase (as rendered, and as the scanner reads them); no tag repeats an attribute. Comments, scripts and
# styles hold no <a name>, <img> or <meta>: the scanner reads those even there. A lookalike of an attribute in text,
# a comment or a value must not open a quote that closes after a real attribute: the scanner's regex would read
# the quoted span as the lookalike's value (_SWALLOWING; lookalikes in values come with a bare value).
_TEXT = [t for t in TOKENS if "<" not in t]
_ATTRIBUTES = [" href=", " id=", " name=", " NAME =", " name\n=", " srcset=", " property=", " content=", " src = ",
               " poster=", " action=", " alt="]
_IN_VALUES = ["x", "og:image", "twitter:image", "&amp;", " ", "\t", "\n", "\xa0", "=", "/", " href=x", " id=x",
              " property=og:image", " content=x"]
_BARE_VALUES = ["x", "og:image", "twitter:image", "&amp;", "/"]


def _soup_of(pieces: st.SearchStrategy[str], max_size: int = 8) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_size).map("".join)


def _attribute_name(attribute: str) -> str:
    return re.match(r"\s*([^\s=]+)", attribute)[1].lower()


def _tags(openers: list[str], attributes: list[str]) -> st.SearchStrategy[str]:
    value = st.one_of(_soup_of(st.sampled_from(_IN_VALUES), 3).map(lambda v: f'"{v}"'),
                      _soup_of(st.sampled_from(_IN_VALUES), 3).map(lambda v: f"'{v}'"),
                      st.just('"a.png 1x, b.png 2x"'),
                      st.lists(st.sampled_from(_BARE_VALUES), min_size=1, max_size=2).map("".join))
    attribute = st.one_of(st.tuples(st.sampled_from(["", "\n", "\t"]), st.sampled_from(attributes), value)
                          .map("".join), st.just(" alt"))
    return st.tuples(st.sampled_from(openers), st.lists(attribute, max_size=4, unique_by=_attribute_name).map("".join),
                     st.sampled_from(["", " ", "\n"]), st.sampled_from([">", "/>"])).map("".join)


_HIDDEN_TAGS = _tags(["<a", "<A", "<p"], [a for a in _ATTRIBUTES if "name" not in a.lower()])
_HIDDEN = _soup_of(st.one_of(st.sampled_from([t for t in _TEXT if t != "-->"]), _HIDDEN_TAGS))
_RAW_TEXT = _soup_of(st.one_of(st.sampled_from(_TEXT + ["<"]), _HIDDEN_TAGS))
_MARKUP = _soup_of(st.one_of(
    st.sampled_from(_TEXT), st.sampled_from(["</a>", "<a name=n>"]),
    _tags(["<a", "<A", "<img", "<IMG", "<meta", "<p"], _ATTRIBUTES),
    _HIDDEN.map(lambda body: f"<!-- {body}-->"),
    st.tuples(st.sampled_from(["<script>", "<script src=s.js>"]), _RAW_TEXT).map(lambda t: f"{t[0]}{t[1]}</script>"),
    _RAW_TEXT.map(lambda body: f"<style>{body}</STYLE >")), max_size=12)
_SWALLOWING = re.compile(r"""\s(?:id|href|src|srcset|poster|action)\s*=\s*(?:"[^"]*|'[^']*)<""")
_UNCLOSED_SCRIPT = _RAW_TEXT.map(lambda body: f"<script>{body}")  # runs to the end of the page
_PAGES = st.tuples(_MARKUP, st.one_of(st.just(""), _UNCLOSED_SCRIPT)).map("".join)


def _parsed(text: str) -> tuple[set[str], list[str], list[tuple[str, int]]]:
    """What html.parser finds: the ids (and names of <a>), the URLs, and the src and line of each image without alt."""
    ids, refs, no_alt = set(), [], []
    for tag in BeautifulSoup(text, "html.parser").find_all(True):
        attrs = tag.attrs
        ids.update(value for name, value in attrs.items() if name == "id" or (name == "name" and tag.name == "a"))
        refs += [attrs[name] for name in ("href", "src", "poster", "action") if name in attrs]
        refs += [candidate.split()[0] for candidate in attrs.get("srcset", "").split(",") if candidate.strip()]
        if tag.name == "meta" and attrs.get("property", attrs.get("name")) in lc.SHARE_META and "content" in attrs:
            refs.append(attrs["content"])
        if tag.name == "img" and "alt" not in attrs:
            no_alt.append((attrs.get("src", ""), tag.sourceline))
    return ids, sorted(refs), no_alt


@given(_PAGES)
@settings(max_examples=500, deadline=None)
def test_fast_scanner_finds_what_an_html_parser_finds_in_random_markup(text):
    assume(not _SWALLOWING.search(text))
    scan = scan_page(text)
    ids, refs, no_alt = _parsed(text)
    assert scan.ids == ids
    assert sorted(r.url for r in scan.refs) == refs
    assert scan.no_alt == no_alt


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
    scan = scan_page('<p id="x"><a href="/a/">a</a>\n<img src="b.png"></p><article id="m"></article>')
    back = pickle.loads(pickle.dumps(scan, protocol=pickle.HIGHEST_PROTOCOL))
    assert decode_page(encode_page(b"x", scan)) == (b"x", scan) and scan.parts == [Ref("m", 2)]
    assert back == scan and back.refs == [Ref("/a/", 1), Ref("b.png", 2)] and back.no_alt == [Ref("b.png", 2)]
    assert back.refs[0].url == "/a/" and back.no_alt[0].line == 2


@pytest.mark.parametrize("target, split", [
    ("/base/a/../b/#x", ("/base/b/", "x")),
    ("/base/./a/./", ("/base/a/", "")),
    ("/base/a/..", ("/base", "")),
    ("/base/../../etc/x.css", ("/etc/x.css", "")),
    ("/base//a/", ("/base/a/", "")),
    ("/base/a%20b/c%2Fd.png", ("/base/a b/c/d.png", "")),
    ("/base/%2E%2E/x/", ("/x/", "")),
    ("/base/page/?q=1&r=a/../b#top", ("/base/page/", "top")),
    ("/base/x.css?v=3", ("/base/x.css", "")),
    ("/base/p/#a%20b", ("/base/p/", "a%20b")),  # the fragment stays quoted: _anchor unquotes it
    ("/base/p/#", ("/base/p/", "")),
    ("", ("/", "")),
    ("/", ("/", "")),
])
def test_a_target_splits_into_its_normalized_unquoted_path_and_its_fragment(target, split):
    assert lc.split_target(target) == split
