"""Build the same synthetic course with coursegen, MkDocs and Hugo; print wall time, ms per page, peak memory.

    python bench/build_bench.py                      # N = 50, 500, 2000
    python bench/build_bench.py --sizes 500 --repeat 5 --no-mkdocs
    python bench/build_bench.py --coursegen new=.venv/bin/coursegen --coursegen old=$(bash bench/old_coursegen.sh REV)

For each N it writes a course of N modules x 4 cards (bench/make_course.py), copies the same Markdown
into an MkDocs project (default config, its search plugin included) and a Hugo site (minimal layouts,
Chroma highlighting), then measures, as medians over --repeat rounds (each round runs every tool):
- cold: output and caches moved away first (into a trash folder emptied at the end, see Trash);
- warm: the same command again with nothing changed;
- edit: one module's text changed, then built again into the same folder (coursegen and Hugo; MkDocs
  has no incremental build);
- ci: a CI run: the project after its warm build, without its output folder but with its caches
  (.coursegen-cache/, Hugo's resources/), copied to a new folder as a fresh checkout plus a restored
  cache would be (new inodes and modification times), one module edited, then built into a new, empty
  output folder (--out, --site-dir, --destination);
- peak: the largest memory (PSS) of the whole process tree over all those runs, sampled from /proc
  every 10 ms.
Every coursegen given with --coursegen (default: this repository's .venv/bin/coursegen) is run as
`coursegen build` (Pagefind search index and link check included), with the search index off
(BuildOptions(search=False) through its own Python, which is the work Hugo does), and, when its
`build --help` offers it, as `coursegen build --no-cache`. Each run has its own copy of the project, and
the runs take turns. MkDocs goes into a venv under /tmp (never a coursegen dependency); Hugo is Debian's
package `hugo`.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_course import make_course

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_COURSEGEN = REPO / ".venv" / "bin" / "coursegen"
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


class Failed(Exception):
    """A measured command exited with an error (its tool is then left out of the later runs)."""


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
        raise Failed(f"{' '.join(command)} (in {cwd}) failed ({process.returncode}):\n{err[-2000:]}")
    return Run(seconds, peak[0] / 1024)


# --- the coursegens to measure ---

@dataclass
class Coursegen:
    """One coursegen install: its `coursegen` executable and the Python that runs it."""
    label: str  # "" for the only, default one
    exe: Path
    python: Path | None = None  # for the runs through the API (None: not a Python script, those are skipped)
    no_cache: bool = False  # its `coursegen build` has --no-cache
    source: str = ""  # where its code comes from (package folder, git revision)

    @property
    def name(self) -> str:
        return f"coursegen@{self.label}" if self.label else "coursegen"


def parse_coursegen(spec: str) -> tuple[str, Path]:
    """`LABEL=PATH` or `PATH` (then labelled by its path unless it is the default one)."""
    label, sep, path = spec.partition("=")
    if not sep:
        label, path = "", spec
    exe = Path(path).expanduser()
    if not exe.is_absolute():
        exe = Path.cwd() / exe
    return label, exe


def _script_python(exe: Path) -> Path | None:
    """The interpreter in the #! line of a console script (pip's), else a `python` beside it."""
    try:
        with exe.open("rb") as file:
            first = file.readline(512).decode(errors="replace").strip()
    except OSError:
        return None
    if first.startswith("#!") and "python" in first:
        interpreter = Path(first[2:].split()[0])
        if interpreter.exists():
            return interpreter
    beside = exe.parent / "python"
    return beside if beside.exists() else None


