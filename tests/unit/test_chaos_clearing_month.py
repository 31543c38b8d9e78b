"""The fault campaign clears its month (simulators/yibao/simulators/load/chaos.py): the clock offset that puts
serve one hour into the next month, and the world it serves with an operator institution."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from yibao.simulators.load.chaos import OPERATOR, operator_world, past_month_end
from yibao.world.loader import load_world


def test_the_offset_reaches_one_hour_into_the_next_month() -> None:
    # 2026-12-06 23:30 → 2026-12-31 23:30 is 25 days, then 1 h 30 min to 2027-01-01 01:00
    assert past_month_end(datetime(2026, 12, 6, 23, 30)) == 25 * 86400 + 5400
    # 2026-02-10 12:00 → 2026-03-01 01:00: 18 days and 13 hours (February of 28 days)
    assert past_month_end(datetime(2026, 2, 10, 12, 0)) == 18 * 86400 + 13 * 3600
    # the last second of a month: one hour and one second
    assert past_month_end(datetime(2026, 1, 31, 23, 59, 59)) == 3601


def test_the_campaigns_world_has_one_operator(tmp_path: Path) -> None:
    world = load_world(operator_world(tmp_path))
    assert [code for code, i in world.institutions.items() if i.operator] == [OPERATOR]
    demo = json.loads((tmp_path / "world.json").read_text("utf-8"))
    assert len(demo["institutions"]) == len(load_world(None).institutions)
