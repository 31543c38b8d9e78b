"""Outpatient settlement: 2206 pre-settle, 2207 settle, 2208 cancel — general outpatient and, with
med_type 14, chronic and special diseases (门诊慢特病), settled per disease: a charge batch carries
one dise_codg, so each disease's batch settles separately and unrelated items of the same visit
settle as general outpatient in their own batch [003 art. 23, 25]."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.fee_limits import FEE_ITEMS_PER_SETTLEMENT
from yibao.domain.identity import check_certificate
from yibao.domain.money import yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.inputs import decimal_field, flag_field, require
from yibao.simulators.core import refund_engine
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core.fees import too_many_for_a_batch
from yibao.simulators.core.filings import chronic_filings
from yibao.simulators.core.people import active_insurance
from yibao.simulators.core.values import outpatient as v
from yibao.simulators.core.values import settlement as sv
from yibao.simulators.core.visits import OUTPATIENT_MED_TYPES, open_visit
from yibao.storage.store import Tx, from_fen
from yibao.timetext import parse_datetime

CLR_TYPE_OUTPATIENT = "11"
CHRONIC = "14"
SETTLE_REQUIRED = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "med_type", "medfee_sumamt", "psn_setlway",
                   "mdtrt_id", "chrg_bchno", "acct_used_flag", "insutype")  # fmt: skip


def pre_settle(world: World, tx: Tx, ctx: CallContext, inp: v.SettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=False)


def settle(world: World, tx: Tx, ctx: CallContext, inp: v.SettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=True)


def _settle(world: World, tx: Tx, ctx: CallContext, inp: v.SettleInput, commit: bool) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, *SETTLE_REQUIRED)
    flag_field(d.acct_used_flag, f"{path}.acct_used_flag")
    flag_field(d.psn_setlway, f"{path}.psn_setlway", ("01", "02"))
    flag_field(d.med_type, f"{path}.med_type", OUTPATIENT_MED_TYPES)
    medfee_sumamt = decimal_field(d.medfee_sumamt, f"{path}.medfee_sumamt", 2)
    person, insurance = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    check_certificate(world, person, d.mdtrt_cert_type, d.mdtrt_cert_no, path)
    # Lock the person (and family-account holder) first: their settlements run one at a time.
    balances = engine.lock_people(tx, world, d.psn_no)
    visit = open_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)
    if d.insutype != visit.insutype:
        raise Refusal("MDTRT_MISMATCH", f"{path}.insutype", value=d.insutype, mdtrt_id=d.mdtrt_id,
                      expected=visit.insutype)  # fmt: skip
    if visit.med_type and d.med_type != visit.med_type and CHRONIC not in (d.med_type, visit.med_type):
        raise Refusal("MDTRT_MISMATCH", f"{path}.med_type", value=d.med_type, mdtrt_id=d.mdtrt_id,
                      expected=visit.med_type)  # fmt: skip
    fees = tx.fees(d.mdtrt_id, unsettled_only=True, chrg_bchno=d.chrg_bchno)
    if not fees:
        settled = tx.active_settlement(d.mdtrt_id, d.chrg_bchno)
        if settled is not None:
            raise Refusal("SETL_BATCH_SETTLED", f"{path}.chrg_bchno", mdtrt_id=d.mdtrt_id, chrg_bchno=d.chrg_bchno,
                          setl_id=settled.setl_id)  # fmt: skip
        raise Refusal("SETL_NO_FEES", f"{path}.chrg_bchno", mdtrt_id=d.mdtrt_id, chrg_bchno=d.chrg_bchno)
    if len(fees) > FEE_ITEMS_PER_SETTLEMENT:  # uploads keep below it; items a 2601 put back may not
        raise too_many_for_a_batch(f"{path}.chrg_bchno", d.mdtrt_id, d.chrg_bchno, len(fees))
    total = sum((from_fen(f.sumamt_fen) for f in fees), from_fen(0))
    if medfee_sumamt != total:
        raise Refusal("SETL_SUMAMT_MISMATCH", f"{path}.medfee_sumamt", value=d.medfee_sumamt, expected=yuan(total))
    dise_codg = fees[0].dise_codg
    category = "outpatient"
    if d.med_type == CHRONIC:
        category = "chronic"
        _check_chronic(tx, ctx, d, dise_codg, path)
    elif dise_codg:
        raise Refusal("SETL_CHRONIC_MED_TYPE", f"{path}.med_type", chrg_bchno=d.chrg_bchno, dise_codg=dise_codg,
                      med_type=d.med_type)  # fmt: skip
    case = engine.Case(
        person=person, insurance=insurance, mdtrt_id=d.mdtrt_id, chrg_bchno=d.chrg_bchno,
        med_type=d.med_type,
        rule_key=_rule_med_type(d.med_type, dise_codg), category=category, clr_type=CLR_TYPE_OUTPATIENT,
        mdtrt_cert_type=d.mdtrt_cert_type, admission=parse_datetime(visit.begntime).date(),
        use_account=d.acct_used_flag == "1", fees=fees, treatment_admdvs=visit.mdtrtarea_admvs,
    )  # fmt: skip
    computed = engine.compute(world, tx, ctx, case, balances)
    if not commit:
        return engine.output(world, ctx, case, computed, setl_id="")
    if d.med_type != visit.med_type:
        tx.update_visit(d.mdtrt_id, med_type=d.med_type)
    return engine.record(world, tx, ctx, case, computed)


def _rule_med_type(med_type: str, dise_codg: str) -> str:
    """Chronic diseases are looked up as `14:<dise_codg>` in the benefit table: each disease has its own rule."""
    return f"{CHRONIC}:{dise_codg}" if med_type == CHRONIC else med_type


def _check_chronic(tx: Tx, ctx: CallContext, d: v.SettleData, dise_codg: str, path: str) -> None:
    if not dise_codg:
        raise Refusal("SETL_CHRONIC_NO_DISEASE", f"{path}.chrg_bchno", chrg_bchno=d.chrg_bchno)
    filed = chronic_filings(tx, d.psn_no, d.insutype, ctx.now.date())
    if dise_codg not in filed:
        raise Refusal("SETL_CHRONIC_NOT_FILED", f"{path}.chrg_bchno", psn_no=d.psn_no, dise_codg=dise_codg,
                      filed="、".join(sorted(filed)) or "无")  # fmt: skip


def cancel_settlement(world: World, tx: Tx, ctx: CallContext, inp: v.CancelSettlementInput) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, "setl_id", "mdtrt_id", "psn_no")
    return refund_engine.cancel(
        world, tx, ctx, d.setl_id, d.mdtrt_id, d.psn_no, (CLR_TYPE_OUTPATIENT,), path, d.refd_rea
    )
