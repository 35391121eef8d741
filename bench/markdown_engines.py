"""Spike: markdown-it-pyrs (Rust markdown-it, Python bindings) against markdown-it-py as coursegen uses it.

Prints CPU milliseconds per module (best of --repeat runs, one core) on the synthetic course
(bench/make_course.py) and on the flagship modules in content/, then checks what a migration needs:

  py parse           make_markdown().parse(body): the token stream coursegen reads today
  py tokens->html    its renderer on those tokens, coursegen's render rules, code escaped (no Pygments)
  py md->html        make_markdown().render(body): parse + render, code escaped
  py md->html+pyg    the same with Pygments (highlight cache emptied before each run; the synthetic
                     course repeats its code blocks in every course of 50, so most are cache hits)
  rs tree            markdown_it_pyrs tree(body): the Node tree with byte-offset source maps
  rs tree+walk       tree(body) plus one Python pass over every node (name, srcmap, meta, attrs),
                     the least any Python-side checker or renderer of the tree would cost
  rs md->html        markdown_it_pyrs render(body): HTML straight from Rust (no hooks, code escaped)
  rs tree->py html   tree(body) rendered by tree_html() below, a prototype Python renderer (code escaped);
                     byte-identical to `rs md->html` on the synthetic course, partial on the flagship
  ..., kept          parse/tree with every module's result kept alive, as a build keeps them: the
                     garbage collector then walks markdown-it-py's tokens (Rust nodes are not tracked)
  pygments/block     Pygments per distinct fenced code block with a known language

Then, on the flagship: whether the link lines from the Rust source maps match coursegen's, and how
the two engines' HTML differs (same plugins, no coursegen render rules) - `--diff` prints the diffs.

markdown-it-pyrs is not a coursegen dependency; install it into a throwaway venv or this one:

    .venv/bin/pip install markdown-it-pyrs==0.4.0
    .venv/bin/python bench/markdown_engines.py [--modules 500] [--repeat 5] [--diff]

Findings: bench/markdown-engines.md.
"""
from __future__ import annotations

import argparse
import bisect
import difflib
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent))

from make_course import make_course
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from coursegen import markdown
from coursegen.frontmatter import split_front_matter

try:
    import markdown_it_pyrs
except ImportError:  # the spike's subject is optional
    markdown_it_pyrs = None

REPO = Path(__file__).resolve().parent.parent
RS_PLUGINS = ["table", "strikethrough", "footnote", "deflist", "tasklist"]  # what make_markdown() enables


def _bodies(content: Path) -> list[tuple[str, str]]:
    """(relative path, Markdown body after the front matter) of every module under content/."""
    files = sorted(content.glob("*/*.md"))
    return [(str(f.relative_to(content)), split_front_matter(f.read_text(encoding="utf-8")).body) for f in files]


