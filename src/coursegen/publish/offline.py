"""Offline courses: each course's manifest of the files its offline copy needs, and the site's service worker.

Runs in the write stage, on the finished site folder (after the search index, whose files it lists):

- `offline/SLUG.json` per published course: `{"course", "version", "bytes", "files": {URL: [HASH, SIZE]}}`,
  where URL is what the browser asks for (a page by its folder URL, `/course/module/`), HASH the first
  HASH_CHARS hex digits of the SHA-256 of the file's bytes and `version` a digest of the whole list. It
  lists the course's pages (the print page too, not the instructor views), every file under the course's folder (images, downloads),
  every file of the site its pages refer to (CSS, scripts, widgets, the search bundle's script) and the
  search index, without the result fragments of other courses' pages.
- `sw.js` at the base path (its scope): the theme's worker (offline-sw.js) after one line that names this
  build, the base path and each course's manifest and version. Any change to a course changes this file,
  so browsers install the new worker, which brings saved courses up to date: what changed and nothing else.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..minify import minify
from ..model import Course, Site

FOR_INSTRUCTORS = ("instructor/", "instructor-print/")  # a course's instructor views: not part of a learner's copy
WORKER = "sw.js"  # at the base path, so that its scope is the whole site
FOLDER = "offline"  # the manifests: offline/SLUG.json
SEARCH = "pagefind"  # the search bundle's folder (publish/search.py)
HASH_CHARS = 16
WORKER_SOURCE = Path(__file__).with_name("offline-sw.js")
_FRAGMENT_MAGIC = b"pagefind_dcd"  # what Pagefind's gzipped files start with once unpacked


@dataclass(frozen=True)
class SiteFile:
    rel: str  # path in the site folder
    digest: str
    size: int


def file_url(site: Site, rel: str) -> str:
    """The URL a browser asks for: a page by its folder ('how-llms-work/index.html' -> '/how-llms-work/')."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return site.url(rel)


def site_files(folder: Path) -> dict[str, SiteFile]:
    """Every file of the written site, by path (dot files, like the build marker, left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            data = path.read_bytes()
            found[rel] = SiteFile(rel, hashlib.sha256(data).hexdigest()[:HASH_CHARS], len(data))
    return found


def _referenced(site: Site, html: str, files: dict[str, SiteFile]) -> set[str]:
    """The site's files (not pages) that a page's HTML names by URL: stylesheets, scripts, images, widgets."""
    pattern = re.compile(r"[\"'(]" + re.escape(site.base_path) + r"([^\"'()\s<>#?]*)")
    found = set()
    for rel in pattern.findall(html):
        if rel in files and not rel.endswith(".html"):
            found.add(rel)
    return found


def _fragment_url(data: bytes) -> str | None:
    """The page URL a Pagefind result fragment is of (site-relative, '/course/module/'), None if unreadable."""
    try:
        text = gzip.decompress(data)
        return str(json.loads(text[len(_FRAGMENT_MAGIC):])["url"]) if text.startswith(_FRAGMENT_MAGIC) else None
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


def _search_files(folder: Path, course: Course, files: dict[str, SiteFile]) -> set[str]:
    """The search index a course's pages are found with offline: all of it but other pages' fragments."""
    found = set()
    for rel in files:
        if not rel.startswith(SEARCH + "/"):
            continue
        if "/fragment/" in rel:
            url = _fragment_url((folder / rel).read_bytes())
            if url is None or not url.startswith(f"/{course.slug}/"):
                continue
        found.add(rel)
    return found


def course_files(folder: Path, site: Site, course: Course, files: dict[str, SiteFile]) -> set[str]:
    """The paths of every file the offline copy of `course` needs."""
    own = {rel for rel in files if rel.startswith(f"{course.slug}/")
           and not rel.removeprefix(f"{course.slug}/").startswith(FOR_INSTRUCTORS)} - course.redirect_paths
    needed = set(own)
    for rel in own:
        if rel.endswith(".html"):
            needed |= _referenced(site, (folder / rel).read_text(encoding="utf-8", errors="replace"), files)
    return needed | _search_files(folder, course, files)


def manifest(folder: Path, site: Site, course: Course, files: dict[str, SiteFile]) -> dict:
    listed = {file_url(site, rel): [files[rel].digest, files[rel].size]
              for rel in sorted(course_files(folder, site, course, files))}
    version = hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()[:HASH_CHARS]
    return {"course": course.slug, "version": version, "bytes": sum(size for _, size in listed.values()),
            "files": listed}


def write_offline(folder: Path, site: Site) -> None:
    """Write every published course's manifest and the service worker into the finished site `folder`."""
    files = site_files(folder)
    build = hashlib.sha256("".join(f"{f.rel}\0{f.digest}\n" for f in files.values()).encode()).hexdigest()
    courses = {}
    (folder / FOLDER).mkdir(exist_ok=True)
    for course in site.published_courses:
        listed = manifest(folder, site, course, files)
        rel = f"{FOLDER}/{course.slug}.json"
        (folder / rel).write_text(json.dumps(listed, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        courses[course.slug] = {"version": listed["version"], "manifest": site.url(rel)}
    settings = {"scope": site.base_path, "build": build[:HASH_CHARS], "courses": courses}
    script = minify(WORKER, WORKER_SOURCE.read_bytes())
    worker = f"self.CG = {json.dumps(settings, sort_keys=True)};\n".encode() + script
    (folder / WORKER).write_bytes(worker)
