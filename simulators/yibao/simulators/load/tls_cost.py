"""`yibao bench --tls`: what transport security costs a call (docs/security.md, "Transport security").

The same gateway three times, each on a new store: plaintext, TLS (`--tls-cert/--tls-key`) and mutual TLS
(`--tls-client-ca`, every workstation holding one hospital's certificate). For each: the maximum 1101 rate
(closed loop, the load process of bench_client.py on its own connections, kept open as a HIS keeps them) with
the server's CPU per call, then 1101 at half the plaintext maximum for the latency of a call that does not
queue. Then what a new connection costs: TCP and the TLS handshake alone (ALPN h2, as gRPC), measured from this
process; a HIS that connects for each call pays it every time. Last, the CPU TLS adds to a call by itself: an
echo of a 1101-sized reply between a client and a server in this process, CPU time (not wall time, so the
other processes of a busy machine matter less) a call over each mode, the least of five interleaved rounds.
The gateway shares the machine with the load process, as in `yibao bench`; with `--repeat N` the modes run N
rounds, every other one in reverse order (what runs first runs on a cooler machine), and the figures are the
rounds' means.
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent import futures
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from yibao.certs import make_ca, make_client, make_server
from yibao.gateway.tls import load as load_tls_files
from yibao.simulators.his.tls_client import ClientTls, open_channel
from yibao.simulators.load.bench import CLIENT, Server, cpu_ms_per_call, free_port

HOSPITAL = "H11010100001"  # the built-in demo world's first hospital; every mode's workstations act for it
MODES = ("plaintext", "TLS", "mutual TLS")
HANDSHAKES = 200
ECHO_CALLS = 3000
ECHO_BYTES = 1500  # about a 1101 reply; the request is a third of it
ECHO_ROUNDS = 5
_seeds = itertools.count(1)  # every load process draws msgids from a slot of its own (msgids.py)


class Certs:
    def __init__(self, folder: Path) -> None:
        make_ca(folder)
        make_server(folder, ["localhost", "127.0.0.1"])
        make_client(folder, HOSPITAL)
        self.folder = folder

    def file(self, name: str) -> str:
        return str(self.folder / name)

    def serve_flags(self, mode: str) -> list[str]:
        if mode == "plaintext":
            return []
        flags = ["--tls-cert", self.file("server.pem"), "--tls-key", self.file("server-key.pem")]
        return flags + (["--tls-client-ca", self.file("ca.pem")] if mode == "mutual TLS" else [])

    def client_flags(self, mode: str) -> list[str]:
        if mode == "plaintext":
            return []
        flags = ["--tls-ca", self.file("ca.pem")]
        return flags + (["--tls-cert", self.file(f"{HOSPITAL}.pem"), "--tls-key", self.file(f"{HOSPITAL}-key.pem")]
                        if mode == "mutual TLS" else [])  # fmt: skip

    def client_tls(self, mode: str) -> ClientTls | None:
        if mode == "plaintext":
            return None
        ca = (self.folder / "ca.pem").read_bytes()
        if mode == "TLS":
            return ClientTls(ca)
        return ClientTls(ca, (self.folder / f"{HOSPITAL}.pem").read_bytes(),
                         (self.folder / f"{HOSPITAL}-key.pem").read_bytes())  # fmt: skip


@contextmanager
def gateway(args: argparse.Namespace, workdir: Path, certs: Certs, mode: str) -> Iterator[Server]:
    port = free_port()
    db = f"sqlite:///{workdir / ('tls-' + mode.replace(' ', '-') + '.db')}"
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", str(port), "--http-port", "0", "--db", db,
               "--threads", str(args.threads), "--workers", str(args.workers), *certs.serve_flags(mode)]  # fmt: skip
    log_path = workdir / f"gateway-{mode.replace(' ', '-')}.log"
    with log_path.open("ab") as log:
        server = Server(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), f"127.0.0.1:{port}")
        try:
            _wait_serving(server, certs.client_tls(mode), log_path)
            yield server
        finally:
            server.stop()


def _wait_serving(server: Server, tls: ClientTls | None, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    with open_channel(server.target, tls) as channel:
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


def load(args: argparse.Namespace, server: Server, flags: list[str], rate: float = 0.0) -> dict[str, Any]:
    """One 1101 run from a load process of its own, with the server's CPU (cores) over the measured window."""
    command = [sys.executable, "-m", CLIENT, "--target", server.target, "--scenario", "query",
               "--seconds", str(args.seconds), "--warmup", str(args.warmup), "--concurrency", str(args.concurrency),
               "--rate", str(rate), "--seed", str(next(_seeds)), "--institution", HOSPITAL,
               "--channels", str(max(1, args.workers)), *flags]  # fmt: skip
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


