"""`yibao reset` and `serve --fresh` put a store back to the world's initial state, on SQLite and PostgreSQL, and
refuse while a gateway serves it (src/yibao/storage/reset.py, serving.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from conftest import Clock
from lab import Item, Lab

from yibao.adapters.platform import build_server
from yibao.cli import main
from yibao.domain.world import World
from yibao.storage.reset import reset_store
from yibao.storage.serving import ServingMark, StoreInUse, exclusively, sqlite_file
from yibao.storage.store import Store


def settle_once(world: World, url: str, clock: Clock) -> Decimal:
    """One outpatient settlement of P0001 on a gateway over the store at `url`; the account balance after it."""
    store = Store(url)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    server, port, _ = build_server(world, store, address="127.0.0.1:0", clock=clock)
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            Lab(channel, clock).visit_and_settle("P0001", [Item("A01", "1", "300.00")])
        return balance_of(store, "P0001")
    finally:
        server.stop(grace=None)
        store.close()


def balance_of(store: Store, psn_no: str) -> Decimal:
    with store.engine.connect() as conn:
        fen = conn.exec_driver_sql(f"SELECT acct_balc_fen FROM person_state WHERE psn_no = '{psn_no}'").scalar_one()
    return Decimal(fen) / 100


def counts(url: str) -> tuple[int, int, int]:
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            return tuple(  # type: ignore[return-value]
                conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
                for table in ("settlement", "visit", "message")
            )
    finally:
        store.close()


def test_reset_returns_the_store_to_the_worlds_initial_state(db_url: str, world: World, clock: Clock) -> None:
    opening = world.persons["P0001"].account_balance
    assert settle_once(world, db_url, clock) < opening
    assert counts(db_url)[0] == 1

    removed = reset_store(db_url)

    assert removed["settlement"] == 1 and removed["visit"] == 1 and removed["message"] >= 3  # 9001, 2201, 2204, 2207
    store = Store(db_url)  # what a start does
    try:
        assert store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()}) == len(world.persons)
        assert balance_of(store, "P0001") == opening
    finally:
        store.close()
    assert counts(db_url) == (0, 0, 0)
    assert settle_once(world, db_url, clock) < opening  # the same visit settles again, ids and all anew


def test_reset_is_refused_while_a_gateway_serves_the_store(db_url: str, world: World, clock: Clock) -> None:
    settle_once(world, db_url, clock)
    mark = ServingMark(db_url)
    try:
        with pytest.raises(StoreInUse) as refused:
            reset_store(db_url)
        text = str(refused.value)
        assert "is in use: a yibao serve" in text and "Stop it first" in text and "yibao serve --fresh" in text
        assert counts(db_url)[0] == 1  # nothing was touched
    finally:
        mark.release()
    reset_store(db_url)  # once it has stopped
    assert counts(db_url) == (0, 0, 0)


def test_a_gateway_does_not_start_on_a_store_being_reset(db_url: str) -> None:
    with exclusively(db_url), pytest.raises(StoreInUse, match="is being reset"):
        ServingMark(db_url)
    ServingMark(db_url).release()


def test_two_gateways_may_share_a_store(db_url: str) -> None:
    first, second = ServingMark(db_url), ServingMark(db_url)  # workers, or gateways on several hosts
    first.release()
    with pytest.raises(StoreInUse):
        reset_store(db_url)
    second.release()


def test_sqlite_refusal_names_the_serving_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'yibao.db'}"
    import os

    mark = ServingMark(url)
    try:
        with pytest.raises(StoreInUse, match=rf"a yibao serve \(pid {os.getpid()}\) is serving it"):
            reset_store(url)
    finally:
        mark.release()
    assert sqlite_file(url) == tmp_path / "yibao.db"


def test_reset_command(tmp_path: Path, world: World, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'yibao.db'}"
    settle_once(world, url, clock)
    mark = ServingMark(url)
    assert main(["reset", "--db", url]) == 2
    assert "yibao reset: cannot reset: sqlite:///" in capsys.readouterr().err
    mark.release()
    assert main(["reset", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "is back to the world's initial state (removed 1 settlement rows, 1 visit rows," in out
    assert not (tmp_path / "yibao.db").exists()  # the next start makes it anew
    assert main(["reset", "--db", url]) == 0
    assert "(removed nothing (there was no store))" in capsys.readouterr().out
