"""A site built for a sub-path works when served there: crawl every link and asset from the home page."""
from __future__ import annotations

import functools
import re
import shutil
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import MODULE_TWO

from coursegen.serve.live import LiveSite

REPO = Path(__file__).resolve().parents[1]
SUB = "/sub/path/"
ORIGIN = "https://example.org"


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site folder at SUB only; everything outside it is a 404, like a project page on a host."""

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(SUB):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + clean[len(SUB):])

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_under_sub_path(site: Path):
    handler = functools.partial(_SubPathHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attr in ("href", "src", "poster"):
            if tag.get(attr):
                found.append(tag[attr])
        if tag.get("srcset"):
            found += [part.split()[0] for part in tag["srcset"].split(",") if part.strip()]
    for meta in soup.find_all("meta", attrs={"property": re.compile("^og:(url|image)$")}):
        found.append(meta["content"])
    for meta in soup.find_all("meta", attrs={"name": "twitter:image"}):
        found.append(meta["content"])
    return found


def crawl(server: str, origin: str) -> tuple[dict[str, int], list[str]]:
    """Status of every internal URL reachable from the home page; links that leave the sub-path."""
    start = server + SUB
    queue, seen, escapes = [start, start + "sitemap.xml", start + "robots.txt"], {}, []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                seen[url], body, kind = response.status, response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            seen[url] = exc.code
            continue
        text = body.decode("utf-8", "replace")
        if kind == "text/html":
            refs = _references(text)
        elif kind == "text/css":
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        elif url.endswith((".xml", ".txt")):
            refs = re.findall(r"(?:<loc>|Sitemap: )(\S+?)(?:</loc>|$)", text, re.MULTILINE)
        else:
            refs = []
        for ref in refs:
            if ref.startswith(origin):
                ref = server + ref[len(origin):]
            target, _ = urldefrag(urljoin(url, ref))
            if urlsplit(target).scheme in ("mailto", "data", "tel") or not target.startswith(server):
                continue
            if not urlsplit(target).path.startswith(SUB):
                escapes.append(f"{ref} (on {url})")
            else:
                queue.append(target)
    return seen, escapes


@pytest.mark.parametrize("base_url", [ORIGIN + SUB, SUB])
def test_flagship_site_under_a_sub_path_has_no_404_and_no_escaping_link(tmp_path, base_url):
    project = tmp_path / "flagship"
    for name in ("content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    from coursegen import BuildOptions, build
    report = build(project, BuildOptions(out=tmp_path / "site", base_url=base_url))
    assert report.ok, [d.format() for d in report.errors]
    with serve_under_sub_path(tmp_path / "site") as server:
        seen, escapes = crawl(server, ORIGIN)
    broken = sorted(url for url, status in seen.items() if status != 200)
    assert not broken and not escapes, (broken, escapes)
    pages = [u for u in seen if u.endswith("/")]
    assert len(pages) >= 7  # home, the course, five modules
    assert any(u.endswith(".png") for u in seen) == base_url.startswith("https://")  # social cards
    assert any(re.search(r"/static/coursegen\.[0-9a-f]{8}\.css$", u) for u in seen)


def test_demo_with_assets_and_raw_html_under_a_sub_path(demo, tmp_path):
    demo.write("content/demo/images/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    demo.write("content/demo/files/notes.txt", "notes")
    demo.write("content/demo/02-second.md", demo.root.joinpath("content/demo/02-second.md").read_text()
               + "\n![A picture](images/pic.svg)\n\n[Notes](files/notes.txt) and [card](01-first.md#another-card)\n")
    report = demo.build(base_url=ORIGIN + SUB)
    assert report.ok, [d.format() for d in report.errors]
    with serve_under_sub_path(demo.out) as server:
        seen, escapes = crawl(server, ORIGIN)
    assert not escapes
    assert all(status == 200 for status in seen.values()), seen
    assert any(u.endswith("/demo/images/pic.svg") for u in seen)
    assert any(u.endswith("/demo/files/notes.txt") for u in seen)


def test_urls_in_head_sitemap_and_robots_sit_under_the_base_url(demo):
    assert demo.build(base_url=ORIGIN + SUB).ok
    page = demo.html("demo/second/index.html")
    assert page.find("link", rel="canonical")["href"] == ORIGIN + SUB + "demo/second/"
    assert page.find("meta", property="og:url")["content"] == ORIGIN + SUB + "demo/second/"
    assert page.find("meta", property="og:image")["content"].startswith(ORIGIN + SUB + "static/cards/")
    sitemap = (demo.out / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs == [ORIGIN + SUB, ORIGIN + SUB + "demo/", ORIGIN + SUB + "demo/first/", ORIGIN + SUB + "demo/second/"]
    assert f"Sitemap: {ORIGIN}{SUB}sitemap.xml" in (demo.out / "robots.txt").read_text()


def test_a_bare_path_base_url_gives_no_canonical_and_no_absolute_only_tags(demo):
    assert demo.build(base_url=SUB).ok
    page = demo.html("demo/index.html")
    assert page.find("link", rel="canonical") is None  # a relative canonical is worse than none
    assert page.find("meta", property="og:url") is None  # Open Graph needs an absolute URL
    assert page.find("meta", property="og:image") is None
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert not (demo.out / "static/cards").exists()


def test_build_and_check_report_the_same_problems_strict_or_not(demo):
    """A plain build shows every warning check shows; --strict fails both alike (the base_url warning, the
    link check's http:// warning), from the library and the command line."""
    demo.write("content/demo/02-second.md", MODULE_TWO + "\nOld [page](http://example.com/).\n")
    for strict in (False, True):
        built, checked = demo.build(strict=strict), demo.check(strict=strict)
        assert built.diagnostics == checked.diagnostics and built.ok == checked.ok == (not strict)
        assert {d.path for d in built.diagnostics} == {"content/site.yaml", "content/demo/02-second.md"}
    for command in ("build", "check"):
        plain, strict = demo.cli(command), demo.cli(command, "--strict")
        assert plain.returncode == 0 and "content/site.yaml:1: warning: base_url is a path" in plain.stderr
        assert strict.returncode == 1 and "content/site.yaml:1: error: base_url is a path" in strict.stderr
        assert "1 warning" not in strict.stdout + strict.stderr and "2 errors" in strict.stderr
    assert LiveSite(demo.root).rebuild().diagnostics[0].path == "content/demo/02-second.md"  # serve: no base_url one


def test_check_warns_once_when_only_a_path_is_known_and_strict_fails_on_it(demo):
    report = demo.check()
    origin_warnings = [d for d in report.diagnostics if "base_url is a path" in d.message]
    assert len(origin_warnings) == 1 and origin_warnings[0].severity == "warning"
    assert all(lost in origin_warnings[0].message for lost in ("rel=canonical", "og:url", "social-card image"))
    assert report.ok
    assert not demo.check(strict=True).ok
    assert demo.check(strict=True, base_url=ORIGIN + SUB).ok
