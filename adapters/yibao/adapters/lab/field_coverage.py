"""Which input fields the built-in cases exercise, per transaction, and which none does (docs/lab.md, "Case suites":
`yibao cert coverage`).

The fields a case sends are the ones the scripted HIS (runner.py) fills when it follows the card, so they are found
by following every card at a terminal that sends nothing: each request is recorded instead of sent, and answered
with an empty reply of its transaction (filled only with what the terminal needs to go on: a sign_no). No server,
no store, no clock of the lab: a clock step moves only this terminal's clock. A field counts as exercised when some
case sends it with a value; a list's elements are one path (`feedetail[].med_list_codg`).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from yibao.adapters.lab.cases import CaseSuite
from yibao.adapters.lab.runner import CaseRunner, LabClockFollower, _Recording
from yibao.domain.world import PHARMACY, World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.transactions import transactions

START = datetime(2026, 6, 1, 9, 0)


class _Dry:
    """A terminal's transport that records each request and answers an empty reply."""

    sent: list[tuple[str, Message]]
    world: World

    def _call(self, infno: str, request: Message) -> Any:
        self.sent.append((infno, request))
        reply = transactions()[infno].reply_cls()
        _fill(reply.output, f"{self.envelope.clock():%Y-%m-%d %H:%M:%S}")  # type: ignore[attr-defined]
        if infno == "1101":  # the person's insurances, as the platform would answer them
            number = request.input.data.mdtrt_cert_no  # type: ignore[attr-defined]
            person = next(p for p in self.world.persons.values() if number in (p.ec_token, p.certno, p.card_no))
            reply.output.baseinfo.psn_no = person.psn_no
            for i in person.insurances:
                reply.output.insuinfo.add(insutype=i.insutype, insuplc_admdvs=i.insuplc_admdvs)
        return reply


def _fill(message: Message, now: str) -> None:
    """Every text field of a reply's singular nodes given a value of its kind, so the terminal goes on as after a
    real answer (a visit's mdtrt_id, a settlement's setl_id and time, a filing's number)."""
    for f in message.DESCRIPTOR.fields:
        if f.is_repeated:
            continue
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            _fill(getattr(message, f.name), now)
        elif f.type == FieldDescriptor.TYPE_STRING:
            amount = f.name.endswith(("_amt", "_pay", "_sumamt", "_selfpay", "balc", "_dedc"))
            setattr(message, f.name, "0.00" if amount else now if f.name.endswith("_time") else f"DRY-{f.name}")


class _DryHospital(_Recording, _Dry, HisClient):
    pass


class _DryPharmacy(_Recording, _Dry, PharmacyClient):
    pass


class _FollowEveryStep(CaseRunner):
    """The scripted HIS, carrying on after every step whatever the card expects (nothing is refused here)."""

    def _step(self, run: Any, visit: Any, n: int, step: Any) -> bool:
        # a step that needs an answer the dry run does not give (a setl_id to cancel) stops alone: the rest go on
        with contextlib.suppress(KeyError, IndexError, ValueError, RuntimeError, AssertionError):
            self._steps[step.do](visit, step)
        return False


def sent_requests(suites: list[CaseSuite], world: World) -> list[tuple[str, Message]]:
    """Every request the scripted HIS sends following the suites' cards (a dry run)."""
    sent: list[tuple[str, Message]] = []
    for suite in suites:
        institution = world.institutions[suite.institution]
        cls: type[HisClient] = _DryPharmacy if institution.fixmedins_type == PHARMACY else _DryHospital
        clock = LabClockFollower(START)
        client = cls(None, institution, clock=clock)  # type: ignore[arg-type]
        client.sent, client.world = sent, world  # type: ignore[attr-defined]

        def move(body: dict[str, str], clock: LabClockFollower = clock) -> datetime:
            return clock()

        _FollowEveryStep(client, world, frozenset(), move).run_suite(suite)
    return sent


def input_fields(descriptor: Descriptor, prefix: str = "") -> list[str]:
    """Every leaf field path of an input message: `data.psn_no`, `feedetail[].cnt`."""
    out: list[str] = []
    for f in descriptor.fields:
        path = f"{prefix}{f.name}{'[]' if f.is_repeated else ''}"
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            out += input_fields(f.message_type, f"{path}.")
        else:
            out.append(path)
    return out


def filled(message: Message, prefix: str = "") -> set[str]:
    """The leaf field paths of a message that hold a value."""
    out: set[str] = set()
    for f, value in message.ListFields():
        repeated = f.is_repeated
        path = f"{prefix}{f.name}{'[]' if repeated else ''}"
        if f.type != FieldDescriptor.TYPE_MESSAGE:
            out.add(path)
            continue
        for element in value if repeated else [value]:
            out |= filled(element, f"{path}.")
    return out


def field_coverage(suites: list[CaseSuite], world: World) -> dict[str, dict[str, list[str]]]:
    """Per transaction the cases send: its input fields sent with a value (`covered`) and those never sent."""
    seen: dict[str, set[str]] = {}
    for infno, request in sent_requests(suites, world):
        seen.setdefault(infno, set()).update(filled(request.input))  # type: ignore[attr-defined]
    out = {}
    for infno, tx in transactions().items():
        if infno not in seen:
            continue
        every = input_fields(tx.request_cls.DESCRIPTOR.fields_by_name["input"].message_type)
        out[infno] = {
            "covered": [f for f in every if f in seen[infno]],
            "uncovered": [f for f in every if f not in seen[infno]],
        }
    return out
