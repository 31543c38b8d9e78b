"""Automatic verdicts from a session's transcript (docs/lab.md, "Verdicts"): a pure function of the case suites, the
journal rows of the session's sandbox and its final state — no store, no clock, no network — so every rule is
unit-testable with hand-made rows.

A case's transcript is the session's messages about its person (the journal's psn_no; a 1101 by the certificate it
asks about; a sign-in or sign-out by the person message that follows it, when the case has such a step). Each case
is judged on:

- its steps: every step's transaction, in the card's order, accepted — or refused with the code the card names, or
  replayed for a resend;
- every message against the interface: msgid format, institution and uniqueness, a live sign-in, insuplc_admdvs as
  the person's 1101 gave it, required input fields and code values;
- the order of transactions: 2206 before 2207 for the batch, a settlement never sent again under a new msgid, a
  settlement cancelled once;
- the final state: the settlements in force, the amounts of the settlement and its cancellation to the fen, the
  personal account's balance.

Pass, fail (each finding names the msgid, the field, the rule, expected and actual), skip (no message about the
person yet) or error (the transcript cannot be read, or the session is not one the suite was written for).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from google.protobuf.message import DecodeError, Message

from yibao.adapters.lab.cases import AMOUNT_FIELDS, FAULT_REFUSES, QUERIES, Case, CaseSuite
from yibao.adapters.lab.faults import UNCERTAIN as UNCERTAIN_KINDS
from yibao.adapters.lab.faults import Fired
from yibao.domain.world import World
from yibao.gateway.envelope import MSGID
from yibao.transactions import transactions
from yibao.v1.envelope_pb2 import ErrorDetail

# The rules a finding names, with the section of this repository that states them.
ENVELOPE = "docs/behaviour.md#behaviour-a-his-can-rely-on (Envelope rules)"
IDEMPOTENCY = "docs/behaviour.md#behaviour-a-his-can-rely-on (Idempotency by msgid)"
UNCERTAIN = "docs/behaviour.md#uncertain-outcomes-y5203-and-2601-冲正 (The HIS recovery rule)"
CHOICES = "docs/behaviour.md#choices-where-the-reference-is-silent"
LAB = "docs/lab.md#what-a-verdict-checks"
REGION = "docs/behaviour.md#region-availability"
RECON = "docs/behaviour.md#reconciliation-3201--3202"
RULES = {
    "step": ("the card's steps, in order, with the outcome the card names", LAB),
    "refused": ("a message the card does not expect to be refused was refused", "docs/errors.md"),
    "msgid-format": ("msgid = fixmedins_code (12) + yyyyMMddHHmmss + 4 digits", ENVELOPE),
    "msgid-institution": ("msgid starts with the sender's fixmedins_code", ENVELOPE),
    "msgid-reused": ("one msgid, one message: a new message needs a new msgid", IDEMPOTENCY),
    "sign-in": ("sign in with 9001 first; every later message carries a sign_no not signed out", ENVELOPE),
    "insuplc-from-1101": ("insuplc_admdvs is the person's insured place as 1101 answered it", ENVELOPE),
    "required": ("a field the transaction requires is empty", LAB),
    "code-value": ("a code field holds a value of its code list", LAB),
    "presettle-first": (
        "2206 pre-settles the charge batch before 2207 settles it (2303 the stay before 2304)",
        LAB,
    ),
    "settle-once": (
        "after a settlement with an uncertain outcome resend the same msgid or query it (Y5203); "
        "never settle again under a new msgid while the first stands (not cancelled, not reversed with 2601)",
        UNCERTAIN,
    ),
    "cancel-once": ("a settlement is cancelled once", CHOICES),
    "uncertain-outcome": (
        "after a call with an uncertain outcome (no reply, a lost reply, a timeout) resend the same msgid, or query it "
        "(Y5203) or reverse it (2601) first; never send the business again under a new msgid",
        UNCERTAIN,
    ),
    "region-down": (
        "after a REGION_MAINTENANCE or REGION_UNREACHABLE refusal, carry on with the visit only once the refused "
        "message is carried out (sent again when the region is back), never as if it had been",
        REGION,
    ),
    "reconciled": (
        "the terminal's books of the day agree with the platform's (3201 stmt_rslt 0, 3202 no record that differs)",
        RECON,
    ),
    "settlements": ("the settlements in force for the person at the end", LAB),
    "amount": ("the amounts to the fen, as computed by hand in the case's why", LAB),
    "balance": ("the personal account's balance at the end", LAB),
}

# Input fields a transaction requires, by node ("[]": every element of a list), and code lists (docs/lab.md).
REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "1101": {"data": ("mdtrt_cert_type", "mdtrt_cert_no")},
    "2201": {
        "data": (
            "psn_no",
            "insutype",
            "begntime",
            "mdtrt_cert_type",
            "mdtrt_cert_no",
            "ipt_otp_no",
            "atddr_no",
            "dr_name",
            "dept_code",
            "dept_name",
            "caty",
        )
    },
    "2202": {"data": ("psn_no", "mdtrt_id", "ipt_otp_no")},
    "2203": {"mdtrtinfo": ("mdtrt_id", "psn_no", "med_type", "begntime")},
    "2204": {
        "feedetail[]": (
            "feedetl_sn",
            "mdtrt_id",
            "psn_no",
            "chrg_bchno",
            "fee_ocur_time",
            "med_list_codg",
            "medins_list_codg",
            "det_item_fee_sumamt",
            "cnt",
            "pric",
            "bilg_dept_codg",
            "bilg_dept_name",
            "bilg_dr_codg",
            "bilg_dr_name",
        )
    },
    "2205": {"data": ("mdtrt_id", "chrg_bchno", "psn_no")},
    "2206": {
        "data": (
            "psn_no",
            "mdtrt_cert_type",
            "mdtrt_cert_no",
            "med_type",
            "medfee_sumamt",
            "psn_setlway",
            "mdtrt_id",
            "chrg_bchno",
            "insutype",
            "acct_used_flag",
        )
    },
    "2208": {"data": ("setl_id", "mdtrt_id", "psn_no")},
    "2101": {
        "druginfo": (
            "psn_no",
            "mdtrt_cert_type",
            "mdtrt_cert_no",
            "begntime",
            "medfee_sumamt",
            "insutype",
            "acct_used_flag",
            "med_type",
        ),
        "drugdetail[]": (
            "feedetl_sn",
            "fee_ocur_time",
            "med_list_codg",
            "medins_list_codg",
            "det_item_fee_sumamt",
            "cnt",
            "pric",
        ),
    },
    "2103": {"data": ("setl_id", "mdtrt_id", "psn_no")},
    "5203": {"data": ("psn_no",)},
    "2401": {
        "mdtrtinfo": (
            "psn_no",
            "insutype",
            "begntime",
            "mdtrt_cert_type",
            "mdtrt_cert_no",
            "med_type",
            "ipt_no",
            "atddr_no",
            "chfpdr_name",
            "adm_dept_codg",
            "adm_dept_name",
            "dscg_maindiag_code",
            "dscg_maindiag_name",
        )
    },
    "2301": {
        "feedetail[]": (
            "feedetl_sn",
            "mdtrt_id",
            "psn_no",
            "med_type",
            "fee_ocur_time",
            "med_list_codg",
            "medins_list_codg",
            "det_item_fee_sumamt",
            "cnt",
            "pric",
            "bilg_dept_codg",
            "bilg_dept_name",
            "bilg_dr_codg",
            "bilg_dr_name",
            "hosp_appr_flag",
        )
    },
    "2402": {
        "dscginfo": (
            "mdtrt_id",
            "psn_no",
            "insutype",
            "endtime",
            "dscg_dept_codg",
            "dscg_dept_name",
            "dscg_way",
        )
    },
    "2303": {
        "data": (
            "psn_no",
            "mdtrt_cert_type",
            "mdtrt_cert_no",
            "medfee_sumamt",
            "psn_setlway",
            "mdtrt_id",
            "acct_used_flag",
            "insutype",
            "mid_setl_flag",
        )
    },
    "2305": {"data": ("mdtrt_id", "setl_id", "psn_no")},
}
REQUIRED["2304"] = REQUIRED["2303"]
REQUIRED["2207"] = REQUIRED["2206"]
REQUIRED["2102"] = REQUIRED["2101"]
CODES = {
    "mdtrt_cert_type": ("01", "02", "03"),
    "acct_used_flag": ("0", "1"),
    "psn_setlway": ("01", "02"),
    "med_type": ("11", "12", "13", "14", "19", "21", "23", "24", "41"),
    "rx_circ_flag": ("0", "1"),
    "hosp_appr_flag": ("0", "1", "2"),
    "mid_setl_flag": ("0", "1"),
}
# The outpatient A variants are their plain siblings to every rule here: a HIS may send either (docs/behaviour.md,
# "Choices where the reference is silent"); the transcript still shows what was sent.
SAME_AS = {"2203A": "2203", "2206A": "2206", "2207A": "2207"}
SETTLES = ("2207", "2102", "2304")
CANCELS = ("2208", "2103", "2305")
PRESETTLES = {"2207": "2206", "2304": "2303"}  # a settlement, and the pre-settlement that must come before it
SIGN = ("9001", "9002")
RECONCILE = ("3201", "3202")
REGION_DOWN = ("REGION_MAINTENANCE", "REGION_UNREACHABLE")
# The transactions of a visit or a sale in their forward order: one sent past a refused one carries on without it.
FORWARD = {"2201": 0, "2401": 0, "2203": 1, "2204": 2, "2301": 2, "2206": 3, "2303": 3, "2101": 3, "2207": 4, "2304": 4}
FORWARD["2102"] = 4
PERSONAL = ("psn_no", "certno", "mdtrt_cert_no", "psn_name", "card_sn")
_PERSONAL_TEXT = (
    re.compile(r"(?<![0-9])([0-9]{4})[0-9]{12}([0-9]{4})(?![0-9])"),  # psn_no (20 digits)
    re.compile(r"(?<![0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9])"),  # certno (18)
    re.compile(r"\b(EC[0-9]{2})[0-9]{18}([0-9]{4})\b"),
)  # e-voucher token


def mask(text: str) -> str:
    """Personal numbers in a text shown or logged: psn_no, certno and voucher tokens keep 4 characters each end."""
    for pattern in _PERSONAL_TEXT:
        text = pattern.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return text


class JournalEntry(NamedTuple):
    """One row of the sandbox's journal, as stored."""

    id: int
    received_at: str
    infno: str
    msgid: str
    outcome: str  # ok | refused | replayed
    err_code: str
    err_msg: str
    request: bytes
    reply: bytes
    psn_no: str | None
    mdtrt_id: str | None
    setl_id: str | None


