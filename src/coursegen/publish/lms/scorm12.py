"""SCORM 1.2: imsmanifest.xml of a one-SCO package (ADL's CAM 1.2, IMS Content Packaging 1.1.2)."""
from __future__ import annotations

from .manifest import Manifest, heading, item, organization, resource
from .package import CoursePackage
from .scorm import LAUNCH

_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
_ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


def manifest_xml(package: CoursePackage, has_quizzes: bool) -> bytes:
    """The manifest listing every file of `package` (which holds the launch page); with quizzes, the
    course's mastery as adlcp:masteryscore, so the LMS can turn 'completed' into passed or failed."""
    m = Manifest(_CP, {"adlcp": _ADLCP},
                 [(_CP, "imscp_rootv1p1p2.xsd"), (_MD, "imsmd_rootv1p2p1.xsd"), (_ADLCP, "adlcp_rootv1p2.xsd")])
    root = m.root(package.identifier, version="1")
    heading(m, root, "ADL SCORM", "1.2")
    title = package.course.title
    sco = item(m, organization(m, root, title), "ITEM-1", title, identifierref="RES-1", isvisible="true")
    if has_quizzes:
        m.child(sco, "adlcp:masteryscore", str(round(package.course.mastery * 100)))
    resource(m, m.child(root, "resources"), "RES-1", "webcontent", package.files, href=LAUNCH,
             adlcp__scormtype="sco")
    return m.bytes(root)
