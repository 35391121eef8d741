"""Code fences: the cached lexer lookup still honours aliases, letter case and unknown languages; Pygments is
imported only for code not highlighted before."""
from __future__ import annotations

import subprocess
import sys

from helpers import CourseProject

from coursegen.markdown import highlight_code, make_markdown

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


BUILD_AND_TELL = """\
import sys
from coursegen.cli import main
code = main(["build", "-q", sys.argv[1]])
print("pygments imported" if "pygments" in sys.modules else "pygments not imported", code)
"""


def test_an_edit_outside_code_builds_without_pygments_and_a_code_edit_highlights(demo: CourseProject) -> None:
    """Highlighted code and the Pygments stylesheet come from the cache, so an edit that changes no code block
    never imports Pygments (as `coursegen build`, a fresh interpreter); a new block is highlighted."""
    def build() -> str:
        done = subprocess.run([sys.executable, "-c", BUILD_AND_TELL, str(demo.root)], capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    module = demo.root / "content/demo/02-second.md"
    module.write_text(module.read_text() + "\n```python\ndef first():\n    return 1\n```\n")
    assert build() == "pygments imported 0"
    css = next(demo.out.glob("static/pygments.*.css")).read_bytes()
    module.write_text(module.read_text().replace("Back to", "Back again to"))
    assert build() == "pygments not imported 0"
    assert "Back again to" in (demo.out / "demo/second/index.html").read_text()
    assert next(demo.out.glob("static/pygments.*.css")).read_bytes() == css
    module.write_text(module.read_text().replace("return 1", "return 2"))
    assert build() == "pygments imported 0"
    assert '<span class="mi">2</span>' in (demo.out / "demo/second/index.html").read_text()
