"""Who the call is about: the person, the insurance in use, and the envelope's insured place."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.world import Insurance, Person, World
from yibao.errors import Refusal


def person_of(world: World, psn_no: str, path: str) -> Person:
    person = world.persons.get(psn_no)
    if person is None:
        raise Refusal("PSN_NOT_FOUND", path, psn_no=psn_no)
    return person


def insurance_of(person: Person, insutype: str, path: str) -> Insurance:
    insurance = person.insurance(insutype)
    if insurance is None:
        have = ", ".join(i.insutype for i in person.insurances)
        raise Refusal("PSN_NOT_INSURED", path, psn_no=person.psn_no, insutype=insutype or "(空)", have=have)
    return insurance


def check_insured_place(ctx: CallContext, psn_no: str, expected: str) -> None:
    """Every call carrying psn_no must name the person's insured place in the envelope."""
    if not ctx.insuplc_admdvs:
        raise Refusal("ENV_REQUIRED", "header.insuplc_admdvs")
    if ctx.insuplc_admdvs != expected:
        raise Refusal(
            "ENV_INSUPLC", "header.insuplc_admdvs", value=ctx.insuplc_admdvs, psn_no=psn_no, expected=expected
        )


def active_insurance(ctx: CallContext, world: World, psn_no: str, insutype: str, path: str) -> tuple[Person, Insurance]:
    person = person_of(world, psn_no, f"{path}.psn_no")
    insurance = insurance_of(person, insutype, f"{path}.insutype")
    check_insured_place(ctx, psn_no, insurance.insuplc_admdvs)
    if insurance.psn_insu_stas != "1":
        raise Refusal(
            "PSN_INSU_SUSPENDED", f"{path}.insutype", psn_no=psn_no, insutype=insutype, stas=insurance.psn_insu_stas
        )
    return person, insurance
