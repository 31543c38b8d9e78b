"""The platform's clock: the wall-clock time in the platform's time zone, Asia/Shanghai unless told otherwise.

The national platform runs on Beijing time and so do the HIS that call it: their `inf_time`, the dates of
visits, settlements, filings and statements are Beijing time, naive (no offset on the wire). The host's own
zone says nothing about that: a container on UTC that read its local time would be 8 hours off and refuse
every call's `inf_time` (ENV_INF_TIME). So every clock of the platform, and of the simulated HIS beside it,
reads `now()` here, and `--tz` (serve, simulate, bench, chaos, cert) changes the zone for the whole process
and the processes it forks (docs/time-zone.md).

An operator may also move the whole server's clock by a fixed offset (`yibao serve --clock-offset SECONDS`,
docs/time-zone.md "Moving the server's clock"): every reading here is then that far ahead (or behind), in every
process of the serve, so that, say, a month can be cleared before it is over in the real world. It is a
command-line option of the process only: no call reaches it (the certification lab's clock is per session).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
ENVIRONMENT = "YIBAO_TZ"  # how the zone reaches the processes a command starts (bench's load process, chaos's serve)
OFFSET_ENVIRONMENT = "YIBAO_CLOCK_OFFSET"  # seconds the clock is moved by, for the processes a command starts


class UnknownZone(ValueError):
    """A zone name the IANA time zone database does not know."""


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name` ("Asia/Shanghai", "UTC"), or UnknownZone saying what is expected."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(f"{name!r} is not a time zone: give an IANA name such as {DEFAULT_ZONE} or UTC") from None


def set_zone(name: str) -> None:
    """From now on `now()` is in zone `name`: this process, the processes it forks, and (through $YIBAO_TZ) the
    commands it starts."""
    global _zone
    _zone = zone_named(name)
    os.environ[ENVIRONMENT] = name


def _initial_zone() -> ZoneInfo:
    """$YIBAO_TZ when it names a zone, else Asia/Shanghai; a wrong name is reported by the command line's --tz,
    whose default it is."""
    try:
        return zone_named(os.environ.get(ENVIRONMENT) or DEFAULT_ZONE)
    except UnknownZone:
        return ZoneInfo(DEFAULT_ZONE)


def set_offset(seconds: float) -> None:
    """From now on `now()` is `seconds` ahead of the wall clock (behind when negative): this process, the
    processes it forks, and (through $YIBAO_CLOCK_OFFSET) the commands it starts."""
    global _offset
    _offset = timedelta(seconds=seconds)
    os.environ[OFFSET_ENVIRONMENT] = repr(float(seconds))


def offset_seconds() -> float:
    return _offset.total_seconds()


def _initial_offset() -> timedelta:
    """$YIBAO_CLOCK_OFFSET when it is a number of seconds, else none."""
    try:
        return timedelta(seconds=float(os.environ.get(OFFSET_ENVIRONMENT) or 0))
    except (ValueError, OverflowError):
        return timedelta(0)


def zone_name() -> str:
    return _zone.key


def now() -> datetime:
    """The platform's time: naive, in the platform's zone (the national messages carry no offset)."""
    return (datetime.now(_zone) + _offset).replace(tzinfo=None)


def now_aware() -> datetime:
    """The platform's time with its offset (for logs read elsewhere: 2026-12-06T10:00:00.123+08:00)."""
    return datetime.now(_zone) + _offset


def today() -> date:
    return now().date()


def from_timestamp(seconds: float) -> datetime:
    """A POSIX time as the platform's naive time."""
    return datetime.fromtimestamp(seconds, _zone).replace(tzinfo=None)


_zone = _initial_zone()
_offset = _initial_offset()
