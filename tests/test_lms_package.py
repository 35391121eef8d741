"""`coursegen export --format scorm12|scorm2004`: the zip, its manifest and its pages, without a browser."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, CourseProject
from lmscourse import quiz_course
from lmshelp import schema_errors, unzip
from polyglot_site import polyglot

from coursegen.publish.lms import export
from coursegen.publish.lms import scorm as scorm_module
from coursegen.publish.lms.scorm import suspend_layout

VERSIONS = {"scorm12": "1.2", "scorm2004": "2004"}


def manifest(files: dict[str, bytes]) -> ET.Element:
    return ET.fromstring(files["imsmanifest.xml"])


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@pytest.fixture(scope="module")
def flagship(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("export")
    packages = {}
    for fmt in VERSIONS:
        report = export(REPO, fmt, out=out)
        assert report.ok, report.diagnostics
        assert [p.path.name for p in report.packages] == [f"how-llms-work-{fmt}.zip"]
        packages[fmt] = unzip(out / f"how-llms-work-{fmt}.zip")
    return packages


@pytest.mark.parametrize("fmt", VERSIONS)
def test_flagship_manifest_is_valid_against_the_xsds(flagship, fmt):
    files = flagship[fmt]
    assert schema_errors(files["imsmanifest.xml"], VERSIONS[fmt]) == []
    version = manifest(files).find(".//{*}schemaversion").text
    assert version == {"scorm12": "1.2", "scorm2004": "2004 4th Edition"}[fmt]


@pytest.mark.parametrize("fmt", VERSIONS)
def test_broken_manifests_fail_the_xsds(flagship, fmt):
    """The schema check is real: a misspelt element and a default organization that does not exist fail."""
    text = flagship[fmt]["imsmanifest.xml"]
    assert schema_errors(text.replace(b"schemaversion>", b"schemaversio>"), VERSIONS[fmt])
    assert schema_errors(text.replace(b'default="ORG-1"', b'default="ORG-9"'), VERSIONS[fmt])


@pytest.mark.parametrize("fmt", VERSIONS)
def test_every_file_is_listed_and_every_listed_file_exists(flagship, fmt):
    files = flagship[fmt]
    root = manifest(files)
    resources = root.findall(".//{*}resource")
    assert len(resources) == 1 and resources[0].get("href") == "scorm.html"
    scorm_type = [v for k, v in resources[0].attrib.items() if local(k).lower() == "scormtype"]
    assert scorm_type == ["sco"]
    listed = [f.get("href") for f in resources[0].findall("{*}file")]
    assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"})
    for href in listed:
        assert not href.startswith("/") and ".." not in PurePosixPath(href).parts
    assert "how-llms-work/index.html" in listed and "scorm.html" in listed
    assert not any(name.startswith(("index.html", "sitemap", "robots", "404", "tokens-and")) for name in files)
    assert not any("/instructor" in name for name in files)  # the teachers' view, with the answers
    assert "how-llms-work/print/index.html" in files


def test_every_reference_in_the_pages_resolves_inside_the_package(flagship):
    files = flagship["scorm12"]
    pages = [name for name in files if name.endswith(".html")]
    assert len(pages) >= 7
    for name in pages:
        text = files[name].decode()
        assert "__coursegen_package__" not in text
        soup = BeautifulSoup(text, "html.parser")
        refs = [tag.get(attr) for attr in ("href", "src") for tag in soup.find_all(attrs={attr: True})]
        refs += re.findall(r'import mount from "([^"]+)"', text)
        for ref in refs:
            if re.match(r"^[a-z]+:|^#|^$", ref):
                continue
            assert not ref.startswith("/"), (name, ref)
            target = (PurePosixPath(name).parent / ref.split("#")[0].split("?")[0]).as_posix()
            while "/../" in f"/{target}" or target.startswith("../"):
                target = re.sub(r"(^|/)[^/]+/\.\.(/|$)", r"\1", target, count=1)
            target = target.removeprefix("./").replace("/./", "/")
            assert target in files, (name, ref, target)


def test_the_course_page_links_each_module_as_a_file(flagship):
    soup = BeautifulSoup(flagship["scorm12"]["how-llms-work/index.html"], "html.parser")
    hrefs = [a["href"] for a in soup.select(".cg-main a[href]") if not a["href"].startswith("http")]
    assert "the-arc/index.html" in hrefs
    assert not [h for h in hrefs if h.split("#")[0].endswith("/")]
    body = soup.find("body")
    assert body["data-base"].startswith("/coursegen-how-llms-work-")
    for page in ("how-llms-work/index.html", "how-llms-work/the-arc/index.html"):
        # no search index in a package: no search box, and no keyboard tip offering '/' to search
        soup = BeautifulSoup(flagship["scorm12"][page], "html.parser")
        assert soup.select(".cg-search, [data-search], .cg-key-hint, #cg-search-input") == [], page
        assert soup.select(".cg-header-tools [data-theme-toggle]"), page  # the rest of the header stays
    assert not any(name.startswith("pagefind/") for name in flagship["scorm12"])


def test_package_is_reproducible_and_follows_source_date_epoch(tmp_path, monkeypatch):
    first = export(REPO, "scorm12", out=tmp_path / "a").packages[0].path.read_bytes()
    second = export(REPO, "scorm12", out=tmp_path / "b").packages[0].path.read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = export(REPO, "scorm12", out=tmp_path / "c").packages[0].path
    import zipfile
    with zipfile.ZipFile(dated) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2023, 11, 14)}


def test_identifiers_are_stable_and_differ_between_courses_and_sites(project, tmp_path):
    quiz_course(project)
    ident = manifest(unzip(export(project.root, "scorm12", out=tmp_path / "a").packages[0].path)).get("identifier")
    again = manifest(unzip(export(project.root, "scorm12", out=tmp_path / "b").packages[0].path)).get("identifier")
    flag = manifest(unzip(export(REPO, "scorm12", out=tmp_path / "c").packages[0].path)).get("identifier")
    project.write("content/site.yaml", "title: Another Academy\ndescription: Same course, other site.\n"
                  "courses: [demo, later]\n")
    other = manifest(unzip(export(project.root, "scorm12", out=tmp_path / "d").packages[0].path)).get("identifier")
    assert ident == again
    assert len({ident, flag, other}) == 3


@pytest.mark.parametrize("fmt", VERSIONS)
def test_titles_are_escaped_and_mastery_is_written(project, tmp_path, fmt):
    quiz_course(project)
    report = export(project.root, fmt, out=tmp_path)
    files = unzip(report.packages[0].path)
    assert schema_errors(files["imsmanifest.xml"], VERSIONS[fmt]) == []
    root = manifest(files)
    assert {t.text for t in root.iter() if local(t.tag) == "title"} == {'Q&A <Basics> "quoted"'}
    mastery = root.find(".//{*}masteryscore")
    assert (mastery.text if mastery is not None else None) == ("50" if fmt == "scorm12" else None)
    launch = BeautifulSoup(files["scorm.html"], "html.parser")
    assert launch.title.string == 'Q&A <Basics> "quoted"'


def test_launch_settings_list_modules_cards_and_quizzes(project, tmp_path):
    import json
    quiz_course(project)
    files = unzip(export(project.root, "scorm2004", out=tmp_path).packages[0].path)
    settings = json.loads(BeautifulSoup(files["scorm.html"], "html.parser").find(id="cg-lms").string)
    assert settings["version"] == "2004" and settings["mastery"] == 0.5
    assert len(settings["quizzes"]) == 3 and settings["quizzes"][2].startswith("answers#")
    for quiz in settings["quizzes"]:
        module, quiz_id = quiz.split("#")
        page = BeautifulSoup(files[f"demo/{module}/index.html"], "html.parser")
        assert page.find("form", id=quiz_id, class_="cg-quiz")
    assert [m["cards"] for m in settings["modules"]] == [["asking", "listening"], ["answering"]]
    assert settings["start"] == "demo/index.html" and settings["keepCards"] is True


def test_suspend_layout_keeps_the_biggest_course_within_scorm12s_limit():
    assert suspend_layout(5, 21, 29, 4096).length == 4 + 1 + 7 + 5
    big = suspend_layout(modules=2000, quiz_count=4000, cards=20000, limit=4096)
    assert big is not None and not big.keep_cards and big.length <= 4096
    fits = suspend_layout(modules=500, quiz_count=1000, cards=12000, limit=4096)
    assert fits is not None and fits.keep_cards and fits.length <= 4096
    assert suspend_layout(modules=6000, quiz_count=9500, cards=0, limit=4096) is None


def test_a_course_too_big_for_scorm12_is_an_error_at_its_course_yaml(project, tmp_path, monkeypatch):
    quiz_course(project)
    monkeypatch.setitem(scorm_module.SUSPEND_LIMIT, "1.2", 5)  # smaller than the demo needs without cards (6)
    report = export(project.root, "scorm12", out=tmp_path)
    assert not report.ok and report.packages == ()
    assert [d.format().split(": error: ")[0] for d in report.problems] == ["content/demo/course.yaml:1"]
    assert "--format scorm2004" in report.problems[0].message
    monkeypatch.setitem(scorm_module.SUSPEND_LIMIT, "1.2", 6)  # room for modules and quizzes, not cards (7)
    files = unzip(export(project.root, "scorm12", out=tmp_path).packages[0].path)
    assert '"keepCards": false' in files["scorm.html"].decode()


def test_cli_export_prints_a_line_per_package_and_content_errors_write_nothing(project, tmp_path):
    quiz_course(project)
    done = project.cli("export", "--format", "scorm12", "--out", str(tmp_path / "ok"))
    assert done.returncode == 0, done.stderr
    assert re.search(r"Exported demo as scorm12: .*demo-scorm12\.zip \(\d+ KB\)", done.stdout)
    unknown = project.cli("export", "--format", "scorm12", "--course", "nope")
    assert unknown.returncode == 2 and "no published course 'nope' (published courses: demo)" in unknown.stderr
    project.write("content/demo/course.yaml", "title: Demo\ntagline: T.\ndescription: D.\nmastery: 80\n")
    bad = project.cli("export", "--format", "scorm2004", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "content/demo/course.yaml:4: error: 'mastery' must be a share between 0 and 1" in bad.stderr
    assert not (tmp_path / "bad").exists()
    wrong = project.cli("export", "--format", "scorm3")
    assert wrong.returncode == 2


def test_the_published_site_has_no_lms_code(project):
    quiz_course(project)
    report = project.build()
    assert report.ok
    built = [p.relative_to(project.out).as_posix() for p in project.out.rglob("*") if p.is_file()]
    assert not [p for p in built if "scorm" in p or p.startswith("lms/")]
    for page in project.out.rglob("*.html"):
        assert "coursegenFindAPI" not in page.read_text() and "API_1484_11" not in page.read_text()


def test_a_package_of_a_translated_course_links_no_translation(tmp_path):
    """The other languages are other packages in an LMS (or none): no switcher, no hreflang alternates."""
    project = polyglot(CourseProject(tmp_path / "site"))
    assert project.build(search=False).ok
    assert project.html("intro/index.html").select_one("nav.cg-languages")  # the site has them
    report = export(project.root, "scorm12", course="intro", out=tmp_path / "export")
    assert report.ok, report.diagnostics
    pages = {name: data for name, data in unzip(tmp_path / "export/intro-scorm12.zip").items() if name.endswith(".html")}
    assert len(pages) > 2
    for name, data in pages.items():
        page = BeautifulSoup(data, "html.parser")
        assert page.select_one("nav.cg-languages") is None, name
        assert page.find("link", rel="alternate", hreflang=True) is None, name


def test_a_theme_override_of_the_search_box_stays_out_of_packages_too(tmp_path):
    """Templates leave the search box out of package pages (`packaged`), so an override with markup of its own,
    which no pattern over the built HTML would know, is left out as well; the site keeps it."""
    project = CourseProject(tmp_path / "site").demo().write(
        "templates/partials/search.html", '<form class="my-search" role="search"><input type="search"></form>\n')
    assert project.build(search=False).ok
    assert project.html("demo/first/index.html").select_one("form.my-search")
    report = export(project.root, "scorm12", course="demo", out=tmp_path / "export")
    assert report.ok, report.diagnostics
    pages = {name: data for name, data in unzip(tmp_path / "export/demo-scorm12.zip").items() if name.endswith(".html")}
    assert "demo/first/index.html" in pages
    assert not [name for name, data in pages.items() if b"my-search" in data]
