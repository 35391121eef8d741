"""SCORM 2004 4th edition: imsmanifest.xml of a one-SCO package, without sequencing rules."""
from __future__ import annotations

from .manifest import Manifest, heading, item, organization, resource
from .package import CoursePackage
from .scorm import LAUNCH

_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
_ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
_IMSSS = "http://www.imsglobal.org/xsd/imsss"


def manifest_xml(package: CoursePackage) -> bytes:
    """The manifest listing every file of `package` (which holds the launch page). No sequencing: LMSs
    support it unevenly, and the SCO reports passed or failed against the course's mastery itself."""
    m = Manifest(_CP, {"adlcp": _ADLCP, "adlseq": _ADLSEQ, "adlnav": _ADLNAV, "imsss": _IMSSS},
                 [(_CP, "imscp_v1p1.xsd"), (_ADLCP, "adlcp_v1p3.xsd"), (_ADLSEQ, "adlseq_v1p3.xsd"),
                  (_ADLNAV, "adlnav_v1p3.xsd"), (_IMSSS, "imsss_v1p0.xsd")])
    root = m.root(package.identifier, version="1")
    heading(m, root, "ADL SCORM", "2004 4th Edition")
    title = package.course.title
    item(m, organization(m, root, title), "ITEM-1", title, identifierref="RES-1")
    resource(m, m.child(root, "resources"), "RES-1", "webcontent", package.files, href=LAUNCH,
             adlcp__scormType="sco")
    return m.bytes(root)
