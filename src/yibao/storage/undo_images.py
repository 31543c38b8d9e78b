"""The rows a reversible message may change — visits, fee items, filings — read as plain JSON images and put
back from them (simulators/yibao/simulators/core/undo_log.py takes the images in the message's own transaction; a 2601
restores them). The images themselves are stored with ledger.add_images / ledger.images_of.

An image of a row is a dict of its columns as JSON values: bytes as {"b64": …}, booleans as booleans whatever
the driver returns, so that images taken on SQLite and on PostgreSQL compare equal.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TypeAlias, TypeVar

from sqlalchemy import Boolean, ColumnElement, Table, and_, bindparam, delete, insert, select, update

from yibao.domain.filing import Status
from yibao.storage import schema as t
from yibao.storage.ledger import Json
from yibao.storage.rows import ChronicFilingRow, FeeRow, FilingRow, VisitRow
from yibao.storage.store import Tx

RowImage: TypeAlias = dict[str, Json]  # a row's columns as JSON values (see the module's docstring)
R = TypeVar("R", VisitRow, FeeRow, FilingRow, ChronicFilingRow)

# table name -> (table, its key columns)
TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "visit": (t.visit, ("mdtrt_id",)),
    "fee": (t.fee, ("mdtrt_id", "feedetl_sn")),
    "filing": (t.filing, ("trt_dcla_detl_sn",)),
    "chronic_filing": (t.chronic_filing, ("trt_dcla_detl_sn",)),
    "settlement_list": (t.settlement_list, ("setl_list_id",)),
    "manual_claim": (t.manual_claim, ("claim_id",)),
    "family_account": (t.family_account, ("fam_acct_id",)),
    "family_member": (t.family_member, ("psn_no",)),
    "family_transfer": (t.family_transfer, ("trns_id",)),
    "person_state": (t.person_state, ("psn_no",)),  # only a family transfer's balances (docs/family-accounts.md)
}

# What a message may change, by scope kind: "visit" (a visit by mdtrt_id), "fees" (every item of a visit by
# mdtrt_id), "filings" (every filing of a person by psn_no) -> (table name, statement), built once; and "fee"
# (one item by "mdtrt_id|feedetl_sn": what an upload adds, without reading the whole stay twice).
_SCOPE_READS = {
    "visit": (("visit", select(t.visit).where(t.visit.c.mdtrt_id == bindparam("b_key"))),),
    "fees": (("fee", select(t.fee).where(t.fee.c.mdtrt_id == bindparam("b_key"))),),
    "settlement_list": (
        ("settlement_list", select(t.settlement_list).where(t.settlement_list.c.setl_list_id == bindparam("b_key"))),
    ),
    "manual_claim": (("manual_claim", select(t.manual_claim).where(t.manual_claim.c.claim_id == bindparam("b_key"))),),
    # a family account by fam_acct_id: the account, its members, its transfers and its balance; "account": one
    # person's balance by psn_no (a family transfer's other side)
    "family": (
        ("family_account", select(t.family_account).where(t.family_account.c.fam_acct_id == bindparam("b_key"))),
        ("family_member", select(t.family_member).where(t.family_member.c.fam_acct_id == bindparam("b_key"))),
        ("family_transfer", select(t.family_transfer).where(t.family_transfer.c.fam_acct_id == bindparam("b_key"))),
        ("person_state", select(t.person_state).where(t.person_state.c.psn_no == bindparam("b_key"))),
    ),
    "account": (("person_state", select(t.person_state).where(t.person_state.c.psn_no == bindparam("b_key"))),),
    "filings": (
        ("filing", select(t.filing).where(t.filing.c.psn_no == bindparam("b_key"))),
        ("chronic_filing", select(t.chronic_filing).where(t.chronic_filing.c.psn_no == bindparam("b_key"))),
    ),
}
SCOPES = (*_SCOPE_READS, "fee")
_CURRENT = {
    name: select(table).where(and_(*(table.c[c] == bindparam(f"b_{c}") for c in cols)))
    for name, (table, cols) in TABLES.items()
}
# Boolean columns come back as 0/1 from SQLite's driver: images keep true booleans on every store.
_BOOLEAN = {c.name for table, _ in TABLES.values() for c in table.columns if isinstance(c.type, Boolean)}


def key_of(table: str, row: RowImage) -> str:
    """The row's key, its key columns joined by "|"."""
    return "|".join(str(row[c]) for c in TABLES[table][1])


def scope_images(tx: Tx, kind: str, value: str) -> list[tuple[str, RowImage]]:
    """The rows of one scope (SCOPES) as images, with their table's name."""
    if kind == "fee":
        mdtrt_id, feedetl_sn = value.split("|", 1)  # a platform mdtrt_id has no "|"
        row = current(tx, "fee", {"mdtrt_id": mdtrt_id, "feedetl_sn": feedetl_sn})
        return [] if row is None else [("fee", row)]
    return [(table, plain(r._asdict())) for table, stmt in _SCOPE_READS[kind] for r in tx.all(stmt, {"b_key": value})]


