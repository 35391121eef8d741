"""argv -> library calls -> exit codes. The only module that prints and exits."""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ._version import __version__
from .build import BuildOptions, BuildReport, build, check
from .diagnostics import Diagnostic, UsageError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursegen", description="Build course websites from Markdown.")
    parser.add_argument("--version", action="version", version=f"coursegen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    verbosity = common.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    p_build = add("build", "build the site into build/")
    p_build.add_argument("dir", nargs="?", default=".", type=Path, help="project folder (default: .)")
    p_build.add_argument("--out", type=Path, help="output folder (default: DIR/build)")
    p_build.add_argument("--base-url", help="URL or path the site is served under, e.g. /courses/")
    p_build.add_argument("--drafts", action="store_true", help="include modules marked draft")
    p_build.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    p_build.add_argument("--no-cache", action="store_true",
                         help="build everything anew, reading and writing nothing in .coursegen-cache/")
    p_build.add_argument("--wait", action="store_true",
                         help="when another build is writing the same output folder, wait for it (default: refuse)")

    p_check = add("check", "validate content, links and assets; write nothing")
    p_check.add_argument("dir", nargs="?", default=".", type=Path)
    p_check.add_argument("--base-url")
    p_check.add_argument("--drafts", action="store_true")
    p_check.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")

    p_export = add("export", "build, then package each published course for an LMS (SCORM, Common Cartridge)")
    p_export.add_argument("dir", nargs="?", default=".", type=Path, help="project folder (default: .)")
    p_export.add_argument("--format", required=True, choices=["scorm12", "scorm2004", "imscc"],
                          help="scorm12 (Moodle, Blackboard, Brightspace, Open edX), scorm2004, "
                               "imscc (Common Cartridge: Canvas, Moodle)")
    p_export.add_argument("--course", metavar="SLUG", help="only this course (default: every published course)")
    p_export.add_argument("--out", type=Path, help="folder for the zips (default: DIR/export)")
    p_export.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    p_report = add("report", "print which quizzes and reveals check each learning goal")
    p_report.add_argument("dir", nargs="?", default=".", type=Path)
    p_report.add_argument("--html", action="store_true",
                          help="also build the site with the report page, build/report/index.html")
    p_report.add_argument("--out", type=Path, help="with --html: output folder (default: DIR/build)")
    p_report.add_argument("--drafts", action="store_true", help="include modules marked draft")

    p_new = add("new", "create a new project that builds at once")
    p_new.add_argument("dir", type=Path)

    p_serve = add("serve", "live preview with automatic reload")
    p_serve.add_argument("dir", nargs="?", default=".", type=Path)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=_port, default=8000, help="port to listen on, 0-65535 (0: any free one)")
    p_serve.add_argument("--open", action="store_true", help="open the site in a browser")
    return parser


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return int(text)


def github_annotation(d: Diagnostic, project: Path | None = None) -> str:
    """A GitHub Actions workflow command that shows `d` on the pull request's diff, escaped per the docs.

    The file path is made relative to the repository (GITHUB_WORKSPACE) when the project is a sub-folder.
    """
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    path = d.path
    if project is not None:
        workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
        full = project.resolve() / d.path
        path = full.relative_to(workspace).as_posix() if full.is_relative_to(workspace) else d.path
    command = d.severity if d.severity in ("error", "warning") else "notice"
    return f"::{command} file={prop(path)},line={d.line}::{data(d.message)}"


_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNPRINTABLE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}]")


def printable(text: str) -> str:
    """`text` for a terminal or a CI log: control characters (line breaks, ESC, BEL, C1) and bidi controls
    as \\n, \\x1b, \\u202e, so user text can neither start a workflow command on a line of its own nor
    drive the terminal."""
    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        return {"\n": "\\n", "\r": "\\r"}.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                                                       else f"\\u{ord(char):04x}")
    return _UNPRINTABLE.sub(escape, text)


def _print_diagnostics(diagnostics: Sequence[Diagnostic], quiet: bool, project: Path | None = None) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for d in diagnostics:
        if quiet and d.severity != "error":
            continue
        print(printable(d.format()), file=sys.stderr)
        if annotate:  # the Actions runner reads workflow commands from both output streams
            print(printable(github_annotation(d, project)), file=sys.stderr)


