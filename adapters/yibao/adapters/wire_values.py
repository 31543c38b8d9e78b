"""The wire and the core: protobuf messages of yibao.v1 mapped to the settlement core's typed values and back.

The core's use cases take and return frozen dataclasses (simulators/yibao/simulators/core/values/, generated from
the protos by scripts/gen_core_values.py), never protobuf. A dataclass and its message share their national field
names, so one generic mapping serves every transaction: by field name, strings as they are, a message field to its
dataclass, a repeated field to a tuple. Each dataclass's fields are read once (`stored_values.field_plan`).

`wire_handlers` wraps the core's table of use cases so the gateway, which speaks protobuf, can call them.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from yibao.simulators.core.stored_values import field_plan, plain
from yibao.transactions import transactions

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
M = TypeVar("M", bound=Message)
Handler = Callable[..., Any]
HandlerTable = Mapping[str, tuple[Handler, tuple[str, ...]]]


def to_value(msg: Message, cls: type[T]) -> T:
    """The dataclass `cls` holding the fields of `msg` of the same names."""
    values: dict[str, Any] = {}
    for name, nested, repeated in field_plan(cls):
        got = getattr(msg, name)
        if nested is None:
            values[name] = tuple(got) if repeated else got
        elif repeated:
            values[name] = tuple(to_value(m, nested) for m in got)
        else:
            values[name] = to_value(got, nested)
    return cls(**values)


def to_message(value: DataclassInstance, msg_cls: type[M]) -> M:
    """The message `msg_cls` holding the fields of the dataclass `value`: its plain form (nested objects and lists,
    empty fields and nodes left out, as a message field never set) given to the message's constructor, which builds
    the nodes itself (faster than building each sub-message here)."""
    message: M = msg_cls(**plain(value))
    return message


def check_fields(cls: type, msg_cls: type[Message]) -> None:
    """Every field of dataclass `cls` (and of its nodes) is a field of `msg_cls` (and of its nodes): checked once, when
    the routes are built, so a value the wire cannot carry fails at start-up."""
    by_name = msg_cls.DESCRIPTOR.fields_by_name
    for name, nested, _ in field_plan(cls):
        if name not in by_name:
            raise TypeError(f"{msg_cls.DESCRIPTOR.full_name} has no field {name} ({cls.__qualname__} has)")
        sub = by_name[name].message_type
        if nested is not None:
            if sub is None:
                raise TypeError(f"{msg_cls.DESCRIPTOR.full_name}.{name} is not a node ({cls.__qualname__} has one)")
            check_fields(nested, GetMessageClass(sub))


def input_type(handler: Handler) -> type | None:
    """The dataclass a use case takes (its parameter `inp`), or None for one that still takes a message."""
    hint = typing.get_type_hints(inspect.unwrap(handler)).get("inp")
    return hint if isinstance(hint, type) and is_dataclass(hint) else None


def wire_handler(handler: Handler, request_cls: type[Message], reply_cls: type[Message]) -> Handler:
    """`handler` (a use case on typed values) as the gateway calls it: input message in, output message out. Its
    values must fit the request's input and the reply's output (TypeError at start-up otherwise)."""
    in_cls = input_type(handler)
    if in_cls is None:
        return handler
    out_cls = GetMessageClass(reply_cls.DESCRIPTOR.fields_by_name["output"].message_type)
    out_value = typing.get_type_hints(inspect.unwrap(handler))["return"]
    check_fields(in_cls, GetMessageClass(request_cls.DESCRIPTOR.fields_by_name["input"].message_type))
    check_fields(out_value, out_cls)

    @functools.wraps(handler)
    def on_the_wire(world: Any, tx: Any, ctx: Any, inp: Message) -> Message:
        return to_message(handler(world, tx, ctx, to_value(inp, in_cls)), out_cls)

    return on_the_wire


def wire_handlers(core: HandlerTable) -> dict[str, tuple[Handler, tuple[str, ...]]]:
    """The core's table with every use case mapped to and from the wire."""
    table = transactions()
    return {
        infno: (wire_handler(h, table[infno].request_cls, table[infno].reply_cls), kinds)
        for infno, (h, kinds) in core.items()
    }
