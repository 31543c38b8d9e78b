"""`yibao simulate --hospitals N --pharmacies M --minutes T --seed S`: a synthetic population and its
traffic, run by N simulated hospitals and M pharmacies at once, against a gateway started in process
on a temporary SQLite store (or the one at --target, which must serve the same generated world:
write it with --write-world and start `yibao serve --world` on it)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import grpc

from yibao import platform_clock
from yibao.request_signing import ClientKey
from yibao.simulators.his.claim_round import ClaimPaid, agency_client
from yibao.simulators.his.cleared_month import cleared_month_check
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.closing import accumulations_check, family_check, month_end_check
from yibao.simulators.his.desk import certificate_query
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.family_round import FamilyMoved
from yibao.simulators.his.fleet import Fleet, FleetResult, kinds_run
from yibao.simulators.his.invariants import Check
from yibao.simulators.his.population import Population, generate, operator_of
from yibao.simulators.his.reconcile_by_file import reconciliation_check
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.summary import format_summary, merge_latencies
from yibao.simulators.his.tls_client import ClientTls, open_channel
from yibao.simulators.his.traffic import ScriptBook, ScriptStream, format_mix
from yibao.world.loader import WorldFormatError, parse_world

CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class TrafficPlan:
    hospitals: int
    pharmacies: int
    seed: int
    mix: Mapping[str, int]
    minutes: float | None = None
    visits: int | None = None  # stop after the first N scripts of the stream


def load_base(world_path: str | None) -> dict[str, Any]:
    """The world whose regions and catalogues the population uses (default: the built-in demo)."""
    if world_path is None:
        return json.loads(resources.files("yibao.world").joinpath("demo_world.json").read_text(encoding="utf-8"))
    return json.loads(Path(world_path).read_text(encoding="utf-8"))


def populate(plan: TrafficPlan, world_path: str | None) -> Population:
    return generate(load_base(world_path), plan.hospitals, plan.pharmacies, plan.seed)


# A platform started in this process for the run: given the world document and a thread count, it
# yields its gRPC address and a function giving its store's settlement totals (rows, Σ medfee, Σ fund).
# `yibao simulate` passes yibao.adapters.platform.in_process_platform; the simulated hospitals never
# import the platform themselves.
StoreTotals = tuple[int, Decimal, Decimal]
LocalPlatform = Callable[[dict[str, Any], int], AbstractContextManager[tuple[str, Callable[[], StoreTotals]]]]


def store_check(totals: StoreTotals, result: FleetResult) -> Check:
    """The platform's store holds exactly the settlements the desks received receipts for."""
    count, medfee, fund = totals
    mine = result.ledger.totals()
    ok = (count, medfee, fund) == (mine.receipts, mine.medfee, mine.fund)
    detail = f"{count} settlement rows, Σ medfee {medfee:.2f}, Σ fund {fund:.2f}"
    if not ok:
        detail += f"; the receipts: {mine.receipts}, Σ medfee {mine.medfee:.2f}, Σ fund {mine.fund:.2f}"
    return Check("the platform's store agrees with the receipts", ok, detail)


