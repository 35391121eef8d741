"""The wheel works on its own: theme and starter ship as package data."""
from __future__ import annotations

import subprocess
import sys

from helpers import package_source


def test_installed_wheel_runs_new_and_build_outside_the_repo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(package_source(tmp_path / "source"))],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("coursegen-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin/pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert pip.returncode == 0, pip.stderr
    coursegen = str(venv / "bin/coursegen")
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert subprocess.run([coursegen, "new", "mysite"], cwd=work, timeout=60, check=False).returncode == 0
    built = subprocess.run([coursegen, "build", "mysite"], cwd=work, capture_output=True, text=True, timeout=120,
                           check=False)
    assert built.returncode == 0, built.stderr
    index = (work / "mysite/build/index.html").read_text()
    assert "My Course Site" in index
    css = list((work / "mysite/build/static").glob("coursegen.*.css"))
    assert css and css[0].stat().st_size > 1000  # the theme came from the wheel, not the repo
