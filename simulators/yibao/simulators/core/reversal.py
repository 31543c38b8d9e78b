"""2601 冲正交易: undo a state-changing message whose reply the HIS never received; and Y5203, what became of a
message by its msgid. README "Uncertain outcomes" states the rules for the HIS.

A reversal runs in one transaction. It first takes the original's msgid — waiting while the original is
still executing, since both claim that msgid before they lock the person — so a reversal racing its
original ends in one of two states: the original executed and is undone, or the original never arrived
and its msgid is closed by a tombstone (a `message` row that refuses it when it comes late).

What undoing means, per transaction:
- settlements 2207 / 2304 / 2102: a refund record as 2208 / 2305 / 2103 make (the later settlements of
  the person computed again when needed); 2102 also drops its items and cancels its pharmacy visit;
- cancellations 2208 / 2305 / 2103: the settlement is in force again — only while the refund record is
  the person's latest money event, its items are still free, and no account would go below zero;
- registrations 2201 / 2401: the visit is cancelled (no items or settlement may hang on it);
- everything else (2202, 2203, 2204, 2205, 2301, 2302, 2402–2405, 2501–2506): the rows it changed are
  put back from its undo images (simulators/yibao/simulators/core/undo_log.py) — fee items it uploaded are removed
  while unsettled, items it cancelled come back, a filing it made is removed while no settlement uses
  it, a filing it revoked is in force again unless another filing took its place.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import TypedDict, TypeVar

from yibao.call import CallContext
from yibao.domain.filing import Status, conflicting
from yibao.domain.money import ZERO
from yibao.domain.world import Person, World
from yibao.errors import Refusal
from yibao.inputs import require
from yibao.simulators.core import refund_engine, stored_values, undo_log
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core.journal_wire import journal_wire
from yibao.simulators.core.ledger_json import RefundCalc
from yibao.simulators.core.people import check_insured_place, person_of
from yibao.simulators.core.values import reversal as v
from yibao.simulators.core.values import settlement as sv
from yibao.storage import ledger
from yibao.storage.filings import filing_of, filing_rows
from yibao.storage.ledger import UndoImage
from yibao.storage.rows import (
    ChronicFilingRow,
    FeeRow,
    FilingRow,
    JournalRow,
    MessageRow,
    ReversalRow,
    SettlementCalcRow,
    SettlementRow,
    VisitRow,
)
from yibao.storage.store import Tx
from yibao.storage.undo_images import RowImage, active_chronic_filings, row_of

# What a 2601 may reverse: the messages that change something
REVERSIBLE = ("2201", "2202", "2203", "2203A", "2204", "2205", "2207", "2207A", "2208", "2301", "2302", "2304", "2305",
              "2401", "2402", "2403", "2404", "2405", "2102", "2103", "2501", "2502", "2503", "2504", "2505",
              "2506", "4101", "4101A", "Y2801",
              "Y2901", "Y2902", "Y2903")  # fmt: skip
SETTLES = frozenset({"2207", "2207A", "2304", "2102"})
CANCELS = frozenset({"2208", "2305", "2103"})
UNDONE, TOMBSTONE = "1", "2"  # rev_rslt


def reverse(world: World, tx: Tx, ctx: CallContext, inp: v.ReversalInput) -> v.ReversalOutput:
    """2601: undo message omsgid, or close its msgid by a tombstone if it never arrived."""
    d, path = inp.data, "input.data"
    person = _check_input(world, ctx, d, path)
    result = v.ReversalResult(omsgid=d.omsgid, oinfno=d.oinfno, rev_time=ctx.time_text)
    # Take the original's msgid first (waiting while it is still executing), then lock the person — the order
    # the original takes them in, so the two never deadlock.
    if _claim_tombstone(tx, ctx, d):
        places = {i.insuplc_admdvs for i in person.insurances}
        check_insured_place(ctx, d.psn_no, ctx.insuplc_admdvs if ctx.insuplc_admdvs in places else min(places))
        dscr = "原交易未到达，已冲正：该报文如再到达将被拒绝，未做任何变更"
        _record(tx, ctx, d, "tombstone", dscr)
        return v.ReversalOutput(result=replace(result, rev_rslt=TOMBSTONE, rev_dscr=dscr))
    journal = _executed_original(tx, d, path)
    check_insured_place(ctx, d.psn_no, journal_wire().insured_place(d.oinfno, journal.request))
    balances = engine.lock_people(tx, world, d.psn_no)
    undo = Undo(world, tx, ctx, d.omsgid, d.oinfno, balances)
    said, nodes = undo.run(journal.reply)
    reversed_ = Refusal("MSG_REVERSED", "header.msgid", msgid=d.omsgid, time=_time(journal.received_at),
                        rev_time=ctx.time_text, rev_msgid=ctx.msgid)  # fmt: skip
    ledger.replace_reply(tx, d.omsgid, refusal_blob(ctx, reversed_))
    _record(tx, ctx, d, "undone", said)
    out = v.ReversalOutput(result=replace(result, rev_rslt=UNDONE, rev_dscr=said))
    return out if nodes is None else replace(out, **_settle_nodes(nodes))


def _check_input(world: World, ctx: CallContext, d: v.ReversalData, path: str) -> Person:
    """What 2601 checks before it touches the store: the fields, a reversible infno, a msgid of this
    institution, a known person."""
    require(d, path, "psn_no", "omsgid", "oinfno")
    if d.oinfno not in REVERSIBLE:
        raise Refusal("REVERSAL_NOT_SUPPORTED", f"{path}.oinfno", oinfno=d.oinfno, allowed="/".join(REVERSIBLE))
    code = ctx.institution.fixmedins_code
    if not d.omsgid.startswith(code):
        raise Refusal("REVERSAL_NOT_YOURS", f"{path}.omsgid", omsgid=d.omsgid, code=code)
    return person_of(world, d.psn_no, f"{path}.psn_no")


def _claim_tombstone(tx: Tx, ctx: CallContext, d: v.ReversalData) -> bool:
    """Close msgid omsgid by a tombstone that refuses the original if it comes late; False when the original is
    there (possibly just committed by a transaction this one waited for)."""
    tombstoned = Refusal("MSG_TOMBSTONED", "header.msgid", msgid=d.omsgid, rev_time=ctx.time_text,
                         rev_msgid=ctx.msgid)  # fmt: skip
    return ledger.claim_tombstone(tx, msgid=d.omsgid, infno=d.oinfno, fixmedins_code=ctx.institution.fixmedins_code,
                                  reply=refusal_blob(ctx, tombstoned), created_at=ctx.time_text)  # fmt: skip


def _executed_original(tx: Tx, d: v.ReversalData, path: str) -> JournalRow:
    """The journal row of the original's execution, once it is known to have executed (not refused, not
    reversed already) as the infno and for the person the 2601 names."""
    msg: MessageRow | None = ledger.message_for_update(tx, d.omsgid)
    if msg is None:  # claim_tombstone found it
        raise LookupError(f"message {d.omsgid} is gone")
    done: ReversalRow | None = ledger.reversal_of(tx, d.omsgid)
    if done is not None:
        before = done.outcome == "tombstone"
        raise Refusal("REVERSAL_ALREADY_DONE", f"{path}.omsgid", omsgid=d.omsgid, time=done.rev_time,
                      rev_msgid=done.msgid, what="（原报文未到达）" if before else "",
                      what_en=" (before it arrived)" if before else "")  # fmt: skip
    if msg.infno != d.oinfno:
        raise Refusal("REVERSAL_INFNO_MISMATCH", f"{path}.oinfno", omsgid=d.omsgid, actual=msg.infno, value=d.oinfno)
    if msg.refused:
        err = journal_wire().refusal_text(msg.reply or b"")
        raise Refusal("REVERSAL_ORIGINAL_REFUSED", f"{path}.omsgid", omsgid=d.omsgid, err=err)
    journal: JournalRow | None = ledger.journal_ok(tx, d.omsgid)
    if journal is None:  # an executed message is journaled in its own transaction
        raise LookupError(f"message {d.omsgid} has no journal row")
    if journal.psn_no != d.psn_no:
        raise Refusal(
            "REVERSAL_PSN_MISMATCH", f"{path}.psn_no", value=d.psn_no, omsgid=d.omsgid, expected=journal.psn_no
        )
    return journal


def _record(tx: Tx, ctx: CallContext, d: v.ReversalData, outcome: str, detail: str) -> None:
    ledger.add_reversal(
        tx,
        omsgid=d.omsgid,
        oinfno=d.oinfno,
        msgid=ctx.msgid,
        fixmedins_code=ctx.institution.fixmedins_code,
        psn_no=d.psn_no,
        rev_time=ctx.time_text,
        outcome=outcome,
        detail=detail,
    )


def refusal_blob(ctx: CallContext, r: Refusal) -> bytes:
    """A refusal as the gateway stores it under a msgid (gateway/yibao/gateway/dispatch.py)."""
    return journal_wire().refusal(ctx, r)


class Undo:
    """Undo one executed message (the person is locked)."""

    def __init__(
        self, world: World, tx: Tx, ctx: CallContext, omsgid: str, oinfno: str, balances: dict[str, Decimal]
    ) -> None:
        self.world, self.tx, self.ctx, self.omsgid, self.oinfno, self.balances = (
            world,
            tx,
            ctx,
            omsgid,
            oinfno,
            balances,
        )
        self._refund_lines: dict[str, dict[str, list[str]]] = {}  # mdtrt_id → init_feedetl_sn → refund lines
        self._batches_open: set[tuple[str, str]] = set()  # (mdtrt_id, chrg_bchno) items may come back to

    def blocked(self, zh: str, en: str) -> Refusal:
        return Refusal(
            "REVERSAL_BLOCKED", "input.data.omsgid", omsgid=self.omsgid, oinfno=self.oinfno, reason=zh, reason_en=en
        )

    def run(self, reply: bytes) -> tuple[str, sv.SettleOutput | None]:
        """Undo the message whose reply (as journaled) was `reply`; what was done, in words, and the settlement in
        force or refunded by it, if any."""
        images = ledger.images_of(self.tx, self.omsgid)
        said, nodes = "", None
        if self.oinfno in SETTLES:
            setlinfo = journal_wire().replied_settlement(reply).setlinfo
            said, nodes = self.settlement(setlinfo.setl_id)
            if self.oinfno == "2102":  # the sale's items and its pharmacy visit go with it
                fees = self.tx.fees(setlinfo.mdtrt_id)
                ledger.delete_fees(self.tx, setlinfo.mdtrt_id, [f.feedetl_sn for f in fees])
        elif self.oinfno in CANCELS:
            said, nodes = self.cancellation(journal_wire().replied_settlement(reply).setlinfo.setl_id)
        self.check(images)
        undo_log.restore(self.tx, images, self.omsgid, self.oinfno)
        return said or undo_log.describe(images), nodes

    # -- money

    def settlement(self, setl_id: str) -> tuple[str, sv.SettleOutput]:
        orig: SettlementRow | None = self.tx.settlement(setl_id)
        if orig is None:  # the settlement a journaled reply names is never deleted (only a refund record is)
            raise LookupError(f"settlement {setl_id} is gone")
        cancelled = refund_engine.already_cancelled(self.tx, orig, "input.data.omsgid")  # the answer 2208 gives
        if cancelled is not None:
            raise cancelled
        done = refund_engine.refund(self.world, self.tx, self.ctx, orig, self.balances)
        return f"撤销结算 {setl_id}，退费记录 {done.rev_id}", done.record

    def cancellation(self, rev_id: str) -> tuple[str, sv.SettleOutput]:
        """The cancelled settlement in force again, exactly as before the cancellation."""
        tx = self.tx
        rev, orig, info = self._undoable_refund(rev_id)
        engine.apply_moves(tx, json.loads(rev.moves), sign=-1)
        for adj in info["adjusted"]:
            ledger.set_moves(tx, adj["setl_id"], adj["moves"])
            ledger.set_amounts(tx, adj["setl_id"], adj["amounts"])
        for p in {rev.psn_no, info.get("holder", rev.psn_no)}:
            if (tx.account_balance(p) or ZERO) < 0:
                raise self.blocked(
                    f"人员 {p} 的个人账户余额已不足以恢复原结算的账户支付",
                    f"person {p}'s account no longer holds what the settlement paid from it",
                )
        ledger.unmark_reversed(tx, orig.setl_id)
        tx.mark_fees_settled_by_sn(orig.mdtrt_id, info["fees"], orig.setl_id)
        ledger.delete_settlement(tx, rev_id)
        restored = stored_values.loads(sv.SettleOutput, orig.output)
        said = f"撤销结算 {orig.setl_id} 的撤销已冲正：结算 {orig.setl_id} 恢复有效，退费记录 {rev_id} 作废"
        return said, restored

    def _undoable_refund(self, rev_id: str) -> tuple[SettlementRow, SettlementRow, RefundCalc]:
        """Refund record `rev_id`, the settlement it cancelled and what it did, once it may be undone: not cleared,
        still the person's latest money event, and the settlement's items not cancelled or settled again."""
        tx = self.tx
        rev: SettlementRow | None = ledger.settlement_for_update(tx, rev_id)  # a clearing taking it now waits
        cleared = ledger.cleared_in(tx, rev_id)
        if cleared is not None:
            raise self.blocked(
                f"退费记录 {rev_id} 已清算（{cleared}），请重新结算",
                f"refund record {rev_id} was cleared ({cleared}); settle again instead",
            )
        calc: SettlementCalcRow | None = ledger.calc(tx, rev_id)
        orig: SettlementRow | None = (
            None if rev is None or rev.orig_setl_id is None else tx.settlement(rev.orig_setl_id)
        )
        if rev is None or calc is None or orig is None:  # a journaled 2208's refund record and what it names stay
            raise LookupError(f"refund record {rev_id} or what it refunded is gone")
        info: RefundCalc = json.loads(calc.calc)
        if calc.seq != ledger.last_seq(tx, rev.psn_no):
            raise self.blocked(
                f"人员 {rev.psn_no} 在撤销之后又有结算或退费，请先撤销之后的结算",
                f"person {rev.psn_no} settled or refunded again after the cancellation; cancel that first",
            )
        fees = {f.feedetl_sn: f for f in tx.fees(orig.mdtrt_id)}
        gone = [sn for sn in info["fees"] if sn not in fees or fees[sn].setl_id is not None]
        if gone:
            raise self.blocked(
                f"原结算的费用明细 {'、'.join(gone)} 已撤销或已重新结算",
                f"items {', '.join(gone)} of the settlement were cancelled or settled again",
            )
        return rev, orig, info

    # -- rows from images

    def check(self, images: list[UndoImage]) -> None:
        """What must hold besides "each row is as the message left it"."""
        for im in images:
            before, after = im["before"], im["after"]
            if im["table"] == "visit":
                self._check_visit(_as(before, VisitRow), _as(after, VisitRow))
            elif im["table"] == "fee":
                self._check_fee(_as(before, FeeRow), _as(after, FeeRow))
            elif im["table"] == "filing":
                self._check_filing(_as(before, FilingRow), _as(after, FilingRow))
            elif im["table"] == "chronic_filing":
                self._check_chronic(_as(before, ChronicFilingRow), _as(after, ChronicFilingRow))

    def _check_visit(self, before: VisitRow | None, after: VisitRow | None) -> None:
        tx = self.tx
        if before is None and after is not None:  # 2201 / 2401 / 2102 made it: cancelled, if nothing hangs on it
            if tx.active_settlement(after.mdtrt_id) is not None or tx.fees(after.mdtrt_id):
                raise self.blocked(
                    f"就诊 {after.mdtrt_id} 已有费用明细或结算，请先撤销",
                    f"visit {after.mdtrt_id} has fee items or a settlement; cancel them first",
                )
            return
        if before is None or after is None:
            return
        mdtrt_id = after.mdtrt_id
        if after.status == "cancelled" and before.status != "cancelled":  # 2202 / 2404: open it again
            other = tx.open_visit_by_ipt_otp_no(after.fixmedins_code, after.ipt_otp_no)
            if other is not None:
                raise self.blocked(
                    f"院内流水号 {after.ipt_otp_no} 已有新的就诊 {other.mdtrt_id}",
                    f"ipt_otp_no {after.ipt_otp_no} has a new open visit {other.mdtrt_id}",
                )
        settled = tx.fees(mdtrt_id) and not tx.fees(mdtrt_id, unsettled_only=True) and tx.active_settlement(mdtrt_id)
        if after.status == "discharged" and before.status == "open" and settled:  # 2402: back in hospital
            raise self.blocked(
                f"住院 {mdtrt_id} 已出院结算，请先撤销结算（2305）",
                f"stay {mdtrt_id} was settled after discharge; cancel that first (2305)",
            )

    def _check_fee(self, before: FeeRow | None, after: FeeRow | None) -> None:
        if before is None and after is not None:  # uploaded: removed, unless refund lines name it
            refunds = self._refunds_of(after.mdtrt_id).get(after.feedetl_sn)
            if refunds:
                raise self.blocked(
                    f"费用明细 {after.feedetl_sn} 已有退费明细 {'、'.join(refunds)}",
                    f"item {after.feedetl_sn} has refund lines {', '.join(refunds)}",
                )
        elif before is not None and after is None:  # cancelled: back, if its visit and batch can take it
            batch = (before.mdtrt_id, before.chrg_bchno)
            if batch in self._batches_open:  # checked for an earlier item of the batch
                return
            visit = self.tx.visit(before.mdtrt_id)
            if visit is None or visit.status == "cancelled":
                raise self.blocked(f"就诊 {before.mdtrt_id} 已撤销", f"visit {before.mdtrt_id} was cancelled")
            if visit.kind == "outpatient" and self.tx.active_settlement(before.mdtrt_id, before.chrg_bchno):
                raise self.blocked(
                    f"收费批次 {before.chrg_bchno} 已结算，不能再恢复明细 {before.feedetl_sn}",
                    f"charge batch {before.chrg_bchno} is settled; item {before.feedetl_sn} cannot come back",
                )
            self._batches_open.add(batch)

    def _refunds_of(self, mdtrt_id: str) -> dict[str, list[str]]:
        """The visit's refund lines by the item they refund, read once per reversal (a 2301 of 1,000 items
        would otherwise read a 20,000-item stay 1,000 times)."""
        found = self._refund_lines.get(mdtrt_id)
        if found is None:
            found = self._refund_lines[mdtrt_id] = {}
            for f in self.tx.fees(mdtrt_id):
                if f.init_feedetl_sn:
                    found.setdefault(f.init_feedetl_sn, []).append(f.feedetl_sn)
        return found

    def _check_filing(self, before: FilingRow | None, after: FilingRow | None) -> None:
        if before is None and after is not None:  # made: removed, unless a settlement used it
            used = ledger.active_using_filing(self.tx, after.psn_no, after.trt_dcla_detl_sn)
            if used is not None:
                raise self.blocked(
                    f"备案 {after.trt_dcla_detl_sn} 已用于结算 {used.setl_id}",
                    f"filing {after.trt_dcla_detl_sn} was used by settlement {used.setl_id}",
                )
        elif before is not None and after is not None and before.fil_stas == Status.ACTIVE:  # in force again
            others = [
                filing_of(r)
                for r in filing_rows(self.tx, before.psn_no, before.insutype)
                if r.trt_dcla_detl_sn != before.trt_dcla_detl_sn
            ]
            mine = filing_of(before)
            clash = conflicting(others, before.insuplc_admdvs, mine.begndate, mine.last_day)
            if clash is not None:
                raise self.blocked(
                    f"人员 {before.psn_no} 已另有有效备案 {clash.trt_dcla_detl_sn}",
                    f"person {before.psn_no} has another filing {clash.trt_dcla_detl_sn} in force",
                )

    def _check_chronic(self, before: ChronicFilingRow | None, after: ChronicFilingRow | None) -> None:
        if before is None and after is not None:  # made: removed, unless a settlement used it
            rule_key = f"14:{after.opsp_dise_code}"
            used = ledger.active_with_rule(self.tx, after.psn_no, rule_key, after.crte_date)
            if used is not None:
                raise self.blocked(
                    f"慢特病备案 {after.trt_dcla_detl_sn} 已用于结算 {used.setl_id}",
                    f"chronic filing {after.trt_dcla_detl_sn} was used by {used.setl_id}",
                )
        elif before is not None and after is not None:  # in force again, unless another took its place
            same = active_chronic_filings(self.tx, before.psn_no, before.opsp_dise_code)
            if same:
                raise self.blocked(
                    f"病种 {before.opsp_dise_code} 已另有有效备案 {same[0]}",
                    f"disease {before.opsp_dise_code} has another active filing",
                )


R = TypeVar("R", VisitRow, FeeRow, FilingRow, ChronicFilingRow)


def _as(image: RowImage | None, row: type[R]) -> R | None:
    return None if image is None else row_of(image, row)


class SettleNodes(TypedDict):
    """The settlement nodes a 2601 or Y5203 reply carries beside its own."""

    setlinfo: sv.SetlInfo
    setldetail: tuple[sv.SetlDetail, ...]
    setltrace: sv.SetlTrace


def _settle_nodes(s: sv.SettleOutput) -> SettleNodes:
    return {"setlinfo": s.setlinfo, "setldetail": s.setldetail, "setltrace": s.setltrace}


# ---- Y5203: what became of a message

STAS_NAMES = {"0": "未收到", "1": "已执行", "2": "已拒绝", "3": "已冲正", "4": "到达前已冲正"}


def query_message(world: World, tx: Tx, ctx: CallContext, inp: v.MessageQueryInput) -> v.MessageQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "omsgid")
    code = ctx.institution.fixmedins_code
    if not d.omsgid.startswith(code):
        raise Refusal("REVERSAL_NOT_YOURS", f"{path}.omsgid", omsgid=d.omsgid, code=code)
    ledger.wait_for_claim(tx, d.omsgid)  # a message still executing is answered once it is done
    msg: MessageRow | None = tx.message(d.omsgid)
    done: ReversalRow | None = ledger.reversal_of(tx, d.omsgid)
    info, nodes = v.MessageInfo(omsgid=d.omsgid, msg_stas="0"), None
    if msg is None:
        pass
    elif done is not None and done.outcome == "tombstone":
        info = replace(info, msg_stas="4", oinfno=done.oinfno, rev_msgid=done.msgid, rev_time=done.rev_time)
    elif done is None and msg.refused:
        err = journal_wire().refusal_text(msg.reply or b"")
        info = replace(info, msg_stas="2", oinfno=msg.infno, err_msg=err, recv_time=_time(msg.created_at))
    else:
        info = replace(info, msg_stas="3" if done else "1", oinfno=msg.infno, recv_time=_time(msg.created_at))
        if done is not None:
            info = replace(info, rev_msgid=done.msgid, rev_time=done.rev_time)
        info, nodes = _executed(tx, d, path, msg.infno, info)
    if d.oinfno and info.oinfno and d.oinfno != info.oinfno:
        raise Refusal("REVERSAL_INFNO_MISMATCH", f"{path}.oinfno", omsgid=d.omsgid, actual=info.oinfno, value=d.oinfno)
    out = v.MessageQueryOutput(msginfo=replace(info, msg_stas_name=STAS_NAMES[info.msg_stas]))
    return out if nodes is None else replace(out, **_settle_nodes(nodes))


def _executed(
    tx: Tx, d: v.MessageQueryData, path: str, infno: str, info: v.MessageInfo
) -> tuple[v.MessageInfo, sv.SettleOutput | None]:
    """An executed message's reply, from the journal: its output as JSON, and a settlement's nodes."""
    journal: JournalRow | None = ledger.journal_ok(tx, d.omsgid)
    if journal is None:  # an executed message is journaled in its own transaction
        raise LookupError(f"message {d.omsgid} has no journal row")
    if d.psn_no and journal.psn_no and journal.psn_no != d.psn_no:
        raise Refusal(
            "REVERSAL_PSN_MISMATCH", f"{path}.psn_no", value=d.psn_no, omsgid=d.omsgid, expected=journal.psn_no
        )
    replied = journal_wire().replied_output(infno, journal.reply)
    if replied is None:
        return info, None
    text, omitted, nodes = replied
    return replace(info, output_json=text, output_omitted=omitted), nodes


def _time(stamp: str) -> str:
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}" if stamp else ""
