"""Tabs: `:::: tabs` holding `::: tab LABEL` blocks, or Material for MkDocs' `=== "LABEL"` with the panel
indented by four spaces. Both give the same tokens (container blocks 'tabs' and 'tab LABEL') and HTML.

Without JavaScript every panel is shown under its label; the theme's tabs.js turns a set into ARIA tabs
(arrow keys, Home, End) and keeps sets with the same labels in step, on the page and across pages.
"""
from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_MATERIAL = re.compile(r'===\s+"([^"\n]+)"\s*$')


def tabs_open_html() -> str:
    return '<div class="cg-tabs" data-tabs>\n'


def tab_open_html(label: str) -> str:
    return f'<div class="cg-tab" data-tab="{escape(label)}"><p class="cg-tab-label">{escape(label)}</p>\n'


def close_html(kind: str) -> str:
    return "</div>\n"


def _label_at(state: StateBlock, line: int, indent: int) -> str | None:
    """The label of a `=== "LABEL"` line at exactly `indent`, else None."""
    if line >= state.lineMax or state.sCount[line] != indent:
        return None
    match = _MATERIAL.match(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]])
    return match[1].strip() if match else None


def _panel_end(state: StateBlock, start: int, end: int, indent: int) -> int:
    """The first line after a tab's panel: the next non-blank line indented less than the panel."""
    line = start
    while line < end and (state.isEmpty(line) or state.sCount[line] >= indent):
        line += 1
    return line


def _material_tabs(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    indent = state.sCount[start]
    if indent - state.blkIndent >= 4 or _label_at(state, start, indent) is None:
        return False
    if silent:
        return True
    saved = state.parentType, state.lineMax, state.blkIndent
    opener = state.push("container_block_open", "div", 1)
    opener.info, opener.markup, opener.block, opener.meta["material"] = "tabs", "::::", True, True
    line = start
    while (label := _label_at(state, line, indent)) is not None:
        panel_end = _panel_end(state, line + 1, end, indent + 4)
        token = state.push("container_block_open", "div", 1)
        token.info, token.markup, token.block, token.map = f"tab {label}", ":::", True, [line, panel_end]
        token.meta["material"] = True
        state.parentType, state.lineMax, state.blkIndent = "container", panel_end, indent + 4
        state.md.block.tokenize(state, line + 1, panel_end)
        state.parentType, state.lineMax, state.blkIndent = saved
        closer = state.push("container_block_close", "div", -1)
        closer.meta["opener_info"] = token.info
        line = panel_end
    opener.map = [start, line]
    state.push("container_block_close", "div", -1).meta["opener_info"] = "tabs"
    state.line = line
    return True


def material_tabs_plugin(md: MarkdownIt) -> None:
    """Read Material's `=== "LABEL"` tabs (consecutive ones make one set)."""
    md.block.ruler.before("fence", "cg_material_tabs", _material_tabs,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
