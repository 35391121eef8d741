"""Lighthouse (npm, installed by scripts/test.sh into .npm-test/) on Debian's Chromium: the median of three runs.

As a script it prints the table of a built site for a report:
    python tests/browser/lighthouse_run.py SITE_FOLDER PORT [PATH ...]
(a site built with --base-url http://127.0.0.1:PORT/; it is served on that port while Lighthouse runs).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIGHTHOUSE = REPO / ".npm-test/node_modules/.bin/lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")


@dataclass(frozen=True)
class Scores:
    """One page's median scores (0-100) by category and median metrics (ms; CLS unitless), and each run's
    performance score and failed audits."""

    url: str
    scores: dict[str, int]
    metrics: dict[str, float]
    performance_runs: tuple[int, ...]
    failed: tuple[str, ...]  # audits under 0.9 in any run, with their category


def _run(url: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}", "--quiet", "--output=json",
               f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    subprocess.run(command, check=True, timeout=240, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _failed(report: dict) -> set[str]:
    found = set()
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 0.9:
                found.add(f"{name}: {ref['id']}")
    return found


def audit(url: str, runs: int = RUNS) -> Scores:
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs):
            reports.append(_run(url, Path(folder, f"{n}.json")))
    scores = {c: round(statistics.median(r["categories"][c]["score"] * 100 for r in reports)) for c in CATEGORIES}
    metrics = {m: statistics.median(r["audits"][m]["numericValue"] for r in reports) for m in METRICS}
    performance = tuple(round(r["categories"]["performance"]["score"] * 100) for r in reports)
    failed = sorted(set().union(*(_failed(r) for r in reports)))
    return Scores(url, scores, metrics, performance, tuple(failed))


def table(results: list[Scores]) -> str:
    lines = ["| Page | Perf runs | Perf | A11y | BP | SEO | FCP | LCP | TBT | CLS | SI |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        m = r.metrics
        lines.append(f"| {r.url} | {'/'.join(map(str, r.performance_runs))} | **{r.scores['performance']}** | "
                     f"{r.scores['accessibility']} | {r.scores['best-practices']} | {r.scores['seo']} | "
                     f"{m['first-contentful-paint'] / 1000:.2f} s | {m['largest-contentful-paint'] / 1000:.2f} s | "
                     f"{m['total-blocking-time']:.0f} ms | {m['cumulative-layout-shift']:.3f} | "
                     f"{m['speed-index'] / 1000:.2f} s |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    site, port, paths = Path(argv[0]), int(argv[1]), argv[2:]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        results = [audit(f"http://127.0.0.1:{port}/{path}") for path in paths]
    finally:
        server.terminate()
        server.wait()
    print(table(results))
    for r in results:
        if r.failed:
            print(f"\n{r.url}: " + "; ".join(r.failed))


if __name__ == "__main__":
    main(sys.argv[1:])
