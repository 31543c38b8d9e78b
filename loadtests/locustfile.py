"""Locust load test of the gateway: simulated HIS desks over gRPC, with latency budgets and the
business invariants checked when the run ends.

    locust -f loadtests/locustfile.py --headless -u 50 -r 10 -t 60s --host 127.0.0.1:50051 --csv out --html out.html

Users run the flows of the simulated HIS (yibao.simulators.his): outpatient desks (1101 → 2201 →
2203 → 2204 → 2206 → 2207) and inpatient wards (1101 → 2401 → 2301 ×4 → 2402 → 2303 → 2304, 20
items), each signed in once (9001) and out at the end (9002). Every call is reported to Locust as
request_type "grpc", named infno + RPC ("2207 Settle"); refusals are failures named by the
gateway's error code. Each complete flow is also reported, as request_type "flow".

Options added here (docs/load-testing.md, "Load testing"):
  --budget INFNO:PERCENTILE:MS  repeatable; `*` for every transaction; default `*:99:1000`
  --world FILE                  the world the gateway serves (default: the built-in demo)
  --think-time SECONDS          mean pause between a user's flows (default 1)
  --inpatient-share FRACTION    of users that are wards (default 0.1)

When the run ends, every budget and the invariants (each settlement balances; no setl_id returned
twice; no visit or charge batch settled twice) are checked; a breach is printed and makes the
exit code 1. In distributed mode workers send their settlements to the master, which checks them
all. Each load process draws msgids from its own slot of the 4-digit sequence (worker index k →
slot k; at most 10 processes), so processes never reuse a msgid, whichever institutions they share.
"""

from __future__ import annotations

# gRPC's I/O must cooperate with gevent (Locust's concurrency) before any channel exists.
import grpc.experimental.gevent as grpc_gevent

grpc_gevent.init_gevent()

import contextlib
import itertools
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import grpc
from locust import User, between, events, task
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from yibao.domain.world import HOSPITAL, Institution, World
from yibao.simulators.his.client import HisClient, HisRefused, error_detail
from yibao.simulators.his.hospital import active_persons, run_outpatient_visit
from yibao.simulators.his.inpatient_stay import run_inpatient
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.load.budgets import check, parse_budgets
from yibao.simulators.load.invariants import Ledger
from yibao.simulators.load.msgids import InstitutionSequences
from yibao.simulators.load.stays import draw_stay_script
from yibao.world.loader import load_world

LEDGER = Ledger()
_state: dict[str, Any] = {}  # world, msgid sequences: set up once per process
_user_numbers = itertools.count()


class CallFailed(Exception):
    """A refused or failed call, named by what Locust should group failures by."""


class Reporter(grpc.UnaryUnaryClientInterceptor):
    """Reports every unary call to Locust, named infno + RPC."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment

    def intercept_unary_unary(self, continuation: Callable[..., Any], details: Any, request: Any) -> Any:
        name = f"{request.header.infno} {details.method.rsplit('/', 1)[-1]}"
        started = time.perf_counter()
        outcome = continuation(details, request)
        error = outcome.exception()
        elapsed_ms = (time.perf_counter() - started) * 1000
        failure = None
        if error is not None:
            detail = error_detail(error)
            status = error.code().name if isinstance(error, grpc.Call) else type(error).__name__
            failure = CallFailed(f"{status} {detail.code}" if detail else status)
        self.environment.events.request.fire(
            request_type="grpc",
            name=name,
            response_time=elapsed_ms,
            response_length=0 if error else outcome.result().ByteSize(),
            exception=failure,
            context={},
        )
        return outcome


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    group = parser.add_argument_group("yibao")
    group.add_argument(
        "--budget",
        action="append",
        default=[],
        metavar="INFNO:PERCENTILE:MS",
        help="latency budget, repeatable (e.g. 2207:99:50; * for every transaction); default *:99:1000",
    )
    group.add_argument("--world", default="", help="the world file the gateway serves (default: the built-in demo)")
    group.add_argument("--think-time", type=float, default=1.0, help="mean seconds between a user's flows")
    group.add_argument("--inpatient-share", type=float, default=0.1, help="fraction of users that are inpatient wards")


@events.init.add_listener
def _init(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    if options is not None and not isinstance(environment.runner, WorkerRunner):
        try:
            parse_budgets(options.budget)  # fail before the run, not after it
        except ValueError as e:
            sys.exit(f"locustfile: {e}")
    LEDGER.forwarding = isinstance(environment.runner, WorkerRunner)


def _process_state(environment: Environment) -> dict[str, Any]:
    """The world and this process's msgid slot, set up on first use (a worker learns its index late)."""
    if not _state:
        options = environment.parsed_options
        world = load_world(getattr(options, "world", "") or None)
        runner = environment.runner
        slot = runner.worker_index if isinstance(runner, WorkerRunner) else 0
        hospitals = [i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled]
        _state.update(
            world=world,
            persons=active_persons(world),
            hospitals=hospitals,
            sequences=InstitutionSequences(slot, start=datetime.now().microsecond),
        )
    return _state


