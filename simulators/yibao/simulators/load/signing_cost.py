"""`yibao bench --signing`: what request signatures cost a call (docs/security.md, "Request signing").

1. The check alone (gateway/yibao/gateway/request_auth.py), timed in process on a real 1101 request for each
   algorithm, nonce memory included, and for a call of an institution without a key; and HMAC-SHA256 again with
   the nonce memory `serve --workers N` shares between its workers (gateway/yibao/gateway/shared_nonces.py): the
   difference is what sharing it costs a call.
2. The same gateway three times, each on a new store: without a keys file, then with every demo institution
   signing with HMAC-SHA256, then with SM3-HMAC. For each, the maximum 1101 rate (closed loop, the load process of
   bench_client.py signing every call with `--keys`) and the server's CPU per call: against the unsigned run, what
   signing costs on the wire (the interceptor, the metadata, the check). The gateway shares the machine with the
   load process, as in `yibao bench`; with `--repeat N` the modes run N rounds, every other one in reverse
   order, and the figures are the rounds' means.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
import timeit
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from yibao.domain.world import HOSPITAL
from yibao.gateway.request_auth import GRPC_METADATA, Credentials, RequestAuth, unix_time
from yibao.gateway.shared_nonces import SharedNonces
from yibao.request_signing import HMAC_SHA256, SM3_HMAC, TIF_SHA256, ClientKey, parse_keys, signed_values
from yibao.simulators.his.envelope import EnvelopeBuilder
from yibao.simulators.load.bench import CLIENT, Server, cpu_ms_per_call, free_port, wait_serving
from yibao.v1 import person_pb2
from yibao.world.loader import load_world

SECRET = "bench-secret-0123456789abcdef0123"
MODES = ("unsigned", HMAC_SHA256, SM3_HMAC)
_seeds = itertools.count(1)  # every load process draws msgids from a slot of its own (msgids.py)


def signing_cost(repeat: int = 20_000) -> dict[str, float]:
    """µs per call: `unsigned` the check of an institution without a key (what every call pays once a keys file
    is given), and for each algorithm a signed call verified (signature, timestamp, nonce remembered)."""
    world = load_world(None)
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL)
    code = hospital.fixmedins_code
    request = person_pb2.QueryPsnInfoRequest(header=EnvelopeBuilder(hospital).header("1101"),
                                             input=person_pb2.QueryPsnInfoInput()).SerializeToString()  # fmt: skip
    out = {"unsigned_us": _per_call(RequestAuth(parse_keys({"institutions": {"other": {"secret": SECRET}}})),
                                    code, request, None, repeat)}  # fmt: skip
    for algorithm in (HMAC_SHA256, SM3_HMAC, TIF_SHA256):
        keys = parse_keys({"institutions": {code: {"secret": SECRET, "algorithm": algorithm}},
                           "max_nonces_per_institution": 10 * repeat})  # fmt: skip
        out[f"{algorithm}_us"] = _per_call(RequestAuth(keys), code, request, ClientKey(SECRET, algorithm), repeat)
        if algorithm == HMAC_SHA256:  # as each worker of `serve --workers N` checks it
            shared = RequestAuth(keys, shared=SharedNonces())
            out[f"{algorithm} workers-shared_us"] = _per_call(shared, code, request, ClientKey(SECRET, algorithm),
                                                              repeat)  # fmt: skip
    out["shared table alone, a third full_us"] = _shared_claim_us(repeat)
    return out


def _shared_claim_us(repeat: int) -> float:
    """One claim in the shared table (digest, lock, probes, write) with a third of its slots live: 1 000 signed
    calls a second over a 300 s window."""
    table, now = SharedNonces(), time.time()
    for i in range(table.slots // 3):
        table.claim("H1", f"live-{i}", now, now + 300)
    fresh = iter([f"n-{i}" for i in range(repeat * 3)])

    def run() -> None:
        for _ in range(repeat):
            table.claim("H1", next(fresh), now, now + 300)

    return min(timeit.repeat(run, number=1, repeat=3)) / repeat * 1e6


def _per_call(auth: RequestAuth, code: str, request: bytes, key: ClientKey | None, repeat: int) -> float:
    """The check alone: each call's values are signed beforehand (a fresh nonce each), as a client would."""
    now = int(unix_time(auth.clock()))
    nonces = itertools.count()
    calls = []
    for _ in range(repeat * 3):
        values = {} if key is None else signed_values(key, infno="1101", fixmedins_code=code, body=request,
                                                       unix_time=now, nonce=f"n{next(nonces)}")  # fmt: skip
        calls.append(Credentials(values, GRPC_METADATA))
    batches = iter([calls[i * repeat : (i + 1) * repeat] for i in range(3)])

    def run() -> None:
        for creds in next(batches):
            auth.check("1101", code, request, creds)

    return min(timeit.repeat(run, number=1, repeat=3)) / repeat * 1e6


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    check = signing_cost()
    print("request signatures (docs/security.md), 1101\n  the check alone, in process, µs a call: "
          + ", ".join(f"{name[:-3]} {us:.1f}" for name, us in check.items()), flush=True)  # fmt: skip
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    for n in range(args.repeat):  # every other round in reverse order: what runs first runs on a cooler machine
        for mode in MODES if n % 2 == 0 else MODES[::-1]:
            keys = None if mode == "unsigned" else _keys_file(workdir, mode)
            with _gateway(args, workdir, mode, keys, n) as server:
                runs[mode].append(_load(args, server, keys))
    out: dict[str, Any] = {"check_us": check, "modes": {}}
    for mode in MODES:
        rate = _mean(r["rate"] for r in runs[mode])
        server_ms = _mean(cpu_ms_per_call(r)[0] for r in runs[mode])
        errors = sum(sum(r["errors"].values()) for r in runs[mode])
        out["modes"][mode] = {"rate": rate, "server_cpu_ms": server_ms, "errors": errors, "runs": runs[mode]}
        print(f"  {mode:<12} {rate:8.1f} calls/s, server CPU {server_ms:.3f} ms a call, errors {errors} "
              f"(mean of {args.repeat})", flush=True)  # fmt: skip
    base = out["modes"]["unsigned"]["server_cpu_ms"]
    for mode in MODES[1:]:
        extra = (out["modes"][mode]["server_cpu_ms"] - base) * 1000
        print(f"  {mode}: {extra:+.0f} µs of server CPU a call against unsigned", flush=True)
    return out


