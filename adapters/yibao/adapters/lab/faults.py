"""Faults injected into a lab session's calls (docs/lab.md, "Injected faults"), as the session's case cards declare
them: a step's `"fault": {"kind": …}` binds a fault to the case's test person and to that step's transaction.

The platform injects it into the person's first message of that transaction (a new msgid: a resend of a message
already seen is never faulted), once per session and reset. What fired is kept in the sandbox itself (table
`lab_fault`, beside the platform's schema), so every worker of `yibao serve --workers N` sees it, a reset clears
it, and the verdicts read it with the journal (adapters/yibao/adapters/lab/transcript.py).

Only a session's calls pass here (`_Session` in adapters/yibao/adapters/lab/sessions.py): normal traffic never
does, and a session whose cases declare no fault pays one dict test per call.

What the HIS sees of each kind:

    reply-lost          carried out and committed; the answer is CORE_OUTCOME_UNKNOWN (gRPC INTERNAL with the
                        catalogued detail; HTTP infcode -1), the platform's own word for a reply it lost
    reply-delayed       carried out and committed; the answer is held past the client's deadline (gRPC: until the
                        call's deadline has passed; HTTP, which carries none: `hold` seconds)
    dropped             not carried out, nothing written; the answer is CORE_OUTCOME_UNKNOWN, exactly as for
                        reply-lost, so the HIS cannot tell the two apart
    region-maintenance  refused REGION_MAINTENANCE for the insured place (before anything is written; not
                        remembered under the msgid)
    region-unreachable  refused REGION_UNREACHABLE for the insured place
    duplicate-msgid     refused ENV_MSGID_REUSED, as if another terminal had used the msgid first
    core-busy           refused GATEWAY_BUSY (retry after 500 ms), nothing claimed
    account-emptied     the personal account is emptied (as by a payment at another counter a moment before), then
                        the call is carried out
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from yibao.adapters.lab.cases import CaseSuite, Fault
from yibao.domain.availability import MAINTENANCE, UNREACHABLE, Outage
from yibao.errors import Refusal
from yibao.gateway import gate
from yibao.gateway.dispatch import Admission, Gateway, Refused, refusal_detail
from yibao.gateway.idempotency import journal_keys
from yibao.gateway.region_check import refusal as region_refusal
from yibao.gateway.routes import Route
from yibao.storage import schema as t
from yibao.storage.store import Store

UNCERTAIN = ("reply-lost", "reply-delayed", "dropped")
CARRIED_OUT = ("reply-lost", "reply-delayed", "account-emptied")
MAX_HOLD = 60.0  # seconds: a delayed reply is never held longer, whatever the deadline
BUSY_RETRY_MS = 500
TABLE = """CREATE TABLE IF NOT EXISTS lab_fault (
    fault TEXT PRIMARY KEY, kind TEXT NOT NULL, suite TEXT NOT NULL, case_id TEXT NOT NULL, step INTEGER NOT NULL,
    infno TEXT NOT NULL, psn_no TEXT NOT NULL, msgid TEXT NOT NULL, after_journal_id INTEGER NOT NULL,
    fired_at TEXT NOT NULL)"""


@dataclass(frozen=True, slots=True)
class Planned:
    """A fault a case card declares: which call it waits for, and what it does."""

    id: str  # "<suite>/<case>/<step index>"
    suite: str
    case: str
    step: int
    infno: str
    psn_no: str
    fault: Fault


@dataclass(frozen=True, slots=True)
class Fired:
    """A fault that was injected: into which message, after which journal row."""

    fault: str
    kind: str
    suite: str
    case: str
    step: int
    infno: str
    psn_no: str
    msgid: str
    after_journal_id: int
    fired_at: str


def plan(suites: Sequence[CaseSuite]) -> dict[tuple[str, str], Planned]:
    """(infno, psn_no) → the fault waiting for the person's first message of that transaction."""
    out: dict[tuple[str, str], Planned] = {}
    for suite in suites:
        for case in suite.cases:
            for n, step, infno in case.sent():
                if step.fault is not None:
                    out[(infno, case.person)] = Planned(
                        f"{suite.name}/{case.id}/{n}", suite.name, case.id, n, infno, case.person, step.fault
                    )
    return out


def prepare(store: Store) -> None:
    """The sandbox's table of fired faults (it is the lab's, not the platform's schema)."""
    with store.write() as tx:
        tx.conn.execute(text(TABLE))


def clear(tx: Any) -> None:
    tx.conn.execute(text(TABLE))
    tx.conn.execute(text("DELETE FROM lab_fault"))


def read(tx: Any) -> tuple[Fired, ...]:
    try:
        rows = tx.conn.execute(
            text(
                "SELECT fault, kind, suite, case_id, step, infno, psn_no, msgid, after_journal_id, fired_at "
                "FROM lab_fault ORDER BY after_journal_id, fired_at"
            )
        ).all()
    except OperationalError:  # a sandbox made before faults existed has no such table
        return ()
    return tuple(Fired(*row) for row in rows)


