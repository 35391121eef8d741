"""Walk content/ and read its files into source records. The only reader of content/."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .config import SLUG_RE
from .diagnostics import Diagnostics

MODULE_RE = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
GLOSSARY = "glossary.yaml"  # a course's glossary, read as text (not published as a file)
MAX_FOLDER_DEPTH = 32  # levels of folders inside a course folder
# files no site should publish: hidden files, editor backups and swap files, merge leftovers, OS litter
LEFTOVER_RE = re.compile(r"^[.#]|~$|#$|\.(orig|bak|rej|swp|swo|tmp|part|crdownload)$|^(Thumbs\.db|desktop\.ini)$",
                         re.IGNORECASE)


@dataclass(frozen=True)
class SourceFile:
    """A text file of the project: its project-relative path and its text (LF line endings)."""

    rel: str
    text: str


@dataclass(frozen=True)
class ModuleFile:
    number: int
    slug: str
    source: SourceFile


@dataclass(frozen=True)
class CourseSource:
    slug: str
    rel: str
    config: SourceFile | None
    modules: tuple[ModuleFile, ...]
    assets: tuple[str, ...]  # paths relative to the course folder, posix
    skipped: tuple[str, ...] = ()  # names of .md files left out for an error (unreadable, misnamed)
    glossary: SourceFile | None = None  # glossary.yaml (glossary.py reads it)


@dataclass(frozen=True)
class ContentSource:
    root: Path
    site: SourceFile | None
    courses: tuple[CourseSource, ...]
    loose: tuple[str, ...] = ()  # the other files at the top of content/ (a logo may be one; outline.py warns)


def rel_path(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


def read_text(project: Path, path: Path, diags: Diagnostics,
              texts: Mapping[str, bytes] | None = None) -> SourceFile | None:
    """Read a UTF-8 text file (BOM and CRLF accepted), or take its bytes from `texts` (by project-relative
    path) when they are there; report binary or undecodable files."""
    rel = rel_path(project, path)
    data = texts.get(rel) if texts else None
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            diags.error(rel, 1, f"cannot read this file: {exc.strerror or exc}; check that you may read it")
            return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        diags.error(rel, line, "this is not a text file (it contains NUL bytes); "
                    "save it as UTF-8 text or move it out of content/")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(rel, line, f"this file is not UTF-8 text (byte 0x{data[exc.start]:02x} "
                    "cannot be decoded); save it with UTF-8 encoding")
        return None
    return SourceFile(rel, text.replace("\r\n", "\n").replace("\r", "\n"))


def _entries(folder: Path, project: Path, diags: Diagnostics) -> list[os.DirEntry]:
    """The visible entries of a folder, sorted by name, without editor and system leftovers; symlinks
    leaving the project, into a hidden folder (.git) or back to a folder that holds them are reported,
    not followed. DirEntry knows each entry's kind without a system call per file."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError as exc:
        diags.error(rel_path(project, folder), 1, f"cannot list this folder: {exc.strerror or exc}; "
                    "check that you may read it")
        return []
    result = []
    for entry in entries:
        if LEFTOVER_RE.search(entry.name):
            continue
        if entry.is_symlink() and (problem := _link_problem(Path(entry.path), project.resolve())):
            diags.error(rel_path(project, Path(entry.path)), 1, f"symbolic link {problem}; it is not followed. "
                        "Copy the file into the project instead")
            continue
        result.append(entry)
    return result


def project_files(project: Path, folder: Path, diags: Diagnostics) -> list[Path]:
    """The files below `folder` (static/, templates/) a build may read, sorted: not hidden files or editor
    leftovers, and not a file reached through a link that content/'s rule refuses (out of the project, into a
    hidden folder of it), which is an error at the file instead."""
    if not folder.is_dir():
        return []
    inside, root = folder.resolve(), project.resolve()
    kept = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(LEFTOVER_RE.search(part) for part in rel.parts):
            continue
        if path.resolve() != inside / rel and (problem := _link_problem(path, root)):  # a link on the way to it
            diags.error(rel_path(project, path), 1, f"symbolic link {problem}; it is not followed. "
                        "Copy the file into the project instead")
            continue
        kept.append(path)
    return kept


