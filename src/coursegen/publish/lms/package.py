"""One course's pages and files, out of an in-memory build, made relative and zipped reproducibly."""
from __future__ import annotations

import hashlib
import io
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...model import Course, Site
from ...output import SiteFiles
from ..seo import source_date_epoch

# The base path the package's pages are built under: every URL the theme makes starts with it, so
# each one can be found and made relative to its page (an LMS serves a package under a path of its own).
BASE = "/__coursegen_package__/"
_URL = re.compile(re.escape(BASE) + r"""([^"'\s<>()\\]*)""")
_INSTRUCTOR = ("instructor", "instructor-print")  # the course's folders for teachers (render.py)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
_LAST_TIME = (2107, 12, 31, 23, 59, 58)  # and the last


@dataclass(frozen=True)
class CoursePackage:
    """What goes into a course's package: its files by package path, and where to start."""

    course: Course
    identifier: str  # stable across rebuilds, different for every course and site
    files: dict[str, bytes]
    start: str  # the course page, e.g. 'how-llms-work/index.html'
    progress_key: str  # the localStorage key the theme keeps this course's progress under

    def with_files(self, extra: dict[str, bytes]) -> CoursePackage:
        return CoursePackage(self.course, self.identifier, {**self.files, **extra}, self.start, self.progress_key)


def identifier(site: Site, course: Course) -> str:
    """An XML ID for the course's package: readable, and unique to the site (its title) and the course."""
    digest = hashlib.sha256(f"{site.title}\n{course.slug}".encode()).hexdigest()[:10]
    readable = re.sub(r"[^A-Za-z0-9-]+", "-", course.slug).strip("-")[:60] or "course"
    return f"coursegen-{readable}-{digest}"


def course_package(site: Site, course: Course, files: SiteFiles) -> CoursePackage:
    """The course's pages, assets and the theme's static files, with every URL made relative to its file.

    Links to pages that are not in the package (the home page, other courses) lead to the course page. The
    instructor view, with the quizzes' answers, stays out: a package is for learners; so do the pages at modules'
    old URLs (front matter 'aliases'), which only send browsers on.
    """
    ident = identifier(site, course)
    prefix = f"{course.slug}/"
    chosen: dict[str, bytes] = {}
    teachers = tuple(f"{prefix}{folder}/" for folder in _INSTRUCTOR)
    for path in sorted(files.paths()):
        if path.startswith((prefix, "static/")) and not path.startswith(teachers) and path not in course.redirect_paths:
            chosen[path] = files.data[path] if path in files.data else files.copies[path].read_bytes()
    start = f"{prefix}index.html"
    base = f"/{ident}/"  # the page script keys progress by it: one key per package on an LMS's origin
    made = {path: _relative(path, data, set(chosen), start, base) for path, data in chosen.items()}
    return CoursePackage(course, ident, made, start, f"cg-progress:{base}{course.slug}")


def _relative(path: str, data: bytes, inside: set[str], start: str, base: str) -> bytes:
    if BASE.encode() not in data:
        return data
    text = data.decode("utf-8")
    text = text.replace(f'data-base="{BASE}"', f'data-base="{base}"')
    here = posixpath.dirname(path) or "."

    def local(match: re.Match[str]) -> str:
        target, suffix = re.match(r"([^#?]*)(.*)", match.group(1)).groups()  # type: ignore[union-attr]
        if target == "" or target.endswith("/"):
            target += "index.html"  # an LMS serves files, not folders
        if target not in inside:
            target, suffix = start, ""
        return posixpath.relpath(target, here) + suffix

    return _URL.sub(local, text).encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of `files`, the same bytes for the same files: sorted names, one fixed time
    (SOURCE_DATE_EPOCH when set), fixed permissions."""
    epoch = source_date_epoch()
    stamp = min(max(time.gmtime(epoch)[:6], _FIXED_TIME), _LAST_TIME) if epoch is not None else _FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_zip(target: Path, files: dict[str, bytes]) -> int:
    """Write the zip atomically (a temporary file, then a rename); its size in bytes."""
    data = zip_bytes(files)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_bytes(data)
    partial.replace(target)
    return len(data)
