"""The national JSON envelope ⇄ the gateway's protos, tolerant of what real HIS systems send.

Reading (docs/reference/interface.md §1.1): the top-level fields are the request header, `input` the request's
input. Numbers are read as their exact decimal text (4.52 stays "4.52", never a float), so amounts
and counts may come as JSON numbers or strings alike; null and "" both mean absent; unknown fields
are dropped and reported (the caller puts them in warn_msg); a list node may come as one object,
and a transaction whose input is one list (2204 `feedetail`) may send that list as `input` itself.
Anything else of the wrong type is refused with the field's path.

Writing (docs/reference/interface.md §1.2): {infcode, inf_refmsgid, refmsg_time, respond_time, err_msg, warn_msg,
cainfo, signtype, enctype, output}. Number-typed national fields (amounts, counts, prices, ratios,
balc, age) are written as JSON numbers with the proto's exact text (425.00), as the national samples
carry them; codes stay strings ("02"); empty fields are null.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from yibao.errors import Refusal
from yibao.v1.envelope_pb2 import ReplyHeader, RequestHeader

HEADER_FIELDS = tuple(f.name for f in RequestHeader.DESCRIPTOR.fields)
MAX_EXPONENT = 100  # |adjusted exponent| beyond this is no amount, count or code: refuse, never expand
MAX_LISTED_UNKNOWN = 10  # unknown field names named in warn_msg; the rest are counted
PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# National fields typed number (docs/reference/interface.md §3, §4.2, §5.3, §5.5): written as JSON numbers.
NUMBER_FIELDS = frozenset(
    {"cnt", "pric", "balc", "age", "selfpay_prop", "pool_prop_selfpay", "overlmt_selfpay", "act_pay_dedc", "prd_days"}
)
NUMBER_SUFFIXES = ("_amt", "_pay", "_payamt", "_sumamt")

_S = FieldDescriptor
_INTEGERS = {_S.TYPE_INT32, _S.TYPE_INT64, _S.TYPE_UINT32, _S.TYPE_UINT64, _S.TYPE_SINT32, _S.TYPE_SINT64}
_INTEGERS |= {_S.TYPE_FIXED32, _S.TYPE_FIXED64, _S.TYPE_SFIXED32, _S.TYPE_SFIXED64}
_FLOATS = {_S.TYPE_FLOAT, _S.TYPE_DOUBLE}
_encode_str: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

# Type names for refusals: (zh, en).
_KINDS: dict[type, tuple[str, str]] = {
    dict: ("对象", "an object"),
    list: ("数组", "an array"),
    str: ("字符串", "a string"),
    bool: ("布尔值", "a boolean"),
    int: ("数字", "a number"),
    Decimal: ("数字", "a number"),
}


def kind_of(value: Any) -> tuple[str, str]:
    return _KINDS.get(type(value), ("null", "null"))


def wrong_type(field: str, value: Any, expected: str, expected_en: str) -> Refusal:
    got, got_en = kind_of(value)
    return Refusal("HTTP_WRONG_TYPE", field, expected=expected, expected_en=expected_en, got=got, got_en=got_en)


# -- reading


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_body(raw: bytes, charset: str = "") -> Any:
    """The JSON value of a request body. UTF-8 (a BOM is tolerated); GBK family when declared."""
    encoding = "gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise Refusal("HTTP_JSON_MALFORMED", detail=f"not {encoding.removesuffix('-sig')} at byte {e.start}") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise Refusal("HTTP_JSON_MALFORMED", detail=f"{e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise Refusal("HTTP_JSON_MALFORMED", detail="nested too deeply") from None
    except ValueError as e:  # NaN/Infinity, or an integer longer than Python converts
        raise Refusal("HTTP_JSON_MALFORMED", detail=str(e)[:120]) from None


def _decimal_text(value: Decimal, field: str) -> str:
    if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        raise Refusal("HTTP_NUMBER_RANGE", field, value=str(value)[:40])
    return format(value, "f")  # plain notation: 1.5E+3 → "1500", 4.520 → "4.520"


def _clean(value: str, field: str) -> str:
    # U+0000 cannot be stored in PostgreSQL text, a lone surrogate cannot be encoded as UTF-8:
    # neither is in any national field, so refuse them here rather than fail later.
    if "\x00" in value:
        raise Refusal("HTTP_JSON_MALFORMED", field, detail=f"{field} contains U+0000")
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            raise Refusal("HTTP_JSON_MALFORMED", field, detail=f"{field} contains a lone surrogate") from None
    return value


def scalar_text(value: Any, field: str) -> str:
    """A string field's value: strings as sent, numbers as their exact decimal text."""
    if isinstance(value, str):
        return _clean(value, field)
    if isinstance(value, bool):  # before int: bool is an int in Python
        raise wrong_type(field, value, "字符串或数字", "a string or a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value, field)
    raise wrong_type(field, value, "字符串或数字", "a string or a number")


def _scalar(f: FieldDescriptor, value: Any, field: str) -> Any:
    if f.type == _S.TYPE_STRING:
        return scalar_text(value, field)
    if f.type == _S.TYPE_BOOL:
        if isinstance(value, bool):
            return value
        if value in ("0", "1", 0, 1, "true", "false"):
            return value in ("1", 1, "true")
        raise wrong_type(field, value, "布尔值", "a boolean")
    if f.type in _INTEGERS:
        text = scalar_text(value, field).strip()
        if not re.fullmatch(r"-?[0-9]{1,20}", text):
            raise wrong_type(field, value, "整数", "an integer")
        return int(text)
    if f.type in _FLOATS:
        try:
            return float(Decimal(scalar_text(value, field)))
        except ArithmeticError:
            raise wrong_type(field, value, "数字", "a number") from None
    if f.type == _S.TYPE_ENUM:
        text = scalar_text(value, field)
        by_name = f.enum_type.values_by_name.get(text)
        if by_name is not None:
            return by_name.number
        if re.fullmatch(r"-?[0-9]{1,10}", text) and int(text) in f.enum_type.values_by_number:
            return int(text)
        raise Refusal("ENV_CODE", field, value=text, allowed="/".join(f.enum_type.values_by_name))
    if f.type == _S.TYPE_BYTES:  # a file (9101 fsUploadIn.in): its Base64 text, as the national clients send it
        return _base64(scalar_text(value, field), field)
    raise wrong_type(field, value, "对象", "an object")  # other types are not national


def _base64(text: str, field: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)  # line-wrapped Base64 (MIME) is read too
    except (binascii.Error, ValueError) as e:
        raise Refusal("FILE_NOT_BASE64", field, detail=str(e)[:100], detail_en=str(e)[:100]) from None


JSON_TEXT_FIELDS = frozenset({"exp_content"})  # sent as an object or as its text; the core reads the text


def fill(msg: Message, node: dict[str, Any], path: str, unknown: list[str]) -> None:
    """Copy a JSON object into `msg`, field by field, naming each offending field by its path."""
    fields = msg.DESCRIPTOR.fields_by_name
    for key, value in node.items():
        f = fields.get(key)
        where = f"{path}.{key}"
        if f is None:
            unknown.append(where)
            continue
        if value is None:
            continue
        try:
            if f.type == _S.TYPE_MESSAGE:
                _fill_message(msg, f, value, where, unknown)
            elif f.is_repeated:
                if not isinstance(value, list):
                    value = [value]
                getattr(msg, key).extend(_scalar(f, v, f"{where}[{n}]") for n, v in enumerate(value))
            else:
                if key in JSON_TEXT_FIELDS and isinstance(value, dict):  # {"er_flag": "1"}: kept as its JSON text
                    value = json.dumps(value, ensure_ascii=False)
                scalar = _scalar(f, value, where)
                if scalar != "":
                    setattr(msg, key, scalar)
        except ValueError as e:  # out of the field's range (e.g. int32)
            raise Refusal("HTTP_NUMBER_RANGE", where, value=str(value)[:40]) from e


def _fill_message(msg: Message, f: FieldDescriptor, value: Any, where: str, unknown: list[str]) -> None:
    if f.is_repeated:
        if isinstance(value, dict):  # one object where a list is due ({} for none)
            value = [value] if value else []
        if not isinstance(value, list):
            raise wrong_type(where, value, "数组", "an array")
        target = getattr(msg, f.name)
        for n, item in enumerate(value):
            if item is None:
                continue
            if not isinstance(item, dict):
                raise wrong_type(f"{where}[{n}]", item, "对象", "an object")
            fill(target.add(), item, f"{where}[{n}]", unknown)
        return
    if not isinstance(value, dict):
        raise wrong_type(where, value, "对象", "an object")
    sub = getattr(msg, f.name)
    sub.SetInParent()
    fill(sub, value, where, unknown)


def read_header(body: dict[str, Any], header: RequestHeader) -> list[str]:
    """Fill the request header from the body's top level. Returns unknown top-level keys."""
    unknown = []
    for key, value in body.items():
        if key in RequestHeader.DESCRIPTOR.fields_by_name:
            if value is not None:
                setattr(header, key, scalar_text(value, f"header.{key}"))
        elif key != "input":
            unknown.append(key)
    return unknown


def read_input(value: Any, target: Message, unknown: list[str]) -> None:
    """Fill the request's input from the envelope's `input`: an object, or (for a transaction whose
    input is a single list, like 2204 feedetail) that list itself."""
    if value is None:
        return
    if isinstance(value, list):
        lists = [f for f in target.DESCRIPTOR.fields if f.is_repeated and f.type == _S.TYPE_MESSAGE]
        if len(target.DESCRIPTOR.fields) == 1 and len(lists) == 1:
            value = {lists[0].name: value}
        else:
            raise wrong_type("input", value, "对象", "an object")
    if not isinstance(value, dict):
        raise wrong_type("input", value, "对象", "an object")
    fill(target, value, "input", unknown)


def unknown_warning(unknown: list[str]) -> str:
    shown = "、".join(safe_text(u[:60]) for u in unknown[:MAX_LISTED_UNKNOWN])
    more = f" 等 {len(unknown)} 个" if len(unknown) > MAX_LISTED_UNKNOWN else ""
    return f"已忽略未知字段：{shown}{more}"


# -- writing


def safe_text(text: str) -> str:
    """Text that encodes as UTF-8 whatever a client put in it (lone surrogates become escapes)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_number_field(name: str) -> bool:
    return name in NUMBER_FIELDS or name.endswith(NUMBER_SUFFIXES)


_Plan = tuple[tuple[str, str, FieldDescriptor], ...]  # (name, kind, field)
_plans: dict[str, _Plan] = {}


def _plan(descriptor: Descriptor) -> _Plan:
    plan = _plans.get(descriptor.full_name)
    if plan is None:
        steps = []
        for f in descriptor.fields:
            if f.type == _S.TYPE_MESSAGE:
                kind = "messages" if f.is_repeated else "message"
            elif f.type == _S.TYPE_STRING:
                kind = "number" if _is_number_field(f.name) else "string"
            else:
                kind = "other"
            steps.append((f.name, kind, f))
        plan = _plans[descriptor.full_name] = tuple(steps)
    return plan


def _text(value: str, kind: str) -> str:
    if not value:
        return "null"
    if kind == "number" and PLAIN_NUMBER.fullmatch(value):
        return value
    return _encode_str(value)


def _other(value: Any, f: FieldDescriptor) -> str:
    if f.is_repeated:
        return "[" + ",".join(_other_one(v, f) for v in value) + "]"
    return _other_one(value, f)


def _other_one(value: Any, f: FieldDescriptor) -> str:
    if f.type == _S.TYPE_ENUM:
        named = f.enum_type.values_by_number.get(value)
        return _encode_str(named.name) if named else str(value)
    if isinstance(value, bytes):  # a file, as Base64 text (the inspector's view of a 9101 or 9102)
        return _encode_str(base64.b64encode(value).decode())
    return json.dumps(value)


def encode_message(msg: Message) -> str:
    """A message as national JSON text: every field, in declaration order."""
    parts = []
    for name, kind, f in _plan(msg.DESCRIPTOR):
        value = getattr(msg, name)
        if kind == "string" or kind == "number":
            text = "[" + ",".join(_text(v, kind) for v in value) + "]" if f.is_repeated else _text(value, kind)
        elif kind == "messages":
            text = "[" + ",".join(encode_message(m) for m in value) + "]"
        elif kind == "message":
            text = encode_message(value) if msg.HasField(name) else "null"
        else:
            text = _other(value, f)
        parts.append(f'"{name}":{text}')
    return "{" + ",".join(parts) + "}"


def encode_reply(header: ReplyHeader, output: Message | None, warnings: Sequence[str] = ()) -> bytes:
    """The national reply body. `warnings` (the transport's) are appended to warn_msg."""
    warn = "；".join([header.warn_msg, *warnings] if header.warn_msg else warnings)
    return (
        f'{{"infcode":{header.infcode},'
        f'"inf_refmsgid":{_text(header.inf_refmsgid, "string")},'
        f'"refmsg_time":{_text(header.refmsg_time, "string")},'
        f'"respond_time":{_text(header.respond_time, "string")},'
        f'"err_msg":{_text(header.err_msg, "string")},'
        f'"warn_msg":{_text(warn, "string")},'
        '"cainfo":null,"signtype":null,"enctype":null,'
        f'"output":{encode_message(output) if output is not None else "null"}}}'
    ).encode()
