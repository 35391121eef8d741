"""Record what a page's templates read from the model, to tell whether a new model changes the page.

A page is rendered with its context values wrapped in read-recording proxies. Every attribute,
item, length and call a template makes is stored as a path from a context name, for example
("course", ("a", "modules"), ("n",)) for `course.modules | length`. After a rebuild, the page
needs rendering again only when one of its paths gives a different value in the new context.
The model is frozen dataclasses and tuples, so an object that `is` the old one is unchanged.

Contract for render.py and templates.py: a page may depend only on its context. Functions in the
context and Jinja filters/globals must be pure functions of their arguments (a filter receives
the proxies, reads through them and is tracked); one that reads model data or files by itself
would make serve keep a stale page. The serve tests compare incremental output to full builds.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

Path = tuple  # (root name, step, step, ...)
Reads = dict  # Path -> the kind of value it led to when recorded
_MISSING = object()


def _kind(value: Any) -> str:
    """obj (a model dataclass), seq (a tuple/list holding one), call, or leaf (compared by ==)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "obj"
    if isinstance(value, (tuple, list)) and any(_kind(v) != "leaf" for v in value):
        return "seq"
    if callable(value) and not isinstance(value, type):
        return "call"
    return "leaf"


def track(context: Mapping[str, Any], reads: Reads) -> dict[str, Any]:
    """The context with every value wrapped so that what the templates read lands in `reads`."""
    return {name: _wrap(value, (name,), reads) for name, value in context.items()}


def _wrap(value: Any, path: Path, reads: Reads) -> Any:
    kind = reads[path] = _kind(value)
    if kind == "obj":
        return _Obj(value, path, reads)
    if kind == "seq":
        return _Seq(value, path, reads)
    if kind == "call":
        return _Call(value, path, reads)
    return value


def same_object(value: Any, other: Any) -> bool:
    """Jinja's `sameas` test, seeing through the proxies (two paths to one object are two proxies)."""
    def real(item: Any) -> Any:
        return item._cg_whole() if isinstance(item, _Proxy) else item

    return real(value) is real(other)


def _arg(value: Any) -> Any:
    """A call argument as recorded: a proxy becomes a reference to its path."""
    return ("ref", value._cg_path) if isinstance(value, _Proxy) else value


class _Proxy:
    __slots__ = ("_cg_path", "_cg_reads", "_cg_value")

    def __init__(self, value: Any, path: Path, reads: Reads):
        object.__setattr__(self, "_cg_value", value)
        object.__setattr__(self, "_cg_path", path)
        object.__setattr__(self, "_cg_reads", reads)

    def _cg_child(self, step: tuple, value: Any) -> Any:
        return _wrap(value, self._cg_path + (step,), self._cg_reads)

    def _cg_whole(self) -> Any:
        self._cg_reads[self._cg_path + (("v",),)] = "leaf"
        return self._cg_value

    def __eq__(self, other: object) -> bool:
        return self._cg_whole() == (other._cg_whole() if isinstance(other, _Proxy) else other)

    def __hash__(self) -> int:
        return hash(self._cg_whole())

    def __str__(self) -> str:
        return str(self._cg_whole())

    def __repr__(self) -> str:
        return repr(self._cg_whole())


class _Obj(_Proxy):
    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._cg_child(("a", name), getattr(self._cg_value, name))


class _Seq(_Proxy):
    __slots__ = ()

    def __len__(self) -> int:
        self._cg_reads[self._cg_path + (("n",),)] = "leaf"
        return len(self._cg_value)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self)):
            yield self._cg_child(("i", index), self._cg_value[index])

    def __reversed__(self) -> Iterator[Any]:
        for index in reversed(range(len(self))):
            yield self._cg_child(("i", index), self._cg_value[index])

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return self._cg_child(("s", index.start, index.stop, index.step), self._cg_value[index])
        return self._cg_child(("i", index), self._cg_value[index])

    def __contains__(self, item: Any) -> bool:
        return (item._cg_whole() if isinstance(item, _Proxy) else item) in self._cg_whole()


