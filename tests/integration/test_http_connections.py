"""The HTTP entry stays open to every HIS while others hold connections idle or send their requests a byte at a
time (issue 17, item 5; adapters/yibao/adapters/http/server.py, docs/http.md "Connections").

The attackers connect from other loopback addresses (127.0.0.2 and up: all of 127/8 is the machine itself), so
the limit per client address applies to them and not to the HIS that must still be served, from 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from yibao.adapters.http.server import HttpLimits, HttpServer

DEADLINE = 60.0  # seconds; generous: the machine is shared


def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    if environ.get("PATH_INFO") == "/slow":
        RELEASE.wait(DEADLINE)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


RELEASE = threading.Event()


@contextlib.contextmanager
def serving(limits: HttpLimits | None = None, threads: int = 4) -> Iterator[HttpServer]:
    RELEASE.clear()
    server = HttpServer(app, port=0, threads=threads, limits=limits)
    server.start()
    try:
        yield server
    finally:
        RELEASE.set()
        server.stop()


def connect(port: int, source: str) -> socket.socket:
    """A connection from `source`, non-blocking (so that looking whether it was closed never waits)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE, source_address=(source, 0))
    sock.setblocking(False)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed `sock` (it never sends these anything else)."""
    try:
        return sock.recv(1 << 16, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def still_open(socks: list[socket.socket], gone: set[socket.socket]) -> int:
    gone.update(s for s in socks if s not in gone and closed_by_server(s))
    return len(socks) - len(gone)


def normal_calls(port: int, count: int = 10) -> list[int]:
    """`count` requests of a HIS from 127.0.0.1, each on a connection of its own; their statuses."""
    statuses = []
    for _ in range(count):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE, source_address=("127.0.0.1", 0))
        conn.request("GET", "/")
        reply = conn.getresponse()
        assert reply.read() == b"ok"
        statuses.append(reply.status)
        conn.close()
    return statuses


def wait_until(condition: Any, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < end, what
        time.sleep(0.05)


def test_hundreds_of_idle_connections_from_one_address_take_only_its_share() -> None:
    with serving() as server:
        limits = server.limits
        idle = [connect(server.port, "127.0.0.2") for _ in range(600)]
        gone: set[socket.socket] = set()
        try:
            assert normal_calls(server.port) == [200] * 10
            # the server made room for each beyond the limit by closing the address's own longest idle one
            wait_until(lambda: still_open(idle, gone) <= limits.per_client, "one address kept more than its share")
            assert still_open(idle, gone) == limits.per_client
            assert server.counts["evicted"] >= 600 - limits.per_client
            assert server.counts["refused"] == 0
            assert not any(closed_by_server(s) for s in idle[-limits.per_client :])  # the newest stay
        finally:
            for sock in idle:
                sock.close()


def test_1100_idle_connections_from_many_addresses_leave_the_entry_open() -> None:
    """Each address under its share, all of them beyond the worker's connections: waitress alone stopped
    accepting at its limit, for everyone; now the address holding most gives up an idle one."""
    limits = HttpLimits(connections=500, per_client=128)
    with serving(limits) as server:
        idle = [connect(server.port, f"127.0.0.{2 + i % 11}") for i in range(1100)]
        gone: set[socket.socket] = set()
        try:
            assert normal_calls(server.port) == [200] * 10
            wait_until(lambda: still_open(idle, gone) <= limits.connections - 1, "more connections than the limit")
            assert server.counts["refused"] == 0
        finally:
            for sock in idle:
                sock.close()


def test_slow_headers_are_closed_after_the_header_timeout_and_others_are_served_meanwhile() -> None:
    limits = HttpLimits(header_timeout=1.0, check_interval=0.1)
    with serving(limits) as server:
        slow = []
        for i in range(300):  # slowloris: headers begun, never finished, from three addresses
            sock = connect(server.port, f"127.0.0.{3 + i % 3}")
            sock.sendall(b"POST /fsi/api/signInSignOutService/signIn HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
        trickle = connect(server.port, "127.0.0.9")  # one byte at a time, fast enough to beat any idle timeout
        blank = connect(server.port, "127.0.0.10")  # blank lines, which waitress reads as empty requests
        silent = connect(server.port, "127.0.0.11")  # connects and sends nothing
        header = b"POST / HTTP/1.1\r\nX-Slow: " + b"a" * 1000
        gone: set[socket.socket] = set()
        try:
            assert normal_calls(server.port) == [200] * 10  # served while they hold their connections
            start = time.monotonic()
            for byte in header:
                if closed_by_server(trickle):
                    break
                with contextlib.suppress(OSError):
                    trickle.send(bytes([byte]))
                    blank.send(b"\r\n")
                time.sleep(0.05)
                assert time.monotonic() - start < DEADLINE, "a trickling request was never closed"
            assert closed_by_server(trickle) or closed_by_server(trickle)
            wait_until(lambda: still_open([*slow, blank, silent], gone) == 0, "slow headers were never closed")
            assert server.counts["timed_out"] >= 303
            assert normal_calls(server.port, 2) == [200, 200]
        finally:
            for sock in [*slow, trickle, blank, silent]:
                sock.close()


def test_a_kept_alive_connection_is_closed_after_the_idle_timeout_but_never_during_its_call() -> None:
    limits = HttpLimits(idle_timeout=1.0, check_interval=0.1)
    with serving(limits) as server:
        kept = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
        kept.request("GET", "/")
        assert kept.getresponse().read() == b"ok"
        busy = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
        busy.request("GET", "/slow")  # its call lasts longer than the idle timeout
        assert kept.sock is not None
        wait_until(lambda: closed_by_server(kept.sock), "an idle kept-alive connection was never closed")  # type: ignore[arg-type]
        time.sleep(2 * limits.idle_timeout)
        RELEASE.set()
        reply = busy.getresponse()
        assert (reply.status, reply.read()) == (200, b"ok")  # its answer arrives whole
        busy.close()
        kept.close()


def test_a_client_whose_every_connection_is_busy_is_refused_with_a_national_503_and_others_are_served() -> None:
    limits = HttpLimits(per_client=3)
    with serving(limits, threads=6) as server:
        busy = []
        for _ in range(3):
            conn = http.client.HTTPConnection(
                "127.0.0.1", server.port, timeout=DEADLINE, source_address=("127.0.0.2", 0)
            )
            conn.request("GET", "/slow")
            busy.append(conn)
        partial = connect(server.port, "127.0.0.3")
        partial.sendall(b"GET / HTTP/1.1\r\n")  # headers begun: may be closed to make room, unlike a busy one
        wait_until(lambda: _calls_running(server) == 3, "calls start")
        extra = connect(server.port, "127.0.0.2")
        extra.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        extra.settimeout(DEADLINE)
        answer = b""
        while chunk := extra.recv(65536):
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503 "), answer
        reply = json.loads(body)
        assert reply["infcode"] == -1 and reply["output"] is None
        assert reply["err_msg"].startswith("[HTTP_CLIENT_CONNECTIONS] "), reply
        assert "127.0.0.2" in reply["err_msg"] and "3" in reply["err_msg"]
        assert normal_calls(server.port, 2) == [200, 200]  # another address is served
        assert server.counts["refused"] == 1
        RELEASE.set()
        for conn in busy:  # no busy connection was closed for the newcomer
            reply_ = conn.getresponse()
            assert (reply_.status, reply_.read()) == (200, b"ok")
            conn.close()
        assert not closed_by_server(partial)  # below the worker's limit: nobody had to make room
        partial.close()
        extra.close()


def _calls_running(server: HttpServer) -> int:
    return sum(1 for c in list(server._server.active_channels.values()) if c.requests)


@pytest.mark.parametrize("connections", [3])
def test_at_the_workers_limit_a_request_still_arriving_gives_way_but_a_call_under_way_does_not(
    connections: int,
) -> None:
    limits = HttpLimits(connections=connections, per_client=10)
    with serving(limits, threads=6) as server:
        busy = []
        for _ in range(2):
            conn = http.client.HTTPConnection(
                "127.0.0.1", server.port, timeout=DEADLINE, source_address=("127.0.0.4", 0)
            )
            conn.request("GET", "/slow")
            busy.append(conn)
        wait_until(lambda: _calls_running(server) == 2, "calls start")
        partial = connect(server.port, "127.0.0.5")
        partial.sendall(b"GET / HTTP/1.1\r\n")
        wait_until(lambda: len(server._server.active_channels) == 3, "the partial request is accepted")
        assert normal_calls(server.port, 1) == [200]  # room made: the partial request, not a call, gave way
        wait_until(lambda: closed_by_server(partial), "the partial request was not closed")
        assert server.counts["evicted"] >= 1
        RELEASE.set()
        for conn in busy:
            reply = conn.getresponse()
            assert (reply.status, reply.read()) == (200, b"ok")
            conn.close()
        partial.close()
