"""Lab sessions in one process of `yibao serve`: which institution is under test, its sandbox, and the routing of
its calls.

A session binds an institution of the world to a sandbox — its own SQLite store, made from the suite's
initial state (state.py) — and a lab clock (clock.py). Every call from that institution, over gRPC or JSON/HTTP,
is carried out by the session's own `Gateway` on that store, in the worker that received it (not in the
settlement core process, which serves the main store), with the session's clock as the platform's time. Calls
from every other institution go on as before.

Every process keeps its own view of the sessions (`Lab`), refreshed from the registry on disk (registry.py)
when the registry's counter moves. With no session open the routing costs one counter read and one dict test
per call (`LabRouter`), before anything is parsed.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from google.protobuf.message import DecodeError, Message
from sqlalchemy import func, select

from yibao import platform_clock
from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab import faults, transcript, verdicts
from yibao.adapters.lab import state as states
from yibao.adapters.lab.clock import ClockError, LabClock, advance, parse_set_point
from yibao.adapters.lab.registry import Record, Registry
from yibao.call import CallContext
from yibao.domain.world import Institution, World
from yibao.errors import Refusal
from yibao.gateway.dispatch import Gateway, Refused
from yibao.gateway.routes import Route
from yibao.storage import schema as t
from yibao.storage.store import SchemaMismatch, Store

log = logging.getLogger("yibao.lab")
SECOND = "%Y-%m-%dT%H:%M:%S"
_T = TypeVar("_T")
LAB_OPERATOR = "LAB-OPERATOR"  # who a month's clearing on a sandbox was made by (clearing.created_by)
RETIRE_AFTER = 60.0  # seconds a closed session's store stays open here for the calls still using it


class Handler(Protocol):
    """What answers a worker's calls: the in-process Gateway, or the link to the settlement core process."""

    routes: dict[str, Route]
    world: World
    clock: Callable[[], datetime]

    def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]: ...
    def handle(self, route: Route, request: Message) -> Message: ...


