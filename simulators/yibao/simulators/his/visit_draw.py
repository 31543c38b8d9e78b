"""Drawing one visit script of a kind: the patient, the certificate shown, the diagnosis, the lines
billed and the flow's variants — all from the caller's seeded rng and the world, nothing else."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.filing import chronic_diseases
from yibao.domain.world import HOSPITAL, Institution, Person, World
from yibao.simulators.his.bill import draw_approval, draw_bill, draw_count, is_drug, list_price
from yibao.simulators.his.catalogue_round import EMPTY_LISTS
from yibao.simulators.his.desk import ACTIVE, DOCTORS, EMPLOYEE, held_certificates
from yibao.simulators.his.population import WARD_CODES
from yibao.simulators.his.scripts import (
    CANCEL,
    CATALOGUE,
    CHRONIC,
    CLAIM,
    EMERGENCY,
    FAMILY,
    FILING,
    INPATIENT,
    OUTPATIENT,
    PHARMACY,
    QUERY,
    REFUND,
    REVERSAL,
    Batch,
    Line,
    VisitScript,
)

# (diag_code, diag_name, main_cond_dscr): common reasons for an ordinary outpatient visit
DIAGNOSES = (
    ("J06.900", "急性上呼吸道感染", "发热、咽痛2天"),
    ("J20.900", "急性支气管炎", "咳嗽、咳痰3天"),
    ("K29.700", "胃炎", "上腹部不适1周"),
    ("I10.x00", "原发性高血压", "头晕，血压复查"),
    ("E11.900", "2型糖尿病", "血糖复查"),
)
STAY_DIAGNOSES = (
    ("K35.800", "急性阑尾炎", "转移性右下腹痛1天"),
    ("J18.900", "肺炎", "发热、咳嗽5天"),
    ("I63.900", "脑梗死", "左侧肢体无力2天"),
    ("K80.200", "胆囊结石", "右上腹痛反复发作"),
)
EMERGENCY_DIAGNOSES = (
    ("I21.900", "急性心肌梗死", "突发胸痛2小时"),
    ("S06.000", "脑震荡", "车祸外伤后头痛、呕吐"),
    ("K35.800", "急性阑尾炎", "腹痛6小时"),
)
BLOOD_TEST = "002501000010000-250101001"  # 血常规
APPENDICITIS = "K35.800"
SURGERY = "003310000010000-331000001"  # 阑尾切除术, billed on the first day of an appendicitis stay
# The five cross-province chronic diseases: national code -> (name, diagnosis, its usual items)
CHRONIC_DISEASES = {
    "M03900": ("高血压", ("I10.x00", "原发性高血压"), ("XC09AAA057A001010100372",)),
    "M01600": ("糖尿病", ("E11.900", "2型糖尿病"), ("XA10BAA056A001010102039",)),
    "M00500": ("恶性肿瘤门诊放化疗", ("C50.900", "乳腺恶性肿瘤"), ("XL01XCA209B002010101445", BLOOD_TEST)),
    "M07800": ("尿毒症透析", ("N18.500", "慢性肾脏病5期"), ("003311000010000-331100001", BLOOD_TEST)),
    "M08300": ("器官移植抗排异治疗", ("Z94.000", "肾移植状态"), ("XA02BCA211A001010101445",)),
}


def insurance_of(person: Person, rng: random.Random) -> str:
    active = [i for i in person.insurances if i.psn_insu_stas == ACTIVE] or list(person.insurances)
    return rng.choice(active).insutype


def line_of(item: CatalogueItem, cnt: Decimal, appr: str = "0") -> Line:
    return Line(item.med_list_codg, f"{cnt.normalize():f}", f"{list_price(item):.2f}", appr)


def lines_of(catalogue: Mapping[str, CatalogueItem], rng: random.Random) -> tuple[Line, ...]:
    """An outpatient bill: 3–6 items of the catalogue, ward items left out."""
    desk = {k: v for k, v in catalogue.items() if k not in WARD_CODES}
    return tuple(
        Line(b.item.med_list_codg, f"{b.cnt.normalize():f}", f"{b.pric:.2f}", b.hosp_appr_flag)
        for b in draw_bill(desk, rng)
    )


def _pick(catalogue: Mapping[str, CatalogueItem], rng: random.Random, k: int, exclude: frozenset[str]) -> list[Line]:
    entries = [v for code, v in catalogue.items() if code not in exclude]
    return [line_of(i, draw_count(i, rng), draw_approval(i, rng)) for i in rng.sample(entries, min(k, len(entries)))]


def stay_days(
    catalogue: Mapping[str, CatalogueItem], rng: random.Random, days: int, surgery: bool
) -> tuple[Batch, ...]:
    """A day of a stay: bed, nursing and ward round when the catalogue has them, and 1–3 orders."""
    services = frozenset(c for c in WARD_CODES if c in catalogue and not is_drug(catalogue[c]))
    ward = [catalogue[c] for c in sorted(services - {SURGERY})]
    batches = []
    for day in range(days):
        lines = [line_of(i, Decimal(1)) for i in ward]
        if day == 0 and surgery and SURGERY in catalogue:
            lines.append(line_of(catalogue[SURGERY], Decimal(1)))
        lines += _pick(catalogue, rng, rng.randint(1, 3), services)
        batches.append(Batch(tuple(lines)))
    return tuple(batches)


class VisitDraw:
    """Draws scripts for one world; `patients` says who goes where (population.Population.patients)."""

    def __init__(self, world: World, patients: Mapping[str, Sequence[str]]) -> None:
        self.world, self.patients = world, patients

    def draw(self, rng: random.Random, seq: int, kind: str, institution: Institution) -> VisitScript:
        inst = institution
        catalogue = self.world.regions[inst.admdvs].catalogue
        person = self._patient(rng, kind, inst)
        if person is None:  # nobody of the institution fits (no visitor from another province, no disease listed)
            kind, person = OUTPATIENT, self.world.persons[rng.choice(self.patients[inst.fixmedins_code])]
        insutype = insurance_of(person, rng)
        common: dict[str, Any] = dict(
            seq=seq,
            kind=kind,
            fixmedins_code=inst.fixmedins_code,
            psn_no=person.psn_no,
            insutype=insutype,
            mdtrt_cert_type=rng.choice(held_certificates(person)),
            doctor=rng.randrange(len(DOCTORS)),
            use_account=insutype == EMPLOYEE and rng.random() < 0.9,
        )
        if kind in (INPATIENT, EMERGENCY) or (kind == REFUND and rng.random() < 0.3):
            return self._stay(rng, common, kind, catalogue)
        if kind == CHRONIC:
            return self._chronic(rng, common, person, catalogue)
        if kind == PHARMACY:
            return self._sale(rng, common, catalogue)
        if kind == FILING:
            return self._filing(rng, common, person)
        if kind == CLAIM:
            return self._claim(rng, common, person)
        if kind == FAMILY:
            return self._family(rng, common, person, inst)
        if kind == CATALOGUE:  # one list the world holds, one it does not (docs/files.md)
            lists = (rng.choice(("1301", "1302", "1303", "1305", "1306")), rng.choice(EMPTY_LISTS))
            return VisitScript(**common, diag_code="", diag_name="", complaint="", batches=(), flags=lists)
        return self._desk(rng, common, kind, catalogue)

    @staticmethod
    def _stay(rng: random.Random, common: dict[str, Any], kind: str,
              catalogue: Mapping[str, CatalogueItem]) -> VisitScript:  # fmt: skip
        """An ordinary or emergency stay; for a refund, a stay to be given back and settled again."""
        if kind == REFUND:
            diag, days, flags = STAY_DIAGNOSES[1], rng.randint(2, 4), ("inpatient",)
        elif kind == INPATIENT:
            diag, days = rng.choice(STAY_DIAGNOSES), rng.randint(2, 7)
            flags = _flags(rng, {"change": 0.3, "mid": 0.15 if days > 1 else 0, "return": 0.2})
        else:
            diag, days = rng.choice(EMERGENCY_DIAGNOSES), rng.randint(1, 4)
            flags = _flags(rng, {"file": 0.5, "change": 0.1})
        batches = stay_days(catalogue, rng, days, surgery=diag[0] == APPENDICITIS)
        if kind == INPATIENT:  # drawn last, so a seed's stays are billed as before
            flags += _flags(rng, {"list": 0.5})  # the final settlement's list uploaded (4101)
        return VisitScript(**common, diag_code=diag[0], diag_name=diag[1], complaint=diag[2], batches=batches,
                           flags=flags, days=days)  # fmt: skip

    @staticmethod
    def _sale(rng: random.Random, common: dict[str, Any], catalogue: Mapping[str, CatalogueItem]) -> VisitScript:
        """1–4 drugs over the counter."""
        drugs = [v for k, v in catalogue.items() if is_drug(v) and k not in WARD_CODES]
        chosen = rng.sample(drugs, min(len(drugs), rng.randint(1, 4)))
        lines = tuple(line_of(i, draw_count(i, rng)) for i in chosen)
        flags = _flags(rng, {"cancel": 0.15, "rx": 0.3})
        return VisitScript(**common, diag_code="", diag_name="", complaint="", batches=(Batch(lines),), flags=flags)

    @staticmethod
    def _desk(rng: random.Random, common: dict[str, Any], kind: str,
              catalogue: Mapping[str, CatalogueItem]) -> VisitScript:  # fmt: skip
        """An outpatient desk's visit: ordinary, refunded or reversed (two bills), or cancelled."""
        diag = rng.choice(DIAGNOSES)
        flags: tuple[str, ...] = ()
        batches = [Batch(lines_of(catalogue, rng))]
        if kind in (REFUND, REVERSAL):
            batches.append(Batch(lines_of(catalogue, rng)))
            flags = _flags(rng, {"all": 0.4})
        elif kind == CANCEL:
            variant = rng.choice(("", "fees", "inpatient"))  # at the desk, after billing, or on the ward
            flags = (variant,) if variant else ()
        elif kind in (OUTPATIENT, QUERY):  # "A": a HIS on the A variants 2203A / 2206A / 2207A
            flags = _flags(rng, {"A": 0.3})
        return VisitScript(**common, diag_code=diag[0], diag_name=diag[1], complaint=diag[2], batches=tuple(batches),
                           flags=flags, days=1 if "inpatient" in flags else 0)  # fmt: skip

    def _patient(self, rng: random.Random, kind: str, inst: Institution) -> Person | None:
        mine = [self.world.persons[p] for p in self.patients[inst.fixmedins_code]]
        if kind == EMERGENCY:
            mine = [p for p in mine if p.insurances[0].insuplc_admdvs[:2] != inst.admdvs[:2]]
        elif kind == CHRONIC:
            mine = [p for p in mine if p.insurances[0].insuplc_admdvs == inst.admdvs and self._diseases(p)]
        elif kind == FILING:  # filed by a hospital of the insured place (emergency filings are of other provinces')
            mine = [p for p in mine if p.insurances[0].insuplc_admdvs == inst.admdvs]
        elif kind == FAMILY:  # a holder: an employee in no family the world declares
            mine = [p for p in mine if p.insurance(EMPLOYEE) is not None and p.psn_no not in self.world.family_holder]
        return rng.choice(mine) if mine else None

    def _claim(self, rng: random.Random, common: dict[str, Any], person: Person) -> VisitScript:
        """A stay paid in full at a hospital outside the insured city, billed from that place's catalogue
        (claim_round.py); sometimes the operator rejects the claim."""
        there = treatment_place(self.world, person.insurances[0].insuplc_admdvs)
        catalogue = self.world.regions[there.admdvs].catalogue
        diag, days = rng.choice(STAY_DIAGNOSES), rng.randint(1, 4)
        batches = stay_days(catalogue, rng, days, surgery=False)
        return VisitScript(**common, diag_code=diag[0], diag_name=diag[1], complaint=diag[2], batches=batches,
                           flags=_flags(rng, {"reject": 0.2}), days=days)  # fmt: skip

    def _family(self, rng: random.Random, common: dict[str, Any], holder: Person, inst: Institution) -> VisitScript:
        """The holder's family: one or two of the institution's patients insured in the holder's province, in no
        declared family (patients are one institution's only, so no other desk races for them); `member=P:rlts`
        flags, then whether an account already held is cancelled rather than topped up."""
        employee = holder.insurance(EMPLOYEE)
        assert employee is not None  # _patient chose an employee
        prov = employee.insuplc_admdvs[:2]
        kin = [p for p in self.patients[inst.fixmedins_code] if p != holder.psn_no
               and p not in self.world.family_holder
               and any(i.insuplc_admdvs[:2] == prov for i in self.world.persons[p].insurances)]  # fmt: skip
        chosen = rng.sample(kin, min(len(kin), rng.randint(1, 2)))
        flags = tuple(f"member={p}:{rng.choice('1234')}" for p in chosen) + _flags(rng, {"cancel": 0.3})
        return VisitScript(**common, diag_code="", diag_name="", complaint="", batches=(), flags=flags)

    def _diseases(self, person: Person) -> list[str]:
        ins = person.insurances[0]
        listed = chronic_diseases(self.world.regions[ins.insuplc_admdvs].benefits, ins.insutype, ins.psn_type)
        return [code for code in listed if code in CHRONIC_DISEASES]

    def _filing(self, rng: random.Random, common: dict[str, Any], person: Person) -> VisitScript:
        """A referral's diagnosis and, when the person's place lists one, a chronic disease to file and revoke."""
        diag = rng.choice(STAY_DIAGNOSES)
        diseases = self._diseases(person)
        code = rng.choice(diseases) if diseases and common["insutype"] == person.insurances[0].insutype else ""
        batches = (Batch((), dise_codg=code),) if code else ()
        return VisitScript(**common, diag_code=diag[0], diag_name=diag[1], complaint=diag[2], batches=batches,
                           dise_name=CHRONIC_DISEASES[code][0] if code else "")  # fmt: skip

    def _chronic(self, rng: random.Random, common: dict[str, Any], person: Person,
                 catalogue: Mapping[str, CatalogueItem]) -> VisitScript:  # fmt: skip
        """One listed disease's items in its own batch, and sometimes unrelated items in another."""
        code = rng.choice(self._diseases(person))
        name, diag, usual = CHRONIC_DISEASES[code]
        own = [catalogue[c] for c in usual if c in catalogue]
        # the disease's items: its usual ones (restricted ones approved for the diagnosis), else a 甲类 drug
        lines = [line_of(i, Decimal(rng.randint(1, 3)), "1" if i.lmt_used_flag == "1" else "0") for i in own]
        if not lines:
            lines = _pick({k: v for k, v in catalogue.items() if is_drug(v)}, rng, 1, WARD_CODES)
        others = _pick(catalogue, rng, rng.randint(1, 2), WARD_CODES | set(usual)) if rng.random() < 0.6 else []
        batches = (Batch(tuple(lines), dise_codg=code), Batch(tuple(others)))
        return VisitScript(**common, diag_code=diag[0], diag_name=diag[1], complaint=f"{name}复诊取药",
                           batches=batches, dise_name=name)  # fmt: skip


def treatment_place(world: World, insuplc_admdvs: str) -> Institution:
    """Where a claimed stay was paid in full: the first enabled hospital (by code) outside the insured city, else
    the first hospital at all (a one-region world)."""
    hospitals = [world.institutions[c] for c in sorted(world.institutions)
                 if world.institutions[c].fixmedins_type == HOSPITAL and world.institutions[c].enabled]  # fmt: skip
    away = [i for i in hospitals if i.admdvs[:4] != insuplc_admdvs[:4] and not i.operator]
    return (away or hospitals)[0]


def _flags(rng: random.Random, odds: Mapping[str, float]) -> tuple[str, ...]:
    """Each variant with its odds (drawn in a fixed order, so the rng advances the same way every time)."""
    return tuple(flag for flag, p in odds.items() if rng.random() < p)
