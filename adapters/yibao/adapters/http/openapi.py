"""The OpenAPI 3.1 document of the national JSON entry, built at run time from the protos' descriptors.

Every transaction of `yibao.transactions` gets its addresses (docs/http.md): its Hebei-style path (the proto option
`http_path`) when it has one, and `/{infno}`; the dispatch address takes any transaction. A request is the national
envelope (the RequestHeader's fields at the top level) with the transaction's input message under `input`; a reply
is the national reply envelope with its output message under `output` (null when refused). Field names, types and
descriptions come from the messages and the .proto comments (proto_comments.py), so a transaction added to a .proto
is in the document at the next start with no hand edit.

Types follow what national_json.py reads and writes, not the proto's own: requests may send any scalar as a
string or a number (amounts as numbers keep their exact text), null or "" for absent, one object where a list is
due; replies write amounts, counts, prices and ratios as JSON numbers (a string only when the value is not plain
decimal text), codes and other text as strings, and every empty field as null. Reply messages list every field
and no other (the encoder writes them all), so a reply that drifts from the protos fails validation.
"""

from __future__ import annotations

import functools
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from yibao.adapters.http import national_json as nj
from yibao.adapters.http.paths import DISPATCH_SUFFIXES
from yibao.adapters.http.proto_comments import comments
from yibao.transactions import Transaction, transactions
from yibao.v1.envelope_pb2 import ReplyHeader, RequestHeader

_S = FieldDescriptor
DISPATCH_PATH = "/fsi/api/callFsiService/callService"  # the national dispatch address (paths.DISPATCH_SUFFIXES)
REQUIRED_MARK = "Y"  # a field comment starting with Y marks a field the national interface requires
_INTEGERS = {_S.TYPE_INT32, _S.TYPE_INT64, _S.TYPE_UINT32, _S.TYPE_UINT64, _S.TYPE_SINT32, _S.TYPE_SINT64}


def document(server: str = "http://127.0.0.1:8080") -> dict[str, Any]:
    """The whole document; `server` is the base URL shown as the default (the one the document was asked of)."""
    doc = dict(_document())
    doc["servers"] = [
        {
            "url": "{base}",
            "description": "the gateway's HTTP port, under any prefix (…/ebus/rio_fsi, …/poc/hsa/hgs): the address's "
            "last segments name the transaction",
            "variables": {"base": {"default": server.rstrip("/")}},
        }
    ]
    return doc


@functools.cache
def _document() -> dict[str, Any]:
    schemas: dict[str, Any] = {"RequestEnvelope": _request_envelope(), "ReplyEnvelope": _reply_envelope()}
    paths: dict[str, Any] = {}
    for infno, tx in transactions().items():
        _message_schemas(tx.request_cls.DESCRIPTOR.fields_by_name["input"].message_type, "in", schemas)
        _message_schemas(tx.reply_cls.DESCRIPTOR.fields_by_name["output"].message_type, "out", schemas)
        schemas[f"Request_{infno}"] = _request_of(tx)
        schemas[f"Reply_{infno}"] = _reply_of(tx)
        if tx.http_path:
            paths[tx.http_path] = {"post": _operation(tx, f"tx{infno}_path", "its own (Hebei-style) address")}
        paths[f"/{infno}"] = {"post": _operation(tx, f"tx{infno}", "the address ending in its infno")}
    paths[DISPATCH_PATH] = {"post": _dispatch()}
    assert DISPATCH_PATH.lower() in DISPATCH_SUFFIXES
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Yibao Gateway: the national JSON entry",
            "version": "1",
            "description": "The national medical-insurance interface over HTTP: POST the national envelope, get the "
            "national reply (infcode 0, or -1 with err_msg naming the code, field and rule; HTTP 200 "
            "either way, except an unknown address 404, not POST 405, a body too large 413, not "
            "JSON 415). Generated from the protos when asked for. docs/http.md.",
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _described(schema: dict[str, Any], full_name: str) -> dict[str, Any]:
    text = comments().get(full_name)
    return {**schema, "description": text} if text else schema


