"""Length and character checks of every input text field, before any handler runs.

A national field stored in a column may not be longer than the column (PostgreSQL would refuse the
write with an internal error, SQLite would store it silently), so the limits are read from the
schema itself: an input field named like a column gets that column's length. Text may never
contain U+0000, which PostgreSQL cannot store, nor control or bidirectional-text characters, nor
outside free text line breaks and tabs (`yibao.inputs.text_field`).
"""

from __future__ import annotations

from functools import cache

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import String

from yibao.errors import Refusal
from yibao.inputs import text_field
from yibao.storage.schema import metadata

OTHER_TEXT_MAX = 4000  # fields that are not stored in a column of their own (national free text is ≤ 4000)
ALIASES = {"ipt_no": "ipt_otp_no"}  # 2401's 住院号 is stored as the visit's ipt_otp_no


@cache
def limits() -> dict[str, int]:
    found: dict[str, int] = {}
    for table in metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                found[column.name] = min(found.get(column.name, column.type.length), column.type.length)
    for alias, name in ALIASES.items():
        found[alias] = found[name]
    return found


def check_input(msg: Message, path: str = "input") -> None:
    table = limits()
    for field, value in msg.ListFields():
        kind = field.type
        if kind == _MESSAGE:
            if field.is_repeated:
                for n, item in enumerate(value):
                    check_input(item, f"{path}.{field.name}[{n}]")
            else:
                check_input(value, f"{path}.{field.name}")
        elif kind == _STRING:
            limit = table.get(field.name, OTHER_TEXT_MAX)
            for text in value if field.is_repeated else (value,):
                if len(text) > limit:
                    raise Refusal("ENV_TOO_LONG", f"{path}.{field.name}", max=limit)
                if "\x00" in text:
                    raise Refusal("ENV_FORMAT", f"{path}.{field.name}", rule="不能包含 U+0000 字符")
                text_field(text, f"{path}.{field.name}", field.name)


_MESSAGE, _STRING = FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_STRING
