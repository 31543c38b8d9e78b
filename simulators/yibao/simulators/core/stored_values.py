"""The core's typed values as the store keeps them: a settlement's output as replied (settlement.output), a visit's
last visit information (visit.visit_info) and a filing's input (filing.request, chronic_filing.request), as UTF-8
JSON objects of the national field names, empty fields left out.

Stores written before schema 2026-12-06.2 held protobuf bytes there; such a store is refused at start-up (see
src/yibao/storage/schema.py, SCHEMA_VERSION), so every blob read here is JSON.
"""

from __future__ import annotations

import functools
import json
import operator
import typing
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
Plain = dict[str, object]


def dumps(value: DataclassInstance) -> bytes:
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")).encode()


def plain(value: DataclassInstance) -> Plain:
    """`value` as a JSON object: strings as they are, nodes as objects, lists as arrays; empty fields left out (a node
    equal to its empty value too)."""
    names, getter, nodes = _dump_plan(type(value))
    out: Plain = {}
    for name, got in zip(names, getter(value), strict=True):
        if not got:
            continue
        if name not in nodes:
            out[name] = got
        elif isinstance(got, tuple):
            out[name] = [plain(typing.cast("DataclassInstance", v)) for v in got]
        elif got != nodes[name]:
            out[name] = plain(typing.cast("DataclassInstance", got))
    return out


@functools.cache
def _dump_plan(
    cls: type[DataclassInstance],
) -> tuple[tuple[str, ...], Callable[[DataclassInstance], tuple[object, ...]], dict[str, DataclassInstance | None]]:
    """The field names, a getter of all their values at once, and each node's or list's empty value (None: a list)."""
    plan = field_plan(cls)
    names = tuple(name for name, _, _ in plan)
    nodes = {name: None if repeated else nested() for name, nested, repeated in plan if nested is not None}
    if len(names) > 1:
        return names, operator.attrgetter(*names), nodes
    return names, lambda value: tuple(getattr(value, n) for n in names), nodes


def loads(cls: type[T], blob: bytes) -> T:
    return from_plain(cls, json.loads(blob))


def from_plain(cls: type[T], obj: Plain) -> T:
    values: Plain = {}
    for name, nested, repeated in field_plan(cls):
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
def field_plan(cls: type[DataclassInstance]) -> tuple[tuple[str, type[DataclassInstance] | None, bool], ...]:
    """(field name, its dataclass when it is a node or a list of nodes, whether it is a list), per field."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in fields(cls):
        hint = hints[f.name]
        repeated = typing.get_origin(hint) is tuple
        inner = typing.get_args(hint)[0] if repeated else hint
        plan.append((f.name, inner if isinstance(inner, type) and is_dataclass(inner) else None, repeated))
    return tuple(plan)


DIAGNOSIS_KEYS = frozenset({"diag_code", "dise_codg", "dscg_maindiag_code", "adm_diag_code"})


def visit_diagnoses(visit_info: bytes | None) -> set[str]:
    """Every diagnosis code a visit's stored information holds (2203 diseinfo, 2401/2403 mdtrtinfo and
    diseinfo), whatever message stored it: read from the plain JSON, by field name."""
    found: set[str] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key in DIAGNOSIS_KEYS and isinstance(value, str) and value:
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    if visit_info:
        walk(json.loads(visit_info))
    return found
