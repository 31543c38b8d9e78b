"""Before and after images of the rows a reversible message changes — visits, fee items, filings — taken in the
message's own transaction, so a 2601 reversal can put exactly those rows back.

Money (settlements, accounts, accumulators) is not restored from images: a settlement is undone by a refund
record (simulators/core/refund_engine.py), which also keeps the person's later settlements right. Images
cover the rest. A reversal restores them only if each row is still as the message left it: a row changed
since by a later message means that message must be reversed or cancelled first (REVERSAL_BLOCKED).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Boolean, Table, and_, bindparam, delete, insert, select, update

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.storage import ledger
from yibao.storage import schema as t
from yibao.storage.store import Tx

Handler = Callable[[World, Tx, CallContext, Any], Any]
TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "visit": (t.visit, ("mdtrt_id",)),
    "fee": (t.fee, ("mdtrt_id", "feedetl_sn")),
    "filing": (t.filing, ("trt_dcla_detl_sn",)),
    "chronic_filing": (t.chronic_filing, ("trt_dcla_detl_sn",)),
}

# What each reversible message may change, read from its input (before) and its output (after):
# ("visit", mdtrt_id) | ("fees", mdtrt_id) — every item of the visit | ("filings", psn_no).
_BEFORE: dict[str, Callable[[Any], list[tuple[str, str]]]] = {
    "2202": lambda i: [("visit", i.data.mdtrt_id)],
    "2203": lambda i: [("visit", i.mdtrtinfo.mdtrt_id)],
    "2204": lambda i: [("fees", i.feedetail[0].mdtrt_id)] if i.feedetail else [],
    "2205": lambda i: [("fees", i.data.mdtrt_id)],
    "2207": lambda i: [("visit", i.data.mdtrt_id)],
    "2301": lambda i: [("fees", i.feedetail[0].mdtrt_id)] if i.feedetail else [],
    "2302": lambda i: [("fees", d.mdtrt_id) for d in i.data],
    "2402": lambda i: [("visit", i.dscginfo.mdtrt_id)],
    "2403": lambda i: [("visit", i.adminfo.mdtrt_id)],
    "2404": lambda i: [("visit", i.data.mdtrt_id)],
    "2405": lambda i: [("visit", i.data.mdtrt_id)],
    "2501": lambda i: [("filings", i.refmedin.psn_no)],
    **{n: (lambda i: [("filings", i.data.psn_no)]) for n in ("2502", "2503", "2504", "2505", "2506")},
}
_AFTER: dict[str, Callable[[Any], list[tuple[str, str]]]] = {
    "2201": lambda o: [("visit", o.data.mdtrt_id)],
    "2401": lambda o: [("visit", o.result.mdtrt_id)],
    "2102": lambda o: [("visit", o.setlinfo.mdtrt_id)],
}


def undoable(handler: Handler) -> Handler:
    """Wrap a handler so its message leaves the images of what it changed (core.handlers.HANDLERS)."""

    @functools.wraps(handler)
    def run(world: World, tx: Tx, ctx: CallContext, inp: Any) -> Any:
        scopes = _BEFORE.get(ctx.infno, lambda _: [])(inp)
        psn_no = _psn_no(inp) if scopes else ""
        if psn_no:
            # Lock the person (as the handler will, in the same order) before the "before" images: a concurrent
            # message about the same person must not slip its rows in between and be taken for this one's.
            from yibao.simulators.core.settle_engine import lock_people

            lock_people(tx, world, psn_no)
        for kind, psn_no in scopes:
            if kind == "filings":  # lapses due today are not the message's doing: apply them first
                from yibao.simulators.core.filings import refresh

                refresh(tx, psn_no, ctx.now.date())
        before = _read(tx, scopes)
        out = handler(world, tx, ctx, inp)
        after = _read(tx, scopes + _AFTER.get(ctx.infno, lambda _: [])(out))
        images = [
            {"table": table, "key": key, "before": before.get((table, key)), "after": row}
            for (table, key), row in after.items()
            if before.get((table, key)) != row
        ]
        images += [
            {"table": table, "key": key, "before": row, "after": None}
            for (table, key), row in before.items()
            if (table, key) not in after
        ]
        if images:
            ledger.add_images(tx, ctx.msgid, ctx.infno, images)
        return out

    return run


def _psn_no(inp: Any) -> str:
    """The person an input is about: input.<node>.psn_no, or that of the first element of a list node."""
    for field, value in inp.ListFields():
        node = (value[0] if len(value) else None) if field.is_repeated else value
        if hasattr(node, "psn_no") and node.psn_no:
            return str(node.psn_no)
    return ""


_SCOPE_READS = {  # scope kind -> (table name, statement), built once (adapters/storage/prepared.py)
    "visit": (("visit", select(t.visit).where(t.visit.c.mdtrt_id == bindparam("b_key"))),),
    "fees": (("fee", select(t.fee).where(t.fee.c.mdtrt_id == bindparam("b_key"))),),
    "filings": (
        ("filing", select(t.filing).where(t.filing.c.psn_no == bindparam("b_key"))),
        ("chronic_filing", select(t.chronic_filing).where(t.chronic_filing.c.psn_no == bindparam("b_key"))),
    ),
}
_CURRENT = {
    name: select(table).where(and_(*(table.c[c] == bindparam(f"b_{c}") for c in cols)))
    for name, (table, cols) in TABLES.items()
}


def _read(tx: Tx, scopes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, value in scopes:
        for table, stmt in _SCOPE_READS[kind]:
            for r in tx.all(stmt, {"b_key": value}):
                row = plain(r._asdict())
                rows[(table, key_of(table, row))] = row
    return rows


def plain(mapping: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON: bytes as {"b64": …}, booleans as booleans whatever the driver returns."""
    return {
        k: {"b64": base64.b64encode(v).decode()}
        if isinstance(v, bytes | memoryview)
        else (bool(v) if k in _BOOLEAN and v is not None else v)
        for k, v in mapping.items()
    }


