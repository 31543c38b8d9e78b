"""Read-only queries behind the transaction inspector: journal search, one entry, a settlement's fees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from yibao.storage import schema as t
from yibao.storage.rows import FeeRow, JournalRow, JournalSummary
from yibao.storage.store import Tx

# Searchable journal columns, each an equality filter on an indexed (or small) column.
FILTERS = ("fixmedins_code", "msgid", "psn_no", "mdtrt_id", "setl_id", "infno", "outcome")
LIST_COLUMNS = JournalSummary._fields


@dataclass(frozen=True, slots=True)
class Entry:
    row: JournalRow  # the journal row, with request and reply
    refused: bool  # whether `reply` holds an ErrorDetail (also true for the replay of a refusal)


def search(tx: Tx, filters: dict[str, str], *, before: int | None = None, limit: int = 100) -> list[JournalSummary]:
    """Newest first. `filters` maps FILTERS names to exact values; `before` pages to older ids."""
    j = t.journal
    q = select(*(j.c[name] for name in LIST_COLUMNS))
    for name, value in filters.items():
        if name in FILTERS and value:
            q = q.where(j.c[name] == value)
    if before is not None:
        q = q.where(j.c.id < before)
    return tx.fetch_all(q.order_by(j.c.id.desc()).limit(limit), JournalSummary)


def entry(tx: Tx, journal_id: int) -> Entry | None:
    row = tx.fetch_one(select(t.journal).where(t.journal.c.id == journal_id), JournalRow)
    if row is None:
        return None
    refused = row.outcome == "refused"
    if row.outcome == "replayed":  # a replay answers with what was stored: a reply or a refusal
        refused = bool(tx.conn.scalar(select(t.message.c.refused).where(t.message.c.msgid == row.msgid)))
    return Entry(row, refused)


def settlement_fees(tx: Tx, setl_id: str) -> list[FeeRow]:
    """The fee items a settlement covered, as stored (split amounts in fen)."""
    f = t.fee
    return tx.fetch_all(select(f).where(f.c.setl_id == setl_id).order_by(f.c.feedetl_sn), FeeRow)
