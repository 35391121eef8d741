"""Lighthouse (npm, installed by scripts/test.sh into .npm-test/) on Debian's Chromium: the median of three runs a
page, run by lighthouse_run.mjs (which says how the CPU multiplier follows a loaded machine), served as a static
host serves a site: gzip for text (as GitHub Pages, Netlify and any CDN do; `http.server` sends none).

As a script it prints the table of a built site, e.g. for an issue note:
    python tests/browser/lighthouse_run.py SITE_FOLDER PORT [PATH ...]
(a site built with --base-url http://127.0.0.1:PORT/, served on that port while Lighthouse runs).
"""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODULES = REPO / ".npm-test/node_modules"
LIGHTHOUSE = MODULES / "lighthouse/package.json"
RUNNER = Path(__file__).with_suffix(".mjs")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")
COMPRESSED = (".html", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".txt")


@dataclass(frozen=True)
class Scores:
    """One page's median scores (0-100) by category, median metrics (ms; CLS unitless), and per run: the
    performance score, Lighthouse's benchmarkIndex and the CPU multiplier it led to; failed weighted audits."""

    url: str
    scores: dict[str, int]
    metrics: dict[str, float]
    performance_runs: tuple[int, ...]
    benchmark_runs: tuple[float, ...]
    multiplier_runs: tuple[float, ...]
    cls_runs: tuple[float, ...]
    failed: tuple[str, ...]  # "category: audit (score)" under 1 in any run, and what shifted


class _Handler(SimpleHTTPRequestHandler):
    """Static files, text gzip-compressed when the client accepts it."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (not path.is_file() or path.suffix not in COMPRESSED
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):  # type: ignore[no-untyped-def]
        pass


class GzipServer:
    """A site folder served on 127.0.0.1:port from a thread, as a compressing static host would."""

    def __init__(self, folder: Path, port: int):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, directory=str(folder)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _failed(report: dict) -> set[str]:
    found = set()
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            score = report["audits"][ref["id"]].get("score")
            if ref.get("weight") and score is not None and score < 1:
                found.add(f"{name}: {ref['id']} ({score:g})")
    for item in (report["audits"].get("layout-shifts", {}).get("details") or {}).get("items", []):
        found.add(f"shifted: {item.get('node', {}).get('selector', '?')} ({item.get('score', 0):.3f})")
    return found


def _summary(url: str, reports: list[dict]) -> Scores:
    return Scores(
        url=url,
        scores={c: round(statistics.median(r["categories"][c]["score"] * 100 for r in reports)) for c in CATEGORIES},
        metrics={m: statistics.median(r["audits"][m]["numericValue"] for r in reports) for m in METRICS},
        performance_runs=tuple(round(r["categories"]["performance"]["score"] * 100) for r in reports),
        benchmark_runs=tuple(r["environment"]["benchmarkIndex"] for r in reports),
        multiplier_runs=tuple(r["configSettings"]["throttling"]["cpuSlowdownMultiplier"] for r in reports),
        cls_runs=tuple(r["audits"]["cumulative-layout-shift"]["numericValue"] for r in reports),
        failed=tuple(sorted(set().union(*(_failed(r) for r in reports)))))


def audit(urls: list[str], runs: int = RUNS, timeout: float = 230) -> list[Scores]:
    """Every url `runs` times, in turn, in one Chromium; the per-page medians."""
    with tempfile.TemporaryDirectory() as folder:
        node = subprocess.Popen(["node", str(RUNNER), str(MODULES), CHROMIUM, folder, str(runs), *urls],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = node.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            node.terminate()  # the runner closes its Chromium on SIGTERM
            output, _ = node.communicate(timeout=30)
            raise RuntimeError(f"lighthouse took over {timeout:.0f} s:\n{output}") from None
        if node.returncode:
            raise RuntimeError(f"lighthouse failed ({node.returncode}):\n{output}")
        return [_summary(url, [json.loads(Path(folder, f"{i}-{n}.json").read_text(encoding="utf-8"))
                               for n in range(runs)])
                for i, url in enumerate(urls)]


def table(results: list[Scores]) -> str:
    lines = ["| Page | Perf runs | Perf | A11y | BP | SEO | FCP | LCP | TBT | CLS | SI | benchmarkIndex (CPU x) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        m = r.metrics
        bench = ", ".join(f"{b:.0f} ({x:.1f})" for b, x in zip(r.benchmark_runs, r.multiplier_runs))
        lines.append(f"| {r.url} | {'/'.join(map(str, r.performance_runs))} | **{r.scores['performance']}** | "
                     f"{r.scores['accessibility']} | {r.scores['best-practices']} | {r.scores['seo']} | "
                     f"{m['first-contentful-paint'] / 1000:.2f} s | {m['largest-contentful-paint'] / 1000:.2f} s | "
                     f"{m['total-blocking-time']:.0f} ms | {m['cumulative-layout-shift']:.3f} | "
                     f"{m['speed-index'] / 1000:.2f} s | {bench} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    site, port, paths = Path(argv[0]), int(argv[1]), argv[2:]
    server = GzipServer(site, port)
    try:
        results = audit([server.url + path for path in paths])
    finally:
        server.stop()
    print(table(results))
    for r in results:
        if r.failed:
            print(f"\n{r.url}: " + "; ".join(r.failed))


if __name__ == "__main__":
    main(sys.argv[1:])
