"""Settlements a state file declares as made before the session (docs/lab.md, "settlements[]"): each is carried out
through the platform's own transactions on the session's sandbox, at its own date and at its own hospital, by the
scripted HIS (runner.py) — 9001, 1101, 2201, 2203, 2204, 2206, 2207 — so its rows, its figures and what it adds to
the person's deductible, caps and account are exactly the platform's. Its messages are then taken out of the
journal (and the journal's chains start again), because they are state, not the HIS's calls under test: the
session's transcript starts empty. The settlements stay, as the visits a later refund or a 隔笔退费 works on.
"""

from __future__ import annotations

import time
from typing import Any

import grpc
from google.protobuf.message import Message
from sqlalchemy import delete

from yibao.adapters.lab.cases import DEFAULT_DIAGNOSIS, Case, Expect, Item, Step
from yibao.adapters.lab.clock import LabClock
from yibao.adapters.lab.runner import CaseRunner, LabClockFollower, _Recording
from yibao.adapters.lab.state import PriorSettlement, SuiteState
from yibao.domain.world import World
from yibao.gateway.dispatch import Gateway, Refused
from yibao.gateway.routes import Route
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.storage import schema as t
from yibao.storage.journal_chain import restart_chains
from yibao.storage.store import Store

# The terminal's steps for each kind of prior settlement (the items go with the step named second): a visit, a stay
# admitted, billed, discharged and settled at one time, a sale.
STEPS = {
    "outpatient": (("identify", "register", "visit_info", "upload_fees", "pre_settle", "settle"), "upload_fees"),
    "inpatient": (("identify", "admit", "upload_stay_fees", "discharge", "pre_settle_stay", "settle_stay"),
                  "upload_stay_fees"),
    "pharmacy": (("identify", "pre_settle_sale", "settle_sale"), "*"),
}  # fmt: skip


class PriorSettlementError(ValueError):
    """A declared settlement the platform would not carry out: `source: JSON path: the refusal`."""


class _Direct:
    """A transport straight to a gateway on the sandbox (no network)."""

    gateway: Gateway
    routes: dict[str, Route]

    def _call(self, infno: str, request: Message) -> Any:
        try:
            return self.gateway.handle(self.routes[infno], request)
        except Refused as r:
            d = r.detail
            raise HisRefused(infno, d.code, d.field, d.header.err_msg, grpc.StatusCode.UNKNOWN) from None


class _InProcess(_Recording, _Direct, HisClient):
    """A hospital's terminal on that transport, keeping the settlements it is told of."""


class _InProcessPharmacy(_Recording, _Direct, PharmacyClient):
    """A pharmacy's till on that transport."""


def carry_out(store: Store, world: World, routes: dict[str, Route], state: SuiteState) -> list[dict[str, str]]:
    """Carry out the state's prior settlements in date order, then clear the journal they wrote. Returns, for each,
    the case that works on it, its setl_id, mdtrt_id and time: what the HIS's own records would hold."""
    priors = sorted((s for ps in state.persons.values() for s in ps.settlements), key=lambda s: s.at)
    if not priors:
        return []
    if not routes:
        raise PriorSettlementError("this server has no transactions to carry out the state's prior settlements with")
    made = [_settle(store, world, routes, prior, n) for n, prior in enumerate(priors)]
    with store.write() as tx:
        tx.conn.execute(delete(t.journal))
        restart_chains(tx.conn)
    return made


def _settle(store: Store, world: World, routes: dict[str, Route], prior: PriorSettlement, n: int) -> dict[str, str]:
    person = world.persons[prior.psn_no]
    cls = _InProcessPharmacy if prior.kind == "pharmacy" else _InProcess
    client = cls(None, world.institutions[prior.institution], clock=LabClockFollower(prior.at))  # type: ignore[arg-type]
    client.gateway = Gateway(world, store, routes, LabClock(prior.at, time.time()))
    client.routes = routes
    items = tuple(Item(*item) for item in prior.items)
    names, billed = STEPS[prior.kind]
    steps = tuple(
        Step(do, "", batch="1", items=items if billed in (do, "*") else ()) for do in names
    )  # the infno matters only to the verdicts, which never see these
    case = Case(
        "state", f"PS-{n:02d}", "prior settlement", (), prior.psn_no, prior.kind, prior.insutype,
        "01" if person.ec_token else "02", prior.med_type, DEFAULT_DIAGNOSIS, prior.use_account, "", steps, "",
        Expect(1),
    )  # fmt: skip
    runner = CaseRunner(client, world)
    client.sign_in()
    run = runner.run_case(case)
    if not run.completed:
        raise PriorSettlementError(f"{prior.where}: the platform did not settle it at {prior.at:%Y-%m-%dT%H:%M}: "
                                   f"{run.problem}")  # fmt: skip
    info = list(client.books.values())[-1]
    at = f"{prior.at:%Y-%m-%dT%H:%M:%S}"
    return {"case": prior.case, "setl_id": info.setl_id, "mdtrt_id": info.mdtrt_id, "at": at,
            "medfee_sumamt": info.medfee_sumamt}  # fmt: skip
