"""The admission gate (gateway/yibao/gateway/gate.py): slots, a bounded wait, an institution's share of the waiting
calls, slots handed to institutions in turn, and deadlines. Threads stand in for calls; no timing is asserted
beyond "a waiting call got its slot" (each wait has a generous bound)."""

from __future__ import annotations

import threading
import time

import pytest

from yibao.errors import Refusal
from yibao.gateway.gate import Gate


def refused(gate: Gate, who: str, deadline: float | None = None) -> str:
    with pytest.raises(Refusal) as e:
        gate.enter(who, deadline)
    return e.value.code


class Waiting:
    """A call waiting at the gate on a thread of its own; `order` records when each got its slot."""

    def __init__(self, gate: Gate, who: str, order: list[str]) -> None:
        self.got = threading.Event()
        self.error: Refusal | None = None

        def run() -> None:
            try:
                entered = gate.enter(who)
            except Refusal as r:
                self.error = r
                self.got.set()
                return
            order.append(who)
            self.got.set()
            self.entered = entered

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()


def wait_until(condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "the condition never held"
        time.sleep(0.005)


def test_within_the_slots_a_call_enters_at_once_and_beyond_slots_and_waiting_it_is_refused_busy() -> None:
    gate = Gate(slots=2, waiting=0)
    first, second = gate.enter("A"), gate.enter("B")
    assert refused(gate, "C") == "GATEWAY_BUSY"
    assert gate.refused == 1 and gate.load() == (2, 0)
    gate.leave(first)
    gate.leave(gate.enter("C"))
    gate.leave(second)
    assert gate.load() == (0, 0)


def test_the_busy_refusal_says_when_to_retry_in_both_languages() -> None:
    gate = Gate(slots=1, waiting=0)
    gate.enter("A")
    with pytest.raises(Refusal) as e:
        gate.enter("A")
    r = e.value
    ms = r.params["retry_after_ms"]
    assert isinstance(ms, int) and 10 <= ms <= 2000
    assert f"{ms} 毫秒后重试" in r.message_zh and f"retry after {ms} ms" in r.message_en
    assert r.err_msg.startswith("[GATEWAY_BUSY] ")


def test_one_institution_holds_at_most_its_share_of_the_waiting_calls_and_another_still_gets_in() -> None:
    gate = Gate(slots=1, waiting=4, share=0.5)  # two waiting calls per institution
    held = gate.enter("FLOOD")
    order: list[str] = []
    flood = [Waiting(gate, "FLOOD", order) for _ in range(2)]
    wait_until(lambda: gate.load() == (1, 2))
    assert refused(gate, "FLOOD") == "GATEWAY_BUSY"  # its share is taken, though the worker has room
    other = Waiting(gate, "OTHER", order)
    wait_until(lambda: gate.load() == (1, 3))
    gate.leave(held)  # the flooder's first waiting call, then the other's turn before the flooder's second
    assert flood[0].got.wait(5)
    gate.leave(flood[0].entered)
    assert other.got.wait(5) and other.error is None
    gate.leave(other.entered)
    assert flood[1].got.wait(5)
    gate.leave(flood[1].entered)
    assert order == ["FLOOD", "OTHER", "FLOOD"] and gate.load() == (0, 0)


def test_a_call_whose_deadline_passes_while_it_waits_is_refused_and_gives_its_place_back() -> None:
    gate = Gate(slots=1, waiting=2)
    held = gate.enter("A")
    assert refused(gate, "B", time.perf_counter() + 0.05) == "CALL_DEADLINE_PASSED"
    assert refused(gate, "B", time.perf_counter() - 1) == "CALL_DEADLINE_PASSED"  # passed already: no wait
    assert gate.expired == 2 and gate.load() == (1, 0)
    gate.leave(held)
    assert gate.load() == (0, 0)


def test_bad_limits_are_refused() -> None:
    for kw in ({"slots": 0}, {"waiting": -1}, {"share": 0.0}, {"share": 1.5}):
        with pytest.raises(ValueError):
            Gate(**kw)  # type: ignore[arg-type]
