"""An output folder the file system will not fill (review F13: `A3-disk-full-output`, `A3-readonly-output-fs`,
permissions): one line that names the output folder and the way out, exit 2, the previous site byte for
byte, nothing left beside it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CourseProject, tree

ROOT = os.geteuid() == 0 and shutil.which("mount") is not None


def _mount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", *options, str(folder)], check=True, capture_output=True)


@pytest.fixture
def parent(tmp_path: Path) -> Iterator[Path]:
    """The folder that holds the output folder; unmounted (and made writable) afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    yield folder
    if ROOT:  # os.path.ismount misses a bind mount of a folder onto itself
        subprocess.run(["umount", str(folder)], check=False, capture_output=True)
    subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)
    folder.chmod(0o700)


def one_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def left_beside(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != "site")


@pytest.mark.skipif(not ROOT, reason="a small tmpfs needs root (mount)")
def test_a_full_disk_names_the_output_folder_and_keeps_the_previous_site(demo: CourseProject, parent: Path) -> None:
    images = demo.root / "content/demo/images"
    images.mkdir()
    (images / "big.bin").write_bytes(os.urandom(800_000))
    _mount(parent, "-t", "tmpfs", "-o", "size=1700k", "tmpfs")
    out = parent / "site"
    assert demo.cli("build", "-q", "--out", str(out)).returncode == 0
    before = tree(out)
    (images / "big.bin").write_bytes(os.urandom(800_000))  # the old and the new site do not fit side by side
    (images / "big2.bin").write_bytes(os.urandom(300_000))
    line = one_error(demo.cli("build", "-q", "--out", str(out)))
    pattern = (rf"coursegen: error: no space left on the device of '{re.escape(str(out))}/' while writing the site "
               r"\(needs about (\d+\.\d) MB more; the previous site is unchanged\)")
    found = re.fullmatch(pattern, line)
    assert found, line
    assert 0.3 <= float(found[1]) <= 2.0  # the new site is about 1.5 MB; about 0.5 MB was free
    assert tree(out) == before
    assert left_beside(parent) == []
    shutil.rmtree(images)  # room made: the next build succeeds
    assert demo.cli("build", "-q", "--out", str(out)).returncode == 0
    assert left_beside(parent) == []


@pytest.mark.skipif(not ROOT, reason="a read-only file system needs root (mount)")
def test_a_read_only_output_file_system_is_one_line_naming_the_folder(demo: CourseProject, parent: Path) -> None:
    out = parent / "site"
    assert demo.cli("build", "-q", "--out", str(out)).returncode == 0
    before = tree(out)
    demo.write("content/demo/02-second.md", (demo.root / "content/demo/02-second.md").read_text() + "\nMore.\n")
    _mount(parent, "--bind", str(parent))
    _mount(parent, "-o", "remount,bind,ro")
    line = one_error(demo.cli("build", "-q", "--out", str(out)))
    assert line == (f"coursegen: error: the file system of '{out}/' is read-only; the previous site is unchanged "
                    "(make it writable, or build into another folder with --out)")
    assert tree(out) == before


def test_an_output_folder_without_permission_is_one_line_naming_the_folder(demo: CourseProject,
                                                                             parent: Path) -> None:
    out = parent / "site"
    if os.geteuid() == 0:  # root writes through permissions, not through an immutable folder
        if subprocess.run(["chattr", "+i", str(parent)], capture_output=True, check=False).returncode:
            pytest.skip("root, and the file system has no immutable flag")
    else:
        parent.chmod(0o500)
    line = one_error(demo.cli("build", "-q", "--out", str(out)))
    assert line.startswith(f"coursegen: error: no permission to write the site into '{out}/' or beside it ("), line
    assert line.endswith("); nothing was written (give yourself write permission there, or build into another "
                         "folder with --out)"), line
