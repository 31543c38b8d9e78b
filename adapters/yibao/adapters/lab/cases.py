"""Case suites as data (docs/lab.md, "Case suites"): cards for a person at a HIS terminal, machine-readable for a
scripted HIS, checked with the JSON path and the rule of every problem.

A case suite is `src/yibao/world/suites/<name>.cases.json`, beside the suite's initial state `<name>.json`: a lab
session opened with `--suite <name>` gets that state and these cases. Each case names one test person (a person
belongs to one case of a suite, so the session's transcript is attributed to cases by psn_no), the steps at the
terminal in order, the refusals a step must meet, and the outcome: settlements in force at the end, the amounts of
the settlement to the fen (worked out by hand in `why`) and the personal account's balance.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from importlib import resources
from typing import Any, NoReturn

from yibao.adapters.lab.clock import ClockError, advance, parse_set_point
from yibao.domain.world import PHARMACY, World
from yibao.errors import CATALOGUE
from yibao.v1.settlement_pb2 import SetlInfo

SUITES = "suites"
SUFFIX = ".cases.json"
CASE_ID = re.compile(r"^[A-Z]{2,4}-[0-9]{2}$")
REQUIREMENT = re.compile(r"^(README\.md|ARCHITECTURE\.md|docs/[A-Za-z0-9_-]+\.md)(#[^\sA-Z:#]+)?(: .+)?$")
MONEY = re.compile(r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$")
COUNT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,4})?$")
BATCH = re.compile(r"^[A-Za-z0-9]{1,10}$")
CERTS = ("01", "02", "03")
HOSPITAL_KINDS = ("outpatient",)
KINDS = ("outpatient", "pharmacy", "inpatient")
MED_TYPES = {"outpatient": ("11", "12", "13", "14", "19"), "pharmacy": ("41",), "inpatient": ("21",)}
AMOUNT_FIELDS = tuple(
    f.name
    for f in SetlInfo.DESCRIPTOR.fields
    if f.name.endswith(("_amt", "_pay", "_sumamt", "_selfpay")) or f.name in ("act_pay_dedc", "balc")
)

# What each step does at the terminal: its transaction, the kinds of case it belongs to, and its keys.
STEP_INFNO = {
    "sign_in": "9001",
    "sign_out": "9002",
    "identify": "1101",
    "register": "2201",
    "cancel_registration": "2202",
    "visit_info": "2203",
    "upload_fees": "2204",
    "cancel_fees": "2205",
    "pre_settle": "2206",
    "settle": "2207",
    "cancel_settlement": "2208",
    "cancel_prior": "2208",  # the settlement the suite's state made before the session for this case (docs/lab.md)
    "pre_settle_sale": "2101",
    "settle_sale": "2102",
    "cancel_sale": "2103",
    "admit": "2401",  # a stay: admission, fee batches (2301), discharge, pre-settlement, settlement, its cancellation
    "upload_stay_fees": "2301",
    "discharge": "2402",
    "pre_settle_stay": "2303",  # mid-stay (中途结算, mid_setl_flag 1) while the patient is not discharged
    "settle_stay": "2304",
    "cancel_stay_settlement": "2305",  # the stay's latest settlement in force
    "query_settlement": "5203",
    "query_message": "Y5203",  # what became of the previous message, by its msgid (after an uncertain outcome)
    "reverse": "2601",  # reverse the previous message, by its msgid
    "resend": "",  # the previous message again, byte for byte (same msgid), as after a timeout
    "clock": "",  # the lab sets or advances the session's clock (no message: the lab's operator API)
    "clear": "",  # the lab, as its sandbox's operator, clears a month across regions (Y3270 through the operator API)
    "file_chronic": "2503",  # chronic and special disease filing (门诊慢特病备案): `disease`
    "file_designation": "2505",  # cross-region filing (异地就医备案): `fil_type`, `place`, `commitment`
    "change_filing": "Y2505",  # the case's latest filing changed: `fil_type` and/or `place`
    "revoke_filing": "2506",  # the case's latest filing revoked
    "review_commitment": "Y2506",  # the agency's review of a commitment's material: `material` 1 or 2
    "query_filings": "5302",  # the person's cross-region filings
    "refund_items": "Y2208",  # partial refund of a settled batch: `codes` of the items returned
    "reconcile_totals": "3201",  # the terminal's books of the day against the platform's, totals
    "reconcile_details": "3202",  # and record by record
}
STEP_KINDS = {
    **{
        s: KINDS
        for s in (
            "sign_in",
            "sign_out",
            "identify",
            "query_settlement",
            "query_message",
            "reverse",
            "resend",
            "clock",
            "clear",
        )
    },
    **{
        s: ("outpatient",)
        for s in (
            "register",
            "cancel_registration",
            "visit_info",
            "upload_fees",
            "cancel_fees",
            "pre_settle",
            "settle",
            "cancel_settlement",
            "cancel_prior",
        )
    },
    **{s: ("pharmacy",) for s in ("pre_settle_sale", "settle_sale", "cancel_sale")},
    **{
        s: ("outpatient", "inpatient")
        for s in ("file_chronic", "file_designation", "change_filing", "revoke_filing", "review_commitment")
    },
    **{s: KINDS for s in ("query_filings", "reconcile_totals", "reconcile_details")},
    "refund_items": ("outpatient",),
    **{
        s: ("inpatient",)
        for s in ("admit", "upload_stay_fees", "discharge", "pre_settle_stay", "settle_stay", "cancel_stay_settlement")
    },
}
STEP_KEYS = {
    "identify": ("certificate",),
    "upload_fees": ("batch", "items"),
    "upload_stay_fees": ("batch", "items"),
    "cancel_fees": ("batch",),
    "pre_settle": ("batch",),
    "settle": ("batch",),
    "cancel_settlement": ("batch",),
    "pre_settle_sale": ("items",),
    "settle_sale": ("items",),
    "query_settlement": ("batch",),
    "clock": ("set", "advance"),
    "clear": ("month",),
    "file_chronic": ("disease",),
    "file_designation": ("fil_type", "place", "commitment"),
    "change_filing": ("fil_type", "place"),
    "review_commitment": ("material",),
    "refund_items": ("batch", "codes"),
}
WITH_ITEMS = ("upload_fees", "upload_stay_fees", "pre_settle_sale", "settle_sale")
PAYS = ("pre_settle", "settle", "pre_settle_sale", "settle_sale", "pre_settle_stay", "settle_stay")
NEEDS_BATCH = ("cancel_fees", "pre_settle", "settle", "cancel_settlement", "query_settlement", "refund_items")
TOP_KEYS = ("about", "institution", "cases")
CASE_KEYS = (
    "id",
    "title",
    "requirement",
    "person",
    "kind",
    "insutype",
    "certificate",
    "med_type",
    "diagnosis",
    "use_account",
    "terminal",
    "steps",
    "outcome",
    "expect",
)
EXPECT_KEYS = ("settlements", "settlement", "cancellation", "refund", "balance", "why")
ITEM_KEYS = ("code", "name", "cnt", "pric")
DEFAULT_DIAGNOSIS = ("J06.900", "急性上呼吸道感染")
# Faults a step may declare (docs/lab.md, "Injected faults"; adapters/yibao/adapters/lab/faults.py), and the refusal a
# refusing fault answers with, which the step then expects.
FAULT_KINDS = (
    "reply-lost",
    "reply-delayed",
    "dropped",
    "region-maintenance",
    "region-unreachable",
    "duplicate-msgid",
    "core-busy",
    "account-emptied",
)
FAULT_REFUSES = {
    "region-maintenance": "REGION_MAINTENANCE",
    "region-unreachable": "REGION_UNREACHABLE",
    "duplicate-msgid": "ENV_MSGID_REUSED",
    "core-busy": "GATEWAY_BUSY",
}
FAULT_KEYS = ("kind", "deadline", "hold", "note")
# a resend repeats the last step that is not one of these
QUERIES = ("query_message", "query_settlement", "query_filings", "reconcile_totals", "reconcile_details")
FIL_TYPES = ("11", "12", "13", "19", "21", "22", "23", "31")  # docs/lab.md, "State files": filings[].fil_type
ADMDVS = re.compile(r"^[0-9]{6}$")
SETLYM = re.compile(r"^20[0-9]{2}(0[1-9]|1[0-2])$")
LAB_STEPS = ("clock", "clear")  # steps the lab does through its operator API: the terminal sends no message
NO_FAULT = (
    "sign_in",
    "sign_out",
    "identify",
    "resend",
    "query_message",
    "reverse",
    "clock",
    "clear",
)  # steps whose message names no person, or repeats one, or that send none


class CaseFormatError(ValueError):
    """A case suite that cannot be used: `<suite>: <JSON path>: <rule>`."""


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str
    cnt: str
    pric: str

    @property
    def total(self) -> Decimal:
        return (Decimal(self.cnt) * Decimal(self.pric)).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Fault:
    """A fault injected into the step's message (faults.py): `deadline`, how long the terminal waits for a reply
    (seconds); `hold`, how long the platform holds a delayed reply when the call carries no deadline (HTTP)."""

    kind: str
    deadline: float = 2.0
    hold: float = 6.0

    @property
    def refuses(self) -> str:
        return FAULT_REFUSES.get(self.kind, "")


@dataclass(frozen=True, slots=True)
class Step:
    do: str
    infno: str  # the transaction it sends ("" for resend: the previous step's)
    batch: str = ""
    items: tuple[Item, ...] = ()
    certificate: str = ""
    refused: str = ""  # the catalogue code the step must be refused with ("" = it must be accepted)
    refused_field: str = ""
    fault: Fault | None = None
    clock_set: str = ""  # a clock step: the time the lab sets (yyyy-MM-ddTHH:mm[:ss])
    clock_advance: str = ""  # a clock step: how far the lab moves the clock on ("6mo", "1d")
    options: tuple[tuple[str, str], ...] = ()  # a filing or refund step's own keys: fil_type, place, codes, …

    def option(self, key: str) -> str:
        return dict(self.options).get(key, "")

    @property
    def sends(self) -> bool:
        """False for a step the lab does rather than the terminal (clock, clear): no message goes out."""
        return self.do not in LAB_STEPS


@dataclass(frozen=True, slots=True)
class Expect:
    settlements: int
    settlement: dict[str, str] = field(default_factory=dict)
    cancellation: dict[str, str] = field(default_factory=dict)
    balance: str = ""
    refund: dict[str, str] = field(default_factory=dict)  # the person's latest refund record, whichever it undid
    why: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    suite: str
    id: str
    title: str
    requirement: tuple[str, ...]
    person: str
    kind: str
    insutype: str
    certificate: str
    med_type: str
    diagnosis: tuple[str, str]
    use_account: bool
    terminal: str
    steps: tuple[Step, ...]
    outcome: str
    expect: Expect

    def sent(self) -> list[tuple[int, Step, str]]:
        """(index, step, infno) of every step, a resend carrying the infno of the step it repeats: the last before it
        that is not a query."""
        out: list[tuple[int, Step, str]] = []
        repeats = ""
        for n, step in enumerate(self.steps):
            if not step.sends:
                continue
            out.append((n, step, step.infno or repeats))
            if step.do not in QUERIES:
                repeats = out[-1][2]
        return out


@dataclass(frozen=True, slots=True)
class CaseSuite:
    name: str
    about: str
    institution: str
    cases: tuple[Case, ...]

    def case(self, case_id: str) -> Case:
        return next(c for c in self.cases if c.id == case_id)


# ---- finding case suites


def builtin_case_suites() -> list[str]:
    folder = resources.files("yibao.world").joinpath(SUITES)
    return sorted(p.name.removesuffix(SUFFIX) for p in folder.iterdir() if p.name.endswith(SUFFIX))


def read_builtin(name: str) -> Any:
    if name not in builtin_case_suites():
        raise CaseFormatError(
            f"{name[:60]!r}: no built-in case suite of that name (built in: "
            f"{', '.join(builtin_case_suites()) or 'none'})"
        )
    text = resources.files("yibao.world").joinpath(SUITES, f"{name}{SUFFIX}").read_text("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CaseFormatError(f"{name}{SUFFIX}: not valid JSON: {e}") from None


def load_builtin(name: str, world: World | None = None) -> CaseSuite:
    return parse_suite(read_builtin(name), name, world)


def load_all(world: World | None = None) -> list[CaseSuite]:
    return [load_builtin(name, world) for name in builtin_case_suites()]


def run_order(suites: list[CaseSuite]) -> list[CaseSuite]:
    """The order to run a session's suites in, so that one whose cards move the lab clock never leaves a later suite
    at the wrong date (docs/lab.md, "Case suites"): the suites that keep the clock first, as given; then those that
    set it, by the latest time they set (refunds: to 4 January 2027); then those that only advance it (filings), as
    given. A card's clock step then never takes the clock back, and a suite reading this year's deductibles runs
    before the year turns."""
    setting = {s.name: max((st.clock_set for c in s.cases for st in c.steps), default="") for s in suites}
    moving = {s.name for s in suites for c in s.cases for st in c.steps if st.do == "clock"}

    def key(suite: CaseSuite) -> tuple[int, str]:
        if suite.name not in moving:
            return 0, ""
        return (1, setting[suite.name]) if setting[suite.name] else (2, "")

    return sorted(suites, key=key)  # stable: suites of one rank keep the order given


# ---- checking


def parse_suite(raw: Any, name: str, world: World | None = None) -> CaseSuite:
    """A case suite from its JSON; with `world`, persons, institution, certificates and catalogue codes are checked
    against it too. Raises CaseFormatError naming the first problem's JSON path and rule."""
    return _Checker(f"{name}{SUFFIX}", world).suite(raw, name)


