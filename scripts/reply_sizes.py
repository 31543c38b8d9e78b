"""Reply sizes at the fee-item limits (docs/limits.md): a stay of N items uploaded
in 2301 batches and settled by one 2304, then every reply that could carry them — 2304, 5203, Y5203 of the 2304
and of one 2301 batch, 2601 of the 2304 — and an outpatient visit of N items (2207, Y2208 of one item), and a
pharmacy sale of one call's maximum (2102). Prints each reply's size in bytes against a default gRPC client's
4 MiB and the seconds each call took.

    .venv/bin/python scripts/reply_sizes.py                     # at the limits (FEE_ITEMS_PER_SETTLEMENT, …)
    .venv/bin/python scripts/reply_sizes.py --items 42000 --batch 15000   # any other shape (refused beyond the limits)

Served in process over real gRPC on a temporary SQLite file with the test world (tests/test_world.json) and the
tests' scripted HIS (tests/lab.py); the client channel takes up to 256 MiB, so sizes above 4 MiB are measured
too. A script, not a test: tests/integration/test_fee_item_limits.py holds the same replies to a default client.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lab import HOSPITAL, Item, Lab  # noqa: E402

from yibao.adapters.platform import build_server  # noqa: E402
from yibao.domain.fee_limits import FEE_ITEMS_PER_CALL, FEE_ITEMS_PER_SETTLEMENT  # noqa: E402
from yibao.storage.store import Store  # noqa: E402
from yibao.v1 import inpatient_pb2, outpatient_pb2, reversal_pb2  # noqa: E402
from yibao.world.loader import load_world  # noqa: E402

DEFAULT_MAX = 4 * 1024 * 1024
ITEMS = [Item("A01", "1", "3.00"), Item("B02", "2", "4.50"), Item("C03", "1", "1.20"), Item("CT1", "1", "200.00")]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 15, 10, 0, 0)

    def __call__(self) -> datetime:
        return self.now


def measured(rows: list[tuple[str, int, float]], what: str, call: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    reply = call()
    rows.append((what, reply.ByteSize(), time.perf_counter() - started))
    return reply


def items(n: int) -> list[Item]:
    return [ITEMS[i % len(ITEMS)] for i in range(n)]


def total_of(results: list[Any]) -> str:
    return f"{sum((Decimal(r.det_item_fee_sumamt) for r in results), Decimal('0.00')):.2f}"


def stay(lab: Lab, rows: list[tuple[str, int, float]], n: int, batch: int) -> None:
    mdtrt_id = lab.admit("P0001")
    results: list[Any] = []
    first = last = None
    for start in range(0, n, batch):
        fees = [lab.stay_fee(mdtrt_id, "P0001", i) for i in items(min(batch, n - start))]
        last = lab.build("2301", inpatient_pb2.InpatientFeeInput(feedetail=fees), psn="P0001")
        started = time.perf_counter()
        reply = lab.send(last, "2301", timeout=600)
        first = first or (last.header.msgid, reply.ByteSize(), time.perf_counter() - started)
        results.extend(reply.output.result)
    assert first is not None and last is not None
    rows.append((f"first 2301 reply ({min(batch, n)} items)", first[1], first[2]))
    measured(rows, "2601 reply of the last 2301", lambda: _reverse(lab, last.header.msgid, "2301"))
    again = lab.build("2301", last.input, psn="P0001")  # the same items again, under a new msgid
    measured(rows, f"2301 reply (the last, {len(last.input.feedetail)} items)", lambda: lab.send(again, "2301"))
    lab.discharge(mdtrt_id, "P0001")
    data = inpatient_pb2.InpatientSettleData(
        psn_no="P0001", mdtrt_cert_type="01", mdtrt_cert_no="EC0001", medfee_sumamt=total_of(results),
        psn_setlway="01", mdtrt_id=mdtrt_id, acct_used_flag="1", insutype="310", mid_setl_flag="0",
    )  # fmt: skip
    request = lab.build("2304", inpatient_pb2.InpatientSettleInput(data=data), psn="P0001")
    reply = measured(rows, f"2304 reply ({n} items)", lambda: lab.send(request, "2304", timeout=600))
    setl = reply.output.setlinfo
    measured(rows, "5203 reply", lambda: lab.query_setl(setl.setl_id, mdtrt_id, "P0001"))
    measured(rows, "Y5203 reply of the 2304", lambda: _query(lab, request.header.msgid))
    measured(rows, "Y5203 reply of the first 2301", lambda: _query(lab, first[0]))
    measured(rows, "2601 reply of the 2304", lambda: _reverse(lab, request.header.msgid, "2304"))


def visit(lab: Lab, rows: list[tuple[str, int, float]], n: int, batch: int) -> None:
    mdtrt_id = lab.register("P0003")
    results: list[Any] = []
    for start in range(0, n, batch):
        results.extend(lab.upload(mdtrt_id, items(min(batch, n - start)), psn="P0003").output.result)
    data = outpatient_pb2.CancelFeeDetailsData(mdtrt_id=mdtrt_id, psn_no="P0003", chrg_bchno="0000")
    cancel = lab.build("2205", outpatient_pb2.CancelFeeDetailsInput(data=data), psn="P0003")
    measured(rows, f'2205 reply ("0000", {n} items)', lambda: lab.send(cancel, "2205", timeout=600))
    measured(rows, "2601 reply of the 2205", lambda: _reverse(lab, cancel.header.msgid, "2205", "P0003"))
    request = lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, total_of(results),
                                                                                 "P0003")), psn="P0003")  # fmt: skip
    reply = measured(rows, f"2207 reply ({n} items)", lambda: lab.send(request, "2207", timeout=600))
    setl = reply.output.setlinfo
    measured(rows, "Y5203 reply of the 2207", lambda: _query(lab, request.header.msgid))
    sn = results[0].feedetl_sn
    measured(rows, "Y2208 reply (one item back)", lambda: _refund(lab, setl.setl_id, mdtrt_id, sn))


def sale(lab: Lab, rows: list[tuple[str, int, float]], n: int) -> None:
    reply = measured(rows, f"2102 reply ({n} items)", lambda: lab.pharmacy("P0001", items(n)))
    msgid = reply.output.setlinfo.medins_setl_id
    measured(rows, "Y5203 reply of the 2102", lambda: _query(lab, msgid, "P11000000001"))


def _query(lab: Lab, msgid: str, inst: str = HOSPITAL) -> Any:
    data = reversal_pb2.MessageQueryData(omsgid=msgid)
    return lab.call("Y5203", reversal_pb2.MessageQueryInput(data=data), inst)


def _reverse(lab: Lab, msgid: str, infno: str, psn: str = "P0001") -> Any:
    data = reversal_pb2.ReversalData(psn_no=psn, omsgid=msgid, oinfno=infno)
    return lab.call("2601", reversal_pb2.ReversalInput(data=data), psn=psn)


def _refund(lab: Lab, setl_id: str, mdtrt_id: str, sn: str) -> Any:
    data = reversal_pb2.RefundItemsData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no="P0003")
    inp = reversal_pb2.RefundItemsInput(data=data, refddetail=[reversal_pb2.RefundItem(feedetl_sn=sn)])
    return lab.call("Y2208", inp, psn="P0003")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=FEE_ITEMS_PER_SETTLEMENT, help="items of the stay and visit")
    parser.add_argument("--batch", type=int, default=FEE_ITEMS_PER_CALL, help="items per 2301/2204 call")
    args = parser.parse_args()
    world = load_world(ROOT / "tests" / "test_world.json")
    rows: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="yibao-sizes-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'yibao.db'}")
        store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        clock = Clock()
        server, port, _ = build_server(world, store, address="127.0.0.1:0", clock=clock)
        server.start()
        big = [("grpc.max_receive_message_length", 256 * 1024 * 1024)]
        channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=big)
        try:
            lab = Lab(channel, clock)
            stay(lab, rows, args.items, args.batch)
            visit(lab, rows, args.items, args.batch)
            sale(lab, rows, min(args.batch, FEE_ITEMS_PER_CALL))
        finally:
            channel.close()
            server.stop(grace=None)
            store.close()
    print(f"{'reply':40} {'bytes':>12} {'of 4 MiB':>9} {'seconds':>8}")
    for what, size, seconds in rows:
        print(f"{what:40} {size:12,d} {size / DEFAULT_MAX:9.1%} {seconds:8.2f}")


if __name__ == "__main__":
    main()
