"""The transaction inspector's pages (server-rendered HTML): filters, one transaction's findings,
rule trace, request and reply, escaping, and no external assets."""

from __future__ import annotations

import re
from html import unescape

import pytest
from http_lab import HttpHis
from lab import Item, Lab, LabRefused

from yibao.v1 import person_pb2


def page(his: HttpHis, path: str) -> tuple[int, str]:
    status, raw, headers = his.request("GET", path)
    assert headers["content-type"].startswith("text/html")
    return status, raw.decode()


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="tx-(\d+)">', html)]


def settle_visit(lab: Lab) -> tuple[str, str, object]:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "2", "50.00"), Item("C03", "1", "30.00")])
    out = lab.settle(mdtrt_id, "130.00").output
    return mdtrt_id, out.setlinfo.setl_id, out


def test_list_and_filters(his: HttpHis, lab: Lab) -> None:
    mdtrt_id, setl_id, _ = settle_visit(lab)
    with_refusal = lab.register("P0002")
    with pytest.raises(LabRefused):
        lab.settle(with_refusal, "1.00", psn="P0002")
    status, html = page(his, "/inspector")
    assert status == 200 and len(row_ids(html)) >= 6
    assert "2207 门诊结算" in html
    _, only = page(his, f"/inspector?setl_id={setl_id}")
    assert len(row_ids(only)) == 1 and "2207" in only
    _, visit = page(his, f"/inspector?mdtrt_id={mdtrt_id}")
    assert len(row_ids(visit)) == 3  # 2201, 2204, 2207
    _, person = page(his, "/inspector?psn_no=P0002&outcome=refused")
    assert len(row_ids(person)) == 1 and "refused" in person
    _, by_infno = page(his, "/inspector?infno=9001&fixmedins_code=H11000000001")
    assert len(row_ids(by_infno)) == 1
    _, none = page(his, "/inspector?msgid=NOPE")
    assert 'id="no-results"' in none
    assert page(his, "/")[0] == 200  # a browser pointed at the gateway lands on the inspector


def test_detail_of_a_settlement_shows_findings_trace_request_and_reply(his: HttpHis, lab: Lab) -> None:
    _, setl_id, out = settle_visit(lab)
    _, listing = page(his, f"/inspector?setl_id={setl_id}")
    (tx_id,) = row_ids(listing)
    status, html = page(his, f"/inspector/tx/{tx_id}")
    assert status == 200
    text = unescape(html)
    assert 'id="findings"' in html and "通过 passed" in text
    assert 'id="trace"' in html
    for row in out.setldetail:  # type: ignore[attr-defined]
        assert row.setl_proc_info and row.setl_proc_info in text
    assert "<td>A01</td>" in html and "<td>C03</td>" in html  # the item split lists the settled items
    assert f'"setl_id": "{setl_id}"' in text  # the reply, decoded from the stored protobuf
    assert '"medfee_sumamt": "130.00"' in text  # the request
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_detail_of_a_refusal_shows_the_catalogue_entry(his: HttpHis, lab: Lab) -> None:
    q = person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="<script>alert(1)</script>", psn_cert_type="01")
    with pytest.raises(LabRefused):
        lab.call("1101", person_pb2.QueryPsnInfoInput(data=q))
    _, listing = page(his, "/inspector?outcome=refused&infno=1101")
    (tx_id,) = row_ids(listing)
    _, html = page(his, f"/inspector/tx/{tx_id}")
    assert "PSN_CERT_UNKNOWN" in html and "input.data.mdtrt_cert_no" in html and "business" in html
    assert "<script>alert(1)</script>" not in html  # escaped everywhere
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="trace"' not in html


def test_unknown_pages(his: HttpHis) -> None:
    assert page(his, "/inspector/tx/999999")[0] == 404
    assert page(his, "/inspector/nothing")[0] == 404
    status, raw, _ = his.request("GET", "/healthz")
    assert (status, raw) == (200, b"ok\n")
