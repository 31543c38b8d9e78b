"""A lab session's clock: the platform date and time the lab sets and advances, running on from the set point.

The clock is a set point and the wall-clock second it was set at (`time.time()`, the same for every process
of the host), so every gateway worker computes the same lab time without talking to the others. Unset, it is
the server's own clock. Every rule that reads the date reads the call's time (`CallContext.now`, the
gateway's `clock`), so a session's gateway with this clock runs the whole platform at the lab's date.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from yibao import platform_clock
from yibao.domain.filing import add_months

# "6mo", "3d", "2h", "1y2mo", "90min", "30s"; minutes are "min" (an "m" alone would be months or minutes)
_STEP = re.compile(r"([0-9]+)(y|mo|w|d|h|min|s)")
_UNITS = {
    "y": "years",
    "mo": "months",
    "w": "weeks",
    "d": "days",
    "h": "hours",
    "min": "minutes",
    "s": "seconds",
}
EARLIEST, LATEST = datetime(2000, 1, 1), datetime(2099, 12, 31, 23, 59, 59)


class ClockError(ValueError):
    """A clock setting the lab cannot use; the message says what is expected."""


def parse_set_point(text: object) -> datetime:
    """`2026-06-01T09:00`, `2026-06-01 09:00:00` or `2026-06-01` (09:00 is not assumed: midnight)."""
    if not isinstance(text, str):
        raise ClockError("the clock must be a text like 2026-06-01T09:00")
    try:
        point = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"{text!r} is not a date and time like 2026-06-01T09:00 (yyyy-MM-ddTHH:mm[:ss])") from None
    if point.tzinfo is not None:
        raise ClockError(f"{text!r}: give the platform's local time, without a time zone")
    if not EARLIEST <= point <= LATEST:
        raise ClockError(f"{text!r}: the lab clock runs between {EARLIEST.year} and {LATEST.year}")
    return point.replace(microsecond=0)


def advance(point: datetime, spec: object) -> datetime:
    """`point` moved on by `spec` ("6mo", "3d", "2h", "1y2mo", "90min"); months and years keep the day of the
    month, or take the month's last day when it is shorter (08-31 + 6mo → 02-28)."""
    if not isinstance(spec, str) or not spec.strip():
        raise ClockError("the advance must be a text like 6mo, 3d, 2h, 90min or 1y2mo")
    text = spec.strip()
    steps = _STEP.findall(text)
    if not steps or "".join(n + u for n, u in steps) != text:
        raise ClockError(
            f"{spec!r} is not an advance: give amounts with units y, mo (months), w, d, h, min (minutes) or s, "
            "e.g. 6mo, 3d, 2h, 1y2mo"
        )
    months = sum(int(n) * (12 if u == "y" else 1) for n, u in steps if u in ("y", "mo"))
    rest = timedelta(**{_UNITS[u]: int(n) for n, u in steps if u not in ("y", "mo")})
    moved = point
    if months:
        day = add_months(point.date(), months)
        moved = datetime.combine(day, point.time())
    moved += rest
    if moved > LATEST:
        raise ClockError(f"advancing {spec!r} would pass {LATEST:%Y-%m-%d}")
    return moved


class LabClock:
    """Lab time: `set_point` plus the seconds since `set_at` (wall clock), or the server's clock when unset.
    Callable like `datetime.now`; `point` is replaced whole, so a reader never sees half of a change."""

    __slots__ = ("_point", "_server")

    def __init__(
        self,
        set_point: datetime | None = None,
        set_at: float = 0.0,
        server: Callable[[], datetime] = platform_clock.now,
    ) -> None:
        self._point = (set_point, set_at)
        self._server = server

    def __call__(self) -> datetime:
        point, at = self._point
        if point is None:
            return self._server()
        return point + timedelta(seconds=time.time() - at)

    def reset_to(self, set_point: datetime | None, set_at: float) -> None:
        self._point = (set_point, set_at)

    @property
    def is_set(self) -> bool:
        return self._point[0] is not None
