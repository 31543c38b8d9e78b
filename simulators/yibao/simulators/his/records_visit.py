"""A visit the desk checks through the queries (kind `query`): before care 2001 (may the person be treated
here?) and 5206 (this year's accumulations); an ordinary outpatient visit (outpatient_visit.run_outpatient);
then the platform's records of it — 5201 lists the visit, 5202 its diagnosis as sent, 5204 exactly the
settled items, 5206 has grown by what the settlement paid from each fund — and the reference data a HIS
refreshes: 1201 (its own institution), 1901 (the med_type list), 1312 (the first billed item's catalogue entry).
5205, 5303 and 5304 are asked about the person's year as a desk would before prescribing or admitting.
Last the settlement's list (医疗保障基金结算清单) is uploaded — 4101, or 4101A when the visit used the A
variants (flag "A") — which the platform accepts only when it matches the settlement (funds, account, cash,
items' total, person), and 4103 must read it back as uploaded.
Facts: docs/queries.md, docs/institution-clearing.md."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.desk import identify
from yibao.simulators.his.outpatient_visit import GENERAL, run_outpatient
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.simulators.his.settlement_lists import settlement_list
from yibao.v1 import inquiry_pb2 as qpb

ZERO = Decimal("0.00")


def run_records(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    patient = identify(client, world, script)
    psn_no, now = patient.psn_no, client.now_text()
    year_start, year_end = f"{now[:4]}-01-01 00:00:00", f"{now[:4]}-12-31 23:59:59"
    benefit_check(client, script, now)
    before = accumulations(client, psn_no, now)
    (receipt,) = run_outpatient(client, world, script)
    problems = visit_records(client, receipt, script, (year_start, year_end))
    problems += accumulation_growth(before, accumulations(client, psn_no, now), receipt)
    problems += reference_data(client, world, script)
    problems += settlement_list(client, world, script, receipt)
    span = qpb.OpspDrugQueryData(psn_no=psn_no, begntime=year_start, endtime=year_end)
    client.call("5205", qpb.OpspDrugQueryInput(data=span), psn_no)
    client.call("5303", qpb.InhospQueryInput(data=qpb.InhospQueryData(psn_no=psn_no, begntime=year_start,
                                                                      endtime=year_end)), psn_no)  # fmt: skip
    client.call("5304", qpb.ReflQueryInput(data=qpb.ReflQueryData(psn_no=psn_no, begntime=year_start,
                                                                  endtime=year_end)), psn_no)  # fmt: skip
    if problems:
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems, receipt)
    return [receipt]


def benefit_check(client: HisClient, script: VisitScript, now: str) -> None:
    """2001 before the visit: the person's insurance and the benefit rule are checked (rows 01 and 02)."""
    data = qpb.TrtCheckData(psn_no=script.psn_no, insutype=script.insutype, med_type=GENERAL, begntime=now)
    rows = client.call("2001", qpb.TrtCheckInput(data=data), script.psn_no, script.insutype).output.trtinfo
    kinds = [r.trt_chk_type for r in rows]
    if kinds[:1] != ["01"]:
        raise HisCheckFailed("HIS_QUERY_MISMATCH", [f"2001 checked {kinds}, not the insurance's state first"])


def accumulations(client: HisClient, psn_no: str, now: str) -> Counter[str]:
    """5206: Σ of the F (fund paid) accumulators per fund_pay_type this year."""
    data = qpb.CumQueryData(psn_no=psn_no, cum_ym=f"{now[:4]}{now[5:7]}")
    rows = client.call("5206", qpb.CumQueryInput(data=data), psn_no).output.cuminfo
    used: Counter[str] = Counter()
    for r in rows:
        if r.cum_type_code == "F":
            used[r.fund_pay_type] += Decimal(r.cum)  # type: ignore[assignment]
    return used


