"""A sale at a retail pharmacy (定点零售药店): 1101 → 2101 pre-settlement → 2102 settlement, the
items and the settlement in one message; with the "cancel" flag the customer brings the goods back
the same day and the sale is cancelled (2103), checked as the exact negation of the settlement."""

from __future__ import annotations

from decimal import Decimal

from yibao.domain.world import World
from yibao.simulators.his.desk import EMPLOYEE, identify
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, ReceiptItem, checked, receipt_of
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import pharmacy_pb2 as rpb

DRUGSTORE_PURCHASE = "41"  # 药店购药


def run_pharmacy(client: PharmacyClient, world: World, script: VisitScript) -> list[Receipt]:
    p = identify(client, world, script)
    batch, now = script.batches[0], client.now_text()
    sale_no = f"XS{client.next_ipt_otp_no()[2:]}"
    details = [
        rpb.DrugDetail(
            feedetl_sn=f"{sale_no}{n:02d}",
            rxno=f"CF{sale_no}" if script.has("rx") else "",
            rx_circ_flag="0",
            fee_ocur_time=now,
            med_list_codg=line.med_list_codg,
            medins_list_codg=f"POS-{line.med_list_codg}",
            det_item_fee_sumamt=f"{line.total:.2f}",
            cnt=line.cnt,
            pric=line.pric,
        )
        for n, line in enumerate(batch.lines)
    ]
    info = rpb.DrugInfo(
        psn_no=p.psn_no,
        mdtrt_cert_type=p.mdtrt_cert_type,
        mdtrt_cert_no=p.mdtrt_cert_no,
        begntime=now,
        medfee_sumamt=f"{batch.total:.2f}",
        insutype=p.insutype,
        acct_used_flag="1" if p.insutype == EMPLOYEE and script.use_account else "0",
        med_type=DRUGSTORE_PURCHASE,
    )
    client.pre_settle_sale(info, details)
    info.invono = f"FP{sale_no}"
    reply = client.settle_sale(info, details)
    splits = {s.feedetl_sn: s for s in reply.output.detlcutinfo}
    missing = [d.feedetl_sn for d in details if d.feedetl_sn not in splits]
    if missing:
        raise HisCheckFailed("HIS_BAD_REPLY", [f"2102 detlcutinfo lacks feedetl_sn {', '.join(missing)}"])
    catalogue = world.regions[client.institution.admdvs].catalogue
    items = tuple(
        ReceiptItem.of(d.med_list_codg, catalogue[d.med_list_codg].name if d.med_list_codg in catalogue else "",
                       Decimal(d.cnt), Decimal(d.pric), Decimal(d.det_item_fee_sumamt), splits[d.feedetl_sn])
        for d in details
    )  # fmt: skip
    sale = receipt_of(client.institution, reply, ipt_otp_no=sale_no, insuplc_admdvs=p.insuplc_admdvs,
                      billed=batch.total, items=items)  # fmt: skip
    client.keep(sale)
    checked(sale)
    if not script.has("cancel"):
        return [sale]
    data = rpb.PharmacyCancelData(setl_id=sale.setl_id, mdtrt_id=sale.mdtrt_id, psn_no=p.psn_no, refd_rea="01")  # 退药
    back = client.cancel_sale(data)
    rev = receipt_of(client.institution, back, ipt_otp_no=sale_no, insuplc_admdvs=p.insuplc_admdvs,
                     billed=-sale.billed_sumamt, reverses=sale.setl_id)  # fmt: skip
    client.keep(rev)
    return [sale, checked(rev, orig=sale)]
