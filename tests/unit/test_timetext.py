"""The national time texts (src/yibao/timetext.py): exactly yyyy-MM-dd HH:mm:ss and yyyyMMddHHmmss."""

from __future__ import annotations

from datetime import datetime

import pytest

from yibao.timetext import compact, compact_ms, datetime_text, parse_compact, parse_datetime


def test_parse_and_write_round_trip() -> None:
    t = datetime(2026, 3, 5, 7, 8, 9, 45_678)
    assert datetime_text(t) == "2026-03-05 07:08:09"
    assert compact(t) == "20260305070809"
    assert compact_ms(t) == "20260305070809045"
    assert parse_datetime("2026-03-05 07:08:09") == datetime(2026, 3, 5, 7, 8, 9)
    assert parse_compact("20260305070809") == datetime(2026, 3, 5, 7, 8, 9)


@pytest.mark.parametrize(
    "text",
    [
        "2026-3-5 7:8:9",
        "2026-03-05T07:08:09",
        "2026-03-05 07:08:09 ",
        "2026-02-30 10:00:00",
        "2026-03-05 24:00:00",
        "２０２６-03-05 07:08:09",
        "",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize("text", ["2026030507080", "202603050708090", "20261305070809", "2026030507080x"])
def test_compact_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_compact(text)
