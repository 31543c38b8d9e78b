"""Identity check (1101): find the person behind a medical certificate and make sure every
optional identity field the HIS sent agrees with them."""

from __future__ import annotations

from datetime import date

from yibao.domain.world import Person, World
from yibao.errors import Refusal

CERT_TYPES = {"01": "医保电子凭证", "02": "居民身份证", "03": "社会保障卡"}
FIELD = "input.data"


def identify(
    world: World,
    mdtrt_cert_type: str,
    mdtrt_cert_no: str,
    card_sn: str = "",
    psn_cert_type: str = "",
    certno: str = "",
    psn_name: str = "",
) -> Person:
    if mdtrt_cert_type not in CERT_TYPES:
        allowed = ", ".join(f"{k} {v}" for k, v in CERT_TYPES.items())
        raise Refusal("ENV_CODE", f"{FIELD}.mdtrt_cert_type", value=mdtrt_cert_type or "(空)", allowed=allowed)
    if not mdtrt_cert_no:
        raise Refusal("ENV_REQUIRED", f"{FIELD}.mdtrt_cert_no")
    psn_no = world.certificates.get((mdtrt_cert_type, mdtrt_cert_no))
    if psn_no is None:
        raise Refusal("PSN_CERT_UNKNOWN", f"{FIELD}.mdtrt_cert_no", cert_type=mdtrt_cert_type, value=mdtrt_cert_no)
    person = world.persons[psn_no]
    if mdtrt_cert_type == "03":
        if not card_sn:
            raise Refusal("ENV_REQUIRED", f"{FIELD}.card_sn")
        if card_sn != person.card_sn:
            raise Refusal("PSN_CERT_MISMATCH", f"{FIELD}.card_sn", detail="卡识别码与社会保障卡不符")
    for name, sent, held in (
        ("psn_cert_type", psn_cert_type, person.psn_cert_type),
        ("certno", certno, person.certno),
        ("psn_name", psn_name, person.psn_name),
    ):
        if sent and sent != held:
            raise Refusal("PSN_CERT_MISMATCH", f"{FIELD}.{name}", detail=f"{name} 为 {sent}，凭证所属人员不是此人")
    return person


def check_certificate(world: World, person: Person, mdtrt_cert_type: str, mdtrt_cert_no: str, where: str) -> None:
    """A later transaction's certificate must still be this person's (2201, 2206, 2207)."""
    if world.certificates.get((mdtrt_cert_type, mdtrt_cert_no)) != person.psn_no:
        raise Refusal(
            "PSN_CERT_MISMATCH",
            f"{where}.mdtrt_cert_no",
            detail=f"凭证 {mdtrt_cert_type}/{mdtrt_cert_no} 不属于人员 {person.psn_no}",
        )


def age_on(brdy: date, today: date) -> str:
    """Age in years with one decimal (number(4,1)), truncated: 45.9 until the 46th birthday."""
    years = today.year - brdy.year - ((today.month, today.day) < (brdy.month, brdy.day))
    last = _anniversary(brdy, brdy.year + years)
    tenths = min(9, (today - last).days * 10 // 366)
    return f"{years}.{tenths}"


def _anniversary(brdy: date, year: int) -> date:
    """The birthday in `year`; a 29 February birthday falls on 1 March in common years."""
    try:
        return brdy.replace(year=year)
    except ValueError:
        return date(year, 3, 1)
