"""Generate a synthetic coursegen project: N modules x 4 concept cards with code, lists, tables and links.

Used by bench/build_bench.py (build speed against MkDocs and Hugo) and by other benchmarks.
Deterministic: the same arguments give byte-identical files.

    python bench/make_course.py OUT_DIR --modules 500 [--repeat-titles]

--repeat-titles ends every fifth module with two '## Exercises' and two '## Summary' cards, as authors
write them (ids exercises, exercises-1, summary, summary-1, and a warning for each repeat).
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

MODULES_PER_COURSE = 50
CARD_TITLES = ("Where it starts", "How it works", "A worked example", "What to remember")

WORDS = ["token", "model", "weight", "layer", "vector", "gradient", "attention", "matrix", "sample", "batch", "loss", "signal", "context", "window", "prompt", "output", "input", "learner", "module", "concept", "example", "practice", "memory"]


def _sentence(seed: int, length: int = 14) -> str:
    words = [WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def _paragraph(seed: int, sentences: int = 4) -> str:
    return " ".join(_sentence(seed + i) for i in range(sentences))


def _code(seed: int) -> str:
    return (f"```python\ndef step_{seed}(values: list[float], rate: float = 0.{seed % 9 + 1}) -> list[float]:\n"
            f"    \"\"\"One update of module {seed}.\"\"\"\n"
            "    total = sum(values)\n"
            "    return [v - rate * v / (total or 1) for v in values]\n\n\n"
            f"print(step_{seed}([1.0, 2.0, 3.0]))\n```\n")


def _table(seed: int) -> str:
    rows = "\n".join(f"| {WORDS[(seed + r) % len(WORDS)]} | {seed * r % 97} | {_sentence(seed + r, 5)} |"
                     for r in range(4))
    return f"| Term | Value | Meaning |\n|---|---:|---|\n{rows}\n"


def _card(number: int, index: int, slug_of: dict[int, str], total: int, course: int) -> str:
    seed = number * 4 + index
    body = [f"## {CARD_TITLES[index]}\n", _paragraph(seed), ""]
    if index == 0:
        body += [f"- {_sentence(seed + 1, 6)}", f"- {_sentence(seed + 2, 7)}", f"- {_sentence(seed + 3, 5)}", ""]
    elif index == 1:
        body += [_code(seed + 1000 * course), _paragraph(seed + 5, 2), ""]  # no two code blocks alike
    elif index == 2:
        body += [_table(seed), "1. " + _sentence(seed + 4, 6), "2. " + _sentence(seed + 6, 6), ""]
    else:
        links = []
        if number > 1:
            links.append(f"[the previous module]({slug_of[number - 1]}.md#how-it-works)")
        if number < total:
            links.append(f"[the next module]({slug_of[number + 1]}.md)")
        links.append("[this card's example](#a-worked-example)")
        body += [_paragraph(seed + 7, 2) + " See " + ", ".join(links) + ".", ""]
    return "\n".join(body)


REPEATED = "\n## Exercises\n\nTry it.\n\n## Summary\n\nIn short.\n"


def module_text(number: int, slug_of: dict[int, str], total: int, course: int = 0,
                repeat_titles: bool = False) -> str:
    """The Markdown of one synthetic module (front matter and four cards); `course` (its course's index)
    makes its code block differ from the same module's in other courses, so no cache of highlighted code
    gets the same block twice in one build."""
    front = (f"---\ntitle: Module {number} on {WORDS[number % len(WORDS)]}s\n"
             f"summary: {_sentence(number, 12)}\n"
             f"goals:\n  - {_sentence(number + 1, 8)}\n  - {_sentence(number + 2, 9)}\n---\n")
    intro = _paragraph(number * 3, 2) + f"\n\n::: reveal {{goals=1,2}} {_sentence(number + 3, 7)[:-1]}?\n" \
        f"{_sentence(number + 4, 9)}\n:::\n\n"  # a module's goals are checked, as authors are asked to
    repeats = 2 * REPEATED if repeat_titles and number % 5 == 0 else ""
    return front + intro + "\n".join(_card(number, i, slug_of, total, course) for i in range(4)) + repeats


def make_course(root: Path, modules: int, per_course: int = MODULES_PER_COURSE, repeat_titles: bool = False) -> Path:
    """Write a coursegen project with `modules` modules split into courses of `per_course`; return root."""
    root = Path(root)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    courses = [f"course-{c + 1:03d}" for c in range((modules + per_course - 1) // per_course)]
    (content / "site.yaml").write_text(
        "title: Benchmark Academy\ndescription: A synthetic site for measuring build speed.\n"
        "courses:\n" + "".join(f"  - {c}\n" for c in courses), encoding="utf-8")
    for c, course in enumerate(courses):
        folder = content / course
        folder.mkdir()
        count = min(per_course, modules - c * per_course)
        (folder / "course.yaml").write_text(
            f"title: Course {c + 1}\ntagline: Synthetic course number {c + 1}.\n"
            f"description: {_paragraph(c, 2)}\n", encoding="utf-8")
        slug_of = {n: f"{n:03d}-topic-{n}" for n in range(1, count + 1)}
        for n in range(1, count + 1):
            (folder / f"{slug_of[n]}.md").write_text(module_text(n, slug_of, count, c, repeat_titles), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--per-course", type=int, default=MODULES_PER_COURSE)
    parser.add_argument("--repeat-titles", action="store_true")
    args = parser.parse_args()
    make_course(args.out, args.modules, args.per_course, args.repeat_titles)


if __name__ == "__main__":
    main()
