"""The preview's HTTP server: the last good site from memory, and a Server-Sent Events stream of updates.

A small server of our own (stdlib http.server + Server-Sent Events) instead of python-livereload:
livereload polls every 800 ms, ignores reloads closer than 3 s apart, serves only a folder on disk,
and its protocol can neither carry the error list nor move a content-hashed stylesheet.
"""
from __future__ import annotations

import errno
import hashlib
import http.server
import ipaddress
import json
import logging
import mimetypes
import os
import re
import secrets
import socket
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..diagnostics import UsageError
from ..output import SiteFiles
from .client import EVENTS_URL, WORKER_KILL_SWITCH, error_page, inject
from .doorway import Doorway, reader

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0
MAX_EVENTS = 64  # updates kept for a page that is still sending the earlier ones
MAX_EVENT_BYTES = 2_000_000  # ... and at most this many bytes of them (each may carry an error overlay)
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HASHED = re.compile(r"^static/.+\.[0-9a-f]{8}(\.[A-Za-z0-9]+)?$")  # content-hashed names never change content


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good site, plus the overlay while the last rebuild failed, and the
    panel of the last good build's warnings."""

    files: SiteFiles
    version: str
    overlay: str | None = None
    warnings: str | None = None


class Hub:
    """The current snapshot and the stream of update events that open pages listen to."""

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1") -> None:
        self.root = root.resolve() if root else None  # the project: no file outside it is ever served
        self.host = host  # the --host the server listens on
        self.boot = secrets.token_hex(4)
        self.snapshot = Snapshot(SiteFiles(), f"{self.boot}-0")
        self.events: list[str] = []  # the latest MAX_EVENTS updates
        self.count = 0  # updates published so far
        self.changed = threading.Condition()
        self.closed = False

    def publish(self, snapshot: Snapshot, event: dict) -> None:
        with self.changed:
            self.snapshot = snapshot  # the new files are in place before any page hears of them
            self.events = _bounded([*self.events[-(MAX_EVENTS - 1):], json.dumps(event)])
            self.count += 1
            self.changed.notify_all()

    def has_news(self, seen: int) -> bool:
        """Whether the hub closed or published since update number `seen`."""
        return self.closed or self.count > seen

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def _bounded(events: list[str]) -> list[str]:
    """The latest events whose sizes add up to at most MAX_EVENT_BYTES (the very latest always)."""
    total, keep = 0, 0
    for event in reversed(events):
        total += len(event)
        if keep and total > MAX_EVENT_BYTES:
            break
        keep += 1
    return events[len(events) - keep:]


def host_allowed(header: str | None, listening: str) -> bool:
    """Whether a request's Host header names this machine in a way no other site can borrow: localhost,
    an IP address (DNS rebinding needs a name), or the --host the server listens on."""
    if header is None:
        return True  # no browser sends a request without Host; HTTP/1.0 tools may
    try:
        name = urlsplit(f"//{header}").hostname
        urlsplit(f"//{header}").port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    if not name:
        return False
    if name in LOCAL_NAMES or name == listening.lower().strip("[]"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _Handler(http.server.BaseHTTPRequestHandler):
    hub: Hub  # set on the subclass made by make_server

    def setup(self) -> None:
        super().setup()
        head = getattr(getattr(self.server, "heads", None), "value", None)
        if head is not None:  # what the doorway already read of the request comes first
            self.rfile.close()
            self.rfile = reader(head, self.connection)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _local(self) -> bool:
        """Refuse (403) a request whose Host is not this machine's: a page rebinding its name to 127.0.0.1."""
        if host_allowed(self.headers.get("Host"), self.hub.host):
            return True
        body = (b"coursegen serve answers only requests for localhost, 127.0.0.1, [::1] or its --host "
                b"(DNS rebinding protection)\n")
        self._send(403, body, "text/plain; charset=utf-8", self.command == "HEAD")
        return False

    def do_HEAD(self) -> None:
        if self._local():
            self._respond(head=True)

    def do_GET(self) -> None:
        if not self._local():
            return
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
            return self._send(301, b"", "text/plain", head, {"Location": quote(f"/{rel.lstrip('/')}/")})
        if _stale_worker(rel, snap.files):
            return self._send(200, WORKER_KILL_SWITCH, "text/javascript; charset=utf-8", head)
        status, data = 200, _read(snap.files, rel, self.hub.root)
        if data is None:
            status, rel = 404, "404.html"
            data = _read(snap.files, "404.html", self.hub.root) or b"<!doctype html><body></body>"
        content_type = _content_type(rel)
        if content_type.startswith("text/html"):
            return self._send(status, inject(data.decode("utf-8"), snap.version, snap.overlay, snap.warnings).encode(),
                              content_type, head)
        if status != 200:
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
            seen = hub.count
            snap = hub.snapshot
        try:
            self._event("state", json.dumps({"version": snap.version, "overlay": snap.overlay, "warnings": snap.warnings}))
            while True:
                with hub.changed:
                    hub.changed.wait_for(partial(hub.has_news, seen), KEEPALIVE_SECONDS)
                    if hub.closed:
                        return
                    fresh, seen = hub.events[len(hub.events) - min(hub.count - seen, len(hub.events)):], hub.count
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


def _stale_worker(rel: str, files: SiteFiles) -> bool:
    """Whether a browser asks for a service worker that the preview has no file for (a built site's)."""
    return rel.rsplit("/", 1)[-1] == "sw.js" and rel not in files.paths()


def _content_type(rel: str) -> str:
    content_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
        content_type += "; charset=utf-8"
    return content_type


def _read(files: SiteFiles, rel: str, root: Path | None) -> bytes | None:
    """A file's bytes: from memory, or the file copied from the project, read only when it (after every
    link) still lies inside `root` and is not a link itself, whatever happened to it since the build."""
    if rel in files.data:
        return files.data[rel]
    source = files.copies.get(rel)
    if source is None:
        return None
    real = Path(os.path.realpath(source))
    if root is not None and not real.is_relative_to(root):
        return None
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as file:
            return file.read()
    except OSError:
        return None


class _Server(http.server.ThreadingHTTPServer):
    """Connections wait in the doorway (no thread) until their request head is in, then get a pool thread."""

    daemon_threads = True
    request_queue_size = 64  # a burst of a page's requests fits the listen queue

    def server_activate(self) -> None:
        super().server_activate()
        self.heads = threading.local()  # the head the doorway read, for the handler in this thread
        self.doorway = Doorway(self._answer, EVENTS_URL)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.doorway.admit(request, client_address)

    def _answer(self, request: socket.socket, client_address: tuple, head: bytes) -> None:
        self.heads.value = head
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - reported by handle_error, as socketserver does
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        if hasattr(self, "doorway"):
            self.doorway.close()

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        """A client that hangs up mid-answer is normal (a click away); anything else, one line, no traceback."""
        import sys
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("client %s hung up: %s", client_address[0], error)
        else:
            log.warning("coursegen serve: a request from %s failed: %r", client_address[0], error)


def make_server(hub: Hub, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Bind the HTTP server; a port in use (or an address that cannot be bound) is a UsageError."""
    handler = type("Handler", (_Handler,), {"hub": hub})
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use; choose another with --port "
                             "(--port 0 picks a free one)") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return server