class SettlementFact(NamedTuple):
    """One row of the sandbox's settlement ledger, with the setlinfo it replied."""

    setl_id: str
    kind: str  # settle | reversal
    psn_no: str
    mdtrt_id: str
    chrg_bchno: str
    orig_setl_id: str | None
    reversed_by: str | None
    msgid: str
    setlinfo: dict[str, str]


@dataclass(frozen=True)
class FinalState:
    settlements: tuple[SettlementFact, ...] = ()
    balances: dict[str, Decimal] = field(default_factory=dict)  # personal accounts, by psn_no
    faults: tuple[Fired, ...] = ()  # the faults injected into the session's calls (faults.py)


@dataclass(frozen=True)
class Finding:
    rule: str
    msgid: str
    infno: str
    field: str
    expected: str
    actual: str
    detail: str = ""

    def view(self) -> dict[str, str]:
        text, requirement = RULES[self.rule]
        return {
            "rule": self.rule,
            "says": text,
            "requirement": requirement,
            "msgid": self.msgid,
            "infno": self.infno,
            "field": self.field,
            "expected": mask(self.expected),
            "actual": mask(self.actual),
            "detail": mask(self.detail),
        }


@dataclass
class CaseVerdict:
    suite: str
    case: str
    title: str
    person: str
    verdict: str  # pass | fail | skip | error
    findings: list[Finding] = field(default_factory=list)
    messages: list[dict[str, str]] = field(default_factory=list)  # the case's transcript, one line per message
    amounts: dict[str, str] = field(default_factory=dict)  # the case's settlement as replied
    error: str = ""

    def view(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "case": self.case,
            "title": self.title,
            "person": mask(self.person),
            "verdict": self.verdict,
            "failures": [f.view() for f in self.findings],
            "messages": self.messages,
            "amounts": self.amounts,
            "error": self.error,
        }


