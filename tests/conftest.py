"""Fixtures shared by every test; the helpers themselves live in tests/helpers.py."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CourseProject


@pytest.fixture
def project(tmp_path: Path) -> CourseProject:
    return CourseProject(tmp_path / "site")


@pytest.fixture
def demo(project: CourseProject) -> CourseProject:
    return project.demo()