class LabError(Exception):
    """A lab operation refused: HTTP status, a code and a message for the operator."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _Session:
    """One open session in this process: its store, clock and gateway."""

    def __init__(
        self,
        record: Record,
        store: Store,
        world: World,
        routes: dict[str, Route],
        planned: dict[tuple[str, str], faults.Planned] | None = None,
    ) -> None:
        self.id, self.institution = record["id"], record["institution"]
        self.store, self.world, self.routes = store, world, routes
        self.planned = planned or {}  # the faults its cases declare (faults.py)
        if self.planned:
            faults.prepare(store)
        self.clock = LabClock()
        self.resets = -1
        self.gateway: Gateway
        self.injector: faults.Injector | None = None
        self.update(record)

    def update(self, record: Record) -> None:
        clock = record["clock"]
        self.clock.reset_to(parse_set_point(clock["set"]) if clock["set"] else None, clock["at"])
        if record["resets"] != self.resets:  # a new gateway: nothing cached from before the reset survives it
            self.gateway = Gateway(self.world, self.store, self.routes, self.clock)
            self.injector = faults.Injector(self.planned, self.store, self.clock) if self.planned else None
            self.resets = record["resets"]

    def handle_parsed(self, route: Route, message: Message, request: bytes) -> tuple[bool, bytes]:
        gateway, injector = self.gateway, self.injector
        try:
            planned = injector.due(route, message) if injector is not None else None
            if planned is not None and injector is not None:  # a fault the session's cases declare (faults.py)
                return True, injector.carry_out(gateway, planned, route, message, request)
            return True, gateway.execute(route, message, request, gateway.admit(route, message))[1]
        except Refused as r:
            return False, r.detail.SerializeToString()

    def handle(self, route: Route, message: Message) -> Message:
        """A parsed call (the JSON/HTTP entry): the reply, or Refused."""
        injector = self.injector
        planned = injector.due(route, message) if injector is not None else None
        if planned is not None and injector is not None:
            reply = injector.carry_out(self.gateway, planned, route, message, message.SerializeToString())
            return route.reply_cls.FromString(reply)  # type: ignore[no-any-return]
        return self.gateway.handle(route, message)


class Lab:
    """The sessions as this process sees them, and the operations of the operator API (api.py)."""

    def __init__(self, folder: Path, world: World, routes: dict[str, Route] | None = None) -> None:
        self.world = world
        self.folder = folder
        self.routes: dict[str, Route] = routes or {}
        self.by_institution: dict[str, _Session] = {}  # open sessions: read by every call, replaced whole
        self._sessions: dict[str, _Session] = {}
        self._retired: list[tuple[float, Store]] = []  # (when, store) of closed sessions: a call may still use one
        self._lock = threading.Lock()
        self.unavailable = ""
        try:
            self.registry: Registry | None = Registry(folder)
        except OSError as e:
            self.registry = None
            self.unavailable = f"the lab directory {folder} cannot be used: {e.strerror or e}"
            log.error("lab sessions are off: %s", self.unavailable)
        self.counter: Any = self.registry.generation if self.registry is not None else [0]
        self.seen = -1

    def router(self, inner: Handler) -> LabRouter:
        """The handler a worker serves with: `inner`, with the calls of sessions' institutions taken aside."""
        self.routes = inner.routes
        self.refresh()
        return LabRouter(self, inner)

    # ---- routing (LabRouter calls these once the counter has moved or a session is open)

    def refresh(self) -> None:
        """Read the registry again if it changed since this process last read it."""
        if self.registry is None or self.counter[0] == self.seen:
            return
        with self._lock:
            generation = self.counter[0]
            if generation == self.seen:
                return
            records = self.registry.read()  # written before the counter moved: at least as new
            sessions: dict[str, _Session] = {}
            for record in records.values():
                if record["status"] != "open":
                    continue
                session = self._sessions.get(record["id"])
                try:
                    if session is None:
                        store = self._open_store(record["id"])
                        session = _Session(record, store, self.world, self.routes, self._planned(record))
                    else:
                        session.update(record)
                except (OSError, SchemaMismatch, ClockError, ValueError):
                    log.exception("lab session %s cannot be served here; its calls go to the platform", record["id"])
                    continue
                sessions[record["id"]] = session
            now = time.monotonic()
            self._retired += [(now, s.store) for sid, s in self._sessions.items() if sid not in sessions]
            for retired in [r for r in self._retired if r[0] < now - RETIRE_AFTER]:
                retired[1].close()
                self._retired.remove(retired)
            self._sessions = sessions
            self.by_institution = {s.institution: s for s in sessions.values()}
            self.seen = generation

    def session_for(self, fixmedins_code: str) -> _Session | None:
        self.refresh()
        return self.by_institution.get(fixmedins_code)

    def handle_wire(self, inner: Handler, infno: str, request: bytes) -> tuple[bool, bytes]:
        self.refresh()
        if self.by_institution:
            route = self.routes.get(infno)
            try:
                message = route.request_cls.FromString(request) if route is not None else None
            except DecodeError:
                message = None  # the platform refuses it as it would any other
            session = self.by_institution.get(message.header.fixmedins_code) if message is not None else None  # type: ignore[attr-defined]
            if session is not None and route is not None and message is not None:
                return session.handle_parsed(route, message, request)
        return inner.handle_wire(infno, request)

    def handle(self, inner: Handler, route: Route, request: Message) -> Message:
        session = self.session_for(request.header.fixmedins_code)  # type: ignore[attr-defined]
        return (session if session is not None else inner).handle(route, request)

    # ---- operations

    def sessions(self) -> list[dict[str, Any]]:
        return [self._view(r) for r in sorted(self._registry().read().values(), key=lambda r: r["opened_at"])]

    def open(self, institution: object, suites: object, clock: object = None) -> dict[str, Any]:
        registry = self._registry()
        code = _text(institution, "institution", "the fixmedins_code of an institution of the world")
        inst = self.world.institutions.get(code)
        if inst is None:
            raise LabError(400, "LAB_INSTITUTION_UNKNOWN", f"institution {code[:40]} is not in the world this server "
                           "serves")  # fmt: skip
        if not inst.enabled:
            raise LabError(400, "LAB_INSTITUTION_DISABLED", f"institution {code} is disabled in the world: its calls "
                           "are refused before any rule a lab could test")  # fmt: skip
        docs = _suite_docs(suites)
        parsed = self._parse(docs)
        try:
            start = parse_set_point(clock) if clock is not None else parsed.clock
        except ClockError as e:
            raise LabError(400, "LAB_CLOCK_FORMAT", str(e)) from None
        session_id = f"lab-{secrets.token_hex(5)}"
        folder = registry.session_dir(session_id)
        folder.mkdir(parents=True)
        try:
            (folder / "state.json").write_text(json.dumps(docs, ensure_ascii=False, indent=1), "utf-8")
            store = Store(_url(folder))
            try:
                with store.write() as tx:
                    states.install(tx, self.world, parsed)
                self._carry_out_prior(store, parsed, folder)
            finally:
                store.close()
            now = time.time()
            record = {
                "id": session_id,
                "institution": code,
                "suites": [name for name, _ in docs],
                "status": "open",
                "opened_at": _wall(now),
                "closed_at": None,
                "clock": {"set": start.strftime(SECOND) if start else None, "at": now},
                "suite_clock": parsed.clock.strftime(SECOND) if parsed.clock else None,
                "resets": 0,
                "reset_at": None,
            }
            with registry.locked():
                records = registry.read()
                other = next((r for r in records.values() if r["institution"] == code and r["status"] == "open"), None)
                if other is not None:
                    raise LabError(409, "LAB_INSTITUTION_BUSY", f"institution {code} is already under test in session "
                                   f"{other['id']}; close it first (yibao cert close {other['id']})")  # fmt: skip
                records[session_id] = record
                registry.write(records)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self.refresh()
        log.info("lab session %s opened for %s with suites %s", session_id, code, ",".join(record["suites"]))
        return self._view(record)

    def status(self, session_id: str) -> dict[str, Any]:
        record = self._record(session_id)
        view = self._view(record)
        view["activity"] = self._activity(record)
        return view

    def verdicts(self, session_id: str) -> dict[str, Any]:
        """The verdict of every case of the session's suites, from its transcript and final state (verdicts.py).
        The cases are the built-in case suites named as the session's suites (`<name>.cases.json`)."""
        record = self._record(session_id)
        suites = self.case_suites(record)
        entries, final = self.read_sandbox(session_id, transcript.read)
        judged = verdicts.judge(suites, entries, final, self.world, record["institution"])
        return {"session": self._view(record), "suites": [s.name for s in suites], **judged}

    def case_suites(self, record: Record) -> list[case_suites.CaseSuite]:
        """The built-in case suites named as the session's suites."""
        try:
            return [case_suites.load_builtin(name, self.world) for name in record["suites"]
                    if name in case_suites.builtin_case_suites()]  # fmt: skip
        except case_suites.CaseFormatError as e:
            raise LabError(400, "LAB_CASES_INVALID", str(e)) from None

    def _planned(self, record: Record) -> dict[tuple[str, str], faults.Planned]:
        """The faults the session's case suites declare; none when they cannot be read (logged)."""
        try:
            return faults.plan(self.case_suites(record))
        except LabError as e:
            log.error("lab session %s: its case suites cannot be read, so no fault is injected: %s", record["id"], e)
            return {}

    def read_sandbox(self, session_id: str, read: Callable[[Store], _T]) -> _T:
        """`read` on the session's store: the open one this process serves with, or, for a closed session, the file
        opened for the while."""
        self._record(session_id)
        assert self.registry is not None
        path = self.registry.session_dir(session_id) / "store.db"
        if not path.exists():
            raise LabError(503, "LAB_SESSION_UNSERVED", f"lab session {session_id} has no store")
        self.refresh()
        live = self._sessions.get(session_id)
        store = live.store if live is not None else Store(_url(path.parent))
        try:
            return read(store)
        finally:
            if live is None:
                store.close()

    def reset(self, session_id: str) -> dict[str, Any]:
        """Back to the suite's initial state: every row the session's calls wrote is gone, the state is installed
        again, and the clock goes back to the suite's start (when the suite sets one)."""
        registry = self._registry()
        record = self._record(session_id, must_be_open=True)
        started = time.perf_counter()
        parsed = self._parse(json.loads((registry.session_dir(session_id) / "state.json").read_text("utf-8")))
        store = self._live_store(session_id)
        with store.write() as tx:  # the session's write lock: its calls wait, in every process, and then see it
            states.clear(tx)
            faults.clear(tx)
            states.install(tx, self.world, parsed)
        self._carry_out_prior(store, parsed, registry.session_dir(session_id))
        with registry.locked():
            records = registry.read()
            record = records[session_id]
            record["resets"] += 1
            record["reset_at"] = _wall(time.time())
            if record["suite_clock"]:
                record["clock"] = {"set": record["suite_clock"], "at": time.time()}
            registry.write(records)
        self.refresh()
        view = self._view(record)
        view["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        log.info("lab session %s reset in %.1f ms", session_id, view["took_ms"])
        return view

    def set_clock(self, session_id: str, to: object = None, by: object = None) -> dict[str, Any]:
        """Set the clock (`to`: a time, or "server" for the server's own clock) and/or advance it (`by`)."""
        registry = self._registry()
        if to is None and by is None:
            raise LabError(400, "LAB_CLOCK_MISSING", 'give "set" (e.g. "2026-06-01T09:00", or "server") or '
                           '"advance" (e.g. "6mo", "3d", "2h")')  # fmt: skip
        with registry.locked():
            records = registry.read()
            record = records.get(session_id)
            if record is None or record["status"] != "open":
                self._record(session_id, must_be_open=True)  # raises the right error
            now = time.time()
            clock = self._clock_of(record)
            try:
                point: datetime | None = clock() if to is None else None if to == "server" else parse_set_point(to)
                if by is not None:
                    point = advance(point or clock(), by)
            except ClockError as e:
                raise LabError(400, "LAB_CLOCK_FORMAT", str(e)) from None
            record["clock"] = {"set": point.strftime(SECOND) if point else None, "at": now}
            registry.write(records)
        self.refresh()
        return self._view(record)

    def clear(self, session_id: str, setlym: object) -> dict[str, Any]:
        """Clear month `setlym` across regions on the session's sandbox, as the platform's operator does with Y3270
        (docs/behaviour.md, "Clearing between regions"), at the session's clock. The lab is its sandbox's operator:
        this is done under the lab API's own credential, never an institution's, and journals nothing (the
        transcript holds the HIS's calls only)."""
        from yibao.simulators.core import clearing  # the settlement core's own clearing, on the sandbox's store
        from yibao.simulators.core.values.clearing import ClearData, ClearInput

        record = self._record(session_id, must_be_open=True)
        month = _text(setlym, "setlym", 'the month to clear, yyyyMM, e.g. "202701"')
        store, now = self._live_store(session_id), self._clock_of(record)()
        inst = self.world.institutions[record["institution"]]
        operator = Institution(LAB_OPERATOR, "认证实验室（沙箱运维）", inst.fixmedins_type, inst.admdvs, operator=True)
        ctx = CallContext("Y3270", f"lab-{session_id}", operator, "", now)
        try:
            with store.write() as tx:
                made = clearing.clear(self.world, tx, ctx, ClearInput(ClearData(setlym=month)))
        except Refusal as r:
            raise LabError(400, "LAB_CLEARING", f"{r.code}: {r.message_en} (field {r.field.replace('input.data.', '')})"
                           ) from None  # fmt: skip
        log.info("lab session %s: month %s cleared (%d statements)", session_id, month, len(made.stmt))
        return {"session": self._view(record), "statements": [dataclasses.asdict(st) for st in made.stmt]}

    def close(self, session_id: str) -> dict[str, Any]:
        """Stop taking the institution's calls aside; the sandbox stays on disk for reading."""
        registry = self._registry()
        with registry.locked():
            records = registry.read()
            record = records.get(session_id)
            if record is None or record["status"] != "open":
                self._record(session_id, must_be_open=True)
            record["status"] = "closed"
            record["closed_at"] = _wall(time.time())
            registry.write(records)
        self.refresh()
        log.info("lab session %s closed", session_id)
        return self._view(record)

    def shutdown(self) -> None:
        with self._lock:
            for store in [*(r[1] for r in self._retired), *(s.store for s in self._sessions.values())]:
                store.close()
            self._sessions, self.by_institution, self._retired = {}, {}, []

    # ---- helpers

    def _registry(self) -> Registry:
        if self.registry is None:
            raise LabError(503, "LAB_UNAVAILABLE", self.unavailable)
        return self.registry

    def _record(self, session_id: str, *, must_be_open: bool = False) -> Record:
        record = self._registry().read().get(session_id)
        if record is None:
            raise LabError(404, "LAB_SESSION_UNKNOWN", f"no lab session {session_id[:40]!r}")
        if must_be_open and record["status"] != "open":
            raise LabError(409, "LAB_SESSION_CLOSED", f"lab session {session_id} is closed ({record['closed_at']})")
        return record

    def _parse(self, docs: list[Any]) -> states.SuiteState:
        try:
            return states.parse_states([(name, doc) for name, doc in docs], self.world)
        except states.StateFormatError as e:
            raise LabError(400, "LAB_STATE_INVALID", str(e)) from None

    def _carry_out_prior(self, store: Store, parsed: states.SuiteState, folder: Path) -> None:
        """The state's settlements made before the session, through the platform's transactions (prior.py); their
        ids go to `prior.json`, which the session's view shows (they change at each reset)."""
        if not any(person.settlements for person in parsed.persons.values()):
            return
        from yibao.adapters.lab import prior  # the scripted HIS, and gRPC with it: only when a state needs one

        try:
            made = prior.carry_out(store, self.world, self.routes, parsed)
        except prior.PriorSettlementError as e:
            raise LabError(400, "LAB_STATE_INVALID", str(e)) from None
        (folder / "prior.json").write_text(json.dumps(made, indent=1), "utf-8")

    def _open_store(self, session_id: str) -> Store:
        assert self.registry is not None
        folder = self.registry.session_dir(session_id)
        if not (folder / "store.db").exists():
            raise FileNotFoundError(folder / "store.db")
        return Store(_url(folder))

    def _live_store(self, session_id: str) -> Store:
        self.refresh()
        session = self._sessions.get(session_id)
        if session is None:
            raise LabError(503, "LAB_SESSION_UNSERVED", f"lab session {session_id}'s store cannot be opened (see the "
                           "server's log)")  # fmt: skip
        return session.store

    def _clock_of(self, record: Record) -> LabClock:
        clock = record["clock"]
        return LabClock(parse_set_point(clock["set"]) if clock["set"] else None, clock["at"])

    def _view(self, record: Record) -> dict[str, Any]:
        inst = self.world.institutions.get(record["institution"])
        clock = record["clock"]
        return {
            "id": record["id"],
            "institution": record["institution"],
            "institution_name": inst.fixmedins_name if inst else "",
            "suites": record["suites"],
            "status": record["status"],
            "opened_at": record["opened_at"],
            "closed_at": record["closed_at"],
            "clock": {
                "now": self._clock_of(record)().strftime(SECOND),
                "mode": "lab" if clock["set"] else "server",
                "set_to": clock["set"],
                "set_at": _wall(clock["at"]),
                "suite_start": record["suite_clock"],
            },
            "resets": record["resets"],
            "reset_at": record["reset_at"],
            "prior_settlements": self._prior(record["id"]),
        }

    def _prior(self, session_id: str) -> list[dict[str, str]]:
        """The state's prior settlements as carried out at the last open or reset: case, setl_id, mdtrt_id, at."""
        if self.registry is None:
            return []
        try:
            made: list[dict[str, str]] = json.loads((self.registry.session_dir(session_id) / "prior.json").read_text())
        except (OSError, ValueError):
            return []
        return made

    def _activity(self, record: Record) -> dict[str, Any]:
        """What the session's calls have done since it opened or was last reset (no personal data)."""
        assert self.registry is not None
        path = self.registry.session_dir(record["id"]) / "store.db"
        if not path.exists():
            return {}
        store = self._sessions[record["id"]].store if record["id"] in self._sessions else Store(_url(path.parent))
        try:
            with store.read() as tx:
                j, s = t.journal.c, t.settlement.c
                outcomes = dict(tx.conn.execute(select(j.outcome, func.count()).group_by(j.outcome)).all())
                last = tx.conn.scalar(select(func.max(j.received_at)))
                settled = tx.conn.scalar(select(func.count()).where(s.kind == "settle", s.reversed_by.is_(None)))
                visits = tx.conn.scalar(select(func.count()).select_from(t.visit))
        finally:
            if record["id"] not in self._sessions:
                store.close()
        return {
            "calls": sum(outcomes.values()),
            "outcomes": outcomes,
            "last_call": last,
            "visits": visits,
            "settlements_in_force": settled,
        }


class LabRouter:
    """In front of a worker's handler: a call from an institution under test goes to its session's gateway.
    The same interface as the Gateway and the core link (`handle_wire`, `handle`, `routes`, `world`, `clock`)."""

    def __init__(self, lab: Lab, inner: Handler) -> None:
        self._lab, self._inner = lab, inner
        self.routes, self.world, self.clock = inner.routes, inner.world, inner.clock

    def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]:
        lab = self._lab
        if lab.counter[0] == lab.seen and not lab.by_institution:  # no session: nothing parsed, nothing read
            return self._inner.handle_wire(infno, request)
        return lab.handle_wire(self._inner, infno, request)

    def handle(self, route: Route, request: Message) -> Message:
        lab = self._lab
        if lab.counter[0] == lab.seen and not lab.by_institution:
            return self._inner.handle(route, request)
        return lab.handle(self._inner, route, request)