class _Row:
    """A journal entry decoded: request, reply (or refusal) and the keys a verdict follows."""

    def __init__(self, n: int, e: JournalEntry, original: _Row | None = None) -> None:
        self.n, self.e = n, e
        self.infno, self.msgid, self.outcome = SAME_AS.get(e.infno, e.infno), e.msgid, e.outcome
        self.err_code, self.err_msg = e.err_code, e.err_msg
        self.broken = ""
        self.detail: ErrorDetail | None = None
        self.reply: Any = None
        tx = transactions().get(e.infno)
        if tx is None:
            raise ValueError(f"journal row {e.id}: infno {e.infno[:10]!r} is not a transaction of the protos")
        try:
            self.request: Any = tx.request_cls.FromString(e.request)
        except DecodeError:
            raise ValueError(
                f"journal row {e.id} (msgid {e.msgid}): the stored request is not a {e.infno} message"
            ) from None
        # A replay of a refusal is journaled "replayed" with the refusal's bytes and no code (gateway idempotency)
        refusal = e.outcome == "refused" or (
            e.outcome == "replayed" and original is not None and original.detail is not None
        )
        try:
            if refusal:
                self.detail = ErrorDetail.FromString(e.reply)
            else:
                self.reply = tx.reply_cls.FromString(e.reply)
        except DecodeError:
            try:  # a replayed refusal whose original is not in the transcript (reversed before it arrived)
                self.detail = ErrorDetail.FromString(e.reply)
            except DecodeError:
                self.broken = f"journal row {e.id} (msgid {e.msgid}): the stored reply cannot be read"
        if self.detail is not None:
            self.err_code = self.err_code or self.detail.code
            self.err_msg = self.err_msg or self.detail.header.err_msg
        self.header = self.request.header
        self.accepted = e.outcome in ("ok", "replayed") and self.detail is None and not self.broken
        self.psn_no = e.psn_no or ""
        self.body = (e.infno, self.request.input.SerializeToString(deterministic=True))
        self.data = _node(self.request.input)
        self.field = self.detail.field if self.detail is not None else ""

    def line(self) -> dict[str, str]:
        return {
            "msgid": self.msgid,
            "infno": self.e.infno,
            "at": self.e.received_at,
            "outcome": self.outcome,
            "code": self.err_code,
        }

    def value(self, name: str) -> str:
        return str(getattr(self.data, name, "")) if self.data is not None else ""


