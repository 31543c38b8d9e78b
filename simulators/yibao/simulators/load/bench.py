"""`yibao bench`: the performance baseline, in one run, on this machine.

It starts the gateway (`yibao serve`, SQLite with full durability: WAL, answers after the fsync, the demo
world; its gRPC worker(s) and the settlement core process) and a bare echo server with the same gRPC
server model and as many processes as the gateway has workers, and drives
them from a third process (simulators/yibao/simulators/load/bench_client.py) so client and server never share a GIL:

1. echo: 1101 requests answered with a canned 1101 reply — gRPC and Python alone;
2. 1101 through the gateway, and the ratio gateway/echo. The two are measured in halves, in the order
   echo, 1101, 1101, echo: this machine's speed drifts by a third within minutes (its neighbours), and
   that order cancels a steady drift, which one run of each, one after the other, would count as a ratio;
3. complete outpatient visits (1101 → 2201 → 2203 → 2204 → 2206 → 2207), closed loop: the maximum rate;
4. complete inpatient stays (1101 → 2401 → 2301 ×4 → 2402 → 2303 → 2304, 20 items), closed loop;
5. visits started at 70% of the maximum visit rate, and at 70% of the 150/s the target names (105/s):
   2207 latency below saturation;
6. settlement latency as stored settlements grow: the gateway stopped, the store bulk-seeded to each
   size (simulators/yibao/simulators/load/seed_rows.py), restarted, and 2207 measured at a light fixed visit rate.

`--repeat N` makes N passes over 1-5, each with a new gateway on a new store, and ends with every target's
values and the number of runs that met it: one run says little on a shared machine.
`--profile` samples the settlement core process (every call's work; the gRPC workers only forward)
with py-spy during an extra visit run and prints where its time goes.
A script, not a test: figures vary with the machine and its neighbours; docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from yibao.domain.world import HOSPITAL
from yibao.gateway.prefork import reserve_grpc_port
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.hospital import active_persons, certificate
from yibao.simulators.load import seed_rows
from yibao.simulators.load.at_rest_cost import at_rest_cost
from yibao.simulators.load.bench_client import summary_ms
from yibao.simulators.load.gate_cost import gate_cost
from yibao.simulators.load.msgids import MsgidSlot
from yibao.simulators.load.observe_cost import observe_cost
from yibao.world.loader import load_world

CLIENT = "yibao.simulators.load.bench_client"
PROFILE_HZ = 100
# Where own time is spent, by the frame's file (first match wins).
AREAS = (
    ("sqlalchemy/", "SQLAlchemy"),
    ("grpc", "gRPC"),
    ("protobuf", "protobuf"),
    ("yibao/storage/", "store (yibao/storage)"),
    ("yibao/gateway/", "gateway (dispatch, envelope, sign-in)"),
    ("yibao/simulators/core/", "settlement core (yibao/simulators/core)"),
    ("yibao/domain/", "domain rules (yibao/domain)"),
)
TARGETS = {"ratio": 0.60, "visits": 150.0, "p99_2207": 25.0, "growth": 1.2}
# Where each target comes from: the project's performance targets (issue 6), set for a 2-core machine on loopback
# with the load generator on the same machine; docs/performance.md has the figures measured against them.
TARGET_SOURCES = {
    "ratio": "issue 6: 1101 throughput ≥ 60% of a bare gRPC echo server's in the same run",
    "visits": "issue 6: ≥ 150 complete outpatient visits/s on SQLite with full durability (a large province's peak)",
    "p99_2207": "issue 6: settlement (2207) p99 ≤ 25 ms at 70% of that rate",
    "growth": "issue 6: settlement latency at 1M stored settlements ≤ 1.2× its latency at 10k",
}
VISIT_CALLS = ("1101", "2201", "2203", "2204", "2206", "2207")
STAY_CALLS = ("1101", "2401", "2301", "2402", "2303", "2304")


def children(pid: int) -> list[int]:
    """The pids of a process's children, now ([] once it is gone)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    target: str
    siblings: list[subprocess.Popen[bytes]] = field(default_factory=list)  # more echo processes on the port

    def pids(self) -> list[int]:
        """The process, its children (the workers of `serve --workers N`) and its siblings."""
        pids = []
        for pid in [self.process.pid, *(s.pid for s in self.siblings)]:
            pids += [pid, *children(pid)]
        return pids

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_serving(server: Server, log: Path, timeout: float = 300) -> None:
    """Until the gateway answers health checks; a large store takes a while to open."""
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(server.target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            try:
                stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
                return
            except grpc.RpcError:
                if server.process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace").splitlines()[-15:]
                    raise RuntimeError("the gateway did not start:\n" + "\n".join(tail)) from None
                time.sleep(0.2)


@contextmanager
def gateway(
    workdir: Path, db: str, threads: int, workers: int, gate: bool = True, extra: tuple[str, ...] = ()
) -> Iterator[Server]:
    """`yibao serve` as its defaults have it (metrics on, the access log on its standard output: gateway.log), and
    `extra` options."""
    port = free_port()
    log_path = workdir / "gateway.log"
    log = log_path.open("ab")
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", str(port), "--http-port", "0", "--db", db,
               "--threads", str(threads), "--workers", str(workers), *extra]  # fmt: skip
    command += [] if gate else ["--no-admission-gate"]
    server = Server(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), f"127.0.0.1:{port}")
    try:
        wait_serving(server, log_path)
        yield server
    finally:
        server.stop()
        log.close()


