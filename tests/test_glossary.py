"""The course glossary (SPEC 4.6): glossary.yaml's errors and warnings, first-use links with tooltips in each
module, the glossary page with back-links, the print page, the sitemap, and a glossary edit under serve."""
from __future__ import annotations

import pytest
from helpers import CHECK_GOAL_1, COURSE_YAML, CourseProject
from servehelp import Server, edit, page_with, sandbox, until

SITE = "title: Test Academy\ndescription: Courses for testing.\ncourses: [demo]\n"

GLOSSARY = """\
token:
  definition: A chunk of text the model reads as one unit; see [the second module](02-two.md).
  aliases: [tokens]
  see: [embedding]
embedding: A list of numbers that stands for a *token*.
Zebra crossing: A striped place to cross the road.
Äpfel: Apples, in German.
apple: A fruit.
éclair: A pastry.
eagle: A bird.
"""

ONE = """\
---
title: One
summary: The first module.
goals:
  - Say what a token is.
---
Intro mentions nothing special.

## Code First

The code `token` and [a token link](https://example.org/token) and $token$ come before the text.

```python
token = 1
```

```quiz
question: Is a token a word?
goals: [1]
options:
  - text: Sometimes a token is a word
    correct: true
  - text: Never
```

Now Tokens in prose, then token again, and an apple.

### A token heading

An embedding, an Eagle, an éclair and Äpfel. A tokenizer is not a token match: tokenization.

## Second Card

The token here is not linked again, but this card uses it. Eagles are not an eagle match... but this eagle is.
"""

TWO = """\
---
title: Two
summary: The second module.
goals:
  - Use a token.
---
## Later

Each module links its own first token. A zebra crossing too, across
a line: zebra
crossing.

""" + CHECK_GOAL_1


def project(tmp_path, glossary: str = GLOSSARY, one: str = ONE) -> CourseProject:
    course = COURSE_YAML.replace("next:\n  - later\n", "")
    return (CourseProject(tmp_path).write("content/site.yaml", SITE).write("content/demo/course.yaml", course)
            .write("content/demo/01-one.md", one).write("content/demo/02-two.md", TWO)
            .write("content/demo/glossary.yaml", glossary))


def messages(report) -> list[str]:
    return [d.format() for d in report.diagnostics if "base_url" not in d.message]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    demo = project(tmp_path_factory.mktemp("glossary"))
    report = demo.build()
    assert report.ok, messages(report)
    assert messages(report) == [], messages(report)
    return demo


def test_the_first_use_in_each_module_links_to_its_entry_with_a_tooltip(built):
    page = built.html("demo/one/index.html")
    links = page.select("a.cg-term")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Tokens", "/demo/glossary/#token"), ("apple", "/demo/glossary/#apple"),
        ("embedding", "/demo/glossary/#embedding"), ("Eagle", "/demo/glossary/#eagle"),
        ("éclair", "/demo/glossary/#éclair"), ("Äpfel", "/demo/glossary/#äpfel")]
    tip = page.find(id=links[0]["aria-describedby"])
    assert tip["role"] == "tooltip" and tip.has_attr("data-pagefind-ignore")
    assert tip.get_text() == "A chunk of text the model reads as one unit; see the second module."
    assert tip.find("a") is None  # a tooltip holds no link
    assert page.find(id=links[2]["aria-describedby"]).find("em").get_text() == "token"
    assert page.find("script", src=lambda s: s and "/terms." in s)
    two = built.html("demo/two/index.html")
    assert [a.get_text(" ", strip=True) for a in two.select("a.cg-term")] == ["token", "zebra crossing"]


def test_no_term_is_linked_inside_code_links_headings_math_or_quizzes(built):
    page = built.html("demo/one/index.html")
    for selector in ("code", "pre", "h2", "h3", "math", "form", "a:not(.cg-term)"):
        for element in page.select(f".cg-module-content {selector}"):
            assert not element.select("a.cg-term"), element
    first = page.select_one("a.cg-term")
    assert "Now" in first.find_parent("p").get_text()  # the earlier uses in code, link, math and quiz are passed


def test_the_glossary_page_lists_terms_alphabetically_with_see_also_and_back_links(built):
    page = built.html("demo/glossary/index.html")
    assert [dt.find("dfn").get_text() for dt in page.select(".cg-glossary dt")] == [
        "Äpfel", "apple", "eagle", "éclair", "embedding", "token", "Zebra crossing"]  # not code point order
    token = page.find(id="token")
    assert token.select_one(".cg-glossary-aliases").get_text() == "tokens"
    assert [a["href"] for a in token.select(".cg-glossary-see a")] == ["#embedding"]
    assert token.select_one("dd a")["href"] == "/demo/two/"  # the definition's relative link, resolved
    uses = [a["href"] for a in token.select(".cg-glossary-uses a")]
    assert uses == ["/demo/one/#code-first", "/demo/one/#second-card", "/demo/two/#later"]
    assert [a["href"] for a in page.find(id="eagle").select(".cg-glossary-uses a")] == [
        "/demo/one/#code-first", "/demo/one/#second-card"]
    assert page.find("main").has_attr("data-pagefind-body")
    assert page.find("meta", attrs={"name": "robots"}) is None


