"""Images for one colour scheme: `#only-light` / `#only-dark` at the end of an image URL becomes a class (the
stylesheet shows the image in that scheme only); the file is found, copied and sized as any image."""
from __future__ import annotations

from helpers import BODY_LINE, CourseProject, one_card_module, own

SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'/>\n"


def test_scheme_variants_are_classes_on_sized_images(demo: CourseProject):
    demo.write("content/demo/light.svg", SVG).write("content/demo/dark.svg", SVG)
    demo.write("content/demo/03-media.md", one_card_module("Media", "Two diagrams.\n\n"
               "![Light diagram](light.svg#only-light)\n![Dark diagram](dark.svg#only-dark)\n![Plain](light.svg)\n"))
    report = demo.build()
    assert report.ok and not own(report), own(report)
    images = demo.html("demo/media/index.html").select(".cg-card img")
    assert [(i["src"], i.get("class")) for i in images] == [
        ("/demo/light.svg", ["cg-only-light"]), ("/demo/dark.svg", ["cg-only-dark"]), ("/demo/light.svg", None)]
    assert all((i["width"], i["height"]) == ("200", "100") for i in images)


def test_a_missing_variant_file_is_reported_like_any_image(demo: CourseProject):
    demo.write("content/demo/03-media.md", one_card_module("Media", "![Dark diagram](nowhere.svg#only-dark)\n"))
    report = demo.build()
    assert not report.ok
    assert [(d.path, d.line) for d in report.errors] == [("content/demo/03-media.md", BODY_LINE)]
    assert "nowhere.svg" in report.errors[0].message and "#only-dark" not in report.errors[0].message
