"""Before and after images of the rows a reversible message changes — visits, fee items, filings — taken in the
message's own transaction, so a 2601 reversal can put exactly those rows back.

Money (settlements, accounts, accumulators) is not restored from images: a settlement is undone by a refund
record (simulators/yibao/simulators/core/refund_engine.py), which also keeps the person's later settlements
right. Images cover the rest, and the two balances a family-account transfer moves (Y2901–Y2903: no settlement
involved, so no refund record to make). A reversal restores them only if each row is still as the message left it: a row
changed since by a later message means that message must be reversed or cancelled first (REVERSAL_BLOCKED).
The rows are read and put back by src/yibao/storage/undo_images.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.storage import ledger
from yibao.storage.ledger import UndoImage
from yibao.storage.store import Tx
from yibao.storage.undo_images import RowImage, currents, key_of, put_back_many, scope_images

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

In = TypeVar("In", bound="DataclassInstance")
Out = TypeVar("Out")
Scope: TypeAlias = tuple[str, str]  # (scope kind of undo_images.SCOPES, its key)

# What each reversible message may change, read from its input (before) and its output (after):
# ("visit", mdtrt_id) | ("fees", mdtrt_id) — every item of the visit | ("fee", "mdtrt_id|feedetl_sn") — one item:
# an upload only adds the items it names (up to 1,000 to a stay of up to 20,000) | ("filings", psn_no).
# The inputs and outputs are the typed values of each infno (yibao.simulators.core.values), read by their fields.
_BEFORE: dict[str, Callable[[Any], list[Scope]]] = {
    "2202": lambda i: [("visit", i.data.mdtrt_id)],
    "2203": lambda i: [("visit", i.mdtrtinfo.mdtrt_id)],
    "2204": lambda i: [("fee", f"{f.mdtrt_id}|{f.feedetl_sn}") for f in i.feedetail],
    "2205": lambda i: [("fees", i.data.mdtrt_id)],
    "2207": lambda i: [("visit", i.data.mdtrt_id)],
    "2203A": lambda i: [("visit", i.mdtrtinfo.mdtrt_id)],
    "2207A": lambda i: [("visit", i.data.mdtrt_id)],
    "2301": lambda i: [("fee", f"{f.mdtrt_id}|{f.feedetl_sn}") for f in i.feedetail],
    "2302": lambda i: [("fees", d.mdtrt_id) for d in i.data],
    "2402": lambda i: [("visit", i.dscginfo.mdtrt_id)],
    "2403": lambda i: [("visit", i.adminfo.mdtrt_id)],
    "2404": lambda i: [("visit", i.data.mdtrt_id)],
    "2405": lambda i: [("visit", i.data.mdtrt_id)],
    "2501": lambda i: [("filings", i.refmedin.psn_no)],
    **{n: (lambda i: [("filings", i.data.psn_no)]) for n in ("2502", "2503", "2504", "2505", "2506")},
    # a family message: the account and the holder's balance, restored only if neither changed since
    "Y2901": lambda i: [("account", i.data.psn_no)],
    **{n: (lambda i: [("family", i.data.fam_acct_id), ("account", i.data.psn_no)]) for n in ("Y2902", "Y2903")},
}
_AFTER: dict[str, Callable[[Any], list[Scope]]] = {
    "2201": lambda o: [("visit", o.data.mdtrt_id)],
    "2401": lambda o: [("visit", o.result.mdtrt_id)],
    "2102": lambda o: [("visit", o.setlinfo.mdtrt_id)],
    "4101": lambda o: [("settlement_list", o.setl_list_id)],
    "4101A": lambda o: [("settlement_list", o.setl_list_id)],
    "Y2801": lambda o: [("manual_claim", o.claim.claim_id)],
    "Y2901": lambda o: [("family", o.acctinfo.fam_acct_id)],  # a 2601 withdraws the claim while it is unreviewed
}


def undoable(handler: Callable[[World, Tx, CallContext, In], Out]) -> Callable[[World, Tx, CallContext, In], Out]:
    """Wrap a handler so its message leaves the images of what it changed (core.handlers.HANDLERS)."""

    @functools.wraps(handler)
    def run(world: World, tx: Tx, ctx: CallContext, inp: In) -> Out:
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
            UndoImage(table=table, key=key, before=before.get((table, key)), after=row)
            for (table, key), row in after.items()
            if before.get((table, key)) != row
        ]
        images += [
            UndoImage(table=table, key=key, before=row, after=None)
            for (table, key), row in before.items()
            if (table, key) not in after
        ]
        if images:
            ledger.add_images(tx, ctx.msgid, ctx.infno, images)
        return out

    return run


def _psn_no(inp: DataclassInstance) -> str:
    """The person an input is about: input.<node>.psn_no, or that of the first element of a list node."""
    for field in fields(inp):
        value = getattr(inp, field.name)
        node = (value[0] if value else None) if isinstance(value, tuple) else value
        psn_no = getattr(node, "psn_no", "")
        if psn_no:
            return str(psn_no)
    return ""


def _read(tx: Tx, scopes: Iterable[Scope]) -> dict[tuple[str, str], RowImage]:
    rows: dict[tuple[str, str], RowImage] = {}
    for kind, value in scopes:
        for table, row in scope_images(tx, kind, value):
            rows[(table, key_of(table, row))] = row
    return rows


def restore(tx: Tx, images: list[UndoImage], omsgid: str, oinfno: str) -> None:
    """Put every row back as it was before the message (refusing when a row changed since). A visit the message
    created is cancelled, not deleted: its mdtrt_id stays known, as after 2202 / 2404."""
    by_table: dict[str, list[UndoImage]] = {}
    for image in images:
        by_table.setdefault(image["table"], []).append(image)
    for table, mine in by_table.items():
        for image, now in zip(mine, currents(tx, table, [_row(im) for im in mine]), strict=True):
            if now != image["after"]:
                what = _NAMES[table]
                key = key_of(table, _row(image))
                raise Refusal(
                    "REVERSAL_BLOCKED",
                    "input.data.omsgid",
                    omsgid=omsgid,
                    oinfno=oinfno,
                    reason=f"{what[0]} {key} 此后已被其他交易变更，请先冲正或撤销之后的交易",
                    reason_en=f"{what[1]} {key} was changed since by a later message; reverse or cancel that one first",
                )
    for table, mine in by_table.items():
        put_back_many(tx, table, [(im["before"], im["after"]) for im in mine])


def _row(image: UndoImage) -> RowImage:
    """The row an image is of: as the message left it, or as it was when the message removed it."""
    row = image["after"] or image["before"]
    if row is None:
        raise ValueError(f"an image of {image['table']} {image['key']} with neither a before nor an after")
    return row


DESCRIBED = 20  # rows named one by one in rev_dscr; beyond, counted per table and action (a 2302 "0000" of a
# long stay restores up to 20,000 items: docs/limits.md)


def describe(images: list[UndoImage]) -> str:
    """What restoring `images` does, in words (the 2601 reply's rev_dscr)."""
    said: list[str] = []
    groups: dict[str, list[str]] = {}  # what is done to which table → the keys, in order
    for im in images:
        name = _NAMES[im["table"]][0]
        key = key_of(im["table"], _row(im))
        if im["before"] is None:
            what = f"{'取消' if im['table'] == 'visit' else '删除'}{name}"
            said.append(f"{what} {key}")
        elif im["after"] is None:
            what = f"恢复{name}"
            said.append(f"{what} {key}")
        else:
            what = f"{name}恢复原状"
            said.append(f"{name} {key} 恢复原状")
        groups.setdefault(what, []).append(key)
    if len(images) > DESCRIBED:
        said = [f"{what} {len(keys)} 条（{'、'.join(keys[:3])} 等）" for what, keys in groups.items()]
    return "；".join(said) or "原交易未改变任何数据"


_NAMES = {
    "visit": ("就诊", "visit"),
    "fee": ("费用明细", "fee item"),
    "filing": ("备案", "filing"),
    "settlement_list": ("结算清单", "settlement list"),
    "chronic_filing": ("慢特病备案", "chronic-disease filing"),
    "manual_claim": ("手工报销申请", "manual reimbursement claim"),
    "family_account": ("家庭共济账户", "family account"),
    "family_member": ("家庭共济成员", "family account member"),
    "family_transfer": ("家庭共济划转", "family account transfer"),
    "person_state": ("账户余额", "account balance"),
}
