"""A suite's initial state as data (JSON, docs/lab.md): what a lab session's sandbox holds before the HIS's
first call — persons' account balances, used deductibles and caps (yearly accumulators), cross-region filings
with their dates, chronic-disease filings — and the lab clock to start from.

`parse_state` checks a state file against the world it will be served with and names the JSON path and the
rule of every problem, as the world loader does (src/yibao/world/loader.py). `install` writes a parsed state
into a session's store: every person of the world gets an account (the world's opening balance unless the
state says otherwise), then the state's rows. Money is Decimal yuan in the file and integer fen in the store.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import delete, insert

from yibao.adapters.lab.clock import ClockError, parse_set_point
from yibao.domain.benefit_policy import FilingKind
from yibao.domain.filing import (
    COMMITMENT_KINDS,
    KINDS,
    LONG_TERM,
    TEMPORARY,
    TEMPORARY_MONTHS,
    Filing,
    Material,
    Status,
    add_months,
    area_of,
    biz_appy_type_of,
    check_psn_type,
    chronic_diseases,
    conflicting,
    material_due,
    same_city,
)
from yibao.domain.money import parse_decimal
from yibao.domain.world import HOSPITAL, PHARMACY, Person, World
from yibao.errors import Refusal
from yibao.storage import schema as t
from yibao.storage.journal_chain import restart_chains
from yibao.storage.store import Tx, to_fen
from yibao.world import schema_check

SUITES = "suites"  # built-in suite states: src/yibao/world/suites/<name>.json, beside the demo world
SUITE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ADMDVS = re.compile(r"^[0-9]{6}$")
SN = re.compile(r"^[A-Za-z0-9]{1,30}$")
# Accumulator keys the settlement engine reads (simulators/yibao/simulators/core/settle_engine.py):
# <insutype>:<group>:dedc|fund for a benefit group of the person's insured place, and the funds above the pooled fund.
GROUP_KEY = re.compile(r"^([0-9]{3}):(.+):(dedc|fund)$")
FUND_KEYS = {
    "330100:fund": "large-amount fund paid this year (大额医疗费用补助)",
    "390200:dedc": "critical-illness deductible paid this year (大病保险起付线)",
    "390200:fund": "critical-illness insurance paid this year (大病保险)",
    "610100:fund": "medical assistance paid this year (医疗救助)",
}
FILED_BY = "LAB-STATE"  # filed_by of the rows a state file makes (the institution that called, otherwise)
TOP_KEYS = ("about", "clock", "persons")
PERSON_KEYS = ("psn_no", "note", "account_balance", "accumulators", "filings", "chronic_filings", "settlements")
SETTLEMENT_KEYS = ("case", "at", "kind", "institution", "insutype", "med_type", "use_account", "items", "note")
CASE_ID = re.compile(r"^[A-Z]{2,4}-[0-9]{2}$")
ITEM_KEYS = ("code", "name", "cnt", "pric")
# What a prior settlement may be: an outpatient visit (2201–2207) or a stay (2401–2304) at a hospital, a sale at a
# pharmacy (2101–2102); its med_types, the default first.
PRIOR_MED_TYPES = {"outpatient": ("11", "12", "13", "19"), "inpatient": ("21", "23", "24"), "pharmacy": ("41",)}
ACC_KEYS = ("year", "key", "amount")
FILING_KEYS = (
    "trt_dcla_detl_sn", "insutype", "fil_type", "mdtrtarea_admdvs", "begndate", "enddate", "crte_date", "fil_stas",
    "stop_date", "cmtm_flag", "matl_stas", "matl_due_date", "fixmedins_code", "fixmedins_name", "tel", "addr", "memo",
)  # fmt: skip
CHRONIC_KEYS = (
    "trt_dcla_detl_sn", "insutype", "opsp_dise_code", "opsp_dise_name", "begndate", "enddate", "crte_date",
    "fil_stas", "stop_date", "ide_fixmedins_no", "ide_fixmedins_name", "hosp_ide_date", "memo",
)  # fmt: skip


class StateFormatError(ValueError):
    """What is wrong with a state file: `source: json.path: rule`."""


@dataclass(frozen=True)
class PriorSettlement:
    """A visit, stay or sale settled before the session starts (docs/lab.md, "settlements[]"): carried out through
    the platform's own transactions on the sandbox at `at`, so every row, figure and accumulator is the platform's."""

    psn_no: str
    at: datetime
    institution: str
    insutype: str
    med_type: str
    use_account: bool
    items: tuple[tuple[str, str, str, str], ...]  # (code, name, cnt, pric)
    where: str  # its JSON path, for a problem met when it is carried out
    case: str = ""  # the case card that works on it (a cancel_prior step), e.g. RF-05
    kind: str = "outpatient"  # outpatient (a visit), inpatient (a stay, admitted and discharged at `at`), pharmacy


@dataclass
class PersonState:
    psn_no: str
    account_balance: Decimal | None = None  # None: the world's opening balance
    accumulators: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (year, key, amount)
    filings: list[dict[str, Any]] = field(default_factory=list)  # filing rows, as stored
    chronic_filings: list[dict[str, Any]] = field(default_factory=list)  # chronic_filing rows, as stored
    settlements: list[PriorSettlement] = field(default_factory=list)  # visits settled before the session


@dataclass
class SuiteState:
    """One or more suites' initial state, checked against a world."""

    suites: tuple[str, ...]
    clock: datetime | None = None  # where the session's clock starts (None: the server's clock)
    persons: dict[str, PersonState] = field(default_factory=dict)
    generated: int = 0  # filings numbered by the loader (those the file gives no trt_dcla_detl_sn)


