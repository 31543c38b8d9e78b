"""Load a world file (JSON, documented in docs/world-format.md) into domain objects.

Every problem is reported with its JSON path, so a lab can fix its own test world quickly.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from yibao.domain.benefit_policy import ANY, BenefitRule
from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.money import parse_decimal
from yibao.domain.world import HOSPITAL, PHARMACY, IdetInfo, Institution, Insurance, Person, Region, World

ADMDVS = re.compile(r"^\d{6}$")
FIXMEDINS_CODE = re.compile(r"^[A-Z0-9]{12}$")


class WorldFormatError(ValueError):
    pass


def load_world(path: str | Path | None = None) -> World:
    """Load `path`, or the built-in demo world when it is None."""
    if path is None:
        text = resources.files("yibao.world").joinpath("demo_world.json").read_text("utf-8")
        source = "demo_world.json"
    else:
        text = Path(path).read_text("utf-8")
        source = str(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise WorldFormatError(f"{source}: not valid JSON: {e}") from e
    return parse_world(raw, source)


def parse_world(raw: dict[str, Any], source: str = "world") -> World:
    r = _Reader(source)
    if not isinstance(raw, dict):
        r.fail("(top level)", "must be an object with catalogues, regions, institutions and persons")
    catalogues: dict[str, dict[str, CatalogueItem]] = {}
    for name, items in r.get(raw, "catalogues", "catalogues", dict).items():
        if not isinstance(items, list):
            r.fail(f"catalogues.{name}", "must be a list of catalogue items")
        entries: dict[str, CatalogueItem] = {}
        for n, i in enumerate(items):
            item = r.catalogue_item(i, f"catalogues.{name}[{n}]")
            if item.med_list_codg in entries:
                r.fail(f"catalogues.{name}[{n}].med_list_codg", f"{item.med_list_codg} is listed twice")
            entries[item.med_list_codg] = item
        catalogues[name] = entries
    regions: dict[str, Region] = {}
    for n, reg in enumerate(r.get(raw, "regions", "regions", list)):
        where = f"regions[{n}]"
        r.object(reg, where)
        admdvs = r.match(reg, "admdvs", where, ADMDVS, "6 digits")
        cat_name = r.get(reg, "catalogue", where, str)
        if cat_name not in catalogues:
            r.fail(f"{where}.catalogue", f"names catalogue {cat_name!r}, which catalogues does not define")
        rules = tuple(
            r.benefit_rule(b, f"{where}.benefits[{k}]") for k, b in enumerate(r.get(reg, "benefits", where, list))
        )
        if admdvs in regions:
            r.fail(f"{where}.admdvs", f"region {admdvs} is defined twice")
        regions[admdvs] = Region(admdvs, r.get(reg, "name", where, str), catalogues[cat_name], rules)

    institutions: dict[str, Institution] = {}
    for n, inst in enumerate(r.get(raw, "institutions", "institutions", list)):
        where = f"institutions[{n}]"
        r.object(inst, where)
        code = r.match(inst, "fixmedins_code", where, FIXMEDINS_CODE, "12 upper-case letters or digits")
        if code in institutions:
            r.fail(f"{where}.fixmedins_code", f"{code} is defined twice")
        kind = r.get(inst, "fixmedins_type", where, str)
        if kind not in (HOSPITAL, PHARMACY):
            r.fail(f"{where}.fixmedins_type", "must be 1 (hospital) or 2 (retail pharmacy)")
        admdvs = r.get(inst, "admdvs", where, str)
        if admdvs not in regions:
            r.fail(f"{where}.admdvs", f"region {admdvs} is not defined in regions")
        institutions[code] = Institution(
            code,
            r.get(inst, "fixmedins_name", where, str),
            kind,
            admdvs,
            hosp_lv=inst.get("hosp_lv", ""),
            enabled=bool(inst.get("enabled", True)),
        )

    persons: dict[str, Person] = {}
    holders: dict[tuple[str, str], str] = {}  # (certificate kind, number) -> psn_no
    for n, p in enumerate(r.get(raw, "persons", "persons", list)):
        person = r.person(p, f"persons[{n}]", regions)
        if person.psn_no in persons:
            r.fail(f"persons[{n}].psn_no", f"{person.psn_no} is defined twice")
        for key, number in (("ec_token", person.ec_token), ("certno", person.certno), ("card.card_no", person.card_no)):
            if number and (key, number) in holders:
                r.fail(f"persons[{n}].{key}", f"{number} already belongs to person {holders[key, number]}")
            holders[key, number] = person.psn_no
        persons[person.psn_no] = person
    return World(regions, institutions, persons)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, why: str) -> None:
        raise WorldFormatError(f"{self.source}: {path}: {why}")

    def object(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, "must be an object")

    def get(self, obj: dict[str, Any], key: str, where: str, kind: type) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            self.fail(f"{where}.{key}" if where != key else key, "is required")
        value = obj[key]
        if not isinstance(value, kind):
            self.fail(f"{where}.{key}", f"must be a {kind.__name__}")
        return value

    def match(self, obj: dict[str, Any], key: str, where: str, pattern: re.Pattern[str], rule: str) -> str:
        value = self.get(obj, key, where, str)
        if not pattern.match(value):
            self.fail(f"{where}.{key}", f"{value!r} must be {rule}")
        return value

    def decimal(self, obj: dict[str, Any], key: str, where: str, places: int, default: str | None = None) -> Decimal:
        value = obj.get(key, default)
        parsed = parse_decimal(str(value), places) if value is not None else None
        if parsed is None:
            self.fail(f"{where}.{key}", f"must be a non-negative decimal string with at most {places} places")
        return parsed  # type: ignore[return-value]

    def codes(self, obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = obj.get(key, [ANY])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            self.fail(f"{where}.{key}", 'must be a non-empty list of codes, or ["*"]')
        return tuple(value)

    def catalogue_item(self, i: dict[str, Any], where: str) -> CatalogueItem:
        self.object(i, where)
        lv = self.get(i, "chrgitm_lv", where, str)
        if lv not in ("01", "02", "03"):
            self.fail(f"{where}.chrgitm_lv", "must be 01 (甲), 02 (乙) or 03 (丙)")
        prop = self.decimal(i, "selfpay_prop", where, 4, "0")
        if prop > 1:
            self.fail(f"{where}.selfpay_prop", "must be between 0 and 1")
        cap = self.decimal(i, "pric_uplmt_amt", where, 6) if i.get("pric_uplmt_amt") is not None else None
        return CatalogueItem(
            med_list_codg=self.get(i, "med_list_codg", where, str),
            name=self.get(i, "name", where, str),
            list_type=self.get(i, "list_type", where, str),
            med_chrgitm_type=self.get(i, "med_chrgitm_type", where, str),
            chrgitm_lv=lv,
            selfpay_prop=prop,
            pric_uplmt_amt=cap,
            payable=bool(i.get("payable", True)),
            lmt_used_flag=str(i.get("lmt_used_flag", "0")),
            lmt_dscr=str(i.get("lmt_dscr", "")),
            bas_medn_flag=str(i.get("bas_medn_flag", "0")),
            hi_nego_drug_flag=str(i.get("hi_nego_drug_flag", "0")),
            chld_medc_flag=str(i.get("chld_medc_flag", "0")),
            list_sp_item_flag=str(i.get("list_sp_item_flag", "0")),
        )

    def benefit_rule(self, b: dict[str, Any], where: str) -> BenefitRule:
        self.object(b, where)
        ratio = self.decimal(b, "ratio", where, 4)
        if ratio > 1:
            self.fail(f"{where}.ratio", "must be between 0 and 1")
        return BenefitRule(
            insutype=self.get(b, "insutype", where, str),
            med_types=self.codes(b, "med_types", where),
            accum_group=self.get(b, "accum_group", where, str),
            deductible=self.decimal(b, "deductible", where, 2),
            ratio=ratio,
            annual_cap=self.decimal(b, "annual_cap", where, 2),
            psn_types=self.codes(b, "psn_types", where),
            hosp_lvs=self.codes(b, "hosp_lvs", where),
        )

    def person(self, p: dict[str, Any], where: str, regions: dict[str, Region]) -> Person:
        self.object(p, where)
        insurances = []
        for k, ins in enumerate(self.get(p, "insurances", where, list)):
            w = f"{where}.insurances[{k}]"
            self.object(ins, w)
            plc = self.get(ins, "insuplc_admdvs", w, str)
            if plc not in regions:
                self.fail(f"{w}.insuplc_admdvs", f"region {plc} is not defined in regions")
            insurances.append(
                Insurance(
                    insutype=self.get(ins, "insutype", w, str),
                    psn_type=self.get(ins, "psn_type", w, str),
                    insuplc_admdvs=plc,
                    psn_insu_stas=str(ins.get("psn_insu_stas", "1")),
                    psn_insu_date=str(ins.get("psn_insu_date", "")),
                    paus_insu_date=str(ins.get("paus_insu_date", "")),
                    cvlserv_flag=str(ins.get("cvlserv_flag", "0")),
                    emp_name=str(ins.get("emp_name", "")),
                )
            )
        if not insurances:
            self.fail(f"{where}.insurances", "must list at least one insurance")
        try:
            brdy = date.fromisoformat(self.get(p, "brdy", where, str))
        except ValueError:
            self.fail(f"{where}.brdy", "must be a date yyyy-MM-dd")
        card = p.get("card") or {}
        self.object(card, f"{where}.card")
        idetinfo = []
        for k, d in enumerate(p.get("idetinfo", [])):
            self.object(d, f"{where}.idetinfo[{k}]")
            unknown = set(d) - set(IdetInfo.__dataclass_fields__)
            if unknown:
                self.fail(f"{where}.idetinfo[{k}]", f"unknown fields {sorted(unknown)}")
            idetinfo.append(IdetInfo(**{k2: str(v) for k2, v in d.items()}))
        return Person(
            psn_no=self.get(p, "psn_no", where, str),
            psn_name=self.get(p, "psn_name", where, str),
            gend=str(p.get("gend", "")),
            naty=str(p.get("naty", "01")),
            brdy=brdy,
            psn_cert_type=str(p.get("psn_cert_type", "01")),
            certno=self.get(p, "certno", where, str),
            insurances=tuple(insurances),
            ec_token=str(p.get("ec_token", "")),
            card_no=str(card.get("card_no", "")),
            card_sn=str(card.get("card_sn", "")),
            account_balance=self.decimal(p, "account_balance", where, 2, "0"),
            idetinfo=tuple(idetinfo),
        )
