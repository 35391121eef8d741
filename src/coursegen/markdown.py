"""The one Markdown factory: plugins, Pygments highlighting, link rewriting, interactive blocks."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from . import blocks, callouts, codeblocks, mathrender, tabs

# A resolver turns an author's link target into a page URL, or None when the target is missing.
LinkResolver = Callable[[str, int, str], str]  # (href, line, kind 'link'|'image') -> url


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if "quiz" in token.meta:
        env.setdefault("quiz_count", 0)
        env["quiz_count"] += 1
        quiz_id = f"{env.get('id_prefix', 'q')}-quiz-{env['quiz_count']}"
        return blocks.quiz_html(token.meta["quiz"], quiz_id, lambda text: yaml_inline(env["md"], text))
    if "widget" in token.meta:
        widget = token.meta["widget"]
        env.setdefault("widgets", set()).add(widget.name)
        return blocks.widget_html(widget, lambda text: _yaml_block(env["md"], text, env))
    block = token.meta.get("code") or codeblocks.read_code_block(token.info, token.content, lambda *_: None)
    return codeblocks.code_block_html(token.content, block)


def _container_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return blocks.container_open_html(tokens[idx].info)


def _container_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    opener = tokens[idx].meta.get("opener_info", "")
    return blocks.container_close_html(opener)


SCHEME_VARIANTS = ("#only-light", "#only-dark")  # at the end of an image URL: shown in that colour scheme only


def _resolved(tokens: Sequence[Token], idx: int, attr: str, kind: str, env: dict) -> list[Token]:
    """A copy of the token list whose token idx carries the resolved URL (tokens stay untouched)."""
    token = tokens[idx].copy(attrs=dict(tokens[idx].attrs))  # copy() alone shares the attrs dict
    resolve: LinkResolver | None = env.get("resolve")
    target = token.attrGet(attr)
    if kind == "image" and isinstance(target, str) and target.endswith(SCHEME_VARIANTS):
        target, _, variant = target.rpartition("#")
        token.attrSet(attr, target)
        token.attrSet("class", f"cg-{variant}")
    if resolve and isinstance(target, str):
        token.attrSet(attr, resolve(target, token.meta.get("line", 0), kind))
    if kind == "image":
        token.attrSet("loading", "lazy")
    copied = list(tokens)
    copied[idx] = token
    return copied


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return self.renderToken(_resolved(tokens, idx, "href", "link", env), idx, options, env)


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return self.image(_resolved(tokens, idx, "src", "image", env), idx, options, env)


def make_markdown() -> MarkdownIt:
    """Build the MarkdownIt instance every page is parsed and rendered with."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    container_plugin(md, "block", validate=lambda *_: True)
    footnote_plugin(md)
    deflist_plugin(md)
    tasklists_plugin(md)
    mathrender.math_plugin(md)
    callouts.alerts_plugin(md)
    tabs.material_tabs_plugin(md)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("container_block_open", _container_open)
    md.add_render_rule("container_block_close", _container_close)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


@contextmanager
def yaml_text(md: MarkdownIt) -> Iterator[MarkdownIt]:
    """Within the block, `md` treats raw HTML as text: for Markdown that comes from YAML values."""
    saved = md.options["html"]
    md.options["html"] = False
    try:
        yield md
    finally:
        md.options["html"] = saved


def yaml_inline(md: MarkdownIt, text: str) -> str:
    """Inline Markdown of a YAML value (a goal, a source, a quiz option) with any HTML escaped."""
    with yaml_text(md):
        return md.renderInline(text)


def _yaml_block(md: MarkdownIt, text: str, env: dict) -> str:
    with yaml_text(md):
        return md.render(text, env)


def render_tokens(md: MarkdownIt, tokens: Sequence[Token], env: dict) -> str:
    """Render a slice of block tokens to HTML with the given env (resolver, id prefix)."""
    env.setdefault("md", md)
    return md.renderer.render(list(tokens), md.options, env)


def plain_text(tokens: Sequence[Token]) -> str:
    """The readable text of block tokens: inline text and code, without markup or code blocks."""
    parts: list[str] = []
    skip = 0
    for token in tokens:
        if token.type in ("container_block_open", "alert_open"):
            skip += 1
        elif token.type in ("container_block_close", "alert_close"):
            skip -= 1
        elif token.type == "inline" and not skip:
            for child in token.children or []:
                if child.type in ("text", "code_inline", *mathrender.INLINE_TYPES):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append(" ")
    return " ".join("".join(parts).split())
