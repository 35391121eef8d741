"""Model values <-> JSON data, for the cache: only the listed dataclasses, every field checked on the way in.

Decoding never runs code and never builds anything but those classes, plain values, tuples and frozensets:
a damaged or crafted entry raises CodecError, which the store takes as a miss.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

from ..alignment import GoalCheck
from ..config import CardMeta, ModuleMeta
from ..diagnostics import Diagnostic
from ..parse import LinkRef, ParsedCard, ParsedModule, ParsedNote

CLASSES: dict[str, type] = {cls.__name__: cls for cls in (ParsedModule, ParsedCard, LinkRef, ModuleMeta,
                                                          CardMeta, Diagnostic, GoalCheck, ParsedNote)}


class CodecError(ValueError):
    """Data that is not the encoding of a value of the expected type."""


def encode(value: Any) -> Any:
    """JSON-able data for `value`: dataclasses as {"@": name, field: ...}, tuples and frozensets tagged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__, **{f.name: encode(getattr(value, f.name))
                                              for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"(": [encode(item) for item in value]}
    if isinstance(value, frozenset):
        return {"{": sorted(encode(item) for item in value)}
    return value


def decode(data: Any, expected: Any) -> Any:
    """The value `data` encodes, which must be of type `expected` (a type hint); CodecError otherwise."""
    return _decoder(expected)(data)


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(expected: Any) -> Decoder:
    """A function that decodes data of the type hint `expected` (made once per hint)."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        return _union([_decoder(option) for option in args], expected)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda data: tuple(map(item, _tagged(data, "(")))
    if origin is tuple:
        return _fixed_tuple([_decoder(arg) for arg in args])
    if origin is frozenset:
        item = _decoder(args[0])
        return lambda data: frozenset(map(item, _tagged(data, "{")))
    if origin is typing.Literal:
        return _one_of(args)
    if expected is type(None):
        return _one_of((None,))
    if isinstance(expected, type) and dataclasses.is_dataclass(expected):
        return _dataclass(expected)
    if expected in (str, int, bool):
        return _plain(expected)
    raise TypeError(f"no decoder for {expected}")


def _union(options: list[Decoder], expected: Any) -> Decoder:
    def decode_union(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except CodecError:
                continue
        raise CodecError(f"{data!r:.60} is none of {expected}")
    return decode_union


def _fixed_tuple(items: list[Decoder]) -> Decoder:
    def decode_tuple(data: Any) -> tuple[Any, ...]:
        values = _tagged(data, "(")
        if len(values) != len(items):
            raise CodecError("a tuple of the wrong length")
        return tuple(item(value) for item, value in zip(items, values))
    return decode_tuple


def _one_of(allowed: tuple[Any, ...]) -> Decoder:
    def decode_constant(data: Any) -> Any:
        if data not in allowed or type(data) not in {type(a) for a in allowed}:
            raise CodecError(f"{data!r:.60} is not one of {allowed}")
        return data
    return decode_constant


def _plain(kind: type) -> Decoder:
    def decode_plain(data: Any) -> Any:
        if type(data) is not kind:
            raise CodecError(f"{data!r:.60} is not a {kind.__name__}")
        return data
    return decode_plain


def _tagged(data: Any, tag: str) -> list[Any]:
    if type(data) is not dict or len(data) != 1 or type(data.get(tag)) is not list:
        raise CodecError(f"not a {tag} list")
    return data[tag]  # type: ignore[no-any-return]


def _dataclass(cls: type) -> Decoder:
    if CLASSES.get(cls.__name__) is not cls:
        raise TypeError(f"{cls.__name__} is not a cached class")
    hints = typing.get_type_hints(cls)
    fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(cls)}
    expected_keys = {"@", *fields}

    def decode_dataclass(data: Any) -> Any:
        if type(data) is not dict or data.get("@") != cls.__name__ or data.keys() != expected_keys:
            raise CodecError(f"not a {cls.__name__}")
        return cls(**{name: field(data[name]) for name, field in fields.items()})
    return decode_dataclass
