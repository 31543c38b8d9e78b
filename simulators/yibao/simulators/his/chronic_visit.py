"""A chronic-disease outpatient visit (门诊慢特病): the patient's disease is filed (5301 says whether;
2503 files it, identified by this hospital, if not), then one visit bills the disease's items in a
batch carrying its national code (dise_codg) and settles it as med_type 14 under the disease's own
benefit rule, while unrelated items of the same visit go in another batch settled as med_type 11."""

from __future__ import annotations

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.outpatient_visit import GENERAL, OutpatientVisit, batch_no
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import filing_pb2 as fpb

CHRONIC = "14"  # 门诊慢特病
IN_FORCE = "1"  # fil_stas 有效


def ensure_filed(visit: OutpatientVisit, dise_codg: str, dise_name: str) -> str:
    """The disease's filing: "" when 5301 shows it in force, else the new 2503 filing's number."""
    client, p = visit.client, visit.patient
    rows = client.query_chronic_filings(p.psn_no).output.feedetail
    if any(r.opsp_dise_code == dise_codg and r.insutype == p.insutype and r.vali_flag == "1" for r in rows):
        return ""
    today, inst = client.now_text()[:10], client.institution
    data = fpb.ChronicFilingData(
        psn_no=p.psn_no,
        insutype=p.insutype,
        opsp_dise_code=dise_codg,
        opsp_dise_name=dise_name,
        insu_optins=p.insuplc_admdvs,
        ide_fixmedins_no=inst.fixmedins_code,
        ide_fixmedins_name=inst.fixmedins_name,
        hosp_ide_date=today,
        diag_dr_codg=visit.dr[1],
        diag_dr_name=visit.dr[0],
        begndate=today,
    )
    return client.file_chronic_disease(data).output.result.trt_dcla_detl_sn


def run_chronic(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    disease, *others = script.batches
    visit = OutpatientVisit.begin(client, world, script)
    ensure_filed(visit, disease.dise_codg, script.dise_name)
    visit.register()
    try:
        visit.upload_visit_info(CHRONIC, (disease.dise_codg, script.dise_name))
        batches = [(batch_no(visit, n), b) for n, b in enumerate([disease, *others], 1) if b.lines]
        visit.upload(batches)
        receipts = [visit.settle(batches[0][0], CHRONIC)]
        receipts += [visit.settle(chrg_bchno, GENERAL) for chrg_bchno, _ in batches[1:]]
        return receipts
    except HisRefused as refusal:
        if refusal.code:  # unsettled batches go (2205); 2202 succeeds only when nothing was settled
            visit.undo()
        raise
