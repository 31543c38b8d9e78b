"""The transaction inspector's pages (server-rendered HTML) behind its login: filters, one transaction's findings,
rule trace, raw and normalised request and reply, escaping, no external assets; who sees what; masking; the
transport's refusals; counts, time range, export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from conftest import Served
from http_lab import DISPATCH, HttpHis
from inspector_client import Browser, row_ids
from lab import HOSPITAL, Item, Lab, LabRefused

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.inspector_access import Accounts
from yibao.v1 import person_pb2

OTHER = "H11000000002"
CERTNO = "110101198006150011"  # P0001 甲职工's ID number (tests/test_world.json)


@pytest.fixture
def his(inspected: str, lab: Lab) -> Iterator[HttpHis]:
    h = HttpHis(inspected, lab)
    yield h
    h.close()


@pytest.fixture
def ops(his: HttpHis) -> Browser:
    b = Browser(his)
    assert b.login("ops") == 303
    return b


def settle_visit(lab: Lab) -> tuple[str, str, object]:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "2", "50.00"), Item("C03", "1", "30.00")])
    out = lab.settle(mdtrt_id, "130.00").output
    return mdtrt_id, out.setlinfo.setl_id, out


def person_by_id_card(his: HttpHis, inst: str = HOSPITAL, certno: str = CERTNO) -> dict[str, object]:
    """1101 over HTTP with the ID card number, as a HIS reading an ID card sends it."""
    data = {"mdtrt_cert_type": "02", "mdtrt_cert_no": certno, "psn_cert_type": "01", "certno": certno}
    return his.call("1101", {"data": data}, inst).body


# -- what was there before the login, logged in as the operator


def test_list_and_filters(ops: Browser, lab: Lab) -> None:
    mdtrt_id, setl_id, _ = settle_visit(lab)
    with_refusal = lab.register("P0002")
    with pytest.raises(LabRefused):
        lab.settle(with_refusal, "1.00", psn="P0002")
    status, html = ops.page("/inspector")
    assert status == 200 and len(row_ids(html)) >= 6
    assert "2207 门诊结算" in html
    _, only = ops.page(f"/inspector?setl_id={setl_id}")
    assert len(row_ids(only)) == 1 and "2207" in only
    _, visit = ops.page(f"/inspector?mdtrt_id={mdtrt_id}")
    assert len(row_ids(visit)) == 3  # 2201, 2204, 2207
    _, person = ops.page("/inspector?psn_no=P0002&outcome=refused")
    assert len(row_ids(person)) == 1 and "refused" in person
    _, by_infno = ops.page("/inspector?infno=9001&fixmedins_code=H11000000001")
    assert len(row_ids(by_infno)) == 1
    _, none = ops.page("/inspector?msgid=NOPE")
    assert 'id="no-results"' in none
    status, _, headers = ops.get("/")  # a browser pointed at the gateway lands on the inspector
    assert status == 303 and headers["location"] == "/inspector"


def test_ids_link_to_each_other_and_errors_to_the_catalogue(ops: Browser, lab: Lab) -> None:
    mdtrt_id, setl_id, _ = settle_visit(lab)
    with pytest.raises(LabRefused):
        lab.settle(lab.register("P0002"), "1.00", psn="P0002")
    _, html = ops.page(f"/inspector?setl_id={setl_id}")
    assert f'href="/inspector?mdtrt_id={mdtrt_id}"' in html and 'href="/inspector?psn_no=P0001"' in html
    (tx_id,) = row_ids(html)
    _, detail = ops.page(f"/inspector/tx/{tx_id}")
    assert f'href="/inspector?setl_id={setl_id}"' in detail and f'href="/inspector?mdtrt_id={mdtrt_id}"' in detail
    _, refused = ops.page("/inspector?outcome=refused&psn_no=P0002")
    (code,) = re.findall(r'href="/inspector/errors#([A-Z_]+)"', refused)
    status, catalogue = ops.page("/inspector/errors")
    assert status == 200 and f'<tr id="{code}">' in catalogue
    entry = catalogue.split(f'<tr id="{code}">', 1)[1].split("</tr>", 1)[0]
    assert entry.count("<td>") == 3  # its Chinese and English messages and how to fix it, each non-empty
    assert "<td></td>" not in entry


def test_detail_of_a_settlement_shows_findings_trace_request_and_reply(ops: Browser, lab: Lab) -> None:
    _, setl_id, out = settle_visit(lab)
    _, listing = ops.page(f"/inspector?setl_id={setl_id}")
    (tx_id,) = row_ids(listing)
    status, html = ops.page(f"/inspector/tx/{tx_id}")
    assert status == 200
    text = unescape(html)
    assert 'id="findings"' in html and "通过 passed" in text
    assert 'id="trace"' in html
    for row in out.setldetail:  # type: ignore[attr-defined]
        assert row.setl_proc_info and row.setl_proc_info in text
    assert "<td>A01</td>" in html and "<td>C03</td>" in html  # the item split lists the settled items
    assert f'"setl_id": "{setl_id}"' in text  # the reply, decoded from the stored protobuf
    assert '"medfee_sumamt": "130.00"' in text  # the request
    assert 'id="no-raw"' in html  # it came over gRPC: there is no HTTP request to show
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_detail_of_a_refusal_shows_the_catalogue_entry(ops: Browser, lab: Lab) -> None:
    q = person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="<script>alert(1)</script>", psn_cert_type="01")
    with pytest.raises(LabRefused):
        lab.call("1101", person_pb2.QueryPsnInfoInput(data=q))
    _, listing = ops.page("/inspector?outcome=refused&infno=1101")
    (tx_id,) = row_ids(listing)
    _, html = ops.page(f"/inspector/tx/{tx_id}")
    assert "PSN_CERT_UNKNOWN" in html and "input.data.mdtrt_cert_no" in html and "business" in html
    assert 'href="/inspector/errors#PSN_CERT_UNKNOWN"' in html and "How to fix" in html
    assert "<script>alert(1)</script>" not in html  # escaped everywhere
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="trace"' not in html


def test_unknown_pages(ops: Browser, his: HttpHis) -> None:
    assert ops.page("/inspector/tx/999999")[0] == 404
    assert ops.page("/inspector/nothing")[0] == 404
    assert ops.page("/inspector/refusal/999999")[0] == 404
    status, raw, _ = his.request("GET", "/healthz")
    assert (status, raw) == (200, b"ok\n")


# -- login


ANONYMOUS_PATHS = ["/inspector", "/inspector/tx/1", "/inspector/export.json", "/inspector/export.csv",
                   "/inspector/errors", "/inspector/refusal/1", "/inspector?msgid=H11000000001"]  # fmt: skip


@pytest.mark.parametrize("path", ANONYMOUS_PATHS)
def test_anonymous_gets_the_login_form_and_nothing_else(his: HttpHis, lab: Lab, path: str) -> None:
    settle_visit(lab)
    status, raw, headers = Browser(his).get(path)
    html = raw.decode()
    assert status == 401 and headers["content-type"].startswith("text/html")
    assert 'action="/inspector/login"' in html and 'type="password"' in html
    shown = re.sub(r'<input type="hidden" name="next" value="[^"]*">', "", html)  # where to go after: as asked
    assert HOSPITAL not in shown and "tx-" not in shown and "2207" not in shown


def test_login_cookie_and_logout(his: HttpHis) -> None:
    b = Browser(his)
    assert b.login("ops", "wrong") == 401 and b.cookie == ""
    assert b.login("nobody") == 401 and b.cookie == ""
    form = b"name=ops&password=correct+horse+battery+staple&next=//evil.example/"
    status, _, headers = his.request(
        "POST", "/inspector/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 303 and headers["location"] == "/inspector"  # never sent off to another site
    flags = [f.strip() for f in headers["set-cookie"].split(";")]
    assert {"HttpOnly", "SameSite=Strict", "Path=/inspector"} <= set(flags)
    cross_site = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}
    assert his.request("POST", "/inspector/login", form, cross_site)[0] == 403
    assert b.login("ops") == 303 and b.page("/inspector")[0] == 200
    value = b.cookie.split("=", 1)[1]
    forged = Browser(his)
    forged.cookie = "yibao_inspector=" + value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert forged.get("/inspector")[0] == 401
    status, _, headers = his.request("POST", "/inspector/logout", b"", {"Cookie": b.cookie})
    assert status == 303 and "Max-Age=0" in headers["set-cookie"]


def test_too_many_failed_logins_from_one_address_are_refused_for_a_while(his: HttpHis) -> None:
    b = Browser(his)
    assert [b.login("ops", f"guess {n}") for n in range(10)] == [401] * 10
    assert b.login("ops") == 429 and b.cookie == ""  # even the right password, until a minute has passed


def test_a_cookie_signed_under_another_secret_or_expired_is_refused() -> None:
    from inspector_client import accounts

    mine = accounts()
    ops = mine.accounts["ops"]
    other = Accounts(mine.accounts)  # another serve: another secret
    assert other.from_cookie(mine.cookie_for(ops)) is None
    assert mine.from_cookie(mine.cookie_for(ops)) == ops
    assert mine.from_cookie(mine.cookie_for(ops, now=0)) is None  # expired long ago


# -- an institution sees its own traffic only


def two_institutions(his: HttpHis, lab: Lab) -> dict[str, str]:
    """Traffic of HOSPITAL and OTHER about the same person; the msgids of their 1101s and OTHER's settlement."""
    mine = lab.register("P0001")
    theirs = lab.register("P0001", inst=OTHER)
    lab.upload(theirs, [Item("A01", "1", "50.00")], inst=OTHER)
    person_by_id_card(his, HOSPITAL)
    person_by_id_card(his, OTHER)
    his.post(b"{not json", headers={"Content-Type": "application/json"})  # claims no one
    his.post(b'{"infno": "1101", "fixmedins_code": "H11000000002", "msgid": "H1100000000220260315100000X', DISPATCH)
    return {"mine": mine, "theirs": theirs}


