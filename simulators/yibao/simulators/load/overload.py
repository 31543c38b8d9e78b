"""`yibao bench --overload`: how the gateway behaves beyond its capacity (issue 17, item 3).

It starts `yibao serve` with its defaults (the admission gate of gateway/yibao/gateway/gate.py as shipped),
measures the maximum 1101 rate (closed loop, bench_client), then offers 1101 open loop
(simulators/yibao/simulators/load/overload_client.py: calls start on schedule whatever the answers, 5 s
deadlines) at 70%, 1×, 2× and 4× that rate for `--seconds` each, and finally one institution at 4× while
another sends at a normal rate (first alone, for its normal p99). For each run: goodput (calls carried out per
second), p99 of the calls carried out, how the rest were answered, and the RSS of the worker(s) and the core.

Targets (the issue's): goodput at 2× ≥ 90% of the maximum; p99 of admitted calls at 2× and 4× ≤ 3× the p99 at
70%; RSS bounded; the other institution's p99 during the flood ≤ 2× its normal p99. The load processes share
this machine with the gateway (2 cores here): at 2× and 4× they take CPU the gateway would use, and above ~2,500
calls/s one load process cannot keep the schedule, so the offered rate is split over several. A script, not a
test: the figures move with the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from yibao.domain.world import HOSPITAL
from yibao.simulators.load.bench import Bench, Server, gateway
from yibao.simulators.load.gate_cost import gate_cost
from yibao.world.loader import load_world

CLIENT = "yibao.simulators.load.overload_client"
PER_PROCESS = 1500.0  # calls/s one load process offers at most
NORMAL_RATE = 50.0  # the other institution's calls/s during the flood
DEADLINE = 5.0


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssWatch:
    """The largest RSS of each process of the gateway while a run lasts (sampled every 0.2 s)."""

    def __init__(self, server: Server) -> None:
        self.pids = server.pids()[1:] or server.pids()  # the supervisor's children: workers, then the core
        self.start = {pid: rss_mib(pid) for pid in self.pids}
        self.peak = dict(self.start)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mib(pid))

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        return {"start": list(self.start.values()), "peak": list(self.peak.values())}


def open_loop(server: Server, rate: float, seconds: float, warmup: float, institutions: list[str]) -> dict[str, Any]:
    """`rate` 1101/s from as many load processes as it takes; their results merged."""
    n = max(1, math.ceil(rate / PER_PROCESS))
    command = [sys.executable, "-m", CLIENT, "--target", server.target, "--rate", str(rate / n), "--seconds",
               str(seconds), "--warmup", str(warmup), "--deadline", str(DEADLINE), "--slots", str(n),
               "--institutions", ",".join(institutions)]  # fmt: skip
    processes = [subprocess.Popen([*command, "--slot", str(k)], stdout=subprocess.PIPE, text=True) for k in range(n)]
    return _merge([_result(p, seconds) for p in processes])


def _result(process: subprocess.Popen[str], seconds: float) -> dict[str, Any]:
    out, _ = process.communicate(timeout=seconds * 3 + 120)
    if process.returncode != 0:
        raise RuntimeError("an overload load process failed")
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    outcomes: dict[str, int] = {}
    for r in results:
        for k, v in r["outcomes"].items():
            outcomes[k] = outcomes.get(k, 0) + v
    seconds = results[0]["seconds"]

    def pick(key: str, outcome: str, stat: str) -> float | None:
        """The worst process's figure: p99s of parts do not add up, and the worst one bounds the whole."""
        values = [r[key][outcome][stat] for r in results if outcome in r[key] and stat in r[key][outcome]]
        return max(values) if values else None

    return {
        "asked": sum(r["rate_asked"] for r in results),
        "sent": sum(r["sent_rate"] for r in results),
        "goodput": outcomes.get("ok", 0) / seconds,
        "outcomes": outcomes,
        "ok_p50": pick("latency_sent_ms", "ok", "p50"),
        "ok_p99": pick("latency_sent_ms", "ok", "p99"),
        "ok_p99_due": pick("latency_ms", "ok", "p99"),
        "busy_p99": pick("latency_sent_ms", "busy", "p99"),
        "client_cpu": sum(r["client_cpu"] for r in results),
        "processes": len(results),
    }


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    world = load_world(None)
    hospitals = [i.fixmedins_code for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled]
    flooder, other = hospitals[0], hospitals[1]
    seconds = args.seconds if args.seconds != 10 else 20.0  # the 20 s unless asked otherwise
    cost = gate_cost()
    print(f"yibao bench --overload: 1101 open loop, {seconds:g} s a run after {args.warmup:g} s, {DEADLINE:g} s "
          f"deadlines; yibao serve with its defaults, {args.workers} worker(s)\n"
          f"  the gate's cost a call (in process): {cost['total_us']:.2f} µs (header read {cost['header_us']:.2f}, "
          f"enter and leave {cost['gate_us']:.2f})", flush=True)  # fmt: skip
    out: dict[str, Any] = {"gate_cost": cost, "runs": {}}
    db = f"sqlite:///{workdir / 'bench.db'}"
    with gateway(workdir, db, args.threads, args.workers) as gw:
        bench = Bench(args, workdir)
        top = bench.client(gw, "query", seconds=min(seconds, 8.0))
        capacity = top["rate"]
        out["capacity"] = capacity
        print(f"  maximum (closed loop, {args.concurrency} threads): {capacity:.0f} 1101/s, errors {top['errors']}")
        print(f"  {'offered':<28}{'sent/s':>8}{'goodput':>9}{'ok p50':>8}{'ok p99':>8}{'busy p99':>9}"
              f"{'worker RSS MiB':>18}{'core':>6}  answers")  # fmt: skip
        for label, factor in (("70%", 0.7), ("1×", 1.0), ("2×", 2.0), ("4×", 4.0)):
            out["runs"][label] = _run(gw, f"{label} ({factor * capacity:.0f}/s)", factor * capacity, seconds,
                                      args.warmup, hospitals)  # fmt: skip
        normal = _run(gw, f"{other} alone at {NORMAL_RATE:g}/s", NORMAL_RATE, seconds, args.warmup, [other])
        out["runs"]["other alone"] = normal
        watch = RssWatch(gw)
        n = max(1, math.ceil(4 * capacity / PER_PROCESS))
        flood_cmd = [sys.executable, "-m", CLIENT, "--target", gw.target, "--rate", str(4 * capacity / n),
                     "--seconds", str(seconds), "--warmup", str(args.warmup), "--deadline", str(DEADLINE),
                     "--institutions", flooder, "--slots", str(n + 1)]  # fmt: skip
        floods = [subprocess.Popen([*flood_cmd, "--slot", str(k)], stdout=subprocess.PIPE, text=True) for k in range(n)]
        other_cmd = [sys.executable, "-m", CLIENT, "--target", gw.target, "--rate", str(NORMAL_RATE),
                     "--seconds", str(seconds), "--warmup", str(args.warmup), "--deadline", str(DEADLINE),
                     "--institutions", other]  # fmt: skip
        during = subprocess.Popen(other_cmd, stdout=subprocess.PIPE, text=True)
        flood = _merge([_result(p, seconds) for p in floods])
        beside = _merge([_result(during, seconds)])
        rss = watch.stop()
        flood["rss"] = beside["rss"] = rss
        out["runs"]["flood"], out["runs"]["other during flood"] = flood, beside
        _line(f"{flooder} at 4× ({4 * capacity:.0f}/s)", flood)
        _line(f"{other} meanwhile, {NORMAL_RATE:g}/s", beside)
    _verdicts(out, capacity)
    return out