# Boolean columns come back as 0/1 from SQLite's driver: images keep true booleans on every store.
_BOOLEAN = {c.name for table, _ in TABLES.values() for c in table.columns if isinstance(c.type, Boolean)}


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    return {k: base64.b64decode(v["b64"]) if isinstance(v, dict) else v for k, v in row.items()}


def key_of(table: str, row: dict[str, Any]) -> str:
    return "|".join(str(row[c]) for c in TABLES[table][1])


def _where(table: str, row: dict[str, Any]) -> Any:
    tab, cols = TABLES[table]
    return and_(*(tab.c[c] == row[c] for c in cols))


def current(tx: Tx, image: dict[str, Any]) -> dict[str, Any] | None:
    sample = image["after"] or image["before"]
    r = tx.one(_CURRENT[image["table"]], {f"b_{c}": sample[c] for c in TABLES[image["table"]][1]})
    return None if r is None else plain(r._asdict())


def restore(tx: Tx, images: list[dict[str, Any]], omsgid: str, oinfno: str) -> None:
    """Put every row back as it was before the message (refusing when a row changed since). A visit the message
    created is cancelled, not deleted: its mdtrt_id stays known, as after 2202 / 2404."""
    for image in images:
        if current(tx, image) != image["after"]:
            what = _NAMES[image["table"]]
            key = key_of(image["table"], image["after"] or image["before"])
            raise Refusal(
                "REVERSAL_BLOCKED",
                "input.data.omsgid",
                omsgid=omsgid,
                oinfno=oinfno,
                reason=f"{what[0]} {key} 此后已被其他交易变更，请先冲正或撤销之后的交易",
                reason_en=f"{what[1]} {key} was changed since by a later message; reverse or cancel that one first",
            )
    for image in images:
        table, before, after = image["table"], image["before"], image["after"]
        tab = TABLES[table][0]
        if after is None:
            tx.conn.execute(insert(tab).values(**_stored(before)))
        elif before is None and table == "visit":
            tx.conn.execute(update(tab).where(_where(table, after)).values(status="cancelled"))
        elif before is None:
            tx.conn.execute(delete(tab).where(_where(table, after)))
        else:
            tx.conn.execute(update(tab).where(_where(table, after)).values(**_stored(before)))


_NAMES = {
    "visit": ("就诊", "visit"),
    "fee": ("费用明细", "fee item"),
    "filing": ("备案", "filing"),
    "chronic_filing": ("慢特病备案", "chronic-disease filing"),
}
