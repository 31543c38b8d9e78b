"""Bounded admission per worker, fair shares per institution: beyond capacity a call is refused at once
(GATEWAY_BUSY, "retry after N ms"; gRPC RESOURCE_EXHAUSTED), never queued without limit.

A gateway worker carries out at most `slots` calls at once (forwarded to the settlement core, or run in
process); up to `waiting` more wait for a slot, at most `share` of them from one institution, and a freed
slot goes to the institutions with waiting calls in turn (round robin), so one institution flooding the
worker cannot take another's turn: the other waits behind at most one of the flooder's calls per slot. A call
waits at most MAX_WAIT seconds and never past its client's deadline; then it is refused without having been
started. A refused call wrote nothing (no msgid claimed, no journal row): Y5203 says it never arrived, and it
may be resent under the same msgid.

Why here and not in gRPC: the sync gRPC server queues calls beyond its thread pool in an unbounded queue
(measured before this gate: 27,500 calls waiting, p50 12 s, the worker 59 → 561 MB), and its own limit
(`maximum_concurrent_rpcs`) refuses without our catalogued detail. So the server's pool has a thread for
every call the gate may hold plus SPARE_THREADS to answer refusals, and `maximum_concurrent_rpcs` is that
pool's size: calls never wait in gRPC's queue, and gRPC's bare RESOURCE_EXHAUSTED is the last resort when even
the spare threads are taken (gateway/yibao/gateway/server.py).

Cost on the hot path (`yibao bench` prints it): one lock taken twice and two clock reads per call when no
call waits; the server also reads the institution from the envelope's header (gateway/yibao/gateway/server.py).

The client's deadline is kept for the call (`deadline()`: CLOCK_MONOTONIC, as time.perf_counter, one clock for
every process of the host) and passed with the admission to whoever carries it out (Gateway.admit), which does
not start a call whose deadline has passed (gateway/yibao/gateway/dispatch.py).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from yibao.errors import Refusal

MAX_WAIT = 1.0  # seconds a call waits for a slot at most (a core stalled by a slow fsync): then refused busy
SPARE_THREADS = 8  # server threads beyond slots + waiting: they answer refusals while the others wait
DEFAULT_WAITING = 32
DEFAULT_SHARE = 0.5
MIN_RETRY_MS, MAX_RETRY_MS = 10, 2000

_call = threading.local()  # the deadline of the call this thread serves


def set_deadline(deadline: float | None) -> None:
    """The current call's client deadline (time.perf_counter() seconds), or None: no deadline."""
    _call.deadline = deadline


def deadline() -> float | None:
    return getattr(_call, "deadline", None)


class _Waiter:
    __slots__ = ("granted", "lock", "who")

    def __init__(self, who: str) -> None:
        self.who = who
        self.granted = False
        self.lock = threading.Lock()
        self.lock.acquire()


class Gate:
    """`enter(institution, deadline)` before a call, `leave(entered)` after it (`entered`: what enter returned)."""

    def __init__(self, slots: int = 16, waiting: int = DEFAULT_WAITING, share: float = DEFAULT_SHARE) -> None:
        if slots < 1 or waiting < 0 or not 0 < share <= 1:
            raise ValueError("slots must be at least 1, waiting at least 0, share in (0, 1]")
        self.slots, self.waiting_limit, self.share = slots, waiting, share
        self.per_institution = max(1, math.floor(waiting * share))  # waiting calls of one institution at most
        self._lock = threading.Lock()
        self._running = 0
        self._waiting = 0
        self._queues: dict[str, deque[_Waiter]] = {}  # institutions with waiting calls, in turn order
        self._hold = 0.005  # seconds a call holds its slot, smoothed: what "retry after" is estimated from
        self.refused = 0  # calls refused busy
        self.expired = 0  # calls whose deadline passed while they waited

    @property
    def threads(self) -> int:
        """Server threads for every call the gate may hold, and the spares that answer refusals."""
        return self.slots + self.waiting_limit + SPARE_THREADS

    def enter(self, who: str, deadline: float | None = None) -> float:
        """Wait for a slot; returns the time it was entered. Raises Refusal GATEWAY_BUSY when the worker is full or
        `who` holds its share of the waiting calls, or when no slot came within MAX_WAIT, and CALL_DEADLINE_PASSED
        when `deadline` (time.perf_counter()) passed first."""
        with self._lock:
            if self._running < self.slots and not self._waiting:
                self._running += 1
                return time.perf_counter()
            queue = self._queues.get(who)
            if self._waiting >= self.waiting_limit or (queue is not None and len(queue) >= self.per_institution):
                self.refused += 1
                raise self._busy()
            waiter = _Waiter(who)
            if queue is None:
                queue = self._queues[who] = deque()
            queue.append(waiter)
            self._waiting += 1
        now = time.perf_counter()
        patience = MAX_WAIT if deadline is None else min(MAX_WAIT, deadline - now)
        if patience > 0 and waiter.lock.acquire(timeout=patience):
            return time.perf_counter()
        with self._lock:
            if waiter.granted:  # the slot came this instant
                return time.perf_counter()
            queue = self._queues[who]
            queue.remove(waiter)
            if not queue:
                del self._queues[who]
            self._waiting -= 1
            if deadline is not None and time.perf_counter() >= deadline:
                self.expired += 1
                raise Refusal("CALL_DEADLINE_PASSED")
            self.refused += 1
            raise self._busy()

    def leave(self, entered: float) -> None:
        """The call is done: its slot goes to the next institution's first waiting call, or is free."""
        held = time.perf_counter() - entered
        with self._lock:
            self._hold += (held - self._hold) / 16
            if not self._waiting:
                self._running -= 1
                return
            who, queue = next(iter(self._queues.items()))
            waiter = queue.popleft()
            del self._queues[who]
            if queue:  # its turn is over: to the back of the line
                self._queues[who] = queue
            self._waiting -= 1
            waiter.granted = True
            waiter.lock.release()

    def _busy(self) -> Refusal:
        """A slot frees every hold/slots seconds: the calls waiting now are served in about that times their count."""
        ms = self._hold * (self._waiting + 1) / self.slots * 1000
        return Refusal("GATEWAY_BUSY", retry_after_ms=min(MAX_RETRY_MS, max(MIN_RETRY_MS, math.ceil(ms))))

    def load(self) -> tuple[int, int]:
        """(calls holding a slot, calls waiting)."""
        with self._lock:
            return self._running, self._waiting