@contextmanager
def echo_server(reply_file: Path, threads: int, workers: int) -> Iterator[Server]:
    """`workers` echo processes on one port, as the gateway runs `--workers` processes: the same server model."""
    placeholder, port = reserve_grpc_port("127.0.0.1", 0)
    command = [sys.executable, "-m", "yibao.simulators.load.echo", "--reply", str(reply_file),
               "--threads", str(threads), "--port", str(port), "--reuse-port"]  # fmt: skip
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(workers)]
    try:
        for process in processes:
            process.stdout.readline()  # type: ignore[union-attr]  # the port: it is listening
        placeholder.close()
        server = Server(processes[0], f"127.0.0.1:{port}", processes[1:])
        wait_serving_echo(server.target)
        yield server
    finally:
        placeholder.close()
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def wait_serving_echo(target: str) -> None:
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)


def capture_1101_reply(target: str, path: Path) -> None:
    """A real 1101 reply from the gateway, for the echo server to answer with."""
    world = load_world(None)
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled)
    with grpc.insecure_channel(target) as channel:
        client = HisClient(channel, hospital, sequence=MsgidSlot(9))
        client.sign_in()
        rng = random.Random(1)
        reply = client.query_person(certificate(active_persons(world)[0], rng))
    path.write_bytes(reply.SerializeToString())


class BenchUsage(Exception):
    """Options that cannot run together; the message says what to give."""


