"""Outpatient fee details: 2204 upload (with the catalogue split of every item), 2205 cancel."""

from __future__ import annotations

from yibao.adapters.storage.store import Tx, to_fen
from yibao.simulators.core.context import CallContext
from yibao.simulators.core.inputs import datetime_field, decimal_field, require
from yibao.simulators.core.visits import open_visit

from yibao.domain.catalogue_split import NO_PRICE_CAP, line_total_matches, split_item
from yibao.domain.money import ratio, yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.v1 import outpatient_pb2 as pb
from yibao.v1 import settlement_pb2 as spb

REQUIRED_ITEM_FIELDS = (
    "feedetl_sn",
    "mdtrt_id",
    "psn_no",
    "chrg_bchno",
    "rx_circ_flag",
    "fee_ocur_time",
    "med_list_codg",
    "medins_list_codg",
    "det_item_fee_sumamt",
    "cnt",
    "pric",
    "bilg_dept_codg",
    "bilg_dept_name",
    "bilg_dr_codg",
    "bilg_dr_name",
    "hosp_appr_flag",
)


def upload_fees(world: World, tx: Tx, ctx: CallContext, inp: pb.UploadFeeDetailsInput) -> pb.UploadFeeDetailsOutput:
    items = inp.feedetail
    if not items:
        raise Refusal("ENV_REQUIRED", "input.feedetail")
    first = items[0]
    for n, item in enumerate(items):
        require(item, f"input.feedetail[{n}]", *REQUIRED_ITEM_FIELDS)
        for name in ("mdtrt_id", "psn_no"):
            if getattr(item, name) != getattr(first, name):
                raise Refusal(
                    "MDTRT_MISMATCH",
                    f"input.feedetail[{n}].{name}",
                    value=getattr(item, name),
                    mdtrt_id=first.mdtrt_id,
                    expected=getattr(first, name),
                )
    tx.lock_person(first.psn_no)
    open_visit(tx, ctx, first.mdtrt_id, first.psn_no, "input.feedetail[0]")
    catalogue = world.regions[ctx.mdtrtarea_admvs].catalogue
    seen = tx.fee_sns(first.mdtrt_id)
    checked_batches: set[str] = set()
    rows, out = [], pb.UploadFeeDetailsOutput()
    for n, item in enumerate(items):
        path = f"input.feedetail[{n}]"
        if item.feedetl_sn in seen:
            raise Refusal("FEE_DUPLICATE", f"{path}.feedetl_sn", feedetl_sn=item.feedetl_sn)
        seen.add(item.feedetl_sn)
        if item.chrg_bchno not in checked_batches:
            settled = tx.active_settlement(first.mdtrt_id, item.chrg_bchno)
            if settled is not None:
                raise Refusal(
                    "FEE_BATCH_SETTLED", f"{path}.chrg_bchno", chrg_bchno=item.chrg_bchno, setl_id=settled.setl_id
                )
            checked_batches.add(item.chrg_bchno)
        datetime_field(item.fee_ocur_time, f"{path}.fee_ocur_time")
        total = decimal_field(item.det_item_fee_sumamt, f"{path}.det_item_fee_sumamt", 2)
        cnt = decimal_field(item.cnt, f"{path}.cnt", 4, positive=True)
        pric = decimal_field(item.pric, f"{path}.pric", 6)
        entry = catalogue.get(item.med_list_codg)
        if entry is None:
            raise Refusal(
                "FEE_NOT_IN_CATALOGUE",
                f"{path}.med_list_codg",
                feedetl_sn=item.feedetl_sn,
                code=item.med_list_codg,
                admdvs=ctx.mdtrtarea_admvs,
            )
        expected = line_total_matches(total, cnt, pric)
        if expected is not None:
            raise Refusal(
                "FEE_AMOUNT_MISMATCH",
                f"{path}.det_item_fee_sumamt",
                feedetl_sn=item.feedetl_sn,
                amount=item.det_item_fee_sumamt,
                cnt=item.cnt,
                pric=item.pric,
                expected=yuan(expected),
            )
        s = split_item(entry, total, cnt, pric, item.hosp_appr_flag)
        rows.append(
            {
                "mdtrt_id": item.mdtrt_id,
                "feedetl_sn": item.feedetl_sn,
                "chrg_bchno": item.chrg_bchno,
                "med_list_codg": item.med_list_codg,
                "medins_list_codg": item.medins_list_codg,
                "fee_ocur_time": item.fee_ocur_time,
                "cnt": item.cnt,
                "pric": item.pric,
                "sumamt_fen": to_fen(total),
                "fulamt_fen": to_fen(s.fulamt_ownpay_amt),
                "overlmt_fen": to_fen(s.overlmt_amt),
                "preselfpay_fen": to_fen(s.preselfpay_amt),
                "inscp_fen": to_fen(s.inscp_scp_amt),
                "setl_id": None,
            }
        )
        out.result.append(
            spb.FeeSplit(
                feedetl_sn=item.feedetl_sn,
                det_item_fee_sumamt=yuan(total),
                cnt=item.cnt,
                pric=item.pric,
                pric_uplmt_amt=f"{entry.pric_uplmt_amt if entry.pric_uplmt_amt is not None else NO_PRICE_CAP}",
                selfpay_prop=ratio(entry.selfpay_prop),
                fulamt_ownpay_amt=yuan(s.fulamt_ownpay_amt),
                overlmt_amt=yuan(s.overlmt_amt),
                preselfpay_amt=yuan(s.preselfpay_amt),
                inscp_scp_amt=yuan(s.inscp_scp_amt),
                chrgitm_lv=entry.chrgitm_lv,
                med_chrgitm_type=entry.med_chrgitm_type,
                bas_medn_flag=entry.bas_medn_flag,
                hi_nego_drug_flag=entry.hi_nego_drug_flag,
                chld_medc_flag=entry.chld_medc_flag,
                list_sp_item_flag=entry.list_sp_item_flag,
                lmt_used_flag=entry.lmt_used_flag,
                drt_reim_flag="0",
                memo=s.memo,
            )
        )
    tx.add_fees(rows)
    return out


ALL_BATCHES = "0000"


def cancel_fees(world: World, tx: Tx, ctx: CallContext, inp: pb.CancelFeeDetailsInput) -> pb.EmptyOutput:
    d, path = inp.data, "input.data"
    require(d, path, "mdtrt_id", "psn_no")
    if not d.chrg_bchno and not d.feedetl_sn:
        raise Refusal("ENV_REQUIRED", f"{path}.chrg_bchno")
    tx.lock_person(d.psn_no)
    open_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)
    batch = None if d.chrg_bchno == ALL_BATCHES else d.chrg_bchno
    if tx.delete_unsettled_fees(d.mdtrt_id, batch, d.feedetl_sn or None) == 0:
        what = f"feedetl_sn {d.feedetl_sn}" if d.feedetl_sn else f"chrg_bchno {d.chrg_bchno}"
        raise Refusal(
            "FEE_NONE_TO_CANCEL",
            f"{path}.{'feedetl_sn' if d.feedetl_sn else 'chrg_bchno'}",
            mdtrt_id=d.mdtrt_id,
            what=what,
        )
    return pb.EmptyOutput()