def _best(run: Callable[[], object], repeat: int, count: int) -> float:
    """Best CPU time of `repeat` runs, in ms per item."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times) * 1000 / count


def _plain_code(code: str, lang: str) -> str:
    return f"<pre><code>{escape(code)}</code></pre>\n"


def _env() -> dict:
    return {"resolve": lambda href, _line, _kind: href, "id_prefix": "m"}


def _walk(node: object) -> int:
    """Touch every node of a markdown_it_pyrs tree the way a Python checker would; the node count."""
    count = 0
    for child in node.walk():  # type: ignore[attr-defined]
        count += 1
        _ = (child.name, child.srcmap, child.meta, child.attrs)
    return count


_TAGS = {"paragraph": "p", "blockquote": "blockquote", "bullet_list": "ul", "list_item": "li", "em": "em",
         "strong": "strong", "strikethrough": "s", "table": "table", "thead": "thead", "tbody": "tbody",
         "trow": "tr", "definition_list": "dl", "definition_term": "dt", "definition_description": "dd"}
_BLOCK = {"paragraph", "blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead", "tbody", "trow",
          "heading", "definition_list", "definition_term", "definition_description"}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def tree_html(node: object, out: list[str], tight: bool = False, cell: str = "td", align: Any = "none") -> None:
    """A prototype Python renderer of a markdown_it_pyrs tree (the node types of the synthetic course):
    what coursegen would write to keep its render hooks (links, fences, containers) in Python."""
    name, children = node.name, node.children  # type: ignore[attr-defined]
    if name == "text":
        out.append(_esc(node.meta["content"]))  # type: ignore[attr-defined]
    elif name == "softbreak":
        out.append("\n")
    elif name == "code_inline":
        out.append("<code>" + _esc("".join(c.meta["content"] for c in children)) + "</code>")
    elif name == "fence":
        out.append(markdown.highlight_code(node.meta["content"], node.meta["info"]))  # type: ignore[attr-defined]
    elif name == "link":
        out.append(f'<a href="{_esc(node.meta["url"])}">')  # type: ignore[attr-defined]
        for child in children:
            tree_html(child, out)
        out.append("</a>")
    elif name == "paragraph" and tight:
        for child in children:
            tree_html(child, out)
    else:
        tag = {"heading": f"h{node.meta.get('level', 1)}", "tcell": cell,  # type: ignore[attr-defined]
               "ordered_list": "ol"}.get(name) or _TAGS.get(name, "")
        inner = name in ("bullet_list", "ordered_list") and not any(
            c.name == "paragraph" for item in children for c in item.children)
        style = f' style="text-align:{align}"' if name == "tcell" and align != "none" else ""
        out.append(f"<{tag}{style}>" + ("\n" if name in _BLOCK and name not in ("paragraph", "heading", "list_item")
                                        else "") if tag else "")
        aligns = node.meta["alignments"] if name == "table" else align  # type: ignore[attr-defined]
        for index, child in enumerate(children):
            tree_html(child, out, tight=inner or (tight and name == "list_item"),
                      cell="th" if name == "thead" or cell == "th" and name == "trow" else "td",
                      align=aligns[index] if name == "trow" else aligns)
        out.append(f"</{tag}>" + ("\n" if name in _BLOCK or name == "tcell" else "") if tag else "")


def _tree_render(rs: object, body: str) -> str:
    out: list[str] = []
    for child in rs.tree(body).children:  # type: ignore[attr-defined]
        tree_html(child, out)
    return "".join(out)


def _py_render(md: MarkdownIt, bodies: list[str], pygments: bool) -> None:
    if pygments:
        markdown.Highlights.known.clear()
        markdown.Highlights.new.clear()
    for body in bodies:
        md.render(body, _env())


def _rs_engine() -> object:
    return markdown_it_pyrs.MarkdownIt("commonmark").enable_many(RS_PLUGINS)


def _discard(run: Callable[[str], object], bodies: list[str]) -> None:
    for body in bodies:
        run(body)  # results dropped at once: no run pays for collecting a growing heap


def measure(bodies: list[str], repeat: int) -> dict[str, float]:
    """CPU ms per module of each stage, both engines (per code block for Pygments)."""
    md, rs, n = markdown.make_markdown(), _rs_engine(), len(bodies)
    tokens = [md.parse(b) for b in bodies]
    gc.freeze()
    figures = {"py parse": _best(lambda: _discard(md.parse, bodies), repeat, n),
               "py parse, kept": _best(lambda: [md.parse(b) for b in bodies], repeat, n),
               "rs tree": _best(lambda: _discard(rs.tree, bodies), repeat, n),
               "rs tree, kept": _best(lambda: [rs.tree(b) for b in bodies], repeat, n),
               "rs tree+walk": _best(lambda: _discard(lambda b: _walk(rs.tree(b)), bodies), repeat, n)}
    with mock.patch.object(markdown, "highlight_code", _plain_code):
        figures["py tokens->html"] = _best(
            lambda: [md.renderer.render(t, md.options, _env()) for t in tokens], repeat, n)
        figures["rs tree->py html"] = _best(lambda: _discard(lambda b: _tree_render(rs, b), bodies), repeat, n)
        figures["py md->html"] = _best(lambda: _py_render(md, bodies, False), repeat, n)
    figures["py md->html+pyg"] = _best(lambda: _py_render(md, bodies, True), repeat, n)
    figures["rs md->html"] = _best(lambda: _discard(rs.render, bodies), repeat, n)
    code = {(t.info.strip(), t.content) for ts in tokens for t in ts
            if t.type == "fence" and t.info.strip() and markdown._lexer(t.info.split()[0])}
    if code:
        def pygments_all() -> None:
            markdown.Highlights.known.clear()
            for lang, text in code:
                markdown.highlight_code(text, lang)
        figures["pygments/block"] = _best(pygments_all, repeat, len(code))
        figures["unique blocks"] = len(code)
    gc.unfreeze()
    return figures


def _print_figures(title: str, figures: dict[str, float]) -> None:
    print(title)
    for name, value in figures.items():
        print(f"  {name:<17} {value:7.3f}" if isinstance(value, float) else f"  {name:<17} {value:7d}")
    parse = figures["py parse"] / figures["rs tree"]
    render = figures["py md->html"] / figures["rs md->html"]
    print(f"  -> rs tree {parse:.0f}x faster than py parse; rs md->html {render:.0f}x faster than py (code escaped)")


def _py_link_lines(md: MarkdownIt, body: str) -> list[tuple[str, int]]:
    """(href, 1-based body line) of every link/image, as coursegen's parse.py counts them."""
    found = []
    for token in md.parse(body):
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0] + 1
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                found.append((child.attrGet("href") or child.attrGet("src") or "", line))
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("html_inline", "code_inline", "text"):
                line += child.content.count("\n")
    return found


