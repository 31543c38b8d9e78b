"""Manual reimbursement at the insured place (手工报销; docs/seed-rules.md "Manual reimbursement at the insured
place"): care paid in full elsewhere — no direct settlement, the insured place unreachable, or a filing made
after a self-paid discharge [003 art. 2, 11; 000 8] — claimed with its items and invoice (Y2801), reviewed and
paid by the insured place's agency (Y2802, operators only), read back (Y2803).

The review applies the insured place's scope and standards throughout [003 art. 18]: each item is split by the
insured place's own catalogue (an item it does not list is wholly the person's), and the benefit is the one the
insured place would give a direct settlement of the same care (its filings, the automatic temporary filing of a
stay). The payment moves the person's accumulators of the year like a settlement, never the personal account
(the person has paid). The insured place pays the person itself, so a claim is no settlement of any
institution: it is in no 3201/3202 reconciliation and in no cross-region clearing (Y3270).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.catalogue_split import CatalogueItem, line_total_matches
from yibao.domain.money import ZERO, yuan
from yibao.domain.world import Insurance, Person, World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import datetime_field, decimal_field, require
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core import stored_values
from yibao.simulators.core.item_split import SplitFee, split_line
from yibao.simulators.core.people import active_insurance, person_of
from yibao.simulators.core.values import manual_claim as v
from yibao.storage import manual_claims as store
from yibao.storage.manual_claims import PAID, REJECTED, SUBMITTED, ClaimRow
from yibao.storage.store import Tx, from_fen, to_fen

OUT_OF_SCOPE = "参保地目录外项目，全自费（003 第十八条：手工报销执行参保地支付范围）"
WORKING_DAYS = 10  # the time allowed to pay a claim [000 2; 001]
ACTIONS = ("pay", "reject")
STATE = {PAID: ("已支付", "paid"), REJECTED: ("不予支付", "rejected")}


def submit(world: World, tx: Tx, ctx: CallContext, inp: v.ManualClaimInput) -> v.ManualClaimOutput:
    """Y2801: take a claim at the insured place (the envelope names it); returns claim_id and the due date."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "insutype", "med_type", "begndate", "mdtrtarea_admdvs", "fixmedins_name",
            "invoice_no", "medfee_sumamt")  # fmt: skip
    person, ins = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    _dates(d, path)
    if not (len(d.mdtrtarea_admdvs) == 6 and d.mdtrtarea_admdvs.isdigit()):
        raise Refusal("ENV_FORMAT", f"{path}.mdtrtarea_admdvs", rule="应为 6 位行政区划代码")
    amount = decimal_field(d.medfee_sumamt, f"{path}.medfee_sumamt", 2, positive=True)
    fees = _split_items(world, ins, inp)
    items = sum((from_fen(f.sumamt_fen) for f in fees), ZERO)
    if items != amount:
        raise Refusal("CLAIM_TOTAL_MISMATCH", f"{path}.medfee_sumamt", items=yuan(items), amount=d.medfee_sumamt)
    known = store.claim_by_invoice(tx, d.mdtrtarea_admdvs, d.invoice_no)
    if known is not None:
        raise Refusal("CLAIM_INVOICE_EXISTS", f"{path}.invoice_no", admdvs=d.mdtrtarea_admdvs,
                      invoice_no=d.invoice_no, claim_id=known.claim_id)  # fmt: skip
    row = ClaimRow(
        claim_id=new_id(ins.insuplc_admdvs, ctx.now), psn_no=person.psn_no, insutype=ins.insutype,
        insuplc_admdvs=ins.insuplc_admdvs, mdtrtarea_admdvs=d.mdtrtarea_admdvs, invoice_no=d.invoice_no,
        claim_stas=SUBMITTED, medfee_sumamt_fen=to_fen(amount), fund_pay_sumamt_fen=0,
        submitted_by=ctx.institution.fixmedins_code, submit_time=ctx.time_text,
        due_date=working_days_after(ctx.now.date(), WORKING_DAYS).isoformat(), review_time="", reason="", setl_id="",
        body=stored_values.dumps(inp).decode(), paid="",
    )  # fmt: skip
    store.add_claim(tx, row)
    return v.ManualClaimOutput(claim=_claim(row))


