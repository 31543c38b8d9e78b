"""The tamper-evident journal: every journal row carries an HMAC chained to the row before it, and `yibao audit
verify` finds the first row that was changed, deleted, inserted or moved (docs/security.md, "Tamper-evident
journal").

A row's `mac` is HMAC-SHA256, with a key derived from the store's data key (sealing.DataKey, purpose "journal
chain v1"), over the previous row's mac, the row's chain and place in it (`chain_seq`), and every column the
gateway wrote, with the sealed ones as plain values. `journal_head` holds each chain's last seq and mac.

Ordering. A chain needs one writer at a time: the next row links to the head, so two transactions that read one
head would fork it. The row is linked inside the call's own transaction, under the head row's lock, so a call
rolled back takes its link with it and the chain stays exactly the committed rows:
- SQLite has one writer at a time already (the settlement core process, or the flock of write_lock.py): one chain.
- PostgreSQL runs the workers' transactions concurrently. One chain would make every call wait for the previous
  call's commit (the journal row is the call's last write), so there are `PG_CHAINS` chains: a call takes the
  first head no one holds (`FOR UPDATE SKIP LOCKED`), and waits for one only when all are taken. Each chain is
  in commit order; the journal's `id` still gives the order over all of them.
Cost on the hot path: one head read and one head update (prepared statements) and one HMAC over the row.
"""

from __future__ import annotations

import hmac
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Connection, LargeBinary, bindparam, insert, select, type_coerce, update

from yibao.storage import schema as t
from yibao.storage.sealing import SealBroken, SealedColumn, Sealer

ZERO_MAC = "0" * 64  # the "previous mac" of a chain's first row
PG_CHAINS = 8  # concurrent writers on PostgreSQL before one waits (the store's pool is 16 + 16)
# The columns a row's mac covers, in this order (all the gateway writes; not `id`, which the database assigns).
FIELDS = ("received_at", "infno", "msgid", "fixmedins_code", "outcome", "err_code", "err_msg", "duration_us",
          "request", "reply", "psn_no", "mdtrt_id", "setl_id")  # fmt: skip
JOURNAL_DEFAULTS: dict[str, object] = {"err_code": "", "err_msg": "", "psn_no": None, "mdtrt_id": None, "setl_id": None}


h = t.journal_head


class ChainHead(NamedTuple):
    """A chain's last row (a row of journal_head)."""

    chain: int
    chain_seq: int
    mac: str


# The statements that take a chain's head (the first no one holds, or a given one) and move it.
FREE_HEAD = select(h).order_by(h.c.chain).limit(1).with_for_update(skip_locked=True)
HEAD_OF = select(h).where(h.c.chain == bindparam("b_chain")).with_for_update()
ADVANCE_HEAD = (
    update(h).where(h.c.chain == bindparam("b_chain")).values(chain_seq=bindparam("b_seq"), mac=bindparam("b_mac"))
)


def chain_count(is_sqlite: bool) -> int:
    return 1 if is_sqlite else PG_CHAINS


def create_heads(conn: Connection, chains: int) -> None:
    """The heads of a new store's empty chains."""
    conn.execute(insert(h), [{"chain": c, "chain_seq": 0, "mac": ZERO_MAC} for c in range(chains)])


def restart_chains(conn: Connection) -> None:
    """Every chain empty again, once the journal's rows are deleted (a lab session's reset)."""
    conn.execute(update(h).values(chain_seq=0, mac=ZERO_MAC))


_NONE = b"\xff\xff\xff\xff"  # a length no value has: None differs from ""
_pack_len = struct.Struct(">I").pack


def _encode(value: object) -> bytes:
    if value is None:
        return _NONE
    if isinstance(value, str):
        data = value.encode()
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        data = str(value).encode()
    return _pack_len(len(data)) + data


def row_mac(key: bytes, prev: str, chain: int, seq: int, row: Mapping[str, object]) -> str:
    """The mac of a journal row whose columns (plain values) are `row`, linked after `prev`: one HMAC over the
    fields joined, each with its length (one call into OpenSSL, not one per field)."""
    data = b"".join([prev.encode(), struct.pack(">iq", chain, seq), *[_encode(row[name]) for name in FIELDS]])
    return hmac.digest(key, data, "sha256").hex()


# -- verification


