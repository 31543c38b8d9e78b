"""How much one query may return (docs/queries.md "Bounds"): the wire carries real personal data, so every
list is bounded — by a page (1312), or by a time range and a number of rows (1201, 5201, 5205, 5303, 5304)."""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from yibao.errors import Refusal
from yibao.inputs import require
from yibao.timetext import datetime_text, parse_datetime

ROWS_MAX = 200  # rows one query answers; more is refused, naming the range to narrow
RANGE_DAYS_MAX = 366  # a time range spans at most a year (a leap year's included)
PAGE_SIZE_MAX = 100
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TimeRange:
    begin: str  # yyyy-MM-dd HH:mm:ss, inclusive
    end: str


def time_range(data: object, path: str, begin_field: str = "begntime", end_field: str = "endtime") -> TimeRange:
    """The [begin, end] of a query. A bare date (yyyy-MM-dd, as some HIS send) is its whole day."""
    require(data, path, begin_field, end_field)
    begin = _moment(getattr(data, begin_field), f"{path}.{begin_field}", "00:00:00")
    end = _moment(getattr(data, end_field), f"{path}.{end_field}", "23:59:59")
    if end < begin:
        raise Refusal("QUERY_RANGE", f"{path}.{end_field}", begin=datetime_text(begin), end=datetime_text(end),
                      rule="结束时间早于开始时间", rule_en="the end is before the beginning")  # fmt: skip
    if end - begin > timedelta(days=RANGE_DAYS_MAX):
        raise Refusal("QUERY_RANGE", f"{path}.{end_field}", begin=datetime_text(begin), end=datetime_text(end),
                      rule=f"跨度超过 {RANGE_DAYS_MAX} 天",
                      rule_en=f"it spans more than {RANGE_DAYS_MAX} days")  # fmt: skip
    return TimeRange(datetime_text(begin), datetime_text(end))


def _moment(text: str, path: str, time_of_day: str) -> datetime:
    try:
        return parse_datetime(f"{text} {time_of_day}" if len(text) == 10 else text)
    except ValueError:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyy-MM-dd HH:mm:ss 或 yyyy-MM-dd，收到 {text!r}") from None


def at_most(rows: Sized, path: str) -> None:
    """Refuse an answer of more than ROWS_MAX rows (the query asked for ROWS_MAX + 1 to know)."""
    if len(rows) > ROWS_MAX:
        raise Refusal("QUERY_TOO_MANY_ROWS", path, max=ROWS_MAX)


class PagedInput(Protocol):
    @property
    def page_num(self) -> str: ...
    @property
    def page_size(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # from 1
    size: int

    def of(self, rows: list[T]) -> list[T]:
        start = (self.number - 1) * self.size
        return rows[start : start + self.size]

    def count(self, total: int) -> int:
        return (total + self.size - 1) // self.size


def page(data: PagedInput, path: str) -> Page:
    require(data, path, "page_num", "page_size")
    number = _whole(data.page_num, f"{path}.page_num", 1, None)
    size = _whole(data.page_size, f"{path}.page_size", 1, PAGE_SIZE_MAX)
    return Page(number, size)


def _whole(text: str, path: str, low: int, high: int | None) -> int:
    bound = f"{low}–{high}" if high else f"≥ {low}"
    if not text.isdecimal() or not (low <= int(text) <= (high or int(text))):
        raise Refusal("ENV_FORMAT", path, rule=f"应为整数 {bound}，收到 {text!r}")
    return int(text)
