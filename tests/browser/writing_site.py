"""A probe course that uses every writing feature (math, callouts, tabs, code tools, media, theme settings):
the fixture of the writing browser tests and of the writing pages' HTML checks."""
from __future__ import annotations

from pathlib import Path

from helpers import CHECK_GOAL_1

from coursegen import BuildOptions, build

SITE = """\
title: Probe Academy
description: A probe of every writing feature.
courses: [probe]
theme:
  accent: {light: "#0f766e", dark: "#5eead4"}
  logo: logo.svg
edit_url: https://example.org/probe/edit/main/
"""

LOGO = ("<svg xmlns='http://www.w3.org/2000/svg' width='48' height='48' viewBox='0 0 48 48'>"
        "<circle cx='24' cy='24' r='20' fill='#0f766e'/></svg>\n")

COURSE = """\
title: Writing Probe
tagline: Every writing feature on a few pages.
description: Math, callouts, tabs, code and media.
"""

FEATURES = """\
---
title: Features
summary: Every writing feature once.
goals:
  - Read a formula such as $E = mc^2$.
---
A module with $a^2 + b^2 = c^2$ inline and \\(\\frac{1}{2}\\) too.

## Math

$$
L(N) = \\left(\\frac{N_c}{N}\\right)^{\\alpha_N}
$$

\\[
\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\quad \\text{and a long tail}\\; x_1 + x_2 + x_3 + x_4 + x_5 + x_6 + x_7 + x_8 + x_9
\\]

## Callouts

::: note
A note with $x$.
:::

::: tip Shortcut
A tip with a title.
:::

> [!IMPORTANT]
> An important alert.

> [!WARNING]
> A warning alert.

::: caution- Hidden hint
A folded caution.
:::

## Tabs

:::: tabs
::: tab Linux
Install with `apt install tool`.
:::
::: tab macOS
Install with `brew install tool`.
:::
::: tab Windows
Install with `winget install tool`.
:::
::::

Later the same labels again:

=== "Linux"

    Run `tool --linux`.

=== "macOS"

    Run `tool --mac`.

=== "Windows"

    Run `tool --win`.

## Code

```python title="app.py" linenums="1" hl_lines="2 3"
import sys
total = sum(int(arg) for arg in sys.argv[1:])
print(f"The total of every number given on the command line, printed on one very long line: {total}")
```

```sqll
SELECT 1;
```

""" + CHECK_GOAL_1

MORE = """\
---
title: More
summary: The same tabs on another page.
goals:
  - Keep the picked tab.
---
## Again

:::: tabs
::: tab macOS
Mac again.
:::
::: tab Linux
Linux again.
:::
::::

""" + CHECK_GOAL_1


UNKNOWN_LANGUAGE_LINE = FEATURES.split("\n").index("```sqll") + 1


MEDIA = """\
---
title: Media
summary: Embeds and images for one colour scheme.
goals:
  - Watch a video on a phone.
---
## Video

<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/probe" title="A probe video"
allowfullscreen></iframe>

<video width="640" height="360" controls aria-label="A probe clip"></video>

## Diagrams

![A diagram drawn for light pages](diagram-light.svg#only-light)
![A diagram drawn for dark pages](diagram-dark.svg#only-dark)

""" + CHECK_GOAL_1

SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'><text x='10' y='50'>{}</text></svg>\n"


def write_writing_site(root: Path) -> Path:
    files = {"content/site.yaml": SITE, "content/probe/course.yaml": COURSE,
             "content/probe/01-features.md": FEATURES, "content/probe/02-more.md": MORE,
             "content/probe/03-media.md": MEDIA, "content/probe/diagram-light.svg": SVG.format("light"),
             "content/probe/diagram-dark.svg": SVG.format("dark"), "content/logo.svg": LOGO}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_writing_site(root: Path, out: Path) -> Path:
    report = build(write_writing_site(root), BuildOptions(out=out))
    # the probe's cards are all blocks (so their previews are empty), and it is built under a path (no base_url)
    problems = [d.format() for d in report.diagnostics if d.path != "content/site.yaml"
                and "has an empty preview" not in d.message]
    assert report.ok and problems == [(f"content/probe/01-features.md:{UNKNOWN_LANGUAGE_LINE}: warning: unknown "
                                       "language 'sqll' in a code block; did you mean 'sql'?")], problems
    return out
