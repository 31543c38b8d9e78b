"""Optional OpenTelemetry traces (gateway/yibao/gateway/tracing.py): one span a call, over gRPC, with the call's
infno, msgid, institution and outcome, and an error status naming the code of a refusal."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from conftest import Clock
from lab import Lab, LabRefused

from yibao.adapters.platform import build_server
from yibao.domain.world import World
from yibao.gateway.observe import Observer, ObservingInterceptor
from yibao.gateway.tracing import Tracer
from yibao.storage.store import Store
from yibao.v1 import person_pb2

pytest.importorskip("opentelemetry.sdk.trace")
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101198006150011", psn_cert_type="01")
)


@pytest.fixture
def traced(world: World, store: Store, clock: Clock) -> Iterator[tuple[Lab, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    observer = Observer(None, None, Tracer(exporter=exporter))
    server, port, _ = build_server(world, store, address="127.0.0.1:0", clock=clock,
                                   interceptors=[ObservingInterceptor(observer)])  # fmt: skip
    server.start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield Lab(channel, clock), exporter
    server.stop(grace=None)


def test_one_span_a_call(traced: tuple[Lab, InMemorySpanExporter]) -> None:
    lab, exporter = traced
    lab.sign_in()
    lab.call("1101", QUERY)
    with pytest.raises(LabRefused):
        lab.call("1101", QUERY, msgid="")
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["grpc 9001", "grpc 1101", "grpc 1101"]
    ok, refused = spans[1], spans[2]
    assert ok.kind == SpanKind.SERVER and ok.status.status_code == StatusCode.UNSET
    assert ok.attributes is not None and refused.attributes is not None
    assert ok.attributes["yibao.infno"] == "1101" and ok.attributes["yibao.institution"] == "H11000000001"
    assert str(ok.attributes["yibao.msgid"]).startswith("H11000000001") and ok.attributes["yibao.outcome"] == "ok"
    assert refused.status.status_code == StatusCode.ERROR and refused.status.description == "ENV_REQUIRED"
    assert refused.attributes["yibao.code"] == "ENV_REQUIRED" and refused.attributes["yibao.field"] == "header.msgid"
    assert ok.end_time is not None and ok.start_time is not None and ok.end_time > ok.start_time
    assert ok.resource.attributes["service.name"] == "yibao-gateway"