def _node(inp: Message) -> Message | None:
    """The input's main node: data, mdtrtinfo, druginfo, … or the first element of feedetail."""
    for f in inp.DESCRIPTOR.fields:
        if f.type != f.TYPE_MESSAGE:
            continue
        value = getattr(inp, f.name)
        if f.is_repeated:
            if value:
                return value[0]  # type: ignore[no-any-return]
            continue
        if inp.HasField(f.name):
            return value  # type: ignore[no-any-return]
    return None


def _settle_key(r: _Row) -> tuple[str, ...]:
    if r.infno in ("2206", "2207"):
        return ("outpatient", r.value("mdtrt_id"), r.value("chrg_bchno"))
    if r.infno in ("2303", "2304"):  # a stay's settlement covers every unsettled item: mid-stay or at discharge
        return ("inpatient", r.value("mdtrt_id"), r.value("mid_setl_flag"), r.value("medfee_sumamt"))
    sns = sorted(d.feedetl_sn for d in r.request.input.drugdetail)
    return ("pharmacy", r.value("psn_no"), *sns)


class _Session:
    """What the whole transcript says that one case's rules need: sign-ins, 1101 answers, settlements."""

    def __init__(self, rows: list[_Row], world: World) -> None:
        self.rows, self.world = rows, world
        self.by_cert: dict[str, str] = {}
        for p in world.persons.values():
            for number in (p.ec_token, p.certno, p.card_no):
                if number:
                    self.by_cert[number] = p.psn_no
        for r in rows:
            if r.infno == "1101" and not r.psn_no:
                r.psn_no = self.by_cert.get(r.value("mdtrt_cert_no"), "")
        self.live_signins: list[set[str]] = []  # before each row: the sign_nos in force
        live: set[str] = set()
        for r in rows:
            self.live_signins.append(set(live))
            if r.infno == "9001" and r.accepted:
                live.add(r.reply.output.signinoutb.sign_no)
            if r.infno == "9002" and r.accepted:
                live.discard(r.request.input.signOut.sign_no)
        self.first_msgid: dict[str, _Row] = {}
        for r in rows:
            self.first_msgid.setdefault(r.msgid, r)

    def rows_of(self, case: Case) -> list[_Row]:
        """The case's messages: its person's, and the 9001/9002 the case's steps send, by the person message
        after them."""
        infnos = {step.infno for step in case.steps}
        mine: list[_Row] = []
        pending: list[_Row] = []
        last_person = ""  # whose message came last: a reconciliation names no person, it follows the case's work
        for r in self.rows:
            if r.infno in RECONCILE:
                if r.infno in infnos and last_person == case.person:
                    mine.append(r)
                continue
            last_person = r.psn_no or last_person
            if r.infno == "9002" and "9002" in infnos:
                mine.append(r)  # a sign-out is the business of the case that asks for one, wherever it falls
            elif r.infno in SIGN:
                if r.infno in infnos:
                    pending.append(r)
            elif r.psn_no == case.person:
                mine += [*pending, r]
                pending = []
            elif r.psn_no:
                pending = []
        return sorted(mine, key=lambda r: r.n)


