"""The HTTP server: waitress (pure-Python WSGI, a fixed thread pool) in a background thread.

Chosen by measurement (docs/http.md, "JSON over HTTP"): against the standard library's
ThreadingHTTPServer it is as fast on kept-alive connections and faster when a HIS opens a
connection per call, which many do; its I/O thread reads a whole request before a worker takes it,
so slow or idle clients never hold a worker, and the pool bounds the threads.

They do hold connections, though, and waitress alone lets them hold the entry: its only guard is a
limit on open connections, at which it stops accepting for everyone, and its inactivity timeout is
reset by every byte, so 1,100 idle connections, or 1,000 sending their headers a byte at a time,
shut every other HIS out. `GuardedServer` keeps the entry open (docs/http.md, "Connections"):

- a connection that has sent no request yet has `header_timeout` to send its headers, one that has
  answered its calls is closed after `idle_timeout` of quiet, and a request must arrive whole, headers
  within `header_timeout` and body within `request_timeout` of its first byte, however it trickles;
- one client address holds at most `per_client` connections, the worker at most `connections`; a new
  connection beyond either takes the place of an idle one (the client's own first, else one of the
  address holding the most), then of one whose request is still arriving; a connection whose call is
  being carried out or whose answer is being sent is never closed for another. Only when every one is
  busy is the newcomer answered HTTP 503 with a national refusal and closed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import resource
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from yibao import platform_clock
from yibao.adapters.http import national_json as nj
from yibao.adapters.http.app import MAX_BODY
from yibao.adapters.http.tls import tls_channel
from yibao.errors import Refusal
from yibao.gateway.dispatch import UNKNOWN_REGION
from yibao.ids import new_id
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ReplyHeader

log = logging.getLogger("yibao.http")
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is normal under load

LINGER = 2.0  # seconds a refused connection stays open after its 503, so that the client reads it before any reset
RESERVED_FDS = 256  # descriptors kept for everything else of the process: the store, gRPC, the core link


@dataclasses.dataclass(frozen=True)
class HttpLimits:
    """What idle and slow clients may hold of one worker process's HTTP entry (docs/http.md, "Connections")."""

    connections: int = 1000  # open connections
    per_client: int = 128  # open connections of one client address
    idle_timeout: float = 60.0  # seconds of quiet after an answer before a kept-alive connection is closed
    header_timeout: float = 15.0  # seconds from a request's first byte (or the connection's start) to its headers' end
    request_timeout: float = 60.0  # seconds from a request's first byte to its body's end
    check_interval: float = 1.0  # seconds between two looks at the connections' clocks


class GuardedChannel(HTTPChannel):
    """One connection; knows when the request it is receiving began."""

    server: GuardedServer
    addr: tuple[Any, ...]

    def __init__(self, server: GuardedServer, sock: socket.socket, addr: Any, adj: Adjustments, map: Any = None):
        super().__init__(server, sock, addr, adj, map)
        self.client = str(addr[0])
        # When the request being received began: its first byte, or for a new connection its start (it owes
        # one). None while the connection is quiet between requests.
        self.started: float | None = time.monotonic()
        server.clients.setdefault(self.client, set()).add(self)

    def received(self, data: bytes) -> bool:
        if not data or self.will_close or self.close_when_flushed:
            return bool(super().received(data))
        if self.request is None:  # as waitress would, so that we see whether this one completes
            self.request = self.parser_class(self.adj)
            if self.started is None:
                self.started = time.monotonic()
        pending = self.request
        done = bool(super().received(data))
        # Only a request that completes ends the clock: blank lines (empty requests) never reset it.
        if pending.completed and not pending.empty:
            self.started = None if self.request is None else time.monotonic()
        return done

    def del_channel(self, map: Any = None) -> None:
        super().del_channel(map)
        mine = self.server.clients.get(self.client)
        if mine is not None:
            mine.discard(self)
            if not mine:
                del self.server.clients[self.client]

    def busy(self) -> bool:
        """A call of this connection is queued or being carried out, or its answer is being sent."""
        return bool(self.requests) or bool(self.total_outbufs_len)

    def overdue(self, now: float, limits: HttpLimits) -> str | None:
        """Why this connection should be closed at `now`, if it should."""
        if self.busy() or self.will_close:
            return None
        if self.started is not None:
            request = self.request
            if request is not None and request.headers_finished:
                return "request" if now - self.started > limits.request_timeout else None
            return "headers" if now - self.started > limits.header_timeout else None
        quiet = time.time() - self.last_activity  # waitress's wall-clock time of the last byte in or out
        return "idle" if quiet > limits.idle_timeout else None


