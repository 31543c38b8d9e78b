"""Locust load test of the gateway: simulated HIS desks over gRPC, with latency budgets and the
business invariants checked when the run ends.

    locust -f loadtests/locustfile.py --headless -u 50 -r 10 -t 60s --host 127.0.0.1:50051 --csv out --html out.html

Users run the flows of the simulated HIS (yibao.simulators.his): outpatient desks (1101 → 2201 →
2203 → 2204 → 2206 → 2207), inpatient wards (1101 → 2401 → 2301 ×4 → 2402 → 2303 → 2304, 20
items) and traffic desks running every other kind of `yibao simulate` by the weights of --mix (pharmacy
sales at a pharmacy's till, refunds, 2601 reversals and Y2208 partial refunds, filings 2501–2506,
cross-region emergency stays, chronic-disease visits, cancellations, visits checked through the queries),
each signed in once (9001) and out at the end (9002). Every call is reported to Locust as
request_type "grpc", named infno + RPC ("2207 Settle"); refusals are failures named by the
gateway's error code. Each complete flow is also reported, as request_type "flow".

Options added here (docs/load-testing.md, "Load testing"):
  --budget INFNO:PERCENTILE:MS  repeatable; `*` for every transaction; default `*:99:1000`
  --world FILE                  the world the gateway serves (default: the built-in demo)
  --think-time SECONDS          mean pause between a user's flows (default 1)
  --inpatient-share FRACTION    of the other users that are wards (default 0.1)
  --traffic-share FRACTION      of users that are traffic desks (default 0.3)
  --mix KIND=WEIGHT,...         the traffic desks' kinds (default: TRAFFIC_MIX)
  --grpc-tls-ca FILE            connect over TLS, trusting this CA (docs/security.md, "Transport security")
  --grpc-tls-cert FILE, --grpc-tls-key FILE
                                mutual TLS: every user acts for the certificate's institution (a hospital;
                                the traffic desks then run no pharmacy kinds: a till is another institution)
                                (Locust's own --tls-cert and --tls-key are its web UI's)
  --keys FILE                   sign every call with its institution's key from this keys file, as
                                `yibao serve --keys FILE` requires (docs/security.md, "Request signing")

When the run ends, every budget and the invariants (each settlement balances; no setl_id returned
twice; no visit or charge batch settled twice unless given back in between, nor given back twice; and what
each traffic flow checks of its own replies) are checked; a breach is printed and makes the
exit code 1. In distributed mode workers send their settlements to the master, which checks them
all. Each load process draws msgids from its own slot of the 4-digit sequence (worker index k →
slot k; at most 10 processes), so processes never reuse a msgid, whichever institutions they share.
"""

from __future__ import annotations

# gRPC's I/O must cooperate with gevent (Locust's concurrency) before any channel exists.
import grpc.experimental.gevent as grpc_gevent

grpc_gevent.init_gevent()

import argparse
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

from yibao.certs import institution_of_pem
from yibao.domain.world import HOSPITAL, PHARMACY, Institution, World
from yibao.request_signing import client_keys, load_keys
from yibao.simulators.his.client import HisClient, HisRefused, error_detail
from yibao.simulators.his.flows import run_script
from yibao.simulators.his.hospital import active_persons, run_outpatient_visit
from yibao.simulators.his.inpatient_stay import run_inpatient
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import PHARMACY_KINDS
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.tls_client import ClientTls, from_args, open_channel
from yibao.simulators.his.traffic import parse_mix
from yibao.simulators.his.visit_draw import VisitDraw
from yibao.simulators.load.budgets import check, parse_budgets
from yibao.simulators.load.invariants import Ledger
from yibao.simulators.load.msgids import InstitutionSequences
from yibao.simulators.load.stays import draw_stay_script
from yibao.world.loader import load_world