def judge(
    suites: Sequence[CaseSuite], entries: Sequence[JournalEntry], final: FinalState, world: World, institution: str
) -> dict[str, Any]:
    """Every case of the suites: the session's verdicts, as the lab API shows them."""
    try:
        rows: list[_Row] = []
        first: dict[str, _Row] = {}
        for n, e in enumerate(entries):
            rows.append(_Row(n, e, first.get(e.msgid)))
            first.setdefault(e.msgid, rows[-1])
        session: _Session | None = _Session(rows, world)
        problem = ""
    except ValueError as e:
        session, problem = None, str(e)
    persons: dict[str, str] = {}
    verdicts: list[CaseVerdict] = []
    for suite in suites:
        for case in suite.cases:
            if session is None:
                verdicts.append(_error(case, problem))
            elif suite.institution != institution:
                verdicts.append(
                    _error(
                        case,
                        f"the suite is written for institution {suite.institution}; this session "
                        f"is for {institution}: open one for {suite.institution}",
                    )
                )
            elif case.person in persons:
                verdicts.append(
                    _error(
                        case,
                        f"its person is also the person of case {persons[case.person]} of "
                        "another suite of this session: run the suites in sessions of their own",
                    )
                )
            else:
                verdicts.append(judge_case(case, session, final))
            persons.setdefault(case.person, f"{suite.name}/{case.id}")
    summary = {k: sum(1 for v in verdicts if v.verdict == k) for k in ("pass", "fail", "skip", "error")}
    attributed = {r.n for v in verdicts for r in (session.rows_of(_case(suites, v)) if session else [])}
    unattributed = [r for r in (session.rows if session else []) if r.n not in attributed]
    session_findings = [f for r in unattributed for f in _message_findings(r, session)] if session else []
    return {
        "summary": summary,
        "cases": [v.view() for v in verdicts],
        "session": {
            "messages": len(entries),
            "unattributed": [r.line() for r in unattributed],
            "failures": [f.view() for f in session_findings],
            "error": problem,
        },
    }


def _case(suites: Sequence[CaseSuite], v: CaseVerdict) -> Case:
    return next(s for s in suites if s.name == v.suite).case(v.case)


def _error(case: Case, why: str) -> CaseVerdict:
    return CaseVerdict(case.suite, case.id, case.title, case.person, "error", error=mask(why))


def judge_case(case: Case, session: _Session, final: FinalState) -> CaseVerdict:
    rows = session.rows_of(case)
    verdict = CaseVerdict(case.suite, case.id, case.title, case.person, "skip", messages=[r.line() for r in rows])
    if not rows:
        return verdict
    broken = [r.broken for r in rows if r.broken]
    if broken:
        verdict.verdict, verdict.error = "error", mask(broken[0])
        return verdict
    findings: list[Finding] = []
    fired = [f for f in final.faults if f.suite == case.suite and f.case == case.id]
    expected_refusals = _steps(case, rows, findings, fired)
    for r in rows:
        own = [] if r.n in expected_refusals else _message_findings(r, session)
        own += _order_findings(r, session)
        if not r.accepted and r.n not in expected_refusals and not own:
            own.append(Finding("refused", r.msgid, r.infno, r.field, "accepted", f"refused {r.err_code}", r.err_msg))
        findings += own
    findings += _insuplc(case, rows, session, expected_refusals)
    findings += _uncertain(rows, fired)
    findings += _region_down(rows)
    findings += _reconciled(rows)
    verdict.amounts = _final(case, final, findings, {r.msgid for r in session.rows})
    verdict.findings = findings
    verdict.verdict = "fail" if findings else "pass"
    return verdict


class _Dropped:
    """A message the platform dropped before carrying it out (a `dropped` fault): in no journal, but sent."""

    outcome, accepted = "dropped", False

    def __init__(self, fired: Fired) -> None:
        self.msgid, self.infno, self.after = fired.msgid, fired.infno, fired.after_journal_id


