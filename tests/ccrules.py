"""The rules of IMS Common Cartridge 1.1 that a cartridge's manifest and QTI files must keep, written out
from the profile's XSD (ccv1p1_imscp_v1p2_v1p0.xsd: element order and multiplicity, the attributes the
profile removes, the resource types) and its Schematron rule sets, and from the QTI 1.2 ASI order of
elements the CC QTI profile keeps. No registry ships IMS's CC schemas, so the tests check these rules
instead of loading the XSDs."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
TYPES = {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment", "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
         "associatedcontent/imscc_xmlv1p1/learning-application-resource", "imsdt_xmlv1p1", "imswl_xmlv1p1",
         "imsbasiclti_xmlv1p0"}
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
# children of each element, in the order the XSD's sequences allow (a name may repeat where it may)
ORDER = {"manifest": ["metadata", "organizations", "resources"], "organizations": ["organization"],
         "organization": ["title", "item", "metadata"], "item": ["title", "item", "metadata"],
         "resources": ["resource"], "resource": ["metadata", "file", "dependency"]}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _order(node: ET.Element, allowed: list[str]) -> bool:
    names = [local(child.tag) for child in node]
    ranks = [allowed.index(name) if name in allowed else -1 for name in names]
    return -1 not in ranks and ranks == sorted(ranks)


def _structure(root: ET.Element) -> list[str]:
    problems = []
    if root.tag != f"{{{CC}}}manifest":
        problems.append(f"root is {root.tag}, not the CC 1.1 manifest")
    for node in root.iter():
        name = local(node.tag)
        if node.tag.startswith(f"{{{CC}}}") and name in ORDER and not _order(node, ORDER[name]):
            problems.append(f"<{name} {node.get('identifier', '')}> children out of the XSD's order")
    meta = root.find(f"{{{CC}}}metadata")
    if meta is None or [local(c.tag) for c in meta] != ["schema", "schemaversion", "lom"] \
            or (meta[0].text, meta[1].text) != ("IMS Common Cartridge", "1.1.0"):
        problems.append("metadata must be schema 'IMS Common Cartridge', schemaversion '1.1.0', then a LOM")
    for attribute, where in (("version", root), ("default", root.find(f"{{{CC}}}organizations"))):
        if where is not None and attribute in where.attrib:
            problems.append(f"the CC profile removes '{attribute}' from <{local(where.tag)}>")
    organizations = root.findall(f"{{{CC}}}organizations/{{{CC}}}organization")
    if len(organizations) != 1 or organizations[0].get("structure") != "rooted-hierarchy":
        problems.append("one organization, structure='rooted-hierarchy'")
    else:
        tops = organizations[0].findall(f"{{{CC}}}item")
        if len(tops) != 1 or tops[0].find(f"{{{CC}}}title") is not None or "identifierref" in tops[0].attrib:
            problems.append("the organization holds one root item, with no title and no identifierref")
        for inner in (tops[0].iter(f"{{{CC}}}item") if tops else ()):
            if inner is tops[0]:
                continue
            if inner.find(f"{{{CC}}}title") is None:
                problems.append(f"item {inner.get('identifier')} has no title")
            if {"isvisible", "parameters"} & set(inner.attrib):
                problems.append(f"item {inner.get('identifier')}: the profile removes isvisible and parameters")
            if inner.get("identifierref") and inner.find(f"{{{CC}}}item") is not None:
                problems.append(f"[8b] item {inner.get('identifier')} points at a resource and holds items")
    return problems


def _resources(root: ET.Element, names: set[str]) -> list[str]:
    problems = []
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CC}}}resource")}
    for ident, res in resources.items():
        kind, files = res.get("type"), [f.get("href") for f in res.findall(f"{{{CC}}}file")]
        if kind not in TYPES:
            problems.append(f"resource {ident}: type {kind!r} is not one of CC 1.1's")
        if kind and kind.startswith("imsqti") and (len(files) != 1 or "href" in res.attrib):
            problems.append(f"[3a-c] assessment {ident}: exactly one file and no href")
        if res.get("href") and res.get("href") not in files:
            problems.append(f"[10b] resource {ident}: its href is not one of its files")
        if len(files) != len(set(files)):
            problems.append(f"[9a] resource {ident} lists a file twice")
        deps = [d.get("identifierref") for d in res.findall(f"{{{CC}}}dependency")]
        if ident in deps or len(deps) != len(set(deps)) or not set(deps) <= set(resources):
            problems.append(f"[7] resource {ident}: a dependency on itself, twice, or on nothing")
    listed = [f.get("href") for f in root.iter(f"{{{CC}}}file")]
    if sorted(listed) != sorted(names - {"imsmanifest.xml"}):
        missing, extra = names - {"imsmanifest.xml"} - set(listed), set(listed) - names
        problems.append(f"files not listed once each: unlisted {sorted(missing)[:3]}, missing {sorted(extra)[:3]}"
                        f", twice {sorted({h for h in listed if listed.count(h) > 1})[:3]}")
    for href in listed:
        if href.startswith("/") or ".." in PurePosixPath(href).parts:
            problems.append(f"file {href} is not a relative path inside the cartridge")
    ids = [node.get("identifier") for node in root.iter() if node.get("identifier")]
    if len(ids) != len(set(ids)) or not all(NCNAME.match(i) for i in ids):
        problems.append("identifiers must be unique XML IDs")
    for node in root.iter(f"{{{CC}}}item"):
        if node.get("identifierref") and node.get("identifierref") not in resources:
            problems.append(f"item {node.get('identifier')} points at no resource")
    return problems


# CC's QTI profile (ccv1p1_qtiasiv1p2p1_v1p0.xsd): what each test may hold, the metadata values its
# Schematron rule sets 1 and 2 allow, and the options each question type needs (rule sets 3 to 5)
CONDITIONS = {"conditionvar": {"and", "other", "varequal", "varsubstring"}, "and": {"not", "varequal"},
              "not": {"varequal"}}
ASSESSMENT_FIELDS = {"cc_profile": {"cc.exam.v0p1"}, "qmd_assessmenttype": {"Examination"},
                     "cc_maxattempts": {"Examination", "1", "2", "3", "4", "5", "unlimited"}}
# (rule 4d's three options for multiple choice is not held to: see qti.PageQuiz.profile)
KINDS = {"cc.multiple_choice.v0p1": ("Single", 2), "cc.true_false.v0p1": ("Single", 2),
         "cc.multiple_response.v0p1": ("Multiple", 2)}


def _fields(metadata: ET.Element | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field in metadata.iter(f"{{{QTI}}}qtimetadatafield") if metadata is not None else ():
        found.setdefault(field.findtext(f"{{{QTI}}}fieldlabel", ""), []).append(
            field.findtext(f"{{{QTI}}}fieldentry", ""))
    return found


def _profile(root: ET.Element) -> list[str]:
    q, problems = f"{{{QTI}}}", []
    assessment = root.find(f"{q}assessment")
    if assessment is None or not _order(assessment, ["qtimetadata", "rubric", "presentation_material", "section"]) \
            or len(assessment.findall(f"{q}section")) != 1 or not assessment.get("title"):
        return ["an assessment holds (metadata,) one section, and has a title"]
    for label, entries in _fields(assessment.find(f"{q}qtimetadata")).items():
        if label in ASSESSMENT_FIELDS and (len(entries) > 1 or entries[0] not in ASSESSMENT_FIELDS[label]):
            problems.append(f"[1] assessment metadata {label} = {entries}")
    for item in root.iter(f"{q}item"):
        fields = _fields(item.find(f"{q}itemmetadata"))
        kind = fields.get("cc_profile", [""])
        weight = fields.get("cc_weighting", ["1"])
        if len(kind) != 1 or kind[0] not in KINDS or len(weight) != 1 or not weight[0].isdigit() \
                or not 0 < int(weight[0]) < 100:
            problems.append(f"[2] item {item.get('ident')}: cc_profile {kind}, cc_weighting {weight}")
            continue
        cardinality, fewest = KINDS[kind[0]]
        lids = item.findall(f"{q}presentation/{q}response_lid")
        labels = item.findall(f".//{q}response_label")
        if len(lids) != 1 or lids[0].get("rcardinality", "Single") != cardinality or len(labels) < fewest \
                or (kind[0] == "cc.true_false.v0p1" and len(labels) != 2):
            problems.append(f"[3-5] item {item.get('ident')}: {kind[0]} with {len(labels)} options")
        for name, allowed in CONDITIONS.items():
            for node in item.iter(f"{q}{name}"):
                if not {local(c.tag) for c in node} <= allowed:
                    problems.append(f"item {item.get('ident')}: <{name}> holds {[local(c.tag) for c in node]}")
        decvars = item.findall(f"{q}resprocessing/{q}outcomes/{q}decvar")
        if len(decvars) != 1 or decvars[0].get("varname") != "SCORE" or any(
                s.get("action", "Set") != "Set" for s in item.iter(f"{q}setvar")):
            problems.append(f"item {item.get('ident')}: one decvar SCORE, setvar action Set")
        shown = {d.get("linkrefid") for d in item.iter(f"{q}displayfeedback")}
        for feedback in item.findall(f"{q}itemfeedback"):
            if feedback.find(f"{q}flow_mat") is not None and feedback.get("ident") not in shown:
                problems.append(f"[12d] item {item.get('ident')}: feedback {feedback.get('ident')} never shown")
    return problems


def qti_problems(data: bytes) -> list[str]:
    """What breaks the QTI 1.2 ASI order and references, or CC's QTI profile, in one assessment file."""
    root = ET.fromstring(data)
    q = f"{{{QTI}}}"
    if root.tag != f"{q}questestinterop" or len(root.findall(f"{q}assessment")) != 1:
        return ["not a questestinterop holding one assessment"]
    problems = _profile(root)
    for item in root.iter(f"{q}item"):
        names = [local(c.tag) for c in item]
        allowed = ["itemmetadata", "presentation", "resprocessing", "itemfeedback"]
        if not _order(item, allowed) or names.count("presentation") != 1:
            problems.append(f"item {item.get('ident')}: children {names}")
        feedback = {f.get("ident") for f in item.findall(f"{q}itemfeedback")}
        lids = {r.get("ident") for r in item.iter(f"{q}response_lid")}
        labels = [r.get("ident") for r in item.iter(f"{q}response_label")]
        if len(labels) != len(set(labels)) or len(labels) < 2:
            problems.append(f"item {item.get('ident')}: option idents {labels}")
        for condition in item.iter(f"{q}respcondition"):
            if not _order(condition, ["conditionvar", "setvar", "displayfeedback"]):
                problems.append(f"item {item.get('ident')}: a respcondition out of order")
        for shown in item.iter(f"{q}displayfeedback"):
            if shown.get("linkrefid") not in feedback:
                problems.append(f"item {item.get('ident')}: feedback {shown.get('linkrefid')} does not exist")
        for test in item.iter(f"{q}varequal"):
            if test.get("respident") not in lids or test.text not in labels:
                problems.append(f"item {item.get('ident')}: varequal {test.text} tests no option")
    return problems


def cartridge_problems(files: dict[str, bytes]) -> list[str]:
    """Every rule of CC 1.1 (and its QTI profile) that the cartridge `files` break."""
    if "imsmanifest.xml" not in files:
        return ["no imsmanifest.xml at the root"]
    root = ET.fromstring(files["imsmanifest.xml"])
    problems = _structure(root) + _resources(root, set(files))
    for res in root.iter(f"{{{CC}}}resource"):
        if (res.get("type") or "").endswith("/assessment"):
            for href in (f.get("href") for f in res.findall(f"{{{CC}}}file")):
                problems += [f"{href}: {p}" for p in qti_problems(files[href])] if href in files else []
    return problems
