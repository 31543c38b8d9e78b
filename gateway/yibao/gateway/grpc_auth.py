"""Request signatures on gRPC: a server interceptor that hands each national call's metadata and bytes to
`RequestAuth.check` (gateway/yibao/gateway/request_auth.py) before the gateway sees the call, exactly as the
HTTP entry does with its headers. Health checking and reflection pass untouched.

The metadata keys are the HTTP headers' names, lower case: x-tif-timestamp, x-tif-nonce, x-tif-signature,
x-tif-paasid, x-yibao-operator. A refusal is the gateway's rich status (UNAUTHENTICATED for a missing or wrong
signature, PERMISSION_DENIED for a caller who is known but not allowed); it is not journaled, as an unsigned
HTTP request is not: the gateway never saw it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc

from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.gateway.dispatch import UNKNOWN_REGION, refusal_detail
from yibao.gateway.request_auth import GRPC_METADATA, Credentials, RequestAuth
from yibao.gateway.routes import Route
from yibao.gateway.server import institution_of, to_status
from yibao.request_signing import CARRIED

# The fixmedins_code a verified client certificate was issued to (mutual TLS), or None: the transport's peer
# identity, given by whoever sets up TLS (docs/security.md, "Transport security").
PeerInstitution = Callable[[grpc.ServicerContext], str | None]


def no_peer_identity(context: grpc.ServicerContext) -> str | None:
    return None


class SigningInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    def __init__(
        self, auth: RequestAuth, routes: dict[str, Route], world: World, peer: PeerInstitution = no_peer_identity
    ) -> None:
        self.auth, self.world, self.peer = auth, world, peer
        self.by_method = {f"/{r.service}/{r.method}": r for r in routes.values()}
        self._wrapped: dict[str, tuple[Any, Any]] = {}  # method → (the server's handler, its checked wrapper)

    def intercept_service(self, continuation: Callable[[Any], Any], details: Any) -> Any:
        handler = continuation(details)
        route = self.by_method.get(details.method)
        if route is None or handler is None or handler.unary_unary is None:
            return handler
        known = self._wrapped.get(details.method)
        if known is not None and known[0] is handler:  # the server's handlers are made once: so is their wrapper
            return known[1]
        behaviour = handler.unary_unary

        def checked(request: bytes, context: grpc.ServicerContext) -> bytes:
            self._check(route, request, context)
            return behaviour(request, context)  # type: ignore[no-any-return]

        wrapped = grpc.unary_unary_rpc_method_handler(
            checked, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
        )
        self._wrapped[details.method] = (handler, wrapped)
        return wrapped

    def _check(self, route: Route, request: bytes, context: grpc.ServicerContext) -> None:
        code = institution_of(route, request)
        metadata = context.invocation_metadata() or ()
        values = {k: v for k, v in metadata if k in CARRIED and isinstance(v, str)}
        try:
            self.auth.check(route.infno, code, request, Credentials(values, GRPC_METADATA, self.peer(context)))
        except Refusal as r:
            institution = self.world.institutions.get(code)
            region = institution.admdvs if institution is not None else UNKNOWN_REGION
            now = self.auth.clock()
            context.abort_with_status(to_status(refusal_detail(self.auth.clock, r, region, now)))
