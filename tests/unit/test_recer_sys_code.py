"""recer_sys_code as real clients send it: the national codes everywhere, a region's own codes (declared in the
world file) only from that region's institutions, anything else refused naming the allowed codes."""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources

import pytest

from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.gateway.envelope import check_header, recer_sys_codes
from yibao.v1.envelope_pb2 import RequestHeader
from yibao.world.loader import WorldFormatError, load_world, parse_world

NOW = datetime(2026, 12, 6, 10, 0, 0)
SHENZHEN, BEIJING = "H44030400001", "H11010100001"


def header(world: World, code: str, recer: str) -> RequestHeader:
    inst = world.institutions[code]
    return RequestHeader(
        infno="1101", msgid=f"{code}202612061000000001", mdtrtarea_admvs=inst.admdvs, recer_sys_code=recer,
        infver="V1.0", opter_type="1", opter="OP1", opter_name="收费员", inf_time="2026-12-06 10:00:00",
        fixmedins_code=code, fixmedins_name=inst.fixmedins_name,
    )  # fmt: skip


@pytest.fixture(scope="module")
def world() -> World:
    return load_world()


def test_shenzhen_declares_pq_and_the_national_codes_stay(world: World) -> None:
    assert recer_sys_codes(world, world.institutions[SHENZHEN]) == ("YBXT", "LXXT", "GSXT", "PQ")
    for recer in ("YBXT", "LXXT", "GSXT", "PQ"):
        inst, _ = check_header(header(world, SHENZHEN, recer), "1101", world, NOW)
        assert inst.fixmedins_code == SHENZHEN


def test_another_regions_code_is_refused_naming_the_allowed_ones(world: World) -> None:
    with pytest.raises(Refusal) as e:
        check_header(header(world, BEIJING, "PQ"), "1101", world, NOW)
    assert (e.value.code, e.value.field) == ("ENV_CODE", "header.recer_sys_code")
    assert "YBXT/LXXT/GSXT" in e.value.message_zh and "PQ" not in e.value.message_zh.split("可选值")[1]


def test_unknown_code_in_shenzhen_names_pq_among_the_allowed(world: World) -> None:
    with pytest.raises(Refusal) as e:
        check_header(header(world, SHENZHEN, "ZZXT"), "1101", world, NOW)
    assert e.value.code == "ENV_CODE" and "YBXT/LXXT/GSXT/PQ" in e.value.message_zh


@pytest.mark.parametrize(("value", "where"), [("PQ", "recer_sys_codes"), (["pq"], "recer_sys_codes[0]"),
                                              (["ABCDEFGHIJK"], "recer_sys_codes[0]")])  # fmt: skip
def test_world_file_refuses_a_malformed_region_code(value: object, where: str) -> None:
    raw = json.loads(resources.files("yibao.world").joinpath("demo_world.json").read_text("utf-8"))
    raw["regions"][0]["recer_sys_codes"] = value
    with pytest.raises(WorldFormatError, match=re.escape(f"regions[0].{where}")):
        parse_world(raw)


def test_the_simulated_shenzhen_his_sends_pq_and_passes(world: World) -> None:
    from yibao.simulators.his.envelope import EnvelopeBuilder

    env = EnvelopeBuilder(world.institutions[SHENZHEN], clock=lambda: NOW, recer_sys_code="PQ")
    assert env.header("1101").recer_sys_code == "PQ"
    assert env.header("2207", "440300", insutype="340").recer_sys_code == "LXXT"  # a retired cadre's settlement
    env.sign_no = "S"
    inst, _ = check_header(env.header("1101"), "1101", world, NOW)
    assert inst.fixmedins_code == SHENZHEN
