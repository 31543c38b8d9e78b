"""How much one query may return (simulators/yibao/simulators/core/query_bounds.py, docs/queries.md "Bounds")."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from yibao.errors import Refusal
from yibao.simulators.core.query_bounds import ROWS_MAX, at_most, page, time_range


@dataclass(frozen=True)
class Span:
    begntime: str = ""
    endtime: str = ""


@dataclass(frozen=True)
class Paging:
    page_num: str = ""
    page_size: str = ""


def test_a_bare_date_is_its_whole_day() -> None:
    span = time_range(Span("2026-03-01", "2026-03-31"), "input.data")
    assert (span.begin, span.end) == ("2026-03-01 00:00:00", "2026-03-31 23:59:59")
    exact = time_range(Span("2026-03-01 08:30:00", "2026-03-01 09:00:00"), "input.data")
    assert (exact.begin, exact.end) == ("2026-03-01 08:30:00", "2026-03-01 09:00:00")


def test_a_range_spans_at_most_366_days() -> None:
    # leap 2024 whole: 2024-01-01 00:00:00 to 2024-12-31 23:59:59 is 365 days 23:59:59; 2025-01-01 to
    # 2026-01-01 23:59:59 is 365 days 23:59:59 too; to 2026-01-02 23:59:59 it is 366 days 23:59:59: too long
    time_range(Span("2024-01-01", "2024-12-31"), "input.data")
    time_range(Span("2025-01-01", "2026-01-01"), "input.data")
    with pytest.raises(Refusal) as e:
        time_range(Span("2025-01-01", "2026-01-02"), "input.data")
    assert (e.value.code, e.value.field) == ("QUERY_RANGE", "input.data.endtime")


def test_an_end_before_the_beginning_or_no_time_is_refused() -> None:
    with pytest.raises(Refusal) as e:
        time_range(Span("2026-03-02", "2026-03-01"), "input.data")
    assert e.value.code == "QUERY_RANGE" and "结束时间早于开始时间" in e.value.err_msg
    with pytest.raises(Refusal) as e:
        time_range(Span("2026-03-01", ""), "input.data")
    assert (e.value.code, e.value.field) == ("ENV_REQUIRED", "input.data.endtime")
    with pytest.raises(Refusal) as e:
        time_range(Span("2026-02-30", "2026-03-01"), "input.data")
    assert (e.value.code, e.value.field) == ("ENV_FORMAT", "input.data.begntime")


def test_pages() -> None:
    p = page(Paging("3", "2"), "input.data")
    assert p.of(list("ABCDEFG")) == ["E", "F"] and p.count(7) == 4
    assert page(Paging("5", "2"), "input.data").of(list("ABCDEFG")) == []  # past the end: empty
    for number, size, where in (("0", "2", "page_num"), ("1", "101", "page_size"), ("1", "x", "page_size"),
                                ("-1", "2", "page_num")):  # fmt: skip
        with pytest.raises(Refusal) as e:
            page(Paging(number, size), "input.data")
        assert (e.value.code, e.value.field) == ("ENV_FORMAT", f"input.data.{where}")


def test_rows_beyond_the_limit_are_refused_not_cut() -> None:
    at_most([0] * ROWS_MAX, "input.data.endtime")
    with pytest.raises(Refusal) as e:
        at_most([0] * (ROWS_MAX + 1), "input.data.endtime")
    assert e.value.code == "QUERY_TOO_MANY_ROWS" and "200" in e.value.err_msg
