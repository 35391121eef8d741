"""The preview server as a local-only tool (review F3, F4, F24): it answers only local Host names, never
serves a file outside the project, redirects only inside the site, stays quiet when clients hang up,
keeps its event history bounded, gives slow idle connections no thread, and refuses a bad --port with one
line."""
from __future__ import annotations

import http.client
import os
import socket
import struct
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CourseProject
from servehelp import Server, get, page_with, sandbox, until

from coursegen.serve.doorway import HEAD_SECONDS
from coursegen.serve.server import MAX_EVENT_BYTES, Hub, Snapshot, host_allowed


@pytest.fixture
def server(demo: CourseProject, tmp_path: Path) -> Iterator[Server]:
    demo.write("content/demo/images/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text()
               + "\n![A picture](images/pic.svg)\n")
    running = Server(demo.root, sandbox(tmp_path))
    yield running
    running.stop()


def request(server: Server, path: str, host: str | None = None) -> http.client.HTTPResponse:
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    return connection.getresponse()


def test_a_foreign_host_header_is_refused_pages_and_event_stream(server: Server) -> None:
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    for path in ("/", "/demo/second/", "/__coursegen/events"):
        response = request(server, path, f"attacker.example:{port}")
        assert response.status == 403, path
        assert b"attacker" not in response.read()
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
        response = request(server, "/", host)
        assert response.status == 200, host


def test_host_names_that_cannot_be_rebound_are_allowed() -> None:
    assert host_allowed("localhost:8000", "127.0.0.1")
    assert host_allowed("LOCALHOST", "127.0.0.1")
    assert host_allowed("[::1]:8000", "127.0.0.1")
    assert host_allowed("192.168.1.20:8000", "0.0.0.0")  # a phone on the LAN, by address
    assert host_allowed("mybox.local:8000", "mybox.local")  # the --host given
    assert not host_allowed("attacker.example:8000", "127.0.0.1")
    assert not host_allowed("localhost.attacker.example", "127.0.0.1")
    assert not host_allowed("localhost:notaport", "127.0.0.1")
    assert not host_allowed("", "127.0.0.1")


def test_an_asset_swapped_for_a_link_outside_the_project_is_never_served(demo: CourseProject, server: Server,
                                                                         tmp_path: Path) -> None:
    url = server.url + "demo/images/pic.svg"
    assert get(url)[0] == 200
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-KEY\n")
    asset = demo.root / "content/demo/images/pic.svg"
    asset.unlink()
    asset.symlink_to(secret)
    until("the rebuild fails on the link", lambda: page_with(server.url + "demo/second/", 'id="cg-serve-overlay"'))
    status, body = get(url)
    assert "TOP-SECRET-KEY" not in body
    assert status == 404


def test_redirects_stay_on_the_site(server: Server) -> None:
    for path in ("/%2Fdemo", "/%2F%2Fdemo", "/demo"):
        response = request(server, path)
        assert response.status == 301, path
        location = response.getheader("Location")
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (path, location)


def test_clients_that_hang_up_print_no_tracebacks(server: Server) -> None:
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /demo/first/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, like a browser
    time.sleep(0.5)
    assert get(server.url)[0] == 200
    _, _, err = server.stop()
    assert "Traceback" not in err


def test_the_event_history_stays_bounded_through_failed_rebuilds() -> None:
    hub = Hub()
    overlay = "x" * 600_000
    for n in range(100):
        hub.publish(Snapshot(hub.snapshot.files, f"v{n}", overlay), {"version": f"v{n}", "overlay": overlay})
    assert sum(len(event) for event in hub.events) <= MAX_EVENT_BYTES + len(hub.events[-1])
    assert '"v99"' in hub.events[-1]


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_bad_port_is_a_one_line_usage_error(demo: CourseProject, port: str) -> None:
    result = demo.cli("serve", ".", "--port", port)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--port" in result.stderr.strip().splitlines()[-1]


def test_a_crash_overlay_names_no_install_paths(demo: CourseProject, server: Server) -> None:
    demo.write("templates/partials/footer.html", "<footer>{{ site.url(1) }}</footer>\n")
    page = until("the crash is shown", lambda: page_with(server.url, "Traceback"))
    assert 'File &quot;coursegen/' in page
    for folder in {sys.prefix, str(Path(os.__file__).parent), str(Path(__file__).parents[1])}:
        assert folder not in page


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("Threads:", 1)[1].split()[0])


def test_slow_idle_connections_hold_no_thread_and_are_dropped(server: Server) -> None:
    """300 clients that send half a request head and then (almost) nothing must neither take a thread each
    nor keep a page from answering at once; their connections are closed HEAD_SECONDS after they opened."""
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    before = _threads(server.process.pid)
    idle = []
    for _ in range(300):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /demo/first/ HTTP/1.1\r\nHost: localhost\r\n")
        idle.append(sock)
    time.sleep(1)
    assert _threads(server.process.pid) <= before + 4, "a thread per idle connection"
    started = time.monotonic()
    assert get(server.url + "demo/first/")[0] == 200
    assert time.monotonic() - started < 1.0
    idle[0].sendall(b"X")  # a byte now and then buys no more time
    time.sleep(HEAD_SECONDS + 1.5)
    for sock in idle:
        sock.settimeout(2)
        assert sock.recv(100) == b"", "an idle connection was kept open"
        sock.close()
    assert get(server.url)[0] == 200
    _, _, err = server.stop()
    assert "Traceback" not in err
