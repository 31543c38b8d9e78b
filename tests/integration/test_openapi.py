"""The OpenAPI 3.1 document of the national JSON entry: served at /openapi.json, valid, complete (every
transaction of the protos at its addresses), browsable at /openapi with nothing from outside, and true to a real
run: every request and reply of an outpatient visit and of an inpatient stay (the golden bodies), and refusals,
validate against the schemas the document gives their transaction.

The schemas of each transaction's request and reply, resolved from the document itself, are applied with
jsonschema to real traffic; test_openapi_fuzz.py has schemathesis generate bodies for every address.
"""

from __future__ import annotations

import json
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from http_lab import HttpHis, to_json
from openapi_check import OpenApiCheck
from openapi_spec_validator import validate

from yibao.transactions import transactions

GOLDEN = Path(__file__).parents[1] / "golden"
VISIT = [
    "01_9001_sign_in",
    "02_1101_person_info",
    "03_2201_register",
    "04_2203_visit_info",
    "05_2204_fee_details",
    "06_2206_pre_settle",
    "07_2207_settle",
    "08_2208_cancel_settlement",
]
STAY = [
    "01_9001_sign_in",
    "11_2401_admit",
    "12_2301_fees_day1",
    "13_2301_fees_day2",
    "14_2402_discharge",
    "15_2303_pre_settle",
    "16_2304_settle",
    "17_2305_cancel_settlement",
]
# what a reply gives the later steps: name → path in the output
CAPTURES = {"sign_no": ("signinoutb", "sign_no"), "mdtrt_id": ("data", "mdtrt_id"), "setl_id": ("setlinfo", "setl_id")}


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers["Content-Type"], r.read()


@pytest.fixture
def document(http_served: str) -> dict[str, Any]:
    status, content_type, body = _get(http_served + "/openapi.json")
    assert (status, content_type) == (200, "application/json;charset=UTF-8")
    return json.loads(body)


def test_the_document_is_valid_openapi_3_1_and_names_every_transaction(document: dict[str, Any], http_served: str):
    validate(document)  # openapi-spec-validator: the OpenAPI 3.1 schema and its references
    assert document["openapi"] == "3.1.0"
    assert document["servers"][0]["variables"]["base"]["default"] == http_served
    for infno, tx in transactions().items():
        assert document["paths"][f"/{infno}"]["post"]["summary"] == f"{infno} {tx.national_name}".strip()
        if tx.http_path:
            assert document["paths"][tx.http_path]["post"]["operationId"] == f"tx{infno}_path"
    assert "/fsi/api/callFsiService/callService" in document["paths"]
    settle = document["components"]["schemas"]["SetlInfo.out"]["properties"]
    # amounts are written as JSON numbers (a string only when not plain decimal text), empty as null
    assert settle["hifp_pay"]["type"] == ["number", "string", "null"]
    download = document["paths"]["/9102"]["post"]["responses"]["200"]["content"]
    assert set(download) == {"application/json", "application/octet-stream"}  # the zip itself, or a refusal
    assert document["components"]["schemas"]["FsUploadIn.in"]["properties"]["in"]["contentEncoding"] == "base64"
    begntime = document["components"]["schemas"]["RegisterData.in"]["properties"]["begntime"]
    assert begntime["description"] == "Y 挂号时间 yyyy-MM-dd HH:mm:ss"  # the proto's comment
    assert begntime["type"] == ["string", "number", "null"]  # a number is read as its text; null as absent


def test_the_viewer_page_needs_nothing_from_outside(http_served: str) -> None:
    status, content_type, body = _get(http_served + "/openapi")
    page = body.decode()
    assert (status, content_type) == (200, "text/html;charset=UTF-8")
    assert 'fetch("/openapi.json")' in page
    assert "http://" not in page and "https://" not in page and "<link" not in page and "src=" not in page


def _body(name: str, values: dict[str, str]) -> dict[str, Any]:
    text = (GOLDEN / f"{name}.json").read_text("utf-8")
    for key, value in values.items():
        text = text.replace("${" + key + "}", value)
    return json.loads(text, parse_float=Decimal)


def _run(his: HttpHis, check: OpenApiCheck, steps: list[str], ipt_otp_no: str) -> dict[str, str]:
    values = {"now": f"{his.lab.clock():%Y-%m-%d %H:%M:%S}", "ipt_otp_no": ipt_otp_no}
    for name in steps:
        values["msgid"] = his.lab.msgid()
        body = _body(name, values)
        infno = str(body["infno"])  # some golden bodies send it as a number, as some HIS do
        check.check_request(infno, to_json(body).encode())
        answer = his.post(body, f"/ebus/hsa/{infno}")
        assert answer.infcode == 0, (name, answer.body["err_msg"])
        check.check_reply(infno, answer.raw)
        for key, (node, field) in CAPTURES.items():
            if isinstance(answer.output.get(node) if answer.output else None, dict) and field in answer.output[node]:
                values[key] = str(answer.output[node][field])
        if infno == "2401":
            values["mdtrt_id"] = str(answer.output["result"]["mdtrt_id"])
    return values


def test_a_visit_and_a_stay_validate_against_the_document(his: HttpHis, document: dict[str, Any]) -> None:
    check = OpenApiCheck(document)
    visit = _run(his, check, VISIT, "MZ-OAS-1")
    stay = _run(his, check, STAY, "ZY-OAS-1")
    assert visit["setl_id"] and stay["setl_id"] and visit["mdtrt_id"] != stay["mdtrt_id"]


def test_refusals_and_their_envelope_validate_too(his: HttpHis, document: dict[str, Any]) -> None:
    check = OpenApiCheck(document)
    refused = his.call("2207", {"data": {"psn_no": "P0001"}})  # no such visit: refused by the core
    assert refused.infcode == -1
    check.check_reply("2207", refused.raw)
    unknown = his.post({"infno": "2207"}, "/ebus/hsa/no/such/address/here")
    assert unknown.status == 404
    assert not check.problems("ReplyEnvelope", unknown.raw)


def test_a_reply_that_drifts_from_the_protos_fails(his: HttpHis, document: dict[str, Any]) -> None:
    check = OpenApiCheck(document)
    signed_in = his.call("9001", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}})
    reply = json.loads(signed_in.raw)
    assert check.problems("Reply_9001", signed_in.raw) == []
    assert check.problems("Reply_9001", json.dumps({**reply, "infcode": "0"}).encode())  # a code's type changed
    reply["output"]["signinoutb"]["signno"] = reply["output"]["signinoutb"].pop("sign_no")  # a renamed field
    assert any("signno" in p for p in check.problems("Reply_9001", json.dumps(reply).encode()))