class Verdict(NamedTuple):
    label: str
    value: float
    target: float
    op: str  # "≥" or "≤"
    fmt: str
    met: bool


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args, self.workdir = args, workdir
        self.runs = 0
        # Connections the load process opens: SO_REUSEPORT spreads connections, not calls, over the workers,
        # so several per worker make an even split likely (one HIS workstation per connection at most).
        self.channels = 1 if args.workers == 1 else min(args.concurrency, 8 * args.workers)
        self.results: dict[str, Any] = {}
        self.verdicts: list[Verdict] = []
        self.started = time.perf_counter()

    def client(self, server: Server, scenario: str, *, rate: float = 0.0, seconds: float | None = None,
               sign_in: bool = True, profile: Path | None = None, samples: bool = False) -> dict[str, Any]:  # fmt: skip
        """One scenario from a separate load process; adds the server's CPU use (cores) to the result."""
        self.runs += 1
        seconds = seconds or self.args.seconds
        command = [sys.executable, "-m", CLIENT, "--target", server.target, "--scenario", scenario,
                   "--seconds", str(seconds), "--warmup", str(self.args.warmup),
                   "--concurrency", str(self.args.concurrency), "--rate", str(rate), "--seed", str(self.runs),
                   "--channels", str(self.channels)]  # fmt: skip
        if not sign_in:
            command.append("--no-sign-in")
        if samples:
            command.append("--samples")
        self.progress(f"{scenario}{f' at {rate:g}/s' if rate else ''} against {server.target}: "
                      f"{self.args.warmup:g} s warm-up, {seconds:g} s measured")  # fmt: skip
        client = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        spy = None
        if profile is not None:
            # the last process forked: the settlement core (or the gateway itself when it runs alone)
            spy = start_profile(server.pids()[-1], self.args.warmup + 1.0, seconds - 0.5, profile)
        time.sleep(self.args.warmup + 1.0)  # the client's start-up and warm-up
        cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
        time.sleep(max(0.0, seconds - 1.0))
        cpu1, wall1 = server.cpu_seconds(), time.perf_counter()
        out, _ = client.communicate(timeout=seconds * 4 + 120)
        if client.returncode != 0:
            raise RuntimeError(f"load process failed ({scenario} against {server.target})")
        if spy is not None:
            spy.wait(timeout=120)
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        result["server_cpu"] = (cpu1 - cpu0) / (wall1 - wall0)
        return result

    def progress(self, what: str) -> None:
        """What runs now, on stderr: a run is silent for its warm-up and measured seconds."""
        elapsed = time.perf_counter() - self.started
        print(f"  [{elapsed:5.0f} s] run {self.runs}: {what} …", file=sys.stderr, flush=True)

    def run(self) -> dict[str, Any]:
        a, out = self.args, self.results
        db = f"sqlite:///{self.workdir / 'bench.db'}"
        print(self.header(), flush=True)
        self.progress("starting the gateway and the echo server")
        if a.growth_only:
            if not a.rows:
                raise BenchUsage("--growth-only needs --rows, e.g. --rows 10000,100000")
            self.warm_store(db)
            out["growth"] = self.growth(db)
            return out
        if a.observability:
            out["observability"] = self.observability()
            return out
        out["runs"] = []
        for n in range(a.repeat):
            if a.repeat > 1:
                print(f"\nrun {n + 1} of {a.repeat}", flush=True)
                for path in self.workdir.glob("bench.db*"):  # each run on a new store, as the first
                    path.unlink()
            out["runs"].append(self.scenarios(db))
        if a.repeat > 1:
            self.summary()
        if a.rows:
            out["growth"] = self.growth(db)
        return out

    def scenarios(self, db: str) -> dict[str, Any]:
        """One pass over every scenario but the growth run, on one gateway."""
        a, out = self.args, {}
        with gateway(self.workdir, db, a.threads, a.workers, a.gate) as gw:
            reply_file = self.workdir / "reply-1101.bin"
            capture_1101_reply(gw.target, reply_file)
            half = a.seconds / 2
            with echo_server(reply_file, a.threads, a.workers) as echo:  # halves: echo, 1101, 1101, echo
                echo_runs = [self.client(echo, "query", sign_in=False, seconds=half, samples=True)]
                query_runs = [self.client(gw, "query", seconds=half, samples=True) for _ in range(2)]
                echo_runs.append(self.client(echo, "query", sign_in=False, seconds=half, samples=True))
            out["echo"], out["1101"] = merge(echo_runs), merge(query_runs)
            self.line("echo (bare server, canned 1101 reply)", out["echo"])
            self.line("1101 through the gateway", out["1101"])
            out["ratio_1101_echo"] = out["1101"]["rate"] / out["echo"]["rate"]
            self.verdict("  1101 / echo throughput", out["ratio_1101_echo"], "ratio", "≥", "{:.2f}")
            print("      by half (echo, 1101, 1101, echo): "
                  + ", ".join(f"{r['rate']:.0f}/s" for r in (echo_runs[0], *query_runs, echo_runs[1])))  # fmt: skip
            # Why the ratio is what it is: both runs saturate the machine, so it follows CPU per call
            (se, ce), (sg, cg) = (cpu_ms_per_call(out[k]) for k in ("echo", "1101"))
            print(f"      CPU a call, ms: server {se:.2f} (echo), {sg:.2f} (gateway, {sg / se:.1f}×); "
                  f"load process {ce:.2f}, {cg:.2f}")  # fmt: skip
            cost = out["gate_cost"] = gate_cost(50_000)
            print(f"      admission gate (gateway/yibao/gateway/gate.py), in process: {cost['total_us']:.2f} µs a call "
                  f"(header read {cost['header_us']:.2f}, enter and leave {cost['gate_us']:.2f})")  # fmt: skip
            out["at_rest_cost"] = at_rest_cost(reply_file.read_bytes())
            print_at_rest_cost(out["at_rest_cost"], sg)
            out["visit"] = self.client(gw, "visit")
            self.line("outpatient visit (6 calls), max rate", out["visit"], VISIT_CALLS)
            self.verdict("  visits/s", out["visit"]["rate"], "visits", "≥", "{:.1f}")
            out["stay"] = self.client(gw, "stay")
            self.line("inpatient stay (20 items, 9 calls)", out["stay"], STAY_CALLS)
            # "p99 at 70% of that rate": of the rate measured, and of the 150/s the target names
            for key, rate, of in (("visit_70", round(0.7 * out["visit"]["rate"], 1), "of max"),
                                  ("visit_70_target", round(0.7 * TARGETS["visits"], 1), "of 150/s")):  # fmt: skip
                out[key] = self.client(gw, "visit", rate=rate)
                self.line(f"outpatient visits started at 70% {of} ({rate}/s)", out[key], VISIT_CALLS)
                p99 = out[key]["calls"].get("2207", {}).get("p99", float("nan"))
                self.verdict(f"  2207 p99 ms at 70% {of}", p99, "p99_2207", "≤", "{:.1f}")
            if a.profile:  # a run of its own: sampling slows the gateway down
                profile = self.workdir / "profile.txt"
                profiled = self.client(gw, "visit", profile=profile)
                if profile.exists():
                    out["profile"] = top_costs(profile, PROFILE_HZ * (a.seconds - 1))
                    print_profile(out["profile"], profiled["rate"])
        return out

    def observability(self) -> dict[str, Any]:
        """`--observability`: what metrics and the access log cost a call. 1101 against two gateways, each on a store
        of its own: one with both off (`--no-metrics --access-log off`), one as serve's defaults have them but the
        log in a file; in halves (off, on, on, off), as echo and 1101 are, so a drift of the machine cancels."""
        a, half = self.args, self.args.seconds / 2
        log = self.workdir / "access.log"
        bare, logged = ("--no-metrics", "--access-log", "off"), ("--access-log", str(log))
        print("metrics and access log: 1101 with both off, and with both on (halves: off, on, on, off)", flush=True)
        bare_db, observed_db = (f"sqlite:///{self.workdir / name}" for name in ("bare.db", "observed.db"))
        with gateway(self.workdir, bare_db, a.threads, a.workers, a.gate, bare) as off, \
                gateway(self.workdir, observed_db, a.threads, a.workers, a.gate, logged) as on:  # fmt: skip
            off_runs = [self.client(off, "query", seconds=half, samples=True)]
            on_runs = [self.client(on, "query", seconds=half, samples=True) for _ in range(2)]
            off_runs.append(self.client(off, "query", seconds=half, samples=True))
        result = {"off": merge(off_runs), "on": merge(on_runs)}
        self.line("1101, metrics and access log off", result["off"])
        self.line("1101, metrics on, access log to a file", result["on"])
        (cpu_off, _), (cpu_on, _) = (cpu_ms_per_call(result[k]) for k in ("off", "on"))
        result["cost_us"] = (cpu_on - cpu_off) * 1000
        result["rate_ratio"] = result["on"]["rate"] / result["off"]["rate"]
        lines = log.read_bytes().count(b"\n") if log.exists() else 0
        print(f"      server CPU a call: {cpu_off * 1000:.0f} µs off, {cpu_on * 1000:.0f} µs on: metrics and the "
              f"access log cost {result['cost_us']:.0f} µs a call; throughput on/off {result['rate_ratio']:.2f}; "
              f"{lines} access-log lines written", flush=True)  # fmt: skip
        cost = result["in_process"] = observe_cost()
        print(f"      in process (simulators/yibao/simulators/load/observe_cost.py): {cost['total_us']:.1f} µs a call: "
              f"envelope read {cost['envelope_us']:.1f}, metrics {cost['metrics_us']:.1f}, access log line "
              f"{cost['log_us']:.1f}", flush=True)  # fmt: skip
        return result

    def summary(self) -> None:
        """Every target over the runs: the values, and in how many runs it was met."""
        by_label: dict[str, list[Verdict]] = {}
        for v in self.verdicts:
            by_label.setdefault(v.label, []).append(v)
        print(f"\nsummary of {self.args.repeat} runs:")
        summary: dict[str, dict[str, Any]] = {}
        for label, verdicts in by_label.items():
            first = verdicts[0]
            met = sum(v.met for v in verdicts)
            values = ", ".join(first.fmt.format(v.value).strip() for v in verdicts)
            print(f"{label:<48}{values}   target {first.op} {first.fmt.format(first.target).strip()}: "
                  f"met in {met} of {len(verdicts)}", flush=True)  # fmt: skip
            summary[label] = {"values": [v.value for v in verdicts], "met": met}
        self.results["summary"] = summary

    def warm_store(self, db: str) -> None:
        """A few real visits, the template the seeding clones."""
        with gateway(self.workdir, db, self.args.threads, self.args.workers, self.args.gate) as gw:
            self.client(gw, "visit", seconds=2)

    def growth(self, db: str) -> list[dict[str, Any]]:
        a = self.args
        print(f"\nsettlement latency as stored settlements grow (visits at {a.growth_rate}/s, 2207 measured):")
        rows, seeded = [], 0
        for size in a.rows:
            have = seed_rows.count_settlements(db)
            took = 0.0
            if have < size:
                took = seed_rows.seed(db, size - have, first=seeded)
                seeded += size - have
                started = time.perf_counter()
                os.sync()  # else the kernel's write-back of the seed stalls the measured fsyncs
                took += time.perf_counter() - started
            with gateway(self.workdir, db, a.threads, a.workers, a.gate) as gw:
                result = self.client(gw, "visit", rate=a.growth_rate)
            call = result["calls"].get("2207", {})
            size_mb = sum(p.stat().st_size for p in self.workdir.glob("bench.db*")) / 2**20
            rows.append({"settlements": seed_rows.count_settlements(db), "seed_seconds": took, "db_mib": size_mb,
                         "p50": call.get("p50"), "p99": call.get("p99"), "mean": call.get("mean"),
                         "errors": result["errors"]})  # fmt: skip
            r = rows[-1]
            print(f"  {r['settlements']:>11,} settlements ({size_mb:,.0f} MiB; seeded in {took:.0f} s): "
                  f"2207 p50 {_ms(r['p50'])}  p99 {_ms(r['p99'])}  mean {_ms(r['mean'])}", flush=True)  # fmt: skip
        if len(rows) > 1 and rows[0]["mean"] and rows[-1]["mean"]:
            for key in ("p50", "mean", "p99"):
                self.verdict(f"  2207 {key} at largest / smallest", rows[-1][key] / rows[0][key], "growth", "≤",
                             "{:.2f}")  # fmt: skip
        return rows

    def header(self) -> str:
        a = self.args
        version = sqlite3.sqlite_version
        targets = "".join(f"    - {text}\n" for text in TARGET_SOURCES.values())
        growth = "" if a.rows else "  growth run: off (the quick run; --rows 10000,100000 adds it)\n"
        return (
            f"yibao bench — {machine()}\n"
            f"  Python {platform.python_version()}, grpcio {grpc.__version__}, "
            f"SQLite {version} (WAL; every answer after its commit is on disk)\n"
            f"  targets, and where they come from (docs/performance.md has the figures measured against them):\n"
            f"{targets}{growth}"
            f"  gateway and echo: {a.workers} process(es) × {a.threads} threads each, demo world; "
            f"load: {a.concurrency} threads in a separate process; {a.seconds:g} s per scenario after "
            f"{a.warmup:g} s warm-up\n"
            f"  {'scenario':<46}{'rate/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'server':>8}{'client':>8}  (CPU, cores)"
        )

    @staticmethod
    def line(label: str, r: dict[str, Any], calls: tuple[str, ...] = ()) -> None:
        f = r["flow_ms"]
        print(f"  {label:<46}{r['rate']:>9.1f}{_ms(f.get('p50')):>9}{_ms(f.get('p99')):>9}"
              f"{r['server_cpu']:>8.2f}{r['client_cpu']:>8.2f}", flush=True)  # fmt: skip
        if calls:
            parts = [f"{c} {_ms(r['calls'][c]['p50'])}/{_ms(r['calls'][c]['p99'])}" for c in calls if c in r["calls"]]
            print(f"      per call p50/p99 ms: {', '.join(parts)}")
        if r["errors"]:
            print(f"      errors: {r['errors']}")

    def verdict(self, label: str, value: float, target: str, op: str, fmt: str) -> None:
        """`target`: a key of TARGETS; the line says where the target comes from (TARGET_SOURCES)."""
        limit = TARGETS[target]
        met = value >= limit if op == "≥" else value <= limit
        self.verdicts.append(Verdict(label, value, limit, op, fmt, met))
        how = f"{value / limit:.0%} of the target" if op == "≥" else f"{value / limit:.0%} of the limit"
        print(f"{label:<48}{fmt.format(value):>9}   target {op} {fmt.format(limit)}: "
              f"{'met' if met else 'MISSED'} ({how}; {TARGET_SOURCES[target].split(':')[0]})", flush=True)  # fmt: skip