def _url(folder: Path) -> str:
    return f"sqlite:///{folder / 'store.db'}"


def _wall(seconds: float) -> str:
    return platform_clock.from_timestamp(seconds).strftime(SECOND)


def _text(value: object, name: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise LabError(400, "LAB_FIELD", f'"{name}" is required: {what}')
    return value


def _suite_docs(suites: object) -> list[tuple[str, Any]]:
    """[(name, raw state)] from the request's "suites": names of built-in suites ("demo", or "a,b"), or objects
    {"name": …, "state": {…}} carrying a state file the lab wrote."""
    if isinstance(suites, str):
        suites = [s.strip() for s in suites.split(",") if s.strip()]
    if not isinstance(suites, list) or not suites:
        raise LabError(400, "LAB_FIELD", '"suites" is required: a built-in suite\'s name, names separated by commas, '
                       'or a list of names and {"name": …, "state": {…}} objects')  # fmt: skip
    docs: list[tuple[str, Any]] = []
    for n, suite in enumerate(suites):
        try:
            if isinstance(suite, str):
                docs.append((suite, states.read_builtin(suite)))
                continue
            if not isinstance(suite, dict) or not isinstance(suite.get("name"), str) or "state" not in suite:
                raise LabError(400, "LAB_FIELD", f'suites[{n}] must be a name or {{"name": …, "state": {{…}}}}')
            if not states.SUITE_NAME.match(suite["name"]):
                raise LabError(400, "LAB_FIELD", f"suites[{n}].name must be 1 to 40 lower-case letters, digits, - or _")
            docs.append((suite["name"], suite["state"]))
        except states.StateFormatError as e:
            raise LabError(400, "LAB_SUITE_UNKNOWN", str(e)) from None
    names = [name for name, _ in docs]
    if len(set(names)) != len(names):
        raise LabError(400, "LAB_FIELD", f"a suite is named twice: {', '.join(names)}")
    return docs
