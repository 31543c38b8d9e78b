"""Personal data at rest (docs/security.md, src/yibao/storage/sealing.py): after simulated traffic of every
kind — outpatient, inpatient, emergency, chronic, cancelled, refunded visits and pharmacy sales — no ID number,
certificate number or name of the world's persons is found in the clear in the SQLite file, its WAL or the logs;
on PostgreSQL, in any table. The journal's chain is intact after the desks' concurrent calls."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from yibao.adapters.platform import build_server, settlement_totals
from yibao.simulators.his.simulate_traffic import TrafficPlan, simulate_traffic
from yibao.simulators.his.traffic import DEFAULT_MIX
from yibao.storage.journal_chain import Problem, verify
from yibao.storage.prepared import driver
from yibao.storage.store import Store
from yibao.world.loader import parse_world

pytestmark = pytest.mark.slow  # a whole simulated day's mix of visits

PLAN = TrafficPlan(hospitals=2, pharmacies=1, seed=19, mix=DEFAULT_MIX, visits=80)


def secrets_of(world_doc: dict[str, Any]) -> set[str]:
    """Every person's ID number, certificate numbers (e-voucher token, card) and name."""
    world = parse_world(world_doc, "generated world")
    found = set()
    for p in world.persons.values():
        found |= {p.certno, p.psn_name, p.card_no, p.ec_token}
    return {s for s in found if s and len(s.encode()) >= 4}


def in_clear(data: bytes, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if s.encode() in data)


class Run:
    """A traffic run against an in-process gateway on the store at `db_url`, with what it left behind."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.secrets: set[str] = set()
        self.files_before_close: dict[str, bytes] = {}
        self.tables: list[tuple[str, tuple[object, ...]]] = []
        self.counts: dict[str, int] = {}
        self.chain_problems: list[Problem] = []

    @contextmanager
    def platform(self, world_doc: dict[str, Any], threads: int) -> Iterator[tuple[str, Callable[[], Any]]]:
        self.secrets = secrets_of(world_doc)
        world = parse_world(world_doc, "generated world")
        store = Store(self.db_url)
        store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        server, port, _ = build_server(world, store, address="127.0.0.1:0", max_workers=threads)
        server.start()
        try:
            yield f"127.0.0.1:{port}", lambda: settlement_totals(store)
        finally:
            server.stop(grace=None)
            self._keep(store)
            store.close()

    def _keep(self, store: Store) -> None:
        """The store as it is before closing: its files (the WAL not yet checkpointed away), or its tables."""
        with store.engine.connect() as conn:
            for table in ("visit", "settlement", "journal", "message"):
                self.counts[table] = conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            self.chain_problems = verify(conn, store.sealer, store.chain_key).problems
        database = store.engine.url.database
        if store.is_sqlite and database:
            for path in Path(database).parent.glob(Path(database).name + "*"):
                if not path.name.endswith(".key"):
                    self.files_before_close[path.name] = path.read_bytes()
            return
        with store.engine.connect() as conn:
            raw = driver(conn)
            for table in inspect(conn).get_table_names():
                self.tables += [(table, tuple(r)) for r in raw.execute(f"SELECT * FROM {table}").fetchall()]


@pytest.fixture
def run(db_url: str, caplog: pytest.LogCaptureFixture) -> Iterator[tuple[Run, str]]:
    caplog.set_level(logging.DEBUG)
    r = Run(db_url)
    out = io.StringIO()
    assert simulate_traffic(PLAN, target=None, progress=False, out=out, local_platform=r.platform) == 0, out.getvalue()
    assert len(r.secrets) > 50
    yield r, out.getvalue() + caplog.text


def test_nothing_personal_in_the_clear_after_a_simulation(
    run: tuple[Run, str], capsys: pytest.CaptureFixture[str]
) -> None:
    r, logs = run
    # the scan means something: the run stored visits, settlements, messages and journal bodies
    assert min(r.counts.values()) >= 20, r.counts
    assert r.chain_problems == []  # and the journal's chain held under the desks' concurrent calls
    captured = capsys.readouterr()
    assert in_clear((logs + captured.out + captured.err).encode(), r.secrets) == []
    if r.db_url.startswith("sqlite"):
        assert any(name.endswith("-wal") for name in r.files_before_close)
        for name, data in r.files_before_close.items():
            assert in_clear(data, r.secrets) == [], name
        database = Path(r.db_url.removeprefix("sqlite:///"))
        for path in database.parent.glob(database.name + "*"):
            if not path.name.endswith(".key"):
                assert in_clear(path.read_bytes(), r.secrets) == [], path.name
    else:
        assert r.tables
        for table, row in r.tables:
            for value in row:
                data = (
                    value.encode()
                    if isinstance(value, str)
                    else bytes(value)
                    if isinstance(value, bytes | memoryview)
                    else b""
                )
                assert in_clear(data, r.secrets) == [], table
