"""Full-text search: index a fully written site folder with Pagefind. The only module that knows Pagefind.

Pages opt in with `data-pagefind-body` (course and module pages); navigation inside them is
marked `data-pagefind-ignore`. The index lands in `SITE/pagefind/`, which the theme's search box
loads on first use. Result URLs are root-absolute; the browser side adds the site's base path.
"""
from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # folder of the index inside the site
# Pagefind's ready-made search interfaces (~420 KB); the theme has its own search box on pagefind.js.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
             "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 300


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says why and what to do."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the `pagefind[bin]` wheel (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexError("the search index needs Pagefind: pip install 'pagefind[bin]'") from exc
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    return Path(binary)


def index_site(site: Path) -> None:
    """Write SITE/pagefind/ from the HTML pages in `site`. Raises SearchIndexError on failure."""
    command = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    if done.returncode != 0 or not (site / BUNDLE / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SearchIndexError("Pagefind failed to index the site" + (f": {detail[-1]}" if detail else ""))
    for line in (done.stdout + done.stderr).strip().splitlines():
        log.debug("pagefind: %s", line)
    for name in UNUSED_UI:
        (site / BUNDLE / name).unlink(missing_ok=True)


def index_pages(pages: dict[str, bytes]) -> dict[str, bytes]:
    """The search bundle for in-memory pages ({'course/module/index.html': html}), as {'pagefind/...': bytes}.

    For a site that is never written to disk (the live preview): only the HTML is written, to a
    temporary folder that is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="coursegen-search-") as folder:
        root = Path(folder)
        for rel, data in pages.items():
            if rel.endswith(".html"):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(data)
        index_site(root)
        bundle = root / BUNDLE
        return {f"{BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}

