"""Retail pharmacy: 2101 pre-settle, 2102 settle (items and settlement in one message), 2103 cancel.

Cross-region pharmacy purchases need no filing: the employee personal account pays [003 art. 12, 23];
the pooled fund pays only where the insured place's benefit table has a rule for med_type 41.
"""

from __future__ import annotations

import dataclasses

from yibao.call import CallContext
from yibao.domain.identity import check_certificate
from yibao.domain.money import ZERO, yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import DATETIME, datetime_field, decimal_field, flag_field, require
from yibao.simulators.core import refund_engine
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core.item_split import split_line
from yibao.simulators.core.people import active_insurance
from yibao.simulators.core.values import pharmacy as v
from yibao.simulators.core.values import settlement as sv
from yibao.storage.store import Tx

CLR_TYPE_PHARMACY = "41"
PHARMACY_MED_TYPES = ("41",)
INFO_REQUIRED = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "begntime", "medfee_sumamt", "insutype",
                 "acct_used_flag", "med_type")  # fmt: skip
ITEM_REQUIRED = ("feedetl_sn", "rx_circ_flag", "fee_ocur_time", "med_list_codg", "medins_list_codg",
                 "det_item_fee_sumamt", "cnt", "pric")  # fmt: skip


def pre_settle(world: World, tx: Tx, ctx: CallContext, inp: v.PharmacySettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=False)


def settle(world: World, tx: Tx, ctx: CallContext, inp: v.PharmacySettleInput) -> sv.SettleOutput:
    return _settle(world, tx, ctx, inp, commit=True)


def _settle(world: World, tx: Tx, ctx: CallContext, inp: v.PharmacySettleInput, commit: bool) -> sv.SettleOutput:
    d, path = inp.druginfo, "input.druginfo"
    require(d, path, *INFO_REQUIRED)
    begntime = datetime_field(d.begntime, f"{path}.begntime")
    flag_field(d.acct_used_flag, f"{path}.acct_used_flag")
    flag_field(d.med_type, f"{path}.med_type", PHARMACY_MED_TYPES)
    medfee_sumamt = decimal_field(d.medfee_sumamt, f"{path}.medfee_sumamt", 2)
    if not inp.drugdetail:
        raise Refusal("ENV_REQUIRED", "input.drugdetail")
    person, insurance = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    check_certificate(world, person, d.mdtrt_cert_type, d.mdtrt_cert_no, path)
    balances = engine.lock_people(tx, world, d.psn_no)
    catalogue = world.regions[ctx.mdtrtarea_admvs].catalogue
    mdtrt_id = new_id(ctx.mdtrtarea_admvs, ctx.now) if commit else ""
    lines, seen = [], set()
    for n, item in enumerate(inp.drugdetail):
        ipath = f"input.drugdetail[{n}]"
        require(item, ipath, *ITEM_REQUIRED)
        if item.feedetl_sn in seen:
            raise Refusal("FEE_DUPLICATE", f"{ipath}.feedetl_sn", feedetl_sn=item.feedetl_sn)
        seen.add(item.feedetl_sn)
        lines.append((item, split_line(catalogue, ctx.mdtrtarea_admvs, item, ipath, hosp_appr_flag="0")))
    total = sum((line.total for _, line in lines), ZERO)
    if medfee_sumamt != total:
        raise Refusal("SETL_SUMAMT_MISMATCH", f"{path}.medfee_sumamt", value=d.medfee_sumamt, expected=yuan(total))
    rows = [line.row(mdtrt_id, item) for item, line in lines]
    case = engine.Case(
        person=person, insurance=insurance, mdtrt_id=mdtrt_id, chrg_bchno="", med_type=d.med_type,
        category="pharmacy", clr_type=CLR_TYPE_PHARMACY, mdtrt_cert_type=d.mdtrt_cert_type,
        admission=begntime.date(), use_account=d.acct_used_flag == "1",
        fees=[line.fee(item.med_list_codg) for item, line in lines], treatment_admdvs=ctx.mdtrtarea_admvs,
    )  # fmt: skip
    computed = engine.compute(world, tx, ctx, case, balances)
    if not commit:
        out = engine.output(world, ctx, case, computed, setl_id="")
    else:
        tx.add_visit(
            mdtrt_id=mdtrt_id, psn_no=d.psn_no, insutype=d.insutype, fixmedins_code=ctx.institution.fixmedins_code,
            mdtrtarea_admvs=ctx.mdtrtarea_admvs, insuplc_admdvs=insurance.insuplc_admdvs, ipt_otp_no=ctx.msgid,
            begntime=f"{begntime:{DATETIME}}", mdtrt_cert_type=d.mdtrt_cert_type, mdtrt_cert_no=d.mdtrt_cert_no,
            med_type=d.med_type, kind="pharmacy", endtime=None, visit_info=None, status="open",
            created_at=ctx.time_text,
        )  # fmt: skip
        tx.add_fees(rows)
        out = engine.record(world, tx, ctx, case, computed)
    return dataclasses.replace(out, detlcutinfo=tuple(line.national() for _, line in lines))


def cancel_settlement(world: World, tx: Tx, ctx: CallContext, inp: v.PharmacyCancelInput) -> sv.SettleOutput:
    d, path = inp.data, "input.data"
    require(d, path, "setl_id", "mdtrt_id", "psn_no")
    kinds = (CLR_TYPE_PHARMACY,)
    return refund_engine.cancel(world, tx, ctx, d.setl_id, d.mdtrt_id, d.psn_no, kinds, path, d.refd_rea)
