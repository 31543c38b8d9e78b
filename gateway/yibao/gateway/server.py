"""The gRPC server: one generic handler per national RPC, standard health checking and reflection.

A refusal is a non-OK status (code by category) whose rich details carry google.rpc.ErrorInfo,
google.rpc.BadRequest (the field path) and yibao.v1.ErrorDetail (with the national reply header,
infcode -1 and err_msg), so both gRPC-minded and envelope-minded clients read it naturally.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent import futures
from datetime import datetime
from typing import Any, Protocol

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from yibao.domain.world import World
from yibao.errors import Category
from yibao.gateway.dispatch import Gateway
from yibao.gateway.routes import Route
from yibao.storage.store import Store
from yibao.transactions import SERVICES
from yibao.v1.envelope_pb2 import ErrorDetail

log = logging.getLogger("yibao.gateway")

_CODES = {
    Category.ENVELOPE.value: code_pb2.INVALID_ARGUMENT,
    Category.AUTHENTICATION.value: code_pb2.PERMISSION_DENIED,
    Category.BUSINESS.value: code_pb2.FAILED_PRECONDITION,
    Category.REGION_UNAVAILABLE.value: code_pb2.UNAVAILABLE,
    Category.INTERNAL.value: code_pb2.INTERNAL,
}


def status_code(detail: ErrorDetail) -> int:
    if detail.code.startswith("AUTH_SIGN"):
        return code_pb2.UNAUTHENTICATED
    if detail.code == "ENV_MSGID_REUSED":
        return code_pb2.ALREADY_EXISTS
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


def _same(data: bytes) -> bytes:
    return data


def build_server(
    world: World,
    store: Store,
    *,
    routes: Mapping[str, Route],
    address: str,
    max_workers: int = 16,
    clock: Callable[[], datetime] = datetime.now,
    reuse_port: bool = False,
    link: Callable[[Gateway], Handler] | None = None,
) -> tuple[grpc.Server, int, Gateway]:
    """A started-ready server bound to `address` (port 0 picks a free port). Returns (server, port, gateway).

    `reuse_port` lets several worker processes bind one port (gateway/yibao/gateway/prefork.py); off by default, so a
    second gateway started on a busy port fails instead of silently sharing it. `link` makes what answers
    the calls instead of the in-process gateway: the link to the settlement core process, which uses the
    gateway for the checks before the transaction. `routes`: every transaction bound to its handler
    (yibao.adapters.platform.build_routes joins the gateway's and the settlement core's).
    """
    gateway = Gateway(world, store, routes, clock)
    handler = link(gateway) if link is not None else gateway
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="yibao"),
        options=[("grpc.so_reuseport", 1 if reuse_port else 0)],
    )
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for route in routes.values():
        by_service.setdefault(route.service, {})[route.method] = grpc.unary_unary_rpc_method_handler(
            _unary(handler, route),
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
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    return server, port, gateway