TlsGuardedChannel = tls_channel(GuardedChannel)  # HTTPS: adapters/yibao/adapters/http/tls.py


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server with HttpLimits: timeouts by the clock, limits by eviction (module docstring); over TLS
    with `ssl_context`."""

    channel_class = GuardedChannel

    def __init__(self, application: Any, limits: HttpLimits, ssl_context: ssl.SSLContext | None = None, **kw: Any):
        self.ssl_context = ssl_context
        if ssl_context is not None:
            self.channel_class = TlsGuardedChannel
        self.limits = limits
        self.clients: dict[str, set[GuardedChannel]] = {}
        self.counts = {"evicted": 0, "refused": 0, "timed_out": 0}
        self._next_check = 0.0
        self._lingering: list[tuple[float, socket.socket]] = []  # refused: (when to close, socket)
        super().__init__(application, **kw)

    def readable(self) -> bool:
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + self.limits.check_interval
            self._close_overdue(now)
        return bool(self.accepting)  # never stops accepting: room is made, or the newcomer refused, per connection

    def maintenance(self, now: float) -> None:
        self._close_overdue(time.monotonic())

    def close(self) -> None:
        for _, conn in self._lingering:
            conn.close()
        self._lingering.clear()
        super().close()

    def _close_overdue(self, now: float) -> None:
        while self._lingering and (self._lingering[0][0] <= now or len(self._lingering) > self.limits.per_client):
            self._lingering.pop(0)[1].close()
        for channel in list(self.active_channels.values()):
            why = channel.overdue(now, self.limits)
            if why is not None:
                log.info("closing an HTTP connection of %s: %s timeout", channel.client, why)
                self.counts["timed_out"] += 1
                channel.will_close = True  # closed by the I/O loop at its next turn

    def handle_accept(self) -> None:
        try:
            pair = self.accept()
            if pair is None:
                return
            conn, addr = pair
            self.set_socket_options(conn)
        except OSError:  # as waitress: a bogus socket, or one its client closed already
            if self.adj.log_socket_errors:
                log.warning("HTTP accept() failed", exc_info=True)
            return
        addr = self.fix_addr(addr)
        client = str(addr[0])
        refusal = self._make_room(client)
        if refusal is not None:
            self.counts["refused"] += 1
            _refuse(conn, refusal)
            self._lingering.append((time.monotonic() + LINGER, conn))
            return
        self.channel_class(self, conn, addr, self.adj, map=self._map)

    def _make_room(self, client: str) -> Refusal | None:
        """Room for one more connection of `client`, by closing a connection that can spare it; else why not."""
        limits = self.limits
        mine = self.clients.get(client, set())
        if len(mine) >= limits.per_client:
            victim = _victim(mine, {})
            if victim is None:
                return Refusal("HTTP_CLIENT_CONNECTIONS", "", client=client, count=len(mine), max=limits.per_client)
            self._evict(victim)
        if len(self.active_channels) >= limits.connections:
            victim = _victim(self.active_channels.values(), {c: len(s) for c, s in self.clients.items()})
            if victim is None:
                return Refusal("HTTP_CONNECTIONS_BUSY", "", max=limits.connections)
            self._evict(victim)
        return None

    def _evict(self, victim: GuardedChannel) -> None:
        log.info("closing an HTTP connection of %s to make room", victim.client)
        self.counts["evicted"] += 1
        victim.handle_close()  # at once, in the I/O thread: no call of its is under way


def _victim(channels: Iterable[GuardedChannel], held: dict[str, int]) -> GuardedChannel | None:
    """The connection to close for a newcomer: idle before one still receiving a request, the address holding
    most (`held`) first, the longest quiet first; never one whose call is under way or whose answer is leaving."""
    spare = [c for c in channels if not c.busy() and not c.will_close]
    if not spare:
        return None
    return min(spare, key=lambda c: (c.started is not None, -held.get(c.client, 0), c.last_activity))


def _refuse(conn: socket.socket, refusal: Refusal) -> None:
    """HTTP 503 with the national refusal, best effort, and the end of the stream; closed LINGER seconds later: a
    socket closed with the client's request unread would send a reset, which may destroy the answer unread."""
    now = platform_clock.now()
    header = ReplyHeader(infcode=-1, inf_refmsgid=new_id(UNKNOWN_REGION, now), refmsg_time=compact_ms(now),
                         respond_time=compact_ms(now), err_msg=nj.safe_text(refusal.err_msg))  # fmt: skip
    body = nj.encode_reply(header, None)
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json;charset=UTF-8\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        conn.setblocking(False)
        conn.send(head.encode() + body)
        conn.shutdown(socket.SHUT_WR)


def _descriptors_for(connections: int) -> int:
    """Raise the soft limit on open files to hold `connections` (up to the hard limit); returns what fits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + RESERVED_FDS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < wanted:
        fits = max(soft - RESERVED_FDS, 16)
        log.warning("open files limited to %d: HTTP connections limited to %d per process", soft, fits)
        return fits
    return connections


class HttpServer:
    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        threads: int = 16,
        sock: socket.socket | None = None,
        limits: HttpLimits | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # `sock`: a listening socket to accept on instead of binding host:port, shared by the
        # worker processes of `yibao serve --workers N` (gateway/yibao/gateway/prefork.py). `ssl_context`: HTTPS.
        limits = limits or HttpLimits()
        connections = _descriptors_for(limits.connections)
        if connections < limits.connections:
            limits = dataclasses.replace(limits, connections=connections)
        where: dict[str, Any] = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
        adj = Adjustments(
            **where,
            threads=threads,
            connection_limit=limits.connections + 1,  # ours is enforced by GuardedServer; this one never bites
            channel_timeout=max(1, int(limits.idle_timeout)),  # unused: GuardedServer.maintenance replaces it
            max_request_body_size=4 * MAX_BODY,  # up to here the app answers a national 413 itself
            ident="yibao-gateway",
            asyncore_use_poll=True,  # select() fails beyond 1024 descriptors
        )
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(threads)
        if sock is not None:
            sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
            self._server = GuardedServer(app, limits, ssl_context, map={}, _sock=sock, dispatcher=dispatcher, adj=adj,
                                         bind_socket=False, sockinfo=sockinfo)  # fmt: skip
        else:
            self._server = GuardedServer(app, limits, ssl_context, map={}, dispatcher=dispatcher, adj=adj,
                                         sockinfo=adj.listen[0])  # fmt: skip
        self.limits = limits
        self.host = host if sock is None else sock.getsockname()[0]
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="yibao-http", daemon=True)

    @property
    def counts(self) -> dict[str, int]:
        """Connections closed to make room (evicted), newcomers refused, connections closed by a timeout."""
        return dict(self._server.counts)

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
