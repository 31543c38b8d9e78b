"""The certification lab on `yibao serve --workers 2` with its settlement core process, driven by `yibao cert`:
a session's calls are carried out by whichever worker received them, on the session's own store, at the lab's
time, which every worker sees the moment it changes; reset and close reach every worker too; the platform's
own traffic still goes to the settlement core and the main store."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy import func, select
from test_lab_sessions import AMOUNTS, RETIREE, SUITE_START, HisClock, visit
from test_serve import free_port
from test_serve_workers import pid_part, processes_of, serve_two_workers, wait_serving

from yibao import platform_clock
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.hospital import certificate
from yibao.storage import schema as t
from yibao.storage.store import Store
from yibao.world.loader import load_world

HOSPITAL, OTHER = "H11010100001", "H21040200001"


def cert(http_port: int, *args: str) -> tuple[int, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "yibao.cli", "cert", "--server", f"http://127.0.0.1:{http_port}", *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout)


@pytest.mark.slow
def test_a_session_on_two_workers_and_a_core(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'yibao.db'}"
    http_port = free_port()
    proc, target = serve_two_workers(db, "--http-port", str(http_port))
    channels: list[grpc.Channel] = []
    world = load_world(None)
    try:
        probe = grpc.insecure_channel(target)
        channels.append(probe)
        wait_serving(probe)
        workers = processes_of(proc, 3)  # two gRPC workers and the core, forked last
        core = workers[-1] % 1000

        code, reply = cert(http_port, "new", "--institution", HOSPITAL, "--suite", "demo")
        assert code == 0, reply
        sid = reply["session"]["id"]
        code, reply = cert(http_port, "new", "--institution", HOSPITAL, "--suite", "demo")
        assert code == 1 and reply["error"]["code"] == "LAB_INSTITUTION_BUSY"

        # Connections until both workers have answered a session's sign-in: carried out by the worker itself
        clock, sequence = HisClock(SUITE_START), MsgidSequence()
        by_worker: dict[int, HisClient] = {}
        deadline = time.monotonic() + 60
        while len(by_worker) < 2 and time.monotonic() < deadline:
            channel = grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)])
            channels.append(channel)
            client = HisClient(channel, world.institutions[HOSPITAL], clock=clock, sequence=sequence)
            reply = client.sign_in()
            assert reply.header.refmsg_time.startswith("20260601")
            by_worker.setdefault(pid_part(reply.header.inf_refmsgid), client)
        assert set(by_worker) == {w % 1000 for w in workers[:2]}, "the session's calls reached one worker only"

        receipts = [visit(client, world, RETIREE, seed=n) for n, client in enumerate(by_worker.values())]
        assert [pid_part(r.setl_id) for r in receipts] == list(by_worker)
        # one sandbox behind both workers: the second visit's balance is the suite's less both account payments
        assert receipts[1].balc == Decimal("2000.00") - receipts[0].acct_pay - receipts[1].acct_pay

        # the platform's own traffic: the settlement core, the main store, the server's clock
        other = HisClient(probe, world.institutions[OTHER], sequence=MsgidSequence())
        reply = other.sign_in()
        assert pid_part(reply.header.inf_refmsgid) == core
        assert reply.header.refmsg_time.startswith(f"{platform_clock.now():%Y%m%d}")

        # the clock moves for every worker at once
        code, reply = cert(http_port, "clock", sid, "--advance", "3mo")
        assert code == 0 and reply["session"]["clock"]["now"].startswith("2026-09-01T09:00"), reply
        clock.set(datetime(2026, 9, 1, 9, 0))
        for client in by_worker.values():
            assert client.sign_in().header.refmsg_time.startswith("20260901")

        # reset through one worker's API, a 2207 through each worker after a reset: the same figures
        figures = []
        for client in by_worker.values():
            code, reply = cert(http_port, "reset", sid)
            assert code == 0 and reply["session"]["clock"]["now"].startswith("2026-06-01T09:00"), reply
            clock.set(SUITE_START)
            client.sign_in()
            receipt = visit(client, world, RETIREE, seed=9)
            figures.append({name: getattr(receipt, name) for name in AMOUNTS})
        assert figures[0] == figures[1]

        code, reply = cert(http_port, "status", sid)
        assert code == 0 and reply["session"]["activity"]["settlements_in_force"] == 1
        code, reply = cert(http_port, "close", sid)
        assert code == 0 and reply["session"]["status"] == "closed"
        clock.set(platform_clock.now())
        for client in by_worker.values():  # normal traffic again: the sandbox's sign-in means nothing here
            with pytest.raises(HisRefused, match="AUTH_SIGN_NO_UNKNOWN"):
                client.query_person(certificate(world.persons[RETIREE], random.Random(1)))
    finally:
        for channel in channels:
            channel.close()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    store = Store(db)
    try:
        with store.read() as tx:
            s = t.settlement.c
            assert tx.conn.scalar(select(func.count()).where(s.fixmedins_code == HOSPITAL)) == 0
            assert tx.conn.scalar(select(func.count()).where(t.journal.c.fixmedins_code == OTHER)) == 1
    finally:
        store.close()
    sandbox = Store(f"sqlite:///{tmp_path / 'yibao-lab' / 'sessions' / sid / 'store.db'}")
    try:
        with sandbox.read() as tx:
            assert tx.conn.scalar(select(func.count()).select_from(t.settlement)) == 1  # the last, since the reset
    finally:
        sandbox.close()
