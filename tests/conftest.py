"""Fixtures: a store on SQLite (always) and PostgreSQL (when reachable), a settable clock, and a
gateway served over a real gRPC channel."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import grpc
import pytest
from sqlalchemy import create_engine
from yibao.adapters.storage import schema
from yibao.adapters.storage.store import Store
from yibao.gateway.server import build_server

from yibao.domain.world import World
from yibao.world.loader import load_world

TEST_WORLD = Path(__file__).parent / "test_world.json"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        create_engine(PG_URL).connect().close()
        return True
    except Exception:
        return False


PG = _pg_reachable()
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG, reason="PostgreSQL unreachable"))]


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
    engine = create_engine(PG_URL)
    schema.metadata.drop_all(engine)
    engine.dispose()
    return PG_URL


@pytest.fixture
def store(db_url: str, world: World) -> Iterator[Store]:
    s = Store(db_url)
    s.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    yield s
    s.close()


class Served:
    def __init__(self, server: grpc.Server, port: int, store: Store, clock: Clock) -> None:
        self.server, self.port, self.store, self.clock = server, port, store, clock
        self.target = f"127.0.0.1:{port}"
        self.channel = grpc.insecure_channel(self.target)


@pytest.fixture
def served(world: World, store: Store, clock: Clock) -> Iterator[Served]:
    server, port, _ = build_server(world, store, address="127.0.0.1:0", clock=clock)
    server.start()
    s = Served(server, port, store, clock)
    yield s
    s.channel.close()
    server.stop(grace=None)


@pytest.fixture
def lab(served: Served, clock: Clock):  # type: ignore[no-untyped-def]
    from lab import Lab

    return Lab(served.channel, clock)
