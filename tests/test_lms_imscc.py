"""`coursegen export --format imscc`: an IMS Common Cartridge 1.1 of each course, its pages as web content
and its quizzes as QTI 1.2 assessments, checked against the CC profile's rules (ccrules.py)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from ccrules import CC, QTI, cartridge_problems
from helpers import REPO
from lmscourse import ONE, TWO, quiz_course
from lmshelp import unzip

from coursegen.publish.lms import export


@pytest.fixture(scope="module")
def flagship(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("imscc")
    report = export(REPO, "imscc", out=out)
    assert report.ok, report.diagnostics
    assert [p.path.name for p in report.packages] == ["how-llms-work-imscc.zip"]
    return unzip(report.packages[0].path)


def manifest(files: dict[str, bytes]) -> ET.Element:
    return ET.fromstring(files["imsmanifest.xml"])


def test_flagship_cartridge_keeps_every_rule_of_the_profile(flagship):
    assert cartridge_problems(flagship) == []
    assert any(name.startswith("static/") for name in flagship)
    assert not any(name in ("scorm.html", "lms/scorm-runtime.js") for name in flagship)
    assert not any("/instructor" in name for name in flagship)


def test_the_rules_catch_broken_cartridges(flagship):
    """Each rule is real: a cartridge broken in one way each breaks it."""
    text = flagship["imsmanifest.xml"]
    first_quiz = next(name for name in flagship if name.startswith("assessments/"))
    broken = {
        "schemaversion": text.replace(b"<schemaversion>1.1.0<", b"<schemaversion>1.3.0<"),
        "default": text.replace(b"<organizations>", b'<organizations default="ORG-1">'),
        "unlisted": re.sub(rb'\s*<file href="static/[^"]+" />', b"", text, count=1),
        "type": text.replace(b'type="webcontent"', b'type="webcontent-page"', 1),
        "href": text.replace(b'type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment"',
                             b'type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment" href="x.xml"', 1),
        "isvisible": re.sub(rb'(<item identifier="[^"]+-m1")', rb'\1 isvisible="true"', text),
    }
    for what, changed in broken.items():
        assert cartridge_problems({**flagship, "imsmanifest.xml": changed}), what
    qti = flagship[first_quiz]
    assert cartridge_problems({**flagship, first_quiz: qti.replace(b'linkrefid="o0-feedback"', b'linkrefid="o9"')})
    assert cartridge_problems({**flagship, first_quiz: qti.replace(b">o0</varequal>", b">o7</varequal>", 1)})
    assert cartridge_problems({**flagship, first_quiz: re.sub(rb"cc\.multiple_\w+\.v0p1", b"cc.essay.v0p1", qti)})
    assert cartridge_problems({**flagship, first_quiz: qti.replace(b'rcardinality="', b'rcardinality="Ordered" x="')})
    assert cartridge_problems({**flagship, first_quiz: qti.replace(b"<fieldentry>unlimited<", b"<fieldentry>9<")})
    assert cartridge_problems({**flagship, first_quiz: qti.replace(b'action="Set"', b'action="Add"', 1)})
    assert cartridge_problems({k: v for k, v in flagship.items() if k != "imsmanifest.xml"})


def test_organization_is_the_course_then_one_folder_per_module(flagship):
    root = manifest(flagship)
    top = root.find(f".//{{{CC}}}organization/{{{CC}}}item")
    folders = top.findall(f"{{{CC}}}item")
    titles = [f.find(f"{{{CC}}}title").text for f in folders]
    assert titles[0] == "How LLMs Work" and len(titles) == 6
    assert titles[1].startswith("The Arc")
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CC}}}resource")}
    kinds = []
    for folder in folders[1:]:
        refs = [resources[i.get("identifierref")] for i in folder.findall(f"{{{CC}}}item")]
        kinds.append([r.get("type").split("/")[-1] for r in refs])
        assert refs[0].get("href").endswith("/index.html")
        assert refs[0].find(f"{{{CC}}}dependency") is not None  # the theme's files
    assert all(k[0] == "webcontent" and set(k[1:]) == {"assessment"} for k in kinds)
    assert sum(len(k) - 1 for k in kinds) == len([n for n in flagship if n.startswith("assessments/")]) == 21


def read_quiz(data: bytes) -> dict:
    """A QTI assessment back as the quiz YAML's shape: question, options (text, correct, feedback)."""
    q = f"{{{QTI}}}"
    item = ET.fromstring(data).find(f".//{q}item")
    labels = item.findall(f".//{q}response_label")
    score = next(c for c in item.iter(f"{q}respcondition") if c.find(f"{q}setvar") is not None)
    negated = {v.text for n in score.iter(f"{q}not") for v in n.iter(f"{q}varequal")}
    right = {v.text for v in score.iter(f"{q}varequal")} - negated
    feedback = {f.get("ident"): f.find(f".//{q}mattext").text for f in item.findall(f"{q}itemfeedback")}
    shown = {c.find(f".//{q}varequal").text: feedback[c.find(f"{q}displayfeedback").get("linkrefid")]
             for c in item.iter(f"{q}respcondition") if c.find(f"{q}displayfeedback") is not None}
    options = []
    for label in labels:
        option = {"text": label.find(f".//{q}mattext").text}
        if label.get("ident") in right:
            option["correct"] = True
        if label.get("ident") in shown:
            option["feedback"] = shown[label.get("ident")]
        options.append(option)
    cardinality = item.find(f".//{q}response_lid").get("rcardinality")
    profile = item.find(f".//{q}fieldentry").text
    return {"question": item.find(f"{q}presentation/{q}material/{q}mattext").text, "options": options,
            "_kind": (cardinality, profile)}


def test_quizzes_round_trip_from_their_yaml(project, tmp_path):
    quiz_course(project)
    files = unzip(export(project.root, "imscc", out=tmp_path).packages[0].path)
    assert cartridge_problems(files) == []
    sources = [yaml.safe_load(block) for text in (ONE, TWO) for block in re.findall(r"```quiz\n(.*?)```", text, re.DOTALL)]
    root = manifest(files)
    quizzes = [f.get("href") for r in root.iter(f"{{{CC}}}resource") if r.get("type").endswith("assessment")
               for f in r.findall(f"{{{CC}}}file")]
    assert len(quizzes) == len(sources) == 3
    for href, source in zip(quizzes, sources):
        got = read_quiz(files[href])
        kind = got.pop("_kind")
        assert got == source
        multiple = sum(bool(o.get("correct")) for o in source["options"]) > 1
        assert kind == (("Multiple", "cc.multiple_response.v0p1") if multiple else
                        ("Single", "cc.multiple_choice.v0p1"))


def test_titles_are_escaped_and_identifiers_stable(project, tmp_path):
    quiz_course(project)
    first = export(project.root, "imscc", out=tmp_path / "a").packages[0].path.read_bytes()
    again = export(project.root, "imscc", out=tmp_path / "b").packages[0].path
    assert first == again.read_bytes()
    root = manifest(unzip(again))
    titles = {t.text for t in root.iter(f"{{{CC}}}title")}
    assert 'Q&A <Basics> "quoted"' in titles and "Questions" in titles
    lom = root.find(".//{*}lom/{*}general/{*}title/{*}string")
    assert lom.text == 'Q&A <Basics> "quoted"' and lom.get("language") == "en"
    assert root.get("identifier").startswith("coursegen-demo-")


def test_cli_exports_a_cartridge(project, tmp_path):
    quiz_course(project)
    done = project.cli("export", "--format", "imscc", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert re.search(r"Exported demo as imscc: .*demo-imscc\.zip \(\d+ KB\)", done.stdout)
