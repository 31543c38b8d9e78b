"""Disk errors in the store (src/yibao/storage/faults.py, write_failures.py) answered honestly, on SQLite (the
group committer) and PostgreSQL (a transaction per call): an error on a write inside the transaction rolls it back
and says "not carried out" (STORE_WRITE_FAILED), which Y5203 confirms; an error on the commit, before or after the
database made it durable, says the outcome is unknown (STORE_OUTCOME_UNKNOWN), and the resend under the same msgid
settles exactly once either way. P0001: 300.00 in scope → deductible 200.00, fund 70.00, account 230.00."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import Item, LabRefused
from sqlalchemy import func, select

from yibao.storage import faults, schema
from yibao.storage.write_failures import CommitUncertain, is_write_failure
from yibao.v1 import outpatient_pb2


@pytest.fixture
def armed(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "faults"
    folder.mkdir()
    faults.arm(folder)
    yield folder
    faults.arm(None)


def settle_request(lab: Any) -> Any:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")])
    return lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, "300.00")), psn="P0001")


def settlements(served: Any) -> int:
    with served.store.read() as tx:
        return tx.conn.scalar(select(func.count()).select_from(schema.settlement))  # type: ignore[no-any-return]


def refused(lab: Any, request: Any) -> str:
    with pytest.raises(LabRefused) as e:
        lab.send(request, "2207")
    return e.value.code  # type: ignore[no-any-return]


def test_a_disk_error_on_a_write_rolls_the_call_back_and_says_it_was_not_carried_out(
    lab: Any, served: Any, armed: Path
) -> None:
    request = settle_request(lab)
    (armed / "write-1").touch()
    assert refused(lab, request) == "STORE_WRITE_FAILED"
    assert not (armed / "write-1").exists()  # taken, once
    assert settlements(served) == 0
    assert lab.query_msg(request.header.msgid).msginfo.msg_stas == "0"  # not arrived: true
    reply = lab.send(request, "2207")  # the same msgid, carried out once now
    assert (reply.output.setlinfo.fund_pay_sumamt, reply.output.setlinfo.acct_pay) == ("70.00", "230.00")
    assert settlements(served) == 1


@pytest.mark.parametrize("point", ["commit-before", "commit-after"])
def test_a_disk_error_on_the_commit_says_the_outcome_is_unknown_and_the_resend_settles_once(
    lab: Any, served: Any, armed: Path, point: str
) -> None:
    request = settle_request(lab)
    (armed / f"{point}-1").touch()
    assert refused(lab, request) == "STORE_OUTCOME_UNKNOWN"
    kept = point == "commit-after"  # the database had made it durable when the error came
    assert settlements(served) == (1 if kept else 0)
    assert lab.query_msg(request.header.msgid).msginfo.msg_stas == ("1" if kept else "0")
    first = lab.send(request, "2207")
    again = lab.send(request, "2207")
    assert first.output.setlinfo.setl_id == again.output.setlinfo.setl_id
    assert (first.output.setlinfo.fund_pay_sumamt, first.output.setlinfo.acct_pay) == ("70.00", "230.00")
    assert settlements(served) == 1


def test_faults_are_taken_only_at_their_point_and_only_once(armed: Path) -> None:
    (armed / "fsync-1").touch()
    faults.hit("write")
    faults.hit("commit-before")
    with pytest.raises(faults.InjectedDiskError):
        faults.hit("fsync")
    faults.hit("fsync")
    assert not list(armed.iterdir())


def test_what_counts_as_a_write_failure() -> None:
    import sqlite3

    from sqlalchemy.exc import IntegrityError, OperationalError

    assert is_write_failure(faults.InjectedDiskError(5, "disk I/O error"))
    assert is_write_failure(sqlite3.OperationalError("disk I/O error"))
    assert is_write_failure(OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full")))
    assert not is_write_failure(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")))
    assert not is_write_failure(ValueError("a bug"))
    assert not is_write_failure(CommitUncertain("unknown"))  # told apart before this is asked