def _summary(report: BuildReport) -> str:
    errors = len(report.errors)
    warnings = len(report.diagnostics) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _display(path: Path) -> str:
    """A path relative to the working folder when it lies inside it, else absolute."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _cmd_build(args: argparse.Namespace) -> int:
    report = build(args.dir, BuildOptions(out=args.out, base_url=args.base_url, drafts=args.drafts,
                                          strict=args.strict, reuse=not args.no_cache, cache=not args.no_cache,
                                          wait=args.wait))
    _print_diagnostics(report.diagnostics, args.quiet, report.project)
    if report.up_to_date:
        if not args.quiet:
            print(f"Up to date: nothing changed since the last build of {report.pages} pages in "
                  f"{_display(report.out)}/.")
        return EXIT_OK
    if not report.ok:
        before = report.out.is_dir() and any(report.out.iterdir())
        left = f"the previous site in {report.out} is unchanged" if before else "nothing was written"
        print(f"Build failed: {_summary(report)}; {left}.", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        where = _display(report.out)
        kept = report.pages - report.rendered
        unchanged = f", {kept} kept from an earlier build" if kept else ""
        print(f"Built {report.pages} pages into {where}/ in {report.seconds:.2f} s "
              f"({report.rendered} rendered{unchanged}; {_summary(report)}).")
        print(f"View it: python -m http.server --directory {where} 8000, then open http://127.0.0.1:8000/"
              " (or run 'coursegen serve' for a live preview)")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    report = check(args.dir, BuildOptions(base_url=args.base_url, drafts=args.drafts, strict=args.strict))
    _print_diagnostics(report.diagnostics, args.quiet, report.project)
    if not report.ok:
        print(f"Check failed: {_summary(report)}.", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(f"Checked {report.pages} pages: {_summary(report)}.")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from .publish.lms import Exported, export

    def done(package: Exported) -> None:
        if not args.quiet:
            print(f"Exported {package.course} as {args.format}: {_display(package.path)} "
                  f"({package.size / 1024:,.0f} KB)", flush=True)

    report = export(args.dir, args.format, course=args.course, out=args.out, strict=args.strict, done=done)
    _print_diagnostics(report.diagnostics, args.quiet, report.build.project)
    if not report.build.ok:
        print(f"Export failed: {_summary(report.build)}; no package written.", file=sys.stderr)
        return EXIT_CONTENT
    if not report.ok:
        print(f"Export failed for {len(report.problems)} course(s); see above.", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import text_report
    options = BuildOptions(out=args.out, drafts=args.drafts, report=True)
    report = build(args.dir, options) if args.html else check(args.dir, options)
    _print_diagnostics(report.diagnostics, args.quiet, report.project)
    if not report.ok or report.site is None:
        print(f"Report failed: {_summary(report)}.", file=sys.stderr)
        return EXIT_CONTENT
    print(text_report(report.site), end="")
    if args.html and not args.quiet:
        print(f"\nWrote the site with the report page {_display(report.out)}/report/index.html "
              "(not linked from the site, not indexed).")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold
    created = scaffold(args.dir)
    if not args.quiet:
        print(f"Created a course project in {created} ({len(list(created.rglob('*')))} files and folders).")
        print(f"Next: coursegen serve {args.dir}   (live preview)  or  coursegen build {args.dir}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    def echo(text: str, error: bool) -> None:
        for line in text.split("\n"):
            print(printable(line), file=sys.stderr if error else sys.stdout, flush=True)

    return serve(args.dir, host=args.host, port=args.port, open_browser=args.open, quiet=args.quiet, echo=echo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(level=logging.WARNING, format="coursegen: %(message)s")  # libraries: warnings only
    logging.getLogger("coursegen").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    handlers = {"build": _cmd_build, "check": _cmd_check, "export": _cmd_export, "new": _cmd_new,
                "serve": _cmd_serve, "report": _cmd_report}
    try:
        return handlers[args.command](args)
    except UsageError as exc:
        print(printable(f"coursegen: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the file system refused (no permission, full disk, read-only): one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(printable(f"coursegen: error: {where}{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def run() -> NoReturn:
    """The `coursegen` command."""
    sys.exit(main())