def _source(python: Path | None) -> str:
    """The folder coursegen is imported from and its git revision (+ 'uncommitted changes' if any)."""
    if python is None:
        return "?"
    found = subprocess.run([str(python), "-c", "import coursegen, os; print(os.path.dirname(coursegen.__file__))"],
                           check=False, env=ENV, capture_output=True, text=True)
    if found.returncode != 0:
        return "? (import coursegen failed)"
    folder = found.stdout.strip()
    rev = subprocess.run(["git", "-C", folder, "rev-parse", "--short", "HEAD"],
                         check=False, capture_output=True, text=True)
    if rev.returncode != 0:
        return folder
    dirty = subprocess.run(["git", "--no-optional-locks", "-C", folder, "status", "--porcelain", "--", "."],
                           check=False, capture_output=True, text=True).stdout.strip()
    return f"{folder} at {rev.stdout.strip()}{' + uncommitted changes' if dirty else ''}"


def prepare_coursegen(label: str, exe: Path, work: Path, trash: Trash) -> Coursegen | None:
    """Check that `exe` builds a small course (which also writes its bytecode, so that no measured run pays
    for compiling), and whether it has --no-cache. None, with the reason printed, when it does not work."""
    if not exe.is_file() or not os.access(exe, os.X_OK):
        print(f"{label or 'coursegen'}: {exe} is not an executable file; skipping it")
        return None
    python = _script_python(exe)
    cg = Coursegen(label, exe, python)
    helped = subprocess.run([str(exe), "build", "--help"], check=False, env=ENV, capture_output=True, text=True)
    cg.no_cache = helped.returncode == 0 and "--no-cache" in helped.stdout
    trial = work / f"trial-{os.getpid()}-{len(label)}-{label}"
    trash.put(trial)
    try:
        make_course(trial, 3)
        for command in ([str(exe), "build", "-q"], [str(exe), "build", "-q", "--no-cache"] if cg.no_cache else None):
            if command:
                measure(command, trial)
        if python is not None:
            measure(nosearch_command(python), trial)
    except Failed as failure:
        print(f"{cg.name}: {exe} cannot build a 3-module course; skipping it\n{failure}")
        return None
    finally:
        trash.put(trial)
    cg.source = _source(python)
    return cg


def nosearch_command(python: Path) -> list[str]:
    """A build through the API with the search index off; an argument, if given, is the output folder."""
    code = ("import sys; from pathlib import Path; from coursegen import build, BuildOptions; "
            "out = Path(sys.argv[1]) if len(sys.argv) > 1 else None; "
            "r = build(Path('.'), BuildOptions(search=False, out=out)); raise SystemExit(0 if r.ok else 1)")
    return [str(python), "-c", code]


# --- the generators ---

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
    out: Path  # where `command` writes the site
    clean: list[Path] = field(default_factory=list)  # moved away before a cold build
    edit_glob: str = "content/*/*.md"  # Markdown files to edit (one of them) for the 'edit' and 'ci' figures
    edit: bool = True  # take the 'edit' figure (MkDocs has no incremental build)
    out_option: Callable[[Path], list[str]] | None = None  # arguments that send the site to another folder
    failed: str = ""  # why its runs stopped


def _copy_of(site: Path, target: Path) -> Path:
    shutil.copytree(site, target, symlinks=True)
    return target


