"""Bulk-seed a SQLite store with past settlements, to measure how settlement latency grows with the
rows already stored (`yibao bench --rows`).

Each seeded settlement is a clone of a real outpatient visit the gateway stored (the template):
its visit, fee items, settlement, and the messages and journal rows of its calls (1101 → 2207),
blobs and all, so tables and indexes grow in the proportions real traffic gives them. Cloned rows
get their own ids (dated 2025-01-01, so they never meet live ones) and their own synthetic persons
(S…, eight visits each), so no live person's history grows with them. Cloned journal rows go to a chain of
their own (`SEEDED_CHAIN`), outside the tamper-evident chains: `yibao audit verify` reports them, rightly, as
rows written behind the gateway's back (docs/security.md).

The gateway must be stopped while seeding: it writes with synchronous=OFF (a crash loses only the
seed) in large transactions, straight through sqlite3, which is about ten times faster than the store.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BATCH = 2_000  # settlements per transaction
SEED_DAY = "20250101"
VISITS_PER_PERSON = 8
SEEDED_CHAIN = -1  # journal.chain of cloned rows (src/yibao/storage/journal_chain.py chains are 0 and up)


@dataclass(frozen=True)
class Template:
    visit: dict[str, Any]
    fees: list[dict[str, Any]]
    settlement: dict[str, Any]
    journal: list[dict[str, Any]]  # the visit's calls in order, without the autoincrement id
    messages: dict[str, dict[str, Any]]  # by msgid


def sqlite_path(url: str) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise ValueError(f"seeding needs a SQLite store, not {url}")
    return url[len(prefix) :]


def load_template(conn: sqlite3.Connection) -> Template:
    """The most recent outpatient settlement whose every call was journaled."""
    conn.row_factory = sqlite3.Row
    for row in conn.execute(
        "SELECT s.* FROM settlement s JOIN visit v ON v.mdtrt_id = s.mdtrt_id "
        "WHERE s.kind = 'settle' AND v.kind = 'outpatient' ORDER BY s.setl_time DESC LIMIT 50"
    ):
        settlement = dict(row)
        mdtrt_id = settlement["mdtrt_id"]
        visit = dict(conn.execute("SELECT * FROM visit WHERE mdtrt_id = ?", (mdtrt_id,)).fetchone())
        fees = [dict(r) for r in conn.execute("SELECT * FROM fee WHERE mdtrt_id = ?", (mdtrt_id,))]
        calls = [dict(r) for r in conn.execute("SELECT * FROM journal WHERE mdtrt_id = ? ORDER BY id", (mdtrt_id,))]
        query = conn.execute(
            "SELECT * FROM journal WHERE infno = '1101' AND psn_no = ? AND outcome = 'ok' ORDER BY id DESC LIMIT 1",
            (settlement["psn_no"],),
        ).fetchone()
        if not fees or not calls or query is None:
            continue
        journal = [dict(query), *calls]
        for j in journal:
            del j["id"]
        msgids = [j["msgid"] for j in journal]
        marks = ",".join("?" * len(msgids))
        messages = {
            r["msgid"]: dict(r) for r in conn.execute(f"SELECT * FROM message WHERE msgid IN ({marks})", msgids)
        }
        if len(messages) == len(msgids):
            return Template(visit, fees, settlement, journal, messages)
    raise LookupError("no journaled outpatient settlement to clone: run a few visits first")


def count_settlements(url: str) -> int:
    with sqlite3.connect(sqlite_path(url)) as conn:
        return conn.execute("SELECT count(*) FROM settlement").fetchone()[0]


def seed(url: str, count: int, *, first: int = 0, progress: Callable[[int], None] | None = None) -> float:
    """Add `count` cloned settlements numbered from `first`; returns the seconds it took."""
    started = time.perf_counter()
    conn = sqlite3.connect(sqlite_path(url), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB: index pages stay in memory while seeding
        template = load_template(conn)
        conn.row_factory = None
        statements = {name: _insert(name, rows) for name, rows in _rows(template, 0).items()}
        for start in range(first, first + count, BATCH):
            batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in statements}
            for n in range(start, min(start + BATCH, first + count)):
                for name, rows in _rows(template, n).items():
                    batch[name] += [tuple(r.values()) for r in rows]
            conn.execute("BEGIN")
            for name, rows in batch.items():
                conn.executemany(statements[name], rows)
            conn.execute("COMMIT")
            if progress is not None:
                progress(min(start + BATCH, first + count) - first)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return time.perf_counter() - started


def _insert(table: str, rows: list[dict[str, Any]]) -> str:
    columns = list(rows[0])
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _rows(t: Template, n: int) -> dict[str, list[dict[str, Any]]]:
    """Settlement number n's rows: the template's, with ids of their own."""
    region = t.visit["mdtrtarea_admvs"]
    mdtrt_id = f"{region}{SEED_DAY}000000{n:010d}"
    setl_id = f"{region}{SEED_DAY}000001{n:010d}"
    psn_no = f"S{n // VISITS_PER_PERSON:019d}"
    msgid = {old: f"SEED{n:012d}{SEED_DAY}{k:06d}" for k, old in enumerate(m["msgid"] for m in t.journal)}
    ids = {"psn_no": psn_no, "mdtrt_id": mdtrt_id}
    journal = [
        {**j, **ids, "msgid": msgid[j["msgid"]], "setl_id": setl_id if j["setl_id"] else None,
         "chain": SEEDED_CHAIN, "chain_seq": n * len(t.journal) + k}
        for k, j in enumerate(t.journal)
    ]  # fmt: skip
    journal[0]["mdtrt_id"] = None  # 1101 comes before the visit exists
    settlement = {**t.settlement, **ids, "setl_id": setl_id, "msgid": msgid[t.settlement["msgid"]], "year": 2025}
    return {
        "visit": [{**t.visit, **ids, "ipt_otp_no": f"SEED{n:012d}"}],
        "fee": [{**f, "mdtrt_id": mdtrt_id, "setl_id": setl_id} for f in t.fees],
        "settlement": [settlement],
        "message": [{**m, "msgid": msgid[old]} for old, m in t.messages.items()],
        "journal": journal,
    }
