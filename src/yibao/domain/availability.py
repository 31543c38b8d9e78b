"""Whether a region serves calls now: maintenance windows and the operator's "unreachable" mark.

Pure: the gateway gathers a region's windows (world file and operator) and its mark, and asks
`outage(...)` with the call's platform time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # how windows are written in the world file, the store and the RPCs
MAINTENANCE, UNREACHABLE = "maintenance", "unreachable"
WORLD, OPERATOR = "world", "operator"  # where a window comes from


@dataclass(frozen=True, slots=True)
class Window:
    """A maintenance window. `end` is exclusive: the region serves again from `end` on."""

    begin: datetime
    end: datetime
    reason: str
    source: str = WORLD

    def covers(self, t: datetime) -> bool:
        return self.begin <= t < self.end


@dataclass(frozen=True, slots=True)
class Unreachable:
    since: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Outage:
    """Why a region refuses calls now. `until` is when maintenance ends; None when unreachable (nobody knows)."""

    kind: str  # MAINTENANCE | UNREACHABLE
    reason: str
    since: datetime
    until: datetime | None


def outage(windows: Iterable[Window], unreachable: Unreachable | None, now: datetime) -> Outage | None:
    """None when the region serves calls at `now`, else why not and until when."""
    if unreachable is not None:
        # Wins over a window: a window's end would promise a recovery nobody can foresee.
        return Outage(UNREACHABLE, unreachable.reason, unreachable.since, None)
    ordered = sorted(windows, key=lambda w: (w.begin, w.end))
    covering = [w for w in ordered if w.covers(now)]
    if not covering:
        return None
    until = max(w.end for w in covering)
    for w in ordered:  # windows that overlap or follow back to back keep the region down
        if w.begin <= until < w.end:
            until = w.end
    reasons = list(dict.fromkeys(w.reason for w in covering))
    return Outage(MAINTENANCE, "；".join(reasons), covering[0].begin, until)


def pending(windows: Iterable[Window], now: datetime) -> list[Window]:
    """Windows in progress or still to come at `now`, in the order they begin."""
    return sorted((w for w in windows if w.end > now), key=lambda w: (w.begin, w.end))


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except (TypeError, ValueError):
        return None


def time_text(t: datetime) -> str:
    return f"{t:{TIME_FORMAT}}"
