"""JSON Schema checks of the files a lab writes by hand: world files (schemas/world.schema.json) and the lab's state
files (schemas/lab-state.schema.json). docs/world-format.md and docs/lab.md link them; an editor that knows JSON
Schema checks a file while it is written.

A loader calls `first_problem` beside its own reading: the schema says what shapes and types are allowed (a code is a
string, a flag a JSON boolean, an amount a decimal string), the reader what a schema cannot (references between
entries, ranges of decimal text, duplicates, the world behind a state). A problem is told as "<JSON path>: <rule>",
in the loaders' own path notation (regions[1].benefits[0].ratio), the rule from the `title` of the part of the
schema broken.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

WORLD = "world.schema.json"
LAB_STATE = "lab-state.schema.json"
KINDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The schema file `name` of src/yibao/world/schemas/."""
    loaded: dict[str, Any] = json.loads(resources.files("yibao.world").joinpath("schemas", name).read_text("utf-8"))
    return loaded


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


def first_problem(document: Any, name: str) -> str | None:
    """The first way `document` breaks schema `name`, as "<path>: <rule>"; None when it has none."""
    errors: Iterable[ValidationError] = _validator(name).iter_errors(document)
    found = sorted(errors, key=lambda e: (_order(e), relevance(e)))
    return _told(found[0]) if found else None


def preferred(schema_problem: str | None, reader_problem: str | None) -> str | None:
    """Which of two problems with one document to tell ("<path>: <rule>" each, None for none): the reader's, which
    knows the world, unless the schema's lies above it (a list given as an object: the reader may trip on an entry
    of what is no list at all), is a key missing where the reader read one of the wrong type, or the reader found
    none."""
    if schema_problem is None or reader_problem is None:
        return reader_problem or schema_problem
    above, below = schema_problem.split(": ", 1)[0], reader_problem.split(": ", 1)[0]
    if above == below:  # one value: a missing key is told as missing, anything else in the reader's words
        return schema_problem if schema_problem.endswith(": is required") else reader_problem
    return schema_problem if below.startswith((above + ".", above + "[")) else reader_problem


def _order(error: ValidationError) -> list[str]:
    """In document order: a list index sorts as its number, before the keys of its entries."""
    return [f"{p:08d}" if isinstance(p, int) else f"~{p}" for p in error.absolute_path]


def _path(parts: Iterable[str | int]) -> str:
    text = ""
    for p in parts:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else str(p))
    return text


def _told(error: ValidationError) -> str:
    where = list(error.absolute_path)
    part: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    found: Any = error.instance  # what the schema was applied to
    if error.validator == "required":
        missing = next(k for k in part["required"] if k not in found)
        return f"{_path([*where, missing])}: is required"
    if error.validator == "additionalProperties" and part.get("additionalProperties") is False:
        known = part.get("properties", {})
        extra = sorted(set(found) - set(known))[0]
        return f"{_path([*where, extra])}: unknown key (allowed here: {', '.join(known)})"
    title = part.get("title")
    rule = f"must be {title}" if title else _generic(error)
    shown = json.dumps(found, ensure_ascii=False)
    value = f"{shown} " if not isinstance(found, dict | list) and len(shown) <= 40 else ""
    return f"{_path(where) or '(top level)'}: {value}{rule}"


def _generic(error: ValidationError) -> str:
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return "must be " + " or ".join(KINDS.get(str(k), str(k)) for k in kinds)
    return str(error.message)