LEDGER = Ledger()
_state: dict[str, Any] = {}  # world, msgid sequences: set up once per process
_user_numbers = itertools.count()
# The traffic desks' default kinds (docs/load-testing.md): yibao simulate's default mix without its
# outpatient and inpatient shares, which the desks and wards of this file carry.
TRAFFIC_MIX = "emergency=5,chronic=8,cancel=4,refund=5,pharmacy=12,query=5,reversal=3,filing=3,catalogue=1"
_busy: set[str] = set()  # persons a traffic flow of this process is serving: one flow a person at a time


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
    group.add_argument(
        "--inpatient-share",
        type=float,
        default=0.1,
        help="fraction of the users other than traffic desks that are inpatient wards",
    )
    group.add_argument("--traffic-share", type=float, default=0.3, help="fraction of users that are traffic desks")
    group.add_argument("--mix", default=TRAFFIC_MIX, help=f"the traffic desks' kinds, KIND=WEIGHT,... ({TRAFFIC_MIX})")
    # grpc-: Locust's own --tls-cert and --tls-key serve its web UI over HTTPS
    group.add_argument("--grpc-tls-ca", default=None, help="connect over TLS, trusting this CA for the gateway's "
                       "certificate")  # fmt: skip
    group.add_argument("--grpc-tls-cert", default=None, help="mutual TLS: this client certificate; every user acts "
                       "for its institution")  # fmt: skip
    group.add_argument("--grpc-tls-key", default=None, help="the private key of --grpc-tls-cert")
    group.add_argument("--keys", default=None, help="sign each call with its institution's key from this keys file")


