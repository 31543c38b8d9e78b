"""The platform assembled: the gateway's routes bound to the simulated settlement core's use cases.

The gateway implements the national interface without knowing which core settles the calls; this is
the one place that joins the two (for the in-process gateway, the core process and the tools)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc

from yibao import platform_clock
from yibao.adapters.journal_wire import ProtobufJournal
from yibao.adapters.wire_values import wire_handlers
from yibao.domain.world import World
from yibao.gateway import server as grpc_server
from yibao.gateway.dispatch import Gateway
from yibao.gateway.routes import Route
from yibao.gateway.routes import build_routes as bind_routes
from yibao.simulators.core.handlers import HANDLERS
from yibao.simulators.core.journal_wire import plug
from yibao.storage import ledger
from yibao.storage.store import Store
from yibao.world.loader import parse_world


def build_routes() -> dict[str, Route]:
    """Every national transaction routed to the gateway's own handler or the settlement core's."""
    plug(ProtobufJournal())  # what 2601 and Y5203 read of the journal's wire bytes
    return bind_routes(wire_handlers(HANDLERS))


def build_gateway(world: World, store: Store, clock: Callable[[], datetime] = platform_clock.now) -> Gateway:
    return Gateway(world, store, build_routes(), clock)


def build_server(world: World, store: Store, **options: Any) -> tuple[grpc.Server, int, Gateway]:
    """The gRPC server of `yibao.gateway.server.build_server` with the settlement core's routes."""
    return grpc_server.build_server(world, store, routes=build_routes(), **options)


@contextlib.contextmanager
def in_process_platform(world_doc: dict[str, Any], threads: int) -> Iterator[tuple[str, Callable[[], Any]]]:
    """A gateway on a fresh SQLite store in a temporary directory, serving `world_doc` (`yibao simulate`).
    Yields its address and a function giving the store's settlement totals (rows, Σ medfee, Σ fund)."""
    world = parse_world(world_doc, "generated world")
    with tempfile.TemporaryDirectory(prefix="yibao-simulate-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'yibao.db'}")
        store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        server, port, _ = build_server(world, store, address="127.0.0.1:0", max_workers=threads)
        server.start()
        try:
            yield f"127.0.0.1:{port}", lambda: settlement_totals(store)
        finally:
            server.stop(grace=None)
            store.close()


def settlement_totals(store: Store) -> tuple[int, Decimal, Decimal]:
    """How many settlement rows the store holds, and their Σ medfee and Σ fund payment."""
    with store.read() as tx:
        return ledger.settlement_totals(tx)
