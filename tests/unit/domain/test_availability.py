"""Region availability (src/yibao/domain/availability.py) and the world file's maintenance windows."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from yibao.domain.availability import MAINTENANCE, UNREACHABLE, Unreachable, Window, outage, pending
from yibao.world.loader import WorldFormatError, parse_world


def t(text: str) -> datetime:
    return datetime.strptime(f"2026-03-15 {text}", "%Y-%m-%d %H:%M")


UPGRADE = Window(t("10:30"), t("12:00"), "核心系统升级")


def test_no_window_and_reachable_serves() -> None:
    assert outage([], None, t("10:00")) is None


def test_window_in_progress_refuses_until_its_end() -> None:
    found = outage([UPGRADE], None, t("11:00"))
    assert found is not None
    assert (found.kind, found.reason, found.since, found.until) == (MAINTENANCE, "核心系统升级", t("10:30"), t("12:00"))


@pytest.mark.parametrize(("now", "down"), [("10:29", False), ("10:30", True), ("11:59", True), ("12:00", False)])
def test_window_begins_inclusive_and_ends_exclusive(now: str, down: bool) -> None:
    assert (outage([UPGRADE], None, t(now)) is not None) is down


def test_upcoming_window_does_not_refuse() -> None:
    assert outage([Window(t("22:00"), t("23:00"), "扩容")], None, t("10:00")) is None


def test_back_to_back_and_overlapping_windows_keep_the_region_down_to_the_last_end() -> None:
    # 10:30–12:00, then 12:00–13:00 back to back, then 12:30–14:00 overlapping: down until 14:00.
    # 15:00–16:00 is separate: the region serves between 14:00 and 15:00.
    windows = [
        Window(t("15:00"), t("16:00"), "另一次"),
        Window(t("12:30"), t("14:00"), "数据迁移"),
        Window(t("12:00"), t("13:00"), "延长"),
        UPGRADE,
    ]
    found = outage(windows, None, t("11:00"))
    assert found is not None and found.until == t("14:00")
    assert found.reason == "核心系统升级"  # the window in progress says why
    later = outage(windows, None, t("12:45"))
    assert later is not None and later.reason == "延长；数据迁移" and later.since == t("12:00")
    assert outage(windows, None, t("14:30")) is None


def test_unreachable_wins_over_a_window_and_has_no_end() -> None:
    mark = Unreachable(t("09:50"), "省级专线中断")
    found = outage([UPGRADE], mark, t("11:00"))
    assert found is not None
    assert (found.kind, found.reason, found.since, found.until) == (UNREACHABLE, "省级专线中断", t("09:50"), None)


def test_pending_lists_current_and_upcoming_by_begin() -> None:
    past = Window(t("08:00"), t("09:00"), "已结束")
    late = Window(t("22:00"), t("23:00"), "扩容")
    assert pending([late, past, UPGRADE], t("11:00")) == [UPGRADE, late]
    assert pending([late, past, UPGRADE], t("12:00")) == [late]  # the upgrade ended at 12:00


# -- the world file: regions[].maintenance

TEST_WORLD = Path(__file__).parents[2] / "test_world.json"


def world_with(maintenance: Any) -> dict[str, Any]:
    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    raw["regions"][1]["maintenance"] = maintenance
    return raw


def test_world_file_windows_load_onto_the_region() -> None:
    raw = world_with([{"begin": "2026-03-20 22:00:00", "end": "2026-03-21 06:00:00", "reason": "数据库扩容"}])
    region = parse_world(raw, "w").regions[raw["regions"][1]["admdvs"]]
    assert region.maintenance == (Window(datetime(2026, 3, 20, 22), datetime(2026, 3, 21, 6), "数据库扩容", "world"),)


@pytest.mark.parametrize(
    ("maintenance", "message"),
    [
        ({"begin": "x"}, "w: regions[1].maintenance: must be a list of maintenance windows"),
        (["x"], "w: regions[1].maintenance[0]: must be an object"),
        ([{"end": "2026-03-21 06:00:00", "reason": "r"}], "w: regions[1].maintenance[0].begin: is required"),
        (
            [{"begin": "2026-03-20 22:00", "end": "2026-03-21 06:00:00", "reason": "r"}],
            "w: regions[1].maintenance[0].begin: '2026-03-20 22:00' must be a time yyyy-MM-dd HH:mm:ss",
        ),
        (
            [{"begin": "2026-03-21 06:00:00", "end": "2026-03-21 06:00:00", "reason": "r"}],
            "w: regions[1].maintenance[0].end: 2026-03-21 06:00:00 must be after begin 2026-03-21 06:00:00",
        ),
        (
            [{"begin": "2026-03-20 22:00:00", "end": "2026-03-21 06:00:00", "reason": " "}],
            "w: regions[1].maintenance[0].reason: must say why, in plain words (it is shown to the HIS)",
        ),
    ],
)
def test_bad_window_is_named_by_its_json_path(maintenance: Any, message: str) -> None:
    with pytest.raises(WorldFormatError) as e:
        parse_world(world_with(maintenance), "w")
    assert str(e.value) == message
