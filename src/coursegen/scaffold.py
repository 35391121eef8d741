"""`coursegen new`: copy the starter project (package data) into an empty folder."""
from __future__ import annotations

import shutil
from pathlib import Path

from .diagnostics import UsageError

STARTER = Path(__file__).parent / "starter"


def scaffold(target: Path) -> Path:
    """Create a project in `target`, which must not exist or be empty. Returns the resolved path."""
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty; choose a new folder")
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".coursegen-cache", "build"))
    gitignore = target / "gitignore.txt"
    if gitignore.exists():
        gitignore.rename(target / ".gitignore")
    return target
