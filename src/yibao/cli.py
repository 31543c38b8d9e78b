"""The `yibao` command: serve the gateway, or drive it with a simulated hospital."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
from typing import TYPE_CHECKING

from yibao import ids, observability_cli
from yibao.adapters.http import inspector_cli
from yibao.adapters.lab.client import add_arguments as add_cert_arguments
from yibao.audit_command import add_arguments as add_audit_arguments
from yibao.audit_command import add_data_key
from yibao.certs_command import add_arguments as add_certs_arguments
from yibao.cli_options import (
    add_clock_offset,
    add_time_zone,
    add_version,
    apply_clock_offset,
    apply_time_zone,
    use_defaults_help,
)
from yibao.gateway.tls import is_loopback
from yibao.reset_command import add_arguments as add_reset_arguments
from yibao.simulators.his.tls_client import add_arguments as add_tls_client_arguments
from yibao.simulators.load.bench_options import add_arguments as add_bench_arguments
from yibao.simulators.load.chaos_options import add_arguments as add_chaos_arguments
from yibao.stop_signals import StopSignals
from yibao.storage.serving import ServingMark
from yibao.storage.store import DEFAULT_DB, Store, StoreUnusable
from yibao.world.loader import WorldFormatError, load_world
from yibao.world_command import add_arguments as add_world_arguments

if TYPE_CHECKING:
    from yibao.domain.world import World
    from yibao.request_signing import ClientKey, KeysFile

log = logging.getLogger("yibao")
CORE_SWITCH_INTERVAL = 0.0005  # seconds; see _serve_core


def serve(args: argparse.Namespace) -> int:
    from yibao.request_signing import KeysFileError, load_keys

    try:
        world = load_world(args.world)
    except (OSError, WorldFormatError) as e:
        print(f"yibao: cannot load world: {e}", file=sys.stderr)
        return 2
    for warning in world.warnings:  # accepted, but the lab should know (docs/world-format.md)
        print(f"yibao: world warning: {warning}", file=sys.stderr)
    try:
        keys = load_keys(args.keys) if args.keys else None
    except KeysFileError as e:
        print(f"yibao: cannot load the keys file: {e}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("yibao: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.threads < 1 or args.max_waiting < 0 or not 0 < args.institution_share <= 1:
        print("yibao: --threads must be at least 1, --max-waiting at least 0, --institution-share in (0, 1]",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        ids.set_node(int(os.environ.get("YIBAO_NODE", "0")) if args.node is None else args.node)
    except ValueError as e:
        print(f"yibao: --node (or YIBAO_NODE): {e}", file=sys.stderr)
        return 2
    from yibao.gateway.grpc_options import BadOptions, from_environment  # no gRPC: serve forks before importing it

    try:
        from_environment()
    except BadOptions as e:
        print(f"yibao: {e}", file=sys.stderr)
        return 2
    if args.fresh and _fresh(args):
        return 2
    if not _read_tls(args):
        return 2
    try:
        store = Store(args.db, args.data_key)
    except StoreUnusable as e:
        print(f"yibao: {e}", file=sys.stderr)
        return 2
    seeded = store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    try:  # held until this serve and every process it forks have exited: `yibao reset` refuses meanwhile
        args.serving_mark = ServingMark(args.db)
    except StoreUnusable as e:
        store.close()
        print(f"yibao: {e}", file=sys.stderr)
        return 2
    problem = observability_cli.prepare(args)  # before anything imports prometheus-client, and before forking
    if problem:
        store.close()
        print(f"yibao: {problem}", file=sys.stderr)
        return 2
    if args.core_process is None:  # one writer for an SQLite file, away from gRPC's threads
        args.core_process = store.is_sqlite_file
    inspector_error = inspector_cli.prepare(args)  # before the fork: the workers share the inspector's sessions
    if inspector_error:
        store.close()
        print(f"yibao: {inspector_error}", file=sys.stderr)
        return 2
    _make_way(args)
    if args.workers == 1 and not args.core_process:
        return _serve_process(args, world, store, keys, seeded)
    return _serve_workers(args, world, store, keys, seeded)


def _read_tls(args: argparse.Namespace) -> bool:
    """args.tls: the --tls-* files read and checked (gateway/yibao/gateway/tls.py), or None for plaintext, which
    is the zero-set-up default on a loopback address and warned about on any other."""
    from yibao.gateway import tls

    args.tls = None
    if args.tls_cert is None and args.tls_key is None and args.tls_client_ca is None:
        if not tls.is_loopback(args.host):
            print(tls.plaintext_warning(args.host), file=sys.stderr, flush=True)
        return True
    if args.tls_cert is None or args.tls_key is None:
        print("yibao: TLS needs both --tls-cert and --tls-key (make them with `yibao certs`)", file=sys.stderr)
        return False
    try:
        args.tls = tls.load(args.tls_cert, args.tls_key, args.tls_client_ca)
    except tls.TlsFileError as e:
        print(f"yibao: {e}", file=sys.stderr)
        return False
    return True


def _fresh(args: argparse.Namespace) -> int:
    """`serve --fresh`: the store back to the world's initial state first (src/yibao/storage/reset.py)."""
    from yibao.reset_command import reset

    return reset(args.db, "yibao serve --fresh", "making it anew")