def _operation(tx: Transaction, operation_id: str, how: str) -> dict[str, Any]:
    summary = f"{tx.infno} {tx.national_name}".strip()
    return {
        "operationId": operation_id,
        "tags": [tx.service.rsplit(".", 1)[-1]],
        "summary": summary,
        "description": _described({}, f"{tx.service}.{tx.method}").get("description", summary)
        + f" ({how}; gRPC {tx.path})",
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(f"Request_{tx.infno}")}}},
        "responses": {
            "200": {
                "description": "the national reply: infcode 0 with output, or -1 with err_msg",
                "content": _reply_content(tx),
            },
            "default": {
                "description": "a transport refusal (404, 405, 413, 415, 503): the national reply, infcode -1",
                "content": {"application/json": {"schema": _ref("ReplyEnvelope")}},
            },
        },
    }


def _reply_content(tx: Transaction) -> dict[str, Any]:
    """A reply's media types: the national reply; also the file itself for a transaction whose output carries one
    (9102: over HTTP its answer is the file, application/octet-stream, and only a refusal is national JSON)."""
    content: dict[str, Any] = {"application/json": {"schema": _ref(f"Reply_{tx.infno}")}}
    output = tx.reply_cls.DESCRIPTOR.fields_by_name["output"].message_type
    if any(f.type == _S.TYPE_BYTES for f in output.fields):
        content["application/octet-stream"] = {"schema": {"type": "string", "contentMediaType": "application/zip"}}
    return content


def _dispatch() -> dict[str, Any]:
    return {
        "operationId": "dispatch",
        "tags": ["dispatch"],
        "summary": "any transaction, named by the envelope's infno",
        "description": "The one dispatch address (also served at /api and /): the envelope's infno says which "
        "transaction; its input and output are those of the transaction's own address.",
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"oneOf": [_ref(f"Request_{infno}") for infno in transactions()]}}
            },
        },
        "responses": {
            "200": {
                "description": "the national reply of the transaction named",
                "content": {"application/json": {"schema": _ref("ReplyEnvelope")}},
            }
        },
    }


def _request_of(tx: Transaction) -> dict[str, Any]:
    input_type = tx.request_cls.DESCRIPTOR.fields_by_name["input"].message_type
    single_list = _single_list(input_type)
    given: dict[str, Any] = _ref(f"{input_type.name}.in")
    if single_list is not None:  # 2204: the list itself may be the input (national_json.read_input)
        given = {"oneOf": [given, {"type": "array", "items": _ref(f"{single_list.name}.in")}]}
    return {
        "allOf": [_ref("RequestEnvelope")],
        "type": "object",
        "properties": {"infno": {"enum": _as_sent(tx.infno)}, "input": {"oneOf": [given, {"type": "null"}]}},
    }


def _as_sent(code: str) -> list[str | int]:
    """A code as a HIS may send it: its text, or the JSON number of the same text (1101, not 0101)."""
    return [code, int(code)] if code.isdigit() and str(int(code)) == code else [code]


def _single_list(descriptor: Descriptor) -> Descriptor | None:
    fields = descriptor.fields
    if len(fields) == 1 and fields[0].is_repeated and fields[0].type == _S.TYPE_MESSAGE:
        return fields[0].message_type
    return None


def _reply_of(tx: Transaction) -> dict[str, Any]:
    output_type = tx.reply_cls.DESCRIPTOR.fields_by_name["output"].message_type
    return {
        "allOf": [_ref("ReplyEnvelope")],
        "type": "object",
        "properties": {"output": {"oneOf": [_ref(f"{output_type.name}.out"), {"type": "null"}]}},
    }


def _request_envelope() -> dict[str, Any]:
    props = {
        f.name: _described(_request_scalar(f), f"yibao.v1.RequestHeader.{f.name}")
        for f in RequestHeader.DESCRIPTOR.fields
    }
    props["input"] = {"description": "the transaction's input (see its own address)"}
    return {
        "type": "object",
        "description": "The national request envelope: the header fields at the top level, the input under `input`. "
        "Unknown fields are ignored and named in the reply's warn_msg.",
        "required": ["infno"],
        "properties": props,
    }


def _reply_envelope() -> dict[str, Any]:
    props: dict[str, Any] = {"infcode": {"type": "integer", "description": "0 done, -1 refused"}}
    for f in ReplyHeader.DESCRIPTOR.fields:
        if f.name != "infcode":
            props[f.name] = _described({"type": ["string", "null"]}, f"yibao.v1.ReplyHeader.{f.name}")
    for name in ("cainfo", "signtype", "enctype"):
        props[name] = {"type": "null", "description": "not used by this platform: always null"}
    props["output"] = {"description": "the transaction's output; null when refused"}
    return {
        "type": "object",
        "description": "The national reply envelope.",
        "required": [*props],
        "properties": props,
        "additionalProperties": False,
    }


