"""Metrics and the access log (docs/observability.md) over real gRPC and HTTP: every call counted once by
transport, infno and outcome, refusals by code (the transport's own included), latency per infno, settlements
and their amounts, and one JSON line per call with personal data masked."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from conftest import Clock
from http_lab import HttpHis
from lab import Item, Lab, LabRefused
from prometheus_client import CollectorRegistry

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.observed import ObservedHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_server
from yibao.domain.world import World
from yibao.gateway.access_log import AccessLog
from yibao.gateway.metrics import Metrics
from yibao.gateway.observe import Observer, ObservingInterceptor
from yibao.storage.store import Store
from yibao.v1 import person_pb2

CERT_NO = "110101198006150011"  # P0001's ID number: never in the log
QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no=CERT_NO, psn_cert_type="01")
)


@dataclass
class Observed:
    lab: Lab
    his: HttpHis
    metrics: Metrics
    access: AccessLog
    log: Path
    http_port: int

    def value(self, name: str, **labels: str) -> float:
        return self.metrics.registry.get_sample_value(name, labels) or 0.0

    def lines(self) -> list[dict[str, object]]:
        self.access.flush()  # written by a thread of its own
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]


@pytest.fixture
def observed(
    world: World, store: Store, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Observed]:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    metrics = Metrics(CollectorRegistry())
    log = tmp_path / "access.log"
    access = AccessLog(str(log))
    observer = Observer(metrics, access)
    server, port, gateway = build_server(world, store, address="127.0.0.1:0", clock=clock,
                                         interceptors=[ObservingInterceptor(observer)])  # fmt: skip
    server.start()
    http = HttpServer(ObservedHttp(NationalHttp(gateway), observer), port=0, threads=4)
    http.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    lab = Lab(channel, clock)
    his = HttpHis(f"http://127.0.0.1:{http.port}", Lab(channel, clock))
    yield Observed(lab, his, metrics, access, log, http.port)
    his.close()
    channel.close()
    http.stop()
    server.stop(grace=None)


def test_a_settled_visit_over_grpc(observed: Observed) -> None:
    reply = observed.lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")])
    info = reply.output.setlinfo
    for infno in ("9001", "2201", "2204", "2207"):  # sign-in, register, upload, settle: one call each
        assert observed.value("yibao_calls_total", transport="grpc", infno=infno, outcome="ok") == 1
        assert observed.value("yibao_call_duration_seconds_count", transport="grpc", infno=infno) == 1
    assert observed.value("yibao_settlements_total", infno="2207") == 1
    assert observed.value("yibao_settled_yuan_total", infno="2207", part="medfee_sumamt") == 300.0
    for part in ("fund_pay_sumamt", "acct_pay", "psn_cash_pay"):
        assert observed.value("yibao_settled_yuan_total", infno="2207", part=part) == float(
            Decimal(getattr(info, part))
        )
    assert Decimal(info.fund_pay_sumamt) + Decimal(info.psn_part_amt) == Decimal("300.00")
    assert observed.value("yibao_calls_in_flight", transport="grpc") == 0
    assert observed.value("yibao_refusals_total", transport="grpc", infno="2207", code="SETTLE_ALREADY") == 0

    lines = observed.lines()
    assert [line["infno"] for line in lines] == ["9001", "2201", "2204", "2207"]
    settle = lines[-1]
    assert settle["transport"] == "grpc" and settle["outcome"] == "ok" and settle["code"] == ""
    assert settle["institution"] == "H11000000001" and str(settle["msgid"]).startswith("H11000000001")
    assert settle["opter"] == "OP01" and settle["opter_name"] == "收**甲"  # 收费员甲, masked
    assert isinstance(settle["ms"], float) and settle["ms"] > 0
    assert str(settle["time"])[-6:] == "+08:00"  # the platform's time, with its offset


def test_a_refusal_over_grpc_is_counted_by_code_and_logged_without_personal_data(observed: Observed) -> None:
    observed.lab.sign_in()
    with pytest.raises(LabRefused):
        observed.lab.call("1101", QUERY, msgid="")
    assert observed.value("yibao_refusals_total", transport="grpc", infno="1101", code="ENV_REQUIRED") == 1
    assert observed.value("yibao_calls_total", transport="grpc", infno="1101", outcome="refused") == 1
    assert observed.value("yibao_calls_total", transport="grpc", infno="1101", outcome="ok") == 0
    observed.lab.call("1101", QUERY)
    assert observed.value("yibao_calls_total", transport="grpc", infno="1101", outcome="ok") == 1
    refused = observed.lines()[1]
    assert (refused["outcome"], refused["code"], refused["field"], refused["msgid"]) == (
        "refused", "ENV_REQUIRED", "header.msgid", "")  # fmt: skip
    assert CERT_NO not in json.dumps(observed.lines(), ensure_ascii=False)


def test_http_calls_and_the_transports_own_refusals(observed: Observed) -> None:
    observed.his.sign_in()
    answer = observed.his.call(
        "1101", {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": CERT_NO, "psn_cert_type": "01"}}
    )
    assert answer.infcode == 0, answer.body
    malformed = observed.his.post(b'{"infno": "1101", "msgid": ')
    malformed.assert_refused("HTTP_JSON_MALFORMED")
    unknown = observed.his.post({"infno": "1101"}, path="/no/such/path")
    unknown.assert_refused("HTTP_PATH_UNKNOWN")
    assert observed.value("yibao_calls_total", transport="http", infno="9001", outcome="ok") == 1
    assert observed.value("yibao_calls_total", transport="http", infno="1101", outcome="ok") == 1
    assert observed.value("yibao_refusals_total", transport="http", infno="1101", code="HTTP_JSON_MALFORMED") == 1
    # refused before its body was read: no infno to count it under
    assert observed.value("yibao_refusals_total", transport="http", infno="unknown", code="HTTP_PATH_UNKNOWN") == 1
    assert observed.value("yibao_calls_total", transport="grpc", infno="1101", outcome="ok") == 0
    lines = observed.lines()
    assert [(line["transport"], line["infno"], line["code"]) for line in lines] == [
        ("http", "9001", ""), ("http", "1101", ""), ("http", "1101", "HTTP_JSON_MALFORMED"),
        ("http", "", "HTTP_PATH_UNKNOWN")]  # fmt: skip
    assert lines[1]["institution"] == "H11000000001" and lines[1]["opter_name"] == "收**甲"
    assert CERT_NO not in json.dumps(observed.lines(), ensure_ascii=False)


def test_metrics_endpoint(observed: Observed) -> None:
    observed.lab.sign_in()
    conn = http.client.HTTPConnection("127.0.0.1", observed.http_port, timeout=10)
    conn.request("GET", "/metrics")
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/plain; version=0.0.4")
    assert 'yibao_calls_total{infno="9001",outcome="ok",transport="grpc"} 1.0' in text
    assert "# TYPE yibao_call_duration_seconds histogram" in text
    assert [line["infno"] for line in observed.lines()] == ["9001"]  # a scrape is not a call
