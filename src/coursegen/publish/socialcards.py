"""Social cards: 1200×630 PNG previews for links shared in chat apps and search, cached by content hash."""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: most builds draw none
    from PIL import ImageFont

from ..i18n import Messages, Translator, is_rtl
from ..model import Course, Module, Site
from ..preview import cut_preview
from .cardtext import can_shape, drawable

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
VERSION = "4"  # bump when the drawing changes: every cached card is then redrawn
FONTS = Path(__file__).parents[1] / "theme" / "fonts"
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
DEFAULT_COLOURS = {"bg": "#ffffff", "fg": "#1e293b", "muted": "#52606d", "accent": "#1d4ed8",
                   "surface": "#f4f6fa"}
_MARGIN, _BAR = 80, 24


@dataclass(frozen=True)
class Palette:
    bg: str
    fg: str
    muted: str
    accent: str
    surface: str


@dataclass(frozen=True)
class SocialCard:
    """What one card shows, where it is written, and the hash that names and caches it."""

    eyebrow: str  # 'Module 2 of 5 · 20 min'
    title: str
    subtitle: str  # the course name, a tagline or the site description
    site_name: str
    palette: Palette
    target: str  # site-relative output path: 'static/cards/how-llms-work/index.1a2b3c4d.png'
    alt: str  # the text drawn on the card, for og:image:alt
    rtl: bool = False  # the page's language is written right to left: the card mirrors

    @property
    def key(self) -> str:
        return card_key(self.eyebrow, self.title, self.subtitle, self.site_name, self.palette,
                        *(("rtl",) if self.rtl else ()))


def palette_from_css(css: str) -> Palette:
    """The theme's light colours: the first `--cg-NAME: #hex` of each name in the stylesheet."""
    colours = dict(DEFAULT_COLOURS)
    for name in colours:
        match = re.search(rf"--cg-{name}\s*:\s*(#[0-9a-fA-F]{{6}}|#[0-9a-fA-F]{{3}})\b", css)
        if match:
            colours[name] = match.group(1)
    return Palette(**colours)


@lru_cache(maxsize=1)
def _font_digest() -> str:
    digest = hashlib.sha256()
    for path in (REGULAR, BOLD):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def card_key(*parts: object) -> str:
    """A hash of the drawing version, the fonts and everything drawn: equal keys give equal PNGs."""
    text = "\x1f".join([VERSION, _font_digest(), *map(str, parts)])
    return hashlib.sha256(text.encode()).hexdigest()


def _target(stem: str, *parts: object) -> str:
    return f"static/cards/{stem}.{card_key(*parts)[:10]}.png"


def _card(stem: str, eyebrow: str, title: str, subtitle: str, site: Site, palette: Palette,
          language: str) -> SocialCard:
    subtitle = cut_preview(subtitle, 150)
    rtl = is_rtl(language)
    target = _target(stem, eyebrow, title, subtitle, site.title, palette, *(("rtl",) if rtl else ()))
    alt = f"{eyebrow}: {title} — {subtitle} — {site.title}"
    return SocialCard(eyebrow, title, subtitle, site.title, palette, target, alt, rtl)


def _course_card(course: Course, site: Site, palette: Palette, t: Translator) -> SocialCard:
    modules = t.ngettext("%(num)s module", "%(num)s modules", len(course.modules)) % {
        "num": t.number(len(course.modules))}
    minutes = t.gettext("%(minutes)s min") % {"minutes": t.number(course.minutes)}
    eyebrow = " · ".join(x for x in (t.gettext("Course"), course.level and course.level.capitalize(),
                                      modules, minutes) if x)
    return _card(f"{course.slug}/index", eyebrow, course.title, course.tagline, site, palette, course.language)


def _module_card(module: Module, course: Course, site: Site, palette: Palette, t: Translator) -> SocialCard:
    place = t.gettext("Module %(position)s of %(total)s") % {"position": t.number(module.position),
                                                             "total": t.number(len(course.modules))}
    eyebrow = f"{place} · {t.gettext('%(minutes)s min') % {'minutes': t.number(module.minutes)}}"
    return _card(f"{course.slug}/{module.slug}", eyebrow, module.title, course.title, site, palette,
                 course.language)


def plan_cards(site: Site, palette: Palette, messages: Messages) -> dict[str, SocialCard]:
    """The card of every page that gets one, keyed by the page URL: home, courses, modules; each in its
    page's language."""
    published = site.published_courses
    home = messages[site.language]
    home_eyebrow = (home.ngettext("%(num)s course", "%(num)s courses", len(published))
                    % {"num": home.number(len(published))}) if published else home.gettext("Courses")
    cards = {site.url(""): _card("index", home_eyebrow, site.title, site.description, site, palette, site.language)}
    for course in published:
        t = messages[course.language]
        cards[course.url] = _course_card(course, site, palette, t)
        for module in course.modules:
            cards[module.url] = _module_card(module, course, site, palette, t)
    return cards


@lru_cache(maxsize=32)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


