"""Inpatient stays: 2401 admit, 2402 discharge, 2403 change, 2404/2405 cancel admission/discharge,
2301/2302 fee details in many batches, 2303/2304 settle (per-stay deductible), 2305 cancel."""

from __future__ import annotations

from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.emergency import er_flag_of
from yibao.domain.fee_limits import FEE_ITEMS_PER_SETTLEMENT
from yibao.domain.identity import CERT_TYPES, check_certificate
from yibao.domain.money import yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import datetime_field, decimal_field, flag_field, require
from yibao.simulators.core import refund_engine, stored_values
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core.item_split import split_line
from yibao.simulators.core.people import active_insurance
from yibao.simulators.core.values import inpatient as v
from yibao.simulators.core.values import outpatient as ov
from yibao.simulators.core.values import settlement as sv
from yibao.simulators.core.visits import cancel_empty_visit, owned_visit
from yibao.storage.rows import VisitRow
from yibao.storage.store import Tx, from_fen
from yibao.timetext import parse_datetime

CLR_TYPE_INPATIENT = "21"
INPATIENT_MED_TYPES = ("21", "22", "23", "24", "52", "9902")  # 24 急诊转住院 is the emergency flag
ALL_ITEMS = "0000"
ADMIT_REQUIRED = ("psn_no", "insutype", "begntime", "mdtrt_cert_type", "mdtrt_cert_no", "med_type", "ipt_no",
                  "atddr_no", "chfpdr_name", "adm_dept_codg", "adm_dept_name", "dscg_maindiag_code",
                  "dscg_maindiag_name")  # fmt: skip
FEE_REQUIRED = ("feedetl_sn", "mdtrt_id", "psn_no", "med_type", "fee_ocur_time", "med_list_codg", "medins_list_codg",
                "det_item_fee_sumamt", "cnt", "pric", "bilg_dept_codg", "bilg_dept_name", "bilg_dr_codg",
                "bilg_dr_name", "hosp_appr_flag")  # fmt: skip


def stay(tx: Tx, ctx: CallContext, mdtrt_id: str, psn_no: str, path: str, *, statuses: tuple[str, ...]) -> VisitRow:
    """The stay named by the input: it exists, is this hospital's and psn_no's, and is in one of `statuses`."""
    visit = owned_visit(tx, ctx, mdtrt_id, psn_no, path, "inpatient")
    if visit.status not in statuses:
        raise Refusal("STAY_STATUS", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id, status=_STATUS[visit.status],
                      expected="、".join(_STATUS[s] for s in statuses))  # fmt: skip
    return visit


_STATUS = {"open": "在院", "discharged": "已出院", "cancelled": "已撤销"}


def admit(world: World, tx: Tx, ctx: CallContext, inp: v.AdmitInput) -> v.AdmitOutput:
    m, path = inp.mdtrtinfo, "input.mdtrtinfo"
    require(m, path, *ADMIT_REQUIRED)
    datetime_field(m.begntime, f"{path}.begntime")
    flag_field(m.med_type, f"{path}.med_type", INPATIENT_MED_TYPES)
    flag_field(m.mdtrt_cert_type, f"{path}.mdtrt_cert_type", tuple(CERT_TYPES))
    person, insurance = active_insurance(ctx, world, m.psn_no, m.insutype, path)
    check_certificate(world, person, m.mdtrt_cert_type, m.mdtrt_cert_no, path)
    dup = tx.open_visit_by_ipt_otp_no(ctx.institution.fixmedins_code, m.ipt_no)
    if dup is not None:
        raise Refusal("MDTRT_DUPLICATE", f"{path}.ipt_no", value=m.ipt_no, mdtrt_id=dup.mdtrt_id)
    mdtrt_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    tx.add_visit(
        mdtrt_id=mdtrt_id, psn_no=m.psn_no, insutype=m.insutype, fixmedins_code=ctx.institution.fixmedins_code,
        mdtrtarea_admvs=ctx.mdtrtarea_admvs, insuplc_admdvs=insurance.insuplc_admdvs, ipt_otp_no=m.ipt_no,
        begntime=m.begntime, mdtrt_cert_type=m.mdtrt_cert_type, mdtrt_cert_no=m.mdtrt_cert_no, med_type=m.med_type,
        kind="inpatient", endtime=None, visit_info=stored_values.dumps(inp), status="open",
        created_at=ctx.time_text,
    )  # fmt: skip
    return v.AdmitOutput(result=v.AdmitResult(mdtrt_id=mdtrt_id))


