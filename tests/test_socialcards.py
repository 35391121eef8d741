"""Social cards: a 1200×630 PNG per home, course and module page; cached, stable, themed, self-contained."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

import coursegen
from coursegen.publish import socialcards
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