@events.init.add_listener
def _init(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    if options is not None and not isinstance(environment.runner, WorkerRunner):
        try:
            parse_budgets(options.budget)  # fail before the run, not after it
            parse_mix(options.mix)
            _security(options)
        except ValueError as e:  # a keys file's KeysFileError too
            sys.exit(f"locustfile: {e}")
    LEDGER.forwarding = isinstance(environment.runner, WorkerRunner)


def _security(options: Any) -> tuple[ClientTls | None, dict[str, Any] | None, str | None]:
    """The --tls-* and --keys options read: the TLS files, each institution's signing key, and under mutual TLS
    the one institution the client certificate acts for. ValueError names the option and what is wrong."""
    if options is None:  # run as a library, without Locust's command line: plaintext, unsigned
        return None, None, None
    flags = {"tls_ca": options.grpc_tls_ca, "tls_cert": options.grpc_tls_cert, "tls_key": options.grpc_tls_key}
    try:
        tls = from_args(argparse.Namespace(**flags))
    except ValueError as e:  # it names the flags without their grpc- prefix
        raise ValueError(str(e).replace("--tls-", "--grpc-tls-")) from None
    keys = client_keys(load_keys(options.keys)) if options.keys else None
    only = None
    if tls is not None and tls.cert is not None:
        only = institution_of_pem(tls.cert)
        if only is None:
            raise ValueError(f"--grpc-tls-cert {options.grpc_tls_cert} acts for no institution (`yibao certs client "
                             "--institution CODE`)")  # fmt: skip
    return tls, keys, only


def _process_state(environment: Environment) -> dict[str, Any]:
    """The world and this process's msgid slot, set up on first use (a worker learns its index late)."""
    if not _state:
        options = environment.parsed_options
        world = load_world(getattr(options, "world", "") or None)
        runner = environment.runner
        slot = runner.worker_index if isinstance(runner, WorkerRunner) else 0
        tls, keys, only = _security(options)  # under mutual TLS a connection acts for one institution only
        usable = [i for i in world.institutions.values() if i.enabled and only in (None, i.fixmedins_code)]
        hospitals = [i for i in usable if i.fixmedins_type == HOSPITAL]
        pharmacies = [i for i in usable if i.fixmedins_type == PHARMACY and only is None]
        if not hospitals:
            sys.exit(f"locustfile: --grpc-tls-cert acts for {only}, which is no hospital of the world")
        _state.update(
            world=world,
            persons=active_persons(world),
            hospitals=hospitals,
            pharmacies=pharmacies,
            sequences=InstitutionSequences(slot, start=datetime.now().microsecond),
            tls=tls,
            keys=keys,
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
        self.channel = open_channel(self.host, state["tls"], options=[("grpc.use_local_subchannel_pool", 1)])
        signed = signing_channel(self.channel, state["keys"])  # reported below: its cost is the call's
        self.intercepted = grpc.intercept_channel(signed, Reporter(self.environment))
        self.number = number
        sequence = state["sequences"].get(institution.fixmedins_code)
        self.his = HisClient(self.intercepted, institution, sequence=sequence)
        with contextlib.suppress(HisRefused):  # reported; the first flow signs in again
            self.his.sign_in()

    def on_stop(self) -> None:
        try:
            for client in self._clients():
                if client.signed_in:
                    client.sign_out()
        except HisRefused:
            pass
        finally:
            self.channel.close()

    def _clients(self) -> list[HisClient]:
        return [self.his]

    def _flow(self, name: str, run: Callable[[], None], *, records_own: bool = False) -> None:
        started = time.perf_counter()
        failure: Exception | None = None
        try:
            run()
        except HisRefused as r:
            failure = CallFailed(f"{r.infno} {r.code or r.status_code.name}")
        except HisCheckFailed as c:  # a receipt that does not add up
            failure = CallFailed(c.code)
            LEDGER.problem("; ".join(c.problems))
            if c.receipt is not None and not records_own:
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


class TrafficDesk(HisUser):
    """A hospital workstation (and a pharmacy's till, when the world has one) running the other kinds of
    `yibao simulate`'s traffic, drawn by --mix; each script checks its own replies as in `yibao simulate`.
    Each person is served by one flow at a time in a process (a 2601 or a 5206 comparison needs the
    person's latest settlement to be the flow's own)."""

    def on_start(self) -> None:
        super().on_start()
        state = _process_state(self.environment)
        options = self.environment.parsed_options
        mix = parse_mix(options.mix if options is not None else TRAFFIC_MIX)
        pharmacies: list[Institution] = state["pharmacies"]
        self.till: PharmacyClient | None = None
        if pharmacies:
            till = pharmacies[self.number % len(pharmacies)]
            sequence = state["sequences"].get(till.fixmedins_code)
            self.till = PharmacyClient(self.intercepted, till, sequence=sequence)
        self.kinds = [k for k, w in mix.items() if w and (self.till is not None or k not in PHARMACY_KINDS)]
        self.weights = [mix[k] for k in self.kinds]
        # one flow of each kind first (from a kind of its own per desk), so a short run exercises them all
        turn = self.number % len(self.kinds) if self.kinds else 0
        self.first_round = self.kinds[turn:] + self.kinds[:turn]

    def _clients(self) -> list[HisClient]:
        return [self.his] + ([self.till] if self.till is not None else [])

    @task
    def visit(self) -> None:
        if not self.kinds:
            return
        kind = self.first_round.pop(0) if self.first_round else self.rng.choices(self.kinds, self.weights)[0]
        client = self.till if kind in PHARMACY_KINDS and self.till is not None else self.his
        code = client.institution.fixmedins_code
        free = [p.psn_no for p in self.persons if p.psn_no not in _busy]
        if not free:  # every person is being served: wait for the next turn
            return
        script = VisitDraw(self.world, {code: free}).draw(self.rng, 0, kind, client.institution)
        # a family's members are served by this flow too: no other desk's set-up takes them meanwhile
        serving = {script.psn_no} | {f[7:].split(":")[0] for f in script.flags if f.startswith("member=")}
        _busy.update(serving)
        client.issued = []
        try:
            self._flow(script.kind, lambda: self._run(client, script), records_own=True)
        finally:
            _busy.difference_update(serving)
            _record_flow(client.issued)
            client.issued = None

    def _run(self, client: HisClient, script: Any) -> None:
        if not client.signed_in:
            client.sign_in()
        run_script(client, self.world, script)


def _record_flow(receipts: list[Receipt]) -> None:
    """A traffic flow's receipts, refund records giving back the batch of the settlement they cancel."""
    keys: dict[str, str] = {}
    for r in receipts:
        if not isinstance(r, Receipt):  # a paid claim or a family transfer: no settlement of the institution
            continue
        if r.reverses:
            LEDGER.settled(r.setl_id, keys.get(r.reverses, f"{r.mdtrt_id}/{r.reverses}"), cancels=True)
            continue
        # a stay settled midway and at the end has one mdtrt_id and no chrg_bchno: its first item tells them apart
        keys[r.setl_id] = f"{r.mdtrt_id}/{r.chrg_bchno}/{r.items[0].feedetl_sn if r.items else r.setl_id}"
        LEDGER.settled(r.setl_id, keys[r.setl_id])


@events.test_start.add_listener
def _weights(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    share = min(max(options.inpatient_share if options else 0.1, 0.0), 1.0)
    traffic = min(max(options.traffic_share if options else 0.3, 0.0), 1.0)
    TrafficDesk.weight = round(100 * traffic)
    InpatientWard.weight = round((100 - TrafficDesk.weight) * share)
    OutpatientDesk.weight = 100 - TrafficDesk.weight - InpatientWard.weight


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
        print("  ✓ invariants: every settlement balances; nothing paid twice; each flow's checks hold")
    sys.stdout.flush()
    if breached or violations or not names:
        environment.process_exit_code = 1
