"""Every call counted and logged where it enters and leaves the process: metrics (metrics.py) and the access log
(access_log.py), from the gRPC server's interceptor here and the HTTP entry's WSGI wrapper
(adapters/yibao/adapters/http/observed.py). Both see a call whole, refusals before the gateway included (the
admission gate's GATEWAY_BUSY, a bad signature, malformed JSON), and neither changes it: a failure to observe is
logged, never answered."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import grpc
from google.protobuf.message import DecodeError
from google.rpc import status_pb2

from yibao.gateway.access_log import AccessEntry, AccessLog
from yibao.gateway.metrics import AMOUNTS, SETTLEMENTS, Metrics
from yibao.gateway.tracing import Tracer
from yibao.transactions import Transaction, transactions
from yibao.v1.envelope_pb2 import ErrorDetail, RequestHeader

log = logging.getLogger("yibao.observe")
STATUS_DETAILS = "grpc-status-details-bin"


class Envelope(NamedTuple):
    """The envelope fields a call is logged with ("" when the request had none that could be read)."""

    msgid: str = ""
    institution: str = ""
    opter: str = ""
    opter_name: str = ""


NO_ENVELOPE = Envelope()


class Observer:
    """Metrics, the access log and traces (tracing.py) of this process; each may be off."""

    def __init__(self, metrics: Metrics | None, access: AccessLog | None, tracer: Tracer | None = None) -> None:
        self.metrics, self.access, self.tracer = metrics, access, tracer

    def done(
        self,
        transport: str,
        infno: str,
        envelope: Envelope,
        refusal: tuple[str, str],
        seconds: float,
        setlinfo: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        """One call answered; `refusal`: (code, field), ("", "") when carried out; `setlinfo`: the settlement's
        amounts, read only when they are counted (a settlement carried out)."""
        code, field = refusal
        try:
            if self.metrics is not None:
                self.metrics.observe(transport, infno, code, seconds)
                if setlinfo is not None and not code and infno in SETTLEMENTS:
                    self.metrics.settled(infno, dict(setlinfo()))
            if self.access is not None or self.tracer is not None:
                entry = AccessEntry(transport, infno, *envelope, code, field, seconds)
                if self.access is not None:
                    self.access.write(entry)
                if self.tracer is not None:
                    self.tracer.span(entry)
        except Exception:  # observing must never fail the call
            log.exception("could not observe %s %s msgid %s", transport, infno, envelope.msgid)


class ObservingInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """The gRPC side: each national transaction's call timed, counted and logged (health and reflection not)."""

    def __init__(self, observer: Observer) -> None:
        self.observer = observer
        self.by_path = {tx.path: tx for tx in transactions().values()}
        # method path -> (the server's handler, its observed wrapper): the server hands the same handler for a
        # path every call, so the wrapper is made once, not once a call
        self._wrapped: dict[str, tuple[Any, Any]] = {}

    def intercept_service(self, continuation: Callable[[Any], Any], details: Any) -> Any:
        handler = continuation(details)
        cached = self._wrapped.get(details.method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        route = self.by_path.get(details.method)
        if handler is None or route is None or handler.unary_unary is None:
            return handler
        wrapped = grpc.unary_unary_rpc_method_handler(
            self._observed(handler.unary_unary, route),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
        self._wrapped[details.method] = (handler, wrapped)
        return wrapped

    def _observed(self, inner: Callable[[Any, Any], Any], route: Transaction) -> Callable[[Any, Any], Any]:
        observer = self.observer
        in_flight = observer.metrics.in_flight.labels("grpc") if observer.metrics is not None else None

        def call(request: bytes, context: grpc.ServicerContext) -> Any:
            started = time.perf_counter()
            if in_flight is not None:
                in_flight.inc()
            try:
                reply = inner(request, context)
            except BaseException:
                seconds = time.perf_counter() - started
                observer.done("grpc", route.infno, envelope_of(route, request), refusal_of(context), seconds)
                raise
            finally:
                if in_flight is not None:
                    in_flight.dec()
            seconds = time.perf_counter() - started
            observer.done("grpc", route.infno, envelope_of(route, request), ("", ""), seconds,
                          lambda: setlinfo_of(route, reply))  # fmt: skip
            return reply

        return call


def envelope_of(route: Transaction, request: bytes) -> Envelope:
    """The request's envelope fields, read from its header alone when it comes first (every client sends it so)."""
    try:
        if isinstance(request, bytes) and request[:1] == b"\n":  # field 1, length-delimited
            size, shift, at = 0, 0, 1
            while True:
                byte = request[at]
                size |= (byte & 0x7F) << shift
                at += 1
                if byte < 0x80:
                    break
                shift += 7
            h = RequestHeader.FromString(request[at : at + size])
        else:
            h = route.request_cls.FromString(request).header
    except (DecodeError, IndexError, TypeError):
        return NO_ENVELOPE
    return Envelope(h.msgid, h.fixmedins_code, h.opter, h.opter_name)


def refusal_of(context: grpc.ServicerContext) -> tuple[str, str]:
    """(code, field) of a call the server aborted: the catalogue's ErrorDetail in the status details, else the
    gRPC status ("GRPC_" + its name), else INTERNAL (the call raised)."""
    for key, value in context.trailing_metadata() or ():
        if key == STATUS_DETAILS:
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                if detail.Is(ErrorDetail.DESCRIPTOR):
                    unpacked = ErrorDetail()
                    detail.Unpack(unpacked)
                    return unpacked.code, unpacked.field
    code = context.code()
    return (f"GRPC_{code.name}", "") if code is not None else ("INTERNAL", "")


def setlinfo_of(route: Transaction, reply: bytes) -> dict[str, str]:
    info = route.reply_cls.FromString(reply).output.setlinfo
    return {part: getattr(info, part) for part in AMOUNTS}