def review(world: World, tx: Tx, ctx: CallContext, inp: v.ManualClaimReviewInput) -> v.ManualClaimOutput:
    """Y2802 (operators): pay a claim as the insured place's standard gives, or reject it with a reason."""
    d, path = inp.data, "input.data"
    if not ctx.institution.operator:
        raise Refusal("AUTH_NOT_OPERATOR", "header.fixmedins_code", code=ctx.institution.fixmedins_code,
                      infno=ctx.infno)  # fmt: skip
    require(d, path, "claim_id", "psn_no", "action")
    if d.action not in ACTIONS:
        raise Refusal("ENV_CODE", f"{path}.action", value=d.action, allowed="/".join(ACTIONS))
    if d.action == "reject":
        require(d, path, "reason")
    person = person_of(world, d.psn_no, f"{path}.psn_no")
    balances = engine.lock_people(tx, world, person.psn_no)
    row = _open_claim(tx, d, path)
    if d.action == "reject":
        store.close_claim(tx, row.claim_id, stas=REJECTED, at=ctx.time_text, reason=d.reason)
        return v.ManualClaimOutput(claim=_claim(_reread(tx, row)))
    return _pay(world, tx, ctx, person, row, balances)


def query(world: World, tx: Tx, ctx: CallContext, inp: v.ManualClaimQueryInput) -> v.ManualClaimQueryOutput:
    """Y2803: the person's claims (or one), as far as the caller may see them: an operator every claim, an
    institution those it submitted."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    person_of(world, d.psn_no, f"{path}.psn_no")
    rows = [r for r in store.claims_of(tx, d.psn_no, d.claim_id) if _visible(ctx, r)]
    if d.claim_id and not rows:
        raise Refusal("CLAIM_NOT_FOUND", f"{path}.claim_id", psn_no=d.psn_no, claim_id=d.claim_id)
    return v.ManualClaimQueryOutput(claim=tuple(_claim(r) for r in rows))


def working_days_after(day: date, n: int) -> date:
    """The n-th working day after `day`, Saturdays and Sundays skipped (public holidays are not in the world)."""
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _pay(world: World, tx: Tx, ctx: CallContext, person: Person, row: ClaimRow,
         balances: dict[str, Decimal]) -> v.ManualClaimOutput:  # fmt: skip
    claim = stored_values.loads(v.ManualClaimInput, row.body.encode())
    d = claim.data
    ins = person.insurance(row.insutype)
    assert ins is not None  # checked when the claim was taken; world files do not change under a store
    case = engine.Case(
        person=person, insurance=ins, mdtrt_id=row.claim_id, chrg_bchno="", med_type=d.med_type,
        category="inpatient" if d.med_type.startswith("2") or d.med_type == "52" else "outpatient",
        clr_type="21" if d.med_type.startswith("2") or d.med_type == "52" else "11", mdtrt_cert_type="02",
        admission=date.fromisoformat(d.begndate), use_account=False, fees=_split_items(world, ins, claim),
        treatment_admdvs=row.mdtrtarea_admdvs,
    )  # fmt: skip
    c = engine.compute(world, tx, _at_treating_level(world, ctx, d.fixmedins_code), case, balances)
    setl_id = new_id(ins.insuplc_admdvs, ctx.now)
    # The trace lists the items as the insured place's catalogue split them: the output reads that catalogue.
    out = engine.output(world, ctx, replace(case, treatment_admdvs=ins.insuplc_admdvs), c, setl_id)
    out = replace(out, setltrace=replace(out.setltrace, treatment_place=row.mdtrtarea_admdvs))
    engine.apply_moves(tx, c.moves, sign=1)
    paid = json.dumps({"output": stored_values.plain(out), "moves": c.moves}, ensure_ascii=False)
    store.close_claim(tx, row.claim_id, stas=PAID, at=ctx.time_text, setl_id=setl_id, paid=paid,
                      fund_pay_sumamt_fen=to_fen(c.settlement.fund_pay_sumamt))  # fmt: skip
    return v.ManualClaimOutput(claim=_claim(_reread(tx, row)), setlinfo=out.setlinfo, setldetail=out.setldetail,
                               setltrace=out.setltrace)  # fmt: skip


def _at_treating_level(world: World, ctx: CallContext, fixmedins_code: str) -> CallContext:
    """The context whose institution level picks the benefit rule: the treating hospital's when the world knows
    it, else the reviewing agency's."""
    treating = world.institutions.get(fixmedins_code)
    return replace(ctx, institution=replace(ctx.institution, hosp_lv=treating.hosp_lv)) if treating else ctx