def _run(gw: Server, label: str, rate: float, seconds: float, warmup: float, institutions: list[str]) -> dict[str, Any]:
    watch = RssWatch(gw)
    result = open_loop(gw, rate, seconds, warmup, institutions)
    result["rss"] = watch.stop()
    _line(label, result)
    return result


def _line(label: str, r: dict[str, Any]) -> None:
    rss = r["rss"]
    workers = rss["peak"][:-1] or rss["peak"]
    start = rss["start"][:-1] or rss["start"]
    answers = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
    print(f"  {label:<28}{r['sent']:>8.0f}{r['goodput']:>9.0f}{_ms(r['ok_p50']):>8}{_ms(r['ok_p99']):>8}"
          f"{_ms(r['busy_p99']):>9}{'/'.join(f'{a:.0f}→{b:.0f}' for a, b in zip(start, workers, strict=True)):>18}"
          f"{rss['peak'][-1]:>6.0f}  {answers}", flush=True)  # fmt: skip


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _verdicts(out: dict[str, Any], capacity: float) -> None:
    runs = out["runs"]
    base = runs["70%"]["ok_p99"] or float("nan")
    print("targets:")
    good = runs["2×"]["goodput"] / capacity
    print(f"  goodput at 2× / maximum: {good:.2f} (target ≥ 0.90): {'met' if good >= 0.9 else 'MISSED'}")
    for label in ("2×", "4×"):
        p99 = runs[label]["ok_p99"] or float("nan")
        print(f"  p99 of admitted calls at {label}: {p99:.1f} ms = {p99 / base:.1f}× the p99 at 70% ({base:.1f} ms) "
              f"(target ≤ 3×): {'met' if p99 <= 3 * base else 'MISSED'}")  # fmt: skip
    normal = runs["other alone"]["ok_p99"] or float("nan")
    during = runs["other during flood"]["ok_p99"] or float("nan")
    print(f"  the other institution's p99: {during:.1f} ms during the flood, {normal:.1f} ms alone = "
          f"{during / normal:.1f}× (target ≤ 2×): {'met' if during <= 2 * normal else 'MISSED'}")  # fmt: skip
    peaks = [max(r["rss"]["peak"][:-1] or r["rss"]["peak"]) for r in runs.values()]
    print(f"  worker RSS, largest in any run: {max(peaks):.0f} MiB")
