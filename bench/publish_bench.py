"""Time the publishing steps on a synthetic site: link check of rendered pages and social cards (cold, cached).

    python bench/publish_bench.py --modules 2000
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_course import make_course

from coursegen import BuildOptions, build
from coursegen.linkcheck import check_links, scan_page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=2000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cg-publish-bench-"))
    try:
        make_course(root / "site", args.modules)
        project = root / "site"
        options = BuildOptions(out=root / "out", base_url="https://example.org/courses/", search=False)
        for label in ("cold card cache", "warm card cache"):
            started = time.perf_counter()
            report = build(project, options)
            print(f"build ({label}): {time.perf_counter() - started:.2f} s, {report.pages} pages, "
                  f"{len(report.errors)} errors")
        out = root / "out"
        texts = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.html")}
        size = sum(len(t) for t in texts.values()) / 1e6
        started = time.perf_counter()
        found = check_links(project, report.site, {path: scan_page(text) for path, text in texts.items()},
                            {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()})
        seconds = time.perf_counter() - started
        print(f"link check: {seconds:.2f} s for {len(texts)} pages ({size:.1f} MB of HTML), {len(found)} problems")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
