"""Every <img> the build writes carries the picture's width and height, so its box is reserved before it loads."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from coursegen.imagesize import add_sizes, svg_size

SVG_SIZED = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="356" viewBox="0 0 1280 712"></svg>'
SVG_BOX = '<?xml version="1.0"?>\n<!-- a comment -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>'

SIZED_MODULE = """\
---
title: Pictures
summary: Every kind of picture.
goals:
  - See pictures.
cards:
  - title: A Diagram
    visual: images/sized.svg
    alt: A sized diagram.
---
Intro with a photo: ![A photo](images/photo.png)

## A Diagram

A box-only SVG: ![A box](images/box.svg) and a turned camera picture: ![Turned](images/turned.jpg)

<img src="../images/photo.png" alt="Sized by hand" width="10" height="5">
"""


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def _turned_jpeg(width: int, height: int) -> bytes:
    """A JPEG stored `width` x `height` whose EXIF says 'rotate 90°': browsers show it `height` x `width`."""
    image = Image.new("RGB", (width, height), "white")
    exif = image.getexif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def pictures(demo):
    return (demo.write("content/demo/images/sized.svg", SVG_SIZED)
            .write("content/demo/images/box.svg", SVG_BOX)
            .write("content/demo/images/photo.png", _png(120, 80))
            .write("content/demo/images/turned.jpg", _turned_jpeg(40, 30))
            .write("content/demo/03-pictures.md", SIZED_MODULE))


def _sizes(page) -> dict[str, tuple[str | None, str | None]]:
    return {img.get("alt"): (img.get("width"), img.get("height")) for img in page.select("main img")}


def test_module_page_images_have_the_files_sizes(pictures):
    assert pictures.build().ok
    sizes = _sizes(pictures.html("demo/pictures/index.html"))
    assert sizes["A sized diagram."] == ("640", "356")  # the card's visual: the SVG's width and height
    assert sizes["A photo"] == ("120", "80")  # a PNG, read by Pillow
    assert sizes["A box"] == ("300", "150")  # an SVG with only a viewBox
    assert sizes["Turned"] == ("30", "40")  # EXIF rotation swaps the sides, as the browser shows it
    assert sizes["Sized by hand"] == ("10", "5")  # an author's own size is kept


def test_print_and_course_pages_images_have_sizes(pictures):
    assert pictures.build().ok
    printed = _sizes(pictures.html("demo/print/index.html"))
    assert printed["A sized diagram."] == ("640", "356") and printed["A photo"] == ("120", "80")
    course = pictures.html("demo/index.html")
    assert all(img.get("width") and img.get("height") for img in course.select("main img"))


def test_a_changed_picture_changes_the_sizes_on_the_next_build(pictures):
    assert pictures.build().ok
    pictures.write("content/demo/images/photo.png", _png(200, 100))
    assert pictures.build().ok
    assert _sizes(pictures.html("demo/pictures/index.html"))["A photo"] == ("200", "100")


@pytest.mark.parametrize("svg, size", [
    ('<svg width="640" height="320">', (640, 320)),
    ('<svg width="64px" height="32px" viewBox="0 0 10 10">', (64, 32)),
    ('<svg viewBox="0,0,100,50">', (100, 50)),
    ('<svg width="200" viewBox="0 0 100 50">', (200, 100)),  # one length scales the box
    ('<svg width="100%" height="100%" viewBox="0 0 90 30">', (90, 30)),  # percentages depend on the page
    ('<svg width="100%">', None),
    ("<svg>", None),
    ("<html></html>", None),
])
def test_svg_size(svg, size):
    assert svg_size(svg.encode()) == size


def test_add_sizes_leaves_unknown_and_sized_images_alone():
    sizes = {"/a.svg": (4, 3)}
    assert add_sizes('<img src="/a.svg#only-dark" alt="">', sizes) == '<img src="/a.svg#only-dark" alt="" width="4" height="3">'
    assert add_sizes('<img src="/b.svg" alt="">', sizes) == '<img src="/b.svg" alt="">'
    assert add_sizes('<img src="/a.svg" height="9">', sizes) == '<img src="/a.svg" height="9">'
