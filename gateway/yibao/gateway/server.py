"""The gRPC server: one generic handler per national RPC, standard health checking and reflection.

A refusal is a non-OK status (code by category) whose rich details carry google.rpc.ErrorInfo,
google.rpc.BadRequest (the field path) and yibao.v1.ErrorDetail (with the national reply header,
infcode -1 and err_msg), so both gRPC-minded and envelope-minded clients read it naturally.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent import futures
from datetime import datetime
from typing import Any, Protocol

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import DecodeError
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from yibao import platform_clock
from yibao.domain.world import World
from yibao.errors import Category, Refusal
from yibao.gateway import gate as admission
from yibao.gateway import grpc_options, peer_identity
from yibao.gateway.dispatch import UNKNOWN_REGION, Gateway, refusal_detail
from yibao.gateway.gate import Gate
from yibao.gateway.routes import Route
from yibao.gateway.tls import TlsFiles, grpc_credentials
from yibao.storage.store import Store
from yibao.transactions import SERVICES
from yibao.v1.envelope_pb2 import ErrorDetail, RequestHeader

log = logging.getLogger("yibao.gateway")
NO_DEADLINE = 1e9  # seconds: gRPC's time_remaining() of a call without a deadline is far beyond

_CODES = {
    Category.ENVELOPE.value: code_pb2.INVALID_ARGUMENT,
    Category.AUTHENTICATION.value: code_pb2.PERMISSION_DENIED,
    Category.BUSINESS.value: code_pb2.FAILED_PRECONDITION,
    Category.REGION_UNAVAILABLE.value: code_pb2.UNAVAILABLE,
    Category.OVERLOAD.value: code_pb2.RESOURCE_EXHAUSTED,
    Category.INTERNAL.value: code_pb2.INTERNAL,
}


def status_code(detail: ErrorDetail) -> int:
    if detail.code.startswith(("AUTH_SIGN", "AUTH_TIF")) or detail.code == "AUTH_OPERATOR_REQUIRED":
        return code_pb2.UNAUTHENTICATED  # no credential, or a wrong one (request_auth.py); known but barred: DENIED
    if detail.code == "ENV_MSGID_REUSED":
        return code_pb2.ALREADY_EXISTS
    if detail.code == "CALL_DEADLINE_PASSED":
        return code_pb2.DEADLINE_EXCEEDED
    if detail.code.endswith("_NOT_FOUND"):
        return code_pb2.NOT_FOUND
    return _CODES[detail.category]


def to_status(detail: ErrorDetail) -> grpc.Status:
    def pack(msg: Any) -> any_pb2.Any:
        a = any_pb2.Any()
        a.Pack(msg)
        return a

    details = [
        pack(
            error_details_pb2.ErrorInfo(
                reason=detail.code,
                domain="yibao.gateway",
                metadata={"category": detail.category, "field": detail.field, "infcode": "-1"},
            )
        )
    ]
    if detail.field:
        details.append(
            pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(field=detail.field, description=detail.message_en)
                    ]
                )
            )
        )
    details.append(pack(detail))
    return rpc_status.to_status(
        status_pb2.Status(code=status_code(detail), message=detail.header.err_msg, details=details)
    )


class Handler(Protocol):
    """The in-process Gateway, or the link to the settlement core process (adapters/yibao/adapters/core_link.py)."""

    def handle_wire(self, infno: str, request: bytes) -> tuple[bool, bytes]: ...


def _unary(gateway: Handler, route: Route) -> Callable[[bytes, grpc.ServicerContext], bytes]:
    # Messages pass as bytes: parsed where they are handled, never once more on the way.
    def call(request: bytes, context: grpc.ServicerContext) -> bytes:
        ok, data = gateway.handle_wire(route.infno, request)
        if not ok:
            context.abort_with_status(to_status(ErrorDetail.FromString(data)))
        return data

    return call


def _gated(
    gateway: Handler, route: Route, gate: Gate, world: World, clock: Callable[[], datetime]
) -> Callable[[bytes, grpc.ServicerContext], bytes]:
    """`_unary` behind the worker's admission gate (gateway/yibao/gateway/gate.py): a call whose client has given up
    is not started, and one beyond the worker's capacity or its institution's share is refused at once."""

    def call(request: bytes, context: grpc.ServicerContext) -> bytes:
        remaining = context.time_remaining()  # ~9.2e18 without a deadline
        deadline = time.perf_counter() + remaining if remaining < NO_DEADLINE else None
        who = institution_of(route, request)
        try:
            if remaining <= 0:
                raise Refusal("CALL_DEADLINE_PASSED")
            entered = gate.enter(who, deadline)
        except Refusal as r:
            institution = world.institutions.get(who)
            region = institution.admdvs if institution is not None else UNKNOWN_REGION
            context.abort_with_status(to_status(refusal_detail(clock, r, region, clock())))
        admission.set_deadline(deadline)
        try:
            ok, data = gateway.handle_wire(route.infno, request)
        finally:
            gate.leave(entered)
        if not ok:
            context.abort_with_status(to_status(ErrorDetail.FromString(data)))
        return data

    return call


def institution_of(route: Route, request: bytes) -> str:
    """The envelope's fixmedins_code, read from the header alone: every client serializes the header (field 1)
    first, so the rest of the message is not parsed twice; otherwise the whole message is parsed ("" if it
    cannot be: the gateway refuses it after the gate)."""
    try:
        if request[:1] == b"\n":  # field 1, length-delimited
            size, shift, at = 0, 0, 1
            while True:
                byte = request[at]
                size |= (byte & 0x7F) << shift
                at += 1
                if byte < 0x80:
                    break
                shift += 7
            return RequestHeader.FromString(request[at : at + size]).fixmedins_code
        return route.request_cls.FromString(request).header.fixmedins_code  # type: ignore[no-any-return]
    except (DecodeError, IndexError):
        return ""


def _with_peer(
    call: Callable[[bytes, grpc.ServicerContext], bytes],
) -> Callable[[bytes, grpc.ServicerContext], bytes]:
    """`call` with its connection's client certificate bound for the gateway's check (peer_identity.py)."""

    def bound_call(request: bytes, context: grpc.ServicerContext) -> bytes:
        with peer_identity.bound(peer_identity.peer_of_grpc(context)):
            return call(request, context)

    return bound_call


def _same(data: bytes) -> bytes:
    return data


def build_server(
    world: World,
    store: Store,
    *,
    routes: Mapping[str, Route],
    address: str,
    max_workers: int = 16,
    clock: Callable[[], datetime] = platform_clock.now,
    reuse_port: bool = False,
    link: Callable[[Gateway], Handler] | None = None,
    interceptors: Sequence[grpc.ServerInterceptor] = (),
    gate: Gate | None = None,
    tls: TlsFiles | None = None,
) -> tuple[grpc.Server, int, Gateway]:
    """A started-ready server bound to `address` (port 0 picks a free port). Returns (server, port, gateway).

    `reuse_port` lets several worker processes bind one port (gateway/yibao/gateway/prefork.py); off by default, so a
    second gateway started on a busy port fails instead of silently sharing it. `link` makes what answers
    the calls instead of the in-process gateway: the link to the settlement core process, which uses the
    gateway for the checks before the transaction. `routes`: every transaction bound to its handler
    (yibao.adapters.platform.build_routes joins the gateway's and the settlement core's). `gate`: the worker's
    admission gate (gateway/yibao/gateway/gate.py); the server then has a thread for every call it may hold
    and a few spare (`max_workers` is ignored), and gRPC itself refuses what comes beyond that. `tls`: serve over
    TLS, and with a client CA bind each call's certificate (gateway/yibao/gateway/tls.py); else plaintext.
    """
    gateway = Gateway(world, store, routes, clock)
    handler = link(gateway) if link is not None else gateway
    threads = max_workers if gate is None else gate.threads
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="yibao"),
        options=[("grpc.so_reuseport", 1 if reuse_port else 0), *grpc_options.from_environment()],
        maximum_concurrent_rpcs=None if gate is None else threads,
        interceptors=interceptors,  # request signatures (gateway/yibao/gateway/grpc_auth.py)
    )
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for route in routes.values():
        call = _unary(handler, route) if gate is None else _gated(handler, route, gate, world, clock)
        by_service.setdefault(route.service, {})[route.method] = grpc.unary_unary_rpc_method_handler(
            _with_peer(call) if tls is not None and tls.mutual else call,
            request_deserializer=_same,
            response_serializer=_same,
        )
    for name, methods in by_service.items():
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(name, methods),))
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in [*by_service, ""]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [svc.full_name for svc in SERVICES] + [health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    port = server.add_insecure_port(address) if tls is None else server.add_secure_port(address, grpc_credentials(tls))
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    return server, port, gateway
