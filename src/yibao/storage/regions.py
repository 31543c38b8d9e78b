"""Queries for the region availability operators set at run time (tables region_status, region_window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update

from yibao.domain.availability import OPERATOR, Unreachable, Window, parse_time, time_text
from yibao.storage import schema as t
from yibao.storage.rows import Reachability, UnreachableRow, WindowRow
from yibao.storage.store import Tx


@dataclass(frozen=True, slots=True)
class RuntimeAvailability:
    """What operators have set: regions marked unreachable, and the windows they added."""

    unreachable: dict[str, Unreachable] = field(default_factory=dict)
    windows: dict[str, tuple[Window, ...]] = field(default_factory=dict)


def load(tx: Tx) -> RuntimeAvailability:
    s, w = t.region_status, t.region_window
    marked = tx.fetch_all(select(s.c.admdvs, s.c.since, s.c.reason).where(s.c.unreachable.is_(True)), UnreachableRow)
    unreachable = {row.admdvs: Unreachable(_time(row.since), row.reason) for row in marked}
    windows: dict[str, list[Window]] = {}
    for row in tx.fetch_all(select(w.c.admdvs, w.c.begntime, w.c.endtime, w.c.reason).order_by(w.c.id), WindowRow):
        window = Window(_time(row.begntime), _time(row.endtime), row.reason, OPERATOR)
        windows.setdefault(row.admdvs, []).append(window)
    return RuntimeAvailability(unreachable, {k: tuple(v) for k, v in windows.items()})


def set_reachability(tx: Tx, admdvs: str, unreachable: bool, reason: str, now: datetime, by: str) -> None:
    """Mark a region (un)reachable. Repeating the same mark keeps its `since` and updates the reason."""
    s = t.region_status
    row = tx.fetch_one(select(s.c.unreachable).where(s.c.admdvs == admdvs).with_for_update(), Reachability)
    values: dict[str, object] = {"unreachable": unreachable, "reason": reason, "changed_by": by}
    if row is None:
        tx.conn.execute(insert(s).values(admdvs=admdvs, since=time_text(now), **values))
        return
    if row.unreachable != unreachable:
        values["since"] = time_text(now)
    tx.conn.execute(update(s).where(s.c.admdvs == admdvs).values(**values))


def add_window(tx: Tx, admdvs: str, window: Window, now: datetime, by: str) -> None:
    tx.conn.execute(
        insert(t.region_window).values(
            admdvs=admdvs,
            begntime=time_text(window.begin),
            endtime=time_text(window.end),
            reason=window.reason,
            added_by=by,
            added_at=time_text(now),
        )
    )


def _time(text: str) -> datetime:
    parsed = parse_time(text)
    if parsed is None:  # only the gateway writes these columns, always in this format
        raise ValueError(f"region availability time {text!r} is not yyyy-MM-dd HH:mm:ss")
    return parsed