def discharge(world: World, tx: Tx, ctx: CallContext, inp: v.DischargeInput) -> ov.EmptyOutput:
    d, path = inp.dscginfo, "input.dscginfo"
    require(d, path, "mdtrt_id", "psn_no", "insutype", "endtime", "dscg_dept_codg", "dscg_dept_name", "dscg_way")
    end = datetime_field(d.endtime, f"{path}.endtime")
    tx.lock_person(d.psn_no)
    visit = stay(tx, ctx, d.mdtrt_id, d.psn_no, path, statuses=("open",))
    if end < parse_datetime(visit.begntime):
        raise Refusal("STAY_DATES", f"{path}.endtime", endtime=d.endtime, begntime=visit.begntime)
    tx.update_visit(d.mdtrt_id, status="discharged", endtime=d.endtime)
    return ov.EmptyOutput()


def change_admission(world: World, tx: Tx, ctx: CallContext, inp: v.ChangeAdmissionInput) -> ov.EmptyOutput:
    a, path = inp.adminfo, "input.adminfo"
    require(a, path, "mdtrt_id", "psn_no")
    tx.lock_person(a.psn_no)
    visit = stay(tx, ctx, a.mdtrt_id, a.psn_no, path, statuses=("open",))
    values: dict[str, str | bytes] = {"visit_info": stored_values.dumps(inp)}
    if a.med_type:
        values["med_type"] = flag_field(a.med_type, f"{path}.med_type", INPATIENT_MED_TYPES)
    if a.begntime:
        datetime_field(a.begntime, f"{path}.begntime")
        settled = tx.active_settlement(a.mdtrt_id)  # a mid-settlement fixed the admission date it used
        if settled is not None and a.begntime != visit.begntime:
            raise Refusal("MDTRT_HAS_SETTLEMENT", f"{path}.begntime", mdtrt_id=a.mdtrt_id, setl_id=settled.setl_id)
        values["begntime"] = a.begntime
    tx.update_visit(a.mdtrt_id, **values)
    return ov.EmptyOutput()


def cancel_admission(world: World, tx: Tx, ctx: CallContext, inp: v.StayInput) -> ov.EmptyOutput:
    d, path = inp.data, "input.data"
    require(d, path, "mdtrt_id", "psn_no")
    tx.lock_person(d.psn_no)
    stay(tx, ctx, d.mdtrt_id, d.psn_no, path, statuses=("open",))
    cancel_empty_visit(tx, d.mdtrt_id, path)
    return ov.EmptyOutput()


def cancel_discharge(world: World, tx: Tx, ctx: CallContext, inp: v.StayInput) -> ov.EmptyOutput:
    d, path = inp.data, "input.data"
    require(d, path, "mdtrt_id", "psn_no")
    tx.lock_person(d.psn_no)
    stay(tx, ctx, d.mdtrt_id, d.psn_no, path, statuses=("discharged",))
    if tx.fees(d.mdtrt_id) and not tx.fees(d.mdtrt_id, unsettled_only=True):
        settled = tx.active_settlement(d.mdtrt_id)  # every item settled: by a settlement in force
        setl_id = settled.setl_id if settled is not None else ""
        raise Refusal("MDTRT_HAS_SETTLEMENT", f"{path}.mdtrt_id", mdtrt_id=d.mdtrt_id, setl_id=setl_id)
    tx.update_visit(d.mdtrt_id, status="open", endtime=None)
    return ov.EmptyOutput()


