"""Limits with messages, work linear in the input, cache entries checked before use (review F7, F14, F15, F16)."""
from __future__ import annotations

import gc
import io
import time

from helpers import CourseProject
from PIL import Image

from coursegen.content import ModuleFile, SourceFile
from coursegen.diagnostics import Diagnostics
from coursegen.markdown import make_markdown
from coursegen.parse import parse_module
from coursegen.publish.socialcards import Palette, SocialCard, draw_card

HEAD = "---\ntitle: T\nsummary: S\ngoals:\n  - G\n---\n"
BASE = "https://example.org/"


def _parse_seconds(text: str) -> float:
    """The time one parse takes, without the garbage collector, whose passes come at moments of their own."""
    md = make_markdown()
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        parsed = parse_module(md, ModuleFile(1, "x", SourceFile("content/demo/03-x.md", text)), frozenset(),
                              Diagnostics())
        seconds = time.perf_counter() - started
    finally:
        gc.enable()
    assert parsed is not None
    return seconds


def test_heading_ids_are_linear_in_the_number_of_same_named_headings() -> None:
    """Times compared, not a time limit: 8x the headings takes at most about 8x as long when linear (measured:
    5x to 10x on a loaded machine, a part of the time being fixed), about 40x when quadratic (107 s for 40,000
    before the fix; this test then fails in about a minute). The best of three runs of each size, in up to
    three rounds, so that a loaded machine slowing some runs does not decide."""
    def module(count: int) -> str:
        return HEAD + "## Card\n\n" + "### h\n\n" * count

    small, large = module(1000), module(8000)
    ratios = []
    for _ in range(3):
        ratio = min(_parse_seconds(large) for _ in range(3)) / min(_parse_seconds(small) for _ in range(3))
        if ratio < 20:
            return
        ratios.append(ratio)
    raise AssertionError(f"8x the headings took {min(ratios):.0f}x as long (linear: ~8x, quadratic: ~40x)")


def test_same_named_headings_get_the_ids_they_always_got(demo: CourseProject) -> None:
    demo.write("content/demo/03-x.md", HEAD + "## Card\n\n### h\n\n### h-2\n\n### h\n\n### h\n\nx\n")
    assert demo.build(search=False).ok
    ids = [h["id"] for h in demo.html("demo/x/index.html").find_all("h3")]
    assert ids == ["h", "h-2", "h-1", "h-3"]


def test_a_table_too_large_for_memory_is_an_error_at_its_line(demo: CourseProject) -> None:
    from coursegen.parse import MAX_TABLE_CELLS
    row = "|" + "a|" * 1000 + "\n"
    demo.write("content/demo/03-x.md", HEAD + "## Card\n\nText.\n\n" + row + "|" + "-|" * 1000 + "\n" + row * 1500)
    started = time.perf_counter()
    report = demo.build(search=False)
    assert time.perf_counter() - started < 20
    expected = (f"content/demo/03-x.md:11: error: this table has more than {MAX_TABLE_CELLS:,} cells, more than "
                "a page can hold; split it, or link to the data as a file (CSV)")
    assert [d.format() for d in report.errors] == [expected]


def test_a_table_of_ordinary_size_builds(demo: CourseProject) -> None:
    row = "|" + "a|" * 20 + "\n"
    demo.write("content/demo/03-x.md", HEAD + "## Card\n\n" + row + "|" + "-|" * 20 + "\n" + row * 200)
    assert demo.build(search=False).ok


def _card(title: str) -> SocialCard:
    palette = Palette("#ffffff", "#111111", "#555555", "#1d4ed8", "#eeeeee")
    return SocialCard("Module 1 of 9 · 5 min", title, "A course", "Site", palette, "static/cards/x.png", "alt")


def test_a_title_of_one_enormous_word_is_cut_inside_the_card() -> None:
    for length in (60, 200_000):
        with Image.open(io.BytesIO(draw_card(_card("a" * length)))) as image:
            assert image.size == (1200, 630)
            strip = image.convert("RGB").crop((1200 - 70, 0, 1200, 500))
            assert strip.getcolors() == [(70 * 500, (255, 255, 255))], length  # nothing in the right margin


def test_damaged_cached_social_cards_are_drawn_again_not_published(demo: CourseProject) -> None:
    assert demo.build(base_url=BASE, search=False).ok
    cached = sorted((demo.root / ".coursegen-cache/social-cards").glob("*.png"))
    assert cached
    for n, path in enumerate(cached):
        data = path.read_bytes()
        path.write_bytes([data[:2000], b"garbage", b"", b"\0" * len(data)][n % 4])
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text() + "\nEdit.\n")
    assert demo.build(base_url=BASE, search=False).ok
    for png in demo.out.rglob("*.png"):
        with Image.open(png) as image:
            image.load()  # a cut or garbage PNG raises here
            assert image.size == (1200, 630)
