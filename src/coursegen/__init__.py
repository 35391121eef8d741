"""coursegen: Markdown course modules in, a fast, accessible static course website out."""
from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildOptions, BuildReport, build, check

__all__ = ["BuildOptions", "BuildReport", "__version__", "build", "check"]