def _serve_workers(
    args: argparse.Namespace, world: World, store: Store, keys: KeysFile | None, seeded: int
) -> int:
    """N processes on one port; nothing here may import gRPC (gateway/yibao/gateway/prefork.py)."""
    from yibao.gateway import prefork
    from yibao.gateway.run_dir import RunDir

    store.close()  # each worker opens its own connections: none may cross the fork
    try:
        placeholder, port = prefork.reserve_grpc_port(args.host, args.port)
    except OSError as e:
        return _cannot_listen("gRPC", args.host, args.port, e)
    try:
        http = prefork.listen_http(args.host, args.http_port)
    except OSError as e:
        placeholder.close()
        return _cannot_listen("HTTP", args.host, args.http_port, e)
    # the serve's folder: the core's socket, and what tells a next serve whether we are gone
    # (gateway/yibao/gateway/run_dir.py)
    run = RunDir.create([port, http.getsockname()[1]])
    core_path = run.socket_path("core.sock")
    try:
        core = _listen_unix(core_path) if args.core_process else None
    except OSError as e:
        print(f"yibao: cannot listen on {core_path}: {e}", file=sys.stderr)
        placeholder.close()
        http.close()
        run.remove()
        return 2
    listeners = prefork.Listeners(grpc_port=port, http=http)
    if keys is not None and args.workers > 1:  # made before the fork: every worker sees every nonce
        from yibao.gateway.shared_nonces import SharedNonces

        args.shared_nonces = SharedNonces()
    how = f"{args.workers} workers sharing the port (SO_REUSEPORT)" if args.workers > 1 else "one worker"
    if core is not None:
        how += "; the settlement core in a process of its own"
    print(_banner(args, world, port, http.getsockname()[1], keys, seeded, how), flush=True)

    def is_core(index: int) -> bool:  # forked last
        return core is not None and index == args.workers

    def worker(index: int, listeners: prefork.Listeners) -> int:
        placeholder.close()
        if is_core(index):
            listeners.http.close()
            return _serve_core(world, Store(args.db, args.data_key), core)
        if core is not None:
            core.close()
        args.port = listeners.grpc_port
        link = core_path if core is not None else None
        store = Store(args.db, args.data_key)
        return _serve_process(args, world, store, keys, seeded, http_sock=listeners.http, core=link)

    try:

        def name(index: int) -> str:
            return "settlement core" if is_core(index) else f"worker {index + 1}"

        return prefork.run_workers(args.workers + (core is not None), listeners, worker, name, run)
    finally:
        placeholder.close()
        http.close()
        if core is not None:
            core.close()
        run.remove()


def _make_way(args: argparse.Namespace) -> None:
    """Before binding: remove the folders of serves long gone, and if the processes of a serve whose supervisor
    died (`kill -9`) still hold our ports, wait for them to stop (they do by themselves:
    gateway/yibao/gateway/prefork.py)."""
    from yibao.gateway import prefork, run_dir

    run_dir.sweep()
    ports = {args.port, args.http_port} - {0}
    dying = run_dir.dying(ports)
    if dying:
        held = " or ".join(map(str, sorted(ports)))
        print(f"yibao: the processes of a yibao serve whose supervisor died still hold port {held}; waiting for them "
              "to stop", file=sys.stderr, flush=True)  # fmt: skip
        run_dir.wait_for(dying, prefork.ORPHAN_GRACE + 10)


