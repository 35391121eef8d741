"""Code fences: the cached lexer lookup still honours aliases, letter case and unknown languages; Pygments is
imported only for code not highlighted before."""
from __future__ import annotations

from coursegen.codeblocks import highlight_code
from coursegen.markdown import make_markdown

CODE = 'def f(x):\n    return "<b>" + x\n'


def _body(html: str) -> str:
    return html.split(">", 2)[2].rsplit("</code>", 1)[0]


def test_python_aliases_and_letter_case_highlight_the_same_way():
    bodies = {lang: _body(highlight_code(CODE, lang)) for lang in ("python", "py", "Python3", "python", "py")}
    assert '<span class="k">def</span>' in bodies["python"]
    assert bodies["py"] == bodies["python"] == bodies["Python3"]
    assert highlight_code(CODE, "Python3").startswith('<pre class="highlight"><code class="language-Python3">')


def test_unknown_language_is_escaped_plain_code_every_time():
    for _ in range(2):
        html = highlight_code(CODE, "no-such-language")
        assert html == ('<pre class="highlight"><code class="language-no-such-language">'
                        'def f(x):\n    return &quot;&lt;b&gt;&quot; + x\n</code></pre>\n')


def test_each_fence_gets_its_own_language_after_earlier_fences():
    md = make_markdown()
    text = "```js\nlet a = 1;\n```\n\n```python\nimport os\n```\n\n```js\nlet b = 2;\n```\n\n```nope\nx\n```\n"
    html = md.render(text, {})
    assert html.count('class="language-js"') == 2 and 'class="language-python"' in html
    assert '<span class="kn">import</span>' in html and '<span class="kd">let</span>' in html
    assert '<code class="language-nope">x\n</code>' in html
