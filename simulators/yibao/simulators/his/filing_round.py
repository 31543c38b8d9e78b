"""Filings made and revoked (kind `filing`), by a hospital of the person's insured place, each seen through its
query before and after (docs/behaviour.md "Filings"):

- 2501 a referral to a hospital of another region (refl_type 2 within the province, 3 beyond), 5304 lists it in
  force (fil_stas 1), 2502 revokes it, 5304 lists it revoked (3);
- 2505 a temporary outing to that region (biz_appy_type 07, fil_type 23), 5302 lists it in force, 2506
  revokes it, 5302 lists it revoked;
- when the script names a chronic disease the person is not filed for yet: 2503, 5301 in force, 2504, 5301
  revoked (one already filed is left alone: the person's chronic visits rely on it).

Nothing is settled: the kind gives no receipts.
"""

from __future__ import annotations

from yibao.domain.world import HOSPITAL, Institution, World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.desk import DOCTORS, Patient, identify
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import filing_pb2 as fpb
from yibao.v1 import inquiry_pb2 as qpb

IN_FORCE, REVOKED = "1", "3"  # fil_stas
OUTING, OTHER_TEMPORARY = "07", "23"  # biz_appy_type 异地急诊住院登记 with fil_type 其他临时外出


def run_filings(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    patient = identify(client, world, script)
    today = client.now_text()[:10]
    there = elsewhere(world, patient.insuplc_admdvs)
    problems = referral(client, script, patient, there, today)
    problems += designation(client, patient, there, today)
    if script.batches and script.batches[0].dise_codg:
        problems += chronic(client, script, patient, today)
    if problems:
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems)
    return []


def elsewhere(world: World, insuplc_admdvs: str) -> Institution:
    """The first enabled hospital (by code) outside the person's insured city."""
    for code in sorted(world.institutions):
        inst = world.institutions[code]
        if inst.fixmedins_type == HOSPITAL and inst.enabled and inst.admdvs[:4] != insuplc_admdvs[:4]:
            return inst
    raise HisCheckFailed("HIS_NO_PLACE", [f"no hospital outside {insuplc_admdvs} to refer to"])


def referral(client: HisClient, script: VisitScript, p: Patient, there: Institution, today: str) -> list[str]:
    refl_type = "2" if there.admdvs[:2] == p.insuplc_admdvs[:2] else "3"
    data = fpb.RefMedIn(psn_no=p.psn_no, insutype=p.insutype, diag_code=script.diag_code,
                        diag_name=script.diag_name, reflin_medins_no=there.fixmedins_code,
                        reflin_medins_name=there.fixmedins_name, mdtrtarea_admdvs=there.admdvs,
                        refl_type=refl_type, refl_date=today, refl_rea="病情需要，本院无诊疗条件",
                        refl_opnn="同意转院", begndate=today)  # fmt: skip
    sn = client.call("2501", fpb.ReferralInput(refmedin=data), p.psn_no, p.insutype).output.result.trt_dcla_detl_sn
    problems = _states("5304", referrals(client, p.psn_no, today), sn, IN_FORCE)
    revoke(client, "2502", sn, p.psn_no)
    return problems + _states("5304", referrals(client, p.psn_no, today), sn, REVOKED)


def referrals(client: HisClient, psn_no: str, today: str) -> dict[str, str]:
    """5304 over this year: trt_dcla_detl_sn → fil_stas."""
    data = qpb.ReflQueryData(psn_no=psn_no, begntime=f"{today[:4]}-01-01", endtime=f"{today[:4]}-12-31")
    rows = client.call("5304", qpb.ReflQueryInput(data=data), psn_no).output.refmedin
    return {r.trt_dcla_detl_sn: r.fil_stas for r in rows}


def designation(client: HisClient, p: Patient, there: Institution, today: str) -> list[str]:
    data = fpb.DesignationData(psn_no=p.psn_no, insutype=p.insutype, biz_appy_type=OUTING, fil_type=OTHER_TEMPORARY,
                               mdtrtarea_admdvs=there.admdvs, tel="13800000000", addr="探亲", begndate=today,
                               memo="其他临时外出")  # fmt: skip
    sn = client.file_designation(data).output.result.trt_dcla_detl_sn
    problems = _states("5302", designations(client, p.psn_no), sn, IN_FORCE)
    revoke(client, "2506", sn, p.psn_no)
    return problems + _states("5302", designations(client, p.psn_no), sn, REVOKED)


def designations(client: HisClient, psn_no: str) -> dict[str, str]:
    return {r.trt_dcla_detl_sn: r.fil_stas for r in client.query_designations(psn_no).output.psnfixmedin}


def chronic(client: HisClient, script: VisitScript, p: Patient, today: str) -> list[str]:
    code = script.batches[0].dise_codg
    if any(r.opsp_dise_code == code and r.fil_stas == IN_FORCE for r in _chronic_rows(client, p.psn_no)):
        return []
    inst, dr = client.institution, DOCTORS[script.doctor % len(DOCTORS)]
    data = fpb.ChronicFilingData(psn_no=p.psn_no, insutype=p.insutype, opsp_dise_code=code,
                                 opsp_dise_name=script.dise_name, insu_optins=p.insuplc_admdvs,
                                 ide_fixmedins_no=inst.fixmedins_code, ide_fixmedins_name=inst.fixmedins_name,
                                 hosp_ide_date=today, diag_dr_codg=f"D{inst.admdvs}{dr[1]}", diag_dr_name=dr[0],
                                 begndate=today)  # fmt: skip
    sn = client.file_chronic_disease(data).output.result.trt_dcla_detl_sn
    states = {r.trt_dcla_detl_sn: r.fil_stas for r in _chronic_rows(client, p.psn_no)}
    problems = _states("5301", states, sn, IN_FORCE)
    revoke(client, "2504", sn, p.psn_no)
    states = {r.trt_dcla_detl_sn: r.fil_stas for r in _chronic_rows(client, p.psn_no)}
    return problems + _states("5301", states, sn, REVOKED)


def _chronic_rows(client: HisClient, psn_no: str) -> list[fpb.ChronicFilingRow]:
    return list(client.query_chronic_filings(psn_no).output.feedetail)


def revoke(client: HisClient, infno: str, sn: str, psn_no: str) -> None:
    data = fpb.RevokeFilingData(trt_dcla_detl_sn=sn, psn_no=psn_no, memo="患者取消")
    client.call(infno, fpb.RevokeFilingInput(data=data), psn_no)


def _states(infno: str, states: dict[str, str], sn: str, expected: str) -> list[str]:
    got = states.get(sn, "absent")
    return [] if got == expected else [f"{infno} shows filing {sn} as {got}, expected fil_stas {expected}"]
