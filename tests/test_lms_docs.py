"""docs/lms.md's commands run as written, on a copy of the flagship project."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO

DOC = (REPO / "docs/lms.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", DOC, flags=re.DOTALL)


def run(script: str, cwd: Path, tmp: Path) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(tmp)}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_export_commands_write_the_packages_they_name(tmp_path):
    project = tmp_path / "project"
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, project / folder)
    usage = BLOCKS[0]
    done = run(usage, project, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (project / "export/how-llms-work-scorm12.zip").is_file()
    assert (project / "dist/how-llms-work-scorm2004.zip").is_file()
    assert (project / "export/how-llms-work-imscc.zip").is_file()


def test_the_local_testing_recipe_sets_up_a_playable_lms(tmp_path):
    project = tmp_path / "project"
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, project / folder)
    recipe = next(b for b in BLOCKS if "http.server" in b).replace("/tmp/lms", str(tmp_path / "lms"))
    lines = [line for line in recipe.splitlines() if not line.startswith(("npm install", "python3 -m http.server"))]
    done = run("\n".join(lines), project, tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "lms/site"
    assert (site / "pkg/scorm.html").is_file() and (site / "pkg/imsmanifest.xml").is_file()
    assert 'src="pkg/scorm.html"' in (site / "lms.html").read_text()
