"""Helpers for tests of coursegen serve: a real server process, HTTP reads, polling, file edits."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def page_with(url: str, text: str) -> str | None:
    """The page at `url` when it contains `text`, else None (for `until`)."""
    page = get(url)[1]
    return page if text in page else None


def until(what: str, check_: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check_()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def sandbox(tmp_path: Path) -> Path:
    """A folder with empty home/ and tmp/ for the server's HOME and TMPDIR."""
    folder = tmp_path / "sandbox"
    for name in ("home", "tmp"):
        (folder / name).mkdir(parents=True)
    return folder


class Server:
    """A `coursegen serve` process on a free port, its HOME and TMPDIR inside the test's folder."""

    def __init__(self, root: Path, sandbox: Path):
        env = {**os.environ, "HOME": str(sandbox / "home"), "TMPDIR": str(sandbox / "tmp")}
        self.process = subprocess.Popen([sys.executable, "-m", "coursegen", "serve", str(root), "--port", "0"],
                                        cwd=sandbox, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        deadline = threading.Timer(120, self.process.kill)  # a server that never starts fails the test
        deadline.start()
        line = self.process.stdout.readline()
        while line and "Serving" not in line:
            line = self.process.stdout.readline()
        deadline.cancel()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, f"no URL printed: {line!r} {self.process.stderr.read() if self.process.poll() else ''}"
        self.url = match.group(0)

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


def edit(root: Path, rel: str, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