class HisUser(User):
    """One HIS workstation: its own connection (so a multi-process gateway spreads the load), signed in."""

    abstract = True

    def wait_time(self) -> float:
        think = self.environment.parsed_options.think_time if self.environment.parsed_options else 1.0
        return between(0.5 * think, 1.5 * think)(self)

    def on_start(self) -> None:
        state = _process_state(self.environment)
        number = next(_user_numbers)
        self.world: World = state["world"]
        self.persons = state["persons"]
        self.rng = random.Random(number)
        institution: Institution = state["hospitals"][number % len(state["hospitals"])]
        # A channel of its own (not gRPC's process-wide shared connection): one TCP connection per user.
        self.channel = grpc.insecure_channel(self.host, options=[("grpc.use_local_subchannel_pool", 1)])
        intercepted = grpc.intercept_channel(self.channel, Reporter(self.environment))
        sequence = state["sequences"].get(institution.fixmedins_code)
        self.his = HisClient(intercepted, institution, sequence=sequence)
        with contextlib.suppress(HisRefused):  # reported; the first flow signs in again
            self.his.sign_in()

    def on_stop(self) -> None:
        try:
            if self.his.signed_in:
                self.his.sign_out()
        except HisRefused:
            pass
        finally:
            self.channel.close()

    def _flow(self, name: str, run: Callable[[], None]) -> None:
        started = time.perf_counter()
        failure: Exception | None = None
        try:
            run()
        except HisRefused as r:
            failure = CallFailed(f"{r.infno} {r.code or r.status_code.name}")
        except HisCheckFailed as c:  # a receipt that does not add up
            failure = CallFailed(c.code)
            LEDGER.problem("; ".join(c.problems))
            if c.receipt is not None:
                _record(c.receipt)
        self.environment.events.request.fire(
            request_type="flow",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=failure,
            context={},
        )


def _record(receipt: Receipt) -> None:
    LEDGER.settled(receipt.setl_id, f"{receipt.mdtrt_id}/{receipt.chrg_bchno}")


class OutpatientDesk(HisUser):
    @task
    def visit(self) -> None:
        def run() -> None:
            _record(run_outpatient_visit(self.his, self.world, self.rng.choice(self.persons), self.rng))

        self._flow("outpatient visit", run)


class InpatientWard(HisUser):
    @task
    def stay(self) -> None:
        def run() -> None:
            script = draw_stay_script(self.world, self.his.institution, self.rng.choice(self.persons), self.rng)
            for receipt in run_inpatient(self.his, self.world, script):
                _record(receipt)

        self._flow("inpatient stay", run)


@events.test_start.add_listener
def _weights(environment: Environment, **_: Any) -> None:
    share = environment.parsed_options.inpatient_share if environment.parsed_options else 0.1
    share = min(max(share, 0.0), 1.0)
    InpatientWard.weight = round(100 * share)
    OutpatientDesk.weight = 100 - InpatientWard.weight


@events.report_to_master.add_listener
def _report(data: dict[str, Any], **_: Any) -> None:
    data["yibao_ledger"] = LEDGER.take_report()


@events.worker_report.add_listener
def _merge(data: dict[str, Any], **_: Any) -> None:
    if "yibao_ledger" in data:
        LEDGER.merge(data["yibao_ledger"])


@events.quitting.add_listener
def _verdict(environment: Environment, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner) or environment.parsed_options is None:
        return
    stats = environment.stats
    names = sorted(name for (name, kind) in stats.entries if kind == "grpc")
    verdicts = check(
        parse_budgets(environment.parsed_options.budget),
        names,
        lambda name, p: stats.get(name, "grpc").get_response_time_percentile(p / 100),
    )
    violations = LEDGER.violations()
    breached = [v for v in verdicts if not v.ok]
    where = "master" if isinstance(environment.runner, MasterRunner) else "local"
    print(f"\n==== yibao budgets and invariants ({where}; {LEDGER.settlements} settlements checked) ====")
    for v in breached:
        print(f"  ✗ {v}")
    print(f"  {len(verdicts) - len(breached)} of {len(verdicts)} budget checks ok")
    if not names:
        print("  ✗ no transaction was measured")
    for problem in violations:
        print(f"  ✗ invariant: {problem}")
    if not violations:
        print("  ✓ invariants: every settlement balances; nothing paid twice")
    sys.stdout.flush()
    if breached or violations or not names:
        environment.process_exit_code = 1