# ---- finding a suite's state


def builtin_suites() -> list[str]:
    folder = resources.files("yibao.world").joinpath(SUITES)
    return sorted(
        p.name.removesuffix(".json")
        for p in folder.iterdir()
        if p.name.endswith(".json") and not p.name.endswith(".cases.json")  # cases: cases.py
    )


def read_builtin(name: str) -> dict[str, Any]:
    """The raw state of a built-in suite; StateFormatError when there is none of that name or it is no JSON."""
    if not SUITE_NAME.match(name) or name not in builtin_suites():
        known = ", ".join(builtin_suites()) or "none"
        raise StateFormatError(f"suite {name[:60]!r}: no built-in suite of that name (built in: {known})")
    text = resources.files("yibao.world").joinpath(SUITES, f"{name}.json").read_text("utf-8")
    return _json(text, f"{name}.json")


def read_file(path: str | Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text("utf-8")
    except OSError as e:
        raise StateFormatError(f"{path}: cannot read: {e.strerror or e}") from None
    return _json(text, str(path))


def _json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise StateFormatError(f"{source}: not valid JSON: {e}") from None


# ---- checking


def parse_states(docs: list[tuple[str, Any]], world: World) -> SuiteState:
    """Several suites' states (name, raw document) as one: each checked on its own, then joined. A person's
    initial state comes from one suite, and the suites must agree on the clock."""
    joined = SuiteState(tuple(name for name, _ in docs))
    clock_from = ""
    for name, raw in docs:
        one = parse_state(raw, world, f"{name}.json", sn_start=joined.generated)
        joined.generated = one.generated
        if one.clock is not None:
            if joined.clock is not None and one.clock != joined.clock:
                raise StateFormatError(
                    f"{name}.json: clock: {one.clock:%Y-%m-%dT%H:%M:%S} differs from suite {clock_from}'s "
                    f"{joined.clock:%Y-%m-%dT%H:%M:%S}; suites opened together must start at one time"
                )
            joined.clock, clock_from = one.clock, name
        for psn_no, person in one.persons.items():
            if psn_no in joined.persons:
                raise StateFormatError(
                    f"{name}.json: persons: {psn_no} is also declared by another suite of this session; a person's "
                    "initial state comes from one suite"
                )
            joined.persons[psn_no] = person
    seen: set[str] = set()
    for ps in joined.persons.values():
        for row in (*ps.filings, *ps.chronic_filings):
            if row["trt_dcla_detl_sn"] in seen:
                raise StateFormatError(f"{'+'.join(joined.suites)}: trt_dcla_detl_sn {row['trt_dcla_detl_sn']} is "
                                       "used by two suites of this session; every filing needs its own")  # fmt: skip
            seen.add(row["trt_dcla_detl_sn"])
    return joined


def parse_state(raw: Any, world: World, source: str = "state", sn_start: int = 0) -> SuiteState:
    """Check one state document against `world`; StateFormatError names the JSON path and the rule broken.
    Filings without a trt_dcla_detl_sn are numbered from `sn_start` + 1 (several suites: one numbering).

    The document is checked against its JSON Schema too (src/yibao/world/schemas/lab-state.schema.json), as world
    files are (src/yibao/world/schema_check.py): the reader's words for what it finds, the schema's for the rest."""
    problem = schema_check.first_problem(raw, schema_check.LAB_STATE)
    try:
        state = _read_state(raw, world, source, sn_start)
    except StateFormatError as e:
        told = schema_check.preferred(problem, str(e).removeprefix(f"{source}: "))
        raise StateFormatError(f"{source}: {told}") from None
    except (AttributeError, TypeError, KeyError, ValueError):
        if problem is None:
            raise
    if problem is not None:
        raise StateFormatError(f"{source}: {problem}")
    return state


def _read_state(raw: Any, world: World, source: str, sn_start: int) -> SuiteState:
    r = _Reader(source, sn_start)
    if not isinstance(raw, dict):
        r.fail("(top level)", "must be an object with persons (and optionally about and clock)")
    r.keys(raw, "(top level)", TOP_KEYS)
    state = SuiteState((source,))
    if raw.get("clock") is not None:
        try:
            state.clock = parse_set_point(raw["clock"])
        except ClockError as e:
            r.fail("clock", str(e))
    persons = raw.get("persons", [])
    if not isinstance(persons, list):
        r.fail("persons", "must be a list of persons' initial states")
    for n, p in enumerate(persons):
        where = f"persons[{n}]"
        r.object(p, where)
        r.keys(p, where, PERSON_KEYS)
        psn_no = r.text(p, "psn_no", where)
        person = world.persons.get(psn_no)
        if person is None:
            r.fail(f"{where}.psn_no", f"{psn_no} is not a person of the world this server serves")
        if psn_no in state.persons:
            r.fail(f"{where}.psn_no", f"{psn_no} is declared twice; give all of a person's state in one entry")
        ps = PersonState(psn_no)
        if p.get("account_balance") is not None:
            if person.insurance("310") is None:
                r.fail(f"{where}.account_balance", f"{psn_no} has no employee insurance (310), which a personal "
                       "account belongs to (a family member pays from the holder's account)")  # fmt: skip
            ps.account_balance = r.money(p, "account_balance", where)
        ps.accumulators = r.accumulators(p, where, person, world)
        ps.filings = r.filings(p, where, person, world, state.clock)
        ps.chronic_filings = r.chronic_filings(p, where, person, world, state.clock)
        ps.settlements = r.settlements(p, where, person, world, state.clock)
        state.persons[psn_no] = ps
    state.generated = r.sn_counter
    return state


class _Reader:
    def __init__(self, source: str, sn_start: int = 0) -> None:
        self.source = source
        self.sn_counter = sn_start
        self.sns: dict[str, str] = {}  # trt_dcla_detl_sn → the path that gave it

    def fail(self, path: str, why: str) -> NoReturn:
        raise StateFormatError(f"{self.source}: {path}: {why}")

    def object(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, "must be an object")

    def keys(self, obj: dict[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            path = unknown[0] if where == "(top level)" else f"{where}.{unknown[0]}"
            self.fail(path, f"unknown key (allowed here: {', '.join(allowed)})")

    def text(self, obj: dict[str, Any], key: str, where: str, default: str | None = None, limit: int = 200) -> str:
        value = obj.get(key, default)
        if value is None:
            self.fail(f"{where}.{key}", "is required")
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "must be a string")
        if len(value) > limit:
            self.fail(f"{where}.{key}", f"must be at most {limit} characters")
        return value

    def money(self, obj: dict[str, Any], key: str, where: str) -> Decimal:
        value = obj[key]
        parsed = parse_decimal(value, 2) if isinstance(value, str) else None
        if parsed is None:
            self.fail(f"{where}.{key}", 'must be a non-negative amount in yuan as a string with at most 2 places, '
                      'e.g. "1300.00"')  # fmt: skip
        return parsed

    def day(self, obj: dict[str, Any], key: str, where: str, required: bool = True) -> date | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "is required (a date yyyy-MM-dd)")
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail(f"{where}.{key}", f"{value!r} must be a date yyyy-MM-dd")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{where}.{key}", f"{value!r} is no day of the calendar")

    def flag(self, obj: dict[str, Any], key: str, where: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", "must be true or false (a JSON boolean, not a string)")
        return value

    def items(self, p: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
        value = p.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", "must be a list")
        for n, item in enumerate(value):
            self.object(item, f"{where}.{key}[{n}]")
        return [(f"{where}.{key}[{n}]", item) for n, item in enumerate(value)]

    def insurance_of(self, obj: dict[str, Any], where: str, person: Person) -> tuple[str, str, str]:
        """(insutype, psn_type, insuplc_admdvs) of the entry's insurance: named, or the person's only one."""
        if obj.get("insutype") is None:
            if len(person.insurances) != 1:
                listed = ", ".join(i.insutype for i in person.insurances)
                self.fail(f"{where}.insutype", f"is required: {person.psn_no} has several insurances ({listed})")
            ins = person.insurances[0]
        else:
            insutype = self.text(obj, "insutype", where)
            found = person.insurance(insutype)
            if found is None:
                listed = ", ".join(i.insutype for i in person.insurances)
                self.fail(f"{where}.insutype", f"{person.psn_no} has no insurance {insutype} (has {listed})")
            ins = found
        return ins.insutype, ins.psn_type, ins.insuplc_admdvs

    def sn(self, obj: dict[str, Any], where: str, region: str, made: date) -> str:
        if obj.get("trt_dcla_detl_sn") is not None:
            sn = self.text(obj, "trt_dcla_detl_sn", where, limit=30)
            if not SN.match(sn):
                self.fail(f"{where}.trt_dcla_detl_sn", "must be 1 to 30 letters or digits")
            if sn in self.sns:
                self.fail(f"{where}.trt_dcla_detl_sn", f"{sn} is already used at {self.sns[sn]}")
        else:
            # the platform's id shape (yibao.ids.new_id) at midnight of the day it was made, node 99, process 999
            sn = ""
            while not sn or sn in self.sns:
                self.sn_counter += 1
                sn = f"{region}{made:%Y%m%d}00000099999{self.sn_counter:05d}"
        self.sns[sn] = where
        return sn

    def status(self, obj: dict[str, Any], where: str, made: date) -> tuple[str, date | None]:
        stas = self.text(obj, "fil_stas", where, Status.ACTIVE)
        if stas not in Status.NAMES:
            self.fail(f"{where}.fil_stas", f"{stas!r} must be one of {_listed(Status.NAMES)}")
        stop = self.day(obj, "stop_date", where, required=stas != Status.ACTIVE)
        if stas == Status.ACTIVE and stop is not None:
            self.fail(f"{where}.stop_date", "only a changed, revoked or cancelled filing (fil_stas 2/3/4) has one")
        if stop is not None and stop < made:
            self.fail(f"{where}.stop_date", f"{stop} is before the filing was made ({made})")
        return stas, stop

    def made(self, obj: dict[str, Any], where: str, begndate: date, clock: datetime | None) -> date:
        made = self.day(obj, "crte_date", where, required=False) or begndate
        if clock is not None and made > clock.date():
            self.fail(f"{where}.crte_date", f"{made} is after the suite's clock ({clock:%Y-%m-%d}): a filing is made "
                      "by then")  # fmt: skip
        return made

    # -- accumulators

    def accumulators(
        self, p: dict[str, Any], where: str, person: Person, world: World
    ) -> list[tuple[int, str, Decimal]]:
        out: list[tuple[int, str, Decimal]] = []
        seen: dict[tuple[int, str], str] = {}
        for at, a in self.items(p, "accumulators", where):
            self.keys(a, at, ACC_KEYS)
            year = a.get("year")
            if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2099:
                self.fail(f"{at}.year", "must be a year as a JSON number, 2000 to 2099")
            key = self.text(a, "key", at, limit=60)
            self.accumulator_key(key, f"{at}.key", person, world)
            if (year, key) in seen:
                self.fail(f"{at}.key", f"{key} of {year} is already given at {seen[year, key]}")
            seen[year, key] = at
            if "amount" not in a:
                self.fail(f"{at}.amount", "is required")
            out.append((year, key, self.money(a, "amount", at)))
        return out

    def accumulator_key(self, key: str, at: str, person: Person, world: World) -> None:
        if key in FUND_KEYS:
            return
        m = GROUP_KEY.match(key)
        if m is None:
            self.fail(at, f"{key!r} must be <insutype>:<accum_group>:dedc or :fund (e.g. 310:outpatient:dedc), or one "
                      f"of {', '.join(FUND_KEYS)}")  # fmt: skip
        insutype, group = m.group(1), m.group(2)
        ins = person.insurance(insutype)
        if ins is None:
            self.fail(at, f"{person.psn_no} has no insurance {insutype}")
        rules = world.regions[ins.insuplc_admdvs].benefits
        groups = sorted({b.accum_group for b in rules if b.insutype == insutype})
        if group not in groups:
            self.fail(at, f"accum_group {group!r} is not one of insured place {ins.insuplc_admdvs}'s benefit groups "
                      f"for {insutype}: {', '.join(groups)}")  # fmt: skip

    # -- cross-region filings

    def filings(
        self, p: dict[str, Any], where: str, person: Person, world: World, clock: datetime | None
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        made_so_far: list[Filing] = []
        for at, f in self.items(p, "filings", where):
            self.keys(f, at, FILING_KEYS)
            insutype, psn_type, insuplc = self.insurance_of(f, at, person)
            kind = self.text(f, "fil_type", at)
            if kind not in KINDS:
                self.fail(f"{at}.fil_type", f"{kind!r} must be one of {_listed(FilingKind.NAMES)}")
            try:
                check_psn_type(kind, insutype, psn_type, person.psn_no, f"{at}.fil_type")
            except Refusal as e:
                self.fail(f"{at}.fil_type", e.message_en)
            place = self.text(f, "mdtrtarea_admdvs", at)
            if not ADMDVS.match(place):
                self.fail(f"{at}.mdtrtarea_admdvs", f"{place!r} must be a region code of 6 digits")
            area = area_of(place)
            if same_city(area, insuplc):
                self.fail(f"{at}.mdtrtarea_admdvs", f"{place} is in the insured place's own city ({insuplc}): no "
                          "cross-region filing is made there")  # fmt: skip
            begndate = self.day(f, "begndate", at)
            assert begndate is not None
            enddate = self.day(f, "enddate", at, required=False)
            if kind in LONG_TERM and enddate is not None:
                self.fail(f"{at}.enddate", f"a long-term filing (fil_type {kind}) is valid until changed: no enddate")
            if kind in TEMPORARY and enddate is None:
                enddate = add_months(begndate, TEMPORARY_MONTHS) - timedelta(days=1)
            if enddate is not None and enddate < begndate:
                self.fail(f"{at}.enddate", f"{enddate} is before begndate {begndate}")
            made = self.made(f, at, begndate, clock)
            stas, stop = self.status(f, at, made)
            commitment = self.flag(f, "cmtm_flag", at)
            if commitment and kind not in COMMITMENT_KINDS:
                self.fail(f"{at}.cmtm_flag", f"a commitment filing is long-term or a student's, not fil_type {kind}")
            material = self.text(f, "matl_stas", at, Material.AWAITED if commitment else "")
            if material not in Material.NAMES or (material == "") == commitment:
                allowed = "0 (awaited), 1 (supplied), 2 (false) or 3 (lapsed)" if commitment else '"" (none)'
                self.fail(f"{at}.matl_stas", f"{material!r}: a {'commitment' if commitment else 'full-material'} "
                          f"filing's material status is {allowed}")  # fmt: skip
            due = self.day(f, "matl_due_date", at, required=False)
            if due is not None and not commitment:
                self.fail(f"{at}.matl_due_date", "only a commitment filing (cmtm_flag true) has a material due date")
            if commitment and due is None:
                due = material_due(begndate)
            sn = self.sn(f, at, insuplc, made)
            domain = Filing(sn, person.psn_no, insutype, kind, area, begndate, enddate, made, stas, stop, commitment,
                            material, due)  # fmt: skip
            if stas == Status.ACTIVE:
                clash = conflicting([o for o in made_so_far if o.insutype == insutype], insuplc, begndate,
                                    domain.last_day)  # fmt: skip
                if clash is not None:
                    ends = clash.last_day or "open"
                    self.fail(at, f"overlaps active filing {clash.trt_dcla_detl_sn} ({clash.begndate} to {ends}): one "
                              "cross-region filing at a time (003 art. 7)")  # fmt: skip
            made_so_far.append(domain)
            code = self.text(f, "fixmedins_code", at, "", limit=30)
            if code and code not in world.institutions:
                self.fail(f"{at}.fixmedins_code", f"{code} is not an institution of the world")
            rows.append(
                {
                    "trt_dcla_detl_sn": sn,
                    "psn_no": person.psn_no,
                    "insutype": insutype,
                    "insuplc_admdvs": insuplc,
                    "infno": "2505",
                    "biz_appy_type": biz_appy_type_of(kind),
                    "fil_type": kind,
                    "mdtrtarea_admdvs": area,
                    "begndate": begndate.isoformat(),
                    "enddate": _iso(enddate),
                    "crte_date": made.isoformat(),
                    "fil_stas": stas,
                    "stop_date": _iso(stop),
                    "cmtm_flag": commitment,
                    "matl_stas": material,
                    "matl_due_date": _iso(due),
                    "fixmedins_code": code,
                    "fixmedins_name": self.text(f, "fixmedins_name", at, "", limit=200)
                    or (world.institutions[code].fixmedins_name if code else ""),
                    "tel": self.text(f, "tel", at, "", limit=50),
                    "addr": self.text(f, "addr", at, "", limit=200),
                    "memo": self.text(f, "memo", at, "", limit=500),
                    "filed_by": FILED_BY,
                    "msgid": "",
                    "request": json.dumps(f, ensure_ascii=False, sort_keys=True).encode(),
                }
            )
        return rows

    # -- settlements made before the session

    def settlements(
        self, p: dict[str, Any], where: str, person: Person, world: World, clock: datetime | None
    ) -> list[PriorSettlement]:
        out: list[PriorSettlement] = []
        for at_path, s in self.items(p, "settlements", where):
            self.keys(s, at_path, SETTLEMENT_KEYS)
            try:
                at = parse_set_point(s.get("at"))
            except ClockError as e:
                self.fail(f"{at_path}.at", str(e))
            if clock is not None and at >= clock:
                when, start = f"{at:%Y-%m-%dT%H:%M:%S}", f"{clock:%Y-%m-%dT%H:%M:%S}"
                self.fail(f"{at_path}.at", f"{when} is not before the suite's clock ({start}): a prior settlement is "
                          "made before the session starts")  # fmt: skip
            code = self.text(s, "institution", at_path, limit=30)
            inst = world.institutions.get(code)
            pharmacy = inst is not None and inst.fixmedins_type == PHARMACY
            kind = self.text(s, "kind", at_path, "pharmacy" if pharmacy else "outpatient", limit=20)
            if kind not in PRIOR_MED_TYPES:
                self.fail(f"{at_path}.kind", f"{kind!r}: one of {', '.join(PRIOR_MED_TYPES)}")
            place = "pharmacy" if kind == "pharmacy" else "hospital"
            if inst is None or inst.fixmedins_type != (PHARMACY if pharmacy else HOSPITAL) or not inst.enabled:
                self.fail(f"{at_path}.institution", f"{code} is not an enabled hospital or pharmacy of the world")
            if pharmacy != (kind == "pharmacy"):
                here = "pharmacy" if pharmacy else "hospital"
                self.fail(f"{at_path}.institution", f"{code} is a {here}: kind {kind} is settled at a {place}")
            insutype, _, _ = self.insurance_of(s, at_path, person)
            med_type = self.text(s, "med_type", at_path, PRIOR_MED_TYPES[kind][0])
            if med_type not in PRIOR_MED_TYPES[kind]:
                listed = ", ".join(PRIOR_MED_TYPES[kind])
                self.fail(f"{at_path}.med_type", f"{med_type!r}: for kind {kind}, one of {listed}")
            use_account = s.get("use_account", True)
            if not isinstance(use_account, bool):
                self.fail(f"{at_path}.use_account", "must be true or false (a JSON boolean)")
            items = self.prior_items(s, at_path, world.regions[inst.admdvs].catalogue)
            case = self.text(s, "case", at_path, "", limit=10)
            if case and not CASE_ID.match(case):
                self.fail(f"{at_path}.case", f"{case!r} must be a case id, e.g. RF-05")
            out.append(
                PriorSettlement(person.psn_no, at, code, insutype, med_type, use_account, items, at_path, case, kind)
            )
        return out

    def prior_items(self, s: dict[str, Any], where: str, catalogue: Any) -> tuple[tuple[str, str, str, str], ...]:
        listed = self.items(s, "items", where)
        if not listed:
            self.fail(f"{where}.items", "is required: a non-empty list of {code, name, cnt, pric}")
        out = []
        for at, item in listed:
            self.keys(item, at, ITEM_KEYS)
            code = self.text(item, "code", at, limit=50)
            if code not in catalogue:
                self.fail(f"{at}.code", f"{code} is not in the treatment place's catalogue")
            name = self.text(item, "name", at, limit=100)
            cnt = item.get("cnt")
            if not isinstance(cnt, str) or not re.fullmatch(r"[1-9][0-9]{0,5}(\.[0-9]{1,4})?", cnt):
                self.fail(f"{at}.cnt", 'a positive quantity as a string, e.g. "2"')
            if "pric" not in item:
                self.fail(f"{at}.pric", "is required")
            price = self.money(item, "pric", at)
            out.append((code, name, cnt, f"{price:.2f}"))
        return tuple(out)

    # -- chronic-disease filings

    def chronic_filings(
        self, p: dict[str, Any], where: str, person: Person, world: World, clock: datetime | None
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for at, c in self.items(p, "chronic_filings", where):
            self.keys(c, at, CHRONIC_KEYS)
            insutype, psn_type, insuplc = self.insurance_of(c, at, person)
            code = self.text(c, "opsp_dise_code", at, limit=30)
            listed = chronic_diseases(world.regions[insuplc].benefits, insutype, psn_type)
            if code not in listed:
                self.fail(f"{at}.opsp_dise_code", f"{code!r} is not a chronic disease insured place {insuplc} lists "
                          f"for {insutype}/{psn_type} (listed: {', '.join(listed) or 'none'})")  # fmt: skip
            begndate = self.day(c, "begndate", at)
            assert begndate is not None
            enddate = self.day(c, "enddate", at, required=False)
            if enddate is not None and enddate < begndate:
                self.fail(f"{at}.enddate", f"{enddate} is before begndate {begndate}")
            made = self.made(c, at, begndate, clock)
            stas, stop = self.status(c, at, made)
            ide_date = self.day(c, "hosp_ide_date", at, required=False) or made
            ide_no = self.text(c, "ide_fixmedins_no", at, "", limit=30)
            if ide_no and ide_no not in world.institutions:
                self.fail(f"{at}.ide_fixmedins_no", f"{ide_no} is not an institution of the world")
            for other in rows:
                if other["opsp_dise_code"] == code and other["insutype"] == insutype and stas == Status.ACTIVE == (
                        other["fil_stas"]):  # fmt: skip
                    self.fail(f"{at}.opsp_dise_code", f"{code} is already filed active for {person.psn_no} "
                              f"({other['trt_dcla_detl_sn']})")  # fmt: skip
            rows.append(
                {
                    "trt_dcla_detl_sn": self.sn(c, at, insuplc, made),
                    "psn_no": person.psn_no,
                    "insutype": insutype,
                    "opsp_dise_code": code,
                    "opsp_dise_name": self.text(c, "opsp_dise_name", at, limit=300),
                    "begndate": begndate.isoformat(),
                    "enddate": _iso(enddate),
                    "crte_date": made.isoformat(),
                    "fil_stas": stas,
                    "stop_date": _iso(stop),
                    "ide_fixmedins_no": ide_no,
                    "ide_fixmedins_name": self.text(c, "ide_fixmedins_name", at, "", limit=200)
                    or (world.institutions[ide_no].fixmedins_name if ide_no else ""),
                    "hosp_ide_date": ide_date.isoformat(),
                    "memo": self.text(c, "memo", at, "", limit=500),
                    "filed_by": FILED_BY,
                    "msgid": "",
                    "request": json.dumps(c, ensure_ascii=False, sort_keys=True).encode(),
                }
            )
        return rows


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _listed(names: dict[str, str]) -> str:
    return ", ".join(f"{code} ({name})" for code, name in names.items())


# ---- writing


def clear(tx: Tx) -> None:
    """Every row a session's calls may have written, so the state can be installed again (reset). The journal
    goes too: its chains start again from their first row (src/yibao/storage/journal_chain.py)."""
    for table in reversed(t.metadata.sorted_tables):
        if table not in (t.meta, t.journal_head):
            tx.conn.execute(delete(table))
    restart_chains(tx.conn)


def install(tx: Tx, world: World, state: SuiteState) -> None:
    """Write `state` into an empty store: an account for every person of the world, then the state's rows."""
    balances = {p.psn_no: p.account_balance for p in world.persons.values()}
    for ps in state.persons.values():
        if ps.account_balance is not None:
            balances[ps.psn_no] = ps.account_balance
    tx.conn.execute(insert(t.person_state), [{"psn_no": p, "acct_balc_fen": to_fen(b)} for p, b in balances.items()])
    accumulators = [
        {"psn_no": ps.psn_no, "year": year, "acc_key": key, "amount_fen": to_fen(amount)}
        for ps in state.persons.values()
        for year, key, amount in ps.accumulators
    ]
    filings = [row for ps in state.persons.values() for row in ps.filings]
    chronic = [row for ps in state.persons.values() for row in ps.chronic_filings]
    for table, rows in ((t.accumulator, accumulators), (t.filing, filings), (t.chronic_filing, chronic)):
        if rows:
            tx.conn.execute(insert(table), rows)