def upload_fees(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientFeeInput) -> ov.UploadFeeDetailsOutput:
    items = inp.feedetail
    if not items:
        raise Refusal("ENV_REQUIRED", "input.feedetail")
    first = items[0]
    for n, item in enumerate(items):
        require(item, f"input.feedetail[{n}]", *FEE_REQUIRED)
        for name in ("mdtrt_id", "psn_no"):
            if getattr(item, name) != getattr(first, name):
                raise Refusal("MDTRT_MISMATCH", f"input.feedetail[{n}].{name}", value=getattr(item, name),
                              mdtrt_id=first.mdtrt_id, expected=getattr(first, name))  # fmt: skip
    tx.lock_person(first.psn_no)
    stay(tx, ctx, first.mdtrt_id, first.psn_no, "input.feedetail[0]", statuses=("open", "discharged"))
    catalogue = world.regions[ctx.mdtrtarea_admvs].catalogue
    fees = tx.fees(first.mdtrt_id)
    count = sum(1 for f in fees if f.setl_id is None) + len(items)  # what a 2304 would settle
    if count > FEE_ITEMS_PER_SETTLEMENT:
        raise Refusal("SETL_TOO_MANY_ITEMS", "input.feedetail", mdtrt_id=first.mdtrt_id, scope="（住院）", scope_en="",
                      count=count, max=FEE_ITEMS_PER_SETTLEMENT, advice="请先中途结算（2304，mid_setl_flag 1）再上传",
                      advice_en="settle mid-stay first (2304 with mid_setl_flag 1), then upload them")  # fmt: skip
    # feedetl_sn -> (line total, init_feedetl_sn) of every item of the stay, settled or not
    known = {f.feedetl_sn: (from_fen(f.sumamt_fen), f.init_feedetl_sn) for f in fees}
    refunded: dict[str, Decimal] = {}  # init_feedetl_sn -> its refund lines' total (negative)
    for total, init in known.values():
        if init:
            refunded[init] = refunded.get(init, Decimal(0)) + total
    rows, result = [], list[sv.FeeSplit]()
    for n, item in enumerate(items):
        path = f"input.feedetail[{n}]"
        if item.feedetl_sn in known:
            raise Refusal("FEE_DUPLICATE", f"{path}.feedetl_sn", feedetl_sn=item.feedetl_sn)
        refund = bool(item.init_feedetl_sn)
        line = split_line(catalogue, ctx.mdtrtarea_admvs, item, path, item.hosp_appr_flag, refund=refund)
        if refund:
            _check_refund_line(known, refunded, item, line.total, path)
            refunded[item.init_feedetl_sn] = refunded.get(item.init_feedetl_sn, Decimal(0)) + line.total
        known[item.feedetl_sn] = (line.total, item.init_feedetl_sn)  # a later line of this upload may refund it
        rows.append(line.row(item.mdtrt_id, item, init_feedetl_sn=item.init_feedetl_sn,
                             er_flag=er_flag_of(item.exp_content, f"{path}.exp_content")))
        result.append(line.national())
    tx.add_fees(rows)
    return ov.UploadFeeDetailsOutput(result=tuple(result))


def _check_refund_line(
    known: dict[str, tuple[Decimal, str]],
    refunded: dict[str, Decimal],
    item: v.InpatientFeeDetail,
    total: Decimal,
    path: str,
) -> None:
    """A refund line names a charged item of the same stay and refunds no more than is left of it (`refunded`:
    what the refund lines so far took from each item)."""
    orig = known.get(item.init_feedetl_sn)
    if orig is None or orig[1]:
        raise Refusal("FEE_REFUND_UNKNOWN", f"{path}.init_feedetl_sn", feedetl_sn=item.feedetl_sn,
                      init_feedetl_sn=item.init_feedetl_sn)  # fmt: skip
    left = orig[0] + refunded.get(item.init_feedetl_sn, Decimal(0))
    if left + total < 0:
        raise Refusal("FEE_REFUND_TOO_MUCH", f"{path}.det_item_fee_sumamt", feedetl_sn=item.feedetl_sn,
                      amount=yuan(-total), init_feedetl_sn=item.init_feedetl_sn, left=yuan(left))  # fmt: skip


def cancel_fees(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientFeeCancelInput) -> ov.EmptyOutput:
    if not inp.data:
        raise Refusal("ENV_REQUIRED", "input.data")
    for n, d in enumerate(inp.data):
        path = f"input.data[{n}]"
        require(d, path, "feedetl_sn", "mdtrt_id", "psn_no")
        tx.lock_person(d.psn_no)
        stay(tx, ctx, d.mdtrt_id, d.psn_no, path, statuses=("open", "discharged"))
        sn = None if d.feedetl_sn == ALL_ITEMS else d.feedetl_sn
        if tx.delete_unsettled_fees(d.mdtrt_id, None, sn) == 0:
            raise Refusal("FEE_NONE_TO_CANCEL", f"{path}.feedetl_sn", mdtrt_id=d.mdtrt_id,
                          what=f"feedetl_sn {d.feedetl_sn}")  # fmt: skip
    return ov.EmptyOutput()


