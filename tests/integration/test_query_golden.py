"""Golden national JSON for the basic-information and query transactions (docs/queries.md): each file of
tests/golden/queries/ holds a request as a HIS builds it (numbers as numbers, nulls, every URL shape) and the
output written by hand, compared exactly — numbers as the wire's numbers, empty fields as null.

The visit queried is the golden outpatient visit of test_http_golden.py, settled (2207) and not cancelled: P0001,
425.00 at H11000000001, items A01 2 × 50.00 (甲, all in scope), B02 80.00 (乙 10%: 8.00 first self-paid, 72.00 in
scope), C03 30.00 (丙, self-paid), S01 15.00 (cap 10.00: 5.00 over it), CT1 200.00 (乙 8%, cap 180.00: 20.00 over it,
14.40 first self-paid, 165.60 in scope). In scope 100 + 72 + 10 + 165.60 = 347.60: the deductible of 200.00 is
used up and the fund pays (347.60 − 200.00) × 0.70 = 103.32 of its 1000.00 cap, leaving 896.68.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from http_lab import HttpHis
from lab import HOSPITAL, Lab
from test_file_exchange import download, unzip
from test_http_golden import STEPS, run_http, substitute

GOLDEN = Path(__file__).parents[1] / "golden" / "queries"
FILE_FIELDS = ("file_qury_no", "filename", "dld_endtime")  # 5204's file: made by the call


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"), parse_float=Decimal)


def test_golden_queries_over_http(his: HttpHis, lab: Lab) -> None:
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    _, per_step = run_http(his, now, STEPS[:7])  # 9001 … 2207: a settled visit
    values = {**per_step[-1], "today": now[:10]}
    files = sorted(GOLDEN.glob("*.json"))
    assert len(files) == 8
    for path in files:
        case = load(path)
        values["msgid"] = lab.msgid()
        answer = his.post(substitute(case["request"], values), case["url"])
        assert answer.status == 200 and answer.infcode == 0, (path.name, answer.body["err_msg"])
        values.update({k: answer.output[k] for k in FILE_FIELDS if k in answer.output})  # run-specific
        assert answer.output == substitute(case["output"], values), path.name
    # 5204's rows again, as the file the national 5204 gives: fetched with 9102, one tab-separated line per item
    his.lab.sign_nos[HOSPITAL] = values["sign_no"]
    status, data, _ = download(his, values["file_qury_no"])
    ((name, text),) = unzip(data).items()
    header, *lines = text.splitlines()
    assert status == 200 and name == values["filename"].replace(".zip", ".txt")
    columns = header.split("\t")
    assert columns[:4] == ["feedetl_sn", "mdtrt_id", "psn_no", "setl_id"] and len(lines) == 5
    ct1 = dict(zip(columns, lines[4].split("\t"), strict=True))
    split = ("med_list_codg", "det_item_fee_sumamt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "setl_id")
    assert tuple(ct1[c] for c in split) == ("CT1", "200.00", "20.00", "14.40", "165.60", values["setl_id"])


def test_golden_query_bodies_name_their_transaction() -> None:
    for path in sorted(GOLDEN.glob("*.json")):
        case = load(path)
        assert str(case["request"]["infno"]) == path.name.split("_")[1], path.name
        assert {"infno", "msgid", "fixmedins_code", "inf_time", "sign_no", "input"} <= set(case["request"]), path.name
