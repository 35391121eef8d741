"""scope_ids: the print page's ids and the references to them get the module's prefix, only where an
attribute name starts a word (as the \\b of a regular expression would say)."""
from __future__ import annotations

import pytest

from coursegen.printpage import scope_ids


@pytest.mark.parametrize(("html", "scoped"), [
    ('<h2 id="a">', '<h2 id="m--a">'),
    ('<a href="#a">x</a> <a href="/y/#b">', '<a href="#m--a">x</a> <a href="/y/#b">'),
    ('<a href="#a"href="#b">', '<a href="#m--a"href="#m--b">'),
    ('<p aria-labelledby="a b" aria-controls="c">', '<p aria-labelledby="m--a m--b" aria-controls="m--c">'),
    ('<label for="x"><input name="x" id="x">', '<label for="m--x"><input name="m--x" id="m--x">'),
    ('<p data-id="a" data-for="b">', '<p data-id="m--a" data-for="m--b">'),  # "-" ends a word
    ('<p xid="a" _id="b" éid="c" xhref="#d">', '<p xid="a" _id="b" éid="c" xhref="#d">'),  # not a word start
    ('xhref="#a href="#b"', 'xhref="#a href="#m--b"'),  # a skipped match does not hide the next
    ('id="x href="#y"', 'id="m--x m--href="#m--y"'),  # ids first, then the links
    ('<p>no ids here</p>', '<p>no ids here</p>'),
    # at the very start of the HTML (no character before the name, as \b allows)
    ('href="#a">x', 'href="#m--a">x'),
    ('id="a"><a href="#a">', 'id="m--a"><a href="#m--a">'),
    ('aria-controls="p q"', 'aria-controls="m--p m--q"'),
    # inside attribute values: a name that starts a word there is scoped too, one glued to a word is not
    ("<a title='see href=\"#a\"' href=\"#b\">", "<a title='see href=\"#m--a\"' href=\"#m--b\">"),
    ("<p data-x='id=\"a\"'>", "<p data-x='id=\"m--a\"'>"),
    ('<a title="xhref=" href="#b">', '<a title="xhref=" href="#m--b">'),
    ('<a éhref="#a" 日id="b" _for="c">', '<a éhref="#a" 日id="b" _for="c">'),  # Unicode word characters
    ('<a title="id=&quot;a&quot;" href="#">', '<a title="id=&quot;a&quot;" href="#m--">'),  # escaped: no match
    ('<p id="">', '<p id="">'),  # an empty id stays empty
])
def test_scope_ids_prefixes_ids_and_local_links(html: str, scoped: str) -> None:
    assert scope_ids(html, "m") == scoped
