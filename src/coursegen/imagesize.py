"""The intrinsic size of the course images, written onto every <img> so that its box is reserved before it loads.

An SVG's size is its root's `width` and `height` (in px or unitless), else its `viewBox`; a raster image's
comes from Pillow, which reads only the file's header (a JPEG's EXIF rotation swaps the two, as browsers do).
With both attributes and the theme's `img { max-width: 100%; height: auto }`, the browser keeps the space
of the scaled image (no layout shift), whatever the width of the screen.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

Size = tuple[int, int]  # width, height in CSS pixels

_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')
_SIZED = re.compile(r"\s(width|height)\s*=", re.IGNORECASE)
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter
SVG_HEAD_BYTES = 16_384  # the root element of an SVG is at its start (after a prolog and comments)


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf"""\s{name}\s*=\s*(["'])(.*?)\1""", tag, re.IGNORECASE | re.DOTALL)
    return found.group(2) if found else None


def _px(value: str | None) -> float | None:
    """A length in CSS pixels; None for percentages, ems and the like (they depend on the page)."""
    found = _LENGTH.match(value) if value else None
    return float(found.group(1)) if found else None


def _view_box(tag: str) -> tuple[float, float] | None:
    parts = (_attr(tag, "viewBox") or "").replace(",", " ").split()
    try:
        box_w, box_h = (float(parts[2]), float(parts[3])) if len(parts) == 4 else (0.0, 0.0)
    except ValueError:
        return None
    return (box_w, box_h) if box_w > 0 and box_h > 0 else None


def svg_size(head: bytes) -> Size | None:
    """The size of an SVG from the start of its text: width and height, one of them and the viewBox's
    proportions, or the viewBox alone."""
    root = _SVG_ROOT.search(head)
    if root is None:
        return None
    tag = root.group().decode("utf-8", "replace")
    width, height = _px(_attr(tag, "width")), _px(_attr(tag, "height"))
    box = _view_box(tag)
    if box and width is None and height is None:
        width, height = box
    elif box and width is not None and height is None:
        height = width * box[1] / box[0]
    elif box and height is not None and width is None:
        width = height * box[0] / box[1]
    if not width or not height:
        return None
    return round(width), round(height)


def raster_size(path: Path) -> Size | None:
    try:
        with Image.open(path) as image:
            width, height = image.size
            if image.format == "JPEG" and image.getexif().get(0x0112) in _ROTATED:
                width, height = height, width
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return (width, height) if width and height else None


@lru_cache(maxsize=4096)
def _file_size(path: Path, stamp: tuple[int, int]) -> Size | None:
    """Cached by the file's path, length and time: `serve` rebuilds with the same images many times."""
    if path.suffix.lower() == ".svg":
        with path.open("rb") as file:
            return svg_size(file.read(SVG_HEAD_BYTES))
    return raster_size(path)


def image_size(path: Path) -> Size | None:
    """The size of an image file, None when it is not an image or says no size."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _file_size(path, (stat.st_size, stat.st_mtime_ns))


def add_sizes(html: str, size_of: Mapping[str, Size]) -> str:
    """`html` with `width` and `height` on each <img> whose src has a known size and that has neither yet."""
    if "<img" not in html:
        return html

    def sized(match: re.Match[str]) -> str:
        tag = match.group()
        src = _SRC.search(tag)
        url = src.group(1).replace("&amp;", "&").split("#")[0].split("?")[0] if src else ""
        size = size_of.get(url)
        if size is None or _SIZED.search(tag):
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} width="{size[0]}" height="{size[1]}"{tag[end:]}'

    return _IMG.sub(sized, html)


IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


def sizes_of(files: Mapping[str, Path]) -> dict[str, Size]:
    """URL -> size of each image among `files` (URL -> file) whose size can be read."""
    found = {url: image_size(path) for url, path in files.items() if path.suffix.lower() in IMAGE_SUFFIXES}
    return {url: size for url, size in found.items() if size}
