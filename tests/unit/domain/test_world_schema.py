"""The world file's JSON Schema (src/yibao/world/schemas/world.schema.json), as the loader uses it: every world the
project ships validates; what the reader alone let through (codes given as numbers, coerced to text) is refused
naming the JSON path and the rule; a container of the wrong shape is named as such, not by an entry inside it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from test_world_loader import _set, minimal

from yibao.world import schema_check
from yibao.world.loader import WorldFormatError, parse_world

ROOT = Path(__file__).parents[3]
Raw = dict[str, Any]


def _doc_example() -> Raw:
    section = (ROOT / "docs" / "world-format.md").read_text("utf-8").split("## Minimal complete example", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    return dict(json.loads(block.group(1)))


@pytest.mark.parametrize("name", ["demo", "test world", "docs example", "minimal"])
def test_every_shipped_world_validates(name: str) -> None:
    worlds: dict[str, Callable[[], Any]] = {
        "demo": lambda: json.loads(resources.files("yibao.world").joinpath("demo_world.json").read_text("utf-8")),
        "test world": lambda: json.loads((ROOT / "tests" / "test_world.json").read_text("utf-8")),
        "docs example": _doc_example,
        "minimal": minimal,
    }
    assert schema_check.first_problem(worlds[name](), schema_check.WORLD) is None


NOT_COERCED = [
    (
        _set(["institutions", 0, "hosp_lv"], 3),
        'institutions[0].hosp_lv: 3 must be a hospital level as a string, e.g. "3" (a JSON number is refused',
    ),
    (
        _set(["institutions", 0, "enabled"], "false"),
        "institutions[0].enabled: must be true or false (a JSON boolean, not a string)",
    ),
    (_set(["persons", 0, "gend"], 1), 'persons[0].gend: 1 must be a code as a string, e.g. "310" (not a JSON number)'),
    (_set(["catalogues", "c", 1, "lmt_used_flag"], 1), 'catalogues.c[1].lmt_used_flag: 1 must be "0" or "1"'),
    (_set(["catalogues", "c", 0, "payable"], 0), "catalogues.c[0].payable: must be true or false"),
    (_set(["persons", 0, "insurances", 0, "psn_insu_stas"], 1), "persons[0].insurances[0].psn_insu_stas: 1 must be"),
    (
        _set(["persons", 0, "idetinfo"], [{"psn_idet_type": "2301", "psn_type_lv": 2}]),
        "persons[0].idetinfo[0].psn_type_lv: 2 must be a code as a string",
    ),
    (
        _set(["regions", 0, "benefits", 0, "deductible"], "1,300.00"),
        "regions[0].benefits[0].deductible: must be a non-negative decimal string with at most 2 places",
    ),
    (
        _set(["regions", 0, "benefits", 0, "ratio"], True),
        "regions[0].benefits[0].ratio: must be a non-negative decimal",
    ),
    (_set(["families"], {"holder": "P1"}), "families: must be a list of family accounts"),
    (
        _set(["regions", 0, "funds"], {"large_amount": {"ratio": "0.9"}}),
        "regions[0].funds.large_amount.annual_cap: is required",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), NOT_COERCED, ids=[m.split(":")[0] for _, m in NOT_COERCED])
def test_no_value_is_coerced(mutate: Callable[[Raw], None], message: str) -> None:
    raw = minimal()
    mutate(raw)
    with pytest.raises(WorldFormatError) as e:
        parse_world(raw, "lab.json")
    assert str(e.value).startswith(f"lab.json: {message}"), str(e.value)


def test_amounts_and_ratios_may_be_json_numbers() -> None:
    raw = minimal()
    rule = raw["regions"][0]["benefits"][1]
    rule.update(deductible=1800, ratio=0.7, annual_cap=20000.5)
    general = parse_world(raw).regions["110000"].benefits[1]
    assert (str(general.deductible), str(general.ratio), str(general.annual_cap)) == ("1800", "0.7", "20000.5")


def test_a_problem_inside_a_well_shaped_file_keeps_the_reader_s_words() -> None:
    raw = minimal()
    raw["regions"][1]["catalogue"] = "nope"
    with pytest.raises(WorldFormatError) as e:
        parse_world(raw, "w.json")
    assert str(e.value) == "w.json: regions[1].catalogue: names catalogue 'nope', which catalogues does not define"
