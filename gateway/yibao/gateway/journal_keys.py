"""The searchable keys of a journaled transaction (psn_no, mdtrt_id, setl_id), read straight from
the protos: the hot path pays a few attribute reads, never a JSON conversion.

Where a key lives differs per transaction (input.data.psn_no, input.feedetail[0].psn_no,
output.setlinfo.setl_id, output.baseinfo.psn_no …), so the places are found once per message type
from its descriptor: a field of that name on the message itself, or one level down in a sub-node
(the first element of a list). New transactions are covered without a table to maintain.
"""

from __future__ import annotations

import threading

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

KEYS = ("psn_no", "mdtrt_id", "setl_id")
WIDTH = 30  # the journal columns' width; longer values (only in refused requests) are cut

Path = tuple[FieldDescriptor, ...]
_places: dict[str, dict[str, tuple[Path, ...]]] = {}
_lock = threading.Lock()


def _find(descriptor: Descriptor) -> dict[str, tuple[Path, ...]]:
    found: dict[str, list[Path]] = {k: [] for k in KEYS}
    for key in KEYS:
        own = descriptor.fields_by_name.get(key)
        if own is not None and own.type == FieldDescriptor.TYPE_STRING and not own.is_repeated:
            found[key].append((own,))
    for node in descriptor.fields:
        if node.type != FieldDescriptor.TYPE_MESSAGE:
            continue
        for key in KEYS:
            leaf = node.message_type.fields_by_name.get(key)
            if leaf is not None and leaf.type == FieldDescriptor.TYPE_STRING and not leaf.is_repeated:
                found[key].append((node, leaf))
    return {k: tuple(v) for k, v in found.items()}


def _places_of(descriptor: Descriptor) -> dict[str, tuple[Path, ...]]:
    places = _places.get(descriptor.full_name)
    if places is None:
        with _lock:
            places = _places.setdefault(descriptor.full_name, _find(descriptor))
    return places


def _value(msg: Message, paths: tuple[Path, ...]) -> str | None:
    for path in paths:
        m = msg
        for node in path[:-1]:
            m = getattr(m, node.name)
            if node.is_repeated:
                if not m:
                    break
                m = m[0]
        else:
            v = getattr(m, path[-1].name)
            if v:
                return v[:WIDTH]
    return None


def journal_keys(request: Message, reply: Message | None) -> dict[str, str | None]:
    """psn_no, mdtrt_id and setl_id of one transaction: the request's when it names one (so a 2208
    is found under the settlement it cancels), else the reply's (2201's new mdtrt_id, 2207's setl_id)."""
    inp = request.input  # type: ignore[attr-defined]
    out = reply.output if reply is not None else None  # type: ignore[attr-defined]
    in_places = _places_of(inp.DESCRIPTOR)
    out_places = _places_of(out.DESCRIPTOR) if out is not None else None
    keys: dict[str, str | None] = {}
    for key in KEYS:
        value = _value(inp, in_places[key])
        if value is None and out_places is not None:
            value = _value(out, out_places[key])  # type: ignore[arg-type]
        keys[key] = value
    return keys
