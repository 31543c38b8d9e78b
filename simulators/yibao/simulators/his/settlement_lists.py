"""A settlement's list (医疗保障基金结算清单, docs/institution-clearing.md) as a HIS uploads it after the settlement:
4101, or 4101A when the visit used the A variants (flag "A"), built from the receipt — the person, the funds'
payments, account and cash, the items' totals by 医疗收费项目类别 and the diagnosis. The platform takes a list only
when it matches its settlement, so an accepted upload is the check; 4103 must then read it back as uploaded."""

from __future__ import annotations

from collections import Counter

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import settlement_list_pb2 as lpb


def settlement_list(client: HisClient, world: World, script: VisitScript, receipt: Receipt) -> list[str]:
    """4101 (4101A with the A variants) of the settlement, then 4103: read back as uploaded."""
    person = world.persons[receipt.psn_no]
    info = lpb.ListSetlInfo(mdtrt_id=receipt.mdtrt_id, setl_id=receipt.setl_id, psn_no=receipt.psn_no,
                            psn_name=person.psn_name, certno=person.certno, hi_type=receipt.insutype,
                            insuplc=receipt.insuplc_admdvs, acct_pay=f"{receipt.acct_pay:.2f}",
                            psn_cashpay=f"{receipt.psn_cash_pay:.2f}")  # fmt: skip
    pay = [
        lpb.ListPayInfo(fund_pay_type=f.fund_pay_type, fund_payamt=f"{f.fund_payamt:.2f}") for f in receipt.setldetail
    ]
    dise = [lpb.ListDiseInfo(diag_type="1", diag_code=script.diag_code, diag_name=script.diag_name, maindiag_flag="1")]
    inp = lpb.SettlementListInput(
        setlinfo=info, payinfo=pay, diseinfo=dise, iteminfo=item_totals(world, client, receipt)
    )
    infno = "4101A" if script.has("A") else "4101"
    setl_list_id = client.call(infno, inp, receipt.psn_no).output.setl_list_id
    query = lpb.SettlementListQueryData(psn_no=receipt.psn_no, setl_list_id=setl_list_id)
    back = client.call("4103", lpb.SettlementListQueryInput(data=query), receipt.psn_no).output
    problems = []
    if (back.infno, back.setlinfo.setl_id, back.setlinfo.acct_pay) != (infno, receipt.setl_id, info.acct_pay):
        problems.append(f"4103 reads {back.infno} {back.setlinfo.setl_id} for the {infno} of {receipt.setl_id}")
    if sorted((p.fund_pay_type, p.fund_payamt) for p in back.payinfo) != sorted(
        (p.fund_pay_type, p.fund_payamt) for p in pay
    ):
        problems.append(f"4103 payinfo of {setl_list_id} differs from the settlement {receipt.setl_id}'s funds")
    return problems


def item_totals(world: World, client: HisClient, receipt: Receipt) -> list[lpb.ListItemInfo]:
    """The settled items' totals by 医疗收费项目类别 (the catalogue's med_chrgitm_type): they add up to medfee."""
    catalogue = world.regions[client.institution.admdvs].catalogue
    totals: Counter[str] = Counter()
    for item in receipt.items:
        totals[catalogue[item.med_list_codg].med_chrgitm_type] += item.det_item_fee_sumamt  # type: ignore[assignment]
    return [lpb.ListItemInfo(med_chrgitm=kind, amt=f"{amount:.2f}") for kind, amount in sorted(totals.items())]
