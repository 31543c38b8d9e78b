"""The lab state file's JSON Schema (src/yibao/world/schemas/lab-state.schema.json): every built-in suite and the
docs' example validate, and the lab's reader uses it, so what the reader does not read is still checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from yibao.adapters.lab import state as states
from yibao.domain.world import World
from yibao.world import schema_check
from yibao.world.loader import load_world

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world()


@pytest.mark.parametrize("suite", states.builtin_suites())
def test_every_built_in_suite_validates(suite: str) -> None:
    assert schema_check.first_problem(states.read_builtin(suite), schema_check.LAB_STATE) is None


def test_the_docs_example_validates() -> None:
    section = (ROOT / "docs" / "lab.md").read_text("utf-8").split("### Example", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    assert schema_check.first_problem(json.loads(block.group(1)), schema_check.LAB_STATE) is None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"about": 7, "persons": []}, "demo.json: about: 7 must be a string"),
        ({"persons": [{"psn_no": "11000000000000000001", "note": ["x"]}]}, "demo.json: persons[0].note: must be a "),
        ({"persons": [{"psn_no": 11000000000000000001}]}, "demo.json: persons[0].psn_no: must be a string"),
    ],
)
def test_what_the_reader_leaves_the_schema_names(demo: World, doc: dict[str, Any], message: str) -> None:
    with pytest.raises(states.StateFormatError) as e:
        states.parse_states([("demo", doc)], demo)
    assert str(e.value).startswith(message), str(e.value)