def simulate_traffic(
    plan: TrafficPlan,
    *,
    target: str | None,
    world_path: str | None = None,
    progress: bool = True,
    out: TextIO | None = None,
    progress_file: TextIO | None = None,
    local_platform: LocalPlatform | None = None,
    tls: ClientTls | None = None,
    keys: Mapping[str, ClientKey] | None = None,
) -> int:
    """Run the plan against `target`, or without one against `local_platform`; print failures as they
    happen and the summary. 0 when every visit succeeded and every invariant holds, 1 otherwise, 2 when
    the run cannot start."""
    out = out or sys.stdout  # looked up now: sys.stdout may have been replaced since import
    try:
        population = populate(plan, world_path)
        world = parse_world(population.world, "generated world")
        stream = iter(ScriptStream(world, population.patients, plan.mix, plan.seed))
    except (OSError, ValueError, KeyError, WorldFormatError) as e:  # WorldFormatError is a ValueError
        print(f"yibao simulate: cannot generate the run: {e}", file=out)
        return 2
    codes = sorted(population.patients)
    book = ScriptBook(stream, codes, window=max(16, 4 * len(codes)), limit=plan.visits)
    desks = len(codes)
    with contextlib.ExitStack() as stack:
        totals = None
        if target is None:
            if local_platform is None:
                raise ValueError("simulate_traffic needs a target or a local platform")
            target, totals = stack.enter_context(local_platform(population.world, max(16, 2 * desks)))
            where = f"in-process gateway {target} on a temporary SQLite store"
        else:
            where = target
        channel = signing_channel(stack.enter_context(open_channel(target, tls)), keys)  # keys: docs/security.md
        now = datetime.now()  # where the msgid sequences start, so a run in the same second as another differs
        sequences = {code: MsgidSequence(start=now.microsecond) for code in codes}
        if (problem := _preflight(channel, world, codes, target, sequences)) is not None:
            print(f"yibao simulate: {problem}", file=out)
            return 1
        until = [f"{plan.minutes:g} min"] if plan.minutes is not None else []
        until += [f"the first {plan.visits} visits"] if plan.visits else []
        heading = [
            f"seed {plan.seed}: {plan.hospitals} hospitals, {plan.pharmacies} pharmacies, {len(world.persons)} persons"
            f" → {where}",
            f"mix {format_mix(plan.mix)}; until {' or '.join(until)}",
        ]
        print("\n".join(heading), file=out, flush=True)
        fleet = Fleet(channel, world, book, codes, out=out, sequences=sequences)
        seconds = plan.minutes * 60 if plan.minutes is not None else None
        result = fleet.run(seconds=seconds, limit=plan.visits, progress=progress, progress_file=progress_file)
        checks = result.ledger.checks()
        if totals is not None:  # a fresh store: it holds the run's settlements and nothing else
            checks.append(store_check(totals(), result))
            checks += closing_checks(channel, world, codes, sequences, result)
        rate = f"{result.visits / result.seconds:.1f} visits/s, {result.calls / result.seconds:.1f} calls/s"
        heading.append(f"ran {result.seconds:.1f} s: {rate}" + (" (interrupted)" if result.interrupted else ""))
        text = format_summary(result.tally, result.latencies, kinds=kinds_run(result), checks=checks, heading=heading)
        print(text, file=out)
    failed = result.tally.failed or result.interrupted or not all(c.ok for c in checks)
    return 1 if failed else 0


def closing_checks(channel: grpc.Channel, world: Any, codes: list[str], sequences: Mapping[str, MsgidSequence],
                   result: FleetResult) -> list[Check]:  # fmt: skip
    """The year's accumulations and last month's closing (closing.py), by clients of the run's institutions."""
    clients = {c: HisClient(channel, world.institutions[c], sequence=sequences[c]) for c in codes}
    hospitals = {c: client for c, client in clients.items() if world.institutions[c].fixmedins_type != "2"}
    ledger = result.ledger
    claims = [n for n in ledger.notes if isinstance(n, ClaimPaid)]
    checks = [accumulations_check(clients[codes[0]], world, ledger.receipts, claims)]
    if moved := [n for n in ledger.notes if isinstance(n, FamilyMoved)]:
        checks.append(family_check(clients[codes[0]], world, ledger.receipts, moved))
    checks.append(reconciliation_check(clients, ledger.receipts, platform_clock.today()))
    if hospitals:
        checks.append(month_end_check(hospitals, platform_clock.today()))
        if (operator := operator_of(world)) is not None:  # a fresh store, the clock ours: clear this month
            agency = agency_client(channel, world, operator.fixmedins_code)
            checks.append(cleared_month_check(agency, hospitals, ledger.receipts))
            result.latencies = merge_latencies([result.latencies, agency.latencies])
    result.latencies = merge_latencies([result.latencies, *(c.latencies for c in clients.values())])
    return checks


def _preflight(
    channel: grpc.Channel, world: Any, codes: list[str], target: str, sequences: Mapping[str, MsgidSequence]
) -> str | None:
    """Whether the gateway answers and serves this run's world: every institution signs in, and 1101
    knows the first and last persons as generated (a word to the operator if not)."""
    try:
        grpc.channel_ready_future(channel).result(timeout=CONNECT_TIMEOUT)
    except grpc.FutureTimeoutError:
        return f"no gateway answers at {target} (waited {CONNECT_TIMEOUT:.0f} s)"
    other = (f"the gateway at {target} does not serve this run's world ({{}}); write it with --write-world FILE "
             "and start `yibao serve --world FILE --db <a new store>`")  # fmt: skip
    persons = list(world.persons.values())
    try:
        for code in codes:
            client = HisClient(channel, world.institutions[code], sequence=sequences[code])
            client.sign_in()
            if code == codes[0]:
                for p in (persons[0], persons[-1]):
                    got = client.query_person(certificate_query(p, "01")).output.baseinfo
                    if (got.psn_no, got.psn_name, got.certno) != (p.psn_no, p.psn_name, p.certno):
                        return other.format(f"1101 answers {got.psn_name} {got.certno} for {p.psn_name} {p.certno}")
            client.sign_out()
    except HisRefused as r:
        if r.code in ("AUTH_INSTITUTION_UNKNOWN", "PSN_CERT_UNKNOWN"):
            return other.format(r.err_msg)
        return f"{r.infno} refused at {target}: {r.err_msg}"
    return None
