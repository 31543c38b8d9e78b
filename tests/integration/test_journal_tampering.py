"""The tamper-evident journal (src/yibao/storage/journal_chain.py): `yibao audit verify` finds every change made
to the journal behind the gateway's back — an outcome updated, a row deleted, a row inserted, two rows swapped —
and names the first bad row; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from yibao.audit_command import verify
from yibao.cli import main
from yibao.storage.journal_chain import restart_chains
from yibao.storage.sealing import create_key_file
from yibao.storage.store import Store

ROWS = 6  # journal ids 1..6, chain 0, seq 1..6 (one writer)


@pytest.fixture
def key_file(tmp_path: Path) -> str:
    path = tmp_path / "data.key"
    create_key_file(path)
    return str(path)


@pytest.fixture
def journaled(db_url: str, key_file: str) -> Iterator[Store]:
    store = Store(db_url, key_file)
    for n in range(1, ROWS + 1):
        store.transact(lambda tx, n=n: journal_row(tx, n))
    yield store
    store.close()


def journal_row(tx, n: int, msgid: str | None = None) -> None:  # type: ignore[no-untyped-def]
    tx.journal(received_at=f"20260315100000{n:03d}", infno="2207", msgid=msgid or f"H1100000000120260315{n:010d}",
               fixmedins_code="H11000000001", outcome="ok", err_code="", err_msg="", duration_us=100 + n,
               request=f"request {n}".encode(), reply=f"reply {n}".encode(), psn_no="P001", mdtrt_id=None,
               setl_id=None)  # fmt: skip


def audit(store: Store, key_file: str, anchor: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = verify(str(store.engine.url.render_as_string(hide_password=False)), key_file,
                  str(anchor) if anchor else None, out)  # fmt: skip
    return code, out.getvalue()


def tamper(store: Store, *statements: str) -> None:
    with store.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


COLUMNS = "received_at, infno, msgid, fixmedins_code, outcome, err_code, err_msg, duration_us, request, reply, psn_no"


def test_an_untouched_journal_is_intact(journaled: Store, key_file: str) -> None:
    code, out = audit(journaled, key_file)
    assert code == 0, out
    assert out.startswith(f"journal intact: {ROWS} rows; chain 0 ends at seq {ROWS} mac ")


def test_an_updated_outcome_is_found(journaled: Store, key_file: str) -> None:
    tamper(journaled, "UPDATE journal SET outcome = 'refused' WHERE id = 3")
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: journal row id 3 (chain 0, seq 3): "
        "its mac does not match its columns and the row before: changed, forged or moved"
    )


def test_a_deleted_row_is_found(journaled: Store, key_file: str) -> None:
    tamper(journaled, "DELETE FROM journal WHERE id = 3")
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: journal row id 4 (chain 0, seq 4): seq 3..3 missing before it: rows deleted"
    )


def test_a_row_inserted_in_the_middle_is_found(journaled: Store, key_file: str) -> None:
    # Room made at seq 3 by moving the later rows up, and a copy of row 2 (mac and all) put there as id 7.
    tamper(
        journaled,
        "UPDATE journal SET chain_seq = chain_seq + 100 WHERE chain_seq >= 3",
        "UPDATE journal SET chain_seq = chain_seq - 99 WHERE chain_seq >= 103",
        f"INSERT INTO journal (id, {COLUMNS}, mdtrt_id, setl_id, chain, chain_seq, mac) "
        f"SELECT 7, {COLUMNS}, mdtrt_id, setl_id, chain, 3, mac FROM journal WHERE id = 2",
    )
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0].startswith("journal TAMPERED: first bad row: journal row id 7 (chain 0, seq 3): ")


def test_a_forged_row_at_the_end_is_found(journaled: Store, key_file: str) -> None:
    tamper(
        journaled,
        f"INSERT INTO journal (id, {COLUMNS}, mdtrt_id, setl_id, chain, chain_seq, mac) "
        f"SELECT 7, {COLUMNS}, mdtrt_id, setl_id, chain, 7, mac FROM journal WHERE id = 6",
    )
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: journal row id 7 (chain 0, seq 7): "
        "its mac does not match its columns and the row before: changed, forged or moved"
    )


def swap(store: Store, columns: list[str]) -> None:
    """Rows 3 and 4 trade the values of `columns`, as stored."""
    listed = ", ".join(columns)
    with store.engine.begin() as conn:
        rows = {r[0]: r[1:] for r in conn.execute(text(f"SELECT id, {listed} FROM journal WHERE id IN (3, 4)"))}
        if "chain_seq" in columns:  # out of the way of the unique (chain, chain_seq) first
            conn.execute(text("UPDATE journal SET chain_seq = chain_seq + 100 WHERE id IN (3, 4)"))
        for jid, other in ((3, 4), (4, 3)):
            values = dict(zip(columns, rows[other], strict=True))
            sets = ", ".join(f"{c} = :{c}" for c in columns)
            conn.execute(text(f"UPDATE journal SET {sets} WHERE id = :jid"), {**values, "jid": jid})


def test_two_swapped_rows_are_found(journaled: Store, key_file: str) -> None:
    # Rows 3 and 4 trade everything but their ids: the order of ids no longer follows the chain.
    swap(journaled, [*COLUMNS.split(", "), "chain_seq", "mac"])
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: journal row id 3 (chain 0, seq 4): "
        "its id comes before the previous row's (4): rows moved"
    )


def test_swapped_bodies_are_found(journaled: Store, key_file: str) -> None:
    # Only the sealed requests of rows 3 and 4 traded, their places and macs kept.
    swap(journaled, ["request"])
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: journal row id 3 (chain 0, seq 3): "
        "its mac does not match its columns and the row before: changed, forged or moved"
    )


def test_a_deleted_tail_is_found_by_the_head_and_by_the_anchor(journaled: Store, key_file: str, tmp_path: Path) -> None:
    anchor = tmp_path / "journal.anchor"
    assert audit(journaled, key_file, anchor)[0] == 0  # records the chain's end
    tamper(journaled, "DELETE FROM journal WHERE id = 6")
    code, out = audit(journaled, key_file)
    assert code == 1
    assert out.splitlines()[0] == (
        "journal TAMPERED: first bad row: chain 0's end (chain 0, seq 5): the chain ends at seq 5 but its head "
        "says 6: its last rows were deleted, or the head was changed"
    )
    # The head moved back with it: only the anchor kept outside the database still shows it.
    tamper(
        journaled, "UPDATE journal_head SET chain_seq = 5, mac = (SELECT mac FROM journal WHERE id = 5) WHERE chain = 0"
    )
    assert audit(journaled, key_file)[0] == 0
    code, out = audit(journaled, key_file, anchor)
    assert code == 1
    assert f"the anchor {anchor} recorded seq 6; the journal no longer holds that row" in out


def test_a_wrong_key_cannot_verify(journaled: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.key"
    create_key_file(other)
    assert audit(journaled, str(other))[0] == 2


def test_concurrent_writers_keep_the_chains_intact(journaled: Store, key_file: str) -> None:
    """PostgreSQL: transactions that journal at once take different chains; each chain stays whole."""
    barrier = threading.Barrier(4)

    def writer(w: int) -> None:
        barrier.wait()
        for n in range(10):
            journaled.transact(lambda tx, n=n: journal_row(tx, 100 * w + n, msgid=f"W{w}N{n}"))  # type: ignore[misc]

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    code, out = audit(journaled, key_file)
    assert code == 0, out
    assert f"journal intact: {ROWS + 40} rows;" in out


def test_a_cleared_journal_starts_its_chains_again(journaled: Store, key_file: str) -> None:
    """A lab session's reset deletes the journal with everything else (adapters/yibao/adapters/lab/state.py)."""
    with journaled.engine.begin() as conn:
        conn.execute(text("DELETE FROM journal"))
        restart_chains(conn)
    journaled.transact(lambda tx: journal_row(tx, 1))
    code, out = audit(journaled, key_file)
    assert code == 0, out
    assert out.startswith("journal intact: 1 rows; chain 0 ends at seq 1 mac ")


def test_the_command_line(journaled: Store, key_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = journaled.engine.url.render_as_string(hide_password=False)
    assert main(["audit", "verify", "--db", url, "--data-key", key_file]) == 0
    assert capsys.readouterr().out.startswith(f"journal intact: {ROWS} rows")
    tamper(
        journaled,
        "UPDATE journal SET err_msg = err_msg WHERE id = 2",
        "UPDATE journal SET duration_us = 1 WHERE id = 5",
    )
    assert main(["audit", "verify", "--db", url, "--data-key", key_file]) == 1
    assert capsys.readouterr().out.startswith("journal TAMPERED: first bad row: journal row id 5 (chain 0, seq 5)")
    new_key = tmp_path / "new.key"
    assert main(["audit", "new-key", str(new_key)]) == 0 and new_key.stat().st_mode & 0o777 == 0o600