class Injector:
    """The faults of one session, applied around its gateway's calls."""

    def __init__(self, planned: dict[tuple[str, str], Planned], store: Store, clock: Callable[[], datetime]) -> None:
        self.planned, self.store, self.clock = planned, store, clock
        self.infnos = {infno for infno, _ in planned}
        self._done: set[str] = set()  # fired in this process (the store is the authority)

    def due(self, route: Route, message: Message) -> Planned | None:
        """The fault this message is to meet, recorded as fired; None for nearly every call."""
        if route.infno not in self.infnos:
            return None
        psn_no = journal_keys(message, None)["psn_no"] or ""
        planned = self.planned.get((route.infno, psn_no))
        if planned is None or planned.id in self._done:
            return None
        msgid = message.header.msgid  # type: ignore[attr-defined]
        with self.store.write() as tx:
            tx.conn.execute(text(TABLE))
            if tx.conn.execute(text("SELECT 1 FROM lab_fault WHERE fault = :f"), {"f": planned.id}).first():
                self._done.add(planned.id)
                return None
            m = t.message.c
            if tx.conn.execute(select(m.msgid).where(m.msgid == msgid)).first() is not None:
                return None  # a resend of a message already carried out: its reply, never a fault
            last = tx.conn.scalar(select(func.coalesce(func.max(t.journal.c.id), 0)))
            tx.conn.execute(
                text(
                    "INSERT INTO lab_fault (fault, kind, suite, case_id, step, infno, psn_no, msgid, after_journal_id, "
                    "fired_at) VALUES (:fault, :kind, :suite, :case, :step, :infno, :psn, :msgid, :after, :at)"
                ),
                {
                    "fault": planned.id,
                    "kind": planned.fault.kind,
                    "suite": planned.suite,
                    "case": planned.case,
                    "step": planned.step,
                    "infno": planned.infno,
                    "psn": psn_no,
                    "msgid": msgid,
                    "after": last,
                    "at": self.clock().strftime("%Y-%m-%dT%H:%M:%S"),
                },
            )
            if planned.fault.kind == "account-emptied":
                tx.conn.execute(
                    t.person_state.update().where(t.person_state.c.psn_no == psn_no).values(acct_balc_fen=0)
                )
        self._done.add(planned.id)
        return planned

    def carry_out(self, gateway: Gateway, planned: Planned, route: Route, message: Message, raw: bytes) -> bytes:
        """The call under its fault: the reply's bytes, or Refused."""
        kind = planned.fault.kind
        h = message.header  # type: ignore[attr-defined]
        received = self.clock()
        institution = gateway.world.institutions.get(h.fixmedins_code)
        region = institution.admdvs if institution is not None else "000000"
        if kind in ("reply-lost", "dropped"):
            if kind == "reply-lost":
                try:
                    gateway.execute(route, message, raw, gateway.admit(route, message))
                except Refused:
                    raise  # refused on its own merits: that answer is not lost
            raise Refused(refusal_detail(self.clock, Refusal("CORE_OUTCOME_UNKNOWN", msgid=h.msgid), region, received))
        if kind == "reply-delayed":
            admission: Admission = gateway.admit(route, message)._replace(deadline=None)  # carried out, however late
            reply = gateway.execute(route, message, raw, admission)[1]
            deadline = gate.deadline()
            hold = planned.fault.hold if deadline is None else deadline - time.perf_counter() + 1.0
            time.sleep(max(0.0, min(hold, MAX_HOLD)))
            return reply
        if kind == "account-emptied":
            return gateway.execute(route, message, raw, gateway.admit(route, message))[1]
        refusal = self._refusal(kind, gateway, h, received)
        admission = gateway.admit(route, message)
        if admission.refusal is None:  # journaled as an admission refusal: not remembered under the msgid
            admission = admission._replace(
                refusal=refusal_detail(self.clock, refusal, region, received).SerializeToString()
            )
        gateway.execute(route, message, raw, admission)
        raise AssertionError("an admission refusal always raises")  # pragma: no cover

    def _refusal(self, kind: str, gateway: Gateway, h: Any, received: datetime) -> Refusal:
        if kind in ("region-maintenance", "region-unreachable"):
            admdvs = h.insuplc_admdvs or h.mdtrtarea_admvs
            region = gateway.world.regions.get(admdvs)
            name = region.name if region is not None else admdvs
            if kind == "region-maintenance":
                outage = Outage(MAINTENANCE, "实验室注入：参保地系统维护", received, received + timedelta(hours=1))
            else:
                outage = Outage(UNREACHABLE, "实验室注入：参保地网络不通", received, None)
            return region_refusal("insured", admdvs, name, outage)
        if kind == "duplicate-msgid":
            return Refusal("ENV_MSGID_REUSED", "header.msgid", msgid=h.msgid)
        if kind == "core-busy":
            return Refusal("GATEWAY_BUSY", retry_after_ms=BUSY_RETRY_MS)
        raise ValueError(f"unknown fault kind {kind!r}")
