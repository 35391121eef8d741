"""Social cards: a 1200×630 PNG per home, course and module page; cached, stable, themed, self-contained."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from helpers import COURSE_YAML
from PIL import Image

import coursegen
from coursegen.publish import cardtext, socialcards
from coursegen.publish.socialcards import Palette, SocialCard, draw_card

BASE = "https://example.org/"


def card_files(project) -> dict[str, str]:
    """og:image path (site-relative) of every built page -> sha256 of its PNG."""
    found = {}
    for html in sorted(project.out.rglob("index.html")):
        image = project.html(str(html.relative_to(project.out))).find("meta", property="og:image")
        if image:
            rel = image["content"][len(BASE):]
            found[rel] = hashlib.sha256((project.out / rel).read_bytes()).hexdigest()
    return found


def test_home_course_and_each_module_get_a_1200x630_png(demo):
    assert demo.build(base_url=BASE).ok
    cards = card_files(demo)
    assert len(cards) == 4  # home, the course, two modules
    for rel in cards:
        with Image.open(demo.out / rel) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
    alt = demo.html("demo/first/index.html").find("meta", property="og:image:alt")["content"]
    assert "First Steps" in alt and "Demo Course" in alt and "Test Academy" in alt


def test_rebuild_keeps_names_and_bytes_and_draws_nothing_again(demo, monkeypatch):
    assert demo.build(base_url=BASE).ok
    first = card_files(demo)
    cached = sorted((demo.root / ".coursegen-cache/social-cards").glob("*.png"))
    assert len(cached) == 4

    def no_drawing(card):
        raise AssertionError(f"card {card.target} was redrawn although it was cached")

    monkeypatch.setattr(socialcards, "draw_card", no_drawing)
    assert demo.build(base_url=BASE).ok
    assert card_files(demo) == first


def test_changing_a_module_title_redraws_only_its_card(demo):
    assert demo.build(base_url=BASE).ok
    before = card_files(demo)
    text = (demo.root / "content/demo/02-second.md").read_text().replace("title: Second Module", "title: Renamed")
    demo.write("content/demo/02-second.md", text)
    assert demo.build(base_url=BASE).ok
    after = card_files(demo)
    changed = set(before) ^ set(after)
    assert {Path(p).name.split(".")[0] for p in changed} == {"second"}


def test_cards_take_their_accent_colour_from_the_theme_stylesheet(demo):
    from coursegen.templates import THEME
    css = (THEME / "static/coursegen.css").read_text().replace("--cg-accent: #1d4ed8", "--cg-accent: #c2185b", 1)
    demo.write("static/coursegen.css", css)
    assert demo.build(base_url=BASE).ok
    rel = next(iter(card_files(demo)))
    with Image.open(demo.out / rel) as image:
        assert image.convert("RGB").getpixel((5, 300)) == (0xc2, 0x18, 0x5b)


def _card(title: str) -> SocialCard:
    palette = Palette("#ffffff", "#111111", "#555555", "#1d4ed8", "#eeeeee")
    return SocialCard("Module 1 of 9 · 5 min", title, "A course", "Site", palette, "static/cards/x.png", "alt")


def test_a_very_long_title_is_wrapped_and_cut_inside_the_margins():
    data = draw_card(_card("Supercalifragilistic " * 30))
    with Image.open(io.BytesIO(data)) as image:
        strip = image.convert("RGB").crop((1200 - 70, 0, 1200, 500))
        assert strip.getcolors() == [(70 * 500, (255, 255, 255))]  # nothing drawn in the right margin


def test_same_card_same_bytes_and_a_different_text_a_different_key():
    assert draw_card(_card("Tokens")) == draw_card(_card("Tokens"))
    assert _card("Tokens").key != _card("Tokens!").key


def test_the_fonts_ship_inside_the_package_with_their_licence():
    package = Path(coursegen.__file__).parent
    for font in (socialcards.REGULAR, socialcards.BOLD):
        assert font.is_file() and font.is_relative_to(package)
    assert "Bitstream" in (package / "theme/fonts/LICENSE-DejaVu.txt").read_text()


@pytest.mark.parametrize("language", ["de", "ru", "el"])
def test_non_latin_and_accented_text_draws_without_error(language):
    title = {"de": "Größenordnungen – Übung", "ru": "Как работают модели", "el": "Πώς δουλεύουν"}[language]
    with Image.open(io.BytesIO(draw_card(_card(title)))) as image:
        assert image.size == (1200, 630)


def test_no_cards_without_an_origin(demo):
    assert demo.build().ok
    assert not (demo.out / "static/cards").exists()



# --- right-to-left and scripts the font lacks ---------------------------------------------------------------

ACCENT = (0x1d, 0x4e, 0xd8)


def _rtl_card(title: str, eyebrow: str = "الوحدة 1 من 9", subtitle: str = "شرح الرموز") -> SocialCard:
    palette = Palette("#ffffff", "#111111", "#555555", "#1d4ed8", "#eeeeee")
    return SocialCard(eyebrow, title, subtitle, "Site", palette, "static/cards/x.png", "alt", rtl=True)


def _ink(data: bytes, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of what is drawn (not white) inside `box`, in card coordinates."""
    with Image.open(io.BytesIO(data)) as image:
        region = image.convert("L").crop(box).point(lambda v: 255 if v < 250 else 0)
        found = region.getbbox()
    return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1]) if found else None


