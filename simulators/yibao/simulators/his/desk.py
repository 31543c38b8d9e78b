"""What every desk of the simulated institutions does the same way: the staff, the patient's
certificate and 1101 identification, diagnosis records and the numbers a HIS gives its visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from yibao.domain.world import Person, World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.receipt import HisCheckFailed
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import inpatient_pb2 as ipb
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import person_pb2 as ppb

ACTIVE = "1"  # psn_insu_stas 正常参保
EMPLOYEE = "310"  # only employee insurance has a personal account
DEPT = ("A03", "内科")  # dept_code / caty and name
WARD = ("A03", "内科病区")
DOCTORS = (("张明", "0001"), ("李娜", "0002"), ("王磊", "0003"))
DATETIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True, slots=True)
class Patient:
    """Who 1101 said the patient is, and the certificate they showed."""

    psn_no: str
    insutype: str
    insuplc_admdvs: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str


def certificate_query(person: Person, cert_type: str) -> ppb.PsnInfoQuery:
    """The 1101 query for the certificate the patient hands over."""
    number = {"01": person.ec_token, "02": person.certno, "03": person.card_no}[cert_type]
    query = ppb.PsnInfoQuery(mdtrt_cert_type=cert_type, mdtrt_cert_no=number, psn_cert_type=person.psn_cert_type)
    if cert_type == "03":
        query.card_sn = person.card_sn
    if cert_type == "02":  # an ID card reader also yields the number and the name
        query.certno, query.psn_name = person.certno, person.psn_name
    return query


def held_certificates(person: Person) -> list[str]:
    return [t for t, n in (("01", person.ec_token), ("02", person.certno), ("03", person.card_no)) if n]


def identify(client: HisClient, world: World, script: VisitScript) -> Patient:
    """Sign in if needed, then 1101 with the patient's certificate; the HIS uses what 1101 answers."""
    if not client.signed_in:
        client.sign_in()
    query = certificate_query(world.persons[script.psn_no], script.mdtrt_cert_type)
    info = client.query_person(query).output
    psn_no = info.baseinfo.psn_no
    if psn_no != script.psn_no:
        raise HisCheckFailed("HIS_BAD_REPLY", [f"1101 answered psn_no {psn_no} for {script.psn_no}'s certificate"])
    insurance = next((i for i in info.insuinfo if i.insutype == script.insutype), None)
    if insurance is None:
        raise HisCheckFailed("HIS_BAD_REPLY", [f"1101 returned no insuinfo {script.insutype} for {psn_no}"])
    return Patient(psn_no, insurance.insutype, insurance.insuplc_admdvs, query.mdtrt_cert_type, query.mdtrt_cert_no)


def doctor(client: HisClient, script: VisitScript) -> tuple[str, str]:
    """(name, code) of the script's doctor; codes are per institution region, like a practising licence."""
    name, serial = DOCTORS[script.doctor % len(DOCTORS)]
    return name, f"D{client.institution.admdvs}{serial}"


def visit_key(client: HisClient) -> str:
    """A new visit's number within the sign-in session (the ipt_otp_no without its prefix)."""
    return client.next_ipt_otp_no()[2:]


def diseinfo(script: VisitScript, dr: tuple[str, str], when: str) -> opb.DiseInfo:
    return opb.DiseInfo(
        diag_type="1",
        diag_srt_no="1",
        diag_code=script.diag_code,
        diag_name=script.diag_name,
        diag_dept=DEPT[0],
        dise_dor_no=dr[1],
        dise_dor_name=dr[0],
        diag_time=when,
        vali_flag="1",
        maindiag_flag="1",
    )


def stay_diseinfo(script: VisitScript, psn_no: str, dr: tuple[str, str], when: str) -> ipb.InpatientDiseInfo:
    return ipb.InpatientDiseInfo(
        psn_no=psn_no,
        diag_type="1",
        maindiag_flag="1",
        diag_srt_no="1",
        diag_code=script.diag_code,
        diag_name=script.diag_name,
        diag_dept=WARD[0],
        dise_dor_no=dr[1],
        dise_dor_name=dr[0],
        diag_time=when,
    )


def days_before(now: datetime, days: int) -> datetime:
    """The admission time of a stay of `days` days ending now (whole seconds, as the wire carries)."""
    return (now - timedelta(days=days)).replace(microsecond=0)
