"""A small course with quizzes for the LMS package tests, its title full of XML's special characters."""
from __future__ import annotations

from helpers import SITE_YAML, CourseProject

COURSE = """\
title: Q&A <Basics> "quoted"
tagline: Asking & answering.
description: A course with quizzes, for LMS packages.
mastery: 0.5
"""

ONE = """\
---
title: Questions
summary: How to ask.
goals:
  - Ask a clear question.
---
## Asking

Ask one thing at a time.

```quiz
question: How many things should one question ask?
options:
  - text: One
    correct: true
    feedback: Yes.
  - text: Three
    feedback: Too many.
```

## Listening

Listen to the answer.

```quiz
question: Which ones help you listen?
options:
  - text: Silence
    correct: true
  - text: Notes
    correct: true
  - text: Interrupting
```
"""

TWO = """\
---
title: Answers
summary: How to answer.
goals:
  - Answer briefly.
---
## Answering

Answer briefly, see [asking](01-questions.md#asking).

```quiz
question: How long should an answer be?
options:
  - text: As long as it needs, no longer
    correct: true
  - text: As long as possible
```
"""


def quiz_course(project: CourseProject) -> CourseProject:
    """The demo site with the course 'demo' replaced by two modules and three quizzes."""
    return (project.demo()
            .write("content/demo/course.yaml", COURSE)
            .remove("content/demo/01-first.md").remove("content/demo/02-second.md")
            .write("content/demo/01-questions.md", ONE)
            .write("content/demo/02-answers.md", TWO)
            .write("content/site.yaml", SITE_YAML))