def accumulation_growth(before: Counter[str], after: Counter[str], receipt: Receipt) -> list[str]:
    """Each fund 5206 counts grew by exactly what the settlement paid from it (a fund the person's rules give no
    deductible or cap is not accumulated, so not listed: nothing to compare)."""
    paid: Counter[str] = Counter()
    for row in receipt.setldetail:
        paid[row.fund_pay_type] += row.fund_payamt  # type: ignore[assignment]
    problems = []
    for fund in sorted(set(before) | set(after)):
        grew = after.get(fund, ZERO) - before.get(fund, ZERO)
        if grew != paid.get(fund, ZERO):
            problems.append(f"5206 {fund} grew by {grew}, the settlement {receipt.setl_id} paid {paid.get(fund, ZERO)}")
    return problems


def visit_records(client: HisClient, receipt: Receipt, script: VisitScript, year: tuple[str, str]) -> list[str]:
    psn_no, mdtrt_id = receipt.psn_no, receipt.mdtrt_id
    data = qpb.VisitQueryData(psn_no=psn_no, begntime=year[0], endtime=year[1], mdtrt_id=mdtrt_id)
    visits = client.call("5201", qpb.VisitQueryInput(data=data), psn_no).output.mdtrtinfo
    problems = []
    if [(v.mdtrt_id, v.vali_flag, v.med_type) for v in visits] != [(mdtrt_id, "1", GENERAL)]:
        problems.append(f"5201 lists {[(v.mdtrt_id, v.vali_flag, v.med_type) for v in visits]} for {mdtrt_id}")
    diag = qpb.DiagQueryData(psn_no=psn_no, mdtrt_id=mdtrt_id)
    dise = client.call("5202", qpb.DiagQueryInput(data=diag), psn_no).output.diseinfo
    if [d.diag_code for d in dise] != [script.diag_code]:
        problems.append(f"5202 answers {[d.diag_code for d in dise]}, the visit was diagnosed {script.diag_code}")
    fees = qpb.FeeListQueryData(psn_no=psn_no, mdtrt_id=mdtrt_id, setl_id=receipt.setl_id)
    rows = client.call("5204", qpb.FeeListQueryInput(data=fees), psn_no).output.feedetail
    listed = sorted((r.feedetl_sn, Decimal(r.det_item_fee_sumamt)) for r in rows)
    settled = sorted((i.feedetl_sn, i.det_item_fee_sumamt) for i in receipt.items)
    if listed != settled:
        problems.append(f"5204 lists {listed} for {receipt.setl_id}, which settled {settled}")
    return problems


def reference_data(client: HisClient, world: World, script: VisitScript) -> list[str]:
    inst, problems = client.institution, []
    medins = qpb.MedinsQueryData(fixmedins_code=inst.fixmedins_code)
    rows = client.call("1201", qpb.MedinsQueryInput(medinsinfo=medins)).output.medinsinfo
    if [(r.fixmedins_code, r.fixmedins_name) for r in rows] != [(inst.fixmedins_code, inst.fixmedins_name)]:
        problems.append(f"1201 answers {[r.fixmedins_code for r in rows]} for {inst.fixmedins_code}")
    data = qpb.DictQueryData(type="med_type", admdvs=inst.admdvs)
    values = {r.value for r in client.call("1901", qpb.DictQueryInput(data=data)).output.list}
    if GENERAL not in values:
        problems.append(f"1901 med_type lacks {GENERAL}")
    code = script.batches[0].lines[0].med_list_codg
    hilist = qpb.HilistQueryData(hilist_code=code, updt_time="2000-01-01 00:00:00", page_num="1", page_size="10")
    entries = client.call("1312", qpb.HilistQueryInput(data=hilist)).output.data
    item = world.regions[inst.admdvs].catalogue[code]
    if [(e.hilist_code, e.hilist_name) for e in entries] != [(code, item.name)]:
        problems.append(f"1312 answers {[e.hilist_code for e in entries]} for {code}")
    return problems
