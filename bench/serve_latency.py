"""How long from saving a Markdown file to the new text being served (and the open page reloaded)?

    python bench/serve_latency.py [--repeat 20] [--modules 500] [--no-browser] [--no-mkdocs]

For the flagship course (a copy of this repository's content/ and static/) and for a generated
course of --modules modules (bench/make_course.py), it starts `coursegen serve` on a free port,
edits one card of one module --repeat times and prints the median and 90th percentile of
- write -> the changed text served over HTTP (polled every 10 ms: faster polling would steal
  the CPU the rebuild needs on a 2-core machine),
- write -> a Chromium page showing that module has reloaded with the new text (Playwright),
- the server's own rebuild time (from its terminal line).
Then it runs the same edit against `mkdocs serve` and `mkdocs serve --dirty` on the same generated
Markdown (MkDocs goes into a venv under /tmp; it is not a coursegen dependency).
Targets on a 2-core machine: <= 150 ms median (flagship), <= 300 ms (500 modules).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_course import make_course

REPO = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.01
MKDOCS_VENV = Path(tempfile.gettempdir()) / "coursegen-bench-mkdocs-venv"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:  # refused, reset or timed out while the server rebuilds
        return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Edit:
    """Appends a fresh marker word to one paragraph line of the first card of a module file."""

    def __init__(self, path: Path):
        self.path, self.original = path, path.read_text(encoding="utf-8")
        lines = self.original.split("\n")
        heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
        self.line = next(i for i in range(heading + 1, len(lines)) if lines[i].strip()[:1].isalpha())
        self.lines = lines

    def write(self, marker: str) -> float:
        lines = list(self.lines)
        lines[self.line] += f" {marker}"
        started = time.perf_counter()
        self.path.write_text("\n".join(lines), encoding="utf-8")
        return started

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def wait_served(url: str, marker: str, started: float, timeout: float = 60.0) -> float:
    while time.perf_counter() - started < timeout:
        if marker in fetch(url):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{marker} never served at {url}")


class Coursegen:
    def __init__(self, project: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "coursegen", "serve", str(project), "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        line = self.process.stdout.readline()
        while "Serving" not in line:
            self.lines.append(line)
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("coursegen serve exited:\n" + "".join(self.lines))
        self.url = re.search(r"http://\S+/", line).group(0)
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()

    def rebuild_ms(self) -> list[float]:
        return [float(m.group(1)) for line in self.lines[1:] if (m := re.search(r" in (\d+) ms", line))]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def measure_http(url: str, edit: Edit, repeat: int, tag: str) -> list[float]:
    times = []
    for n in range(repeat + 1):
        marker = f"cgbench{tag}{n}x{time.time_ns() % 100000}"
        took = wait_served(url, marker, edit.write(marker))
        if n:  # the first edit warms up
            times.append(took)
        time.sleep(0.25)
    return times


def measure_browser(url: str, edit: Edit, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url)
        for n in range(repeat + 1):
            marker = f"cgbrowser{n}x{time.time_ns() % 100000}"
            with page.expect_event("load", timeout=30_000):
                started = edit.write(marker)
            took = time.perf_counter() - started
            assert marker in page.content(), "the page reloaded without the edit"
            if n:
                times.append(took)
            time.sleep(0.25)
        browser.close()
    return times


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return f"  {name:<46} median {statistics.median(ms):7.0f} ms   p90 {p90:7.0f} ms   (n={len(ms)})"


def run_coursegen(label: str, project: Path, module: Path, url_path: str, repeat: int, browser: bool) -> None:
    print(f"{label}:", flush=True)
    server = Coursegen(project)
    edit = Edit(module)
    try:
        print(summary("write -> new text served over HTTP", measure_http(server.url + url_path, edit, repeat, "h")))
        if browser:
            print(summary("write -> open page reloaded (Chromium 'load')",
                          measure_browser(server.url + url_path, edit, repeat)))
        print(summary("server's own rebuild (its terminal line)", [ms / 1000 for ms in server.rebuild_ms()]))
    finally:
        edit.restore()
        server.stop()


def mkdocs_project(source: Path, target: Path) -> None:
    docs = target / "docs"
    for md in sorted(source.glob("content/*/*.md")):
        dest = docs / md.parent.name / md.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(md, dest)
    (docs / "index.md").write_text("# Benchmark Academy\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text("site_name: Benchmark Academy\n", encoding="utf-8")


def mkdocs_bin() -> Path:
    binary = MKDOCS_VENV / "bin" / "mkdocs"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MKDOCS_VENV)], check=True)
        subprocess.run([str(MKDOCS_VENV / "bin" / "pip"), "install", "-q", "mkdocs"], check=True)
    return binary


def run_mkdocs(project: Path, module: Path, url_path: str, repeat: int, dirty: bool) -> None:
    port = free_port()
    args = [str(mkdocs_bin()), "serve", "-a", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    process = subprocess.Popen(args, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{url_path}"
    try:
        deadline = time.monotonic() + 300
        while not fetch(url):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("mkdocs serve did not start")
            time.sleep(0.2)
        name = "mkdocs serve --dirty" if dirty else "mkdocs serve"
        print(summary(f"{name}: write -> new text served", measure_http(url, Edit(module), repeat, "m")), flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--modules", type=int, default=500)
    parser.add_argument("--mkdocs-repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-mkdocs", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work slows every figure)")
    with tempfile.TemporaryDirectory(prefix="coursegen-serve-bench-") as tmp:
        flagship = Path(tmp) / "flagship"
        for name in ("content", "static", "templates"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, flagship / name)
        run_coursegen("Flagship course (How LLMs Work, 5 modules)", flagship,
                      flagship / "content/how-llms-work/02-two-files.md", "how-llms-work/two-files/",
                      args.repeat, not args.no_browser)
        generated = make_course(Path(tmp) / "generated", args.modules)
        module = generated / "content/course-005/025-topic-25.md"
        run_coursegen(f"Generated course ({args.modules} modules)", generated, module, "course-005/topic-25/",
                      args.repeat, not args.no_browser)
        if not args.no_mkdocs:
            site = Path(tmp) / "mkdocs"
            mkdocs_project(generated, site)
            print(f"MkDocs on the same {args.modules} Markdown files:", flush=True)
            for dirty in (False, True):
                run_mkdocs(site, site / "docs/course-005/025-topic-25.md", "course-005/025-topic-25/",
                           args.mkdocs_repeat, dirty)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
