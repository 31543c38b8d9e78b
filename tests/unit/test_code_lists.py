"""The code lists 1901 serves (src/yibao/domain/code_lists.py): documented, and covering what the platform uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from yibao.domain.code_lists import CODE_LISTS
from yibao.world.loader import load_world

ROOT = Path(__file__).resolve().parents[2]


def test_code_lists_doc_is_current() -> None:
    result = subprocess.run([sys.executable, "scripts/gen_code_lists_doc.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_code_of_the_demo_world_is_listed() -> None:
    world = load_world(ROOT / "src" / "yibao" / "world" / "demo_world.json")
    listed = {name: {value for value, _ in entries} for name, entries in CODE_LISTS.items()}
    insurances = [i for p in world.persons.values() for i in p.insurances]
    assert {i.insutype for i in insurances} <= listed["insutype"]
    assert {i.psn_type for i in insurances} <= listed["psn_type"]
    assert {i.fixmedins_type for i in world.institutions.values()} <= listed["fixmedins_type"]
    items = [item for region in world.regions.values() for item in region.catalogue.values()]
    assert {item.chrgitm_lv for item in items} <= listed["chrgitm_lv"]
    assert {item.list_type for item in items} <= listed["list_type"]
    med_types = {m.split(":")[0] for r in world.regions.values() for rule in r.benefits for m in rule.med_types}
    assert med_types - {"*"} <= listed["med_type"]


def test_values_are_unique_within_each_list() -> None:
    for name, entries in CODE_LISTS.items():
        values = [value for value, _ in entries]
        assert len(values) == len(set(values)), name
