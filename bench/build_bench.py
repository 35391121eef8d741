"""Build the same synthetic course with coursegen, MkDocs and Hugo; print wall time, ms per page, peak memory.

    python bench/build_bench.py                      # N = 50, 500, 2000
    python bench/build_bench.py --sizes 500 --repeat 5 --no-mkdocs

For each N it writes a course of N modules x 4 cards (bench/make_course.py), copies the same Markdown
into an MkDocs project (default config, its search plugin included) and a Hugo site (minimal layouts,
Chroma highlighting), then measures, as medians over --repeat rounds (each round runs every tool):
- cold: output and caches moved away first (into a trash folder emptied at the end, see Trash);
- warm: the same command again with nothing changed;
- edit: one module's text changed, then built again (coursegen and Hugo; MkDocs has no incremental build);
- peak: the largest memory (PSS) of the whole process tree, sampled from /proc every 10 ms.
coursegen is run twice: as `coursegen build` (Pagefind search index and link check included) and
with the search index off (BuildOptions(search=False)), which is the work Hugo does.
MkDocs goes into a venv under /tmp (never a coursegen dependency); Hugo is Debian's package `hugo`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_course import make_course

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MKDOCS_VENV = Path(tempfile.gettempdir()) / "coursegen-bench-mkdocs-venv"
HUGO_LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>"""
HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<ul>{{ range .Params.goals }}<li>{{ . }}</li>{{ end }}</ul>{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">
{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ol>{{ end }}"""
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as a user runs it


# --- measuring one command ---

def _pss_kb(pid: int) -> int:
    """Proportional set size: resident memory, with pages shared between processes split among them
    (so forked workers are not counted twice); resident size where the kernel does not report it."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _tree_memory_kb(root: int) -> int:
    """Memory of `root` and all its descendants (PSS), in KiB."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_pss_kb(pid) for pid in tree)


@dataclass
class Run:
    seconds: float
    peak_mb: float


def measure(command: list[str], cwd: Path) -> Run:
    """Run `command`, returning its wall time and the peak memory of its process tree."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory_kb(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    return Run(seconds, peak[0] / 1024)


# --- the three generators ---

def mkdocs_bin() -> Path:
    binary = MKDOCS_VENV / "bin" / "mkdocs"
    if not binary.exists():
        subprocess.run([PYTHON, "-m", "venv", str(MKDOCS_VENV)], check=True)
        subprocess.run([str(MKDOCS_VENV / "bin" / "pip"), "install", "-q", "mkdocs"], check=True)
    return binary


def copy_markdown(source: Path, docs: Path) -> None:
    for md in sorted(source.glob("content/*/*.md")):
        dest = docs / md.parent.name / md.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(md, dest)


def make_mkdocs(source: Path, target: Path) -> None:
    copy_markdown(source, target / "docs")
    (target / "docs" / "index.md").write_text("# Benchmark Academy\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text("site_name: Benchmark Academy\n", encoding="utf-8")


def make_hugo(source: Path, target: Path) -> None:
    copy_markdown(source, target / "content")
    for course in (target / "content").iterdir():
        (course / "_index.md").write_text(f"---\ntitle: {course.name}\n---\n", encoding="utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_LAYOUT)
    (layouts / "single.html").write_text(HUGO_SINGLE)
    (layouts / "list.html").write_text(HUGO_LIST)
    (target / "hugo.toml").write_text('baseURL = "/"\ntitle = "Benchmark Academy"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS"]\n')


@dataclass
class Tool:
    name: str
    folder: Path
    command: list[str]
    out: Path
    clean: list[Path] = field(default_factory=list)  # removed before a cold build
    edit_glob: str | None = None  # Markdown files to edit for the 'edit' figure


def tools_for(root: Path, n: int, with_mkdocs: bool, with_hugo: bool) -> list[Tool]:
    site = make_course(root / "coursegen", n)
    nosearch = ("from pathlib import Path; from coursegen import build, BuildOptions; "
                "r = build(Path('.'), BuildOptions(search=False)); raise SystemExit(0 if r.ok else 1)")
    plain = root / "coursegen-no-index"  # its own copy: the runs of the two take turns
    shutil.copytree(site, plain)
    tools = [Tool("coursegen", site, [PYTHON, "-m", "coursegen", "build", "-q"], site / "build",
                  [site / "build", site / ".coursegen-cache"], "content/*/*.md"),
             Tool("coursegen (no search index)", plain, [PYTHON, "-c", nosearch], plain / "build",
                  [plain / "build", plain / ".coursegen-cache"], "content/*/*.md")]
    if with_mkdocs:
        make_mkdocs(site, root / "mkdocs")
        tools.append(Tool("mkdocs", root / "mkdocs", [str(mkdocs_bin()), "build", "-q"], root / "mkdocs/site",
                          [root / "mkdocs/site"]))
    if with_hugo and shutil.which("hugo"):
        make_hugo(site, root / "hugo")
        tools.append(Tool("hugo", root / "hugo", ["hugo", "--quiet"], root / "hugo/public",
                          [root / "hugo/public", root / "hugo/resources"], "content/*/*.md"))
    return tools


def edit_one(tool: Tool, counter: int) -> None:
    """Change one sentence of the middle module (a different text each time)."""
    files = sorted(tool.folder.glob(tool.edit_glob or ""))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "## How it works\n"
    head, _, rest = text.partition(marker)
    rest = rest.split("\n\n", 1)[1] if rest.startswith("Edit number") else rest
    path.write_text(f"{head}{marker}Edit number {counter}.\n\n{rest}", encoding="utf-8")


@dataclass
class Figures:
    pages: int
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)


class Trash:
    """Where outputs go before a cold build, emptied when the benchmark ends. Deleting thousands of files
    just before a build would slow that build down: ext4 skips inodes freed in the last minute or so when
    it allocates new ones (its `recently_deleted` check), and reads an inode table block for each one it
    skips; creating a file right after `rm -rf build` took 5 to 15 times as long here."""

    def __init__(self, work: Path):
        self.folder = work / ".trash"
        self.count = 0

    def put(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.count += 1
            path.rename(self.folder / f"{os.getpid()}-{self.count}")  # unique beside an interrupted run's

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def bench_tools(tools: list[Tool], repeat: int, trash: Trash) -> list[Figures]:
    """The figures of every tool, taken in rounds that run each tool once: this machine's disk is much
    slower at some moments than at others (creating a file took 0.03 ms one minute, 0.7 ms the next),
    and taking turns spreads such spells over all tools alike."""
    figures = [Figures(0) for _ in tools]
    for _ in range(repeat):
        for tool, f in zip(tools, figures):
            for path in tool.clean:
                trash.put(path)
            f.cold.append(measure(tool.command, tool.folder))
            f.warm.append(measure(tool.command, tool.folder))
            f.pages = len(list(tool.out.rglob("*.html")))
    for counter in range(repeat):
        for tool, f in zip(tools, figures):
            if tool.edit_glob:
                edit_one(tool, counter + 1)
                f.edit.append(measure(tool.command, tool.folder))
    return figures


def _median(runs: list[Run]) -> str:
    return f"{statistics.median(r.seconds for r in runs):7.2f}" if runs else "      –"


def report(n: int, rows: list[tuple[str, Figures]]) -> None:
    print(f"\nN = {n} modules")
    print(f"{'generator':30} {'pages':>6} {'cold s':>7} {'ms/page':>8} {'warm s':>7} {'edit s':>7} {'peak MB':>8}")
    for name, f in rows:
        cold = statistics.median(r.seconds for r in f.cold)
        peak = max(r.peak_mb for r in f.cold + f.warm + f.edit)
        print(f"{name:30} {f.pages:6d} {cold:7.2f} {1000 * cold / max(f.pages, 1):8.2f} "
              f"{_median(f.warm)} {_median(f.edit)} {peak:8.0f}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500,2000", help="comma-separated module counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median); N >= 2000 runs once")
    parser.add_argument("--no-mkdocs", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "coursegen-build-bench")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; coursegen from {REPO}; load average {os.getloadavg()[0]:.1f}")
    if not args.no_hugo and not shutil.which("hugo"):
        print("hugo is not installed (Debian: apt-get install hugo); skipping it")
    trash = Trash(args.work)
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            root = args.work / str(n)
            trash.put(root)
            tools = tools_for(root, n, not args.no_mkdocs, not args.no_hugo)
            repeat = 1 if n >= 2000 else args.repeat
            report(n, list(zip((tool.name for tool in tools), bench_tools(tools, repeat, trash))))
    finally:
        trash.empty()


if __name__ == "__main__":
    main()