def _steps(case: Case, rows: list[_Row], findings: list[Finding], fired: Sequence[Fired] = ()) -> set[int]:
    """Match the card's steps to the messages in order; returns the rows that are expected refusals."""
    pos = 0
    expected_refusals: set[int] = set()
    previous: _Row | _Dropped | None = None
    dropped = {f.step: _Dropped(f) for f in fired if f.kind == "dropped"}
    for n, step, infno in case.sent():
        if n in dropped:  # sent, and never carried out: the next messages are the ones after it
            previous = dropped[n]
            pos = next((k for k in range(pos, len(rows)) if rows[k].e.id > previous.after), len(rows))
            continue
        want = "replayed" if step.do == "resend" else f"refused {step.refused}" if step.refused else "accepted"
        found = None
        for k in range(pos, len(rows)):
            r = rows[k]
            if r.infno != infno:
                continue
            if (
                step.do == "resend"
            ):  # replayed; or carried out now, when the first was not (dropped, or refused unremembered)
                first_not_done = isinstance(previous, _Dropped) or (
                    previous is not None
                    and previous.outcome == "refused"
                    and previous.err_code in FAULT_REFUSES.values()
                )
                ok = (
                    previous is not None
                    and r.msgid == previous.msgid
                    and (r.outcome == "replayed" or (first_not_done and r.accepted))
                )
            elif step.refused:
                ok = r.outcome == "refused" and r.err_code == step.refused
                ok = ok and (not step.refused_field or r.field == step.refused_field)
            else:
                ok = r.accepted and not (previous is not None and r.msgid == previous.msgid)
            if ok:
                found = k
                break
        if found is None:
            candidate = next((r for r in rows[pos:] if r.infno == infno), None)
            if candidate is None:
                findings.append(
                    Finding(
                        "step", "", infno, "header.infno", f"step {n + 1} {step.do}: {infno} {want}", "no such message"
                    )
                )
            else:
                actual = candidate.outcome + (f" {candidate.err_code}" if candidate.err_code else "")
                if step.do == "resend" and previous is not None and candidate.msgid != previous.msgid:
                    actual += f" under a new msgid (the original was {previous.msgid})"
                findings.append(
                    Finding(
                        "step",
                        candidate.msgid,
                        infno,
                        candidate.field or "header.msgid",
                        f"step {n + 1} {step.do}: {infno} {want}",
                        actual,
                        candidate.err_msg,
                    )
                )
            continue
        if step.refused:
            expected_refusals.add(rows[found].n)
        if step.do not in QUERIES:
            previous = rows[found]
        pos = found + 1
    return expected_refusals


def _uncertain(rows: list[_Row], fired: Sequence[Fired]) -> list[Finding]:
    """After each call whose outcome the HIS could not know (an uncertain fault): the next message about it is the
    same msgid again, or a Y5203 / 2601 naming it — never the business again under a new msgid."""
    out: list[Finding] = []
    for f in fired:
        if f.kind not in UNCERTAIN_KINDS:
            continue
        for r in rows:
            if r.e.id <= f.after_journal_id or r.msgid == f.msgid:
                if (
                    r.msgid == f.msgid
                    and r.e.id > f.after_journal_id
                    and (f.kind == "dropped" or r.outcome == "replayed")
                ):
                    break  # the same message again: resolved
                continue
            if r.infno in ("Y5203", "2601") and r.request.input.data.omsgid == f.msgid:
                break
            if r.infno == f.infno:
                out.append(
                    Finding(
                        "uncertain-outcome",
                        r.msgid,
                        r.infno,
                        "header.msgid",
                        f"{f.msgid} again (the same message), or a Y5203 query or 2601 reversal of {f.msgid} first",
                        f"a new msgid {r.msgid} while the outcome of {f.msgid} ({f.kind}) was unknown",
                    )
                )
                break
    return out


def _region_down(rows: list[_Row]) -> list[Finding]:
    """After a message refused because a region is down (maintenance, unreachable): no later transaction of the visit
    before the refused one is carried out — the refused message is sent again once the region is back. Sending the
    settlement anyway is carrying on as if the refused call had succeeded."""
    out: list[Finding] = []
    for k, r in enumerate(rows):
        if r.outcome != "refused" or r.err_code not in REGION_DOWN or r.infno not in FORWARD:
            continue
        place = r.header.insuplc_admdvs or "the treatment place"
        for later in rows[k + 1 :]:
            if later.infno == r.infno and later.accepted:
                break  # sent again and carried out: the visit may go on
            if FORWARD.get(later.infno, -1) > FORWARD[r.infno]:
                out.append(
                    Finding(
                        "region-down",
                        later.msgid,
                        later.infno,
                        "header.insuplc_admdvs",
                        f"{r.infno} {r.msgid} again (or a new {r.infno}) carried out once {place} is back, "
                        f"before any {later.infno}",
                        f"{later.infno} sent while {r.infno} {r.msgid} stood refused {r.err_code} for {place}",
                    )
                )
                break
    return out


def _reconciled(rows: list[_Row]) -> list[Finding]:
    """An accepted 3201 or 3202 whose answer is 不平: the terminal's books differ from the platform's records."""
    out: list[Finding] = []
    for r in rows:
        if r.infno not in RECONCILE or not r.accepted:
            continue
        info = r.reply.output.stmtinfo
        if info.stmt_rslt and info.stmt_rslt != "0":
            out.append(
                Finding(
                    "reconciled",
                    r.msgid,
                    r.infno,
                    "output.stmtinfo.stmt_rslt",
                    "0 (平)",
                    info.stmt_rslt,
                    info.stmt_rslt_dscr,
                )
            )
        differs = [d for d in r.reply.output.result if d.stmt_rslt == "1"] if r.infno == "3202" else []
        if differs:
            d = differs[0]
            out.append(
                Finding(
                    "reconciled",
                    r.msgid,
                    r.infno,
                    f"input.detail (setl_id {d.setl_id})",
                    "the platform's record",
                    d.memo,
                    f"{len(differs)} record(s) differ",
                )
            )
    return out


