"""Golden national JSON in and out (tests/golden/31–38) for the settlement list (4101, 4101A, 4103), the clearing
application (3203, 3204) and the cross-region clearing details (3260, 3261, 3262), over HTTP as a HIS sends them:
numbers as numbers or strings, vendor fields, empty nodes. The expected outputs are written by hand from the
settlements they follow (figures: tests/integration/test_http_golden_variants.py for the outpatient visit's
425.00; tests/integration/test_clearing.py for P0004's stay of 10000.00: fund (10000.00 − 500.00) × 0.70)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from http_lab import HttpHis, plain
from lab import Item, Lab
from test_http_golden import GOLDEN, STEPS, load, run_http, substitute

from yibao.domain.world import World
from yibao.world.loader import parse_world

OPERATOR = "H11000000002"


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return parse_world(raw, "test world with an operator")


def expected(name: str, values: dict[str, str]) -> Any:
    return substitute(json.loads((GOLDEN / name).read_text("utf-8")), values)


def post(his: HttpHis, name: str, values: dict[str, str]) -> Any:
    values["msgid"] = his.lab.msgid()
    answer = his.post(substitute(load(name), values))
    assert answer.status == 200 and answer.infcode == 0, (name, answer.body["err_msg"])
    return plain(answer.output or {})


def next_day(his: HttpHis, lab: Lab, clock: Any, when: datetime, values: dict[str, str]) -> None:
    clock.now = when
    lab.sign_nos.clear()
    values.update(now=f"{when:%Y-%m-%d %H:%M:%S}", sign_no=his.sign_in())


def outpatient_visit(his: HttpHis, lab: Lab) -> dict[str, str]:
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    _, per_step = run_http(his, now, STEPS[:7])  # 9001 … 2207: P0001 settles 425.00
    return {**per_step[-1], "today": now[:10]}


def test_settlement_list_golden(his: HttpHis, lab: Lab) -> None:
    values = outpatient_visit(his, lab)
    out = post(his, "31_4101_settlement_list.json", values)
    values["setl_list_id"] = out["setl_list_id"]
    assert out == expected("31_4101_settlement_list.out.json", values)
    assert post(his, "32_4103_settlement_list_query.json", values) == expected(
        "32_4103_settlement_list_query.out.json", values
    )


def test_settlement_list_A_golden(his: HttpHis, lab: Lab) -> None:
    # 4101A on its own Hebei path takes 4101's list (docs/institution-clearing.md) and keeps it the same way:
    # 4103 reads back 32's hand-written list, its infno the one it came by
    values = outpatient_visit(his, lab)
    values["msgid"] = lab.msgid()
    answer = his.post(substitute(load("38_4101A_settlement_list.json"), values),
                      "/ebus/rio_fsi/fsi/api/medinfoupload/setllistinfoupldA")  # fmt: skip
    assert answer.status == 200 and answer.infcode == 0, answer.body["err_msg"]
    out = plain(answer.output)
    values["setl_list_id"] = out["setl_list_id"]
    assert out == expected("38_4101A_settlement_list.out.json", values)
    read_back = expected("32_4103_settlement_list_query.out.json", values) | {"infno": "4101A"}
    assert post(his, "32_4103_settlement_list_query.json", values) == read_back


def test_clearing_application_golden(his: HttpHis, lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    values = outpatient_visit(his, lab)
    next_day(his, lab, clock, datetime(2026, 4, 2, 9, 0, 0), values)  # March is over
    out = post(his, "33_3203_clearing_application.json", values)
    values["clr_appy_evt_id"] = out["clr_appy_evt_id"]
    assert out == expected("33_3203_clearing_application.out.json", values)
    assert post(his, "34_3204_clearing_application_cancel.json", values) == expected(
        "34_3204_clearing_application_cancel.out.json", values
    )


def test_cross_region_details_golden(his: HttpHis, lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    stay = lab.stay("P0004", [Item("A01", "1", "10000.00")]).output.setlinfo
    values = {"mdtrt_id": stay.mdtrt_id, "setl_id": stay.setl_id, "setl_time": stay.setl_time}
    next_day(his, lab, clock, datetime(2026, 4, 2, 9, 0, 0), values)
    lab.clear("202603", OPERATOR)  # the month's cross-region clearing (Y3270), by the operator
    assert post(his, "35_3260_cross_details.json", values) == expected("35_3260_cross_details.out.json", values)
    assert post(his, "36_3261_cross_confirm.json", values) == expected("36_3261_cross_confirm.out.json", values)
    values["confirm_msgid"] = values["msgid"]
    assert post(his, "37_3262_cross_rollback.json", values) == expected("37_3262_cross_rollback.out.json", values)
