"""An open-loop load process for the overload benchmark (`yibao bench --overload`): 1101 calls started on a fixed
schedule whatever the answers, each with a client deadline, so a slow or refusing server meets the load it would
meet from many HIS desks, not a load that politely waits for it (bench_client's `--rate` runs on threads).

Calls go out as gRPC futures from one thread; latency is counted from when a call fell due, not from when it
left (so a late client shows). Prints one JSON line: what was offered, what was answered how, and the latency
of the calls carried out and of the refusals.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import threading
import time
from collections import Counter
from typing import Any

import grpc

from yibao.domain.world import HOSPITAL
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.hospital import active_persons, certificate
from yibao.simulators.load.bench_client import summary_ms
from yibao.simulators.load.msgids import MsgidSlot
from yibao.transactions import transactions
from yibao.v1 import person_pb2
from yibao.world.loader import load_world


def outcome(future: grpc.Future) -> str:
    """ok, busy (GATEWAY_BUSY), grpc_busy (gRPC's own limit), deadline, or the status code's name."""
    code = future.code()
    if code == grpc.StatusCode.OK:
        return "ok"
    if code == grpc.StatusCode.RESOURCE_EXHAUSTED:
        return "busy" if "GATEWAY_BUSY" in (future.details() or "") else "grpc_busy"
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return "deadline"
    return code.name


def run(
    target: str,
    *,
    rate: float,
    seconds: float,
    warmup: float,
    deadline: float,
    institutions: list[str],
    slot: int = 0,
    slots: int = 1,
    channels: int = 4,
    world_path: str | None = None,
) -> dict[str, Any]:
    world = load_world(world_path)
    pool = [grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)]) for _ in range(channels)]
    for channel in pool:
        grpc.channel_ready_future(channel).result(timeout=30)
    desks = []
    for n, code in enumerate(institutions):
        desk = HisClient(pool[n % channels], world.institutions[code], sequence=MsgidSlot(slot, slots=slots))
        for attempt in range(100):  # a gateway flooded by another load process may refuse it busy: again
            try:
                desk.sign_in()
                break
            except HisRefused:
                if attempt == 99:
                    raise
                time.sleep(0.1)
        desks.append(desk)
    path = transactions()["1101"].path
    rpcs = [channel.unary_unary(path, _registered_method=True) for channel in pool]
    rng = random.Random(slot)
    queries = [person_pb2.QueryPsnInfoInput(data=certificate(p, rng)) for p in active_persons(world)[:200]]
    # (outcome, ms from due to answer, ms from sent to answer) of the calls due in the window
    records: list[tuple[str, float, float]] = []
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    begin, end = start + warmup, start + warmup + seconds
    outstanding = threading.Semaphore(0)
    sent = 0
    while True:
        now = time.perf_counter()
        due_count = int((now - start) * rate)
        if start + sent / rate >= end:
            break
        while sent < due_count:
            due = start + sent / rate
            if due >= end:
                break
            desk = desks[sent % len(desks)]
            request = person_pb2.QueryPsnInfoRequest(
                header=desk.envelope.header("1101"), input=queries[sent % len(queries)]
            )
            left = time.perf_counter()
            future = rpcs[sent % channels].future(request.SerializeToString(), timeout=deadline)

            def done(f: grpc.Future, due: float = due, left: float = left, measured: bool = due >= begin) -> None:
                if measured:
                    now = time.perf_counter()
                    records.append((outcome(f), (now - due) * 1000, (now - left) * 1000))
                outstanding.release()

            future.add_done_callback(done)
            sent += 1
        time.sleep(0.0005)
    elapsed = time.perf_counter() - start
    for _ in range(sent):  # every call answered or past its deadline
        outstanding.acquire(timeout=deadline + 5)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    for channel in pool:
        channel.close()
    counts = Counter(o for o, _, _ in records)
    by = {o: summary_ms([ms for oo, ms, _ in records if oo == o]) for o in counts}
    by_sent = {o: summary_ms([ms for oo, _, ms in records if oo == o]) for o in counts}
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {
        "rate_asked": rate,
        "seconds": seconds,
        "sent_rate": sent / elapsed,
        "outcomes": dict(counts),
        "goodput": counts["ok"] / seconds,
        "latency_ms": by,  # from when the call fell due: includes the load process's own lag
        "latency_sent_ms": by_sent,  # from when it left
        "client_cpu": cpu / (time.perf_counter() - start),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--rate", type=float, required=True, help="1101 calls started per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--deadline", type=float, default=5.0, help="each call's gRPC deadline, seconds")
    parser.add_argument("--institutions", default="", help="fixmedins_codes, comma-separated (default: every hospital)")
    parser.add_argument("--slot", type=int, default=0, help="this process's msgid slot (of --slots)")
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument("--world", default=None)
    args = parser.parse_args(argv)
    world = load_world(args.world)
    codes = [c for c in args.institutions.split(",") if c] or [
        i.fixmedins_code for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled
    ]
    result = run(args.target, rate=args.rate, seconds=args.seconds, warmup=args.warmup, deadline=args.deadline,
                 institutions=codes, slot=args.slot, slots=args.slots, channels=args.channels,
                 world_path=args.world)  # fmt: skip
    json.dump(result, sys.stdout)
    print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
