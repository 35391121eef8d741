"""SCORM 1.2: imsmanifest.xml of a one-SCO package (ADL's CAM 1.2, IMS Content Packaging 1.1.2)."""
from __future__ import annotations

from .manifest import Manifest, files_of
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
    root = m.root(package.identifier)
    metadata = m.child(root, "metadata")
    m.child(metadata, "schema", "ADL SCORM")
    m.child(metadata, "schemaversion", "1.2")
    organizations = m.child(root, "organizations", default="ORG-1")
    organization = m.child(organizations, "organization", identifier="ORG-1")
    m.child(organization, "title", package.course.title)
    item = m.child(organization, "item", identifier="ITEM-1", identifierref="RES-1", isvisible="true")
    m.child(item, "title", package.course.title)
    if has_quizzes:
        m.child(item, "adlcp:masteryscore", str(round(package.course.mastery * 100)))
    resources = m.child(root, "resources")
    resource = m.child(resources, "resource", identifier="RES-1", type="webcontent", href=LAUNCH,
                       adlcp__scormtype="sco")
    files_of(m, resource, package.files)
    return m.bytes(root)