class _Checker:
    def __init__(self, source: str, world: World | None) -> None:
        self.source, self.world = source, world

    def fail(self, path: str, why: str) -> NoReturn:
        raise CaseFormatError(f"{self.source}: {path}: {why}" if path else f"{self.source}: {why}")

    def object(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"must be a JSON object, not {type(value).__name__}")
        return value

    def keys(self, obj: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in obj:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else key, f"unknown key; allowed here: {', '.join(allowed)}")

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True, limit: int = 2000) -> str:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if required:
                self.fail(where, "is required")
            return ""
        value = obj[key]
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, "must be a non-empty string")
        if len(value) > limit:
            self.fail(where, f"at most {limit} characters")
        return value

    def money(self, value: Any, where: str, *, negative: bool = False) -> str:
        if not isinstance(value, str) or not MONEY.match(value) or (value.startswith("-") and not negative):
            self.fail(
                where,
                'an amount in yuan is a string with exactly 2 decimals, e.g. "12.50"'
                + ("" if negative else ", not negative"),
            )
        return value

    def suite(self, raw: Any, name: str) -> CaseSuite:
        top = self.object(raw, "")
        self.keys(top, "", TOP_KEYS)
        about = self.text(top, "about", "", required=False)
        institution = self.text(top, "institution", "", limit=30)
        kind = "outpatient"
        if self.world is not None:
            inst = self.world.institutions.get(institution)
            if inst is None:
                self.fail("institution", f"{institution} is not an institution of the world")
            kind = "pharmacy" if inst.fixmedins_type == PHARMACY else "outpatient"
        cases = top.get("cases")
        if not isinstance(cases, list) or not cases:
            self.fail("cases", "is required: a non-empty list of cases")
        parsed: list[Case] = []
        seen_ids: dict[str, str] = {}
        seen_persons: dict[str, str] = {}
        for n, raw_case in enumerate(cases):
            path = f"cases[{n}]"
            case = self.case(raw_case, path, name, institution)
            if self.world is not None and (case.kind == "pharmacy") != (kind == "pharmacy"):
                self.fail(
                    f"{path}.kind",
                    f"a {case.kind} case cannot be run at {institution}, a "
                    f"{'pharmacy' if kind == 'pharmacy' else 'hospital'}",
                )
            if case.id in seen_ids:
                self.fail(f"{path}.id", f"{case.id} is already the id of {seen_ids[case.id]}")
            if case.person in seen_persons:
                self.fail(
                    f"{path}.person",
                    f"the person is already the person of case {seen_persons[case.person]}: "
                    "a person belongs to one case of a suite, so the transcript can be attributed",
                )
            seen_ids[case.id] = path
            seen_persons[case.person] = case.id
            parsed.append(case)
        return CaseSuite(name, about, institution, tuple(parsed))

    def case(self, raw: Any, path: str, suite: str, institution: str) -> Case:
        c = self.object(raw, path)
        self.keys(c, path, CASE_KEYS)
        case_id = self.text(c, "id", path, limit=10)
        if not CASE_ID.match(case_id):
            self.fail(f"{path}.id", "2 to 4 capital letters, a hyphen and 2 digits, e.g. OP-01")
        title = self.text(c, "title", path, limit=200)
        requirement = self.requirement(c.get("requirement"), f"{path}.requirement")
        person = self.text(c, "person", path, limit=30)
        kind = self.text(c, "kind", path, required=False) or "outpatient"
        if kind not in KINDS:
            self.fail(f"{path}.kind", f"one of {', '.join(KINDS)}")
        insutype = self.text(c, "insutype", path, required=False, limit=6)
        certificate = self.text(c, "certificate", path, required=False) or "01"
        if certificate not in CERTS:
            self.fail(f"{path}.certificate", "01 electronic voucher, 02 ID card or 03 social security card")
        if self.world is not None:
            p = self.world.persons.get(person)
            if p is None:
                self.fail(f"{path}.person", f"{person[:30]} is not a person of the world")
            insured = [i.insutype for i in p.insurances]
            if insutype and insutype not in insured:
                self.fail(f"{path}.insutype", f"the person is insured under {', '.join(insured)}")
            if not insutype and len(insured) > 1:
                self.fail(f"{path}.insutype", f"required: the person has several insurances ({', '.join(insured)})")
            insutype = insutype or insured[0]
            held = {"01": p.ec_token, "02": p.certno, "03": p.card_no}
            if not held[certificate]:
                self.fail(f"{path}.certificate", f"the person holds no certificate of type {certificate}")
        med_type = self.text(c, "med_type", path, required=False) or MED_TYPES[kind][0]
        if med_type not in MED_TYPES[kind]:
            self.fail(f"{path}.med_type", f"a {kind} case settles as {', '.join(MED_TYPES[kind])}")
        diagnosis = c.get("diagnosis", list(DEFAULT_DIAGNOSIS))
        if not (
            isinstance(diagnosis, list) and len(diagnosis) == 2 and all(isinstance(d, str) and d for d in diagnosis)
        ):
            self.fail(f"{path}.diagnosis", '[code, name], e.g. ["J06.900", "急性上呼吸道感染"]')
        use_account = c.get("use_account", True)
        if not isinstance(use_account, bool):
            self.fail(f"{path}.use_account", "true or false")
        terminal = self.text(c, "terminal", path)
        steps = self.steps(c.get("steps"), f"{path}.steps", kind, institution)
        outcome = self.text(c, "outcome", path)
        expect = self.expect(c.get("expect"), f"{path}.expect")
        return Case(
            suite,
            case_id,
            title,
            requirement,
            person,
            kind,
            insutype,
            certificate,
            med_type,
            (diagnosis[0], diagnosis[1]),
            use_account,
            terminal,
            steps,
            outcome,
            expect,
        )

    def requirement(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, "is required: a non-empty list of the requirements the case covers")
        for n, r in enumerate(value):
            if not isinstance(r, str) or not REQUIREMENT.match(r):
                self.fail(
                    f"{path}[{n}]",
                    "a section of this repository's documents: \"docs/behaviour.md#anchor: what it "
                    'says" or "docs/<name>.md#anchor: …"',
                )
        return tuple(value)

    def steps(self, value: Any, path: str, kind: str, institution: str) -> tuple[Step, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, "is required: a non-empty list of steps")
        steps: list[Step] = []
        batches: set[str] = set()
        for n, raw in enumerate(value):
            where = f"{path}[{n}]"
            s = self.object(raw, where)
            do = s.get("do")
            if do not in STEP_INFNO:
                self.fail(f"{where}.do", f"one of {', '.join(STEP_INFNO)}")
            if kind not in STEP_KINDS[do]:
                self.fail(f"{where}.do", f"{do} is not a step of a {kind} case")
            if do in LAB_STEPS:  # the lab's step: no message, so no expected refusal and no fault
                self.keys(s, where, ("do", *STEP_KEYS[do]))
                steps.append(self.clock_step(s, where) if do == "clock" else self.clear_step(s, where))
                continue
            self.keys(s, where, ("do", "expect", "fault", *STEP_KEYS.get(do, ())))
            if do in ("resend", "query_message", "reverse") and not [
                x for x in steps if x.do not in QUERIES and x.sends
            ]:
                self.fail(f"{where}.do", f"a {do} is about the message of the step before it: it cannot come first")
            refused, refused_field = self.refusal(s.get("expect"), f"{where}.expect")
            fault = None
            if "fault" in s:
                fault = self.fault(s["fault"], f"{where}.fault", do, [st.do for st in steps], refused)
                refused = refused or fault.refuses
            batch = ""
            if do in ("upload_fees", "upload_stay_fees", *NEEDS_BATCH):
                batch = s.get("batch", "1")
                if not isinstance(batch, str) or not BATCH.match(batch):
                    self.fail(f"{where}.batch", "the charge batch's label: 1 to 10 letters or digits")
                if do in NEEDS_BATCH and batch not in batches:
                    self.fail(f"{where}.batch", f"no upload_fees step before this one uploads batch {batch}")
            items: tuple[Item, ...] = ()
            if do in WITH_ITEMS:
                items = self.items(s.get("items"), f"{where}.items", institution, refused)
                if do == "upload_fees" and not refused:
                    batches.add(batch)
            options = self.options(s, where, do, batch, steps)
            certificate = ""
            if do == "identify":
                certificate = s.get("certificate", "")
                if certificate and certificate not in CERTS:
                    self.fail(f"{where}.certificate", "01, 02 or 03")
            steps.append(
                Step(do, STEP_INFNO[do], batch, items, certificate, refused, refused_field, fault, options=options)
            )
        return tuple(steps)

    def options(
        self, s: dict[str, Any], where: str, do: str, batch: str, before: list[Step]
    ) -> tuple[tuple[str, str], ...]:
        """The keys of a filing, review or partial-refund step, checked; as (key, text) pairs."""
        out: list[tuple[str, str]] = []
        if do == "file_designation":
            if s.get("fil_type") not in FIL_TYPES:
                self.fail(f"{where}.fil_type", f"is required: one of {', '.join(FIL_TYPES)}")
            out.append(("fil_type", s["fil_type"]))
        if do == "change_filing":
            if "fil_type" not in s and "place" not in s:
                self.fail(where, "a change gives the new fil_type, the new place, or both")
            if "fil_type" in s and s["fil_type"] not in FIL_TYPES:
                self.fail(f"{where}.fil_type", f"one of {', '.join(FIL_TYPES)}")
            out += [("fil_type", s["fil_type"])] if "fil_type" in s else []
        if do == "file_designation" or (do == "change_filing" and "place" in s):
            place = s.get("place")
            if not isinstance(place, str) or not ADMDVS.match(place):
                self.fail(f"{where}.place", "the region filed to (mdtrtarea_admdvs): 6 digits, e.g. 110000")
            out.append(("place", place))
        if "commitment" in s:
            if not isinstance(s["commitment"], bool):
                self.fail(f"{where}.commitment", "true (承诺制, cmtm_flag 1) or false")
            out.append(("commitment", "1" if s["commitment"] else "0"))
        if do in ("change_filing", "revoke_filing", "review_commitment") and not [
            x for x in before if x.do in ("file_designation", "change_filing") and not x.refused
        ]:
            self.fail(f"{where}.do", f"a {do} is about the case's filing: a file_designation step comes first")
        if do == "review_commitment":
            if s.get("material") not in ("1", "2"):
                self.fail(f"{where}.material", 'is required: "1" material supplied, "2" material false')
            out.append(("material", s["material"]))
        if do == "file_chronic":
            disease = s.get("disease")
            if not (isinstance(disease, list) and len(disease) == 2 and all(isinstance(d, str) and d for d in disease)):
                self.fail(f"{where}.disease", 'is required: [opsp_dise_code, opsp_dise_name], e.g. ["M03900", "…"]')
            out += [("code", disease[0]), ("name", disease[1])]
        if do == "refund_items":
            billed = {i.code for x in before if x.do == "upload_fees" and x.batch == batch for i in x.items}
            codes = s.get("codes")
            if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
                self.fail(f"{where}.codes", "is required: the codes of the batch's items the patient returns")
            for n, code in enumerate(codes):
                if code not in billed:
                    self.fail(f"{where}.codes[{n}]", f"{code[:50]} is not an item of batch {batch}")
            out.append(("codes", ",".join(codes)))
        return tuple(out)

    def clock_step(self, s: dict[str, Any], where: str) -> Step:
        """The lab moves the session's clock (docs/lab.md, "Case suites"): `set` a time, `advance` by an amount, or
        both (set, then advance)."""
        if "set" not in s and "advance" not in s:
            self.fail(where, 'a clock step sets the time ("set": "2026-12-31T16:00") or moves it ("advance": "6mo")')
        when, by = s.get("set", ""), s.get("advance", "")
        try:
            point = parse_set_point(when) if "set" in s else datetime(2026, 1, 1)
        except ClockError as e:
            self.fail(f"{where}.set", str(e))
        if "advance" in s:
            try:
                advance(point, by)
            except ClockError as e:
                self.fail(f"{where}.advance", str(e))
        return Step("clock", "", clock_set=when, clock_advance=by)

    def clear_step(self, s: dict[str, Any], where: str) -> Step:
        """The lab clears a month across regions on the session's sandbox (docs/lab.md, "Case suites"), as the
        platform's operator does with Y3270: `month` is the setlym, yyyyMM."""
        month = s.get("month")
        if not isinstance(month, str) or not SETLYM.match(month):
            self.fail(f"{where}.month", 'is required: the month to clear (setlym), yyyyMM as a string, e.g. "202701"')
        return Step("clear", "", options=(("month", month),))

    def fault(self, value: Any, path: str, do: str, before: list[str], refused: str) -> Fault:
        f = self.object(value, path)
        self.keys(f, path, FAULT_KEYS)
        kind = self.text(f, "kind", path, limit=40)
        if kind not in FAULT_KINDS:
            self.fail(f"{path}.kind", f"one of {', '.join(FAULT_KINDS)}")
        if do in NO_FAULT:
            self.fail(path, f"a fault is bound to a message naming the case's person: not to a {do} step")
        if do in before:
            self.fail(
                path, f"a fault meets the person's first {STEP_INFNO[do]}: put it on the first {do} step of the case"
            )
        if kind == "account-emptied" and do not in PAYS:
            self.fail(f"{path}.kind", f"account-emptied is for a step that pays: {', '.join(PAYS)}")
        if refused and refused != FAULT_REFUSES.get(kind, ""):
            instead = "leave expect out" if kind not in FAULT_REFUSES else f"expect {FAULT_REFUSES[kind]}"
            self.fail(path, f"the step expects {refused}, which a {kind} fault does not answer; {instead}")
        seconds = {}
        for key, default in (("deadline", 2.0), ("hold", 6.0)):
            v = f.get(key, default)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0.5 <= v <= 30:
                self.fail(f"{path}.{key}", "seconds, a number from 0.5 to 30")
            seconds[key] = float(v)
        if ("deadline" in f or "hold" in f) and kind != "reply-delayed":
            self.fail(path, "deadline and hold are for a reply-delayed fault")
        if seconds["hold"] <= seconds["deadline"]:
            self.fail(
                f"{path}.hold", f"the reply is held past the terminal's deadline: more than {seconds['deadline']:g}"
            )
        return Fault(kind, seconds["deadline"], seconds["hold"])

    def refusal(self, value: Any, path: str) -> tuple[str, str]:
        if value is None:
            return "", ""
        e = self.object(value, path)
        self.keys(e, path, ("refused", "field"))
        code = self.text(e, "refused", path, limit=40)
        if code not in CATALOGUE:
            self.fail(f"{path}.refused", f"{code[:40]} is not a code of the error catalogue (docs/errors.md)")
        return code, self.text(e, "field", path, required=False, limit=200)

    def items(self, value: Any, path: str, institution: str, refused: str) -> tuple[Item, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, "is required: a non-empty list of {code, name, cnt, pric}")
        catalogue = None
        if self.world is not None:
            catalogue = self.world.regions[self.world.institutions[institution].admdvs].catalogue
        items = []
        for n, raw in enumerate(value):
            where = f"{path}[{n}]"
            i = self.object(raw, where)
            self.keys(i, where, ITEM_KEYS)
            code = self.text(i, "code", where, limit=50)
            name = self.text(i, "name", where, limit=100)
            if catalogue is not None and code not in catalogue and refused != "FEE_NOT_IN_CATALOGUE":
                self.fail(
                    f"{where}.code",
                    f"{code} is not in the treatment place's catalogue (only a step that "
                    'expects {"refused": "FEE_NOT_IN_CATALOGUE"} may bill it)',
                )
            cnt = i.get("cnt")
            if not isinstance(cnt, str) or not COUNT.match(cnt) or Decimal(cnt) == 0:
                self.fail(f"{where}.cnt", 'a positive quantity as a string, e.g. "2" or "0.5"')
            pric = self.money(i.get("pric"), f"{where}.pric")
            items.append(Item(code, name, cnt, pric))
        return tuple(items)

    def expect(self, value: Any, path: str) -> Expect:
        e = self.object(value, path)
        self.keys(e, path, EXPECT_KEYS)
        settlements = e.get("settlements")
        if not isinstance(settlements, int) or isinstance(settlements, bool) or settlements < 0:
            self.fail(
                f"{path}.settlements",
                "is required: how many of the person's settlements are in force at the "
                "end, a whole number (0 after a cancellation)",
            )
        amounts = {}
        for key in ("settlement", "cancellation", "refund"):
            raw = e.get(key, {})
            obj = self.object(raw, f"{path}.{key}")
            for name, v in obj.items():
                if name not in AMOUNT_FIELDS:
                    self.fail(f"{path}.{key}.{name}", f"not an amount of setlinfo; one of {', '.join(AMOUNT_FIELDS)}")
                self.money(v, f"{path}.{key}.{name}", negative=True)
            amounts[key] = dict(obj)
        balance = self.money(e["balance"], f"{path}.balance") if "balance" in e else ""
        why = self.text(e, "why", path, required=bool(any(amounts.values()) or balance))
        return Expect(settlements, amounts["settlement"], amounts["cancellation"], balance, amounts["refund"], why=why)


