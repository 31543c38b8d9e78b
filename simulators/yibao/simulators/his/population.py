"""A synthetic world from a seed: the base world's regions (catalogues, benefit tables, funds,
cross-region policy), N hospitals and M retail pharmacies spread over them, and the persons who go
there, with certificates, insurances, accounts and families.

Generation uses only the seeded rng and counters — no clock, no uuid — and the world is a JSON object
in the world-file format (docs/world-format.md), so the same seed gives byte-identical files that
`yibao serve --world` loads. Each person is the patient of one institution (`Population.patients`):
no two simulated desks serve one person at the same time, as no two real ones would.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yibao.domain.world import Institution, World

PER_INSTITUTION = 30  # patients of each institution
OPERATOR_SERIAL = "99999"  # the generated operator institution's code ends so, after every hospital's
VISITORS = 0.2  # of them, the share insured in another region (cross-region care)
# Inpatient items the base catalogues may lack; added to every generated catalogue that lacks them.
WARD_ITEMS = (
    {"med_list_codg": "001101000010000-110100001", "name": "床位费（三人间）", "list_type": "201",
     "med_chrgitm_type": "01", "chrgitm_lv": "01", "pric_uplmt_amt": "60.00"},
    {"med_list_codg": "001201000020000-120100002", "name": "一级护理", "list_type": "201",
     "med_chrgitm_type": "07", "chrgitm_lv": "01", "pric_uplmt_amt": "30.00"},
    {"med_list_codg": "001102000030000-110200003", "name": "住院诊查费", "list_type": "201",
     "med_chrgitm_type": "02", "chrgitm_lv": "01", "pric_uplmt_amt": "20.00"},
    {"med_list_codg": "003310000010000-331000001", "name": "阑尾切除术", "list_type": "201",
     "med_chrgitm_type": "06", "chrgitm_lv": "02", "selfpay_prop": "0.05", "pric_uplmt_amt": "1800.00"},
    {"med_list_codg": "XB05BBA001B002010100001", "name": "氯化钠注射液", "list_type": "101",
     "med_chrgitm_type": "09", "chrgitm_lv": "01", "bas_medn_flag": "1"},
)  # fmt: skip
WARD_CODES = frozenset(i["med_list_codg"] for i in WARD_ITEMS)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文辉鹏飞海燕晓宇婷雪琳浩然子涵欣怡"
EMPLOYERS = ("市第一机床厂", "云图科技有限公司", "市供电公司", "市第三中学", "港务物流公司", "市人民银行分行")
# GB 11643 check digit of the citizen ID number
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class Population:
    world: dict[str, Any]  # a world file's JSON object
    patients: dict[str, tuple[str, ...]]  # fixmedins_code -> psn_no of its patients

    def world_bytes(self) -> bytes:
        """The world file: canonical JSON (sorted keys, UTF-8), the same bytes for the same seed."""
        return json.dumps(self.world, ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n"


def id_number(region: str, birth: date, serial: int) -> str:
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def generate(base: dict[str, Any], hospitals: int, pharmacies: int, seed: int) -> Population:
    """The world of a run: `base`'s regions and catalogues, `hospitals` + `pharmacies` institutions
    round-robin over the regions, and PER_INSTITUTION patients for each."""
    if hospitals < 0 or pharmacies < 0 or hospitals + pharmacies == 0:
        raise ValueError("need at least one hospital or pharmacy")
    rng = random.Random(f"yibao-population:{seed}")
    regions = sorted((_region(r) for r in base["regions"]), key=lambda r: r["admdvs"])
    catalogues = {name: _catalogue(items) for name, items in sorted(base["catalogues"].items())}
    institutions = [_institution("H", k, regions[k % len(regions)], rng) for k in range(hospitals)]
    institutions += [_institution("P", k, regions[k % len(regions)], rng) for k in range(pharmacies)]
    people = _People(rng, [r["admdvs"] for r in regions], {r["admdvs"]: r for r in regions})
    patients: dict[str, tuple[str, ...]] = {}
    for inst in institutions:
        patients[inst["fixmedins_code"]] = tuple(people.patients_of(inst["admdvs"]))
    institutions.append(operator_institution(regions[0]))  # no desk, no patients: it reviews claims (Y2802)
    world = {
        "about": f"Synthetic world of yibao simulate, seed {seed}: {hospitals} hospitals, {pharmacies} pharmacies, "
        f"{len(people.persons)} persons. Regions and catalogues from the base world; all persons fictional.",
        "catalogues": catalogues,
        "regions": regions,
        "institutions": institutions,
        "persons": people.persons,
        "families": people.families,
    }
    return Population(world, patients)


def _region(raw: dict[str, Any]) -> dict[str, Any]:
    # No maintenance windows: a traffic run measures settlement, not the demo's scheduled outage.
    return {k: copy.deepcopy(v) for k, v in raw.items() if k not in ("maintenance", "about")}


def _catalogue(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    have = {i["med_list_codg"] for i in items}
    return copy.deepcopy(items) + [dict(i) for i in WARD_ITEMS if i["med_list_codg"] not in have]


def operator_institution(region: dict[str, Any]) -> dict[str, Any]:
    """The run's insurance agency (经办机构), an operator institution of the first region: Y2802 is operators' only."""
    admdvs = region["admdvs"]
    return {"fixmedins_code": f"H{admdvs}{OPERATOR_SERIAL}", "fixmedins_name": f"{region['name']}医保经办机构",
            "fixmedins_type": "1", "hosp_lv": "3", "admdvs": admdvs, "operator": True}  # fmt: skip


def operator_of(world: World) -> Institution | None:
    return next((i for i in world.institutions.values() if i.operator), None)


def _institution(kind: str, k: int, region: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    admdvs, place = region["admdvs"], region["name"]
    if kind == "H":
        level = rng.choice(("1", "2", "3", "3"))
        name = f"{place}第{k + 1}" + {"1": "社区卫生服务中心", "2": "医院", "3": "人民医院"}[level]
        return {"fixmedins_code": f"H{admdvs}{k:05d}", "fixmedins_name": name, "fixmedins_type": "1",
                "hosp_lv": level, "admdvs": admdvs}  # fmt: skip
    return {"fixmedins_code": f"P{admdvs}{k:05d}", "fixmedins_name": f"{place}第{k + 1}大药房", "fixmedins_type": "2",
            "admdvs": admdvs}  # fmt: skip


class _People:
    """Persons drawn one by one; psn_no, certificate numbers and card numbers come from one counter."""

    def __init__(self, rng: random.Random, admdvs: list[str], regions: dict[str, dict[str, Any]]) -> None:
        self.rng, self.admdvs, self.regions = rng, admdvs, regions
        self.persons: list[dict[str, Any]] = []
        self.families: list[dict[str, Any]] = []
        self.certnos: set[str] = set()

    def patients_of(self, treatment: str) -> list[str]:
        others = [a for a in self.admdvs if a[:2] != treatment[:2]] or [a for a in self.admdvs if a != treatment]
        visitors = round(PER_INSTITUTION * VISITORS) if others else 0
        places = [treatment] * (PER_INSTITUTION - visitors) + [self.rng.choice(others) for _ in range(visitors)]
        made = [self._person(place) for place in places]
        self._family(made)
        return [p["psn_no"] for p in made]

    def _person(self, insured_at: str) -> dict[str, Any]:
        rng, n = self.rng, len(self.persons) + 1
        age = rng.choice((rng.randint(3, 17), rng.randint(18, 59), rng.randint(18, 59), rng.randint(60, 90)))
        birth = date(2026 - age, 1, 1) + timedelta(days=rng.randrange(365))
        gend = rng.choice("12")
        certno = self._certno(insured_at, birth, gend)
        psn_no = f"{insured_at}{n:014d}"
        person: dict[str, Any] = {
            "psn_no": psn_no,
            "psn_name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "gend": gend,
            "naty": "01",
            "brdy": birth.isoformat(),
            "psn_cert_type": "01",
            "certno": certno,
            "ec_token": f"EC{insured_at[:2]}{n:020d}",
        }
        if rng.random() < 0.8:
            person["card"] = {"card_no": f"{insured_at[:2]}B{n:07d}", "card_sn": f"{insured_at}D156{n:010d}"}
        insurance: dict[str, Any] = {"insuplc_admdvs": insured_at, "psn_insu_date": f"{max(birth.year, 1990)}-01-01"}
        if age >= 18 and rng.random() < 0.65:
            insurance |= {
                "insutype": "310",
                "psn_type": "1201" if age >= 60 else "1101",
                "emp_name": rng.choice(EMPLOYERS),
                "cvlserv_flag": "1" if rng.random() < 0.05 else "0",
            }
            person["account_balance"] = f"{Decimal(rng.randint(0, 800_000)).scaleb(-2):.2f}"
        else:
            student = "1403" if age < 18 else "1404" if age <= 22 and rng.random() < 0.5 else "1501"
            insurance |= {"insutype": "390", "psn_type": student}
            if rng.random() < 0.04 and "assistance" in self.regions[insured_at].get("funds", {}):
                person["idetinfo"] = [{"psn_idet_type": "2301", "memo": "低保对象"}]
        person["insurances"] = [insurance]  # fmt: skip
        self.persons.append(person)
        return person

    def _certno(self, region: str, birth: date, gend: str) -> str:
        # the order code's parity is the sex (odd male); try codes until one is free
        serial = self.rng.randrange(500) * 2 + (1 if gend == "1" else 0)
        while (certno := id_number(region, birth, serial)) in self.certnos:
            serial = (serial + 2) % 1000
        self.certnos.add(certno)
        return certno

    def _family(self, made: list[dict[str, Any]]) -> None:
        """One family account (家庭共济) among an institution's local patients: an employee with money to
        spare and one or two relatives of the same place."""
        holders = [p for p in made if p["insurances"][0]["insutype"] == "310"
                   and Decimal(p.get("account_balance", "0")) > 3000]  # fmt: skip
        if not holders or self.rng.random() < 0.3:
            return
        holder = holders[0]
        place = holder["insurances"][0]["insuplc_admdvs"]
        kin = [p for p in made if p is not holder and p["insurances"][0]["insuplc_admdvs"] == place]
        members = [p["psn_no"] for p in kin[: self.rng.randint(1, 2)]]
        if members:
            self.families.append({"holder": holder["psn_no"], "members": members})
