"""The core's journal reader (yibao.simulators.core.journal_wire) on protobuf: the journal and the replies kept under
a msgid are the wire bytes the gateway stored, read here with the messages of yibao.v1 and mapped to the core's
values (adapters/yibao/adapters/wire_values.py)."""

from __future__ import annotations

from typing import Protocol, cast

from google.protobuf import json_format
from google.protobuf.message import Message

from yibao.adapters.wire_values import to_value
from yibao.call import CallContext
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.simulators.core.values.settlement import SettleOutput
from yibao.timetext import compact_ms
from yibao.transactions import transactions
from yibao.v1 import envelope_pb2, settlement_pb2

OUTPUT_JSON_MAX = 1 << 20  # bytes: with the settlement's nodes beside it, Y5203 stays well within 4 MiB


class _Journaled(Protocol):
    """A request of yibao.v1 as journaled: every one carries the envelope's header."""

    @property
    def header(self) -> envelope_pb2.RequestHeader: ...


class _Replied(Protocol):
    """A reply of yibao.v1: every one carries its transaction's output node."""

    @property
    def output(self) -> Message: ...


class ProtobufJournal:
    def insured_place(self, infno: str, request: bytes) -> str:
        parsed = transactions()[infno].request_cls.FromString(request)
        return cast(_Journaled, parsed).header.insuplc_admdvs

    def replied_settlement(self, reply: bytes) -> SettleOutput:
        return to_value(settlement_pb2.SettleReply.FromString(reply).output, SettleOutput)

    def replied_output(self, infno: str, reply: bytes) -> tuple[str, str, SettleOutput | None] | None:
        tx = transactions().get(infno)  # every transaction, read-only ones too
        if tx is None:
            return None
        replied = tx.reply_cls.FromString(reply)
        output = cast(_Replied, replied).output
        text, omitted = output_json(output)
        settled = isinstance(replied, settlement_pb2.SettleReply) and replied.output.setlinfo.setl_id
        return text, omitted, to_value(output, SettleOutput) if settled else None

    def refusal(self, ctx: CallContext, refusal: Refusal) -> bytes:
        """The ErrorDetail with its header, as gateway/yibao/gateway/dispatch.py stores it."""
        stamp = compact_ms(ctx.now)
        header = envelope_pb2.ReplyHeader(
            infcode=-1,
            inf_refmsgid=new_id(ctx.mdtrtarea_admvs, ctx.now),
            refmsg_time=stamp,
            respond_time=stamp,
            err_msg=refusal.err_msg,
        )
        detail = envelope_pb2.ErrorDetail(
            code=refusal.code,
            category=refusal.category.value,
            field=refusal.field,
            message_zh=refusal.message_zh,
            message_en=refusal.message_en,
            header=header,
        )
        blob: bytes = detail.SerializeToString()
        return blob

    def refusal_text(self, blob: bytes) -> str:
        text: str = envelope_pb2.ErrorDetail.FromString(blob).header.err_msg
        return text


def output_json(output: Message, limit: int = OUTPUT_JSON_MAX) -> tuple[str, str]:
    """A reply's output as national JSON within `limit` bytes, and what was left out to get there: the longest
    lists of the output (not inside another list), largest first, each as "path:entries", comma-separated; or
    "output" when even without them it is too long (and the JSON is then ""). The fee-item limits keep every
    reply within it (docs/limits.md); this is what holds if they did not."""
    text = _json(output)
    if len(text) <= limit:  # MessageToJson escapes every non-ASCII character: a character is a byte
        return text, ""
    trimmed = type(output)()
    trimmed.CopyFrom(output)
    omitted = []
    for _, path, count, parent, name in sorted(_lists(trimmed, ""), key=lambda f: (-f[0], f[1])):
        parent.ClearField(name)
        omitted.append(f"{path}:{count}")
        text = _json(trimmed)
        if len(text) <= limit:
            return text, ",".join(omitted)
    return "", ",".join([*omitted, "output"])


def _lists(msg: Message, path: str) -> list[tuple[int, str, int, Message, str]]:
    """Every non-empty repeated field of `msg` and of its single sub-messages: (bytes, path, entries, parent,
    name)."""
    found: list[tuple[int, str, int, Message, str]] = []
    for f, value in msg.ListFields():
        where = f"{path}{f.name}"
        if f.is_repeated:
            size = sum(v.ByteSize() for v in value) if f.type == f.TYPE_MESSAGE else len(value)
            found.append((size, where, len(value), msg, f.name))
        elif f.type == f.TYPE_MESSAGE:
            found.extend(_lists(value, f"{where}."))
    return found


def _json(output: Message) -> str:
    text: str = json_format.MessageToJson(output, preserving_proto_field_name=True, indent=None)
    return text
