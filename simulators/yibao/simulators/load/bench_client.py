"""The benchmark's load process: simulated HIS workstations on threads, driving one scenario for a
measured window and printing one JSON line of results. Run by `yibao bench` in a process of its
own, so the client never shares a GIL with the server it measures.

Scenarios: `query` (1101 alone; against the echo server or the gateway), `visit` (the outpatient
flow 1101 → 2201 → 2203 → 2204 → 2206 → 2207 of the simulated HIS), `stay` (the inpatient flow,
20 items over 4 days). Closed loop by default (each thread starts its next flow when the last
ends: the maximum rate); `--rate R` starts R flows per second on a fixed schedule instead.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import grpc

from yibao.domain.world import HOSPITAL, World
from yibao.request_signing import ClientKey, client_keys, load_keys
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.hospital import active_persons, certificate, run_outpatient_visit
from yibao.simulators.his.inpatient_stay import run_inpatient
from yibao.simulators.his.receipt import HisCheckFailed
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.summary import percentile
from yibao.simulators.his.tls_client import ClientTls, open_channel
from yibao.simulators.his.tls_client import add_arguments as add_tls_arguments
from yibao.simulators.his.tls_client import from_args as tls_from_args
from yibao.simulators.load.msgids import SLOTS, MsgidSlot
from yibao.simulators.load.stays import draw_stay_script
from yibao.world.loader import load_world

SCENARIOS = ("query", "visit", "stay")


@dataclass
class Window:
    """What completed inside the measured window, from every thread."""

    begin: float
    end: float
    flows: int = 0
    flow_seconds: list[float] = field(default_factory=list)
    calls: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, finished: float, calls: dict[str, list[float]], error: str = "") -> None:
        if not self.begin <= finished <= self.end:
            return
        with self.lock:
            if error:
                self.errors[error] += 1
            else:
                self.flows += 1
                self.flow_seconds.append(finished - started)
            for infno, seconds in calls.items():
                self.calls[infno] += seconds


def summary_ms(ms: list[float]) -> dict[str, float]:
    if not ms:
        return {"n": 0}
    return {"n": len(ms), "p50": percentile(ms, 50), "p99": percentile(ms, 99), "mean": sum(ms) / len(ms)}


def _summary(seconds: list[float]) -> dict[str, float]:
    return summary_ms([s * 1000 for s in seconds])


def flow_for(scenario: str, world: World) -> Callable[[HisClient, random.Random], None]:
    persons = active_persons(world)

    if scenario == "query":

        def query(client: HisClient, rng: random.Random) -> None:
            client.query_person(certificate(rng.choice(persons), rng))

        return query
    if scenario == "visit":

        def visit(client: HisClient, rng: random.Random) -> None:
            run_outpatient_visit(client, world, rng.choice(persons), rng)

        return visit
    if scenario == "stay":

        def stay(client: HisClient, rng: random.Random) -> None:
            run_inpatient(client, world, draw_stay_script(world, client.institution, rng.choice(persons), rng))

        return stay
    raise ValueError(f"unknown scenario {scenario!r}")


def run(
    target: str,
    scenario: str,
    *,
    seconds: float,
    warmup: float,
    concurrency: int,
    rate: float = 0.0,
    world_path: str | None = None,
    sign_in: bool = True,
    channels: int = 1,
    seed: int = 1,
    samples: bool = False,
    keys: Mapping[str, ClientKey] | None = None,
    tls: ClientTls | None = None,
    institution: str | None = None,
) -> dict[str, object]:
    """`samples`: also every flow's latency (ms), so runs can be merged exactly (`yibao bench`). `tls`: connect over
    TLS; `institution`: every workstation of that hospital only (mutual TLS: the one its certificate is for)."""
    world = load_world(world_path)
    hospitals = [i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled]
    hospitals = [h for h in hospitals if h.fixmedins_code == institution] if institution else hospitals
    # Runs follow each other within a second: each run (seed) draws msgids from a slot of its own.
    # One institution alone (`institution`) may go past a slot's 1 000 msgids a second: its runs follow each other,
    # never at once, so each takes every slot, from a point of its own (a next run may start in the same second).
    slot = (lambda: MsgidSlot(0, slots=1, start=seed * 2503)) if institution else (lambda: MsgidSlot(seed % SLOTS))
    sequences = {h.fixmedins_code: slot() for h in hospitals}
    # Separate connections (not gRPC's shared one), so a multi-process gateway gets them all.
    pool = [open_channel(target, tls, [("grpc.use_local_subchannel_pool", 1)]) for _ in range(max(1, channels))]
    for channel in pool:
        grpc.channel_ready_future(channel).result(timeout=30)
    pool = [signing_channel(channel, keys) for channel in pool]  # every call signed (docs/security.md)
    flow = flow_for(scenario, world)
    clients = []
    for n in range(concurrency):
        hospital = hospitals[n % len(hospitals)]
        client = HisClient(pool[n % len(pool)], hospital, sequence=sequences[hospital.fixmedins_code], timeout=60)
        if sign_in:
            client.sign_in()
        clients.append(client)

    start = time.perf_counter()
    window = Window(begin=start + warmup, end=start + warmup + seconds)
    tickets = itertools.count()
    ticket_lock = threading.Lock()

    def worker(n: int) -> None:
        client, rng = clients[n], random.Random(seed * 10_000 + n)
        while True:
            if rate:
                with ticket_lock:
                    due = start + next(tickets) / rate
                if due >= window.end:
                    return
                time.sleep(max(0.0, due - time.perf_counter()))
            elif time.perf_counter() >= window.end:
                return
            client.latencies.clear()
            began, error = time.perf_counter(), ""
            try:
                flow(client, rng)
            except HisRefused as r:
                error = f"{r.infno} {r.code or r.status_code.name}"
            except HisCheckFailed as c:
                error = c.code
            window.record(began, time.perf_counter(), client.latencies, error)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    for channel in pool:
        channel.close()
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    elapsed = time.perf_counter() - start
    flow_ms = [s * 1000 for s in window.flow_seconds]
    result: dict[str, object] = {
        "scenario": scenario,
        "target": target,
        "concurrency": concurrency,
        "rate_asked": rate,
        "seconds": seconds,
        "flows": window.flows,
        "rate": window.flows / seconds,
        "flow_ms": summary_ms(flow_ms),
        "calls": {infno: _summary(s) for infno, s in window.calls.items()},
        "errors": dict(window.errors),
        "client_cpu": cpu / elapsed,  # cores the load process used: near 1.0 means it was the bottleneck
    }
    if samples:
        result["flow_samples_ms"] = flow_ms
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--scenario", choices=SCENARIOS, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=0.0, help="flows started per second (default: closed loop)")
    parser.add_argument("--world", default=None)
    parser.add_argument("--no-sign-in", action="store_true", help="for the echo server")
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", action="store_true", help="also every flow's latency in ms")
    parser.add_argument("--keys", default=None, help="sign every call with its institution's key from this keys file")
    parser.add_argument("--institution", default=None, help="only this hospital's workstations")
    add_tls_arguments(parser)
    args = parser.parse_args(argv)
    result = run(
        args.target,
        args.scenario,
        seconds=args.seconds,
        warmup=args.warmup,
        concurrency=args.concurrency,
        rate=args.rate,
        world_path=args.world,
        sign_in=not args.no_sign_in,
        channels=args.channels,
        seed=args.seed,
        samples=args.samples,
        keys=client_keys(load_keys(args.keys)) if args.keys else None,
        tls=tls_from_args(args),
        institution=args.institution,
    )
    json.dump(result, sys.stdout)
    print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