def _cannot_listen(what: str, host: str, port: int, e: BaseException) -> int:
    reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    print(f"yibao: cannot listen for {what} on {_host_port(host, port)}: {reason}", file=sys.stderr)
    return 2


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _listen_unix(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(64)
    return sock


def _serve_core(world: World, store: Store, listener: socket.socket) -> int:
    """The settlement core process (adapters/yibao/adapters/core_process.py): no gRPC, no HTTP."""
    from yibao.adapters.core_process import serve_core
    from yibao.adapters.platform import build_gateway

    stop = threading.Event()
    StopSignals().then_set(stop)
    # The answering thread wants the GIL back the moment its fsync returns, from a core thread that rarely
    # lets go: at Python's default 5 ms, answers waited p99 11.2 ms after their commit, at 0.5 ms 6.7 ms.
    sys.setswitchinterval(CORE_SWITCH_INTERVAL)
    try:
        serve_core(build_gateway(world, store), store, listener, stop)
    finally:
        store.close()
    return 0


def _serve_process(
    args: argparse.Namespace,
    world: World,
    store: Store,
    keys: KeysFile | None,
    seeded: int,
    *,
    http_sock: socket.socket | None = None,
    core: str | None = None,
) -> int:
    """One gateway process; `http_sock` set means a worker of several (quiet, port shared); `core`: the socket
    of the settlement core process that carries out the calls (adapters/yibao/adapters/core_link.py)."""
    from yibao.adapters.core_link import CoreClient
    from yibao.adapters.http.app import NationalHttp
    from yibao.adapters.http.server import HttpServer
    from yibao.adapters.lab.api import LabApi
    from yibao.adapters.lab.registry import lab_folder
    from yibao.adapters.lab.sessions import Lab, LabRouter
    from yibao.adapters.platform import build_routes, build_server
    from yibao.gateway.dispatch import Gateway
    from yibao.gateway.gate import Gate
    from yibao.gateway.grpc_auth import SigningInterceptor
    from yibao.gateway.peer_identity import certified_institution
    from yibao.gateway.request_auth import RequestAuth
    from yibao.gateway.tls import ssl_context

    signals = StopSignals()  # from here a stop signal is kept and acted on once everything has started
    address = f"{args.host}:{args.port}"
    worker = http_sock is not None
    links: list[LabRouter] = []
    lab = Lab(lab_folder(args.db, args.lab_dir), world)  # the certification lab's sessions (docs/lab.md)

    def link(gateway: Gateway) -> LabRouter:  # a lab session's calls aside, the rest to the core or the gateway
        links.append(lab.router(CoreClient(core, gateway) if core else gateway))
        return links[0]

    # this worker's admission (gateway/yibao/gateway/gate.py)
    gate = Gate(args.threads, args.max_waiting, args.institution_share) if args.gate else None
    # request signatures and operator credentials, one check for gRPC and HTTP (gateway/yibao/gateway/request_auth.py)
    auth = RequestAuth(keys, open_operators=is_loopback(args.host), shared=getattr(args, "shared_nonces", None))
    # under mutual TLS a client certificate proves its institution's 9001 (gateway/yibao/gateway/peer_identity.py)
    signing = [SigningInterceptor(auth, build_routes(), world, certified_institution)] if auth.active else []
    observing, observed = observability_cli.build(args)  # metrics and the access log (docs/observability.md)
    try:
        server, port, gateway = build_server(world, store, address=address, max_workers=args.threads,
                                             interceptors=[*observing, *signing],
                                             reuse_port=worker, link=link, gate=gate, tls=args.tls)  # fmt: skip
    except (OSError, RuntimeError) as e:  # gRPC says only "Failed to bind to address"
        if not worker:
            e = _probe(args.host, args.port) or e
        return _cannot_listen("gRPC", args.host, args.port, e)
    handler = links[0]
    server.start()
    inspector, traffic = inspector_cli.build(args, store, world, gateway.routes)
    app = NationalHttp(handler, auth, inspector,
                       lab=LabApi(lab, args.lab_token), gate=gate, traffic=traffic)  # fmt: skip
    try:
        http = HttpServer(observed(app), host=args.host, port=args.http_port, threads=args.threads, sock=http_sock,
                          ssl_context=ssl_context(args.tls) if args.tls is not None else None)  # fmt: skip
    except OSError as e:
        server.stop(grace=None)
        return _cannot_listen("HTTP", args.host, args.http_port, e)
    http.start()
    if not worker:  # the supervisor prints the banner of several
        print(_banner(args, world, port, http.port, keys, seeded), flush=True)
    signals.wait()
    grpc_stopped = server.stop(grace=2)  # closes its listener at once: the port is free while calls finish
    http.stop()
    grpc_stopped.wait()
    lab.shutdown()
    observability_cli.close()
    store.close()
    return 0


def _probe(host: str, port: int) -> OSError | None:
    """Why binding host:port fails, as the system says it (gRPC does not)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gRPC binds
            probe.bind(address)
    except OSError as e:
        return e
    return None


def _banner(
    args: argparse.Namespace, world: World, port: int, http_port: int, keys: KeysFile | None, seeded: int,
    how: str = "",
) -> str:
    tls = args.tls
    security = "plaintext (no TLS)"
    if tls is not None:
        security = f"mutual TLS: client certificates of {tls.client_ca_path} required" if tls.mutual else "TLS"
    return (
        f"yibao gateway listening on {args.host}:{port} (gRPC, health and reflection on{'; ' + how if how else ''})\n"
        f"  {security}\n"
        f"  national JSON over HTTP on http{'s' if tls else ''}://{args.host}:{http_port}/ (inspector: /inspector; "
        f"{_signing_line(args, keys)})\n"
        f"  store: {args.db}  world: {args.world or 'built-in demo'} — {len(world.regions)} regions, "
        f"{len(world.institutions)} institutions, {len(world.persons)} persons ({seeded} new)"
        f"\n  {getattr(args, 'inspector_note', 'inspector at /inspector')}"
    )


def _signing_line(args: argparse.Namespace, keys: KeysFile | None) -> str:
    if keys is not None:
        return (f"request signatures: {len(keys.institutions)} institutions, {len(keys.operators)} operators, "
                f"unlisted institutions {'refused' if keys.refuse_unlisted else 'unchecked'}")  # fmt: skip
    if is_loopback(args.host):
        return "no keys file: calls unsigned, operator transactions open to the operator institution on loopback"
    return "no keys file: calls unsigned, operator transactions refused (give --keys; docs/security.md)"


def _client_keys(path: str | None) -> dict[str, ClientKey] | None:
    """What the simulated HIS signs with: each institution's key from the keys file at `path` (None: unsigned)."""
    from yibao.request_signing import client_keys, load_keys

    return client_keys(load_keys(path)) if path else None


def simulate(args: argparse.Namespace) -> int:
    from yibao.simulators.his import tls_client

    traffic = any(v is not None for v in (args.hospitals, args.pharmacies, args.minutes, args.mix, args.write_world))
    try:
        tls = tls_client.from_args(args)
        keys = _client_keys(args.keys)
    except ValueError as e:  # a keys file's KeysFileError too
        print(f"yibao simulate: {e}", file=sys.stderr)
        return 2
    if not traffic:  # issue 2's form: one hospital's outpatient desk, every receipt printed
        from yibao.simulators.his.hospital import simulate as run

        target = args.target or "127.0.0.1:50051"
        return run(target, args.visits or 1, args.world, seed=args.seed, fixmedins_code=args.fixmedins_code, tls=tls,
                   keys=keys)
    from pathlib import Path

    from yibao.simulators.his.simulate_traffic import TrafficPlan, populate, simulate_traffic
    from yibao.simulators.his.traffic import DEFAULT_MIX, parse_mix

    if args.fixmedins_code is not None:
        print("yibao simulate: --fixmedins-code is for the single-hospital form only", file=sys.stderr)
        return 2
    if tls is not None and args.target is None:
        print("yibao simulate: --tls-* need a gateway at --target (the in-process one is plaintext)", file=sys.stderr)
        return 2
    if tls is not None and tls.cert is not None:  # mutual TLS binds a connection to one institution
        print("yibao simulate: --tls-cert is for the single-hospital form only: a traffic run's desks act for many "
              "institutions over one connection", file=sys.stderr)  # fmt: skip
        return 2
    try:
        mix = parse_mix(args.mix) if args.mix is not None else DEFAULT_MIX
    except ValueError as e:
        print(f"yibao simulate: {e}", file=sys.stderr)
        return 2
    for name in ("hospitals", "pharmacies", "visits"):
        if (getattr(args, name) or 0) < 0:
            print(f"yibao simulate: --{name} must not be negative", file=sys.stderr)
            return 2
    if args.minutes is not None and args.minutes <= 0:
        print("yibao simulate: --minutes must be positive", file=sys.stderr)
        return 2
    minutes = args.minutes if args.minutes is not None or args.visits else 1.0
    plan = TrafficPlan(args.hospitals if args.hospitals is not None else 1, args.pharmacies or 0, args.seed, mix,
                       minutes=minutes, visits=args.visits)  # fmt: skip
    if args.write_world:
        try:
            Path(args.write_world).write_bytes(populate(plan, args.world).world_bytes())
        except (OSError, ValueError) as e:
            print(f"yibao simulate: cannot write the world: {e}", file=sys.stderr)
            return 2
        print(f"wrote {args.write_world}; serve it with: yibao serve --world {args.write_world} --db <a new store>")
        return 0
    logging.getLogger().setLevel(logging.WARNING)  # the progress bar, not the in-process gateway's log
    from yibao.adapters.platform import in_process_platform

    return simulate_traffic(
        plan,
        target=args.target,
        world_path=args.world,
        progress=not args.no_progress,
        local_platform=in_process_platform,
        tls=tls,
        keys=keys,
    )


def certs(args: argparse.Namespace) -> int:
    from yibao.certs_command import run

    return run(args)


def reset(args: argparse.Namespace) -> int:
    from yibao.reset_command import run

    return run(args)


def cert(args: argparse.Namespace) -> int:
    from yibao.adapters.lab.client import run

    return run(args)


def bench(args: argparse.Namespace) -> int:
    from yibao.simulators.load.bench import bench as run
    from yibao.simulators.load.overload import run as overload
    from yibao.simulators.load.signing_cost import run as signing_cost
    from yibao.simulators.load.tls_cost import run as tls_cost

    if args.signing:  # what request signatures cost (docs/security.md)
        return run(args, signing_cost)
    return run(args, overload if args.overload else tls_cost if args.tls else None)


def chaos(args: argparse.Namespace) -> int:
    from yibao.simulators.load.chaos import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yibao", description=__doc__)
    add_version(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the gateway (gRPC and HTTP) on the embedded store with the demo world")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on, gRPC and HTTP")
    p.add_argument("--port", type=int, default=50051, help="gRPC (0: any free port)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLAlchemy URL (default {DEFAULT_DB}, created on first start)")
    add_data_key(p)
    p.add_argument("--world", default=None, help="world file (docs/world-format.md); default: the built-in demo")
    p.add_argument("--threads", type=int, default=16, help="calls carried out at once per process, and HTTP threads")
    p.add_argument("--max-waiting", type=int, default=32, help="calls that may wait for one of them per process; "
                   "beyond, GATEWAY_BUSY at once (default 32; README, Overload)")  # fmt: skip
    p.add_argument("--institution-share", type=float, default=0.5,
                   help="at most this fraction of the waiting calls from one institution (default 0.5)")  # fmt: skip
    p.add_argument("--no-admission-gate", dest="gate", action="store_false",
                   help="no admission gate: calls beyond --threads wait in gRPC's own queue, unbounded, as before "
                   "the gate (for measuring what the gate costs at saturation; README, Overload)")  # fmt: skip
    p.add_argument("--workers", type=int, default=1, help="gateway processes on one port (SO_REUSEPORT)")
    p.add_argument(
        "--core-process",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="carry out the calls in a settlement core process of its own (default: on for an SQLite file)",
    )
    p.add_argument(
        "--node",
        type=int,
        default=None,
        help="this host's number, 0-99, when gateways on several hosts share one store: it is part of every "
        "platform id (default: $YIBAO_NODE or 0)",
    )
    p.add_argument("--http-port", type=int, default=8080, help="national JSON over HTTP (0: any free port)")
    p.add_argument("--keys", "--tif-keys", dest="keys", default=None, metavar="FILE",
                   help="request signing keys per institution and operator credentials (JSON; docs/security.md)")
    p.add_argument("--tls-cert", default=None, metavar="FILE", help="serve gRPC and HTTP over TLS with this "
                   "certificate (PEM; `yibao certs server` makes one; docs/security.md)")  # fmt: skip
    p.add_argument("--tls-key", default=None, metavar="FILE", help="the private key of --tls-cert (PEM)")
    p.add_argument("--tls-client-ca", default=None, metavar="FILE", help="mutual TLS: require a client certificate "
                   "signed by this CA (`yibao certs ca`); a certificate acts only for its own institution")  # fmt: skip
    p.add_argument("--lab-dir", default=None, help="the certification lab's sessions (default: beside the SQLite "
                   "file, <name>-lab; docs/lab.md)")  # fmt: skip
    p.add_argument("--lab-token", default=os.environ.get("YIBAO_LAB_TOKEN", ""),
                   help="require this bearer token on the lab API, which then answers any host "
                   "(default $YIBAO_LAB_TOKEN; else loopback only)")  # fmt: skip
    observability_cli.add_arguments(p)
    p.add_argument("--fresh", action="store_true", help="first put the store back to the world's initial state, "
                   "as `yibao reset` does (everything written to it is lost)")  # fmt: skip
    inspector_cli.add_serve_arguments(p)
    add_time_zone(p)
    add_clock_offset(p)
    p.set_defaults(func=serve)

    p = sub.add_parser("reset", help="put a store back to the world's initial state (refused while a gateway serves "
                       "it)")  # fmt: skip
    add_reset_arguments(p)
    p.set_defaults(func=reset)

    p = sub.add_parser(
        "simulate",
        help="drive a gateway with simulated hospitals and pharmacies",
        description="Without --hospitals/--pharmacies/--minutes/--mix: one hospital's outpatient desk runs --visits "
        "visits against --target (default 127.0.0.1:50051) and prints each receipt. With them: a synthetic "
        "population from --seed, its hospitals and pharmacies at once, a progress bar and a summary; against an "
        "in-process gateway on a temporary SQLite store unless --target is given (which must serve the generated "
        "world: --write-world).",
    )
    p.add_argument("--target", default=None, help="HOST:PORT of the gateway (traffic runs: default in process)")
    p.add_argument("--visits", type=int, default=None, help="visits to run (traffic runs: the first N of the stream)")
    p.add_argument("--world", default=None, help="the world file the gateway serves, or the base of a generated one")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fixmedins-code", default=None, help="the hospital to act as (default: chosen by seed)")
    p.add_argument("--hospitals", type=int, default=None, help="simulated hospitals (traffic run; default 1)")
    p.add_argument("--pharmacies", type=int, default=None, help="simulated retail pharmacies (default 0)")
    p.add_argument("--minutes", type=float, default=None, help="how long the traffic runs (default 1 without --visits)")
    p.add_argument("--mix", default=None, help="visit kinds and weights, e.g. outpatient=60,inpatient=10,pharmacy=20 "
                   "(kinds: outpatient inpatient emergency chronic cancel refund pharmacy query reversal filing "
                   "catalogue claim family; docs/load-testing.md)")  # fmt: skip
    p.add_argument("--write-world", default=None, metavar="FILE", help="write the generated world to FILE and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_tls_client_arguments(p)
    p.add_argument("--keys", default=None, metavar="FILE", help="sign each call with its institution's key from this "
                   "keys file, as `yibao serve --keys FILE` requires (docs/security.md)")  # fmt: skip
    add_time_zone(p)
    p.set_defaults(func=simulate)

    p = sub.add_parser("cert", help="the certification lab: sessions with a sandbox and a clock (docs/lab.md)")
    add_cert_arguments(p)
    add_time_zone(p)
    p.set_defaults(func=cert)

    p = sub.add_parser("certs", help="make a lab CA, the server's certificate and institutions' client certificates "
                       "for TLS and mutual TLS (docs/security.md)")  # fmt: skip
    add_certs_arguments(p)
    p.set_defaults(func=certs)

    p = sub.add_parser("bench", help="measure the gateway against a bare gRPC server, and as settlements grow")
    add_bench_arguments(p)
    add_time_zone(p)
    p.set_defaults(func=bench)

    p = sub.add_parser("chaos", help="settle under injected faults and check nothing was lost, doubled or misreported")
    add_chaos_arguments(p)
    add_time_zone(p)
    p.set_defaults(func=chaos)

    p = sub.add_parser("audit", help="check the journal's chain; make a data key (docs/security.md)")
    add_audit_arguments(p)

    inspector_cli.add_command(sub)
    add_world_arguments(sub)
    use_defaults_help(parser)
    args = parser.parse_args(argv)
    zone_error = apply_time_zone(args) or apply_clock_offset(args)
    if zone_error:
        print(f"yibao: {zone_error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
