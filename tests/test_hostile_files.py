"""The file system as a careless user or an attacker leaves it (review F10, F12, F13, F17, F20, F23): loops,
unreadable files, leftovers and links give one-line errors or are left out, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import CHECK_GOAL_1, CourseProject


def build_cli(demo: CourseProject, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursegen", "build", str(demo.root), "--no-cache", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("target", [".", "..", "../.."])
def test_a_symlink_loop_in_content_is_an_error_not_a_crash(demo: CourseProject, target: str) -> None:
    (demo.root / "content/demo/images").mkdir(parents=True)
    (demo.root / "content/demo/images/loop").symlink_to(target)
    result = build_cli(demo)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/demo/images/loop:1: error: symbolic link points back to a folder "
                                    "that holds it, a loop; it is not followed")


def test_a_link_into_the_projects_git_folder_is_not_followed(demo: CourseProject) -> None:
    demo.write(".git/config", "[core]\n\tsecret = 1\n")
    (demo.root / "content/demo/repo").symlink_to(demo.root / ".git")
    result = build_cli(demo)
    assert result.returncode == 1
    assert result.stderr.startswith("content/demo/repo:1: error: symbolic link points into a hidden folder")
    assert not (demo.out / "demo/repo/config").exists()


@pytest.mark.parametrize("folder", ["static", "templates/partials"])
def test_static_and_template_files_linked_from_outside_the_project_are_refused(demo: CourseProject, tmp_path,
                                                                               folder: str) -> None:
    """F20: static/ and templates/ follow content/'s rule: a link out of the project is an error, never published
    or rendered; a file linked from inside the project still works."""
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("TOP SECRET\n")
    name = "passwd.txt" if folder == "static" else "footer.html"
    (demo.root / folder).mkdir(parents=True, exist_ok=True)
    (demo.root / folder / name).symlink_to(secret)
    demo.write("shared/extra.css", "body { margin: 0; }\n")
    (demo.root / "static").mkdir(exist_ok=True)
    (demo.root / "static/extra.css").symlink_to(demo.root / "shared/extra.css")
    result = build_cli(demo)
    assert result.returncode == 1
    assert f"\n{folder}/{name}:1: error: symbolic link points outside the project; it is not followed" in result.stderr
    assert not demo.out.exists()
    (demo.root / folder / name).unlink()
    assert build_cli(demo).returncode == 0
    assert "TOP SECRET" not in "".join(p.read_text(errors="replace") for p in demo.out.rglob("*") if p.is_file())
    assert list((demo.out / "static").glob("extra.*.css"))  # the link inside the project is followed


def test_editor_leftovers_in_static_are_not_published(demo: CourseProject) -> None:
    for name in ("widgets/counter.js.orig", "#notes#", "site.css.bak", "site.css.swp"):
        demo.write(f"static/{name}", "leftover\n")
    demo.write("static/site.css", "body { margin: 0; }\n")
    assert build_cli(demo).returncode == 0
    published = {p.name for p in (demo.out / "static").rglob("*") if p.is_file()}
    assert any(n.startswith("site.") and n.endswith(".css") for n in published)
    assert not [n for n in published if "orig" in n or "#" in n or "bak" in n or "swp" in n], published


def test_asset_folders_thousands_deep_are_an_error_not_a_crash(demo: CourseProject) -> None:
    deep = demo.root / "content/demo/images"
    for _ in range(1200):  # not os.makedirs: it recurses once per level
        deep = deep / "a"
        deep.mkdir(parents=deep.parent.name == "images")
    (deep / "x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    try:
        result = build_cli(demo)
    finally:  # remove the tree level by level: pytest's own clean-up recurses and would overflow on it later
        (deep / "x.svg").unlink()
        while deep.name == "a":
            deep.rmdir()
            deep = deep.parent
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/demo/images/" + "a/" * 31 + "a:1: error: folders nest more than 32 "
                                    "levels deep here")


LEFTOVERS = ["#02-second.md#", "02-second.md.orig", "02-second.md.bak", "02-second.md.swp", ".#02-second.md",
             "02-second.md~", ".DS_Store", "Thumbs.db", "notes.rej"]


def test_editor_and_merge_leftovers_are_not_published(demo: CourseProject) -> None:
    for name in LEFTOVERS:
        demo.write(f"content/demo/{name}", "leftover\n")
    demo.write("content/demo/data.csv", "kept,1\n")
    assert demo.build(search=False).ok
    published = {p.name for p in (demo.out / "demo").iterdir()}
    assert "data.csv" in published
    assert not published & set(LEFTOVERS)


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv as root")
@pytest.mark.parametrize("what", ["content/demo/02-second.md", "content/demo", "content/site.yaml"])
def test_an_unreadable_input_is_a_one_line_error(what: str) -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # a place another user may enter
        os.chmod(folder, 0o777)
        demo = CourseProject(Path(folder) / "site").demo()
        for path in [demo.root, *demo.root.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        os.chmod(demo.root / what, 0)
        command = [sys.executable, "-m", "coursegen", "build", str(demo.root), "--no-cache"]
        if os.geteuid() == 0:  # root reads anything: drop to nobody
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                                cwd=folder, env={**os.environ, "HOME": folder})
        os.chmod(demo.root / what, 0o777)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{what}:1: error: cannot ")


def test_an_output_folder_that_cannot_be_made_is_a_one_line_error(demo: CourseProject) -> None:
    demo.write("a-file", "x")
    for out in (str(demo.root / "a-file/sub"), "/proc/coursegen-out"):
        result = build_cli(demo, "--out", out)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("coursegen: error: ") and len(result.stderr.strip().splitlines()) == 1


def test_new_into_a_place_that_cannot_hold_it_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for where in (tmp_path / "a-file/sub", Path("/proc/coursegen-new")):
        result = subprocess.run([sys.executable, "-m", "coursegen", "new", str(where)], capture_output=True,
                                text=True, timeout=60, check=False)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("coursegen: error: ")


def test_out_inside_a_symlinked_content_folder_is_refused(demo: CourseProject, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    (demo.root / "content").rename(sources)
    (demo.root / "content").symlink_to(sources)
    result = build_cli(demo, "--out", str(sources / "site"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("coursegen: error: output folder")
    assert not (sources / "site").exists()


def test_an_asset_named_like_a_page_is_an_error(demo: CourseProject) -> None:
    demo.write("content/demo/index.html", "<p>not the course page</p>\n")
    report = demo.build(search=False)
    expected = ("content/demo/index.html:1: error: this file would replace the page demo/index.html "
                "that coursegen makes; rename it or move it to another folder")
    assert [d.format() for d in report.errors] == [expected]


def test_an_asset_named_like_a_page_in_other_letter_case_is_an_error_too(demo: CourseProject) -> None:
    """F17 on macOS and Windows, whose file systems ignore case: 'Print/index.html' would be the print page."""
    demo.write("content/demo/Print/index.html", "<p>not the print page</p>\n")
    report = demo.build(search=False)
    assert [d.format() for d in report.errors] == [(
        "content/demo/Print/index.html:1: error: this file would replace the page demo/print/index.html that "
        "coursegen makes (on file systems that ignore case, as on macOS and Windows); rename it or move it to "
        "another folder")]


@pytest.mark.parametrize("name", ["bild ü.svg", "50%.svg", "a#b.svg", "что.svg", "q?.svg", "my pic.svg"])
def test_assets_with_spaces_and_non_ascii_names_can_be_linked(demo: CourseProject, name: str) -> None:
    """F18: the author links the file as Markdown wants it (percent-encoded, or in <...> with its spaces); the
    page's URL is the file's name percent-encoded, which is where the file is published."""
    from urllib.parse import quote
    demo.write(f"content/demo/images/{name}", "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='2'/>\n")
    written = f"<images/{name}>" if name == "my pic.svg" else f"<images/{quote(name)}>"
    demo.write("content/demo/03-x.md", "---\ntitle: T\nsummary: S\ngoals:\n  - G\n---\n## Card\n\n"
                                       f"![A picture]({written})\n\n{CHECK_GOAL_1}")
    report = demo.build(search=False)
    assert report.ok, report.diagnostics
    image = demo.html("demo/x/index.html").find("img", alt="A picture")
    assert image["src"] == f"/demo/images/{quote(name)}" and (image["width"], image["height"]) == ("4", "2")
    assert (demo.out / "demo/images" / name).is_file()


def test_files_only_a_draft_uses_stay_out_of_the_site_with_it(demo: CourseProject) -> None:
    """F20: a draft's own pictures are not public at guessable URLs; a file a published module uses is, and so
    is one no module links (a download the author links from elsewhere); --drafts publishes the draft's too."""
    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='2' height='2'/>\n"
    for name in ("images/secret plan.svg", "images/q?.svg", "images/shared.svg", "images/card.svg", "files/handout.pdf"):
        demo.write(f"content/demo/{name}", svg)
    demo.write("content/demo/03-draft.md", "---\ntitle: D\nsummary: S\ngoals:\n  - G\ndraft: true\ncards:\n"
               "  - title: Card\n    visual: images/card.svg\n    alt: A card\n---\n## Card\n\n"
               "![A plan](<images/secret plan.svg>) ![Q](images/q%3F.svg) ![Shared](images/shared.svg)\n\n"
               + CHECK_GOAL_1)
    first = demo.root / "content/demo/01-first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n![Shared](images/shared.svg)\n", encoding="utf-8")
    assert demo.build(search=False).ok
    published = {p.relative_to(demo.out).as_posix() for p in (demo.out / "demo").rglob("*.*") if p.is_file()}
    assert {"demo/images/shared.svg", "demo/files/handout.pdf"} <= published
    assert not {"demo/images/secret plan.svg", "demo/images/q?.svg", "demo/images/card.svg"} & published
    with_drafts = demo.build(search=False, drafts=True, out=demo.root / "drafts")
    assert with_drafts.ok and (demo.root / "drafts/demo/images/secret plan.svg").is_file()
    assert (demo.root / "drafts/demo/images/card.svg").is_file()
