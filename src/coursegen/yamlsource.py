"""Parse YAML text into plain values while remembering the line of every key and item.

`parse_yaml` is a pure function of the text: libyaml reads what it can (valid, alias-free YAML), and
the careful parser, which refuses aliases and words every problem for authors, reads the rest."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yamlhints import explain

KeyPath = tuple[Any, ...]
MAX_DEPTH = 50  # levels of nested lists and mappings; deeper is refused before anything is built
_STR_TAG = "tag:yaml.org,2002:str"
_SURROGATE = re.compile("[\ud800-\udfff]")


class YamlProblem(Exception):
    """A YAML text that cannot be read; `line` is 1-based within the text."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so an alias bomb fails at once."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                "YAML aliases (*name) are not supported; write the value out in full",
                event.start_mark.line + 1,
            )
        return Composer.compose_node(self, parent, index)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document: its value and the 1-based line of each key path."""

    value: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int:
        """Line of the deepest known prefix of `path` (the document start when nothing matches)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return self.lines.get((), 1)


def parse_yaml(text: str) -> YamlDoc:
    """Parse one YAML document. Raises YamlProblem with a 1-based line on bad YAML.

    libyaml reads valid, alias-free YAML; anything it declines goes to the careful parser, whose
    messages and lines are the ones authors see. Both give the same document for the same text.
    """
    fast = _parse_fast(text)
    if fast is not None:
        return fast
    return _parse_careful(text)


@functools.cache
def _fast_loader() -> Any:
    """yaml.CSafeLoader, None without libyaml."""
    return getattr(yaml, "CSafeLoader", None)


def _parse_fast(text: str) -> YamlDoc | None:
    """Alias-free, valid YAML through libyaml; None leaves the text to the careful parser, which
    reports aliases and syntax errors with the messages and lines authors see."""
    fast_loader = _fast_loader()
    if fast_loader is None:
        return None
    try:
        loader = fast_loader(text)
    except UnicodeEncodeError:  # a lone surrogate, which libyaml cannot be given: the careful parser words it
        return None
    try:
        node = loader.get_single_node()
        # '*' and '&' are common in Markdown values ('*why*', 'Q&A'); only an alias, which needs a '*',
        # shares a node, and a node graph is looked at before anything is built from it
        if node is None or ("*" in text and _shares_nodes(node)):
            return None
        _check_nodes(node)
        value = loader.construct_document(node)
    except YamlProblem:
        raise
    except Exception:  # noqa: BLE001 - any constructor error: the careful parser words it with its line
        return None
    finally:
        loader.dispose()
    return _with_lines(value, node)


def _nodes(root: Node) -> Iterator[tuple[Node, int]]:
    """Every node of a composed document with its depth, without recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if isinstance(node, MappingNode):
            stack.extend((part, depth + 1) for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in reversed(node.value))


def _check_nodes(root: Node) -> None:
    """Refuse what no build can use, at its line: nesting deeper than MAX_DEPTH, text that is not Unicode
    (a lone surrogate such as "\\uD800", which the careful parser would otherwise accept)."""
    for node, depth in _nodes(root):
        if depth > MAX_DEPTH:
            raise YamlProblem(f"invalid YAML: lists and mappings are nested more than {MAX_DEPTH} levels deep",
                              node.start_mark.line + 1)
        if isinstance(node, ScalarNode) and _SURROGATE.search(node.value):
            raise YamlProblem("invalid YAML: a \\uD800-\\uDFFF escape on its own is not a character; write the "
                              "character itself (an emoji, for example) or its \\U0001F600-style escape",
                              node.start_mark.line + 1)


def _construct(loader: yaml.SafeLoader, root: Node) -> Any:
    """The document's value; a value its tag cannot be made of (`2024-02-30`, `!!int abc`, an int of 5000
    digits) is a YamlProblem at its line, with a hint to quote it."""
    try:
        return loader.construct_document(root)
    except yaml.YAMLError:
        raise
    except Exception as exc:  # noqa: BLE001 - ValueError, TypeError, AttributeError from PyYAML's constructors
        for node, _ in _nodes(root):
            if isinstance(node, ScalarNode) and node.tag != _STR_TAG:
                try:
                    SafeConstructor().construct_object(node)
                except Exception as scalar_exc:  # noqa: BLE001
                    why = _reason(scalar_exc) if isinstance(scalar_exc, ValueError) else "not in that form"
                    raise YamlProblem(f"invalid YAML: {node.value[:40]!r} cannot be read as a {_tag_name(node)} "
                                      f"({why}); put it in quotes to keep it as text",
                                      node.start_mark.line + 1) from None
        raise YamlProblem(f"invalid YAML: {_reason(exc)}", root.start_mark.line + 1) from None


def _tag_name(node: Node) -> str:
    name = node.tag.rsplit(":", 1)[-1]
    return {"int": "whole number", "float": "number", "timestamp": "date", "bool": "true/false"}.get(name, name)


def _reason(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120] or type(exc).__name__


def _key(node: Node) -> Any:
    """A mapping key as the document holds it: `1`, `true` and `~` are 1, True and None, not text."""
    if not isinstance(node, ScalarNode) or node.tag == _STR_TAG:
        return node.value
    try:
        return SafeConstructor().construct_object(node)
    except Exception:  # noqa: BLE001 - refused earlier by _construct
        return node.value


def _shares_nodes(root: Node) -> bool:
    """Whether a node stands twice in the composed document: what an alias (*name) makes."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _parse_careful(text: str) -> YamlDoc:
    """The pure-Python parser: refuses aliases, and turns every problem into a YamlProblem for authors."""
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlProblem(f"invalid YAML: the invisible control character U+{exc.character:04X} is not "
                          "allowed; delete it (retyping the line removes it)", line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {(): 1})
        _check_nodes(node)
        value = _construct(loader, node)
    except YamlProblem:
        raise
    except RecursionError:  # the pure-Python composer, on lists or mappings nested thousands deep
        raise YamlProblem(f"invalid YAML: lists and mappings are nested more than {MAX_DEPTH} levels deep", 1) \
            from None
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", 1) from None
    finally:
        loader.dispose()
    return _with_lines(value, node)


def _problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A syntax error as authors read it: at the line to change, with the fix when it is a common one."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = exc.problem or "invalid YAML"
    if "end of stream" in problem or "<stream end>" in problem:
        line = exc.context_mark.line + 1 if exc.context_mark else line
        return YamlProblem("invalid YAML: a bracket, brace or quote opened on this line is never closed", line)
    if "\\t" in problem or "'\\t'" in str(exc):
        return YamlProblem(f"invalid YAML: {problem} (YAML does not allow tabs for indentation; use spaces)", line)
    if explained := explain(exc, text.split("\n")):
        return YamlProblem(*explained)
    return YamlProblem(f"invalid YAML: {problem}", line)


def _with_lines(value: Any, root: Node) -> YamlDoc:
    """The document of `value`, with the line of each key path read from its composed nodes."""
    lines: dict[KeyPath, int] = {}

    def record(node: Node, path: KeyPath) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    child = (*path, _key(key_node))
                    lines[child] = key_node.start_mark.line + 1
                    record(value_node, child)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                lines[child] = item.start_mark.line + 1
                record(item, child)

    record(root, ())
    return YamlDoc(value, lines)
