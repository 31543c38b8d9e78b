"""What observing a call (gateway/yibao/gateway/observe.py: metrics and the access log) costs on the hot path,
timed in process, beside `yibao bench --observability`'s measure through whole processes (which a busy machine
blurs): the interceptor's per-call work for a 1101 answered, with the metrics in memory and the log to /dev/null."""

from __future__ import annotations

import os
import timeit

from prometheus_client import CollectorRegistry

from yibao.domain.world import HOSPITAL
from yibao.gateway.access_log import AccessLog
from yibao.gateway.metrics import Metrics
from yibao.gateway.observe import Observer, envelope_of
from yibao.simulators.his.envelope import EnvelopeBuilder
from yibao.transactions import transactions
from yibao.v1 import person_pb2
from yibao.world.loader import load_world


def observe_cost(repeat: int = 20_000) -> dict[str, float]:
    """µs per call: reading the envelope from the request's bytes, the metrics (counter, histogram, in-flight
    gauge), and the access log's line (formatted and written)."""
    world = load_world(None)
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL)
    request = person_pb2.QueryPsnInfoRequest(header=EnvelopeBuilder(hospital).header("1101"),
                                             input=person_pb2.QueryPsnInfoInput()).SerializeToString()  # fmt: skip
    route = transactions()["1101"]
    metrics = Metrics(CollectorRegistry())
    log = AccessLog(os.devnull)
    both, counted = Observer(metrics, log), Observer(metrics, None)

    def observed(observer: Observer) -> None:  # as the interceptor does for a call answered
        gauge = metrics.in_flight.labels("grpc")
        gauge.inc()
        gauge.dec()
        observer.done("grpc", route.infno, envelope_of(route, request), ("", ""), 0.001)

    def per_call(work: object) -> float:
        return min(timeit.repeat(work, number=repeat, repeat=3)) / repeat * 1e6  # type: ignore[arg-type]

    try:
        total, metrics_only = per_call(lambda: observed(both)), per_call(lambda: observed(counted))
        envelope = per_call(lambda: envelope_of(route, request))
    finally:
        log.close()
    return {"total_us": total, "metrics_us": metrics_only - envelope, "log_us": total - metrics_only,
            "envelope_us": envelope}  # fmt: skip
