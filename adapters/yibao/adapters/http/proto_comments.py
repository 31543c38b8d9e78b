"""The comments of the .proto files, by message, field and RPC: the descriptions of the OpenAPI document.

The generated code carries no comments (protoc keeps source information out of it), so they are read from the
.proto files beside it, at run time like the descriptors: a transaction added to a .proto is described with
nothing else to regenerate. A field's comment is its trailing `// …`, or else the `//` lines just above it; a
message's and an RPC's are the lines just above them. Only what the descriptors already name is looked up here,
so a construct this reader does not follow costs a description, never a path or a type.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from yibao.v1 import envelope_pb2

PROTO_DIR = Path(envelope_pb2.__file__).parent
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;")
_OPEN = re.compile(r"^\s*(message|service|enum|oneof)\s+(\w+)\s*\{")
_FIELD = re.compile(r"^\s*(?:repeated\s+|optional\s+)?[\w.]+\s+(\w+)\s*=\s*\d+[^;]*;\s*(?://\s?(.*))?$")
_RPC = re.compile(r"^\s*rpc\s+(\w+)\s*\(")
_COMMENT = re.compile(r"^\s*//\s?(.*)$")


@functools.cache
def comments() -> dict[str, str]:
    """Full name → comment: `yibao.v1.SettleInput`, `yibao.v1.SettleInput.mdtrt_id`,
    `yibao.v1.OutpatientService.Settle`."""
    found: dict[str, str] = {}
    for path in sorted(PROTO_DIR.glob("*.proto")):
        found.update(_read(path.read_text("utf-8")))
    return found


def _read(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    package, scopes, above = "", [], []
    for line in text.splitlines():
        if m := _PACKAGE.match(line):
            package = m.group(1)
        elif m := _COMMENT.match(line):
            above.append(m.group(1).strip())
            continue
        elif m := _OPEN.match(line):
            # a oneof's fields belong to the message around it: give it no scope of its own
            name = m.group(2) if m.group(1) != "oneof" else ""
            scopes.append(name)
            _put(found, _name(package, scopes), above)
        elif m := _RPC.match(line):
            _put(found, _name(package, [*scopes, m.group(1)]), above)
        elif m := _FIELD.match(line):
            trailing = (m.group(2) or "").strip()
            _put(found, _name(package, [*scopes, m.group(1)]), [trailing] if trailing else above)
        _balance(scopes, line.split("//", 1)[0], opened=bool(_OPEN.match(line)))
        above = []
    return found


def _balance(scopes: list[str], code: str, opened: bool) -> None:
    """Follow the braces of a line: an rpc's options or an `extend` open a nameless scope, `}` closes one."""
    for _ in range(code.count("{") - (1 if opened else 0)):
        scopes.append("")
    for _ in range(code.count("}")):
        if scopes:
            scopes.pop()


def _name(package: str, scopes: list[str]) -> str:
    return ".".join([package, *(s for s in scopes if s)])


def _put(found: dict[str, str], name: str, lines: list[str]) -> None:
    text = " ".join(line for line in lines if line)
    if text:
        found[name] = text