def test_an_institution_sees_only_its_own_traffic(his: HttpHis, lab: Lab) -> None:
    visits = two_institutions(his, lab)
    h1 = Browser(his)
    assert h1.login("h1") == 303
    _, html = h1.page("/inspector")
    rows = row_ids(html)
    assert rows and OTHER not in html.split('id="transactions"', 1)[1].split("Transport refusals", 1)[0]
    assert visits["theirs"] not in html
    # the filters cannot reach past the account's scope
    for query in (f"fixmedins_code={OTHER}", f"mdtrt_id={visits['theirs']}", f"msgid={OTHER}"):
        assert row_ids(h1.page(f"/inspector?{query}")[1]) == []
    _, person = h1.page("/inspector?psn_no=P0001")
    assert OTHER not in person.split('id="transactions"', 1)[1].split("Transport refusals", 1)[0]
    # nor can a guessed id: every row of OTHER's is "not found" for h1, and found for the operator
    ops = Browser(his)
    ops.login("ops")
    theirs = row_ids(ops.page(f"/inspector?fixmedins_code={OTHER}")[1])
    assert len(theirs) == 4  # 9001, 2201, 2204, 1101 of OTHER
    for tx_id in theirs:
        assert h1.page(f"/inspector/tx/{tx_id}")[0] == 404
        assert ops.page(f"/inspector/tx/{tx_id}")[0] == 200
    # exports
    exported = json.loads(h1.get("/inspector/export.json")[1])
    assert exported["count"] == len(rows) and {t["fixmedins_code"] for t in exported["transactions"]} == {HOSPITAL}
    csv_rows = list(csv.DictReader(io.StringIO(h1.get("/inspector/export.csv")[1].decode("utf-8-sig"))))
    assert {r["fixmedins_code"] for r in csv_rows} == {HOSPITAL} and len(csv_rows) == len(rows)
    # counts: its own only
    assert "2204" not in html.split('id="counts"', 1)[1].split("</table>", 1)[0]
    # the transport's refusals: OTHER's claimed one and the anonymous one are not h1's to see
    assert 'id="no-refusals"' in html
    seqs = re.findall(r'href="/inspector/refusal/(\d+)"', ops.page("/inspector")[1])
    assert len(seqs) == 2
    for seq in seqs:
        assert h1.page(f"/inspector/refusal/{seq}")[0] == 404
    h2 = Browser(his)
    h2.login("h2")
    assert len(re.findall(r'href="/inspector/refusal/(\d+)"', h2.page("/inspector")[1])) == 1


