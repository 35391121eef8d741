"""Full-text search: index a fully written site folder with Pagefind. The only module that knows Pagefind.

Pages opt in with `data-pagefind-body` (course and module pages); navigation inside them is
marked `data-pagefind-ignore`. The index lands in `SITE/pagefind/`, which the theme's search box
loads on first use. Result URLs are root-absolute; the browser side adds the site's base path.
"""
from __future__ import annotations

import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # folder of the index inside the site
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
