"""The national interface's time texts, parsed and written without strptime/strftime.

`datetime.strptime` costs ~20 µs and every call parses two or three of these (inf_time, the msgid's
stamp, begntime …); slicing and `datetime(...)` cost ~2 µs. The formats are exactly the national
ones: `yyyy-MM-dd HH:mm:ss` and `yyyyMMddHHmmss`, digits only, every field two digits (strptime
would also take "2026-3-5 1:2:3").
"""

from __future__ import annotations

import re
from datetime import datetime

# [0-9], not \d: \d takes the digits of every script ("２０２６").
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})")


def parse_datetime(text: str) -> datetime:
    """`yyyy-MM-dd HH:mm:ss`; ValueError otherwise (also for a day or hour that does not exist)."""
    m = _DATETIME.fullmatch(text)
    if m is None:
        raise ValueError(f"not yyyy-MM-dd HH:mm:ss: {text!r}")
    return _datetime(m)


def parse_compact(text: str) -> datetime:
    """`yyyyMMddHHmmss`; ValueError otherwise."""
    m = _COMPACT.fullmatch(text)
    if m is None:
        raise ValueError(f"not yyyyMMddHHmmss: {text!r}")
    return _datetime(m)


def _datetime(m: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second = map(int, m.groups())
    return datetime(year, month, day, hour, minute, second)


def datetime_text(t: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss`."""
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def compact(t: datetime) -> str:
    """`yyyyMMddHHmmss`."""
    return f"{t.year:04d}{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}"


def compact_ms(t: datetime) -> str:
    """`yyyyMMddHHmmssSSS`: the platform's reply stamps."""
    return f"{compact(t)}{t.microsecond // 1000:03d}"
