"""CSS and JavaScript are shipped minified (rcssmin, rjsmin) and named by the bytes shipped; the gain after gzip is
what justifies it, so the test measures it on the pages a learner loads."""
from __future__ import annotations

import gzip
import hashlib
import subprocess

from coursegen.templates import THEME


def _theme_files(project, page: str) -> list[tuple[str, str]]:
    """(shipped path, theme file) of the theme's CSS and JS a page links to."""
    doc = project.html(page)
    urls = [tag["href"] for tag in doc.select('link[rel="stylesheet"]')] + [tag["src"] for tag in doc.select("script[src]")]
    found = []
    for url in urls:
        stem, _digest, suffix = url.rsplit("/", 1)[1].rsplit(".", 2)
        if (THEME / "static" / f"{stem}.{suffix}").is_file():
            found.append((url.lstrip("/"), f"{stem}.{suffix}"))
    return found


def test_every_page_ships_at_least_a_kilobyte_less_after_gzip(demo):
    assert demo.build().ok
    for page in ("index.html", "demo/index.html", "demo/first/index.html"):
        saved = 0
        files = _theme_files(demo, page)
        assert {"coursegen.css", "coursegen.js"} <= {name for _, name in files}
        for shipped_path, name in files:
            shipped, original = (demo.out / shipped_path).read_bytes(), (THEME / "static" / name).read_bytes()
            assert len(shipped) < len(original), name
            saved += len(gzip.compress(original, 6)) - len(gzip.compress(shipped, 6))
        assert saved >= 1024, (page, saved)


def test_shipped_files_are_named_by_their_bytes_and_keep_no_comments(demo):
    assert demo.build().ok
    for path in (demo.out / "static").glob("coursegen.*"):
        digest = path.name.split(".")[1]
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:8] == digest
        text = path.read_text(encoding="utf-8")
        assert "\n  " not in text and "/* coursegen" not in text and "// coursegen theme" not in text


def test_minified_javascript_still_parses(demo, tmp_path):
    """Node (which scripts/test.sh needs for npm anyway) parses every shipped script; the browser tests run them."""
    assert demo.build().ok
    scripts = sorted((demo.out / "static").rglob("*.js"))
    assert scripts
    for script in scripts:
        copy = tmp_path / (script.stem + ".mjs")  # widgets are ES modules; the core script parses as one too
        copy.write_bytes(script.read_bytes())
        done = subprocess.run(["node", "--check", str(copy)], check=False, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (script.name, done.stderr)


def test_the_offline_service_worker_ships_minified_and_still_parses(demo, tmp_path):
    assert demo.build().ok
    worker = (demo.out / "sw.js").read_bytes()
    source = (THEME.parent / "publish/offline-sw.js").read_bytes()
    assert worker.startswith(b"self.CG = {") and len(worker) < 0.8 * len(source)
    assert b"\n  " not in worker and b"// " not in worker
    copy = tmp_path / "sw.js"
    copy.write_bytes(worker)
    done = subprocess.run(["node", "--check", str(copy)], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_an_authors_minified_or_non_utf8_file_is_shipped_as_it_is(demo):
    already = b"/* keep */\nvar a = 1;   var b = 2;\n"
    latin = "/* caf\xe9 */\nbody {  color: red; }\n".encode("latin-1")
    demo.write("static/vendor.min.js", already).write("static/legacy.css", latin)
    demo.write("static/extra.css", "/*! licence kept */\n/* gone */\nbody {\n  color: red;\n}\n")
    assert demo.build().ok
    assert next((demo.out / "static").glob("vendor.min.*.js")).read_bytes() == already
    assert next((demo.out / "static").glob("legacy.*.css")).read_bytes() == latin
    assert next((demo.out / "static").glob("extra.*.css")).read_text(encoding="utf-8") == \
        "/*! licence kept */body{color:red}"