class _Call(_Proxy):
    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        real_args = [a._cg_value if isinstance(a, _Proxy) else a for a in args]
        real_kwargs = {k: v._cg_value if isinstance(v, _Proxy) else v for k, v in kwargs.items()}
        step = ("c", tuple(_arg(a) for a in args), tuple(sorted((k, _arg(v)) for k, v in kwargs.items())))
        return self._cg_child(step, self._cg_value(*real_args, **real_kwargs))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._cg_value, name)  # Jinja asks functions for markers like jinja_pass_arg


def _step(value: Any, step: tuple, context: Mapping[str, Any]) -> Any:
    kind = step[0]
    if kind == "a":
        return getattr(value, step[1])
    if kind == "i":
        return value[step[1]]
    if kind == "s":
        return value[slice(*step[1:])]
    if kind == "n":
        return len(value)
    if kind == "c":
        args = [_deref(a, context) for a in step[1]]
        return value(*args, **{k: _deref(v, context) for k, v in step[2]})
    return value  # "v": the whole value, compared by ==


def _deref(arg: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(arg, tuple) and len(arg) == 2 and arg[0] == "ref":
        return evaluate(arg[1], context)
    return arg


def evaluate(path: Path, context: Mapping[str, Any]) -> Any:
    value = context[path[0]]
    for step in path[1:]:
        value = _step(value, step, context)
    return value


def _same_path(path: Path, kind: str, refers: bool, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    a, b = old.get(path[0], _MISSING), new.get(path[0], _MISSING)
    try:
        for step in path[1:]:
            if a is b and not refers:
                return True
            if type(a) is not type(b):
                return False
            a, b = _step(a, step, old), _step(b, step, new)
    except Exception:  # noqa: BLE001 - the path leads nowhere now (or a call fails): render again
        return False
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    return kind != "leaf" or equal(a, b)  # deeper reads of an object or sequence are paths of their own


def _refers(path: Path) -> bool:
    """Whether the path calls with arguments taken from the context (identity then proves nothing)."""
    return any(step[0] == "c" and any(isinstance(a, tuple) and a[:1] == ("ref",)
                                      for a in (*step[1], *(v for _, v in step[2]))) for step in path[1:])


def equal(a: Any, b: Any) -> bool:
    """a == b for any two values; False when they refuse to be compared."""
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - any template-visible value may raise in __eq__
        return False


def _identity(value: Any) -> Any:
    method = getattr(value, "__func__", None)
    return (id(value.__self__), method) if method is not None else id(value)


Groups = dict  # root name -> (((path, kind, refers), ...), any refers)


def group(reads: Reads, interned: dict) -> Groups:
    """The reads of one page by context name; equal groups of different pages become one object."""
    by_root: dict[str, list] = {}
    for path, kind in reads.items():
        by_root.setdefault(path[0], []).append((path, kind, _refers(path)))
    groups = {}
    for root, items in by_root.items():
        paths = tuple(items)
        paths = interned.setdefault(paths, paths)
        groups[root] = (paths, any(refers for _, _, refers in paths))
    return groups


def unchanged(groups: Groups, old: Mapping[str, Any], new: Mapping[str, Any], seen: dict) -> bool:
    """True when every read of a page gives the same value in `new` as in `old`.

    `seen` shares answers between the pages of one rebuild, so the reads many pages make of the
    same objects (the site, a course) are checked once. Keep `new` contexts alive meanwhile.
    """
    for root, (paths, refers) in groups.items():
        a, b = old.get(root, _MISSING), new.get(root, _MISSING)
        if a is b and not refers:
            continue
        key = None if refers else (_identity(a), _identity(b), id(paths))
        same = seen.get(key) if key else None
        if same is None:
            same = all(_same_path(path, kind, ref, old, new) for path, kind, ref in paths)
            if key:
                seen[key] = same
        if not same:
            return False
    return True