def _split_items(world: World, ins: Insurance, inp: v.ManualClaimInput) -> list[SplitFee]:
    """Each item checked and split by the insured place's catalogue [003 art. 18]."""
    if not inp.feedetail:
        raise Refusal("ENV_REQUIRED", "input.feedetail")
    catalogue = world.regions[ins.insuplc_admdvs].catalogue
    seen: set[str] = set()
    fees = []
    for n, item in enumerate(inp.feedetail):
        path = f"input.feedetail[{n}]"
        require(item, path, "feedetl_sn", "med_list_codg", "fee_ocur_time", "cnt", "pric", "det_item_fee_sumamt")
        if item.feedetl_sn in seen:
            raise Refusal("FEE_DUPLICATE", f"{path}.feedetl_sn", feedetl_sn=item.feedetl_sn)
        seen.add(item.feedetl_sn)
        fees.append(_split(catalogue, ins.insuplc_admdvs, item, path))
    return fees


def _split(catalogue: dict[str, CatalogueItem], admdvs: str, item: v.ManualClaimItem, path: str) -> SplitFee:
    if item.med_list_codg in catalogue:
        return split_line(catalogue, admdvs, item, path, item.hosp_appr_flag).fee(item.med_list_codg)
    datetime_field(item.fee_ocur_time, f"{path}.fee_ocur_time")
    total = decimal_field(item.det_item_fee_sumamt, f"{path}.det_item_fee_sumamt", 2)
    cnt = decimal_field(item.cnt, f"{path}.cnt", 4, positive=True)
    expected = line_total_matches(total, cnt, decimal_field(item.pric, f"{path}.pric", 6))
    if expected is not None:
        raise Refusal("FEE_AMOUNT_MISMATCH", f"{path}.det_item_fee_sumamt", feedetl_sn=item.feedetl_sn,
                      amount=item.det_item_fee_sumamt, cnt=item.cnt, pric=item.pric,
                      expected=yuan(expected))  # fmt: skip
    fen_ = to_fen(total)
    return SplitFee(item.feedetl_sn, item.med_list_codg, OUT_OF_SCOPE, fen_, fen_, 0, 0, 0)


def _dates(d: v.ManualClaimData, path: str) -> None:
    begin = _day(d.begndate, f"{path}.begndate")
    if d.enddate and _day(d.enddate, f"{path}.enddate") < begin:
        raise Refusal("ENV_FORMAT", f"{path}.enddate", rule=f"不应早于 begndate {d.begndate}")


def _day(value: str, field: str) -> date:
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Refusal("ENV_FORMAT", field, rule=f"应为 yyyy-MM-dd，收到 {value!r}")


def _open_claim(tx: Tx, d: v.ManualClaimReviewData, path: str) -> ClaimRow:
    row = store.claim_for_update(tx, d.claim_id)
    if row is None or row.psn_no != d.psn_no:
        raise Refusal("CLAIM_NOT_FOUND", f"{path}.claim_id", psn_no=d.psn_no, claim_id=d.claim_id)
    if row.claim_stas != SUBMITTED:
        state, state_en = STATE[row.claim_stas]
        raise Refusal("CLAIM_CLOSED", f"{path}.claim_id", claim_id=row.claim_id, time=row.review_time, state=state,
                      state_en=state_en)  # fmt: skip
    return row


def _reread(tx: Tx, row: ClaimRow) -> ClaimRow:
    found = store.claim_for_update(tx, row.claim_id)
    assert found is not None
    return found


def _visible(ctx: CallContext, row: ClaimRow) -> bool:
    return ctx.institution.operator or row.submitted_by == ctx.institution.fixmedins_code


def _claim(row: ClaimRow) -> v.ManualClaim:
    d = stored_values.loads(v.ManualClaimInput, row.body.encode())
    paid = json.loads(row.paid) if row.paid else None
    psn_part = paid["output"]["setlinfo"]["psn_part_amt"] if paid else ""
    return v.ManualClaim(
        claim_id=row.claim_id, claim_stas=row.claim_stas, psn_no=row.psn_no, insutype=row.insutype,
        med_type=d.data.med_type, begndate=d.data.begndate, enddate=d.data.enddate,
        insuplc_admdvs=row.insuplc_admdvs, mdtrtarea_admdvs=row.mdtrtarea_admdvs,
        fixmedins_name=d.data.fixmedins_name, invoice_no=row.invoice_no,
        medfee_sumamt=yuan(from_fen(row.medfee_sumamt_fen)),
        fund_pay_sumamt=yuan(from_fen(row.fund_pay_sumamt_fen)) if row.claim_stas == PAID else "",
        psn_part_amt=psn_part, submit_time=row.submit_time, due_date=row.due_date, review_time=row.review_time,
        reason=row.reason, setl_id=row.setl_id, item_cnt=str(len(d.feedetail)),
    )  # fmt: skip
