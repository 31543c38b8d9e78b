"""The simulated HIS against the real gateway over gRPC (platform on the wall clock, like `yibao serve`)."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import grpc
import pytest

from yibao.adapters.platform import build_server
from yibao.domain.world import World
from yibao.simulators.his import hospital
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.hospital import active_persons, run_outpatient_visit, simulate
from yibao.simulators.his.receipt import Receipt
from yibao.storage.store import Store
from yibao.v1 import outpatient_pb2 as opb
from yibao.world.loader import load_world

TEST_WORLD = Path(__file__).parents[1] / "test_world.json"
HOSPITAL = "H11000000001"


@contextmanager
def gateway(world: World, store: Store) -> Iterator[str]:
    server, port, _ = build_server(world, store, address="127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


@contextmanager
def fresh_store(path: Path, world: World) -> Iterator[Store]:
    store = Store(f"sqlite:///{path}")
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    try:
        yield store
    finally:
        store.close()


def test_simulate_settles_every_visit_and_signs_out(world: World, store: Store) -> None:
    out = io.StringIO()
    with gateway(world, store) as target:
        assert simulate(target, 6, str(TEST_WORLD), seed=2, fixmedins_code=HOSPITAL, out=out) == 0
        # A second run against the same store gets a new sign-in session and new outpatient numbers.
        # It starts in the next second: within one second two independent clients could meet on a
        # 4-digit msgid sequence (they start apart, not necessarily far enough; see MsgidSequence).
        time.sleep(1.01 - datetime.now().microsecond / 1e6)
        assert simulate(target, 2, str(TEST_WORLD), seed=2, fixmedins_code=HOSPITAL, out=io.StringIO()) == 0
    text = out.getvalue()
    assert text.count("门诊医保结算单") == 6
    assert "成功 ok 6, 失败 failed 0" in text
    for infno in ("9001", "1101", "2201", "2203", "2204", "2206", "2207", "9002"):
        assert f"\n  {infno} " in text


def _visits(target: str, world: World, seed: int, n: int) -> list[Receipt]:
    with grpc.insecure_channel(target) as channel:
        client = HisClient(channel, world.institutions[HOSPITAL])
        rng = random.Random(seed)
        persons = active_persons(world)
        return [run_outpatient_visit(client, world, rng.choice(persons), rng) for _ in range(n)]


def _essence(r: Receipt) -> tuple[Any, ...]:
    """What a seed fixes: who, which items at what price, and every amount."""
    items = tuple((i.med_list_codg, i.cnt, i.pric, i.det_item_fee_sumamt, i.inscp_scp_amt) for i in r.items)
    money = (r.medfee_sumamt, r.fund_pay_sumamt, r.psn_part_amt, r.acct_pay, r.psn_cash_pay, r.balc)
    return (r.psn_no, r.insutype, r.mdtrt_cert_type, r.diag_code, items, money)


def test_same_seed_same_visits(world: World, tmp_path: Path) -> None:
    runs = []
    for name in ("a.db", "b.db"):
        with fresh_store(tmp_path / name, world) as store, gateway(world, store) as target:
            runs.append([_essence(r) for r in _visits(target, world, seed=11, n=5)])
    assert runs[0] == runs[1]
    assert len({r[0] for r in runs[0]}) > 1  # several patients, not one repeated


class TamperingClient(HisClient):
    """Claims a wrong total in every third pre-settlement, so the platform refuses it
    (SETL_SUMAMT_MISMATCH) whatever the world's policy; records which undo calls succeed."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.pre_settlements = 0
        self.undone: list[str] = []

    def pre_settle(self, data: opb.SettleData, infno: str = "2206") -> Any:
        self.pre_settlements += 1
        if self.pre_settlements % 3 == 1:
            tampered = opb.SettleData()
            tampered.CopyFrom(data)
            tampered.medfee_sumamt = "0.01"
            data = tampered
        return super().pre_settle(data, infno)

    def cancel_fees(self, data: Any) -> Any:
        reply = super().cancel_fees(data)
        self.undone.append("2205")
        return reply

    def cancel_registration(self, data: Any) -> Any:
        reply = super().cancel_registration(data)
        self.undone.append("2202")
        return reply


def test_a_refused_visit_is_undone(world: World, store: Store) -> None:
    with gateway(world, store) as target, grpc.insecure_channel(target) as channel:
        client = TamperingClient(channel, world.institutions[HOSPITAL])
        with pytest.raises(HisRefused) as refused:
            run_outpatient_visit(client, world, world.persons["P0001"], random.Random(1))
        assert (refused.value.infno, refused.value.code) == ("2206", "SETL_SUMAMT_MISMATCH")
        assert refused.value.status_code == grpc.StatusCode.FAILED_PRECONDITION
        assert refused.value.err_msg.startswith("[SETL_SUMAMT_MISMATCH]")
        assert client.undone == ["2205", "2202"]  # both accepted by the platform


def test_simulate_reports_a_refused_visit_and_goes_on(
    world: World, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hospital, "HisClient", TamperingClient)
    out = io.StringIO()
    with gateway(world, store) as target:
        assert simulate(target, 7, str(TEST_WORLD), seed=5, fixmedins_code=HOSPITAL, out=out) == 1
    text = out.getvalue()
    assert "2206 被拒 refused [FAILED_PRECONDITION]: [SETL_SUMAMT_MISMATCH]" in text
    assert "SETL_SUMAMT_MISMATCH  e.g." in text  # in the summary's failures by code
    assert text.count("门诊医保结算单") >= 1  # the other visits still settled


def test_demo_world_runs_as_the_cli_would(tmp_path: Path) -> None:
    world = load_world(None)
    with fresh_store(tmp_path / "demo.db", world) as store, gateway(world, store) as target:
        assert simulate(target, 8, None, seed=1, out=io.StringIO()) == 0
