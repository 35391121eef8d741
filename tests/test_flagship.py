"""The flagship course "How LLMs Work" (the repo's own content/) as a learner meets it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from coursegen import BuildOptions, build

REPO = Path(__file__).resolve().parents[1]
COURSE = "how-llms-work"

# The brief's five modules, in order: (slug, title).
MODULES = [
    ("the-arc", "The Arc: From Counting Words to Transformers"),
    ("two-files", "Just Two Files"),
    ("dreamer-to-assistant", "From Dreamer to Assistant"),
    ("scaling-and-limits", "Scaling and Its Limits"),
    ("ninas-toolkit", "Nina's Toolkit"),
]

# Every learning goal of the brief, per module, as the key phrases a reworded goal must keep.
BRIEF_GOALS = {
    "the-arc": [
        ["why computers need numbers", "each approach", "failures"],
        ["bag-of-words model", "strengths", "limitations"],
        ["embeddings and attention", "context problem"],
        ["transformer", "sequential bottleneck", "rnn"],
        ["encoder-only (bert)", "decoder-only (gpt)", "when each"],
    ],
    "two-files": [
        ["physical model of an llm", "parameters file", "run file"],
        ["inference", "loop of next-token prediction"],
        ["hallucination", "lossy compression", "not a software bug"],
    ],
    "dreamer-to-assistant": [
        ["pre-training", "lossy compression of the internet", "base model"],
        ["fine-tuning and rlhf", "dreamer", "helpful assistant"],
        ["alignment tax", "fluent delivery does not equal factual accuracy"],
    ],
    "scaling-and-limits": [
        ["scaling laws", "predictable investment curve", "general capability"],
        ["general capability gaps", "scaling helps", "architectural gaps", "scaling alone cannot fix"],
        ["arithmetic", "real-time data", "hallucination", "architectural solutions beyond scaling"],
    ],
    "ninas-toolkit": [
        ["four core mental models", "the arc", "two-file reality", "training pipeline", "scaling"],
        ["three production rules", "memory", "math", "confidence"],
        ["tokens and embeddings", "prompt engineering", "retrieval-augmented generation", "agents",
         "which gap"],
    ],
}

PLANNED = {
    "tokens-and-embeddings": "Tokens & Embeddings",
    "prompt-engineering": "Prompt Engineering",
    "retrieval-augmented-generation": "Retrieval-Augmented Generation",
    "agents": "Agents",
}
WIDGETS = ("bag-of-words", "next-token", "scaling-curve")
GAPS = ("memory", "math", "confidence", "action")


def norm(text: str) -> str:
    """Lowercase, curly quotes straightened, whitespace folded."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def words(node: Tag) -> int:
    return len(re.findall(r"\S+", node.get_text(" ")))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("flagship") / "site"
    report = build(REPO, BuildOptions(out=out, cache=False))
    assert report.ok, "\n".join(str(d) for d in report.errors)
    course = next(c for c in report.site.courses if c.slug == COURSE)
    return out, course