def tools_for(root: Path, n: int, coursegens: list[Coursegen], with_mkdocs: bool, with_hugo: bool,
              with_api: bool) -> list[Tool]:
    """The tools of one size, each with its own copy of the project (their runs take turns). Order: the
    `coursegen build` of every coursegen, then their runs without the index, then --no-cache, MkDocs, Hugo."""
    site = make_course(root / "source", n)
    out_flag: Callable[[Path], list[str]] = lambda out: ["--out", str(out)]
    tools: list[Tool] = []
    for i, cg in enumerate(coursegens):
        folder = _copy_of(site, root / f"cg{i}")
        tools.append(Tool(cg.name, folder, [str(cg.exe), "build", "-q"], folder / "build",
                          [folder / "build", folder / ".coursegen-cache"], out_option=out_flag))
    if with_api:
        for i, cg in enumerate(coursegens):
            if cg.python is not None:
                folder = _copy_of(site, root / f"cg{i}-no-index")
                tools.append(Tool(f"{cg.name} (no search index)", folder, nosearch_command(cg.python),
                                  folder / "build", [folder / "build", folder / ".coursegen-cache"],
                                  out_option=lambda out: [str(out)]))
    for i, cg in enumerate(coursegens):
        if cg.no_cache:
            folder = _copy_of(site, root / f"cg{i}-no-cache")
            tools.append(Tool(f"{cg.name} --no-cache", folder, [str(cg.exe), "build", "-q", "--no-cache"],
                              folder / "build", [folder / "build", folder / ".coursegen-cache"],
                              out_option=out_flag))
    if with_mkdocs:
        make_mkdocs(site, root / "mkdocs")
        tools.append(Tool("mkdocs", root / "mkdocs", [str(mkdocs_bin()), "build", "-q"], root / "mkdocs/site",
                          [root / "mkdocs/site"], "docs/*/*.md", edit=False,
                          out_option=lambda out: ["--site-dir", str(out)]))
    if with_hugo and shutil.which("hugo"):
        make_hugo(site, root / "hugo")
        tools.append(Tool("hugo", root / "hugo", ["hugo", "--quiet"], root / "hugo/public",
                          [root / "hugo/public", root / "hugo/resources"],
                          out_option=lambda out: ["--destination", str(out)]))
    return tools


def edit_one(folder: Path, glob: str, counter: int) -> None:
    """Change one sentence of the middle module (a different text each time)."""
    files = sorted(folder.glob(glob))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "## How it works\n"
    head, _, rest = text.partition(marker)
    rest = rest.split("\n\n", 1)[1] if rest.startswith("Edit number") else rest
    path.write_text(f"{head}{marker}Edit number {counter}.\n\n{rest}", encoding="utf-8")


def ci_checkout(tool: Tool, target: Path) -> Path:
    """A copy of `tool`'s project as CI sees it: its sources from a fresh checkout and its caches restored
    (actions/cache), all new files (new inodes, modification times of now), without the output folder."""
    skip = {tool.out.name} if tool.out.parent == tool.folder else set()
    shutil.copytree(tool.folder, target, symlinks=True, copy_function=shutil.copyfile,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == tool.folder and n in skip])
    return target


@dataclass
class Figures:
    pages: int
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    ci: list[Run] = field(default_factory=list)


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


def _attempt(step: Callable[..., None], tool: Tool, *args: object) -> None:
    """Run step(tool, *args) unless `tool` failed before; a failure is printed and ends its runs."""
    if tool.failed:
        return
    try:
        step(tool, *args)
    except Failed as failure:
        tool.failed = f"in a {step.__name__.replace('_', '/')} run, see the error above"
        print(f"{tool.name} failed; its remaining runs are skipped:\n{failure}", file=sys.stderr, flush=True)


def bench_tools(tools: list[Tool], repeat: int, trash: Trash, scratch: Path) -> list[Figures]:
    """The figures of every tool, taken in rounds that run each tool once: this machine's disk is much
    slower at some moments than at others (creating a file took 0.03 ms one minute, 0.7 ms the next),
    and taking turns spreads such spells over all tools alike. Cold and warm rounds first; then the CI
    rounds, each on a copy of the project as its warm build left it; then the edits, in place."""
    figures = [Figures(0) for _ in tools]

    def cold_warm(tool: Tool, f: Figures) -> None:
        for path in tool.clean:
            trash.put(path)
        f.cold.append(measure(tool.command, tool.folder))
        f.warm.append(measure(tool.command, tool.folder))
        f.pages = len(list(tool.out.rglob("*.html")))

    def ci(tool: Tool, f: Figures, counter: int) -> None:
        if tool.out_option is None:
            return
        checkout = ci_checkout(tool, scratch / f"ci-{trash.count}-{counter}-{Path(tool.folder).name}")
        edit_one(checkout, tool.edit_glob, counter)
        try:
            f.ci.append(measure(tool.command + tool.out_option(checkout / "ci-out"), checkout))
        finally:
            trash.put(checkout)

    def edit(tool: Tool, f: Figures, counter: int) -> None:
        if tool.edit:
            edit_one(tool.folder, tool.edit_glob, counter)
            f.edit.append(measure(tool.command, tool.folder))

    for _ in range(repeat):
        for tool, f in zip(tools, figures):
            _attempt(cold_warm, tool, f)
    for counter in range(1, repeat + 1):
        for tool, f in zip(tools, figures):
            _attempt(ci, tool, f, counter)
    for counter in range(1, repeat + 1):
        for tool, f in zip(tools, figures):
            _attempt(edit, tool, f, counter)
    return figures