def _message_findings(r: _Row, session: _Session | None) -> list[Finding]:
    """The interface's rules on one message by itself: msgid, sign-in, required fields, code values."""
    out: list[Finding] = []
    h = r.header
    m = MSGID.match(h.msgid)
    if m is None:
        out.append(
            Finding(
                "msgid-format",
                r.msgid,
                r.infno,
                "header.msgid",
                "30 characters: fixmedins_code (12) + yyyyMMddHHmmss + 4 digits",
                h.msgid,
            )
        )
    elif m.group(1) != h.fixmedins_code:
        out.append(Finding("msgid-institution", r.msgid, r.infno, "header.msgid", h.fixmedins_code, m.group(1)))
    if session is not None:
        first = session.first_msgid[r.msgid]
        if first is not r and first.body != r.body:
            out.append(
                Finding(
                    "msgid-reused",
                    r.msgid,
                    r.infno,
                    "header.msgid",
                    f"a new msgid (this one carried {first.infno} at {first.e.received_at})",
                    f"{r.infno} with another body",
                )
            )
        if r.infno != "9001" and h.sign_no not in session.live_signins[r.n]:
            out.append(
                Finding(
                    "sign-in",
                    r.msgid,
                    r.infno,
                    "header.sign_no",
                    "the sign_no of a 9001 not signed out",
                    h.sign_no or "(empty)",
                )
            )
    for node, names in REQUIRED.get(r.infno, {}).items():
        name = node.removesuffix("[]")
        value = getattr(r.request.input, name)
        elements = list(value) if node.endswith("[]") else [value]
        if node.endswith("[]") and not elements:
            out.append(Finding("required", r.msgid, r.infno, f"input.{name}", "at least one", "none"))
        for k, element in enumerate(elements):
            where = f"input.{name}[{k}]" if node.endswith("[]") else f"input.{name}"
            missing = [f for f in names if not getattr(element, f)]
            if missing:
                out.append(
                    Finding(
                        "required",
                        r.msgid,
                        r.infno,
                        f"{where}.{missing[0]}",
                        "a value",
                        "empty",
                        f"also empty: {', '.join(missing[1:])}" if missing[1:] else "",
                    )
                )
            for f, allowed in CODES.items():
                value = getattr(element, f, "")
                if value and value not in allowed:
                    out.append(Finding("code-value", r.msgid, r.infno, f"{where}.{f}", "/".join(allowed), value))
    return out


def _order_findings(r: _Row, session: _Session) -> list[Finding]:
    """Rules on the order of transactions: pre-settlement first, one settlement per batch, one cancellation."""
    out: list[Finding] = []
    before = session.rows[: r.n]
    if r.infno in PRESETTLES:
        key = _settle_key(r)
        pre = PRESETTLES[r.infno]
        if not any(p.infno == pre and p.accepted and _settle_key(p) == key for p in before):
            what = f"batch {key[2]}" if r.infno == "2207" else f"stay {key[1]} ({key[3]})"
            out.append(
                Finding(
                    "presettle-first",
                    r.msgid,
                    r.infno,
                    "input.data.chrg_bchno" if r.infno == "2207" else "input.data.mdtrt_id",
                    f"an accepted {pre} for {what} before this {r.infno}",
                    "none before it",
                )
            )
    if r.infno in SETTLES:
        key = _settle_key(r)
        cancelled = {p.value("setl_id") for p in before if p.infno in CANCELS and p.accepted}
        reversed_msgids = {p.request.input.data.omsgid for p in before if p.infno == "2601" and p.accepted}
        earlier = [
            p
            for p in before
            if p.infno == r.infno
            and p.accepted
            and _settle_key(p) == key
            and p.msgid != r.msgid
            and p.reply.output.setlinfo.setl_id not in cancelled
            and p.msgid not in reversed_msgids  # a 2601 reversal cancels it as a 2208 would
        ]
        if earlier:
            out.append(
                Finding(
                    "settle-once",
                    r.msgid,
                    r.infno,
                    "header.msgid",
                    f"{earlier[0].msgid} again (the same message), or a Y5203 query of it",
                    f"a new msgid {r.msgid}",
                )
            )
    if r.infno in CANCELS:
        setl_id = r.value("setl_id")
        first = next(
            (
                p
                for p in before
                if p.infno in CANCELS and p.accepted and p.value("setl_id") == setl_id and p.msgid != r.msgid
            ),
            None,
        )
        if first is not None:
            out.append(
                Finding(
                    "cancel-once",
                    r.msgid,
                    r.infno,
                    "input.data.setl_id",
                    f"no second cancellation (cancelled by {first.msgid})",
                    setl_id,
                )
            )
    return out