SETTLE_REQUIRED = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "medfee_sumamt", "psn_setlway", "mdtrt_id",
                   "acct_used_flag", "insutype", "mid_setl_flag")  # fmt: skip


def pre_settle(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientSettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=False)


def settle(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientSettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=True)


def _settle(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientSettleInput, commit: bool) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, *SETTLE_REQUIRED)
    flag_field(d.acct_used_flag, f"{path}.acct_used_flag")
    flag_field(d.mid_setl_flag, f"{path}.mid_setl_flag")
    flag_field(d.psn_setlway, f"{path}.psn_setlway", ("01", "02"))
    medfee_sumamt = decimal_field(d.medfee_sumamt, f"{path}.medfee_sumamt", 2)
    person, insurance = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    check_certificate(world, person, d.mdtrt_cert_type, d.mdtrt_cert_no, path)
    balances = engine.lock_people(tx, world, d.psn_no)
    # 中途结算 (mid_setl_flag 1) settles an open stay; otherwise the patient must have been discharged.
    visit = stay(tx, ctx, d.mdtrt_id, d.psn_no, path, statuses=("open", "discharged") if d.mid_setl_flag == "1"
                 else ("discharged",))  # fmt: skip
    if d.insutype != visit.insutype:
        raise Refusal("MDTRT_MISMATCH", f"{path}.insutype", value=d.insutype, mdtrt_id=d.mdtrt_id,
                      expected=visit.insutype)  # fmt: skip
    fees = tx.fees(d.mdtrt_id, unsettled_only=True)
    if not fees:
        settled = tx.active_settlement(d.mdtrt_id)
        if settled is not None:
            raise Refusal("SETL_BATCH_SETTLED", f"{path}.mdtrt_id", mdtrt_id=d.mdtrt_id, chrg_bchno="(住院)",
                          setl_id=settled.setl_id)  # fmt: skip
        raise Refusal("SETL_NO_FEES", f"{path}.mdtrt_id", mdtrt_id=d.mdtrt_id, chrg_bchno="(住院)")
    if len(fees) > FEE_ITEMS_PER_SETTLEMENT:  # uploads keep below it; items a 2601 put back may not
        raise Refusal("SETL_TOO_MANY_ITEMS", f"{path}.mdtrt_id", mdtrt_id=d.mdtrt_id, scope="（住院）", scope_en="",
                      count=len(fees), max=FEE_ITEMS_PER_SETTLEMENT, advice="请撤销（2302）部分明细，中途结算后再上传",
                      advice_en="cancel some items (2302), settle mid-stay, then upload them again")  # fmt: skip
    total = sum((from_fen(f.sumamt_fen) for f in fees), from_fen(0))
    if medfee_sumamt != total:
        raise Refusal("SETL_SUMAMT_MISMATCH", f"{path}.medfee_sumamt", value=d.medfee_sumamt, expected=yuan(total))
    case = engine.Case(
        person=person, insurance=insurance, mdtrt_id=d.mdtrt_id, chrg_bchno="", med_type=visit.med_type,
        category="inpatient", clr_type=CLR_TYPE_INPATIENT, mdtrt_cert_type=d.mdtrt_cert_type,
        admission=parse_datetime(visit.begntime).date(), use_account=d.acct_used_flag == "1",
        fees=fees, treatment_admdvs=visit.mdtrtarea_admvs,
    )  # fmt: skip
    computed = engine.compute(world, tx, ctx, case, balances)
    if not commit:
        return engine.output(world, ctx, case, computed, setl_id="")
    return engine.record(world, tx, ctx, case, computed)


def cancel_settlement(world: World, tx: Tx, ctx: CallContext, inp: v.InpatientCancelSettlementInput) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, "mdtrt_id", "setl_id", "psn_no")
    return refund_engine.cancel(
        world, tx, ctx, d.setl_id, d.mdtrt_id, d.psn_no, (CLR_TYPE_INPATIENT,), path, d.refd_rea
    )
