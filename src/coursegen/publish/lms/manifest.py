"""imsmanifest.xml pieces every format shares: namespaced elements, escaping, and the bytes."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

XSI = "http://www.w3.org/2001/XMLSchema-instance"


class Manifest:
    """An XML document under one default namespace, with prefixed ones for attributes and extensions."""

    def __init__(self, default: str, prefixes: dict[str, str], locations: Iterable[tuple[str, str]]):
        self.ns = default
        self.prefixes = {**prefixes, "xsi": XSI}
        self.locations = " ".join(f"{ns} {xsd}" for ns, xsd in locations)

    def tag(self, name: str) -> str:
        """'adlcp:masteryscore' or 'item' as ElementTree's '{namespace}name'."""
        prefix, _, local = name.rpartition(":")
        return f"{{{self.prefixes[prefix] if prefix else self.ns}}}{local}"

    def element(self, name: str, text: str | None = None, **attributes: str) -> ET.Element:
        node = ET.Element(self.tag(name), {self._attribute(k): v for k, v in attributes.items()})
        node.text = text
        return node

    def _attribute(self, keyword: str) -> str:
        """'adlcp__scormtype' -> the namespaced attribute; 'continue_' (a Python keyword) -> 'continue'."""
        return self.tag(keyword.replace("__", ":")) if "__" in keyword else keyword.removesuffix("_")

    def child(self, parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
        node = self.element(name, text, **attributes)
        parent.append(node)
        return node

    def root(self, identifier: str, **attributes: str) -> ET.Element:
        return self.element("manifest", identifier=identifier, **attributes, xsi__schemaLocation=self.locations)

    def bytes(self, root: ET.Element) -> bytes:
        """The document, UTF-8 with a declaration; ElementTree escapes every text and attribute."""
        for prefix, uri in self.prefixes.items():
            ET.register_namespace(prefix, uri)
        ET.register_namespace("", self.ns)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def files_of(manifest: Manifest, resource: ET.Element, paths: Iterable[str]) -> None:
    """A <file href> for each path, in order."""
    for path in sorted(paths):
        manifest.child(resource, "file", href=path)


def heading(m: Manifest, root: ET.Element, schema: str, version: str) -> ET.Element:
    """<metadata> with the standard's <schema> and <schemaversion> (an LMS reads the version there)."""
    metadata = m.child(root, "metadata")
    m.child(metadata, "schema", schema)
    m.child(metadata, "schemaversion", version)
    return metadata


def organization(m: Manifest, root: ET.Element, title: str | None, default: bool = True,
                 **attributes: str) -> ET.Element:
    """<organizations> with its one <organization> ORG-1 (made the default one when `default`), titled
    `title` unless None."""
    organizations = m.child(root, "organizations", **({"default": "ORG-1"} if default else {}))
    node = m.child(organizations, "organization", identifier="ORG-1", **attributes)
    if title is not None:
        m.child(node, "title", title)
    return node


def item(m: Manifest, parent: ET.Element, identifier: str, title: str, **attributes: str) -> ET.Element:
    node = m.child(parent, "item", identifier=identifier, **attributes)
    m.child(node, "title", title)
    return node


def resource(m: Manifest, resources: ET.Element, identifier: str, kind: str, files: Iterable[str],
             **attributes: str) -> ET.Element:
    """A <resource> of type `kind` listing `files`."""
    node = m.child(resources, "resource", identifier=identifier, type=kind, **attributes)
    files_of(m, node, files)
    return node