def page(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def module_page(site, slug: str) -> BeautifulSoup:
    out, _ = site
    return page(out, f"{COURSE}/{slug}")


def module_model(site, slug: str):
    _, course = site
    return next(m for m in course.modules if m.slug == slug)


def cards(site, slug: str) -> list[Tag]:
    """The module page's concept-card sections, in order, by the ids the model gives them."""
    soup = module_page(site, slug)
    found = [soup.find("section", id=card.id) for card in module_model(site, slug).cards]
    assert all(found), f"{slug}: a card has no <section id=...> on its page"
    return found


def section_by_heading(soup: BeautifulSoup, heading: str) -> Tag:
    h = soup.find(lambda t: t.name in ("h2", "h3") and norm(t.get_text()) == norm(heading))
    assert h is not None, f"no heading {heading!r}"
    return h.find_parent(["section", "aside", "div"])


def test_course_has_the_briefs_five_modules_in_order(site):
    _, course = site
    assert [(m.slug, norm(m.title)) for m in course.modules] == [(s, norm(t)) for s, t in MODULES]
    text = norm(page(site[0], COURSE).get_text(" "))
    positions = [text.find(norm(title)) for _, title in MODULES]
    assert -1 not in positions and positions == sorted(positions), "module titles out of order on the course page"


def test_every_card_is_150_to_400_words_and_there_are_at_least_20(site):
    counts = {}
    for slug, _ in MODULES:
        mod_cards = cards(site, slug)
        assert 4 <= len(mod_cards) <= 6, f"{slug} has {len(mod_cards)} cards"
        for section in mod_cards:
            for widget in section.select("form.cg-quiz, [data-widget], .cg-term-tip"):  # tooltips: glossary text
                widget.decompose()
            counts[f"{slug}#{section['id']}"] = words(section)
    assert len(counts) >= 20
    outside = {card: n for card, n in counts.items() if not 150 <= n <= 400}
    assert outside == {}, f"cards outside 150-400 words: {outside}"


def test_course_page_lists_every_brief_goal_under_its_module(site):
    course_page = page(site[0], COURSE)
    for slug, briefs in BRIEF_GOALS.items():
        entry = course_page.find(id=f"module-{slug}")
        assert entry is not None, f"course page has no entry for {slug}"
        goals = [norm(li.get_text(" ")) for li in entry.select("ul li") if "cg-preview" not in li.get("class", [])]
        assert len(module_model(site, slug).goals) == len(briefs)
        for phrases in briefs:
            assert any(all(p in goal for p in phrases) for goal in goals), \
                f"{slug}: no goal on the course page covers {phrases}; goals: {goals}"


def test_course_page_reads_like_the_brief_tagline_why_then_modules_with_previews(site):
    _, course = site
    soup = page(site[0], COURSE)
    text = norm(soup.get_text(" "))
    order = [norm(course.tagline), "why take this course?", "oversell it or bury it in equations",
             norm(MODULES[0][1]), "where this leads"]
    positions = [text.find(part) for part in order]
    assert -1 not in positions and positions == sorted(positions), list(zip(order, positions))
    for module in course.modules:
        for card in module.cards:
            assert len(card.preview) <= 140
            link = soup.find("a", href=lambda h, c=card: h is not None and h.endswith(f"#{c.id}"))
            assert link is not None, f"no preview link for {module.slug}#{card.id}"
            assert norm(card.preview) in norm(link.get_text(" "))


def assert_dark_palette(name: str, svg: Tag) -> None:
    """Every colour the diagram paints with has a dark-mode replacement in its own <style>."""
    style = " ".join(s.get_text() for s in svg.find_all("style"))
    assert "prefers-color-scheme: dark" in style, f"{name}: no dark-mode palette"
    for node in svg.find_all(True):
        for attr in ("fill", "stroke"):
            colour = node.get(attr, "")
            if colour.startswith("#"):
                assert f'[{attr}="{colour}"]' in style, f"{name}: {attr} {colour} has no dark-mode colour"


def test_diagrams_are_original_svgs_with_title_and_desc_and_one_per_module(site):
    out, _ = site
    total = 0
    for slug, _ in MODULES:
        imgs = [img for section in cards(site, slug) for img in section.select("img[src$='.svg']")]
        assert imgs, f"{slug} has no SVG diagram"
        for img in imgs:
            assert len(img.get("alt", "")) > 40, f"{img['src']}: alt text too thin"
            svg = BeautifulSoup((out / img["src"].lstrip("/")).read_text(encoding="utf-8"), "html.parser").svg
            assert svg.get("role") == "img"
            title, desc = svg.find("title"), svg.find("desc")
            assert title and title.get_text(strip=True) and desc and len(desc.get_text(strip=True)) > 60
            assert set(svg["aria-labelledby"].split()) == {title["id"], desc["id"]}
            assert_dark_palette(img["src"], svg)
        total += len(imgs)
    assert total >= 5


def test_every_module_has_a_quiz_a_reveal_a_nina_card_and_sources(site):
    quizzes = reveals = 0
    for slug, _ in MODULES:
        soup = module_page(site, slug)
        module_quizzes = soup.select("form.cg-quiz")
        assert module_quizzes, f"{slug} has no quiz"
        for quiz in module_quizzes:
            assert quiz.select("input[data-correct='true']"), f"{slug}: a quiz has no correct option"
            assert len(quiz.select("input")) >= 3
        module_reveals = soup.select("details.cg-reveal")
        assert module_reveals and all(r.find("summary").get_text(strip=True) for r in module_reveals)
        quizzes, reveals = quizzes + len(module_quizzes), reveals + len(module_reveals)
        openings = [section.find("p") for section in cards(site, slug)]
        assert any(p is not None and "Nina" in p.get_text() for p in openings), f"{slug}: no Nina story card"
        sources = section_by_heading(soup, "Sources")
        assert len(sources.select("li")) >= 2, f"{slug}: too few sources"
    assert quizzes >= 5 and reveals >= 5


def test_three_widgets_are_placed_with_static_fallbacks(site):
    out, _ = site
    placed = {}
    for slug, _ in MODULES:
        soup = module_page(site, slug)
        for widget in soup.select("[data-widget]"):
            placed[widget["data-widget"]] = (slug, widget, soup)
    assert set(WIDGETS) <= set(placed)
    for name in WIDGETS:
        slug, widget, soup = placed[name]
        assert words(widget) >= 60, f"{name}: fallback too short to explain the widget without JS"
        assert widget.find("table") is not None, f"{name}: fallback should show the numbers as a table"
        scripts = " ".join(s.get_text() for s in soup.find_all("script"))
        assert f"widgets/{name}" in scripts, f"{name} is not loaded on {slug}"
        assert list((out / "static" / "widgets").glob(f"{name}*.js")), f"{name}.js not copied"


def test_home_roadmap_and_course_page_lead_to_the_four_planned_courses(site):
    out, _ = site
    home = page(out, "")
    roadmap = norm(section_by_heading(home, "Roadmap").get_text(" "))
    for title in PLANNED.values():
        assert norm(title) in roadmap
    leads = section_by_heading(page(out, COURSE), "Where this leads")
    linked = {norm(a.get_text()) for a in leads.find_all("a", href=True)}
    assert linked == {norm(t) for t in PLANNED.values()}


def test_module_five_maps_each_gap_to_a_planned_course(site):
    section = cards(site, "ninas-toolkit")[-1]
    assert "next" in norm(section.find("h2").get_text())
    items = [norm(li.get_text(" ")) for li in section.select("ul li")]
    for gap in GAPS:
        assert any(item.startswith(gap) for item in items), f"gap {gap!r} not mapped"
    text = norm(section.get_text(" "))
    for title in PLANNED.values():
        assert norm(title) in text


def test_every_module_has_instructor_notes_on_the_instructor_view_only(site):
    out, _ = site
    modules = page(out, "how-llms-work/instructor").select("section.cg-instructor-module")
    assert len(modules) == 5
    for module in modules:
        note = module.select_one(".cg-instructor-note").get_text(" ")
        for part in ("Timing.", "Misconceptions to listen for.", "Discussion."):
            assert part in note, (module["id"], part)
        learner = (out / "how-llms-work" / module["id"] / "index.html").read_text(encoding="utf-8")
        assert "Misconceptions to listen for" not in learner