def _rs_link_lines(rs: object, body: str) -> list[tuple[str, int]]:
    """The same from the Rust tree: srcmap is a byte offset into the UTF-8 source."""
    data = body.encode("utf-8")
    starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]
    return [(node.meta.get("url", ""), bisect.bisect_right(starts, node.srcmap[0]))
            for node in rs.tree(body).walk() if node.name in ("link", "image") and node.srcmap]


def check_lines(bodies: list[tuple[str, str]]) -> None:
    md, rs = markdown.make_markdown(), _rs_engine()
    same = total = 0
    for _path, body in bodies:
        py, rust = _py_link_lines(md, body), _rs_link_lines(rs, body)
        total += len(py)
        same += sum(a == b for a, b in zip(py, rust)) if len(py) == len(rust) else 0
    print(f"  link/image lines from Rust byte srcmaps equal to coursegen's: {same} of {total}")


def _plain_py() -> MarkdownIt:
    """markdown-it-py with make_markdown()'s options and plugins but none of coursegen's render rules."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    container_plugin(md, "block", validate=lambda params, *args: True)
    for plugin in (footnote_plugin, deflist_plugin, tasklists_plugin):
        plugin(md)
    return md


def _diff_lines(a: str, b: str) -> Iterator[str]:
    return difflib.unified_diff(a.splitlines(), b.splitlines(), "markdown-it-py", "markdown-it-pyrs", n=0,
                                lineterm="")


FEATURES = """# Title *em*

Text with `code`, **bold**, ~~strike~~, a [link](a.md "t"), ![alt *x*](i.png), <kbd>Ctrl</kbd> &amp; &copy;
hard\x20\x20
break and <https://x.org>.

| Left | Right | Center |
|:---|---:|:---:|
| a | b | c |

- [ ] open task
- [x] done task

Term
: Definition one

A footnote[^n].

[^n]: First *note*.

<div class="x">raw block</div>

```js title
let x = 1 < 2;
```
"""


def _container_markers(body: str) -> str:
    """::: lines (outside code fences) as HTML comments: an HTML block of type 2 may interrupt a
    paragraph and ends on its own line, so line numbers and the Markdown around it stay as they were."""
    lines, fence = body.split("\n"), ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) and not stripped.strip(fence[0]) else fence
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif stripped.startswith(":::"):
            kind = "close" if stripped == ":::" else "open"
            lines[index] = line[: len(line) - len(line.lstrip())] + f"<!--cg:{kind}-->"
    return "\n".join(lines)


def _with_containers(html: str) -> str:
    return html.replace("<!--cg:open-->\n", '<div class="block">\n').replace("<!--cg:close-->\n", "</div>\n")


def compare_html(bodies: list[tuple[str, str]], show: bool) -> None:
    """Engine HTML diffs: as is, and with ::: lines turned into comment markers for the Rust engine."""
    py, rs = _plain_py(), _rs_engine()
    for path, body in [*bodies, ("(feature sampler)", FEATURES)]:
        a, b = py.render(body), rs.render(body)
        marked = _with_containers(rs.render(_container_markers(body)))
        changed = [line for line in _diff_lines(a, b) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        print(f"  {path}: {len(a.splitlines())} lines of HTML, {len(changed)} differ; "
              f"with ::: markers: {'identical' if a == marked else 'still different'}")
        if show:
            print("\n".join(_diff_lines(a, marked)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--diff", action="store_true", help="print the HTML diffs of the flagship modules")
    args = parser.parse_args()
    if markdown_it_pyrs is None:
        sys.exit("markdown-it-pyrs is not installed: .venv/bin/pip install markdown-it-pyrs==0.4.0 "
                 "(or use a throwaway venv; it is not a coursegen dependency)")
    print(f"markdown-it-pyrs {markdown_it_pyrs.__version__}; CPU ms per module, one core, best of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = _bodies(make_course(Path(tmp) / "site", args.modules) / "content")
    _print_figures(f"synthetic course, {len(synthetic)} modules", measure([b for _, b in synthetic], args.repeat))
    flagship = _bodies(REPO / "content")
    _print_figures(f"flagship content/, {len(flagship)} modules (x20 per run)",
                   measure([b for _, b in flagship] * 20, args.repeat))
    print("line maps")
    check_lines(flagship + synthetic[:50])
    print("HTML, same plugins, no coursegen render rules (markdown-it-py vs markdown-it-pyrs)")
    compare_html(flagship, args.diff)


if __name__ == "__main__":
    main()