def _message_schemas(descriptor: Descriptor, side: str, schemas: dict[str, Any]) -> None:
    """Put the schema of `descriptor` and of every message it holds, for one side ("in" or "out"), in `schemas`."""
    name = f"{descriptor.name}.{side}"
    if name in schemas:
        return
    schemas[name] = {}  # claimed first: a message may hold itself
    props = {}
    for f in descriptor.fields:
        if f.type == _S.TYPE_MESSAGE:
            _message_schemas(f.message_type, side, schemas)
            schema = _message_field(f, side)
        else:
            schema = _request_scalar(f) if side == "in" else _reply_scalar(f)
        props[f.name] = _described(schema, f"{descriptor.full_name}.{f.name}")
    schemas[name] = _described({"type": "object", "properties": props}, descriptor.full_name)
    if side == "out":  # the encoder writes every field, and no other
        schemas[name] |= {"required": [f.name for f in descriptor.fields], "additionalProperties": False}


def _message_field(f: FieldDescriptor, side: str) -> dict[str, Any]:
    one = _ref(f"{f.message_type.name}.{side}")
    if side == "out":
        return {"type": "array", "items": one} if f.is_repeated else {"oneOf": [one, {"type": "null"}]}
    if f.is_repeated:  # one object where a list is due is read as a list of one; null items are skipped
        return {"oneOf": [{"type": "array", "items": {"oneOf": [one, {"type": "null"}]}}, one, {"type": "null"}]}
    return {"oneOf": [one, {"type": "null"}]}


def _request_scalar(f: FieldDescriptor) -> dict[str, Any]:
    if f.type == _S.TYPE_BOOL:
        one: dict[str, Any] = {"oneOf": [{"type": "boolean"}, {"enum": ["0", "1", 0, 1, "true", "false"]}]}
    elif f.type in _INTEGERS:
        one = {"type": ["integer", "string"], "pattern": "^-?[0-9]{1,20}$"}
    elif f.type == _S.TYPE_ENUM:
        one = {"enum": [*f.enum_type.values_by_name, *f.enum_type.values_by_number]}
    elif _is_amount(f.name):  # an amount, count, price or ratio: its exact decimal text either way
        one = {"type": ["number", "string"]}
    elif f.type == _S.TYPE_BYTES:  # a file (9101's zip): its Base64 text
        one = {"type": "string", "contentEncoding": "base64"}
    elif f.name in nj.JSON_TEXT_FIELDS:  # exp_content: an object, or its JSON text
        one = {"type": ["object", "string"]}
    else:  # codes and text: a string (a number sent is read as its text)
        one = {"type": ["string", "number"]}
    if f.is_repeated:
        return {"type": ["array", "null"], "items": one}
    return {"oneOf": [one, {"type": "null"}]} if "oneOf" in one or "enum" in one else _or_null(one)


def _reply_scalar(f: FieldDescriptor) -> dict[str, Any]:
    if f.type == _S.TYPE_STRING:
        one: dict[str, Any] = (
            {"type": ["number", "string", "null"]} if _is_amount(f.name) else {"type": ["string", "null"]}
        )
    elif f.type == _S.TYPE_BOOL:
        one = {"type": "boolean"}
    elif f.type in _INTEGERS:
        one = {"type": "integer"}
    elif f.type == _S.TYPE_ENUM:
        one = {"enum": [*f.enum_type.values_by_name, *f.enum_type.values_by_number]}
    elif f.type == _S.TYPE_BYTES:  # a file: over HTTP the answer is the file itself (_reply_content)
        one = {"type": ["string", "null"], "contentEncoding": "base64"}
    else:
        one = {"type": "number"}
    return {"type": "array", "items": one} if f.is_repeated else one


def _is_amount(name: str) -> bool:
    """Whether the entry writes the field as a JSON number (national_json's rule: amounts, counts, prices, ratios)."""
    return name in nj.NUMBER_FIELDS or name.endswith(nj.NUMBER_SUFFIXES)


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"]}
