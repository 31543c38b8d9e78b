"""The HTTP server stops cleanly even when its I/O loop's wake-up pipe is already closed
(adapters/yibao/adapters/http/server.py)."""

from __future__ import annotations

import socket

from yibao.adapters.http.server import HttpServer


def app(environ: dict[str, object], start_response: object) -> list[bytes]:
    start_response("200 OK", [])  # type: ignore[operator]
    return [b"ok"]


def test_stop_with_the_trigger_already_closed_closes_everything_and_ends_the_loop() -> None:
    server = HttpServer(app, port=0, threads=1)
    server.start()
    server._server.trigger.close()  # type: ignore[union-attr]  # as when its pipe reported an error
    server.stop(timeout=5)
    assert not server._thread.is_alive()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(server.port))) != 0  # the listener is closed
