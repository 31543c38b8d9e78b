"""Golden national JSON for the outpatient "A" variants (2203A, 2206A, 2207A): an unchanged HIS that calls them on
their own Hebei paths gets what the plain transactions give (the reference knows no field difference; README
"Choices where the reference is silent"), and a 2207A settlement is undone by 2601 like a 2207 one."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from http_lab import HttpHis, plain
from lab import Lab
from test_http_golden import GOLDEN, STEPS, load, pick, substitute

# The plain visit with 2203, 2206 and 2207 swapped for their A variants, each posted on its own path.
A_STEPS: list[tuple[str, str, dict[str, tuple[str, ...]]]] = [
    STEPS[0], STEPS[1], STEPS[2],
    ("21_2203A_visit_info.json", "/ebus/rio_fsi/fsi/api/outpatientDocInfoService/outpatientMdtrtinfoUpA", {}),
    STEPS[4],
    ("22_2206A_pre_settle.json", "/ebus/rio_fsi/fsi/api/outpatientSettleService/preSettletmentA", {}),
    ("23_2207A_settle.json", "/ebus/rio_fsi/fsi/api/outpatientSettleService/saveSettletment",
     {"setl_id": ("setlinfo", "setl_id")}),
]  # fmt: skip
# What 2207A gives (tests/golden/23_2207A_settle.out.json), computed by hand from tests/test_world.json: P0001 is an
# employee insured at 110000 with 500.00 in the account. 2204's items: A01 100.00 甲; B02 80.00 乙, 28 % first
# self-pay = 22.40; C03 30.00 丙 (全自费); S01 15.00 甲; CT1 200.00 above its 175.00 price cap by 25.00 (超限价).
# In scope 425.00 − 30.00 − 25.00 − 22.40 = 347.60; less the 200.00 deductible, 147.60 × 70 % = 103.32 from the
# pooled fund; the person's 425.00 − 103.32 = 321.68 comes from the account, leaving 178.32.
EXPECTED = json.loads((GOLDEN / "23_2207A_settle.out.json").read_text("utf-8"))


def run(his: HttpHis, now: str) -> tuple[dict[str, Any], dict[str, str]]:
    outputs: dict[str, Any] = {}
    values = {"now": now, "ipt_otp_no": "MZ-A-1", "sign_no": "", "mdtrt_id": "", "setl_id": ""}
    for name, path, captures in A_STEPS:
        values["msgid"] = his.lab.msgid()
        answer = his.post(substitute(load(name), values), path)
        assert answer.status == 200 and answer.infcode == 0, (name, answer.body["err_msg"])
        for key, where in captures.items():
            values[key] = pick(answer.output, where)
        outputs[name] = plain(answer.output)
    return outputs, values


def test_a_variants_answer_as_their_plain_siblings(his: HttpHis, lab: Lab) -> None:
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    outputs, values = run(his, now)
    assert outputs["21_2203A_visit_info.json"] == {}
    pre, settled = outputs["22_2206A_pre_settle.json"]["setlinfo"], outputs["23_2207A_settle.json"]["setlinfo"]
    assert {k: settled[k] for k in EXPECTED["setlinfo"]} == EXPECTED["setlinfo"]
    assert settled["setl_id"] == values["setl_id"]
    assert Decimal(settled["medfee_sumamt"]) == Decimal(settled["fund_pay_sumamt"]) + Decimal(settled["psn_part_amt"])
    # 2206A computes what 2207A then settles, figure for figure (setl_id and time aside)
    skip = ("setl_id", "setl_time", "medins_setl_id", "balc")
    assert {k: v for k, v in pre.items() if k not in skip} == {k: v for k, v in settled.items() if k not in skip}
    # The same visit through the plain transactions, on the same gateway after a 2208, comes out alike.
    cancel = his.post(substitute(load("08_2208_cancel_settlement.json"), {**values, "msgid": lab.msgid()}))
    assert cancel.infcode == 0 and plain(cancel.output)["setlinfo"]["medfee_sumamt"] == "-425.00"


def test_2601_reverses_a_2207A_settlement(his: HttpHis, lab: Lab) -> None:
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    _, values = run(his, now)  # its last step is the 2207A, sent under values["msgid"]
    body = substitute(
        load("24_2601_reverse_2207A.json"), {**values, "settle_msgid": values["msgid"], "msgid": lab.msgid()}
    )
    reversal = his.post(body)
    assert reversal.infcode == 0, reversal.body["err_msg"]
    assert plain(reversal.output)["result"]["oinfno"] == "2207A"
    assert plain(reversal.output)["result"]["rev_rslt"] == "1"  # it had executed: undone now
    # The account is whole again: the batch settles afresh under a new msgid with the same figures.
    again = his.post(substitute(load("23_2207A_settle.json"), {**values, "msgid": lab.msgid()}),
                     "/ebus/gdyb_inf/poc/hsa/hgs/2207A")  # fmt: skip
    assert again.infcode == 0, again.body["err_msg"]
    settled = plain(again.output)["setlinfo"]
    assert {k: settled[k] for k in EXPECTED["setlinfo"]} == EXPECTED["setlinfo"]