def _link_problem(link: Path, project: Path) -> str | None:
    """Why a symbolic link inside content/ may not be followed, or None."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # nowhere, or a loop of links
        return "points nowhere"
    if not target.is_relative_to(project):
        return "points outside the project"
    if any(part.startswith(".") for part in target.relative_to(project).parts):
        return "points into a hidden folder of the project (like .git)"
    if link.parent.resolve().is_relative_to(target):
        return "points back to a folder that holds it, a loop"
    return None


def _assets(entries: list[os.DirEntry], prefix: str, project: Path, diags: Diagnostics) -> list[str]:
    """The files among and below `entries` that are not modules, as paths that start with `prefix`, in
    sorted depth-first order, at most MAX_FOLDER_DEPTH levels down (deeper is reported, not a crash)."""
    assets: list[str] = []
    stack = [(iter(entries), prefix)]
    while stack:
        entry = next(stack[-1][0], None)
        if entry is None:
            stack.pop()
        elif entry.is_dir() and len(stack) > MAX_FOLDER_DEPTH:
            diags.error(rel_path(project, Path(entry.path)), 1, f"folders nest more than {MAX_FOLDER_DEPTH} levels "
                        "deep here; keep a course's files in fewer levels of folders")
        elif entry.is_dir():
            stack.append((iter(_entries(Path(entry.path), project, diags)), f"{stack[-1][1]}{entry.name}/"))
        elif not entry.name.endswith(".md"):
            assets.append(stack[-1][1] + entry.name)
    return assets


def load_course(project: Path, folder: Path, diags: Diagnostics,
                texts: Mapping[str, bytes] | None = None) -> CourseSource:
    rel = rel_path(project, folder)
    if not SLUG_RE.match(folder.name):
        diags.error(f"{rel}/course.yaml", 1, f"course folder name '{folder.name}' must be a URL slug: "
                    "lowercase letters, digits and single hyphens, like 'how-llms-work'")
    if not os.access(folder, os.R_OK | os.X_OK):
        diags.error(rel, 1, "cannot list this folder: permission denied; check that you may read it")
        return CourseSource(folder.name, rel, None, (), ())
    config_path = folder / "course.yaml"
    config = None
    if config_path.is_file():
        config = read_text(project, config_path, diags, texts)
    else:
        diags.error(f"{rel}/course.yaml", 1, "every course folder needs a course.yaml "
                    "with at least title, tagline and description")
    entries = _entries(folder, project, diags)  # listed once, for the modules and the assets
    modules, skipped = [], []
    for entry in entries:
        if entry.is_file() and entry.name.endswith(".md"):
            match = MODULE_RE.match(entry.name)
            if not match:
                diags.error(f"{rel}/{entry.name}", 1, f"module file name '{entry.name}' must look like "
                            "'01-some-slug.md': a number, a hyphen, then lowercase words joined by hyphens")
                skipped.append(entry.name)
                continue
            source = read_text(project, Path(entry.path), diags, texts)
            if source is not None:
                modules.append(ModuleFile(int(match.group(1)), match.group(2), source))
            else:
                skipped.append(entry.name)
    modules.sort(key=lambda m: (m.number, m.slug))
    assets = [a for a in _assets(entries, "", project, diags) if a not in ("course.yaml", GLOSSARY)]
    glossary_path = folder / GLOSSARY
    glossary = read_text(project, glossary_path, diags, texts) if glossary_path.is_file() else None
    return CourseSource(folder.name, rel, config, tuple(modules), tuple(assets), tuple(skipped), glossary)


CourseLoader = Callable[[Path, Path, Diagnostics], CourseSource]  # (project, folder, diags)


TRANSLATIONS = "i18n"  # content/i18n/LANG.yaml: a project's own theme messages


def project_problem(project: Path) -> str | None:
    """Why `project` is not a coursegen project folder (a usage error, exit 2), or None when it is one."""
    if not project.exists():
        return f"{project} does not exist; give the project folder (the one with content/) or run 'coursegen new DIR'"
    if not project.is_dir():
        return f"{project} is a file, not a project folder; give the folder that holds content/"
    if (project / "content").is_dir():
        return None
    if (project / "site.yaml").is_file():
        return f"{project} is a content/ folder; give the project folder above it, {project.parent}"
    if (project / "course.yaml").is_file():
        return f"{project} is a course folder; give the project folder two levels up, {project.parent.parent}"
    return f"{project} is not a coursegen project: it has no content/ folder; run 'coursegen new DIR' to start one"


def load_content(project: Path, diags: Diagnostics, load: CourseLoader | None = None,
                 texts: Mapping[str, bytes] | None = None) -> ContentSource:
    """Read content/: site.yaml and every course folder with its modules and assets.

    `load` stands in for load_course (serve keeps unchanged course folders between rebuilds); `texts` are
    files' bytes by project-relative path, already read (see cache.scan_inputs), used instead of reading.
    """
    content = project / "content"
    if not content.is_dir():
        diags.error("content", 1, "no content/ folder here; run 'coursegen new DIR' to start a project")
        return ContentSource(content, None, ())
    site_path = content / "site.yaml"
    site = None
    if site_path.is_file():
        site = read_text(project, site_path, diags, texts)
    else:
        diags.error("content/site.yaml", 1, "missing site.yaml: it needs at least 'title' and 'description'")
    courses, loose = [], []
    for entry in _entries(content, project, diags):
        if entry.is_dir() and entry.name == TRANSLATIONS:
            continue  # the project's theme messages (i18n.py), not a course
        if entry.is_dir():
            folder = Path(entry.path)
            courses.append(load(project, folder, diags) if load else load_course(project, folder, diags, texts))
        elif entry.name != "site.yaml":
            loose.append(entry.name)
    return ContentSource(content, site, tuple(courses), tuple(loose))
