"""A site of one course in three languages: English (the original), its French translation (module 1 only,
matched by its front matter's `translation_of`, its file name in French) and its Arabic translation (both
modules, matched by file name). Each page holds the made-up word 'Tokenopolis', so a search for it shows
whether the search box keeps to its page's language."""
from __future__ import annotations

from helpers import CourseProject

SITE = ("title: Polyglot Academy\ndescription: One course in three languages.\nbase_url: {base}\n"
        "courses: [intro, intro-fr, arabi]\n")
MODULE = "---\ntitle: {title}\nsummary: {title}.\ngoals:\n  - {title}.\n{extra}---\n## {title}\n\n{body}\n"
BODIES = {
    "en": "A tokenizer cuts text into pieces called tokens; in Tokenopolis every word is a token.",
    "fr": "Un découpeur coupe le texte en morceaux appelés jetons ; à Tokenopolis chaque mot est un jeton.",
    "ar": "يقطع المجزئ النص إلى أجزاء تسمى الرموز؛ في Tokenopolis كل كلمة رمز. الفيلة نادرا ما تكون رمزا واحدا.",
}


def polyglot(project: CourseProject, base: str = "https://example.org/learn/", fr_extra: str = "translation_of: intro\n",
             module_extra: str = "translation_of: 01-what-is-a-token.md\n") -> CourseProject:
    """Write the site into `project` (the French course's and module's `translation_of` lines replaceable)."""
    return (project.write("content/site.yaml", SITE.format(base=base))
            .write("content/intro/course.yaml", "title: Tokens Explained\ntagline: How a model reads.\n"
                                                "description: Tokens.\n")
            .write("content/intro/01-what-is-a-token.md",
                   MODULE.format(title="What is a token", extra="", body=BODIES["en"]))
            .write("content/intro/02-counting.md", MODULE.format(title="Counting tokens", extra="", body="Count them."))
            .write("content/intro-fr/course.yaml", "title: Les jetons\ntagline: Comment un modèle lit.\n"
                                                   f"description: Jetons.\nlanguage: fr\n{fr_extra}")
            .write("content/intro-fr/01-quest-ce-qu-un-jeton.md",
                   MODULE.format(title="Un jeton", extra=module_extra, body=BODIES["fr"]))
            .write("content/arabi/course.yaml", "title: شرح الرموز\ntagline: كيف يقرأ النموذج.\ndescription: الرموز.\n"
                                                "language: ar\ntranslation_of: intro\n")
            .write("content/arabi/01-what-is-a-token.md", MODULE.format(title="ما هو الرمز", extra="", body=BODIES["ar"]))
            .write("content/arabi/02-counting.md", MODULE.format(title="عد الرموز", extra="", body="عد الرموز.")))
