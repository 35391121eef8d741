"""The browser side of serve: the reload client and the error overlay, injected into served pages.

The theme never knows about serve: `inject` is a str -> str transform applied to each HTML
response at serve time only. The client listens to Server-Sent Events on EVENTS_URL and
- reloads its page when the page changed (keeping the scroll position),
- swaps stylesheet links in place when only CSS changed (no reload),
- shows or removes the error overlay when a rebuild fails or recovers,
- shows, updates or removes the warnings panel (a strip at the bottom) after each good rebuild.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ..diagnostics import Diagnostic

EVENTS_URL = "/__coursegen/events"
OVERLAY_ID = "cg-serve-overlay"
WARNINGS_ID = "cg-serve-warnings"
PANEL_WARNINGS = 50  # the panel lists at most this many; the terminal has them all

# Served for any */sw.js the preview has no file for: a service worker left from a built site once served
# at this address (publish/offline.py) would otherwise answer the preview's requests from its caches.
# The browser's next update check gets this one, which empties coursegen's caches and unregisters itself.
WORKER_KILL_SWITCH = b"""\
// coursegen serve: no service worker in the preview (publish/offline.py writes the built site's).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name.startsWith("cg-")) await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
})()));
"""

_CLIENT = """\
<script id="cg-serve-client">
(() => {
  let version = %(version)s;
  const key = "cg-serve-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    restore();
    addEventListener("load", restore, { once: true });
  }
  const reload = () => { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); };
  const place = (id, html) => {
    let box = document.getElementById(id);
    if (!html) { if (box) box.remove(); return; }
    if (!box) { box = document.createElement("div"); document.body.append(box); }
    box.outerHTML = html;
  };
  const overlay = (html) => place("%(overlay_id)s", html);
  const warnings = (html) => { // the page ends above the panel, so nothing stays under it
    place("%(warnings_id)s", html);
    const panel = document.getElementById("%(warnings_id)s");
    document.body.style.paddingBottom = panel ? `${panel.offsetHeight}px` : "";
  };
  const swapStylesheets = (moves) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const next = moves[new URL(link.href).pathname];
      if (!next) continue;
      const fresh = link.cloneNode();
      fresh.href = next;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      link.after(fresh);
    }
  };
  const events = new EventSource(%(events_url)s);
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.version !== version) reload(); else { overlay(state.overlay); warnings(state.warnings); }
  });
  events.addEventListener("update", (event) => {
    const update = JSON.parse(event.data);
    overlay(update.overlay);
    if (update.overlay) return;
    version = update.version;
    warnings(update.warnings);
    swapStylesheets(update.css);
    if (update.pages.includes("*") || update.pages.includes(location.pathname)) reload();
  });
})();
</script>
"""

_STYLE = ("position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
          "background:rgba(20,20,24,.96);color:#f5f5f5;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace")
_PANEL_STYLE = ("position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:35vh;overflow:auto;margin:0;"
                "padding:1rem 2rem;border-top:3px solid #ffd479;background:rgba(20,20,24,.96);color:#f5f5f5;"
                "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace")
_HIDE = ('<button type="button" onclick="document.body.style.paddingBottom=\'\';this.parentElement.remove()" '
         'style="float:right;font:inherit;padding:.3rem .8rem;background:#333;color:#fff;border:1px solid #888;'
         'border-radius:4px;cursor:pointer">Hide</button>')


def client_script(version: str) -> str:
    """The reload client for a page served at build `version`."""
    return _CLIENT % {"version": json.dumps(version), "events_url": json.dumps(EVENTS_URL),
                      "overlay_id": OVERLAY_ID,
                      "warnings_id": WARNINGS_ID}


SOURCE_BYTES = 2_000_000  # larger files are not quoted in the overlay


def _source_line(project: Path, diagnostic: Diagnostic) -> str | None:
    """The line a diagnostic points at, read only from a file of the project itself (never through a link:
    an error about a link to ~/.ssh/id_rsa must not show its first line)."""
    path = project / diagnostic.path
    try:
        if path.is_symlink() or not path.resolve().is_relative_to(project.resolve()) \
                or path.stat().st_size > SOURCE_BYTES:
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, RuntimeError):
        return None
    return lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else None


def _items(project: Path, diagnostics: list[Diagnostic], colour: str) -> list[str]:
    """One list item per diagnostic: file, line, message and the offending source line."""
    items = []
    for d in diagnostics:
        source = _source_line(project, d)
        code = (f'<pre style="margin:.4rem 0 0;padding:.5rem;background:#000;color:#ffd479;white-space:pre-wrap">'
                f"{d.line:>4} | {escape(source)}</pre>") if source is not None else ""
        items.append(f'<li style="margin:0 0 1rem"><strong style="color:{colour}">{escape(d.path)}:{d.line}'
                     f"</strong>: {escape(d.severity)}: {escape(d.message)}{code}</li>")
    return items


def warnings_html(project: Path, warnings: list[Diagnostic]) -> str | None:
    """The panel at the bottom of every page listing the last good build's warnings; None when there are none."""
    if not warnings:
        return None
    items = _items(project, warnings[:PANEL_WARNINGS], "#ffd479")
    if len(warnings) > PANEL_WARNINGS:
        items.append(f"<li>and {len(warnings) - PANEL_WARNINGS} more: the terminal lists them all</li>")
    title = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    return (f'<aside id="{WARNINGS_ID}" role="status" aria-labelledby="{WARNINGS_ID}-title" style="{_PANEL_STYLE}">'
            f'{_HIDE}<h2 id="{WARNINGS_ID}-title" style="margin:0 0 .5rem;color:#ffd479;font-size:1.1rem">{title}'
            '</h2><p style="margin:0 0 .5rem">The preview works; fix these before you publish: '
            f'this panel goes away by itself.</p><ol style="padding-left:1.2rem;margin:0">{"".join(items)}</ol></aside>')


