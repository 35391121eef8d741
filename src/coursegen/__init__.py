"""coursegen: Markdown course modules in, a fast, accessible static course website out."""
from __future__ import annotations

from ._version import __version__
from .build import BuildOptions, BuildReport, build, check

__all__ = ["BuildOptions", "BuildReport", "__version__", "build", "check"]