def test_the_glossary_is_linked_from_the_course_in_the_sitemap_and_in_the_print_page(built):
    course = built.html("demo/index.html")
    assert course.find("a", href="/demo/glossary/")
    assert "/demo/glossary/</loc>" in (built.out / "sitemap.xml").read_text()
    printed = built.html("demo/print/index.html")
    section = printed.find(id="glossary")
    assert section.find(id="glossary--token") and section.select_one(".cg-glossary-see a")["href"] == "#glossary--embedding"
    ids = [tag["id"] for tag in printed.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for link in printed.select("a.cg-term"):
        assert printed.find(id=link["aria-describedby"])
    assert not (built.out / "demo/glossary.yaml").exists()  # read, not published as a file


@pytest.mark.parametrize("glossary, expected", [
    ("token: one\ntoken: two\n", "glossary.yaml:2: error: the term 'token' is defined twice (first at line 1)"),
    ("token: one\nToken: two\n", "glossary.yaml:2: error: the term 'Token' is defined twice: 'token' (line 1)"),
    ("token: {definition: one, aliases: [piece]}\nword: {definition: two, aliases: [piece]}\n",
     "glossary.yaml:2: error: the alias 'piece' of 'word' is already an alias of the term 'token' (line 1)"),
    ("token: {definition: one, aliases: [word]}\nword: two\n",
     "glossary.yaml:1: error: the alias 'word' of 'token' is already a term 'word' (line 2)"),
    ("token:\n  definition: one\n  see: [tokn]\ntokn2: x\n",
     "glossary.yaml:3: error: 'see' of 'token' names 'tokn', which is not a term here; did you mean 'tokn2'?"),
    ("token:\n  definiton: one\n", ("glossary.yaml:2: error: unknown key 'definiton' in the term 'token'; did you mean "
     "'definition'?")),
    ("token:\n  aliases: [tokens]\n", "glossary.yaml:1: error: the term 'token' needs a 'definition'"),
    ("- token\n", "glossary.yaml:1: error: glossary.yaml maps each term to its definition"),
    ("token: [one, two]\n", "glossary.yaml:1: error: the term 'token' needs a definition"),
    ("token: one\n  bad: indent\n", "glossary.yaml:2: error:"),
    ("token: see [gone](03-gone.md)\n", "glossary.yaml:1: error: link to '03-gone.md': no such module"),
])
def test_glossary_problems_are_errors_at_their_line(tmp_path, glossary, expected):
    report = project(tmp_path, glossary).check()
    assert not report.ok
    assert any(m.startswith("content/demo/" + expected.split(" error:")[0]) and expected.split(": ", 1)[1] in m
               for m in messages(report)), messages(report)


def test_an_unused_term_is_a_warning_at_its_line(tmp_path):
    report = project(tmp_path, GLOSSARY + "perceptron: An early neural network.\n").check()
    assert report.ok
    assert messages(report) == [
        ("content/demo/glossary.yaml:11: warning: the term 'perceptron' is used in no module of this course (looked "
        "for 'perceptron' as whole words, ignoring case, outside code, links and headings); add the form the cards "
        "use to its 'aliases', or remove the term")]
    assert not project(tmp_path, GLOSSARY + "perceptron: x\n").check(strict=True).ok


def test_terms_in_unspaced_scripts_match_inside_a_sentence(tmp_path):
    one = ONE.replace("Now Tokens in prose", "模型的注意力机制 and Tokens in prose")
    demo = project(tmp_path, GLOSSARY + "注意力: 模型决定关注哪些词的步骤。\n", one)
    assert demo.build().ok
    assert "注意力" in [a.get_text() for a in demo.html("demo/one/index.html").select("a.cg-term")]


def test_a_course_without_glossary_has_no_glossary_page(tmp_path):
    demo = project(tmp_path)
    (demo.root / "content/demo/glossary.yaml").unlink()
    assert demo.build().ok
    assert not (demo.out / "demo/glossary").exists()
    assert not demo.html("demo/one/index.html").select("a.cg-term, .cg-term-tip")
    assert not demo.html("demo/index.html").find("a", href="/demo/glossary/")


def test_a_glossary_edit_reaches_every_page_that_uses_the_term_in_a_cached_build(tmp_path):
    demo = project(tmp_path)
    assert demo.build().ok
    edit(demo.root, "content/demo/glossary.yaml", "A chunk of text", "A piece of text")
    assert demo.build().ok
    for page in ("demo/one/index.html", "demo/two/index.html", "demo/print/index.html", "demo/glossary/index.html"):
        text = (demo.out / page).read_text()
        assert "A piece of text" in text and "A chunk of text" not in text, page


def test_serve_updates_every_page_that_uses_a_term_when_the_glossary_changes(tmp_path):
    demo = project(tmp_path)
    server = Server(demo.root, sandbox(tmp_path))
    try:
        assert "A chunk of text" in page_with(server.url + "demo/two/", "cg-term-tip")
        edit(demo.root, "content/demo/glossary.yaml", "A chunk of text", "A served piece of text")
        for path in ("demo/one/", "demo/two/", "demo/glossary/", "demo/print/"):
            until(f"{path} shows the new definition", lambda p=path: page_with(server.url + p, "A served piece"))
        edit(demo.root, "content/demo/glossary.yaml", "apple: A fruit.\n", "")
        until("the removed term is no longer linked",
              lambda: "#apple" not in (page_with(server.url + "demo/one/", "cg-term") or "#apple"))
    finally:
        server.stop()
