"""Load a world file (JSON, documented in docs/world-format.md) into domain objects.

Every problem is reported with its JSON path, so a lab can fix its own test world quickly.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from yibao.domain.availability import Window, parse_time
from yibao.domain.benefit_policy import (
    ANY,
    Assistance,
    BenefitRule,
    CivilServant,
    CriticalIllness,
    CrossRegionPolicy,
    FilingKind,
    FundStack,
    LargeAmount,
    TemporaryOverride,
    override_breaches,
    ratio_cut_above_ceiling,
)
from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.emergency import EmergencyDisease
from yibao.domain.funds import MATERNITY_FUND, POOLED_FUND
from yibao.domain.money import parse_decimal
from yibao.domain.world import HOSPITAL, PHARMACY, IdetInfo, Institution, Insurance, Person, Region, World
from yibao.world import schema_check

ADMDVS = re.compile(r"^[0-9]{6}\Z")  # ASCII (\d takes other scripts' digits); \Z, as $ lets a final newline by
FIXMEDINS_CODE = re.compile(r"^[A-Z0-9]{12}\Z")
RECER_SYS_CODE = re.compile(r"^[A-Z0-9]{1,10}\Z")


T = TypeVar("T")


class WorldFormatError(ValueError):
    pass


def insured_in_province_of(member: Person, holder: Person) -> bool:
    """A family account serves relatives insured in the holder's province [004]: 家庭成员应属于我省基本医疗保险的
    参保人员."""
    employee = holder.insurance("310")
    province = employee.insuplc_admdvs[:2] if employee else ""
    return any(i.insuplc_admdvs[:2] == province for i in member.insurances)


def load_world(path: str | Path | None = None) -> World:
    """Load `path`, or the built-in demo world when it is None."""
    text = world_text(path)
    source = "demo_world.json" if path is None else str(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise WorldFormatError(f"{source}: not valid JSON: {e}") from e
    return parse_world(raw, source)


def world_text(path: str | Path | None = None) -> str:
    """The text of the world file at `path`, or of the built-in demo world when it is None."""
    if path is None:
        return resources.files("yibao.world").joinpath("demo_world.json").read_text("utf-8")
    return Path(path).read_text("utf-8")


def parse_world(raw: dict[str, Any], source: str = "world") -> World:
    """The world of a decoded world file; WorldFormatError names the JSON path and the rule of its first problem.

    The file is checked against its JSON Schema (schemas/world.schema.json) and read; a problem the reader names is
    told in its words (it knows the world: which region, which catalogue), any other the schema finds in the
    schema's (a code given as a number, a flag as a string: never coerced), and so is a container of the wrong
    shape, which the reader may trip on inside (schema_check.preferred)."""
    problem = schema_check.first_problem(raw, schema_check.WORLD)
    try:
        world = _read_world(raw, source)
    except WorldFormatError as e:
        told = schema_check.preferred(problem, str(e).removeprefix(f"{source}: "))
        raise WorldFormatError(f"{source}: {told}") from None
    except (AttributeError, TypeError, KeyError, ValueError):
        if problem is None:
            raise
    if problem is not None:
        raise WorldFormatError(f"{source}: {problem}")
    return world


def _read_world(raw: dict[str, Any], source: str) -> World:
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
    warnings: list[str] = []
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
        funds = r.fund_stack(reg.get("funds", {}), f"{where}.funds")
        regions[admdvs] = Region(
            admdvs,
            r.get(reg, "name", where, str),
            catalogues[cat_name],
            rules,
            funds,
            r.cross_region(reg.get("cross_region", {}), f"{where}.cross_region", funds),
            maintenance=r.windows(reg.get("maintenance", []), f"{where}.maintenance"),
            recer_sys_codes=r.recer_sys_codes(reg.get("recer_sys_codes", []), f"{where}.recer_sys_codes"),
        )
        warnings += [
            f"{source}: {where}.cross_region.overrides[{b.override}]: {b.describe()}"
            for b in override_breaches(regions[admdvs].cross_region, rules)
        ]

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
            hosp_lv=str(inst.get("hosp_lv", "")),
            enabled=r.flag(inst, "enabled", where, True),
            operator=r.flag(inst, "operator", where, False),
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
    family_holder: dict[str, str] = {}
    for n, fam in enumerate(raw.get("families", [])):
        where = f"families[{n}]"
        r.object(fam, where)
        holder = r.get(fam, "holder", where, str)
        if holder not in persons or persons[holder].insurance("310") is None:
            r.fail(f"{where}.holder", f"{holder} must be a person with employee insurance (310)")
        paths = [f"{where}.holder"] + [f"{where}.members[{k}]" for k in range(len(r.get(fam, "members", where, list)))]
        for path, member in zip(paths, [holder, *fam["members"]], strict=True):
            if member not in persons:
                r.fail(path, f"{member} is not a person of this world")
            if not insured_in_province_of(persons[member], persons[holder]):
                r.fail(path, f"{member} is not insured in the holder's province: family members must be [004]")
            if member in family_holder:
                r.fail(path, f"{member} already belongs to a family account (one per family)")
            family_holder[member] = holder
    return World(regions, institutions, persons, family_holder, warnings=warnings)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, why: str) -> NoReturn:
        raise WorldFormatError(f"{self.source}: {path}: {why}")

    def object(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, "must be an object")

    def get(self, obj: dict[str, Any], key: str, where: str, kind: type[T]) -> T:
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
            self.fail(f"{where}.{key}", f"must be a non-negative decimal string with at most {places} places, e.g. "
                      f"{'0.7000' if places == 4 else '12.50'!r} (a JSON number is read as its text)")
        return parsed

    def flag(self, obj: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", "must be true or false (a JSON boolean, not a string)")
        return value

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
            payable=self.flag(i, "payable", where, True),
            lmt_used_flag=str(i.get("lmt_used_flag", "0")),
            lmt_dscr=str(i.get("lmt_dscr", "")),
            bas_medn_flag=str(i.get("bas_medn_flag", "0")),
            hi_nego_drug_flag=str(i.get("hi_nego_drug_flag", "0")),
            chld_medc_flag=str(i.get("chld_medc_flag", "0")),
            list_sp_item_flag=str(i.get("list_sp_item_flag", "0")),
        )

    def benefit_rule(self, b: dict[str, Any], where: str) -> BenefitRule:
        self.object(b, where)
        if b.get("insutype") not in POOLED_FUND:
            self.fail(
                f"{where}.insutype", f"must be one of {', '.join(POOLED_FUND)} (the insutypes with a pooled fund)"
            )
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
            per_stay=self.flag(b, "per_stay", where, False),
            fund=self.rule_fund(b, where),
        )

    def rule_fund(self, b: dict[str, Any], where: str) -> str:
        fund = b.get("fund", "")
        if fund not in ("", MATERNITY_FUND):
            self.fail(f"{where}.fund", f"{fund!r} must be {MATERNITY_FUND} (生育基金) or left out (the pooled fund)")
        return str(fund)

    def ratio(self, obj: dict[str, Any], key: str, where: str) -> Decimal:
        value = self.decimal(obj, key, where, 4)
        if value > 1:
            self.fail(f"{where}.{key}", "must be between 0 and 1")
        return value

    def fund_stack(self, f: dict[str, Any], where: str) -> FundStack:
        self.object(f, where)

        def part(key: str) -> dict[str, Any] | None:
            value = f.get(key)
            if value is not None:
                self.object(value, f"{where}.{key}")
            return value

        la, ci, cs, ma = part("large_amount"), part("critical_illness"), part("civil_servant"), part("assistance")
        w = where
        return FundStack(
            large_amount=LargeAmount(self.ratio(la, "ratio", f"{w}.large_amount"),
                                     self.decimal(la, "annual_cap", f"{w}.large_amount", 2)) if la else None,
            critical_illness=CriticalIllness(
                self.decimal(ci, "deductible", f"{w}.critical_illness", 2),
                self.ratio(ci, "ratio", f"{w}.critical_illness"),
                self.decimal(ci, "annual_cap", f"{w}.critical_illness", 2),
            ) if ci else None,
            civil_servant=CivilServant(self.ratio(cs, "ratio", f"{w}.civil_servant")) if cs else None,
            assistance=Assistance(
                self.codes(ma, "idet_types", f"{w}.assistance"),
                self.ratio(ma, "ratio", f"{w}.assistance"),
                self.decimal(ma, "annual_cap", f"{w}.assistance", 2),
            ) if ma else None,
            family_account_floor=self.decimal(f, "family_account_floor", where, 2, "2000.00"),
        )  # fmt: skip

    def recer_sys_codes(self, value: Any, where: str) -> tuple[str, ...]:
        """A region's own recer_sys_code values: 1 to 10 upper-case letters or digits each (the envelope's char 10)."""
        if not isinstance(value, list):
            self.fail(where, "must be a list of codes")
        for k, code in enumerate(value):
            if not isinstance(code, str) or not RECER_SYS_CODE.fullmatch(code):
                self.fail(f"{where}[{k}]", "must be 1 to 10 upper-case letters or digits")
        return tuple(value)

    def windows(self, value: Any, where: str) -> tuple[Window, ...]:
        if not isinstance(value, list):
            self.fail(where, "must be a list of maintenance windows")
        found = []
        for k, w in enumerate(value):
            at = f"{where}[{k}]"
            self.object(w, at)
            begin, end = (self.time(w, key, at) for key in ("begin", "end"))
            if end <= begin:
                self.fail(f"{at}.end", f"{w['end']} must be after begin {w['begin']}")
            reason = self.get(w, "reason", at, str)
            if not reason.strip():
                self.fail(f"{at}.reason", "must say why, in plain words (it is shown to the HIS)")
            found.append(Window(begin, end, reason))
        return tuple(found)

    def time(self, obj: dict[str, Any], key: str, where: str) -> datetime:
        value = parse_time(self.get(obj, key, where, str))
        if value is None:
            self.fail(f"{where}.{key}", f"{obj[key]!r} must be a time yyyy-MM-dd HH:mm:ss")
        return value

    def cross_region(self, c: dict[str, Any], where: str, funds: FundStack) -> CrossRegionPolicy:
        self.object(c, where)
        default = CrossRegionPolicy()
        cuts = c.get("ratio_cut", {})
        self.object(cuts, f"{where}.ratio_cut")
        ratio_cut = dict(default.ratio_cut)
        for kind in cuts:
            if kind not in FilingKind.NAMES:
                self.fail(f"{where}.ratio_cut.{kind}", f"is not a filing type; known: {', '.join(FilingKind.NAMES)}")
            ratio_cut[kind] = self.ratio(cuts, kind, f"{where}.ratio_cut")
            ceiling = ratio_cut_above_ceiling(kind, ratio_cut[kind])
            if ceiling is not None:
                name = FilingKind.NAMES[kind]
                self.fail(f"{where}.ratio_cut.{kind}", f"{ratio_cut[kind]} is above the national ceiling of {ceiling} "
                          f"for {name} (docs/reference/policy.md, \"Which rules apply\")")  # fmt: skip
        overrides = []
        for k, o in enumerate(c.get("overrides", [])):
            w = f"{where}.overrides[{k}]"
            self.object(o, w)
            category = self.get(o, "category", w, str)
            if category not in ("inpatient", "outpatient"):
                self.fail(f"{w}.category", "must be inpatient or outpatient")
            ratios = self.get(o, "ratios", w, dict)
            overrides.append(TemporaryOverride(
                filing_kinds=self.codes(o, "filing_kinds", w),
                category=category,
                deductible=self.decimal(o, "deductible", w, 2),
                per_stay=self.flag(o, "per_stay", w, False),
                ratios={t: self.ratio(ratios, t, f"{w}.ratios") for t in ratios},
            ))  # fmt: skip
        return CrossRegionPolicy(ratio_cut, tuple(overrides), self.flag(c, "no_filing_in_province", where, False),
                                 self.months(c, "referral_months", where, default.referral_months),
                                 self.hardship(c, where, funds),
                                 self.emergency_diseases(c.get("emergency_diseases", []), where))  # fmt: skip

    def emergency_diseases(self, value: Any, where: str) -> tuple[EmergencyDisease, ...]:
        if not isinstance(value, list):
            self.fail(f"{where}.emergency_diseases", "must be a list of {code, name} (ICD-10 code prefixes)")
        found = []
        for k, e in enumerate(value):
            w = f"{where}.emergency_diseases[{k}]"
            self.object(e, w)
            code = self.get(e, "code", w, str)
            if not re.fullmatch(r"[A-Z][0-9A-Z.]{1,9}", code):
                self.fail(f"{w}.code", f"{code!r} must be an ICD-10 code or prefix, e.g. I21 or I21.9")
            found.append(EmergencyDisease(code, self.get(e, "name", w, str)))
        return tuple(found)

    def hardship(self, c: dict[str, Any], where: str, funds: FundStack) -> tuple[str, ...]:
        """Hardship groups for art. 21: as given, else those the assistance fund serves."""
        if "hardship_idet_types" not in c:
            return funds.assistance.idet_types if funds.assistance else ()
        value = c["hardship_idet_types"]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"{where}.hardship_idet_types", "must be a list of psn_idet_type codes (may be empty)")
        return tuple(value)

    def months(self, obj: dict[str, Any], key: str, where: str, default: int) -> int:
        value = obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
            self.fail(f"{where}.{key}", f"{value!r} must be a whole number of months from 1 to 120")
        return value

    def person(self, p: dict[str, Any], where: str, regions: dict[str, Region]) -> Person:
        self.object(p, where)
        insurances: list[Insurance] = []
        for k, ins in enumerate(self.get(p, "insurances", where, list)):
            w = f"{where}.insurances[{k}]"
            self.object(ins, w)
            plc = self.get(ins, "insuplc_admdvs", w, str)
            if any(i.insutype == ins.get("insutype") for i in insurances):
                self.fail(f"{w}.insutype", f"{ins.get('insutype')} is listed twice for this person")
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
            self.get(d, "psn_idet_type", f"{where}.idetinfo[{k}]", str)
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