# ---- coverage


def coverage(
    suites: list[CaseSuite],
    transactions: dict[str, str],
    codes: list[str],
    fields: dict[str, dict[str, list[str]]] | None = None,
) -> dict[str, Any]:
    """Which transactions (infno → national name), input fields (per transaction: `fields`, from
    field_coverage.py) and error codes the cases exercise, and which none does."""
    used: dict[str, list[str]] = {}
    refused: dict[str, list[str]] = {}
    for suite in suites:
        for case in suite.cases:
            ref = f"{suite.name}/{case.id}"
            for _, step, infno in case.sent():
                if infno and ref not in used.setdefault(infno, []):
                    used[infno].append(ref)
                if step.refused and ref not in refused.setdefault(step.refused, []):
                    refused[step.refused].append(ref)
    if any(suite.cases for suite in suites):  # every session signs in first
        used.setdefault("9001", ["(every session)"])
    return {
        "suites": [s.name for s in suites],
        "cases": sum(len(s.cases) for s in suites),
        "transactions": {
            "covered": [{"infno": i, "name": n, "cases": used[i]} for i, n in transactions.items() if i in used],
            "uncovered": [{"infno": i, "name": n} for i, n in transactions.items() if i not in used],
        },
        "fields": fields or {},
        "error_codes": {
            "covered": [{"code": c, "cases": refused[c]} for c in codes if c in refused],
            "uncovered": [c for c in codes if c not in refused],
        },
    }
