"""A session's transcript and final state, read from its sandbox store for the verdicts (verdicts.py)."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from sqlalchemy import select

from yibao.adapters.lab import faults
from yibao.adapters.lab.verdicts import FinalState, JournalEntry, SettlementFact
from yibao.simulators.core.stored_values import loads
from yibao.simulators.core.values.settlement import SettleOutput
from yibao.storage import schema as t
from yibao.storage.store import Store

FEN = Decimal("0.01")


def read(store: Store) -> tuple[list[JournalEntry], FinalState]:
    """Every journal row in the order the calls were journaled, every settlement and every personal account, and the
    faults injected (adapters/yibao/adapters/lab/faults.py)."""
    j, s, p = t.journal.c, t.settlement.c, t.person_state.c
    with store.read() as tx:
        journal = tx.conn.execute(
            select(
                j.id,
                j.received_at,
                j.infno,
                j.msgid,
                j.outcome,
                j.err_code,
                j.err_msg,
                j.request,
                j.reply,
                j.psn_no,
                j.mdtrt_id,
                j.setl_id,
            ).order_by(j.id)
        ).all()
        ledger = tx.conn.execute(
            select(
                s.setl_id, s.kind, s.psn_no, s.mdtrt_id, s.chrg_bchno, s.orig_setl_id, s.reversed_by, s.msgid, s.output
            ).order_by(s.setl_time, s.setl_id)
        ).all()
        accounts = tx.conn.execute(select(p.psn_no, p.acct_balc_fen)).all()
        fired = faults.read(tx)
    entries = [JournalEntry(*row) for row in journal]
    settlements = []
    for row in ledger:
        info = loads(SettleOutput, row.output).setlinfo
        amounts = {f.name: getattr(info, f.name) for f in fields(info)}
        settlements.append(
            SettlementFact(
                row.setl_id,
                row.kind,
                row.psn_no,
                row.mdtrt_id,
                row.chrg_bchno,
                row.orig_setl_id,
                row.reversed_by,
                row.msgid,
                amounts,
            )
        )
    balances = {row.psn_no: (Decimal(row.acct_balc_fen) * FEN).quantize(FEN) for row in accounts}
    return entries, FinalState(tuple(settlements), balances, fired)


def durations(store: Store) -> dict[int, int]:
    """How long each journaled call took in the platform, in µs, by journal id."""
    j = t.journal.c
    with store.read() as tx:
        return {row.id: row.duration_us for row in tx.conn.execute(select(j.id, j.duration_us))}