def overlay_html(project: Path, errors: list[Diagnostic], crash: str | None = None, built: bool = True) -> str:
    """The overlay listing every error (file, line, message, the offending source line) or a traceback."""
    items = _items(project, errors, "#ff8a80")
    if crash:
        items.append('<li><strong style="color:#ff8a80">coursegen crashed (a bug in coursegen, not in your '
                     'content); the server keeps running:</strong><pre style="white-space:pre-wrap">'
                     f"{escape(crash)}</pre></li>")
    count = len(errors) + (1 if crash else 0)
    below = "The page below is the last good build." if built else "The site has not built yet."
    title = f"Build failed: {count} error{'s' if count != 1 else ''}"
    return (f'<div id="{OVERLAY_ID}" role="alert" aria-labelledby="{OVERLAY_ID}-title" style="{_STYLE}">{_HIDE}'
            f'<h2 id="{OVERLAY_ID}-title" style="margin:0 0 1rem;color:#ff8a80;font-size:1.3rem">{title}</h2>'
            f'<p style="margin:0 0 1rem">{below} Fix the problem and save: '
            f'this message goes away by itself.</p><ol style="padding-left:1.2rem">{"".join(items)}</ol></div>')


def inject(html: str, version: str, overlay: str | None = None, warnings: str | None = None) -> str:
    """The page with the reload client (and the overlay, when the last rebuild failed, and the warnings panel,
    when the last good one had warnings) before </body>."""
    snippet = (warnings or "") + (overlay or "") + client_script(version)
    index = html.rfind("</body>")
    return html[:index] + snippet + html[index:] if index >= 0 else html + snippet


def error_page(version: str, overlay: str) -> str:
    """What every URL shows before the first good build."""
    return inject("<!doctype html><html lang=en><head><meta charset=utf-8><title>Build failed</title></head>"
                  "<body></body></html>", version, overlay)
