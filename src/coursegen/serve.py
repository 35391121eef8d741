"""Live preview: serve the site from memory, rebuild what changed, tell open pages to update.

A small server of our own (stdlib http.server + Server-Sent Events) fed by watchdog, as MkDocs
did, instead of python-livereload: livereload polls every 800 ms, ignores reloads closer than
3 s apart, serves only a folder on disk, and its protocol can neither carry the error list nor
move a content-hashed stylesheet. The site is kept in memory, so the publish build/ folder is
never touched and nothing is written at all.
"""
from __future__ import annotations

import errno
import hashlib
import http.server
import json
import mimetypes
import queue
import re
import secrets
import signal
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from .diagnostics import Diagnostic, UsageError
from .incremental import IncrementalBuilder, Rebuild
from .output import SiteFiles
from .serveclient import EVENTS_URL, error_page, inject, overlay_html

Echo = Callable[[str, bool], None]  # (line, is_error) -> None; cli.py prints
WATCHED = ("content", "templates", "static")
QUIET_SECONDS = 0.02  # a burst of file events ends after this long without one
MAX_WAIT_SECONDS = 0.25  # ... or this long after its first event
KEEPALIVE_SECONDS = 15.0
HASHED = re.compile(r"^static/.+\.[0-9a-f]{8}\.(css|js)$")  # content-hashed names never change content


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good site, plus the overlay while the last rebuild failed."""

    files: SiteFiles
    version: str
    overlay: str | None = None


class Hub:
    """The current snapshot and the stream of update events that open pages listen to."""

    def __init__(self) -> None:
        self.boot = secrets.token_hex(4)
        self.snapshot = Snapshot(SiteFiles(), f"{self.boot}-0")
        self.events: list[str] = []
        self.changed = threading.Condition()
        self.closed = False

    def publish(self, snapshot: Snapshot, event: dict) -> None:
        with self.changed:
            self.snapshot = snapshot  # the new files are in place before any page hears of them
            self.events.append(json.dumps(event))
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class _Handler(http.server.BaseHTTPRequestHandler):
    hub: Hub  # set on the subclass made by make_server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS_URL:
            self._events()
        else:
            self._respond(head=False)

    def _send(self, status: int, body: bytes, content_type: str, head: bool, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        extra = {"Cache-Control": "no-store", **(extra or {})}
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _respond(self, head: bool) -> None:
        snap = self.hub.snapshot
        path = unquote(urlsplit(self.path).path)
        rel = path.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        if not snap.files.data and not snap.files.copies:
            body = error_page(snap.version, snap.overlay or "")
            return self._send(503 if snap.overlay else 200, body.encode(), "text/html; charset=utf-8", head)
        if rel not in snap.files.paths() and f"{rel}/index.html" in snap.files.paths():
            return self._send(301, b"", "text/plain", head, {"Location": path + "/"})
        status, data = 200, _read(snap.files, rel)
        if data is None:
            status, rel, data = 404, "404.html", _read(snap.files, "404.html") or b"<!doctype html><body></body>"
        content_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if content_type == "text/html":
            data = inject(data.decode("utf-8"), snap.version, snap.overlay).encode()
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            content_type += "; charset=utf-8"
        if status != 200 or content_type.startswith("text/html"):
            return self._send(status, data, content_type, head)
        self._send_cacheable(rel, data, content_type, head)

    def _send_cacheable(self, rel: str, data: bytes, content_type: str, head: bool) -> None:
        """Files other than pages: kept by the browser (a reload then fetches just the page)."""
        etag = f'"{hashlib.sha256(data).hexdigest()[:20]}"'
        cache = "max-age=31536000, immutable" if HASHED.search(rel) else "no-cache"
        headers = {"ETag": etag, "Cache-Control": cache}
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", content_type, True, headers)
        self._send(200, data, content_type, head, headers)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        hub = self.hub
        with hub.changed:
            seen = len(hub.events)
            snap = hub.snapshot
        try:
            self._event("state", json.dumps({"version": snap.version, "overlay": snap.overlay}))
            while True:
                with hub.changed:
                    hub.changed.wait_for(lambda seen=seen: hub.closed or len(hub.events) > seen, KEEPALIVE_SECONDS)
                    if hub.closed:
                        return
                    fresh, seen = hub.events[seen:], len(hub.events)
                for data in fresh:
                    self._event("update", data)
                if not fresh:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _read(files: SiteFiles, rel: str) -> bytes | None:
    if rel in files.data:
        return files.data[rel]
    source = files.copies.get(rel)
    try:
        return source.read_bytes() if source else None
    except OSError:
        return None


def make_server(hub: Hub, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Bind the HTTP server; a port in use (or an address that cannot be bound) is a UsageError."""
    handler = type("Handler", (_Handler,), {"hub": hub})
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use; choose another with --port "
                             "(--port 0 picks a free one)") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    return server


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
        self.builder = IncrementalBuilder(project)
        self.inbox: queue.Queue = queue.Queue()
        self.observer = Observer()
        self.watched: dict[str, ObservedWatch] = {}
        self.version = 0
        self.warnings: list[Diagnostic] = []

    def watch(self, changed: set[Path] = frozenset()) -> None:
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
        result = self.builder.rebuild(changed)
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
        self.hub.publish(Snapshot(self.builder.files, version), {
            "version": version, "overlay": None, "pages": pages, "css": result.css if css_only else {}})
        warnings = [d for d in result.diagnostics if d.severity == "warning"]
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
        overlay = overlay_html(self.project, result.errors, result.crash)
        snap = self.hub.snapshot
        self.hub.publish(Snapshot(snap.files, snap.version, overlay), {"version": snap.version, "overlay": overlay})
        count = len(result.errors) + (1 if result.crash else 0)
        self.echo(f"{time.strftime('%H:%M:%S')} {what}: build failed ({count} error{'s' if count != 1 else ''}); "
                  "the browser shows them; still serving the last good site", True)


def _stop_on_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())


def serve(project: Path | str, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          quiet: bool = False, echo: Echo | None = None) -> int:
    """Preview `project` at http://HOST:PORT/ until interrupted; return the exit code."""
    project = Path(project).resolve()
    if not (project / "content").is_dir():
        raise UsageError(f"{project} has no content/ folder; run 'coursegen new DIR' to start a project")
    say = echo or (lambda line, error: None)
    stop = threading.Event()
    _stop_on_signals(stop)
    hub = Hub()
    server = make_server(hub, host, port)
    url = f"http://{host}:{server.server_address[1]}/"
    preview = Preview(project, hub, (lambda line, error: say(line, error) if error or not quiet else None))
    preview.watch()
    preview.observer.start()
    preview.rebuild(set())
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
