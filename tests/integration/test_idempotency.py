"""Idempotency by msgid, concurrent duplicates, racing settlements, and nothing half-written."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from lab import HOSPITAL, Item, LabRefused
from sqlalchemy import func, select

from yibao.storage import schema
from yibao.v1 import outpatient_pb2


def settlements(served) -> int:
    with served.store.read() as tx:
        return tx.conn.scalar(select(func.count()).select_from(schema.settlement))


def balance(served, psn: str = "P0001") -> str:
    with served.store.read() as tx:
        return f"{tx.account_balance(psn):.2f}"


def prepared_settle_request(lab):
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")])
    data = lab.settle_data(mdtrt_id, "300.00")
    return outpatient_pb2.SettleRequest(
        header=lab.header("2207", psn="P0001"), input=outpatient_pb2.SettleInput(data=data)
    )


def test_retry_with_same_msgid_returns_stored_reply_without_executing_again(lab, served) -> None:
    request = prepared_settle_request(lab)
    first = lab.send(request, "2207")
    # 300.00 in scope: deductible 200.00, fund 100×0.70 = 70.00, person 230.00 from the account (500.00)
    assert (first.output.setlinfo.hifp_pay, first.output.setlinfo.balc) == ("70.00", "270.00")
    served.clock.advance(seconds=40)
    request.header.inf_time = f"{served.clock():%Y-%m-%d %H:%M:%S}"  # a HIS rebuilding its envelope on retry
    again = lab.send(request, "2207")
    assert again == first  # byte for byte, same setl_id and inf_refmsgid
    assert settlements(served) == 1
    assert balance(served) == "270.00"


def test_same_msgid_with_different_body_is_refused(lab, served) -> None:
    request = prepared_settle_request(lab)
    lab.send(request, "2207")
    request.input.data.acct_used_flag = "0"
    with pytest.raises(LabRefused) as e:
        lab.send(request, "2207")
    assert (e.value.code, e.value.field, e.value.status) == (
        "ENV_MSGID_REUSED",
        "header.msgid",
        grpc.StatusCode.ALREADY_EXISTS,
    )
    assert request.header.msgid in e.value.detail.header.err_msg


def test_refusal_is_replayed_for_the_same_msgid(lab) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "10.00")])
    data = lab.settle_data(mdtrt_id, "99.00")  # wrong total
    request = outpatient_pb2.SettleRequest(
        header=lab.header("2207", psn="P0001"), input=outpatient_pb2.SettleInput(data=data)
    )
    errors = []
    for _ in range(2):
        with pytest.raises(LabRefused) as e:
            lab.send(request, "2207")
        errors.append(e.value.detail)
    assert errors[0] == errors[1] and errors[0].code == "SETL_SUMAMT_MISMATCH"
    assert "10.00" in errors[0].header.err_msg and "99.00" in errors[0].header.err_msg


def test_concurrent_identical_requests_execute_once(lab, served) -> None:
    request = prepared_settle_request(lab)
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: lab.send(request, "2207"), range(8)))
    assert len({r.output.setlinfo.setl_id for r in replies}) == 1
    assert settlements(served) == 1
    assert balance(served) == "270.00"


def test_two_racing_settlements_of_one_visit_exactly_one_wins(lab, served) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")])
    requests = [
        outpatient_pb2.SettleRequest(
            header=lab.header("2207", psn="P0001"),
            input=outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, "300.00")),
        )
        for _ in range(6)
    ]

    def attempt(request):
        try:
            return lab.send(request, "2207")
        except LabRefused as e:
            return e

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(attempt, requests))
    wins = [o for o in outcomes if not isinstance(o, LabRefused)]
    losses = [o for o in outcomes if isinstance(o, LabRefused)]
    assert len(wins) == 1 and len(losses) == 5
    assert {e.code for e in losses} == {"SETL_BATCH_SETTLED"}
    assert settlements(served) == 1
    assert balance(served) == "270.00"


def test_nothing_half_written_when_a_settlement_fails_midway(lab, served, monkeypatch) -> None:
    from yibao.storage.store import Tx

    request = prepared_settle_request(lab)

    def crash(self, **row):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Tx, "add_settlement", crash)  # after fees, account and accumulators were written
    with pytest.raises(LabRefused) as e:
        lab.send(request, "2207")
    assert e.value.code == "INTERNAL" and e.value.status == grpc.StatusCode.INTERNAL
    assert "Traceback" not in e.value.detail.header.err_msg
    assert settlements(served) == 0
    assert balance(served) == "500.00"
    with served.store.read() as tx:
        assert tx.accumulators("P0001", 2026, ["310:outpatient:dedc", "310:outpatient:fund"]) == {
            "310:outpatient:dedc": 0,
            "310:outpatient:fund": 0,
        }
        assert all(f.setl_id is None for f in tx.fees(request.input.data.mdtrt_id))
    monkeypatch.undo()
    # An internal failure is not remembered: the same msgid settles once the fault is gone.
    assert lab.send(request, "2207").output.setlinfo.hifp_pay == "70.00"
    assert settlements(served) == 1


def test_two_institutions_may_not_cancel_each_others_settlements(lab) -> None:
    reply = lab.visit_and_settle("P0001", [Item("A01", "1", "10.00")])
    s = reply.output.setlinfo
    with pytest.raises(LabRefused) as e:
        lab.cancel_settlement(s.setl_id, s.mdtrt_id, inst="H11000000002")
    assert e.value.code == "SETL_NOT_YOURS" and HOSPITAL not in e.value.detail.header.err_msg