def _mean(values: Iterator[float]) -> float:
    items = list(values)
    return sum(items) / len(items)


def _keys_file(workdir: Path, algorithm: str) -> Path:
    world = load_world(None)
    path = workdir / f"keys-{algorithm}.json"
    institutions = {code: {"secret": SECRET, "algorithm": algorithm} for code in world.institutions}
    path.write_text(json.dumps({"institutions": institutions, "max_nonces_per_institution": 10_000_000}))
    return path


@contextmanager
def _gateway(args: argparse.Namespace, workdir: Path, mode: str, keys: Path | None, n: int) -> Iterator[Server]:
    port = free_port()
    db = f"sqlite:///{workdir / f'signing-{mode}-{n}.db'}"
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", str(port), "--http-port", "0", "--db", db,
               "--threads", str(args.threads), "--workers", str(args.workers)]  # fmt: skip
    command += ["--keys", str(keys)] if keys is not None else []
    log_path = workdir / f"gateway-signing-{mode}.log"
    with log_path.open("ab") as log:
        server = Server(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), f"127.0.0.1:{port}")
        try:
            wait_serving(server, log_path)  # health checks are not signed
            yield server
        finally:
            server.stop()


def _load(args: argparse.Namespace, server: Server, keys: Path | None) -> dict[str, Any]:
    """One 1101 closed-loop run from a load process of its own, with the server's CPU over the measured window."""
    command = [sys.executable, "-m", CLIENT, "--target", server.target, "--scenario", "query",
               "--seconds", str(args.seconds), "--warmup", str(args.warmup), "--concurrency", str(args.concurrency),
               "--seed", str(next(_seeds)), "--channels", str(max(1, args.workers))]  # fmt: skip
    command += ["--keys", str(keys)] if keys is not None else []
    client = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(args.warmup + 1.0)
    cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
    time.sleep(max(0.0, args.seconds - 1.0))
    cpu1, wall1 = server.cpu_seconds(), time.perf_counter()
    out, _ = client.communicate(timeout=args.seconds * 4 + 120)
    if client.returncode != 0:
        raise RuntimeError(f"load process failed against {server.target}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["server_cpu"] = (cpu1 - cpu0) / (wall1 - wall0)
    return result
