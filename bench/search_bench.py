"""Time and peak memory of the Pagefind search index: one index against the index in parts.

    python bench/search_bench.py --sizes 100 500 1000 2000 --repeat 3
    python bench/search_bench.py --site path/to/built/site        # an already built site

For each N it generates a course (bench/make_course.py), builds it once without the search index,
then indexes the written site with `coursegen.search.index_site` in a fresh Python process per run:
- one index: PART_PAGES raised above the page count (a single Pagefind run, as small sites get);
- parts: the shipped PART_PAGES or --part-pages (one Pagefind run per part, one after another).
Runs alternate between the two so that load from other jobs hits both alike. Printed: medians of
wall time and of CPU time (user + system, all threads of Pagefind: steadier than wall time on a
busy machine), and the largest resident memory (max RSS) of any Pagefind run, in MB.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_course import make_course

from coursegen.build import BuildOptions, build

RUN = """
import json, resource, sys, time
from pathlib import Path
from coursegen import search
search.PART_PAGES = 10**9 if sys.argv[2] == "one" else int(sys.argv[3]) or search.PART_PAGES
site = Path(sys.argv[1])
start = time.perf_counter()
search.index_site(site)
seconds = time.perf_counter() - start
parts = json.loads((site / search.BUNDLE / search.PARTS).read_text())["parts"]
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss,
                  "parts": 1 + len(parts)}))
"""


def index_once(site: Path, mode: str, part_pages: int) -> dict:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    command = [sys.executable, "-c", RUN, str(site), mode, str(part_pages)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"indexing {site} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def measure(site: Path, repeat: int, part_pages: int) -> None:
    pages = sum(1 for _ in site.rglob("*.html"))
    runs: dict[str, list[dict]] = {"one": [], "parts": []}
    for _ in range(repeat):
        for mode, results in runs.items():
            results.append(index_once(site, mode, part_pages))
    for mode, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        peak = max(r["peak_kb"] for r in results) / 1024
        count = results[0]["parts"]
        label = "one index" if mode == "one" else (f"{count} parts" if count > 1 else "one index (small site)")
        print(f"| {pages} | {label} | {seconds:.2f} | {cpu:.2f} | {peak:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--part-pages", type=int, default=0, help="pages per part (default: search.PART_PAGES)")
    parser.add_argument("--site", type=Path, help="index this built site instead of generating courses")
    args = parser.parse_args()
    print("| HTML pages | index | median s | CPU s | peak MB |\n|---:|---|---:|---:|---:|")
    if args.site:
        measure(args.site, args.repeat, args.part_pages)
        return
    for modules in args.sizes:
        with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
            project = Path(folder) / "project"
            make_course(project, modules)
            report = build(project, BuildOptions(out=Path(folder) / "site", search=False))
            if not report.ok:
                raise SystemExit(f"the synthetic course did not build: {report.diagnostics[:3]}")
            measure(Path(folder) / "site", args.repeat, args.part_pages)


if __name__ == "__main__":
    main()