MAX_TEXT = 300  # characters of one text a card could show at all (3 lines of its smallest title size)
PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than `width`; a word wider than a line is cut across lines."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + "…"
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and font.getlength(word) > width:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _longest_prefix(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    """How many characters of `word` fit in `width` (at least 1), by bisection."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if font.getlength(word[:middle]) <= width else (low, middle - 1)
    return low


def _fit(text: str, bold: bool, sizes: tuple[int, ...], width: int, max_lines: int
         ) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which `text` fits in `max_lines`; at the smallest, cut with an ellipsis."""
    for size in sizes:
        font = _font(bold, size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    kept = lines[:max_lines]
    while kept[-1] and font.getlength(kept[-1] + "…") > width:
        kept[-1] = kept[-1].rsplit(" ", 1)[0] if " " in kept[-1] else kept[-1][:-1]
    kept[-1] = kept[-1].rstrip(" ,;:.") + "…"
    return font, kept


def _text_blocks(card: SocialCard, width: int) -> list[tuple[ImageFont.FreeTypeFont, list[str], str, int]]:
    """(font, lines, colour, gap before) of the eyebrow, the title and the subtitle."""
    p = card.palette
    eyebrow_font, eyebrow = _fit(_shown(card.eyebrow.upper(), True), True, (26,), width, 1)
    title_font, title = _fit(_shown(card.title, True), True, (76, 68, 60, 54, 48), width, 3)
    sub_font, subtitle = _fit(_shown(card.subtitle, False), False, (34, 30), width, 2 if len(title) < 3 else 1)
    return [(eyebrow_font, eyebrow, p.accent, 0), (title_font, title, p.fg, 26), (sub_font, subtitle, p.muted, 18)]


def _shown(text: str, bold: bool) -> str:
    """The text, or nothing when the card cannot draw it (cardtext.py): better no title than a wrong one."""
    return text if drawable(text, _font(bold, 26)) else ""


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return int(font.size * 1.22)


def draw_card(card: SocialCard) -> bytes:
    """Draw the card as PNG bytes; the same card always gives the same bytes. A right-to-left card mirrors:
    the accent bar on the right, the text set from the right edge."""
    from PIL import Image, ImageDraw
    p = card.palette
    image = Image.new("RGB", (WIDTH, HEIGHT), p.bg)
    draw = ImageDraw.Draw(image)
    bar = (WIDTH - _BAR, 0, WIDTH - 1, HEIGHT) if card.rtl else (0, 0, _BAR - 1, HEIGHT)
    draw.rectangle(bar, fill=p.accent)
    band = HEIGHT - 110
    draw.rectangle((0, band, WIDTH - _BAR - 1, HEIGHT) if card.rtl else (_BAR, band, WIDTH, HEIGHT), fill=p.surface)
    width = WIDTH - _BAR - 2 * _MARGIN
    start = WIDTH - _BAR - _MARGIN if card.rtl else _BAR + _MARGIN  # where each line begins
    anchor = "ra" if card.rtl else "la"  # the line's right or left end at `start`, its ascender at y
    direction = "rtl" if card.rtl and can_shape() else None
    blocks = [block for block in _text_blocks(card, width) if block[1] != [""]]  # texts left off take no room
    height = sum(gap + _line_height(font) * len(lines) for font, lines, _, gap in blocks)
    y = max(48, (band - height) // 2)  # the text block sits in the middle of the area above the band
    for font, lines, colour, gap in blocks:
        y += gap
        for line in lines:
            draw.text((start, y), line, font=font, fill=colour, anchor=anchor, direction=direction)
            y += _line_height(font)
    site_font, site_line = _fit(_shown(card.site_name, True), True, (32,), width - 60, 1)
    step = -1 if card.rtl else 1
    draw.rectangle((min(start, start + 36 * step), HEIGHT - 66, max(start, start + 36 * step), HEIGHT - 46), fill=p.accent)
    draw.text((start + 56 * step, HEIGHT - 74), site_line[0], font=site_font, fill=p.fg, anchor=anchor,
              direction=direction)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # zlib dominates the time; level 1 is 2× faster, ~20% larger
    return out.getvalue()


def _store(cache: Path, card: SocialCard, data: bytes) -> None:
    path = cache / f"{card.key}.png"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:  # a read-only project still builds; it just redraws next time
        log.warning("could not cache social card %s: %s", path, exc)


def card_pngs(cards: Iterable[SocialCard], cache: Path | None) -> dict[str, bytes]:
    """Each card's PNG by target path: from `cache` when an identical card was drawn before, else drawn now."""
    found: dict[str, bytes] = {}
    for card in cards:
        path = cache / f"{card.key}.png" if cache else None
        data = path.read_bytes() if path is not None and path.is_file() else b""
        if data.startswith(PNG_START) and data.endswith(PNG_END):  # else missing, cut or damaged: drawn anew
            found[card.target] = data
            continue
        found[card.target] = draw_card(card)
        if cache is not None:
            _store(cache, card, found[card.target])
    return found
