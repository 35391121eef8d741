"""Per-module cost of the parse and Markdown stages, on one core, on the synthetic course.

Prints CPU milliseconds per module (best of --repeat runs) for:
  front matter   split_front_matter + parse_yaml + read_module_meta
  front matter * the same with Markdown emphasis and '&' in a goal ('Say *why* & how - ...')
  tokens         markdown-it parse of the body
  parse_module   both, plus block checks and card splitting (what a build does per module)
  render         the module's Markdown HTML (intro, card titles and bodies, goals), Pygments on
  render, plain  the same with code blocks escaped instead of highlighted
  outline        load_content + build_outline: parse, model and render of every module, serial, no cache

Objects made before the runs are frozen (gc.freeze), so the figures do not swing with whichever run a
full garbage collection of everything in memory happens to fall in.

    python bench/parse_bench.py [--modules 500] [--repeat 5]
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from html import escape
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent))

from make_course import make_course

from coursegen import markdown
from coursegen.config import read_module_meta
from coursegen.content import ModuleFile, load_content
from coursegen.diagnostics import Diagnostics
from coursegen.frontmatter import split_front_matter
from coursegen.outline import build_outline
from coursegen.parse import ParsedModule, parse_module
from coursegen.yamlsource import parse_yaml


def _best(run: Callable[[], object], repeat: int, count: int) -> float:
    """Best CPU time of `repeat` runs, in ms per module (CPU time: steady while other jobs run)."""
    times = []
    for _ in range(repeat):
        gc.collect()  # each run pays for collecting its own objects, not the previous run's
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times) * 1000 / count


def _front_matter(files: list[ModuleFile]) -> None:
    for file in files:
        split = split_front_matter(file.source.text)
        read_module_meta(parse_yaml(split.yaml_text), file.source.rel, split.yaml_offset, Diagnostics())


def _starred(file: ModuleFile) -> ModuleFile:
    text = file.source.text.replace("goals:\n  - ", "goals:\n  - Say *why* & how - ", 1)
    return replace(file, source=replace(file.source, text=text))


def _render(md: markdown.MarkdownIt, parsed: list[ParsedModule]) -> None:
    def resolve(href: str, _line: int, _kind: str) -> str:
        return href

    for module in parsed:
        markdown.render_tokens(md, module.intro, {"resolve": resolve, "id_prefix": "intro"})
        for card in module.cards:
            md.renderer.render(list(card.title_tokens), md.options, {})
            markdown.render_tokens(md, card.tokens, {"resolve": resolve, "id_prefix": card.id})
        for goal in module.meta.goals:
            markdown.yaml_inline(md, goal)


def _plain_code(code: str, lang: str) -> str:
    return f"<pre><code>{escape(code)}</code></pre>\n"


def measure(project: Path, repeat: int) -> dict[str, float]:
    diags = Diagnostics()
    source = load_content(project, diags)
    files = [m for course in source.courses for m in course.modules]
    md = markdown.make_markdown()
    bodies = [split_front_matter(f.source.text).body for f in files]
    parsed = [parse_module(md, f, frozenset(), diags) for f in files]
    assert not diags.errors and all(parsed), diags.sorted()[:3]
    modules = [p for p in parsed if p is not None]
    n = len(files)
    starred = [_starred(f) for f in files]
    gc.freeze()  # what the runs share (sources, parsed modules) is not traversed by their collections
    figures = {
        "front matter": _best(lambda: _front_matter(files), repeat, n),
        "front matter *": _best(lambda: _front_matter(starred), repeat, n),
        "tokens": _best(lambda: [md.parse(b) for b in bodies], repeat, n),
        "parse_module": _best(lambda: [parse_module(md, f, frozenset(), Diagnostics()) for f in files], repeat, n),
        "render": _best(lambda: _render(md, modules), repeat, n),
    }
    with mock.patch.object(markdown, "highlight_code", _plain_code):
        figures["render, plain"] = _best(lambda: _render(md, modules), repeat, n)
    figures["outline"] = _best(lambda: build_outline(load_content(project, Diagnostics()), md, Diagnostics()),
                               repeat, n)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = make_course(Path(tmp) / "site", args.modules)
        figures = measure(project, args.repeat)
    print(f"{args.modules} modules, one core, best of {args.repeat} (ms per module)")
    for name, ms in figures.items():
        print(f"  {name:<14} {ms:7.3f}")
    print(f"  {'parse+render':<14} {figures['parse_module'] + figures['render']:7.3f}")


if __name__ == "__main__":
    main()