# -- masking


def test_id_numbers_and_names_are_masked_everywhere_shown(ops: Browser, his: HttpHis) -> None:
    answer = person_by_id_card(his)
    assert answer["output"]["baseinfo"]["psn_name"] == "甲职工"  # type: ignore[index]
    person_by_id_card(his, certno="110101199912310099")  # nobody's: refused, the number in err_msg
    _, listing = ops.page("/inspector?infno=1101")
    pages = [listing] + [ops.page(f"/inspector/tx/{i}")[1] for i in row_ids(listing)]
    shown = unescape("".join(pages))
    assert CERTNO not in shown and "110101199912310099" not in shown and "甲职工" not in shown
    assert "110101********0011" in shown and "110101********0099" in shown and "甲*工" in shown
    assert '"certno": "110101********0011"' in shown  # in the raw body as received, in place


# -- the transport's refusals and the raw request


def test_transport_refusals_are_recorded_and_shown_with_the_raw_request(ops: Browser, his: HttpHis) -> None:
    secret = {"x-tif-signature": "s3cr3t-signature", "Authorization": "Bearer s3cr3t-token"}
    his.post(b'{"infno": "1101", "msgid": "M1", "certno": "' + CERTNO.encode() + b'", ', headers=secret)
    his.post(his.envelope("1101"), path="/fsi/api/nowhere/none")
    his.post({**his.envelope("2201"), "input": {}}, path="/fsi/api/fsiPsnInfoService/queryPsnInfo")
    his.post(b"[1, 2]")
    his.post(b"{" + b" " * (300 * 1024) + b"}")  # beyond the fixture's max_body
    _, html = ops.page("/inspector")
    section = html.split("Transport refusals", 1)[1]
    codes = re.findall(r'href="/inspector/errors#([A-Z_]+)"', section)
    assert codes == ["HTTP_BODY_TOO_LARGE", "HTTP_BODY_NOT_OBJECT", "HTTP_INFNO_PATH_MISMATCH", "HTTP_PATH_UNKNOWN",
                     "HTTP_JSON_MALFORMED"]  # fmt: skip
    seqs = re.findall(r'href="/inspector/refusal/(\d+)"', section)
    status, detail = ops.page(f"/inspector/refusal/{seqs[-1]}")
    text = unescape(detail)
    assert status == 200 and "HTTP_JSON_MALFORMED" in text
    assert f"POST {DISPATCH}" in text and "content-type: application/json;charset=UTF-8" in text
    assert "x-tif-signature: (hidden)" in text and "authorization: (hidden)" in text
    assert "s3cr3t" not in text and CERTNO not in text and '"certno": "110101********0011", ' in text
    mismatch = unescape(ops.page(f"/inspector/refusal/{seqs[2]}")[1])
    assert "/fsi/api/fsiPsnInfoService/queryPsnInfo" in mismatch and '"infno":"2201"' in mismatch.replace(" ", "")


