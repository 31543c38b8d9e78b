"""Group commit on SQLite (src/yibao/storage/group_commit.py): units queued while a group commits form the next
group; each unit is all-or-nothing on its own; a group that fails as a whole keeps nobody's writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from yibao.errors import Refusal
from yibao.storage import schema as t
from yibao.storage.store import Store, Tx

ADD = insert(t.signin)
COUNT = select(func.count()).select_from(t.signin)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'group.db'}")
    yield store
    store.close()


def add(sign_no: str) -> Any:
    def work(tx: Tx) -> str:
        tx.insert(ADD, {"sign_no": sign_no, "fixmedins_code": "H1", "opter_no": "O", "mac": "", "ip": "",
                        "sign_time": "2026-03-15 10:00:00", "signout_time": None})  # fmt: skip
        return sign_no

    return work


def stored(store: Store) -> list[str]:
    with store.read() as tx:
        return sorted(r.sign_no for r in tx.all(select(t.signin.c.sign_no), {}))


def submit_while_blocked(store: Store, works: list[Any]) -> list[Any]:
    """Hold the writer inside a first unit until every one of `works` is queued; returns each result or exception."""
    inside, release = threading.Event(), threading.Event()

    def blocker(tx: Tx) -> None:
        inside.set()
        release.wait(10)

    first = threading.Thread(target=store.transact, args=(blocker,))
    first.start()
    assert inside.wait(10)
    results: list[Any] = [None] * len(works)

    def call(n: int) -> None:
        try:
            results[n] = store.transact(works[n])
        except BaseException as e:
            results[n] = e

    committer = store._committer
    assert committer is not None
    threads = [threading.Thread(target=call, args=(n,)) for n in range(len(works))]
    for n, thread in enumerate(threads):
        thread.start()
        while committer.queued() < n + 1:  # one at a time: the queue keeps the order of `works`
            threading.Event().wait(0.005)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    return results


def test_units_queued_during_a_commit_form_one_group(sqlite_store: Store) -> None:
    results = submit_while_blocked(sqlite_store, [add(f"S{n}") for n in range(10)])
    assert results == [f"S{n}" for n in range(10)]
    assert stored(sqlite_store) == [f"S{n}" for n in range(10)]
    stats = sqlite_store._committer.stats  # type: ignore[union-attr]
    assert (stats.groups, stats.units, stats.largest) == (2, 11, 10)  # the blocker alone, then the ten together


def test_a_failing_unit_is_rolled_back_alone(sqlite_store: Store) -> None:
    def half_then_refused(tx: Tx) -> None:
        add("HALF")(tx)
        raise Refusal("ENV_REQUIRED", "header.msgid")

    results = submit_while_blocked(sqlite_store, [add("A"), half_then_refused, add("B")])
    assert results[0] == "A" and results[2] == "B"
    assert isinstance(results[1], Refusal) and results[1].code == "ENV_REQUIRED"
    assert stored(sqlite_store) == ["A", "B"]


class Crash(BaseException):
    """Stands for what no unit may survive (the process being torn down mid-group)."""


def test_a_group_that_fails_as_a_whole_keeps_nobodys_writes(sqlite_store: Store) -> None:
    def crash(tx: Tx) -> None:
        raise Crash()

    results = submit_while_blocked(sqlite_store, [add("A"), crash, add("B")])
    assert all(isinstance(r, Crash) for r in results)  # nobody is told "done"
    assert stored(sqlite_store) == []
    assert sqlite_store.transact(add("C")) == "C"  # the writer carries on
    assert stored(sqlite_store) == ["C"]


def test_a_unit_sees_the_writes_of_the_units_before_it_in_its_group(sqlite_store: Store) -> None:
    def count(tx: Tx) -> int:
        return int(tx.scalar(COUNT, {}))

    results = submit_while_blocked(sqlite_store, [add("A"), count, add("B"), count])
    assert results == ["A", 1, "B", 2]


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'closed.db'}")
    assert store.transact(add("A")) == "A"
    committer = store._committer
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        committer.submit(add("B"))  # type: ignore[union-attr]
