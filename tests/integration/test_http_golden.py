"""Golden national JSON bodies (tests/golden/*.json), shaped the way real HIS systems build them —
numbers as strings and as numbers, empty and null optional fields, vendor extra fields, Chinese
text — run a full outpatient visit over HTTP on every URL shape, and give the same results as the
same visit over gRPC.

The HTTP visit ends with 2208, which restores the person's account and accumulators exactly, so
the gRPC visit that follows starts from the same state and must come out figure for figure alike.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from http_lab import HttpHis, plain
from lab import Lab
from sqlalchemy import select

from yibao.adapters.http.national_json import HEADER_FIELDS
from yibao.storage import schema
from yibao.transactions import transactions

GOLDEN = Path(__file__).parents[1] / "golden"
# (file, the URL a HIS of that style posts to, what the reply gives the later steps)
STEPS: list[tuple[str, str, dict[str, tuple[str, ...]]]] = [
    (
        "01_9001_sign_in.json",
        "/ebus/rio_fsi/fsi/api/signInSignOutService/signIn",
        {"sign_no": ("signinoutb", "sign_no")},
    ),
    ("02_1101_person_info.json", "/ebus/rio_fsi/fsi/api/fsiPsnInfoService/queryPsnInfo", {}),
    ("03_2201_register.json", "/ebus/gdyb_inf/poc/hsa/hgs/2201", {"mdtrt_id": ("data", "mdtrt_id")}),
    ("04_2203_visit_info.json", "/ebus/rio_fsi/fsi/api/outpatientDocInfoService/outpatientMdtrtinfoUp", {}),
    ("05_2204_fee_details.json", "/ebus/rio_fsi/fsi/api/outpatientDocInfoService/outpatientFeeListUp", {}),
    ("06_2206_pre_settle.json", "/mbs/fmi/fsi/api/callFsiService/callService", {}),
    ("07_2207_settle.json", "/ebus/gdyb_inf/poc/hsa/hgs/2207", {"setl_id": ("setlinfo", "setl_id")}),
    ("08_2208_cancel_settlement.json", "/", {}),
]
# An inpatient stay in fee batches over two days: every Hebei, <infno> and dispatch URL shape again.
STAY_STEPS: list[tuple[str, str, dict[str, tuple[str, ...]]]] = [
    STEPS[0],
    ("11_2401_admit.json", "/ebus/rio_fsi/fsi/api/hospitalRegisterService/hospitalRegisterSave",
     {"mdtrt_id": ("result", "mdtrt_id")}),
    ("12_2301_fees_day1.json", "/ebus/rio_fsi/fsi/api/hospFeeDtlService/feeDtlUp", {}),
    ("13_2301_fees_day2.json", "/ebus/gdyb_inf/poc/hsa/hgs/2301", {}),
    ("14_2402_discharge.json", "/ebus/rio_fsi/fsi/api/dscgService/dischargeProcess", {}),
    ("15_2303_pre_settle.json", "/ebus/rio_fsi/fsi/api/hospSettService/preSett", {}),
    ("16_2304_settle.json", "/ebus/gdyb_inf/poc/hsa/hgs/2304", {"setl_id": ("setlinfo", "setl_id")}),
    ("17_2305_cancel_settlement.json", "/mbs/fmi/fsi/api/callFsiService/callService", {}),
]  # fmt: skip
# Unknown fields each golden body carries, which the reply must report in warn_msg.
EXTRAS = {
    "02_1101_person_info.json": ["medins_code", "insur_code"],
    "03_2201_register.json": ["input.data.insuplc_admdvs", "input.data.exp_content"],
    "04_2203_visit_info.json": ["input.diseinfo[0].expi_gestation_nub_of_m"],
    "05_2204_fee_details.json": ["input.feedetail[1].memo"],
    "06_2206_pre_settle.json": ["input.data.insuplc_admdvs", "input.data.mdtrtarea_admvs", "input.data.exp_content"],
    "13_2301_fees_day2.json": ["input.feedetail[1].vendor_note"],
    "15_2303_pre_settle.json": ["input.data.insuplc_admdvs", "input.data.mdtrtarea_admvs"],
}


def load(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / name).read_text("utf-8"), parse_float=Decimal)


def substitute(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: substitute(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, values) for v in node]
    if isinstance(node, str) and node.startswith("${") and node.endswith("}"):
        return values[node[2:-1]]
    return node


def as_proto_json(node: Any) -> Any:
    """What json_format accepts: numbers as their text, nulls dropped (the gRPC side's conversion,
    independent of the HTTP adapter's); an exp_content object as its JSON text, as the proto field holds it."""
    if isinstance(node, dict):
        return {k: json.dumps(v, ensure_ascii=False) if k == "exp_content" and isinstance(v, dict) else as_proto_json(v)
                for k, v in node.items() if v is not None}  # fmt: skip
    if isinstance(node, list):
        return [as_proto_json(v) for v in node]
    if isinstance(node, Decimal):
        return format(node, "f")
    if isinstance(node, int) and not isinstance(node, bool):
        return str(node)
    return node


def normalised(output: Any, values: dict[str, str]) -> Any:
    """Run-specific identifiers replaced by their names, so two runs compare equal."""
    text = json.dumps(output, ensure_ascii=False, sort_keys=True)
    for name in ("mdtrt_id", "setl_id", "sign_no", "msgid", "ipt_otp_no"):
        if values[name]:
            text = text.replace(values[name], f"${{{name}}}")
    data = json.loads(text)

    def mask(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: "*" if k in ("setl_id", "sign_no") else mask(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mask(v) for v in node]
        return node

    return mask(data)


def pick(output: dict[str, Any], path: tuple[str, ...]) -> str:
    for key in path:
        output = output[key]
    return str(output)


def run_http(his: HttpHis, now: str, steps: list[Any] = STEPS) -> tuple[dict[str, Any], list[dict[str, str]]]:
    outputs, per_step = {}, []
    values = {"now": now, "ipt_otp_no": "MZ-HTTP-1", "sign_no": "", "mdtrt_id": "", "setl_id": ""}
    for name, path, captures in steps:
        values["msgid"] = his.lab.msgid()
        answer = his.post(substitute(load(name), values), path)
        assert answer.status == 200 and answer.infcode == 0, (name, answer.body["err_msg"])
        for extra in EXTRAS.get(name, []):
            assert extra in answer.body["warn_msg"], (name, answer.body["warn_msg"])
        for key, where in captures.items():
            values[key] = pick(answer.output, where)
        outputs[name] = normalised(plain(answer.output), values)
        per_step.append(dict(values))
    return outputs, per_step


def run_grpc(lab: Lab, now: str, steps: list[Any] = STEPS) -> dict[str, Any]:
    outputs = {}
    values = {"now": now, "ipt_otp_no": "MZ-GRPC-1", "sign_no": "", "mdtrt_id": "", "setl_id": ""}
    for name, _, captures in steps:
        values["msgid"] = lab.msgid()
        body = substitute(load(name), values)
        infno = str(body["infno"])
        request = transactions()[infno].request_cls()
        header = {k: str(v) for k, v in body.items() if k in HEADER_FIELDS and v is not None}
        json_format.ParseDict(header, request.header)
        json_format.ParseDict(as_proto_json(body["input"]), request.input, ignore_unknown_fields=True)
        reply = lab.send(request, infno)
        output = json_format.MessageToDict(reply.output, preserving_proto_field_name=True)
        for key, where in captures.items():
            values[key] = pick(output, where)
        outputs[name] = normalised(plain(output), values)
    return outputs


def test_golden_outpatient_visit_over_http_matches_grpc(his: HttpHis, lab: Lab, served) -> None:  # type: ignore[no-untyped-def]
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    over_http, values = run_http(his, now)
    over_grpc = run_grpc(lab, now)
    for name, *_ in STEPS:
        assert over_http[name] == over_grpc[name], name

    settled = over_http["07_2207_settle.json"]["setlinfo"]
    assert settled["medfee_sumamt"] == "425.00"
    assert Decimal(settled["medfee_sumamt"]) == Decimal(settled["fund_pay_sumamt"]) + Decimal(settled["psn_part_amt"])
    cancelled = over_http["08_2208_cancel_settlement.json"]["setlinfo"]
    assert cancelled["medfee_sumamt"] == "-425.00"

    # Same gateway, same journal: every HTTP step is journaled like a gRPC one, with its keys.
    with served.store.read() as tx:
        j = schema.journal
        rows = tx.conn.execute(select(j.c.infno, j.c.outcome, j.c.psn_no, j.c.mdtrt_id, j.c.setl_id).order_by(j.c.id))
        rows = list(rows)
    assert [r.infno for r in rows] == [s[0][3:7] for s in STEPS] * 2
    assert {r.outcome for r in rows} == {"ok"}
    http_rows = rows[: len(STEPS)]
    assert http_rows[1].psn_no == "P0001"  # 1101: from the reply's baseinfo
    assert http_rows[2].mdtrt_id == values[2]["mdtrt_id"]  # 2201: from the reply
    assert http_rows[6].setl_id == values[6]["setl_id"]  # 2207: from the reply
    assert http_rows[7].setl_id == values[6]["setl_id"]  # 2208: the settlement it cancels


def test_golden_inpatient_stay_over_http_matches_grpc(his: HttpHis, lab: Lab) -> None:  # type: ignore[no-untyped-def]
    now = f"{lab.clock():%Y-%m-%d %H:%M:%S}"
    over_http, _ = run_http(his, now, STAY_STEPS)
    over_grpc = run_grpc(lab, now, STAY_STEPS)
    for name, *_ in STAY_STEPS:
        assert over_http[name] == over_grpc[name], name
    s = over_http["16_2304_settle.json"]["setlinfo"]
    # A01 2×1500 = 3000.00 in scope; B02 1000.00: 乙 10% → 100.00 first self-pay, 900.00 in scope; C03 200.00 丙.
    # medfee 4200.00, in scope 3900.00; deductible 1000.00 per stay; fund (3900−1000)×0.90 = 2610.00;
    # person 4200−2610 = 1590.00: account 500.00, cash 1090.00
    assert (s["medfee_sumamt"], s["inscp_scp_amt"], s["act_pay_dedc"], s["hifp_pay"]) == (
        "4200.00",
        "3900.00",
        "1000.00",
        "2610.00",
    )
    assert (s["acct_pay"], s["psn_cash_pay"], s["clr_type"]) == ("500.00", "1090.00", "21")
    assert over_http["17_2305_cancel_settlement.json"]["setlinfo"]["hifp_pay"] == "-2610.00"


def test_golden_bodies_are_utf8_json_with_every_envelope_field() -> None:
    for name, *_ in STEPS + STAY_STEPS:
        body = load(name)
        assert {"infno", "msgid", "fixmedins_code", "inf_time", "input"} <= set(body), name
