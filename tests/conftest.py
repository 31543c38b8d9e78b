"""Fixtures: a store on SQLite (always) and PostgreSQL (when reachable), a settable clock, and a
gateway served over a real gRPC channel."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import grpc
import pytest
from sqlalchemy import create_engine

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.inspector import Inspector
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_server
from yibao.domain.world import World
from yibao.gateway.dispatch import Gateway
from yibao.gateway.request_auth import RequestAuth
from yibao.request_signing import load_keys
from yibao.storage.store import Store
from yibao.world.loader import load_world

TEST_WORLD = Path(__file__).parent / "test_world.json"
TIF_KEYS = Path(__file__).parent / "tif_keys.json"
PG_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Each test process works in its own schema of database `test`, so concurrent runs never collide.
PG_SCHEMA = f"yibao_test_{os.getpid()}"
PG_URL = f"{PG_DB}?options=-csearch_path%3D{PG_SCHEMA}"


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        create_engine(PG_DB).connect().close()
        return True
    except Exception:
        return False


PG = _pg_reachable()
# PostgreSQL runs are `slow`: day-to-day runs (`pytest -m "not slow"`) take SQLite only; CI takes both.
BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=[pytest.mark.skipif(not PG, reason="PostgreSQL unreachable"), pytest.mark.slow]),
]


class Clock:
    """Platform time, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 15, 10, 0, 0))


@pytest.fixture(scope="session")
def world() -> World:
    return load_world(TEST_WORLD)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'yibao.db'}"
    engine = create_engine(PG_DB)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {PG_SCHEMA}")
    engine.dispose()
    return PG_URL


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_schema() -> Iterator[None]:
    yield
    if PG:
        engine = create_engine(PG_DB)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        engine.dispose()


@pytest.fixture
def store(db_url: str, world: World) -> Iterator[Store]:
    s = Store(db_url)
    s.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    yield s
    s.close()


class Served:
    def __init__(self, server: grpc.Server, port: int, store: Store, clock: Clock, gateway: Gateway) -> None:
        self.server, self.port, self.store, self.clock, self.gateway = server, port, store, clock, gateway
        self.target = f"127.0.0.1:{port}"
        self.channel = grpc.insecure_channel(self.target)


@pytest.fixture
def served(world: World, store: Store, clock: Clock) -> Iterator[Served]:
    server, port, gateway = build_server(world, store, address="127.0.0.1:0", clock=clock)
    server.start()
    s = Served(server, port, store, clock, gateway)
    yield s
    s.channel.close()
    server.stop(grace=None)


@pytest.fixture
def lab(served: Served, clock: Clock):  # type: ignore[no-untyped-def]
    from lab import Lab

    return Lab(served.channel, clock)


@pytest.fixture
def http_served(served: Served, world: World, store: Store, clock: Clock) -> Iterator[str]:
    """The national JSON/HTTP entry point over the same Gateway as `served`; yields its base URL.
    Institution H11000000002 signs its calls (tests/tif_keys.json)."""
    auth = RequestAuth(load_keys(TIF_KEYS), clock)
    app = NationalHttp(served.gateway, auth, Inspector(store, world, served.gateway.routes))
    server = HttpServer(app, port=0, threads=4)
    server.start()
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture
def inspected(served: Served, world: World, store: Store) -> Iterator[str]:
    """The national JSON/HTTP entry point with the inspector behind its login (tests/inspector_client.py's
    accounts) and the raw-request log; yields its base URL. No request signing; bodies up to 256 KiB."""
    from inspector_client import accounts

    from yibao.adapters.http.traffic import TrafficLog

    traffic = TrafficLog()
    inspector = Inspector(store, world, served.gateway.routes, accounts(), traffic)
    app = NationalHttp(served.gateway, inspector=inspector, max_body=256 * 1024, traffic=traffic)
    server = HttpServer(app, port=0, threads=4)
    server.start()
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture
def his(http_served: str, lab):  # type: ignore[no-untyped-def]
    """A HIS speaking national JSON over HTTP; shares msgids and sign-ins with `lab`."""
    from http_lab import HttpHis

    h = HttpHis(http_served, lab)
    yield h
    h.close()


# Tests by level: tests/unit (the domain, the core's use cases on a store, storage, the code base itself),
# tests/integration (a gateway in this process over real gRPC or HTTP), tests/e2e (whole processes:
# `yibao serve`, workers, signals, the simulated traffic, Locust, the browser). Whole processes, and the
# property-based runs, injected lab faults and hundreds of HTTP connections below, are `slow`:
# `pytest -m "not slow"` is the day-to-day run.
SLOW_MODULES = {
    "test_ledger_invariants.py",
    "test_http_fuzz.py",
    "test_lab_faults.py",
    "test_http_connections.py",
    "test_openapi_fuzz.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path
        if path.parent.name == "e2e" or path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