def _median(runs: list[Run]) -> str:
    return f"{statistics.median(r.seconds for r in runs):7.2f}" if runs else "      –"


def report(n: int, rows: list[tuple[Tool, Figures]]) -> None:
    width = max([30] + [len(tool.name) for tool, _ in rows])
    print(f"\nN = {n} modules")
    print(f"{'generator':{width}} {'pages':>6} {'cold s':>7} {'ms/page':>8} {'warm s':>7} {'edit s':>7} "
          f"{'ci s':>7} {'peak MB':>8}")
    for tool, f in rows:
        runs = f.cold + f.warm + f.edit + f.ci
        if f.cold:
            cold = statistics.median(r.seconds for r in f.cold)
            line = f"{f.pages:6d} {cold:7.2f} {1000 * cold / max(f.pages, 1):8.2f} "
        else:
            line = f"{'–':>6} {'–':>7} {'–':>8} "
        line += f"{_median(f.warm)} {_median(f.edit)} {_median(f.ci)} "
        line += f"{max(r.peak_mb for r in runs):8.0f}" if runs else f"{'–':>8}"
        print(f"{tool.name:{width}} {line}" + (f"  FAILED: {tool.failed}" if tool.failed else ""))
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500,2000", help="comma-separated module counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median); N >= 2000 runs once")
    parser.add_argument("--coursegen", action="append", metavar="[LABEL=]PATH", default=[],
                        help="a coursegen executable to measure, shown as coursegen@LABEL; repeat it to measure "
                             f"several side by side (default: {DEFAULT_COURSEGEN}); "
                             "bench/old_coursegen.sh REV makes one of another revision")
    parser.add_argument("--no-mkdocs", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-api", action="store_true",
                        help="leave out the 'coursegen (no search index)' runs (through the API)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "coursegen-build-bench")
    args = parser.parse_args()
    specs = [parse_coursegen(spec) for spec in args.coursegen] or [("", DEFAULT_COURSEGEN)]
    if len({label for label, _ in specs}) < len(specs):
        parser.error("give every --coursegen its own label: --coursegen LABEL=PATH")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    trash = Trash(args.work)
    try:
        coursegens = [cg for label, exe in specs if (cg := prepare_coursegen(label, exe, args.work, trash))]
        for cg in coursegens:
            print(f"{cg.name}: {cg.exe} (Python {cg.python}); code {cg.source}; "
                  f"--no-cache {'yes' if cg.no_cache else 'no (its --no-cache row is skipped)'}")
        if not coursegens:
            print("no coursegen to measure")
        if not args.no_mkdocs:
            print(_version([str(mkdocs_bin()), "--version"]))
        if not args.no_hugo:
            print(_version(["hugo", "version"]) if shutil.which("hugo")
                  else "hugo is not installed (Debian: apt-get install hugo); skipping it")
        sys.stdout.flush()
        for n in (int(s) for s in args.sizes.split(",")):
            root = args.work / str(n)
            trash.put(root)
            tools = tools_for(root, n, coursegens, not args.no_mkdocs, not args.no_hugo, not args.no_api)
            repeat = 1 if n >= 2000 else args.repeat
            report(n, list(zip(tools, bench_tools(tools, repeat, trash, root))))
    finally:
        trash.empty()


def _version(command: list[str]) -> str:
    done = subprocess.run(command, check=False, env=ENV, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"

if __name__ == "__main__":
    main()