def print_at_rest_cost(rest: dict[str, float], gateway_cpu_ms: float) -> None:
    """Personal data at rest and the journal chain (simulators/yibao/simulators/load/at_rest_cost.py), a 1101."""
    share = rest["total_us"] / (gateway_cpu_ms * 1000) if gateway_cpu_ms else float("nan")
    print(f"      personal data at rest and journal chain (docs/security.md), in process: {rest['total_us']:.1f} µs a "
          f"1101 = {share:.1%} of the gateway's CPU a call (sealing {rest['values']:.0f} values {rest['seal_us']:.1f}, "
          f"linking the journal row {rest['chain_us']:.1f})")  # fmt: skip


def machine() -> str:
    """This machine as the figures need it said: cores (and how many this process may use), the load average."""
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    one, five, fifteen = os.getloadavg()
    shared = "; other processes are running: figures will be lower" if one > 0.5 else ""
    return (f"machine: {cores} cores ({usable} usable by this process), load average {one:.2f} {five:.2f} "
            f"{fifteen:.2f} (1, 5, 15 min){shared}")  # fmt: skip


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs of one scenario (each with `samples`) as one: rates and CPU averaged over the time measured,
    latencies from every flow of every run."""
    seconds = sum(r["seconds"] for r in runs)
    samples = [ms for r in runs for ms in r["flow_samples_ms"]]
    errors: Counter[str] = Counter()
    for r in runs:
        errors.update(r["errors"])

    def average(key: str) -> float:
        return sum(r[key] * r["seconds"] for r in runs) / seconds

    return {
        "scenario": runs[0]["scenario"],
        "seconds": seconds,
        "flows": sum(r["flows"] for r in runs),
        "rate": sum(r["flows"] for r in runs) / seconds,
        "flow_ms": summary_ms(samples),
        "errors": dict(errors),
        "server_cpu": average("server_cpu"),
        "client_cpu": average("client_cpu"),
        "runs": [{k: v for k, v in r.items() if k != "flow_samples_ms"} for r in runs],
    }


def cpu_ms_per_call(r: dict[str, Any]) -> tuple[float, float]:
    """(server, load process) CPU milliseconds per flow of a run."""
    return r["server_cpu"] / r["rate"] * 1000, r["client_cpu"] / r["rate"] * 1000


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def start_profile(pid: int, delay: float, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy on the gateway for `seconds` after `delay` (in the background), raw collapsed stacks."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("  (no py-spy: pip install -e '.[load]' to profile)")
        return None
    # --gil: only the thread holding the GIL is sampled, i.e. where the gateway's CPU goes.
    command = ["sh", "-c", f'sleep {delay:.1f}; exec "$0" "$@"', spy, "record", "-p", str(pid), "-d",
               str(max(1, int(seconds))), "-r", str(PROFILE_HZ), "--gil", "-f", "raw", "-o", str(out)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def top_costs(path: Path, possible: float, top: int = 25) -> dict[str, Any]:
    """Inclusive and own share of GIL-holding samples per function; `possible`: samples had the GIL never been free."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    skip = ("threading.py", "concurrent/futures", "grpc/_server.py", "contextlib.py")
    pick = [(f, n) for f, n in inclusive.most_common() if not any(s in f for s in skip)][:top]
    areas: Counter[str] = Counter()
    for frame, n in own.items():
        areas[next((name for key, name in AREAS if key in frame), "other (stdlib, sqlite3)")] += n
    return {
        "samples": total,
        "gil_busy": total / possible if possible else None,
        "areas": [(a, n / total) for a, n in areas.most_common()] if total else [],
        "inclusive": [(f, n / total) for f, n in pick] if total else [],
        "own": [(f, n / total) for f, n in own.most_common(10)] if total else [],
    }


def print_profile(profile: dict[str, Any], rate: float) -> None:
    busy = profile["gil_busy"]
    print(
        f"\ngateway CPU profile, a visit run of its own ({rate:.1f} visits/s while sampled; py-spy --gil, "
        f"{profile['samples']} samples; the GIL was held {busy:.0%} of the time):"
    )
    print("  own time by area:")
    for area, share in profile["areas"]:
        print(f"    {share:6.1%}  {area}")
    print("  inclusive:")
    for frame, share in profile["inclusive"]:
        print(f"    {share:6.1%}  {frame}")
    print("  own time:")
    for frame, share in profile["own"]:
        print(f"    {share:6.1%}  {frame}")


def bench(args: argparse.Namespace, instead: Callable[[argparse.Namespace, Path], dict[str, Any]] | None = None) -> int:
    """`instead`: another benchmark run in the same working folder
    (`--overload`: simulators/yibao/simulators/load/overload.py)."""
    workdir = Path(tempfile.mkdtemp(prefix="yibao-bench-", dir=args.dir))
    started = time.perf_counter()
    try:
        results = Bench(args, workdir).run() if instead is None else instead(args, workdir)
    except BenchUsage as e:
        print(f"yibao bench: {e}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"\nstore and logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0
