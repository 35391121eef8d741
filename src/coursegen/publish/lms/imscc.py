"""IMS Common Cartridge 1.1: the course pages as web content and each quiz as a QTI 1.2 assessment, in an
organization of modules (Canvas and Moodle import 1.1; Moodle imports no later version).

The organization holds, under its root, one folder for the course page and one per module with the
module's page and its quizzes: Canvas makes each folder a module and each entry a module item.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .manifest import Manifest, heading, item, organization, resource
from .package import CoursePackage
from .qti import assessment_xml, page_quizzes

CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
_CC_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd"
_LOM_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"
WEB, ASSESSMENT = "webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def cartridge_files(package: CoursePackage) -> dict[str, bytes]:
    """Every file of the cartridge: the course's pages and files, a QTI file per quiz, imsmanifest.xml."""
    m = Manifest(CC, {"lomimscc": LOM}, [(CC, _CC_XSD), (LOM, _LOM_XSD)])
    course, pid = package.course, package.identifier
    root = m.root(pid)
    _describe(m, heading(m, root, "IMS Common Cartridge", "1.1.0"), package)
    tree = m.child(organization(m, root, course.title, default=False, structure="rooted-hierarchy"), "item",
                   identifier=f"{pid}-root")
    resources = m.child(root, "resources")
    pages = [package.start, *(f"{course.slug}/{module.slug}/index.html" for module in course.modules)]
    assets = resource(m, resources, f"{pid}-files", WEB, sorted(set(package.files) - set(pages)))
    quizzes: dict[str, bytes] = {}

    def page(folder: ET.Element, ident: str, title: str, path: str) -> None:
        item(m, folder, f"{ident}-item", title, identifierref=ident)
        node = resource(m, resources, ident, WEB, [path], href=path)
        m.child(node, "dependency", identifierref=assets.get("identifier", ""))

    page(item(m, tree, f"{pid}-course", course.title), f"{pid}-page", course.title, package.start)
    for number, module in enumerate(course.modules, 1):
        folder = item(m, tree, f"{pid}-m{number}", module.title)
        page(folder, f"{pid}-m{number}-page", module.title, pages[number])
        for index, quiz in enumerate(page_quizzes(package.files[pages[number]].decode("utf-8")), 1):
            ident = f"{pid}-m{number}-q{index}"
            path = f"assessments/{module.slug}/{quiz.id}.xml"
            quizzes[path] = assessment_xml(ident, quiz)
            item(m, folder, f"{ident}-item", quiz.title, identifierref=ident)
            resource(m, resources, ident, ASSESSMENT, [path])
    return {**package.files, **quizzes, "imsmanifest.xml": m.bytes(root)}


def _describe(m: Manifest, metadata: ET.Element, package: CoursePackage) -> None:
    """The cartridge's LOM metadata (required in CC): the course's title and description, in its language."""
    course = package.course
    general = m.child(m.child(metadata, "lomimscc:lom"), "lomimscc:general")
    m.child(m.child(general, "lomimscc:title"), "lomimscc:string", course.title, language=course.language)
    if course.description_text:
        m.child(m.child(general, "lomimscc:description"), "lomimscc:string", course.description_text,
                language=course.language)
