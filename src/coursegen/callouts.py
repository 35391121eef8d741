"""Callouts: `::: note|tip|important|warning|caution [Title]` and GitHub's `> [!NOTE]` alerts, rendered alike.

A kind written with `-` after it (`::: tip- Title`) folds the callout away behind its title, and with `+`
(`::: tip+ Title`) it can be folded but starts open; both are native disclosures, so they work with the
keyboard and without JavaScript. Each kind's icon comes from the stylesheet (decorative), and its name is
always in the callout's accessible label, also when the author gives a title.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .i18n import N_

CALLOUTS = {"note": N_("Note"), "tip": N_("Tip"), "important": N_("Important"), "warning": N_("Warning"),
            "caution": N_("Caution")}  # labels, translated in the model (i18n.N_)
FOLDS = ("-", "+")  # '-': folded, '+': foldable, open


@dataclass(frozen=True)
class Callout:
    kind: str  # a key of CALLOUTS
    title: str  # the author's title, '' for none
    fold: str  # '', '-' or '+'


def read_callout(kind: str, title: str) -> Callout | None:
    """The callout a '::: KIND title' opener writes (KIND may end in '-' or '+'); None for another block."""
    fold = kind[-1] if kind[-1:] in FOLDS else ""
    name = kind[:-1] if fold else kind
    return Callout(name, title, fold) if name in CALLOUTS else None


def open_html(callout: Callout) -> str:
    label = CALLOUTS[callout.kind]
    title = escape(callout.title) if callout.title else label
    hidden = f'<span class="cg-visually-hidden">{label}: </span>' if callout.title else ""
    aria = escape(f"{label}: {callout.title}" if callout.title else label)
    css = f"cg-callout cg-callout-{callout.kind}"
    if callout.fold:
        is_open = " open" if callout.fold == "+" else ""
        return (f'<details class="{css}" aria-label="{aria}"{is_open}><summary class="cg-callout-title">'
                f'{hidden}{title}</summary>\n')
    return f'<aside class="{css}" aria-label="{aria}"><p class="cg-callout-title">{hidden}{title}</p>\n'


def close_html(callout: Callout) -> str:
    return "</details>\n" if callout.fold else "</aside>\n"


def _alert_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return open_html(Callout(tokens[idx].info.lower(), "", ""))


def _alert_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return "</aside>\n"


def _nothing(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return ""  # the alert's title paragraph: open_html writes the title


def _drop_alert_titles(state: StateCore) -> None:
    """Empty the text of each alert's title paragraph ('Note'), which open_html writes itself."""
    for index, token in enumerate(state.tokens[:-1]):
        if token.type == "alert_title_open":
            state.tokens[index + 1].content = ""


def alerts_plugin(md: MarkdownIt) -> None:
    """GitHub alerts (markdown-it-py finds them) rendered as callouts of the same kind."""
    md.options["alerts"] = True
    md.core.ruler.after("block", "cg_alert_titles", _drop_alert_titles)
    md.add_render_rule("alert_open", _alert_open)
    md.add_render_rule("alert_close", _alert_close)
    md.add_render_rule("alert_title_open", _nothing)
    md.add_render_rule("alert_title_close", _nothing)
