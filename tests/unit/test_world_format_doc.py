"""docs/world-format.md stays true to the loader: its complete example loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from yibao.world.loader import parse_world

DOC = Path(__file__).parents[2] / "docs" / "world-format.md"


def test_the_documented_example_loads() -> None:
    section = DOC.read_text("utf-8").split("## Minimal complete example", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    world = parse_world(json.loads(block.group(1)), "docs example")
    person = world.persons["11000000000000000002"]
    assert world.institutions["H11010100001"].admdvs == "110000"
    assert {c for c, _ in world.certificates} == {"01", "02", "03"}
    assert str(person.account_balance) == "860.50"
