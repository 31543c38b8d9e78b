"""Optional OpenTelemetry traces: one span a call (`yibao serve --traces FILE|-`; docs/observability.md).

Only when the OpenTelemetry SDK is installed (`pip install -e '.[otel]'`): the span is made when the call is
answered, from the time it arrived (the observer knows both), so tracing adds nothing to a call's path but the
span's export, which the SDK's batch processor does on a thread of its own. Spans are written as JSON by the SDK's
console exporter, one line a span, to a file or standard output. Not done: reading a caller's trace context
(`traceparent`) and a child span for the settlement core's transaction across the core link.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from yibao.gateway.access_log import AccessEntry

SERVICE = "yibao-gateway"


class TracingUnavailable(RuntimeError):
    """The OpenTelemetry SDK is not installed; the text says how to install it."""


class Tracer:
    """Makes one span a call; `exporter`: the SDK's span exporter (a test's in-memory one), else the console
    exporter writing to `out`."""

    def __init__(self, out: TextIO | None = None, exporter: Any = None) -> None:
        try:
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
        except ImportError:
            raise TracingUnavailable(
                "--traces needs the OpenTelemetry SDK: pip install -e '.[otel]' (opentelemetry-api, opentelemetry-sdk)"
            ) from None
        self.provider = TracerProvider(resource=Resource.create({"service.name": SERVICE}))
        if exporter is not None:
            self.provider.add_span_processor(SimpleSpanProcessor(exporter))
        else:
            # one line a span (the SDK's default is indented JSON over many lines)
            console = ConsoleSpanExporter(out=out, formatter=lambda span: span.to_json(indent=None) + "\n")
            self.provider.add_span_processor(BatchSpanProcessor(console))
        self.tracer = self.provider.get_tracer("yibao.gateway")

    def span(self, entry: AccessEntry) -> None:
        from opentelemetry.trace import SpanKind, Status, StatusCode

        ended = time.time_ns()
        span = self.tracer.start_span(
            f"{entry.transport} {entry.infno or 'unknown'}",
            kind=SpanKind.SERVER,
            start_time=ended - int(entry.seconds * 1e9),
            attributes={
                "rpc.system": "grpc" if entry.transport == "grpc" else "http",
                "yibao.infno": entry.infno,
                "yibao.msgid": entry.msgid,
                "yibao.institution": entry.institution,
                "yibao.outcome": "refused" if entry.code else "ok",
                "yibao.code": entry.code,
                "yibao.field": entry.field,
            },
        )
        if entry.code:
            span.set_status(Status(StatusCode.ERROR, entry.code))
        span.end(end_time=ended)

    def close(self) -> None:
        self.provider.shutdown()  # the batch's last spans exported
