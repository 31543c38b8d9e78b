"""Timeouts over a real gRPC channel and reversals racing their original (threads), on SQLite and PostgreSQL.

A "lost reply" is a client deadline shorter than an artificial server delay: after the commit (the gateway
answers late) or before it (the settlement is still being written when the HIS gives up). The HIS then
follows docs/behaviour.md "Uncertain outcomes": query by msgid (Y5203), then reverse (2601) or resend the same msgid.
P0001: 300.00 in scope → deductible 200.00, fund 70.00, account 230.00 (account 500.00 → 270.00).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from lab import Item, LabRefused
from sqlalchemy import func, select

from yibao.simulators.core import settle_engine
from yibao.storage import schema
from yibao.v1 import outpatient_pb2

SLOW = 1.0  # the server's artificial delay
DEADLINE = 0.3  # the HIS gives up after this


def settle_request(lab):  # type: ignore[no-untyped-def]
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")])
    return lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, "300.00")), psn="P0001")


def ledger(served) -> tuple[str, int, int, str]:
    """Account balance, settlements, of them in force, and the deductible accumulated."""
    with served.store.read() as tx:
        s = schema.settlement
        total = tx.conn.scalar(select(func.count()).select_from(s))
        active = tx.conn.scalar(select(func.count()).where(s.c.kind == "settle", s.c.reversed_by.is_(None)))
        dedc = tx.accumulators("P0001", 2026, ["310:outpatient:dedc"])["310:outpatient:dedc"]
        return f"{tx.account_balance('P0001'):.2f}", total, active, f"{dedc:.2f}"


def refused(lab, request) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        lab.send(request, "2207")
    return e.value


def timed_out(lab, request) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as e:
        lab.send(request, "2207", timeout=DEADLINE)
    assert e.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_reply_dropped_after_commit_query_finds_it_and_retries_never_settle_twice(lab, served, monkeypatch) -> None:
    execute = served.gateway.execute

    def answer_late(route, *args):  # type: ignore[no-untyped-def]
        reply = execute(route, *args)  # committed
        if route.infno == "2207":
            time.sleep(SLOW)
        return reply

    monkeypatch.setattr(served.gateway, "execute", answer_late)
    request = settle_request(lab)
    timed_out(lab, request)
    time.sleep(SLOW)
    q = lab.query_msg(request.header.msgid, "P0001")
    assert (q.msginfo.msg_stas, q.setlinfo.hifp_pay, q.setlinfo.balc) == ("1", "70.00", "270.00")
    for _ in range(3):  # the HIS may resend the same msgid as often as it likes
        timed_out(lab, request)
    monkeypatch.undo()
    again = lab.send(request, "2207")
    assert again.output.setlinfo == q.setlinfo
    assert ledger(served) == ("270.00", 1, 1, "200.00")


def test_reply_dropped_before_commit_reversal_leaves_nothing(lab, served, monkeypatch) -> None:
    record = settle_engine.record

    def slow_record(*args, **kw):  # type: ignore[no-untyped-def]
        time.sleep(SLOW)  # the settlement is still being written when the HIS gives up
        return record(*args, **kw)

    monkeypatch.setattr(settle_engine, "record", slow_record)
    request = settle_request(lab)
    timed_out(lab, request)
    monkeypatch.undo()
    # The HIS reverses at once: the reversal waits for the original to finish, then undoes it.
    out = lab.reverse(request.header.msgid, "2207").output
    assert (out.result.rev_rslt, out.setlinfo.fund_pay_sumamt) == ("1", "-70.00")
    assert ledger(served) == ("500.00", 2, 0, "0.00")
    e = refused(lab, request)
    assert e.code == "MSG_REVERSED"
    assert ledger(served) == ("500.00", 2, 0, "0.00")


def test_query_of_a_message_still_executing_waits_for_its_outcome(lab, served, monkeypatch) -> None:
    record = settle_engine.record

    def slow_record(*args, **kw):  # type: ignore[no-untyped-def]
        time.sleep(SLOW)
        return record(*args, **kw)

    monkeypatch.setattr(settle_engine, "record", slow_record)
    request = settle_request(lab)
    timed_out(lab, request)
    q = lab.query_msg(request.header.msgid, "P0001")  # asked while the settlement is still being written
    assert (q.msginfo.msg_stas, q.setlinfo.fund_pay_sumamt) == ("1", "70.00")
    assert ledger(served) == ("270.00", 1, 1, "200.00")


def test_message_lost_before_the_platform_reversal_closes_it(lab, served, monkeypatch) -> None:
    def lost(*args, **kw):  # type: ignore[no-untyped-def]
        time.sleep(SLOW)
        raise ConnectionError("the line dropped: nothing was committed")

    monkeypatch.setattr(settle_engine, "record", lost)
    request = settle_request(lab)
    timed_out(lab, request)
    time.sleep(SLOW)
    monkeypatch.undo()
    assert lab.query_msg(request.header.msgid).msginfo.msg_stas == "0"  # an internal failure leaves no trace
    assert lab.reverse(request.header.msgid, "2207").output.result.rev_rslt == "2"
    assert refused(lab, request).code == "MSG_TOMBSTONED"
    assert ledger(served) == ("500.00", 0, 0, "0.00")


@pytest.mark.parametrize("first", ["original", "reversal"])
def test_reversal_racing_its_original_ends_in_one_consistent_state(lab, served, monkeypatch, first) -> None:
    record = settle_engine.record
    started = threading.Event()

    def slow_record(*args, **kw):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(0.3)
        return record(*args, **kw)

    monkeypatch.setattr(settle_engine, "record", slow_record)
    request = settle_request(lab)

    def original():  # type: ignore[no-untyped-def]
        try:
            return lab.send(request, "2207")
        except LabRefused as e:
            return e

    def reversal():  # type: ignore[no-untyped-def]
        return lab.reverse(request.header.msgid, "2207").output.result.rev_rslt

    with ThreadPoolExecutor(2) as pool:
        if first == "original":
            got = pool.submit(original)
            assert started.wait(5)  # the original is inside its transaction
            rev = pool.submit(reversal)
        else:
            rev = pool.submit(reversal)
            time.sleep(0.2)
            got = pool.submit(original)
        outcome, rev_rslt = got.result(), rev.result()
    if first == "original":  # executed, then undone
        assert rev_rslt == "1" and not isinstance(outcome, LabRefused)
        assert ledger(served) == ("500.00", 2, 0, "0.00")
    else:  # closed before it arrived: refused, nothing written
        assert rev_rslt == "2" and isinstance(outcome, LabRefused) and outcome.code == "MSG_TOMBSTONED"
        assert ledger(served) == ("500.00", 0, 0, "0.00")


def test_concurrent_reversals_of_one_message_undo_it_once(lab, served) -> None:
    request = settle_request(lab)
    lab.send(request, "2207")

    def reversal():  # type: ignore[no-untyped-def]
        try:
            return lab.reverse(request.header.msgid, "2207").output.result.rev_rslt
        except LabRefused as e:
            return e.code

    with ThreadPoolExecutor(6) as pool:
        outcomes = sorted(pool.map(lambda _: reversal(), range(6)))
    assert outcomes == ["1"] + ["REVERSAL_ALREADY_DONE"] * 5
    assert ledger(served) == ("500.00", 2, 0, "0.00")


def test_concurrent_reversals_of_a_message_that_never_came(lab, served) -> None:
    request = settle_request(lab)

    def reversal():  # type: ignore[no-untyped-def]
        try:
            return lab.reverse(request.header.msgid, "2207").output.result.rev_rslt
        except LabRefused as e:
            return e.code

    with ThreadPoolExecutor(6) as pool:
        outcomes = sorted(pool.map(lambda _: reversal(), range(6)))
    assert outcomes == ["2"] + ["REVERSAL_ALREADY_DONE"] * 5
    assert refused(lab, request).code == "MSG_TOMBSTONED"
    assert ledger(served) == ("500.00", 0, 0, "0.00")
