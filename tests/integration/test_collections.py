"""collections/: the Postman collection's requests, run in order against a gateway on the built-in demo world over
the national JSON entry, as Postman would run them: its variables, the pre-request script's msgid and Beijing-time
inf_time (done here in Python: the script itself is JavaScript), and each test script's captures, which carry
sign_no, psn_no, mdtrt_id and setl_id from a reply to the later requests. Every reply is infcode 0 and validates
against the OpenAPI document; the .http file sends the same bodies."""

from __future__ import annotations

import itertools
import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openapi_check import OpenApiCheck

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.openapi import document
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_server
from yibao.storage.store import Store
from yibao.world.loader import load_world

COLLECTIONS = Path(__file__).parents[2] / "collections"
POSTMAN = COLLECTIONS / "yibao-demo.postman_collection.json"
HTTP = COLLECTIONS / "yibao-demo.http"
BEIJING = timezone(timedelta(hours=8))
VARIABLE = re.compile(r"\{\{(\w+)\}\}")
CAPTURE = re.compile(r'^pm\.collectionVariables\.set\("(\w+)", pm\.response\.json\(\)\.([\w.\[\]]+)\);$')


@pytest.fixture
def demo_gateway(db_url: str) -> Iterator[str]:
    """`yibao serve` on the built-in demo world, unsigned, on the platform's own clock; yields the HTTP base URL."""
    world = load_world()
    store = Store(db_url)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    server, _, gateway = build_server(world, store, address="127.0.0.1:0")
    server.start()
    http = HttpServer(NationalHttp(gateway), port=0, threads=2)
    http.start()
    yield f"http://127.0.0.1:{http.port}"
    http.stop()
    server.stop(grace=None)
    store.close()


def _requests(collection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for folder in collection["item"]:
        yield from folder["item"]


def _pick(node: Any, where: str) -> str:
    """A value of a reply by the test script's JavaScript path, e.g. output.insuinfo[0].insuplc_admdvs."""
    for part in re.findall(r"\w+|\[\d+\]", where):
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    return str(node)


def _pre_request(variables: dict[str, str], seq: Iterator[int]) -> None:
    """What the collection's pre-request script does: Beijing-time inf_time, msgid = institution + time + 4 digits."""
    now = datetime.now(BEIJING)
    variables["inf_time"] = f"{now:%Y-%m-%d %H:%M:%S}"
    variables["msgid"] = f"{variables['fixmedins_code']}{now:%Y%m%d%H%M%S}{next(seq) % 10000:04d}"


def _post(url: str, body: str) -> tuple[bytes, dict[str, Any]]:
    request = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json;charset=UTF-8"})
    with urllib.request.urlopen(request, timeout=30) as r:
        raw = r.read()
    return raw, json.loads(raw, parse_float=Decimal)


def test_the_postman_collection_runs_a_visit_a_refund_and_a_stay(demo_gateway: str) -> None:
    collection = json.loads(POSTMAN.read_text("utf-8"))
    assert collection["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    script = "\n".join(collection["event"][0]["script"]["exec"])
    assert 'pm.variables.set("msgid"' in script and "8 * 3600 * 1000" in script
    variables = {v["key"]: v["value"] for v in collection["variable"]} | {"baseUrl": demo_gateway}
    check, seq, replies = OpenApiCheck(document()), itertools.count(1), {}
    for item in _requests(collection):
        _pre_request(variables, seq)
        url = VARIABLE.sub(lambda m: variables[m.group(1)], item["request"]["url"]["raw"])
        body = VARIABLE.sub(lambda m: variables[m.group(1)], item["request"]["body"]["raw"])
        raw, reply = _post(url, body)
        infno = json.loads(body)["infno"]
        assert reply["infcode"] == 0, (item["name"], reply["err_msg"])
        check.check_reply(infno, raw)
        for line in item["event"][0]["script"]["exec"][1:]:
            name, where = CAPTURE.match(line).groups()  # type: ignore[union-attr]
            variables[name] = _pick(reply, where)
        replies[item["name"]] = reply["output"]

    assert variables["psn_no"] == "11000000000000000002" and variables["insuplc_admdvs"] == "110000"
    visit = replies["2201 register"]["data"]["mdtrt_id"]
    stay = replies["2401 admit"]["result"]["mdtrt_id"]
    assert visit != stay and variables["mdtrt_id"] == stay
    settled = replies["2207 settle"]["setlinfo"]
    # 李晓梅, employee (1101) insured in Beijing, 1,800.00 yearly deductible: F01 10.00 and F03 20.00 甲 in scope;
    # F02 2 × 25.50 = 51.00 乙 with 10% first self-pay: 5.10 self-pay, 45.90 in scope. In scope 75.90, all under
    # the deductible, so the fund pays nothing and her account (860.50) pays the whole 81.00.
    assert (settled["medfee_sumamt"], settled["inscp_scp_amt"], settled["preselfpay_amt"]) == (
        Decimal("81.00"),
        Decimal("75.90"),
        Decimal("5.10"),
    )
    assert (settled["act_pay_dedc"], settled["hifp_pay"], settled["acct_pay"]) == (
        Decimal("75.90"),
        Decimal("0.00"),
        Decimal("81.00"),
    )
    refund = replies["Y2208 refund one item (the tablets)"]["rfdinfo"]
    assert refund["setl_id"] == settled["setl_id"] and refund["refd_medfee"] == "51.00"  # a Yibao extension field: text
    assert refund["rev_setl_id"] and refund["new_setl_id"] not in ("", None, settled["setl_id"])
    assert replies["2304 settle"]["setlinfo"]["medfee_sumamt"] == Decimal("459.00")


def test_the_http_file_sends_the_same_bodies() -> None:
    collection = json.loads(POSTMAN.read_text("utf-8"))
    blocks = HTTP.read_text("utf-8").split("\n### ")[1:]
    items = list(_requests(collection))
    assert len(blocks) == len(items)
    for block, item in zip(blocks, items, strict=True):
        request_line = next(line for line in block.splitlines() if line.startswith("POST "))
        assert request_line == "POST " + item["request"]["url"]["raw"]
        sent = json.loads(block[block.index("\n{") :])
        wanted = json.loads(item["request"]["body"]["raw"])
        # the .http file names the reply a chained id comes from where Postman has its variable
        chained = re.compile(r"\{\{step\d+\.response\.body\.\$\.output\.[\w.\[\]]+\}\}")
        assert json.loads(chained.sub("{{chained}}", json.dumps(sent, ensure_ascii=False))) == json.loads(
            re.sub(
                r"\{\{(psn_no|insuplc_admdvs|sign_no|mdtrt_id|setl_id)\}\}",
                "{{chained}}",
                json.dumps(wanted, ensure_ascii=False),
            )
        )
