"""Msgid idempotency and the journal: everything the platform promises about one msgid.

- **Claim.** A call's msgid is claimed (a row in `message`) in the same write transaction as its
  business writes and its reply, so a crash leaves all of it or none, and a retry finds the whole
  result or nothing. A concurrent duplicate blocks on the claim (or fails on its key) and then
  replays the winner's answer.
- **Replay.** A msgid seen before answers what it answered then — the reply, or the refusal — when
  the body is the same transaction, institution and input (`body_hash`); a different body under a
  used msgid is refused (ENV_MSGID_REUSED).
- **Remembered refusals.** A refusal by the handler is remembered under the msgid (a resend gets the
  same refusal); a refusal before the claim (envelope, sign_no, admission) is journaled only, so a
  corrected resend is checked again.
- **Tombstone.** A 2601 reversal of a msgid that never arrived claims it first with the body hash
  `MSG_TOMBSTONE` (simulators/yibao/simulators/core/reversal.py); the message, if it comes later, is refused with the
  stored answer whatever it carries.
- **Journal.** Every call — executed, replayed or refused — leaves one journal row with the request
  as received, the reply as sent, its outcome, duration and searchable keys (psn_no, mdtrt_id,
  setl_id) read straight from the protos.

The statements behind it are in src/yibao/storage/store.py (`Tx.message`, `claim_message`,
`set_reply`, `journal`) and src/yibao/storage/ledger.py (the reversal's tombstone and lookups); the
tables are `message` and `journal` in src/yibao/storage/schema.py.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy.exc import IntegrityError

from yibao.errors import Refusal
from yibao.gateway.routes import Route
from yibao.storage.schema import MSG_TOMBSTONE
from yibao.storage.store import Store, Tx
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ErrorDetail


def body_hash(infno: str, fixmedins_code: str, request: Message) -> str:
    """What makes two messages "the same body": transaction, institution and input.

    Volatile envelope fields (inf_time, sign_no, device info) are left out, so a HIS that rebuilds
    the envelope when it retries is still recognised as retrying.
    """
    payload = request.input.SerializeToString(deterministic=True)  # type: ignore[attr-defined]
    return hashlib.sha256(f"{infno}\0{fixmedins_code}\0".encode() + payload).hexdigest()


@dataclass(frozen=True, slots=True)
class Call:
    """One call as the journal records it."""

    route: Route
    request: Message
    raw: bytes  # the request as received, journaled as it came
    received: datetime
    started: float  # time.perf_counter() when it arrived

    @property
    def msgid(self) -> str:
        return self.request.header.msgid  # type: ignore[attr-defined,no-any-return]

    @property
    def fixmedins_code(self) -> str:
        return self.request.header.fixmedins_code  # type: ignore[attr-defined,no-any-return]


Answer = tuple[Message, bytes]  # the reply, as a message and as sent


def claim(tx: Tx, call: Call, digest: str) -> None:
    """Take the msgid for this call, in the transaction that will carry out its business writes."""
    tx.claim_message(
        msgid=call.msgid,
        infno=call.route.infno,
        fixmedins_code=call.fixmedins_code,
        body_hash=digest,
        reply=None,
        refused=False,
        created_at=compact_ms(call.received),
    )


def complete(tx: Tx, call: Call, reply: Message) -> Answer:
    """Store the reply under the claimed msgid and journal the call as executed."""
    reply_bytes = reply.SerializeToString()
    tx.set_reply(call.msgid, reply_bytes, refused=False)
    journal(tx, call, "ok", reply_bytes, reply_msg=reply)
    return reply, reply_bytes


def replay(tx: Tx, call: Call, seen: Any, digest: str) -> Answer | ErrorDetail:
    """The stored answer to a msgid seen before: the reply, or the refusal's detail."""
    if seen.body_hash == MSG_TOMBSTONE:
        # reversed by 2601 before it arrived: refused whatever it carries (simulators/yibao/simulators/core/reversal.py)
        journal(tx, call, "replayed", seen.reply)
        return ErrorDetail.FromString(seen.reply)
    if seen.body_hash != digest or seen.infno != call.route.infno:
        raise Refusal("ENV_MSGID_REUSED", "header.msgid", msgid=call.msgid)
    if seen.refused:
        journal(tx, call, "replayed", seen.reply)
        return ErrorDetail.FromString(seen.reply)
    reply = call.route.reply_cls.FromString(seen.reply)
    journal(tx, call, "replayed", seen.reply, reply_msg=reply)
    return reply, seen.reply


def replay_winner(tx: Tx, call: Call, digest: str) -> Answer | ErrorDetail:
    """After losing the claim to a concurrent duplicate (another process, or PostgreSQL): its answer."""
    seen = tx.message(call.msgid)
    if seen is None:
        raise LookupError(f"msgid {call.msgid} conflicted but is not stored")
    return replay(tx, call, seen, digest)


def record_refusal(store: Store, call: Call, detail: ErrorDetail, *, remember: bool) -> None:
    """Journal a refusal in a transaction of its own, and remember it under the msgid if `remember`
    (the handler refused: a resend gets the same answer)."""
    blob = detail.SerializeToString()
    infno, code = call.route.infno, call.fixmedins_code

    def remembered(tx: Tx) -> None:
        tx.claim_message(
            msgid=call.msgid,
            infno=infno,
            fixmedins_code=code,
            body_hash=body_hash(infno, code, call.request),
            reply=blob,
            refused=True,
            created_at=compact_ms(call.received),
        )
        journal(tx, call, "refused", blob, detail)

    def journal_only(tx: Tx) -> None:
        journal(tx, call, "refused", blob, detail)

    try:
        store.transact(remembered if remember else journal_only)
    except IntegrityError:  # a concurrent duplicate remembered it first; journal only
        store.transact(journal_only)


def journal(
    tx: Tx,
    call: Call,
    outcome: str,
    reply: bytes,
    detail: ErrorDetail | None = None,
    reply_msg: Message | None = None,
) -> None:
    """One journal row: outcome "ok", "replayed" or "refused"."""
    tx.journal(
        **journal_keys(call.request, reply_msg),
        received_at=compact_ms(call.received),
        infno=call.route.infno,
        msgid=call.msgid[:40],
        fixmedins_code=call.fixmedins_code[:30],
        outcome=outcome,
        err_code=detail.code if detail else "",
        err_msg=detail.header.err_msg if detail else "",
        duration_us=int((time.perf_counter() - call.started) * 1e6),
        request=call.raw,
        reply=reply,
    )


# -- the journal's searchable keys
#
# psn_no, mdtrt_id and setl_id, read straight from the protos: the hot path pays a few attribute
# reads, never a JSON conversion. Where a key lives differs per transaction (input.data.psn_no,
# input.feedetail[0].psn_no, output.setlinfo.setl_id, output.baseinfo.psn_no …), so the places are
# found once per message type from its descriptor: a field of that name on the message itself, or one
# level down in a sub-node (the first element of a list). New transactions are covered without a
# table to maintain.

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