def test_an_arabic_card_mirrors_its_layout():
    data = draw_card(_rtl_card("ما هو الرمز"))
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((1200 - 5, 300)) == ACCENT and rgb.getpixel((5, 300)) == (255, 255, 255)
    ink = _ink(data, (0, 0, 1200 - 30, 500))
    assert ink and ink[2] > 1200 - 24 - 80 - 4 and ink[0] > 500  # set from the right margin, a short title


def test_arabic_letters_are_joined_on_the_card(monkeypatch):
    """Four beh letters joined (raqm) take less room than four letters each drawn alone."""
    assert socialcards.can_shape(), "Pillow without raqm: pip install a Pillow wheel (they ship raqm)"
    joined = _ink(draw_card(_rtl_card("بببب", "", "")), (0, 0, 1176, 500))
    from PIL import ImageFont
    basic = {}

    def unshaped(bold: bool, size: int):
        return basic.setdefault((bold, size), ImageFont.truetype(str(socialcards.BOLD if bold else socialcards.REGULAR),
                                                                 size, layout_engine=ImageFont.Layout.BASIC))
    monkeypatch.setattr(socialcards, "_font", unshaped)
    monkeypatch.setattr(socialcards, "can_shape", lambda: False)
    monkeypatch.setattr(socialcards, "drawable", lambda text, font: True)  # draw it anyway, unjoined
    alone = _ink(draw_card(_rtl_card("بببب", "", "")), (0, 0, 1176, 500))
    assert joined and alone and joined[2] - joined[0] < (alone[2] - alone[0]) * 0.8


def test_without_raqm_right_to_left_text_is_left_off_rather_than_drawn_reversed(monkeypatch):
    monkeypatch.setattr(cardtext, "can_shape", lambda: False)
    data = draw_card(_rtl_card("ما هو الرمز"))
    assert _ink(data, (0, 0, 1176, 520)) is None  # no eyebrow, title or subtitle
    assert _ink(data, (0, 540, 1176, 630))  # the site's name (Latin) is still there


def test_a_title_in_a_script_the_font_lacks_is_left_off_not_drawn_as_boxes():
    data = draw_card(_card("什么是注意力"))
    assert not cardtext.drawable("什么是注意力", socialcards._font(True, 26))
    with_title = _ink(draw_card(_card("Attention")), (30, 0, 1200, 515))
    without = _ink(data, (30, 0, 1200, 515))
    assert with_title and without and without[3] - without[1] < with_title[3] - with_title[1]  # only eyebrow, subtitle


def test_cards_of_an_arabic_course_are_right_to_left(demo):
    demo.write("content/demo/course.yaml", COURSE_YAML + "language: ar\n")
    assert demo.build(base_url=BASE).ok
    for page, rtl in (("index.html", False), ("demo/index.html", True), ("demo/first/index.html", True)):
        image_url = demo.html(page).find("meta", property="og:image")["content"]
        with Image.open(demo.out / image_url.removeprefix(BASE)) as image:
            bar = image.convert("RGB").getpixel((1200 - 5, 300) if rtl else (5, 300))
        assert bar == ACCENT, page
