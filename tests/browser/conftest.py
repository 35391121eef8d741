"""Real-browser fixtures: Debian's Chromium driven by Playwright, the built site served over HTTP."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}")  # never skip in CI
        pytest.skip("chromium not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": [*browser_type_launch_args.get("args", []), *ARGS]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on port {port}")


class StaticServer:
    """`python -m http.server` over a folder on 127.0.0.1 and a free port."""

    def __init__(self, folder: Path, port: int | None = None):
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
             "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def serve_folder():
    """Call with a folder; returns its base URL; stops every server at the end of the test."""
    servers: list[StaticServer] = []

    def start(folder: Path) -> str:
        server = StaticServer(folder)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def console_errors(page):
    """Collects console errors and page errors of the test's page."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


# --- The learner-site fixture (issue 4): one course site with every learner feature, built once ---

@pytest.fixture(scope="session")
def learner_build(tmp_path_factory) -> Path:
    """The built learner site (tests/browser/learner_site.py), served at the root."""
    from learner_site import build_learner_site
    root = tmp_path_factory.mktemp("learner")
    return build_learner_site(root / "project", root / "site")


@pytest.fixture
def learner(learner_build, serve_folder) -> str:
    """Base URL (ending in '/') of the learner site served over HTTP."""
    return serve_folder(learner_build) + "/"


@pytest.fixture
def save_screenshot():
    """save_screenshot(page, name): the page from the top, at most 8000 px tall, into tests/screenshots/."""
    def save(page, name: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        viewport = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight") if full_page else viewport["height"]
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 8000)})
        page.screenshot(path=SCREENSHOTS / name)
        page.set_viewport_size(viewport)
    return save


@pytest.fixture(scope="session")
def writing_build(tmp_path_factory) -> Path:
    """The writing probe site (writing_site.py), built once for every browser test that reads it."""
    from writing_site import build_writing_site
    root = tmp_path_factory.mktemp("writing")
    return build_writing_site(root / "project", root / "site")