def current(tx: Tx, table: str, sample: RowImage) -> RowImage | None:
    """The row of `table` with `sample`'s key as it is now, as an image; None when there is none."""
    r = tx.one(_CURRENT[table], {f"b_{c}": sample[c] for c in TABLES[table][1]})
    return None if r is None else plain(r._asdict())


def currents(tx: Tx, table: str, samples: list[RowImage]) -> list[RowImage | None]:
    """`current` of many rows at once: fee items are read 500 at a time (a 2601 of a 2205/2302 "0000" puts back
    up to 20,000 items of one visit), the other tables row by row."""
    if table != "fee":
        return [current(tx, table, s) for s in samples]
    fee = t.fee
    found: dict[tuple[str, str], RowImage] = {}
    wanted: dict[str, list[str]] = {}
    for s in samples:
        wanted.setdefault(str(s["mdtrt_id"]), []).append(str(s["feedetl_sn"]))
    for mdtrt_id, sns in wanted.items():
        for start in range(0, len(sns), 500):
            stmt = select(fee).where(fee.c.mdtrt_id == mdtrt_id, fee.c.feedetl_sn.in_(sns[start : start + 500]))
            for r in tx.conn.execute(stmt):
                found[(mdtrt_id, r.feedetl_sn)] = plain(r._asdict())
    return [found.get((str(s["mdtrt_id"]), str(s["feedetl_sn"]))) for s in samples]


def put_back_many(tx: Tx, table: str, changes: list[tuple[RowImage | None, RowImage | None]]) -> None:
    """`put_back` of many rows (before, after) of one table: rows to insert again in one statement, fee items to
    delete one visit at a time, the rest row by row."""
    tab = TABLES[table][0]
    inserts = [_stored(before) for before, after in changes if after is None and before is not None]
    if inserts:
        tx.conn.execute(insert(tab), inserts)
    deletes: dict[str, list[str]] = {}
    for before, after in changes:
        if after is None:
            continue
        if before is None and table == "fee":
            deletes.setdefault(str(after["mdtrt_id"]), []).append(str(after["feedetl_sn"]))
        else:
            put_back(tx, table, before, after)
    fee = t.fee
    for mdtrt_id, sns in deletes.items():
        for start in range(0, len(sns), 500):
            chunk = sns[start : start + 500]
            tx.conn.execute(delete(fee).where(fee.c.mdtrt_id == mdtrt_id, fee.c.feedetl_sn.in_(chunk)))


def put_back(tx: Tx, table: str, before: RowImage | None, after: RowImage | None) -> None:
    """Make the row that a message turned from `before` into `after` (None: absent) `before` again. A visit the
    message created is cancelled, not deleted: its mdtrt_id stays known, as after 2202 / 2404."""
    tab = TABLES[table][0]
    if after is None:
        if before is not None:
            tx.conn.execute(insert(tab).values(**_stored(before)))
    elif before is None and table == "visit":
        tx.conn.execute(update(tab).where(_where(table, after)).values(status="cancelled"))
    elif before is None:
        tx.conn.execute(delete(tab).where(_where(table, after)))
    else:
        tx.conn.execute(update(tab).where(_where(table, after)).values(**_stored(before)))


def row_of(image: RowImage, row: type[R]) -> R:
    """An image read back as the row it was (`row`: the row class of its table)."""
    values = _stored(image)
    return row._make(values[name] for name in row._fields)


def active_chronic_filings(tx: Tx, psn_no: str, opsp_dise_code: str) -> list[str]:
    """The trt_dcla_detl_sn of the person's chronic-disease filings of one disease that are in force."""
    c = t.chronic_filing
    where = (c.c.psn_no == psn_no, c.c.opsp_dise_code == opsp_dise_code, c.c.fil_stas == Status.ACTIVE)
    return list(tx.conn.scalars(select(c.c.trt_dcla_detl_sn).where(*where)))


def plain(mapping: Mapping[str, object]) -> RowImage:
    """A row as JSON: bytes as {"b64": …}, booleans as booleans whatever the driver returns."""
    return {k: _json(k, v) for k, v in mapping.items()}


def _json(column: str, value: object) -> Json:
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(value).decode()}
    if column in _BOOLEAN and value is not None:
        return bool(value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"column {column}: {value!r} has no JSON form")


def _stored(row: RowImage) -> dict[str, object]:
    """An image's values as stored: {"b64": …} back to bytes."""
    return {k: _value(v) for k, v in row.items()}


def _value(value: Json) -> object:
    if isinstance(value, dict):
        encoded = value["b64"]
        if isinstance(encoded, str):
            return base64.b64decode(encoded)
    return value


def _where(table: str, row: RowImage) -> ColumnElement[bool]:
    tab, cols = TABLES[table]
    return and_(*(tab.c[c] == row[c] for c in cols))