def handshake_ms(target: str, certs: Certs, mode: str, count: int = HANDSHAKES) -> float:
    """Mean milliseconds for a new connection to the gRPC port: TCP, and the TLS handshake if any."""
    host, port = target.rsplit(":", 1)
    context = None
    if mode != "plaintext":
        context = ssl.create_default_context(cafile=certs.file("ca.pem"))
        context.set_alpn_protocols(["h2"])
        if mode == "mutual TLS":
            context.load_cert_chain(certs.file(f"{HOSPITAL}.pem"), certs.file(f"{HOSPITAL}-key.pem"))
    began = time.perf_counter()
    for _ in range(count):
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            if context is not None:
                with context.wrap_socket(sock, server_hostname=host):
                    pass
    return (time.perf_counter() - began) / count * 1000


def echo_cpu_us(certs: Certs, mode: str, calls: int = ECHO_CALLS) -> float:
    """CPU microseconds a call, client and server together in this process, of a bare echo over `mode`."""
    from yibao.gateway.tls import grpc_credentials

    reply = b"r" * ECHO_BYTES
    handler = grpc.method_handlers_generic_handler("bench.Echo", {"Call": grpc.unary_unary_rpc_method_handler(
        lambda request, context: reply, request_deserializer=None, response_serializer=None)})  # fmt: skip
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers((handler,))
    if mode == "plaintext":
        port = server.add_insecure_port("127.0.0.1:0")
    else:
        files = load_tls_files(certs.file("server.pem"), certs.file("server-key.pem"),
                               certs.file("ca.pem") if mode == "mutual TLS" else None)  # fmt: skip
        port = server.add_secure_port("127.0.0.1:0", grpc_credentials(files))
    server.start()
    try:
        with open_channel(f"127.0.0.1:{port}", certs.client_tls(mode)) as channel:
            call = channel.unary_unary("/bench.Echo/Call", _registered_method=False)
            request = b"q" * (ECHO_BYTES // 3)
            for _ in range(200):  # warm up: the handshake and gRPC's first calls are not what is measured
                call(request, timeout=10)
            began = time.process_time()
            for _ in range(calls):
                call(request, timeout=10)
            return (time.process_time() - began) / calls * 1e6
    finally:
        server.stop(grace=None)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    certs = Certs(workdir / "certs")
    rounds: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    half: float | None = None
    print(f"1101 from one hospital ({HOSPITAL}), {args.concurrency} workstations on kept-open connections; "
          f"{args.seconds:g} s a run, {args.repeat} round(s)\n{'':<14}{'max/s':>9}{'CPU ms':>9}{'p50 ms':>9}"
          f"{'p99 ms':>9}   at half load p50/p99 ms   new connection ms")  # fmt: skip
    for n in range(args.repeat):
        for mode in MODES if n % 2 == 0 else MODES[::-1]:
            with gateway(args, workdir, certs, mode) as server:
                flags = certs.client_flags(mode)
                top = load(args, server, flags)
                half = half or round(top["rate"] / 2, 1)
                calm = load(args, server, flags, rate=half)
                connect = handshake_ms(server.target, certs, mode)
            rounds[mode].append({"max": top, "half": calm, "connect_ms": connect})
            _line(mode, top, calm, connect)
    out = {mode: _mean(runs) for mode, runs in rounds.items()}
    if args.repeat > 1:
        print("\nmeans of the rounds:")
        for mode in MODES:
            _line(mode, out[mode]["max"], out[mode]["half"], out[mode]["connect_ms"])
    _costs(out, half or 0.0)
    samples: dict[str, list[float]] = {mode: [] for mode in MODES}
    for _ in range(ECHO_ROUNDS):  # interleaved, and the least of each: what other processes did not add
        for mode in MODES:
            samples[mode].append(echo_cpu_us(certs, mode))
    echo = {mode: min(us) for mode, us in samples.items()}
    out["echo_cpu_us"] = echo
    print(f"\na bare echo in this process ({ECHO_BYTES} bytes back, client and server together), CPU a call: "
          + ", ".join(f"{mode} {us:.0f} µs" for mode, us in echo.items())
          + f"; TLS adds {echo['TLS'] - echo['plaintext']:+.0f} µs, "
          f"mutual TLS {echo['mutual TLS'] - echo['plaintext']:+.0f} µs")  # fmt: skip
    return out


def _mean(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one mode as one: rates, CPU and percentiles averaged, errors added up."""

    def average(kind: str) -> dict[str, Any]:
        rs = [r[kind] for r in runs]
        errors: dict[str, int] = {}
        for r in rs:
            for code, count in r["errors"].items():
                errors[code] = errors.get(code, 0) + count
        mean = {key: sum(r[key] for r in rs) / len(rs) for key in ("rate", "server_cpu", "client_cpu")}
        flow_ms = {k: sum(r["flow_ms"][k] for r in rs) / len(rs) for k in ("p50", "p99")}
        return {**mean, "flow_ms": flow_ms, "errors": errors}

    return {"max": average("max"), "half": average("half"),
            "connect_ms": sum(r["connect_ms"] for r in runs) / len(runs)}  # fmt: skip


def _line(mode: str, top: dict[str, Any], calm: dict[str, Any], connect: float) -> None:
    cpu = cpu_ms_per_call(top)[0]
    f, c = top["flow_ms"], calm["flow_ms"]
    errors = f"   errors: {top['errors']} {calm['errors']}" if top["errors"] or calm["errors"] else ""
    print(f"{mode:<14}{top['rate']:>9.0f}{cpu:>9.3f}{f['p50']:>9.2f}{f['p99']:>9.2f}   "
          f"{c['p50']:>6.2f}/{c['p99']:<6.2f}{'':>8}{connect:>8.2f}{errors}", flush=True)  # fmt: skip


def _costs(out: dict[str, Any], half: float) -> None:
    plain = out["plaintext"]
    base_cpu = cpu_ms_per_call(plain["max"])[0]
    print(f"\nwhat it costs a call, against plaintext (half load: {half:g} calls/s):")
    for mode in MODES[1:]:
        r = out[mode]
        cpu = cpu_ms_per_call(r["max"])[0]
        p50 = r["half"]["flow_ms"]["p50"] - plain["half"]["flow_ms"]["p50"]
        rate = r["max"]["rate"] / plain["max"]["rate"]
        connect = r["connect_ms"] - plain["connect_ms"]
        r["cost"] = {"server_cpu_us": (cpu - base_cpu) * 1000, "p50_ms": p50, "max_rate_ratio": rate,
                     "connect_ms": connect}  # fmt: skip
        print(f"  {mode:<12} server CPU {(cpu - base_cpu) * 1000:+.0f} µs a call ({cpu / base_cpu - 1:+.0%}); "
              f"p50 at half load {p50:+.2f} ms; maximum rate {rate:.0%} of plaintext's; "
              f"a new connection {connect:+.2f} ms")  # fmt: skip
