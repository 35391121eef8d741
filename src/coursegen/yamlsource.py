"""Parse YAML text into plain values while remembering the line of every key and item.

PyYAML is imported only when a text must really be parsed (importing it costs ~11 ms, most of an edit's
build): a text parsed before, in this process or an earlier build (see YamlMemo), is not parsed again."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from yaml.nodes import Node

KeyPath = tuple[Any, ...]


class YamlProblem(Exception):
    """A YAML text that cannot be read; `line` is 1-based within the text."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


@functools.cache
def _no_alias_loader() -> type:
    """SafeLoader that refuses aliases, so an alias bomb fails at once (a class made on first use, since
    subclassing needs yaml imported)."""
    import yaml
    from yaml.composer import Composer
    from yaml.events import AliasEvent

    class _NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
            if self.check_event(AliasEvent):
                event = self.peek_event()
                raise YamlProblem(
                    "YAML aliases (*name) are not supported; write the value out in full",
                    event.start_mark.line + 1,
                )
            return Composer.compose_node(self, parent, index)

    return _NoAliasLoader


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


class YamlMemo:
    """Documents already parsed, by their exact text, kept between builds by the build cache (parallel.py):
    an edit's build finds site.yaml, course.yaml and front matter here and never imports PyYAML. Only
    successful parses are remembered, so a text with a problem reports it every time."""

    known: ClassVar[dict[str, YamlDoc]] = {}
    new: ClassVar[dict[str, YamlDoc]] = {}  # parsed by this process since the last `take_new`
    used: ClassVar[set[str]] = set()  # texts asked for since the last `take_new`

    @classmethod
    def take_new(cls) -> dict[str, YamlDoc]:
        """This process's new documents; starts the next count of new and used ones."""
        new, cls.new, cls.used = cls.new, {}, set()
        return new

    @classmethod
    def kept(cls, limit: int) -> dict[str, YamlDoc]:
        """What the cache should keep: every known document, or past `limit` only those asked for lately."""
        if len(cls.known) <= limit:
            return cls.known
        return {text: doc for text, doc in cls.known.items() if text in cls.used or text in cls.new}


@functools.cache
def _fast_loader() -> Any:
    """yaml.CSafeLoader, None without libyaml (looked up on first parse)."""
    import yaml
    return getattr(yaml, "CSafeLoader", None)


def _shares_nodes(root: Node) -> bool:
    """Whether a node stands twice in the composed document: what an alias (*name) makes."""
    from yaml.nodes import MappingNode, SequenceNode
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


def _parse_fast(text: str) -> YamlDoc | None:
    """Alias-free, valid YAML through libyaml (fast); None leaves the text to the careful parser, which
    reports aliases and syntax errors with the messages and lines authors see."""
    fast_loader = _fast_loader()
    if fast_loader is None:
        return None
    import yaml
    loader = fast_loader(text)
    try:
        node = loader.get_single_node()
        # '*' and '&' are common in Markdown values ('*why*', 'Q&A'); only an alias, which needs a '*',
        # shares a node, and a node graph is looked at before anything is built from it
        if node is None or ("*" in text and _shares_nodes(node)):
            return None
        value = loader.construct_document(node)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return _with_lines(value, node)


def parse_yaml(text: str) -> YamlDoc:
    """Parse one YAML document (or take it from YamlMemo). Raises YamlProblem with a 1-based line on bad YAML."""
    YamlMemo.used.add(text)
    doc = YamlMemo.known.get(text)
    if doc is None:
        doc = YamlMemo.known[text] = YamlMemo.new[text] = _parse(text)
    return doc


def _parse(text: str) -> YamlDoc:
    fast = _parse_fast(text)
    if fast is not None:
        return fast
    import yaml
    try:
        loader = _no_alias_loader()(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlProblem(f"invalid YAML: the invisible control character U+{exc.character:04X} is not "
                          "allowed; delete it (retyping the line removes it)", line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {(): 1})
        value = loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        hint = ""
        if "end of stream" in problem or "<stream end>" in problem:
            line = exc.context_mark.line + 1 if exc.context_mark else line
            problem = "a bracket, brace or quote opened on this line is never closed"
        if "\\t" in problem or "'\\t'" in str(exc):
            hint = " (YAML does not allow tabs for indentation; use spaces)"
        raise YamlProblem(f"invalid YAML: {problem}{hint}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", 1) from None
    finally:
        loader.dispose()
    return _with_lines(value, node)


def _with_lines(value: Any, root: Node) -> YamlDoc:
    """The document of `value`, with the line of each key path read from its composed nodes."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
    lines: dict[KeyPath, int] = {}

    def record(node: Node, path: KeyPath) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    child = (*path, key_node.value)
                    lines[child] = key_node.start_mark.line + 1
                    record(value_node, child)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                lines[child] = item.start_mark.line + 1
                record(item, child)

    record(root, ())
    return YamlDoc(value, lines)
