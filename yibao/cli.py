"""The `yibao` command: serve the gateway, or drive it with a simulated hospital."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from yibao.adapters.storage.store import DEFAULT_DB, Store
from yibao.world.loader import WorldFormatError, load_world


def serve(args: argparse.Namespace) -> int:
    from yibao.gateway.server import build_server

    try:
        world = load_world(args.world)
    except (OSError, WorldFormatError) as e:
        print(f"yibao: cannot load world: {e}", file=sys.stderr)
        return 2
    store = Store(args.db)
    seeded = store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    server, port, _ = build_server(world, store, address=f"{args.host}:{args.port}", max_workers=args.threads)
    server.start()
    print(
        f"yibao gateway listening on {args.host}:{port} (gRPC, health and reflection on)\n"
        f"  store: {args.db}  world: {args.world or 'built-in demo'} — {len(world.regions)} regions, "
        f"{len(world.institutions)} institutions, {len(world.persons)} persons ({seeded} new)",
        flush=True,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=2).wait()
    store.close()
    return 0


def simulate(args: argparse.Namespace) -> int:
    from yibao.simulators.his.hospital import simulate as run

    return run(args.target, args.visits, args.world, seed=args.seed, fixmedins_code=args.fixmedins_code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yibao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the gateway (gRPC) on the embedded store with the demo world")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=50051)
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLAlchemy URL (default {DEFAULT_DB}, created on first start)")
    p.add_argument("--world", default=None, help="world file (docs/world-format.md); default: the built-in demo")
    p.add_argument("--threads", type=int, default=16, help="gRPC worker threads")
    p.set_defaults(func=serve)

    p = sub.add_parser("simulate", help="drive a gateway with a simulated hospital HIS")
    p.add_argument("--target", default="127.0.0.1:50051", help="HOST:PORT of the gateway")
    p.add_argument("--visits", type=int, default=1)
    p.add_argument("--world", default=None, help="the world file the gateway serves (default: the demo)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fixmedins-code", default=None, help="the hospital to act as (default: chosen by seed)")
    p.set_defaults(func=simulate)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
