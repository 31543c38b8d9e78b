"""Outpatient fee details: 2204 upload (with the catalogue split of every item), 2205 cancel."""

from __future__ import annotations

from collections import Counter

from yibao.call import CallContext
from yibao.domain.emergency import er_flag_of
from yibao.domain.fee_limits import FEE_ITEMS_PER_SETTLEMENT
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.inputs import require
from yibao.simulators.core.item_split import split_line
from yibao.simulators.core.values import outpatient as v
from yibao.simulators.core.values.settlement import FeeSplit
from yibao.simulators.core.visits import open_visit
from yibao.storage.store import Tx

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


def upload_fees(world: World, tx: Tx, ctx: CallContext, inp: v.UploadFeeDetailsInput) -> v.UploadFeeDetailsOutput:
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
    # chrg_bchno -> dise_codg: one disease per batch (docs/reference/interface.md §4.1)
    batch_disease: dict[str, str] = {}
    uploading = Counter(item.chrg_bchno for item in items)
    rows, result = [], list[FeeSplit]()
    for n, item in enumerate(items):
        path = f"input.feedetail[{n}]"
        if item.feedetl_sn in seen:
            raise Refusal("FEE_DUPLICATE", f"{path}.feedetl_sn", feedetl_sn=item.feedetl_sn)
        seen.add(item.feedetl_sn)
        if item.chrg_bchno not in batch_disease:
            settled = tx.active_settlement(first.mdtrt_id, item.chrg_bchno)
            if settled is not None:
                raise Refusal(
                    "FEE_BATCH_SETTLED", f"{path}.chrg_bchno", chrg_bchno=item.chrg_bchno, setl_id=settled.setl_id
                )
            earlier = tx.fees(first.mdtrt_id, unsettled_only=True, chrg_bchno=item.chrg_bchno)
            batch_disease[item.chrg_bchno] = earlier[0].dise_codg if earlier else item.dise_codg
            count = len(earlier) + uploading[item.chrg_bchno]  # what a 2207 of the batch would settle
            if count > FEE_ITEMS_PER_SETTLEMENT:
                raise too_many_for_a_batch(f"{path}.chrg_bchno", first.mdtrt_id, item.chrg_bchno, count)
        if item.dise_codg != batch_disease[item.chrg_bchno]:
            raise Refusal("FEE_BATCH_DISEASE", f"{path}.dise_codg", chrg_bchno=item.chrg_bchno,
                          feedetl_sn=item.feedetl_sn, dise_codg=item.dise_codg or "(空)",
                          expected=batch_disease[item.chrg_bchno] or "(空)")  # fmt: skip
        line = split_line(catalogue, ctx.mdtrtarea_admvs, item, path, item.hosp_appr_flag)
        rows.append(line.row(item.mdtrt_id, item, chrg_bchno=item.chrg_bchno, dise_codg=item.dise_codg,
                             er_flag=er_flag_of(item.exp_content, f"{path}.exp_content")))
        result.append(line.national())
    tx.add_fees(rows)
    return v.UploadFeeDetailsOutput(result=tuple(result))


def too_many_for_a_batch(field: str, mdtrt_id: str, chrg_bchno: str, count: int) -> Refusal:
    """A charge batch would hold more unsettled items than one 2207 settles (src/yibao/domain/fee_limits.py)."""
    return Refusal(
        "SETL_TOO_MANY_ITEMS",
        field,
        mdtrt_id=mdtrt_id,
        scope=f"（收费批次 {chrg_bchno}）",
        scope_en=f", charge batch {chrg_bchno},",
        count=count,
        max=FEE_ITEMS_PER_SETTLEMENT,
        advice="请将其余明细放入新的收费批次号",
        advice_en="put the other items under a new chrg_bchno",
    )


ALL_BATCHES = "0000"


def cancel_fees(world: World, tx: Tx, ctx: CallContext, inp: v.CancelFeeDetailsInput) -> v.EmptyOutput:
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
    return v.EmptyOutput()
