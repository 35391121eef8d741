"""Live preview: watch the project, rebuild the live site after each burst of changes, tell open pages.

Watching is watchdog's (inotify and its kin), debounced into one rebuild per burst of saves, as MkDocs
does; the site lives in memory (live.py), so build/ is never touched and nothing is written.
"""
from __future__ import annotations

import contextlib
import queue
import signal
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..content import project_problem
from ..diagnostics import Diagnostic, UsageError
from .client import overlay_html, warnings_html
from .live import LiveSite, Rebuild
from .server import Hub, Snapshot, make_server

Echo = Callable[[str, bool], None]  # (line, is_error) -> None; cli.py prints
WATCHED = ("content", "templates", "static")
QUIET_SECONDS = 0.02  # a burst of file events ends after this long without one
MAX_WAIT_SECONDS = 0.25  # ... or this long after its first event


class _Events(FileSystemEventHandler):
    """Collects the paths of file changes worth a rebuild (not editors' swap files, not reads)."""

    KINDS = frozenset({"created", "modified", "deleted", "moved", "closed"})

    def __init__(self, project: Path, inbox: queue.Queue):
        self.project, self.inbox = project, inbox

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in self.KINDS or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = Path(raw if isinstance(raw, str) else raw.decode()) if raw else None
            if path and self._wanted(path):
                self.inbox.put(path)

    def _wanted(self, path: Path) -> bool:
        if not path.is_relative_to(self.project) or path == self.project:
            return False
        if path.relative_to(self.project).parts[0] not in WATCHED:
            return False
        return not (path.name.startswith(".") or path.name.endswith(("~", ".swp", ".swx")) or path.name == "4913")


class Preview:
    """Watches the project, debounces bursts of changes into one rebuild, and publishes the result."""

    def __init__(self, project: Path, hub: Hub, echo: Echo):
        self.project, self.hub, self.echo = project, hub, echo
        self.live = LiveSite(project)
        self.inbox: queue.Queue = queue.Queue()
        self.observer = Observer()
        self.watched: dict[str, ObservedWatch] = {}
        self.version = 0
        self.warnings: list[Diagnostic] = []

    def watch(self, changed: frozenset[Path] | set[Path] = frozenset()) -> None:
        """Watch content/, templates/ and static/, and the project folder for those coming or going."""
        handler = _Events(self.project, self.inbox)
        if "." not in self.watched:
            self.watched["."] = self.observer.schedule(handler, str(self.project), recursive=False)
        for name in WATCHED:
            folder = self.project / name
            if name in self.watched and folder in changed:  # deleted, or replaced (a git checkout)
                self.observer.unschedule(self.watched.pop(name))
            if name not in self.watched and folder.is_dir():
                self.watched[name] = self.observer.schedule(handler, str(folder), recursive=True)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                first = self.inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            self.rebuild(self._burst(first))

    def _burst(self, first: Path) -> set[Path]:
        changed, started = {first}, time.monotonic()
        while time.monotonic() - started < MAX_WAIT_SECONDS:
            try:
                changed.add(self.inbox.get(timeout=QUIET_SECONDS))
            except queue.Empty:
                break
        return changed

    def rebuild(self, changed: set[Path]) -> Rebuild:
        if changed:
            self.watch(changed)
        result = self.live.rebuild(changed)
        relevant = {p for p in changed if p.is_relative_to(self.project)} - {self.project}
        what = ", ".join(sorted(p.relative_to(self.project).as_posix() for p in relevant)[:3]) or "start"
        if len(relevant) > 3:
            what += f" and {len(relevant) - 3} more"
        if result.ok:
            self._published(result, relevant, what)
        else:
            self._failed(result, what)
        return result

    def _published(self, result: Rebuild, changed: set[Path], what: str) -> None:
        self.version += 1
        version = f"{self.hub.boot}-{self.version}"
        css_only = bool(changed) and all(p.suffix == ".css" and p.is_relative_to(self.project / "static")
                                         for p in changed)
        pages = [] if css_only else sorted(result.reload)
        warnings = [d for d in result.diagnostics if d.severity == "warning"]
        panel = warnings_html(self.project, warnings)
        self.hub.publish(Snapshot(self.live.files, version, warnings=panel), {
            "version": version, "overlay": None, "pages": pages, "css": result.css if css_only else {},
            "warnings": panel})
        if warnings != self.warnings:
            for d in warnings:
                self.echo(d.format(), True)
            self.warnings = warnings
        done = (f"built {result.pages} pages" if what == "start"
                else f"{what}: {result.rendered} of {result.pages} pages re-rendered")
        self.echo(f"{time.strftime('%H:%M:%S')} {done} in {result.seconds * 1000:.0f} ms", False)

    def _failed(self, result: Rebuild, what: str) -> None:
        for d in result.errors:
            self.echo(d.format(), True)
        if result.crash:
            self.echo(result.crash.rstrip(), True)
        snap = self.hub.snapshot
        built = bool(snap.files.paths())  # a good build was published before
        overlay = overlay_html(self.project, result.errors, result.crash, built)
        self.hub.publish(Snapshot(snap.files, snap.version, overlay, snap.warnings), {"version": snap.version, "overlay": overlay})
        count = len(result.errors) + (1 if result.crash else 0)
        self.echo(f"{time.strftime('%H:%M:%S')} {what}: build failed ({count} error{'s' if count != 1 else ''}); "
                  f"the browser shows them; {'still serving the last good site' if built else 'no site yet'}", True)


def _inputs_state(project: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime) of every watched file: tells whether anything changed between two moments."""
    found = []
    for name in WATCHED:
        for path in sorted((project / name).rglob("*")):
            with contextlib.suppress(OSError):
                st = path.stat()
                found.append((str(path), st.st_size, st.st_mtime_ns))
    return found


def _stop_on_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())


def serve(project: Path | str, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          quiet: bool = False, echo: Echo | None = None) -> int:
    """Preview `project` at http://HOST:PORT/ until interrupted; return the exit code."""
    project = Path(project).resolve()
    if problem := project_problem(project):
        raise UsageError(problem)
    say = echo or (lambda line, error: None)
    stop = threading.Event()
    _stop_on_signals(stop)
    hub = Hub(project, host)
    server = make_server(hub, host, port)
    url = f"http://{host}:{server.server_address[1]}/"
    preview = Preview(project, hub, (lambda line, error: say(line, error) if error or not quiet else None))
    before = _inputs_state(project)
    preview.rebuild(set())  # before any thread starts, so the first build may use every core
    preview.watch()
    preview.observer.start()
    if _inputs_state(project) != before:  # edited during the first build, before the watcher saw it
        preview.rebuild({project / "content"})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"Serving {url} (drafts shown, nothing written to build/); Ctrl+C stops", False)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    watcher = threading.Thread(target=preview.run, args=(stop,), daemon=True)
    watcher.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        preview.observer.stop()
        preview.observer.join(timeout=5)
        watcher.join(timeout=5)
    say("Stopped.", False)
    return 0
