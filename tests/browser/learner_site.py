"""A small course site that uses every learner feature: the fixture of the browser tests."""
from __future__ import annotations

from pathlib import Path

from coursegen import BuildOptions, build

SITE = """\
title: Physics Academy
description: Short courses on how the world moves.
courses: [mechanics, optics]
"""

MECHANICS = """\
title: Mechanics
tagline: Motion, forces and energy in three short modules.
description: Everything that moves, from *apples* to planets.
why: Because every engineer needs it.
level: beginner
next: [optics]
"""

OPTICS = """\
title: Optics
tagline: Light, lenses and colour.
description: Coming next.
status: planned
"""

MOTION = """\
---
title: Motion
summary: Describe how things move with speed and velocity.
goals:
  - Tell speed from velocity.
  - Predict where a moving object will be.
---
Welcome to the first module.

## Speed and Velocity

Speed is how fast; velocity is how fast **and** in which direction.

::: note
Velocity has a direction.
:::

::: tip Remember this
Speed never goes below zero.
:::

::: warning
Do not mix up units.
:::

::: reveal A car drives a full lap of a round track. What is its average velocity?
Zero: it ends where it started, so its displacement is zero.
:::

## Forces

A force changes motion.

```quiz
question: Which quantity has a direction?
options:
  - text: Speed
    feedback: Speed is only a size.
  - text: Velocity
    correct: true
    feedback: Velocity is speed with a direction.
```

```quiz
question: Which of these are forces?
options:
  - text: Gravity
    correct: true
    feedback: Gravity pulls masses together.
  - text: Friction
    correct: true
    feedback: Friction resists sliding.
  - text: Temperature
    feedback: Temperature is not a force.
```

## Counting Collisions

```widget counter
start: 3
label: Collisions
fallback: |
  Each collision adds one to the count.
```

Long text so that the page scrolls. """ + "Objects keep moving unless a force acts. " * 60 + """

## Momentum

Momentum is mass times velocity. """ + "It is conserved in collisions. " * 60 + "\n"

ENERGY = """\
---
title: Energy
summary: Kinetic and potential energy, and why the total stays the same.
goals:
  - Compute kinetic energy.
---
## Kinetic Energy

A moving mass carries energy. The rare word quasiperiodic lives only on this card.

## Potential Energy

Height stores energy.
"""

WAVES = """\
---
title: Waves
summary: Oscillations that travel.
goals:
  - Describe a wave.
---
## What a Wave Is

A wave carries energy without carrying matter.
"""

COUNTER_WIDGET = """\
export default function mount(element, options) {
  let count = Number(options.start ?? 0);
  const output = document.createElement("p");
  output.setAttribute("aria-live", "polite");
  output.className = "w-counter-output";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Add one";
  const show = () => { output.textContent = `${options.label}: ${count}`; };
  button.addEventListener("click", () => { count += 1; show(); });
  show();
  element.replaceChildren(output, button);
}
"""

FILES = {
    "content/site.yaml": SITE,
    "content/mechanics/course.yaml": MECHANICS,
    "content/optics/course.yaml": OPTICS,
    "content/mechanics/01-motion.md": MOTION,
    "content/mechanics/02-energy.md": ENERGY,
    "content/mechanics/03-waves.md": WAVES,
    "static/widgets/counter.js": COUNTER_WIDGET,
}

# Every page type: (name, path under the base URL)
PAGES = [
    ("home", ""),
    ("course", "mechanics/"),
    ("module", "mechanics/motion/"),
    ("print", "mechanics/print/"),
    ("404", "404.html"),
]


def write_learner_site(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build_learner_site(root: Path, out: Path, base_url: str | None = None) -> Path:
    report = build(write_learner_site(root), BuildOptions(out=out, base_url=base_url))
    assert report.ok, [d.format() for d in report.diagnostics]
    return out
