"""The HTTP server: waitress (pure-Python WSGI, a fixed thread pool) in a background thread.

Chosen by measurement (README, "JSON over HTTP"): against the standard library's
ThreadingHTTPServer it is as fast on kept-alive connections and faster when a HIS opens a
connection per call, which many do; its I/O thread reads a whole request before a worker takes it,
so slow or idle clients never hold a worker, and the pool bounds the threads.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

import waitress

from yibao.adapters.http.app import MAX_BODY

logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is normal under load


class HttpServer:
    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        threads: int = 16,
        sock: socket.socket | None = None,
    ) -> None:
        # `sock`: a listening socket to accept on instead of binding host:port, shared by the
        # worker processes of `yibao serve --workers N` (gateway/yibao/gateway/prefork.py).
        where: dict[str, Any] = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
        self._server = waitress.create_server(
            app,
            **where,
            threads=threads,
            connection_limit=1000,
            max_request_body_size=4 * MAX_BODY,  # up to here the app answers a national 413 itself
            ident="yibao-gateway",
            asyncore_use_poll=True,  # select() fails beyond 1024 descriptors
        )
        self.host = host if sock is None else sock.getsockname()[0]
        self.port = self._server.effective_port  # type: ignore[union-attr]
        self._thread = threading.Thread(target=self._server.run, name="yibao-http", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """Close the listener and every connection from inside the I/O loop, then let workers finish."""
        server: Any = self._server

        def close_all() -> None:
            for channel in list(server._map.values()):
                if channel is not server.trigger:
                    channel.close()
            server.trigger.close()

        if self._thread.is_alive():
            try:
                server.trigger.pull_trigger(close_all)
            except OSError:  # the trigger's pipe is closed already (EBADF, seen once in CI): close from here
                close_all()
            self._thread.join(timeout)
        else:
            server.close()
        server.task_dispatcher.shutdown(timeout=timeout)
