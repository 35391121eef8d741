"""export(project, format) -> ExportReport: build in memory, then one LMS package per published course."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...build import BuildOptions, BuildReport, build
from ...diagnostics import Diagnostic, UsageError
from ...model import Course
from . import imscc, scorm12, scorm2004
from .package import BASE, CoursePackage, course_package, write_zip
from .scorm import quizzes, scorm_files

FORMATS = ("scorm12", "scorm2004", "imscc")


@dataclass(frozen=True)
class Exported:
    course: str
    path: Path
    size: int  # bytes of the zip


@dataclass(frozen=True)
class ExportReport:
    build: BuildReport
    packages: tuple[Exported, ...] = ()
    problems: tuple[Diagnostic, ...] = field(default=())

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (*self.build.diagnostics, *self.problems)

    @property
    def ok(self) -> bool:
        return self.build.ok and not any(d.severity == "error" for d in self.problems)


def export(project: Path | str, fmt: str, course: str | None = None, out: Path | None = None,
           strict: bool = False, done: Callable[[Exported], None] | None = None) -> ExportReport:
    """Write `OUT/<course>-<fmt>.zip` for each published course (or the one named). A content error in
    the build writes no package. Raises UsageError for an unknown format or course."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    project = Path(project).resolve()
    report = build(project, BuildOptions(base_url=BASE, write=False, strict=strict, search=False, publish=False,
                                           packaged=True))
    result = ExportReport(report)
    if not report.ok or report.site is None:
        return result
    courses = _chosen(report.site.published_courses, course)
    folder = (out or project / "export").resolve()
    made, problems = [], []
    for one in courses:
        package = course_package(report.site, one, report.files)
        files, problem = _formatted(project, package, fmt, report.site.language)
        if problem:
            problems.append(problem)
            continue
        target = folder / f"{one.slug}-{fmt}.zip"
        exported = Exported(one.slug, target, write_zip(target, files))
        made.append(exported)
        if done:
            done(exported)
    return replace(result, packages=tuple(made), problems=tuple(problems))


def _chosen(courses: tuple[Course, ...], slug: str | None) -> tuple[Course, ...]:
    if slug is None:
        return courses
    chosen = tuple(c for c in courses if c.slug == slug)
    if not chosen:
        names = ", ".join(c.slug for c in courses) or "none"
        raise UsageError(f"no published course {slug!r} (published courses: {names})")
    return chosen


def _formatted(project: Path, package: CoursePackage, fmt: str, language: str
               ) -> tuple[dict[str, bytes], Diagnostic | None]:
    """Every file of the package in `fmt`, imsmanifest.xml included, or the problem that stops it."""
    if fmt == "imscc":
        return imscc.cartridge_files(package), None
    version = "1.2" if fmt == "scorm12" else "2004"
    extra, problem = scorm_files(project, package, version, language)
    if problem:
        return {}, problem
    package = package.with_files(extra)
    manifest = scorm12.manifest_xml(package, bool(quizzes(package))) if fmt == "scorm12" \
        else scorm2004.manifest_xml(package)
    return {**package.files, "imsmanifest.xml": manifest}, None
