"""The gateway's own CPU per call, without gRPC or other processes: the figures docs/performance.md quotes.

    python scripts/profile_inprocess.py statements          # one SELECT: SQLAlchemy Core execute vs prepared
    python scripts/profile_inprocess.py visit [N] [--profile] # CPU per outpatient visit (6 calls), cProfile top 40
    python scripts/profile_inprocess.py query [N] [--profile] # CPU per 1101
    python scripts/profile_inprocess.py groups [N] [--group G] [--profile]  # CPU per 1101 carried out as the
        settlement core does: in groups of G (default 1, 4 and 16), one transaction and one WAL fsync each, with
        the worker's checks (`admit`) made before and not counted; no sockets, no answering thread

The simulated HIS calls `Gateway.handle` directly (a stand-in channel), on a temporary SQLite file, each call
its own transaction (`groups`: the HIS's requests are recorded, then carried out as the core would). The CPU
includes the HIS side of the flow (not in `groups`). A script, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from yibao.adapters.core_process import _carry_out
from yibao.adapters.platform import build_routes
from yibao.domain.world import HOSPITAL
from yibao.gateway.dispatch import Gateway
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.hospital import active_persons, certificate, run_outpatient_visit
from yibao.storage.store import _Q, Store
from yibao.world.loader import load_world


class InProcessChannel:
    """What HisClient's stubs need of a channel: each method path answered by Gateway.handle."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.routes = {f"/{r.service}/{r.method}": r for r in gateway.routes.values()}

    def unary_unary(self, path: str, *args: Any, **kw: Any) -> Callable[..., Any]:
        route = self.routes[path]
        return lambda request, **_: self.gateway.handle(route, request)


def statements(store: Store, n: int = 20_000) -> None:
    store.seed_persons({"P1": Decimal("1.00")})
    with store.write() as tx:
        started = time.perf_counter()
        for _ in range(n):
            tx.conn.execute(_Q.balance, {"b_psn": "P1"}).scalar()
        core = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(n):
            tx.scalar(_Q.balance, {"b_psn": "P1"})
        prepared = time.perf_counter() - started
    print(
        f"one SELECT: SQLAlchemy Core execute {core / n * 1e6:.1f} µs, prepared (Tx.scalar) {prepared / n * 1e6:.1f} µs"
    )


def flows(store: Store, scenario: str, n: int, profile: bool) -> None:
    world = load_world(None)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    store.is_sqlite_file = False  # each call its own transaction in this thread (no group-commit thread to profile)
    gateway = Gateway(world, store, build_routes())
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled)
    client = HisClient(InProcessChannel(gateway), hospital, sequence=MsgidSequence())  # type: ignore[arg-type]
    client.sign_in()
    persons, rng = active_persons(world), random.Random(1)

    def one() -> None:
        if scenario == "query":
            client.query_person(certificate(rng.choice(persons), rng))
        else:
            run_outpatient_visit(client, world, rng.choice(persons), rng)

    for _ in range(20):
        one()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        one()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{scenario}: CPU {cpu / n * 1000:.2f} ms, wall {wall / n * 1000:.2f} ms per flow ({n} flows)")
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [one() for _ in range(n)])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)


class RecordingChannel(InProcessChannel):
    """Sign-in is carried out; every other call is recorded (infno, request) and answered with the first reply of
    its kind, so the HIS builds as many requests as asked without their being carried out."""

    def __init__(self, gateway: Gateway) -> None:
        super().__init__(gateway)
        self.recorded: list[tuple[str, Any]] = []
        self._replies: dict[str, Any] = {}

    def unary_unary(self, path: str, *args: Any, **kw: Any) -> Callable[..., Any]:
        route = self.routes[path]

        def call(request: Any, **_: Any) -> Any:
            if route.infno == "9001":
                return self.gateway.handle(route, request)
            self.recorded.append((route.infno, request))
            if route.infno not in self._replies:
                self._replies[route.infno] = self.gateway.handle(route, request)
            return self._replies[route.infno]

        return call


def groups(store: Store, n: int, sizes: list[int], profile: bool) -> None:
    world = load_world(None)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    gateway = Gateway(world, store, build_routes())
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled)
    channel = RecordingChannel(gateway)
    client = HisClient(channel, hospital, sequence=MsgidSequence())  # type: ignore[arg-type]
    client.sign_in()
    persons, rng = active_persons(world), random.Random(1)
    route = gateway.routes["1101"]

    def carry_out(size: int, count: int) -> float:
        """CPU seconds of `count` new 1101s carried out in groups of `size`, their admission not counted."""
        del channel.recorded[:]
        for _ in range(count):
            client.query_person(certificate(rng.choice(persons), rng))
        calls = [(None, k, infno, r.SerializeToString(), gateway.admit(route, r))
                 for k, (infno, r) in enumerate(channel.recorded)]  # fmt: skip
        cpu = time.process_time()
        for start in range(0, len(calls), size):
            answers = _carry_out(gateway, store, calls[start : start + size])
            if not all(ok for _, _, ok, _ in answers):
                raise RuntimeError("a 1101 was refused")
            store.sync()
        return time.process_time() - cpu

    for size in sizes:
        carry_out(size, min(n, 200))  # warm-up
        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(carry_out, size, n)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        else:
            print(f"groups of {size}: CPU {carry_out(size, n) / n * 1e6:.0f} µs per 1101 ({n} calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("statements", "visit", "query", "groups"))
    parser.add_argument("n", nargs="?", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--group", type=int, action="append", help="groups: calls per group (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'profile.db'}")
        try:
            if args.what == "statements":
                statements(store)
            elif args.what == "groups":
                groups(store, args.n, args.group or [1, 4, 16], args.profile)
            else:
                flows(store, args.what, args.n, args.profile)
        finally:
            store.close()


if __name__ == "__main__":
    main()
