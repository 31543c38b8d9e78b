"""Golden national JSON in and out (tests/golden/51–54) for the family mutual-aid account, over HTTP as an agency
desk would send it: Y2901 sets up P0009's account (5000.00, floor 2000.00) moving 2500.00 (a JSON number) for
P0013 and P0010; Y2902 removes P0010 and moves "500" more (holder 2000.00, family 3000.00); P0013 settles A01
300.00 (deductible 200.00, fund 70.00, own account 30.00, family 200.00 → 2800.00); Y2904 shows both transfers;
Y2903 returns 2800.00 (holder 4800.00). The world file's own family is removed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from http_lab import HttpHis, plain
from lab import Item, Lab
from test_http_golden import GOLDEN, load, substitute

from yibao.domain.world import World
from yibao.world.loader import parse_world


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    raw["families"] = []
    return parse_world(raw, "test world without declared families")


def post(his: HttpHis, name: str, values: dict[str, str]) -> Any:
    values["msgid"] = his.lab.msgid()
    answer = his.post(substitute(load(name), values))
    assert answer.status == 200 and answer.infcode == 0, (name, answer.body["err_msg"])
    assert answer.body.get("warn_msg", "") in ("", None), answer.body["warn_msg"]
    return plain(answer.output or {})


def expected(name: str, values: dict[str, str]) -> Any:
    return substitute(json.loads((GOLDEN / name).read_text("utf-8")), values)


def test_family_account_golden(his: HttpHis, lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    values = {"now": f"{clock():%Y-%m-%d %H:%M:%S}", "sign_no": his.sign_in()}
    values["begntime"] = values["now"]
    out = post(his, "51_Y2901_family_account_set_up.json", values)
    values.update(fam_acct_id=out["acctinfo"]["fam_acct_id"], trns_id_1=out["trns"][0]["trns_id"])
    assert out == expected("51_Y2901_family_account_set_up.out.json", values)

    clock.now = clock() + timedelta(minutes=5)
    values["now"] = values["changed"] = f"{clock():%Y-%m-%d %H:%M:%S}"
    out = post(his, "52_Y2902_family_account_change.json", values)
    values["trns_id_2"] = out["trns"][0]["trns_id"]
    assert out == expected("52_Y2902_family_account_change.out.json", values)

    s = lab.visit_and_settle("P0013", [Item("A01", "1", "300.00")]).output.setlinfo
    assert (s.acct_pay, s.acct_mulaid_pay) == ("230.00", "200.00")
    assert post(his, "53_Y2904_family_account_query.json", values) == expected(
        "53_Y2904_family_account_query.out.json", values
    )

    clock.now = clock() + timedelta(minutes=5)
    values["now"] = f"{clock():%Y-%m-%d %H:%M:%S}"
    out = post(his, "54_Y2903_family_account_cancel.json", values)
    values["trns_id_3"] = out["trns"][0]["trns_id"]
    assert out == expected("54_Y2903_family_account_cancel.out.json", values)
