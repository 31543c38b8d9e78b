"""A HIS that signs its calls (docs/security.md): a gRPC client interceptor adding the signature metadata.

`grpc.intercept_channel(channel, SigningInterceptor(keys))` gives a channel on which every national call is
signed with the key of the institution its envelope names (x-tif-timestamp, x-tif-nonce, x-tif-signature,
x-tif-paasid, and x-yibao-operator for an operator's key); an institution without a key sends its calls
unsigned. The signed body is the request serialized as the channel then serializes it for the wire: the same
message gives the same bytes (the protos have no map fields, whose order could vary); were they ever to differ,
the gateway would refuse the call, never take a wrong one.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

import grpc

from yibao.request_signing import ClientKey, signed_values


class _Details(grpc.ClientCallDetails):  # type: ignore[misc]
    def __init__(self, base: Any, metadata: list[tuple[str, str]]) -> None:
        self.method, self.timeout, self.credentials = base.method, base.timeout, base.credentials
        self.wait_for_ready, self.compression = base.wait_for_ready, base.compression
        self.metadata = metadata


class SigningInterceptor(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    """Signs each call with its institution's key. `unix_time`: the client's clock (seconds since the epoch)."""

    def __init__(self, keys: Mapping[str, ClientKey], unix_time: Callable[[], float] = time.time) -> None:
        self.keys, self.unix_time = dict(keys), unix_time

    def intercept_unary_unary(self, continuation: Callable[..., Any], details: Any, request: Any) -> Any:
        header = getattr(request, "header", None)
        if header is None or (key := self.keys.get(header.fixmedins_code)) is None:
            return continuation(details, request)
        body = request.SerializeToString()
        values = signed_values(key, infno=header.infno, fixmedins_code=header.fixmedins_code, body=body,
                               unix_time=int(self.unix_time()), nonce=secrets.token_hex(16))  # fmt: skip
        metadata = [*(details.metadata or ()), *values.items()]
        return continuation(_Details(details, metadata), request)


def signing_channel(channel: grpc.Channel, keys: Mapping[str, ClientKey] | None) -> grpc.Channel:
    """`channel`, signing every call of an institution in `keys` (None or empty: unchanged)."""
    return grpc.intercept_channel(channel, SigningInterceptor(keys)) if keys else channel
