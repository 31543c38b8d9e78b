"""Read-only queries behind the transaction inspector: journal search, one entry, a settlement's fees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

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


@dataclass(frozen=True, slots=True)
class Scope:
    """What one inspector account may see: the institutions whose rows it may read (None: every one), and the
    time range asked for (received_at bounds as stored, yyyyMMddHHmmssSSS; "" for open)."""

    institutions: frozenset[str] | None = None
    since: str = ""
    until: str = ""


EVERYTHING = Scope()


def _conditions(filters: dict[str, str], scope: Scope) -> list[ColumnElement[bool]]:
    j = t.journal
    out = [j.c[name] == value for name, value in filters.items() if name in FILTERS and value]
    if scope.institutions is not None:  # an account's own institutions only, whatever the filters say
        out.append(j.c.fixmedins_code.in_(sorted(scope.institutions)))
    if scope.since:
        out.append(j.c.received_at >= scope.since)
    if scope.until:
        out.append(j.c.received_at < scope.until)
    return out


def search(
    tx: Tx, filters: dict[str, str], *, before: int | None = None, limit: int = 100, scope: Scope = EVERYTHING
) -> list[JournalSummary]:
    """Newest first. `filters` maps FILTERS names to exact values; `before` pages to older ids."""
    j = t.journal
    q = select(*(j.c[name] for name in LIST_COLUMNS)).where(*_conditions(filters, scope))
    if before is not None:
        q = q.where(j.c.id < before)
    return tx.fetch_all(q.order_by(j.c.id.desc()).limit(limit), JournalSummary)


def counts(tx: Tx, filters: dict[str, str], *, scope: Scope = EVERYTHING) -> list[tuple[str, str, int]]:
    """(infno, outcome, number of rows) of what `search` would find, all pages together."""
    j = t.journal
    q = select(j.c.infno, j.c.outcome, func.count()).where(*_conditions(filters, scope))
    rows = tx.conn.execute(q.group_by(j.c.infno, j.c.outcome).order_by(j.c.infno, j.c.outcome)).all()
    return [(str(infno), str(outcome), int(n)) for infno, outcome, n in rows]


def entry(tx: Tx, journal_id: int, *, scope: Scope = EVERYTHING) -> Entry | None:
    """One row, or None when there is none or it is not the scope's to see (the same answer: a guessed id tells
    nothing)."""
    row = tx.fetch_one(select(t.journal).where(t.journal.c.id == journal_id), JournalRow)
    if row is None or (scope.institutions is not None and row.fixmedins_code not in scope.institutions):
        return None
    refused = row.outcome == "refused"
    if row.outcome == "replayed":  # a replay answers with what was stored: a reply or a refusal
        refused = bool(tx.conn.scalar(select(t.message.c.refused).where(t.message.c.msgid == row.msgid)))
    return Entry(row, refused)


def settlement_fees(tx: Tx, setl_id: str) -> list[FeeRow]:
    """The fee items a settlement covered, as stored (split amounts in fen)."""
    f = t.fee
    return tx.fetch_all(select(f).where(f.c.setl_id == setl_id).order_by(f.c.feedetl_sn), FeeRow)
