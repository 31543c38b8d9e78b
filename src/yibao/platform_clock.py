"""The platform's clock: the wall-clock time in the platform's time zone, Asia/Shanghai unless told otherwise.

The national platform runs on Beijing time and so do the HIS that call it: their `inf_time`, the dates of
visits, settlements, filings and statements are Beijing time, naive (no offset on the wire). The host's own
zone says nothing about that: a container on UTC that read its local time would be 8 hours off and refuse
every call's `inf_time` (ENV_INF_TIME). So every clock of the platform, and of the simulated HIS beside it,
reads `now()` here, and `--tz` (serve, simulate, bench, chaos, cert) changes the zone for the whole process
and the processes it forks (docs/time-zone.md).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
ENVIRONMENT = "YIBAO_TZ"  # how the zone reaches the processes a command starts (bench's load process, chaos's serve)


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


def zone_name() -> str:
    return _zone.key


def now() -> datetime:
    """The platform's time: naive, in the platform's zone (the national messages carry no offset)."""
    return datetime.now(_zone).replace(tzinfo=None)


def now_aware() -> datetime:
    """The platform's time with its offset (for logs read elsewhere: 2026-12-06T10:00:00.123+08:00)."""
    return datetime.now(_zone)


def today() -> date:
    return now().date()


def from_timestamp(seconds: float) -> datetime:
    """A POSIX time as the platform's naive time."""
    return datetime.fromtimestamp(seconds, _zone).replace(tzinfo=None)


_zone = _initial_zone()
