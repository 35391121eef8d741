"""Live preview: `coursegen serve` (watch.py), its HTTP server (server.py), the site in memory (live.py)."""

from .watch import serve

__all__ = ["serve"]
