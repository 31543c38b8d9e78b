"""YIBAO_GRPC_SERVER_OPTIONS reaches the gRPC server build_server makes (gateway/yibao/gateway/grpc_options.py), gated
or not, beside its own options; unset, the server is built as before."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from yibao.adapters.platform import build_routes
from yibao.domain.world import World
from yibao.gateway import server as server_module
from yibao.gateway.gate import Gate
from yibao.gateway.grpc_options import ENVIRONMENT
from yibao.gateway.server import build_server
from yibao.storage.store import Store


def test_the_variables_options_reach_the_server_and_nothing_else_changes(
    world: World, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[list[tuple[str, Any]]] = []
    real = grpc.server

    def spy(*args: Any, **kwargs: Any) -> grpc.Server:
        built.append(list(kwargs["options"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(server_module.grpc, "server", spy)
    for text in ("", "grpc.server.max_pending_requests=64,grpc.server.max_pending_requests_hard_limit=256"):
        monkeypatch.setenv(ENVIRONMENT, text)
        server, _, _ = build_server(world, store, routes=build_routes(), address="127.0.0.1:0", gate=Gate())
        server.stop(None)
    assert built[0] == [("grpc.so_reuseport", 0)]
    assert built[1] == [
        ("grpc.so_reuseport", 0),
        ("grpc.server.max_pending_requests", 64),
        ("grpc.server.max_pending_requests_hard_limit", 256),
    ]
