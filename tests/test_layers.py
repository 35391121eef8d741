"""The layout shows the architecture: the core pipeline never imports the optional worlds.

serve/, publish/ and speed/ are wired in by build.py, cli.py and __init__.py alone; speed/ and publish/
never import serve/. Imports inside functions count too. And the code stays small: files under 400 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coursegen"
WORLDS = ("serve", "publish", "speed")
WIRING = {"build", "cli", "__init__"}  # the core modules allowed to reach into the worlds


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def imports_of(path: Path) -> set[str]:
    """Every coursegen module `path` imports, as dotted names ('coursegen.speed.store')."""
    found = set()
    inside = path.is_relative_to(PACKAGE)
    package = "coursegen" if not inside else (_module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py"
                                               else _module_name(path.parent))
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("coursegen")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("coursegen"):
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in node.names}
    return found


def world_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in WORLDS else None


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_go_one_way(path: Path) -> None:
    own = world_of(_module_name(path))
    reached = {world_of(name) for name in imports_of(path)} - {None, own}
    if own is None and path.stem not in WIRING:
        assert not reached, f"the core module {path.name} imports {sorted(reached)}"
    if own in ("speed", "publish"):
        assert "serve" not in reached, f"{path.relative_to(PACKAGE)} imports serve/"


def test_the_rule_sees_imports_inside_functions(tmp_path: Path) -> None:
    fake = PACKAGE / "outline.py"
    assert "coursegen.speed" not in imports_of(fake)
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from coursegen.speed import store\n")
    assert "coursegen.speed" in imports_of(probe)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_file_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400


def test_the_package_is_mypy_clean() -> None:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=PACKAGE.parents[1],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_function_is_over_complexity_15() -> None:
    from radon.complexity import cc_visit
    over = [f"{path.relative_to(PACKAGE)}:{block.lineno} {block.name} ({block.complexity})"
            for path in SOURCES for block in cc_visit(path.read_text()) if block.complexity > 15]
    assert not over
