"""The core's typed values as the store keeps them: a settlement's output as replied (settlement.output), a visit's
last visit information (visit.visit_info) and a filing's input (filing.request, chronic_filing.request), as UTF-8
JSON objects of the national field names, empty fields left out.

Stores written before schema 2026-12-06.2 held protobuf bytes there; such a store is refused at start-up (see
src/yibao/storage/schema.py, SCHEMA_VERSION), so every blob read here is JSON.
"""

from __future__ import annotations

import functools
import json
import typing
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
Plain = dict[str, object]


def dumps(value: DataclassInstance) -> bytes:
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def plain(value: DataclassInstance) -> Plain:
    """`value` as a JSON object: strings as they are, nodes as objects, lists as arrays; empty fields left out."""
    out: Plain = {}
    for f in fields(value):
        got = getattr(value, f.name)
        if not got:
            continue
        if isinstance(got, str):
            out[f.name] = got
        elif isinstance(got, tuple):
            out[f.name] = [v if isinstance(v, str) else plain(v) for v in got]
        else:
            node = plain(got)
            if node:
                out[f.name] = node
    return out


def loads(cls: type[T], blob: bytes) -> T:
    return from_plain(cls, json.loads(blob))


def from_plain(cls: type[T], obj: Plain) -> T:
    values: Plain = {}
    for name, nested, repeated in _plan(cls):
        got = obj.get(name)
        if got is None:
            continue
        if nested is None:
            values[name] = tuple(typing.cast(list[str], got)) if repeated else got
        elif repeated:
            values[name] = tuple(from_plain(nested, typing.cast(Plain, v)) for v in typing.cast(list[object], got))
        else:
            values[name] = from_plain(nested, typing.cast(Plain, got))
    return cls(**values)


@functools.cache
def _plan(cls: type[DataclassInstance]) -> tuple[tuple[str, type[DataclassInstance] | None, bool], ...]:
    """(field name, its dataclass when it is a node or a list of nodes, whether it is a list), per field."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in fields(cls):
        hint = hints[f.name]
        repeated = typing.get_origin(hint) is tuple
        inner = typing.get_args(hint)[0] if repeated else hint
        plan.append((f.name, inner if isinstance(inner, type) and is_dataclass(inner) else None, repeated))
    return tuple(plan)
