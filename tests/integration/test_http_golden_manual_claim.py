"""Golden national JSON in and out (tests/golden/41–42) for manual reimbursement: Y2801 as a HIS or an agency
window sends it over HTTP (numbers as numbers or strings, null and empty fields), the operator's Y2802 the next
day (over gRPC: it needs an operator's credential), and Y2803 reading the paid claim back. Figures by hand, as in
tests/integration/test_manual_claims.py: 6500.00 claimed; under the insured place's catalogue 5950.00 in scope;
(5950.00 − 3000.00) × 0.60 = 1770.00 paid; 4730.00 stays the person's."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from http_lab import HttpHis, plain
from lab import Lab
from test_http_golden import GOLDEN, load, substitute

from yibao.domain.world import World
from yibao.v1 import manual_claim_pb2 as mc
from yibao.world.loader import parse_world

OPERATOR = "H11000000002"


@pytest.fixture(scope="module")
def world() -> World:
    raw = json.loads((Path(__file__).parents[1] / "test_world.json").read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    return parse_world(raw, "test world with an operator")


def post(his: HttpHis, name: str, values: dict[str, str]) -> Any:
    values["msgid"] = his.lab.msgid()
    answer = his.post(substitute(load(name), values))
    assert answer.status == 200 and answer.infcode == 0, (name, answer.body["err_msg"])
    assert answer.body.get("warn_msg", "") in ("", None), answer.body["warn_msg"]
    return plain(answer.output or {})


def expected(name: str, values: dict[str, str]) -> Any:
    return substitute(json.loads((GOLDEN / name).read_text("utf-8")), values)


def test_manual_claim_golden(his: HttpHis, lab: Lab, clock) -> None:  # type: ignore[no-untyped-def]
    values = {"now": f"{clock():%Y-%m-%d %H:%M:%S}", "sign_no": his.sign_in()}
    out = post(his, "41_Y2801_manual_claim.json", values)
    values["claim_id"] = out["claim"]["claim_id"]
    assert out == expected("41_Y2801_manual_claim.out.json", values)

    clock.now = datetime(2026, 3, 16, 9, 0, 0)
    lab.sign_nos.clear()
    data = mc.ManualClaimReviewData(claim_id=values["claim_id"], psn_no="P0007", action="pay")
    paid = lab.call("Y2802", mc.ManualClaimReviewInput(data=data), OPERATOR, "P0007").output
    values["setl_id"] = paid.setlinfo.setl_id
    assert (paid.setlinfo.hifp_pay, paid.setlinfo.psn_part_amt) == ("1770.00", "4730.00")

    values.update(now=f"{clock():%Y-%m-%d %H:%M:%S}", sign_no=his.sign_in())
    assert post(his, "42_Y2803_manual_claim_query.json", values) == expected(
        "42_Y2803_manual_claim_query.out.json", values
    )