def test_the_raw_http_request_stands_beside_the_normalised_one(ops: Browser, his: HttpHis) -> None:
    his.sign_in()
    msgid = his.envelope("1101")["msgid"]
    data = {"mdtrt_cert_type": "02", "mdtrt_cert_no": CERTNO, "psn_cert_type": "01", "certno": CERTNO, "extra": 1}
    his.post({**his.envelope("1101", msgid=msgid), "input": {"data": data}}, headers={"Cookie": "session=abc"})
    (tx_id,) = row_ids(ops.page(f"/inspector?msgid={msgid}")[1])
    text = unescape(ops.page(f"/inspector/tx/{tx_id}")[1])
    raw = text.split('id="raw"', 1)[1].split('id="request"', 1)[0]
    assert f"POST {DISPATCH}" in raw and "cookie: (hidden)" in raw and "abc" not in raw
    assert '"extra":1' in raw  # the body as sent, the field the normalised message drops included
    normalised = text.split('id="request"', 1)[1].split('id="reply"', 1)[0]
    assert '"mdtrt_cert_no": "110101********0011"' in normalised and "extra" not in normalised


# -- counts, time range, export


def test_counts_time_range_and_export(ops: Browser, his: HttpHis, lab: Lab) -> None:
    lab.sign_in()  # 10:00:00
    lab.clock.advance(minutes=10)
    mdtrt_id = lab.register("P0001")  # 10:10
    lab.clock.advance(minutes=10)
    with pytest.raises(LabRefused):
        lab.settle(mdtrt_id, "1.00")  # 10:20, no fees: refused
    _, html = ops.page("/inspector")
    counts = html.split('id="counts"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(\d{4}) [^<]*</td>(.*?)</tr>", counts)
    table = {infno: re.findall(r">(\d+)<", rest) for infno, rest in cells}
    assert table == {"2201": ["1", "0", "0", "1"], "2207": ["0", "1", "0", "1"], "9001": ["1", "0", "0", "1"]}
    assert "Counts per infno and outcome (3)" in html and 'id="latency"' in html
    _, window = ops.page("/inspector?since=2026-03-15T10:05&until=2026-03-15T10:15")
    assert len(row_ids(window)) == 1 and "2201 " in window
    assert len(row_ids(ops.page("/inspector?since=2026-03-15T10:10")[1])) == 2
    status, bad = ops.page("/inspector?since=yesterday")
    assert status == 400 and "since: expected a time" in bad
    exported = json.loads(ops.get("/inspector/export.json?since=2026-03-15T10:05")[1])
    assert exported["filters"] == {"since": "2026-03-15T10:05"} and exported["count"] == 2
    assert [(t["infno"], t["outcome"], t["mdtrt_id"]) for t in exported["transactions"]] == [
        ("2207", "refused", mdtrt_id),
        ("2201", "ok", mdtrt_id),
    ]
    assert exported["transactions"][1]["time"] == "2026-03-15 10:10:00.000"
    assert exported["transactions"][0]["err_code"] == "SETL_NO_FEES"
    status, raw, headers = ops.get("/inspector/export.csv?outcome=refused")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert headers["content-disposition"].startswith("attachment;")
    (row,) = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert (row["infno"], row["infno_name"], row["mdtrt_id"], row["err_code"]) == (
        "2207", "门诊结算", mdtrt_id, "SETL_NO_FEES")  # fmt: skip


def test_auto_refresh_is_a_toggle(ops: Browser) -> None:
    _, off = ops.page("/inspector?infno=9001")
    assert 'http-equiv="refresh"' not in off and 'href="/inspector?infno=9001&amp;refresh=1"' in off
    _, on = ops.page("/inspector?infno=9001&refresh=1")
    assert '<meta http-equiv="refresh" content="5">' in on and 'href="/inspector?infno=9001"' in on


def test_no_inspector_answers_404_as_any_unknown_address(served: Served) -> None:
    app = NationalHttp(served.gateway, inspector=None)  # yibao serve --no-inspector
    answers: list[str] = []
    for path in ("/inspector", "/inspector/login", "/inspector/export.csv", "/"):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO()}
        body = b"".join(app(environ, lambda status, headers: answers.append(status)))
        if path == "/":  # the national entry's own address: POST only
            assert answers.pop() == "405 Method Not Allowed" and b"HTTP_METHOD" in body
        else:
            assert answers.pop() == "404 Not Found" and b"HTTP_PATH_UNKNOWN" in body
