"""Outpatient settlement: 2206 pre-settle, 2207 settle, 2208 cancel.

The treatment place's catalogue already split every item at 2204; here the insured place's
benefit rule (found by insutype, psn_type, med_type and hospital level) allocates the funds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yibao.adapters.storage.store import Tx, from_fen, to_fen
from yibao.simulators.core.context import CallContext
from yibao.simulators.core.ids import new_id
from yibao.simulators.core.inputs import decimal_field, flag_field, require
from yibao.simulators.core.people import active_insurance, person_of
from yibao.simulators.core.visits import OUTPATIENT_MED_TYPES, open_visit

from yibao.domain.benefit_policy import find_rule
from yibao.domain.catalogue_split import Split
from yibao.domain.fund_allocation import Accumulated, FeeTotals, Settlement, allocate
from yibao.domain.identity import age_on, check_certificate
from yibao.domain.money import ZERO, ratio, yuan
from yibao.domain.world import Insurance, Person, World
from yibao.errors import Refusal
from yibao.v1 import outpatient_pb2 as pb
from yibao.v1 import settlement_pb2 as spb

CLR_TYPE_OUTPATIENT = "11"
CLR_WAY = "1"  # samples show "1"; its meaning is not published (interface.md §8)
SETTLE_REQUIRED = (
    "psn_no",
    "mdtrt_cert_type",
    "mdtrt_cert_no",
    "med_type",
    "medfee_sumamt",
    "psn_setlway",
    "mdtrt_id",
    "chrg_bchno",
    "acct_used_flag",
    "insutype",
)
# setlinfo amount fields that change sign in a reversal
AMOUNT_FIELDS = (
    "medfee_sumamt",
    "fulamt_ownpay_amt",
    "overlmt_selfpay",
    "preselfpay_amt",
    "inscp_scp_amt",
    "act_pay_dedc",
    "hifp_pay",
    "cvlserv_pay",
    "hifes_pay",
    "hifmi_pay",
    "hifob_pay",
    "maf_pay",
    "oth_pay",
    "fund_pay_sumamt",
    "psn_part_amt",
    "acct_pay",
    "psn_cash_pay",
    "hosp_part_amt",
    "acct_mulaid_pay",
)


def pre_settle(world: World, tx: Tx, ctx: CallContext, inp: pb.SettleInput) -> pb.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=False)


def settle(world: World, tx: Tx, ctx: CallContext, inp: pb.SettleInput) -> pb.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=True)


def _accum_keys(insutype: str, group: str) -> tuple[str, str]:
    return f"{insutype}:{group}:dedc", f"{insutype}:{group}:fund"


def _settle(world: World, tx: Tx, ctx: CallContext, inp: pb.SettleInput, commit: bool) -> pb.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, *SETTLE_REQUIRED)
    flag_field(d.acct_used_flag, f"{path}.acct_used_flag")
    flag_field(d.psn_setlway, f"{path}.psn_setlway", ("01", "02"))
    flag_field(d.med_type, f"{path}.med_type", OUTPATIENT_MED_TYPES)
    medfee_sumamt = decimal_field(d.medfee_sumamt, f"{path}.medfee_sumamt", 2)
    person, insurance = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    check_certificate(world, person, d.mdtrt_cert_type, d.mdtrt_cert_no, path)
    # Lock the person first: settlements, uploads and cancels of one person run one at a time.
    balance = tx.lock_person(d.psn_no) or ZERO
    visit = open_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)
    if d.insutype != visit.insutype:
        raise Refusal(
            "MDTRT_MISMATCH", f"{path}.insutype", value=d.insutype, mdtrt_id=d.mdtrt_id, expected=visit.insutype
        )
    if visit.med_type and d.med_type != visit.med_type:
        raise Refusal(
            "MDTRT_MISMATCH", f"{path}.med_type", value=d.med_type, mdtrt_id=d.mdtrt_id, expected=visit.med_type
        )
    insured_place = world.regions[insurance.insuplc_admdvs]
    rule = find_rule(insured_place.benefits, d.insutype, insurance.psn_type, d.med_type, ctx.institution.hosp_lv)
    if rule is None:
        raise Refusal(
            "MED_TYPE_UNSUPPORTED",
            f"{path}.med_type",
            admdvs=insured_place.admdvs,
            insutype=d.insutype,
            med_type=d.med_type,
        )
    fees = tx.fees(d.mdtrt_id, unsettled_only=True, chrg_bchno=d.chrg_bchno)
    if not fees:
        settled = tx.active_settlement(d.mdtrt_id, d.chrg_bchno)
        if settled is not None:
            raise Refusal(
                "SETL_BATCH_SETTLED",
                f"{path}.chrg_bchno",
                mdtrt_id=d.mdtrt_id,
                chrg_bchno=d.chrg_bchno,
                setl_id=settled.setl_id,
            )
        raise Refusal("SETL_NO_FEES", f"{path}.chrg_bchno", mdtrt_id=d.mdtrt_id, chrg_bchno=d.chrg_bchno)
    totals = FeeTotals.of(
        (
            from_fen(f.sumamt_fen),
            Split(from_fen(f.fulamt_fen), from_fen(f.overlmt_fen), from_fen(f.preselfpay_fen), from_fen(f.inscp_fen)),
        )
        for f in fees
    )
    if medfee_sumamt != totals.medfee_sumamt:
        raise Refusal(
            "SETL_SUMAMT_MISMATCH", f"{path}.medfee_sumamt", value=d.medfee_sumamt, expected=yuan(totals.medfee_sumamt)
        )
    year = ctx.now.year
    dedc_key, fund_key = _accum_keys(d.insutype, rule.accum_group)
    acc = tx.accumulators(d.psn_no, year, [dedc_key, fund_key])
    result = allocate(totals, rule, Accumulated(acc[dedc_key], acc[fund_key]), balance, d.acct_used_flag == "1")
    result.check_balances()

    setl_id = new_id(ctx.mdtrtarea_admvs, ctx.now) if commit else ""
    out = _output(ctx, person, insurance, d, result, setl_id)
    if not commit:
        return out
    tx.mark_fees_settled(d.mdtrt_id, d.chrg_bchno, setl_id)
    if result.acct_pay:
        tx.add_to_account(d.psn_no, -result.acct_pay)
    tx.add_to_accumulators(d.psn_no, year, {dedc_key: result.act_pay_dedc, fund_key: result.hifp_pay})
    tx.add_settlement(
        setl_id=setl_id,
        kind="settle",
        orig_setl_id=None,
        reversed_by=None,
        mdtrt_id=d.mdtrt_id,
        chrg_bchno=d.chrg_bchno,
        psn_no=d.psn_no,
        insutype=d.insutype,
        med_type=d.med_type,
        fixmedins_code=ctx.institution.fixmedins_code,
        mdtrtarea_admvs=ctx.mdtrtarea_admvs,
        insuplc_admdvs=insurance.insuplc_admdvs,
        clr_type=CLR_TYPE_OUTPATIENT,
        setl_time=ctx.time_text,
        year=year,
        accum_group=rule.accum_group,
        msgid=ctx.msgid,
        medfee_sumamt_fen=to_fen(totals.medfee_sumamt),
        fund_pay_sumamt_fen=to_fen(result.fund_pay_sumamt),
        act_pay_dedc_fen=to_fen(result.act_pay_dedc),
        hifp_pay_fen=to_fen(result.hifp_pay),
        acct_pay_fen=to_fen(result.acct_pay),
        psn_cash_pay_fen=to_fen(result.psn_cash_pay),
        output=out.SerializeToString(deterministic=True),
    )
    if d.med_type != visit.med_type:
        tx.update_visit(d.mdtrt_id, med_type=d.med_type)
    return out


def _output(
    ctx: CallContext, person: Person, insurance: Insurance, d: pb.SettleData, s: Settlement, setl_id: str
) -> pb.SettleOutput:
    t = s.totals
    info = spb.SetlInfo(
        mdtrt_id=d.mdtrt_id,
        setl_id=setl_id,
        psn_no=person.psn_no,
        psn_name=person.psn_name,
        psn_cert_type=person.psn_cert_type,
        certno=person.certno,
        gend=person.gend,
        naty=person.naty,
        brdy=person.brdy.isoformat(),
        age=age_on(person.brdy, ctx.now.date()),
        insutype=insurance.insutype,
        psn_type=insurance.psn_type,
        cvlserv_flag=insurance.cvlserv_flag,
        setl_time=ctx.time_text,
        mdtrt_cert_type=d.mdtrt_cert_type,
        med_type=d.med_type,
        medfee_sumamt=yuan(t.medfee_sumamt),
        fulamt_ownpay_amt=yuan(t.fulamt_ownpay_amt),
        overlmt_selfpay=yuan(t.overlmt_selfpay),
        preselfpay_amt=yuan(t.preselfpay_amt),
        inscp_scp_amt=yuan(t.inscp_scp_amt),
        act_pay_dedc=yuan(s.act_pay_dedc),
        hifp_pay=yuan(s.hifp_pay),
        pool_prop_selfpay=ratio(s.pool_prop_selfpay),
        cvlserv_pay=yuan(ZERO),
        hifes_pay=yuan(ZERO),
        hifmi_pay=yuan(ZERO),
        hifob_pay=yuan(ZERO),
        maf_pay=yuan(ZERO),
        oth_pay=yuan(ZERO),
        fund_pay_sumamt=yuan(s.fund_pay_sumamt),
        psn_part_amt=yuan(s.psn_part_amt),
        acct_pay=yuan(s.acct_pay),
        psn_cash_pay=yuan(s.psn_cash_pay),
        hosp_part_amt=yuan(ZERO),
        balc=yuan(s.balc),
        acct_mulaid_pay=yuan(ZERO),
        medins_setl_id=ctx.msgid,
        clr_optins=ctx.mdtrtarea_admvs,
        clr_way=CLR_WAY,
        clr_type=CLR_TYPE_OUTPATIENT,
    )
    out = pb.SettleOutput(setlinfo=info)
    for f in s.funds:
        out.setldetail.add(
            fund_pay_type=f.fund_pay_type,
            inscp_scp_amt=yuan(f.inscp_scp_amt),
            crt_payb_lmt_amt=yuan(f.crt_payb_lmt_amt),
            fund_payamt=yuan(f.fund_payamt),
            fund_pay_type_name=f.fund_pay_type_name,
            setl_proc_info=f.setl_proc_info,
        )
    return out


def cancel_settlement(world: World, tx: Tx, ctx: CallContext, inp: pb.CancelSettlementInput) -> pb.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, "setl_id", "mdtrt_id", "psn_no")
    person = person_of(world, d.psn_no, f"{path}.psn_no")
    balance = tx.lock_person(d.psn_no) or ZERO
    orig = tx.settlement(d.setl_id)
    if orig is None or orig.kind != "settle":
        raise Refusal("SETL_NOT_FOUND", f"{path}.setl_id", setl_id=d.setl_id)
    if orig.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("SETL_NOT_YOURS", f"{path}.setl_id", setl_id=d.setl_id, code=ctx.institution.fixmedins_code)
    for name in ("mdtrt_id", "psn_no"):
        if getattr(d, name) != getattr(orig, name):
            raise Refusal(
                "MDTRT_MISMATCH",
                f"{path}.{name}",
                value=getattr(d, name),
                mdtrt_id=orig.mdtrt_id,
                expected=getattr(orig, name),
            )
    if orig.reversed_by is not None:
        rev = tx.settlement(orig.reversed_by)
        raise Refusal(
            "SETL_ALREADY_CANCELLED", f"{path}.setl_id", setl_id=d.setl_id, time=rev.setl_time, rev_setl_id=rev.setl_id
        )
    open_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)

    rev_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    acct_pay = from_fen(orig.acct_pay_fen)
    out = _reversed_output(orig, rev_id, ctx, new_balance=balance + acct_pay)
    tx.mark_reversed(orig.setl_id, rev_id)
    tx.release_fees(orig.setl_id)
    if acct_pay:
        tx.add_to_account(person.psn_no, acct_pay)
    dedc_key, fund_key = _accum_keys(orig.insutype, orig.accum_group)
    # Restore exactly what the settlement added, in the year it added it.
    tx.add_to_accumulators(
        orig.psn_no, orig.year, {dedc_key: -from_fen(orig.act_pay_dedc_fen), fund_key: -from_fen(orig.hifp_pay_fen)}
    )
    tx.add_settlement(
        setl_id=rev_id,
        kind="reversal",
        orig_setl_id=orig.setl_id,
        reversed_by=None,
        mdtrt_id=orig.mdtrt_id,
        chrg_bchno=orig.chrg_bchno,
        psn_no=orig.psn_no,
        insutype=orig.insutype,
        med_type=orig.med_type,
        fixmedins_code=orig.fixmedins_code,
        mdtrtarea_admvs=orig.mdtrtarea_admvs,
        insuplc_admdvs=orig.insuplc_admdvs,
        clr_type=orig.clr_type,
        setl_time=ctx.time_text,
        year=orig.year,
        accum_group=orig.accum_group,
        msgid=ctx.msgid,
        medfee_sumamt_fen=-orig.medfee_sumamt_fen,
        fund_pay_sumamt_fen=-orig.fund_pay_sumamt_fen,
        act_pay_dedc_fen=-orig.act_pay_dedc_fen,
        hifp_pay_fen=-orig.hifp_pay_fen,
        acct_pay_fen=-orig.acct_pay_fen,
        psn_cash_pay_fen=-orig.psn_cash_pay_fen,
        output=out.SerializeToString(deterministic=True),
    )
    return out


def _negate(text: str) -> str:
    return yuan(-Decimal(text)) if text else text


def _reversed_output(orig: Any, rev_id: str, ctx: CallContext, new_balance: Decimal) -> pb.SettleOutput:
    """The original reply with every amount negated, a new setl_id and the restored balance."""
    out = pb.SettleOutput.FromString(orig.output)
    info = out.setlinfo
    for name in AMOUNT_FIELDS:
        setattr(info, name, _negate(getattr(info, name)))
    info.setl_id = rev_id
    info.setl_time = ctx.time_text
    info.medins_setl_id = ctx.msgid
    info.balc = yuan(new_balance)
    for row in out.setldetail:
        row.fund_payamt = _negate(row.fund_payamt)
        row.inscp_scp_amt = _negate(row.inscp_scp_amt)
        row.setl_proc_info = f"撤销结算 {orig.setl_id}"
    return out
