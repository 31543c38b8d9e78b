"""An emergency cross-region stay (异地急诊住院): a patient insured in another province is admitted
through the emergency department (med_type 24, the emergency flag that counts as a filing). With the
script's "file" flag the hospital also files the emergency registration (2505, biz_appy_type 07) for
the patient after admission — the late filing that still applies to this stay — unless 5302 shows a
cross-region filing already in force."""

from __future__ import annotations

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.inpatient_stay import InpatientStay, run_stay
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import filing_pb2 as fpb

EMERGENCY_ADMISSION = "24"  # 急诊转住院
EMERGENCY_REGISTRATION = "07"  # 2505 biz_appy_type 异地急诊住院登记
IN_FORCE = "1"  # fil_stas 有效


class EmergencyStay(InpatientStay):
    def admit(self) -> str:
        mdtrt_id = super().admit()
        if self.script.has("file"):
            file_emergency(self)
        return mdtrt_id


def file_emergency(stay: InpatientStay) -> str:
    """2505 for the stay's city unless a cross-region filing is in force; the filing's number or ""."""
    client, p = stay.client, stay.patient
    filed = client.query_designations(p.psn_no).output.psnfixmedin
    if any(f.fil_stas == IN_FORCE and f.vali_flag == "1" and f.insutype == p.insutype for f in filed):
        return ""
    inst = client.institution
    data = fpb.DesignationData(
        psn_no=p.psn_no,
        insutype=p.insutype,
        biz_appy_type=EMERGENCY_REGISTRATION,
        fixmedins_code=inst.fixmedins_code,
        fixmedins_name=inst.fixmedins_name,
        mdtrtarea_admdvs=inst.admdvs,
        tel="13800000000",
        addr=f"{inst.fixmedins_name}急诊科",
        memo=f"急诊入院 {stay.ipt_no}",
    )
    return client.file_designation(data).output.result.trt_dcla_detl_sn


def run_emergency(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    return run_stay(EmergencyStay.begin(client, world, script, EMERGENCY_ADMISSION))