@dataclass(frozen=True, slots=True)
class Problem:
    journal_id: int | None  # the first bad row; None when the problem is at a chain's end
    chain: int
    chain_seq: int | None
    what: str

    def __str__(self) -> str:
        where = f"journal row id {self.journal_id}" if self.journal_id is not None else f"chain {self.chain}'s end"
        seq = f" (chain {self.chain}, seq {self.chain_seq})" if self.chain_seq is not None else ""
        return f"{where}{seq}: {self.what}"


@dataclass
class Report:
    rows: int = 0
    chains: dict[int, ChainHead] = field(default_factory=dict)  # as verified: the last row of each chain
    problems: list[Problem] = field(default_factory=list)

    @property
    def first(self) -> Problem | None:
        """The first bad row: each chain's earliest problem in chain order (where the chain stops being the one
        written), and of those the one with the lowest journal id; problems at a chain's end come last."""
        earliest: dict[int, Problem] = {}
        for p in self.problems:  # in chain order, as verify found them
            earliest.setdefault(p.chain, p)
        order = sorted(earliest.values(), key=lambda p: (p.journal_id is None, p.journal_id or 0))
        return order[0] if order else None


SEALED = {c.name: c.type for c in t.journal.columns if isinstance(c.type, SealedColumn)}


def _raw_rows(conn: Connection) -> Iterator[dict[str, object]]:
    """The journal by chain and place, sealed columns as stored, so a broken seal is reported, not raised."""
    j = t.journal
    cols = [type_coerce(c, LargeBinary).label(c.name) if c.name in SEALED else c for c in j.columns]
    result = conn.execution_options(yield_per=2000).execute(select(*cols).order_by(j.c.chain, j.c.chain_seq, j.c.id))
    for r in result:
        yield dict(r._mapping)


def verify(conn: Connection, sealer: Sealer, key: bytes) -> Report:
    """Every chain from its first row to its head: each row at its place, linked to the one before, with the
    mac its columns give, ids rising along the chain, and the chain ending where its head says."""
    report = Report()
    heads = {r.chain: ChainHead(*r) for r in conn.execute(select(h))}
    last: dict[int, ChainHead] = {}
    last_id: dict[int, int] = {}
    for row in _raw_rows(conn):
        report.rows += 1
        chain, seq, jid = _int(row["chain"]), _int(row["chain_seq"]), _int(row["id"])
        prev = last.get(chain, ChainHead(chain, 0, ZERO_MAC))
        problem = _check_row(row, prev, last_id.get(chain), sealer, key, chain in heads)
        if problem:
            report.problems.append(Problem(jid, chain, seq, problem))
        last[chain] = ChainHead(chain, seq, str(row["mac"]))
        last_id[chain] = jid
    for chain, head in sorted(heads.items()):
        end = last.get(chain, ChainHead(chain, 0, ZERO_MAC))
        if (end.chain_seq, end.mac) != (head.chain_seq, head.mac):
            what = (f"the chain ends at seq {end.chain_seq} but its head says {head.chain_seq}: "
                    "its last rows were deleted, or the head was changed")  # fmt: skip
            report.problems.append(Problem(None, chain, end.chain_seq, what))
    report.chains = last
    return report


def _check_row(row: dict[str, object], prev: ChainHead, prev_id: int | None, sealer: Sealer, key: bytes,
               known_chain: bool) -> str | None:  # fmt: skip
    chain, seq = _int(row["chain"]), _int(row["chain_seq"])
    if not known_chain:
        return f"chain {chain} does not exist: a row inserted by hand"
    if seq != prev.chain_seq + 1:
        if seq <= prev.chain_seq:
            return f"a second row at seq {seq}: a row inserted by hand"
        return f"seq {prev.chain_seq + 1}..{seq - 1} missing before it: rows deleted"
    if prev_id is not None and _int(row["id"]) <= prev_id:
        return f"its id comes before the previous row's ({prev_id}): rows moved"
    plain = dict(row)
    for name, sealed in SEALED.items():
        try:
            plain[name] = _open(sealer, sealed, row[name])
        except SealBroken:
            return f"its {name} was altered (the sealed value does not open)"
    if not hmac.compare_digest(row_mac(key, prev.mac, chain, seq, plain), str(row["mac"])):
        return "its mac does not match its columns and the row before: changed, forged or moved"
    return None


def _open(sealer: Sealer, column: SealedColumn, value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, (bytes, memoryview)):
        raise SealBroken("not a sealed value")
    return column.from_bytes(sealer.open(bytes(value), column.context))


def _int(value: object) -> int:
    assert isinstance(value, int), value
    return value