def _insuplc(case: Case, rows: list[_Row], session: _Session, expected_refusals: set[int]) -> list[Finding]:
    """insuplc_admdvs of every message naming the person is the insured place its 1101 answered (the first
    offending message is named, and how many more there are)."""
    person = session.world.persons.get(case.person)
    truth = {i.insuplc_admdvs for i in person.insurances} if person else set()
    bad: list[tuple[_Row, Finding]] = []
    for r in rows:
        if r.infno in ("1101", *SIGN) or r.n in expected_refusals or not r.value("psn_no"):
            continue
        answered = [
            p
            for p in session.rows[: r.n]
            if p.infno == "1101" and p.accepted and p.reply.output.baseinfo.psn_no == case.person
        ]
        places = {i.insuplc_admdvs for p in answered for i in p.reply.output.insuinfo}
        actual = r.header.insuplc_admdvs or "(empty)"
        if not answered:
            bad.append(
                (
                    r,
                    Finding(
                        "insuplc-from-1101",
                        r.msgid,
                        r.infno,
                        "header.insuplc_admdvs",
                        f"{'/'.join(sorted(truth))}, from a 1101 for the person before this message",
                        f"{actual}, and no 1101 answered for the person before it",
                    ),
                )
            )
        elif r.header.insuplc_admdvs not in places:
            bad.append(
                (
                    r,
                    Finding(
                        "insuplc-from-1101", r.msgid, r.infno, "header.insuplc_admdvs", "/".join(sorted(places)), actual
                    ),
                )
            )
    if not bad:
        return []
    first = bad[0][1]
    more = f"{len(bad) - 1} later message(s) of the case too" if len(bad) > 1 else ""
    return [Finding(first.rule, first.msgid, first.infno, first.field, first.expected, first.actual, more)]


def _final(case: Case, final: FinalState, findings: list[Finding], journaled: set[str]) -> dict[str, str]:
    """The final state against the card: settlements in force, amounts, balance. Returns the settlement's amounts.
    A settlement no message of the session made is the state's (made before the session: prior.py), not the case's
    (its refund by the case counts as the case's)."""
    mine = [s for s in final.settlements if s.psn_no == case.person and (s.kind != "settle" or s.msgid in journaled)]
    settled = [s for s in mine if s.kind == "settle"]
    in_force = [s for s in settled if s.reversed_by is None]
    expect = case.expect
    last = settled[-1].msgid if settled else ""
    if len(in_force) != expect.settlements:
        findings.append(
            Finding(
                "settlements",
                in_force[-1].msgid if in_force else last,
                "",
                "settlement",
                str(expect.settlements),
                str(len(in_force)),
                ", ".join(s.setl_id for s in in_force),
            )
        )
    subject = in_force[0] if len(in_force) == 1 else settled[-1] if settled else None
    amounts = dict(subject.setlinfo) if subject is not None else {}
    for label, wanted, row in (
        ("settlement", expect.settlement, subject),
        (
            "cancellation",
            expect.cancellation,
            next((s for s in mine if s.kind == "reversal" and subject and s.orig_setl_id == subject.setl_id), None),
        ),
        ("refund", expect.refund, next((s for s in reversed(mine) if s.kind == "reversal"), None)),
    ):
        if not wanted:
            continue
        if row is None:
            findings.append(
                Finding("amount", "", "", f"the {label}", f"a {label} of {wanted.get('medfee_sumamt', '')}", "none")
            )
            continue
        for name, value in wanted.items():
            got = row.setlinfo.get(name, "")
            if _fen(got) != _fen(value):
                findings.append(
                    Finding(
                        "amount",
                        row.msgid,
                        "",
                        f"output.setlinfo.{name}",
                        value,
                        got or "(empty)",
                        f"{label} {row.setl_id}",
                    )
                )
    if expect.balance:
        got_balance = final.balances.get(case.person)
        if got_balance is None or _fen(str(got_balance)) != _fen(expect.balance):
            findings.append(
                Finding(
                    "balance",
                    last,
                    "",
                    "person_state.acct_balc",
                    expect.balance,
                    f"{got_balance:.2f}" if got_balance is not None else "(no account)",
                )
            )
    return {k: amounts[k] for k in AMOUNT_FIELDS if amounts.get(k)}  # amounts only: setlinfo names the person


def _fen(text: str) -> int | None:
    try:
        return int(Decimal(text or "0") * 100)
    except InvalidOperation:
        return None
