"""`yibao serve --workers 2`: two processes answer on one port and share the store, either carrying out
their calls themselves or forwarding them to the settlement core process (the default on SQLite).

Which process carried a call out is visible in the reply itself: every platform id (inf_refmsgid,
mdtrt_id, setl_id) carries the node number and that process's pid modulo 1000 (simulators/core/ids.py).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import select
from test_serve import free_port

from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.hospital import active_persons, certificate, run_outpatient_visit
from yibao.storage import schema as t
from yibao.storage.store import Store
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import person_pb2 as ppb
from yibao.world.loader import load_world

HOSPITAL = "H11010100001"  # the demo world's, as `yibao serve` loads it
JOURNAL_REFUSALS = select(t.journal.c.msgid, t.journal.c.outcome, t.journal.c.err_code).where(
    t.journal.c.outcome != "ok", t.journal.c.infno == "1101"
)


def pid_part(platform_id: str) -> int:
    """region(6) + yyyyMMddHHmmss(14) + node(2) + pid % 1000 (3) + counter(5)."""
    return int(platform_id[22:25])


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_serving(channel: grpc.Channel) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
            return
        except grpc.RpcError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def serve_two_workers(db: str, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`yibao serve --workers 2` on `db`; returns the supervisor and the target."""
    port = free_port()
    command = ["serve", "--workers", "2", "--port", str(port), "--http-port", "0", "--db", db, "--threads", "4", *extra]
    proc = subprocess.Popen(
        [sys.executable, "-m", "yibao.cli", *command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return proc, f"127.0.0.1:{port}"


def processes_of(proc: subprocess.Popen[str], count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while len(found := children(proc.pid)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(found) == count, found
    return found


def test_two_workers_answer_on_one_port_and_share_the_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'yibao.db'}"
    # --no-core-process: each worker carries out its own calls (the arrangement for PostgreSQL, where the
    # gateways of several hosts share the store, each host with its node number)
    proc, target = serve_two_workers(db, "--no-core-process", "--node", "7")
    channels: list[grpc.Channel] = []
    try:
        probe = grpc.insecure_channel(target)
        channels.append(probe)
        wait_serving(probe)
        workers = processes_of(proc, 2)
        by_pid = {w % 1000: w for w in workers}

        # The kernel spreads connections by their addresses: open connections (each channel its own,
        # not gRPC's process-wide shared one) until one client is served by each worker. Until the second
        # worker serves, every connection goes to the first: on a slow machine that takes a while.
        world = load_world(None)
        sequence = MsgidSequence()  # one institution, one process: one msgid sequence
        clients: dict[int, HisClient] = {}
        deadline = time.monotonic() + 60
        for attempt in range(300):
            channel = grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)])
            channels.append(channel)
            client = HisClient(channel, world.institutions[HOSPITAL], sequence=sequence)
            served_by = pid_part(client.sign_in().header.inf_refmsgid)
            assert served_by in by_pid
            clients.setdefault(served_by, client)
            if len(clients) == 2 or time.monotonic() > deadline:
                break
            if attempt >= 20:  # not yet: the second worker is likely still starting
                time.sleep(0.2)
        assert len(clients) == 2, "every connection went to the same worker"

        rng = random.Random(6)
        persons = [p for p in active_persons(world) if p.insurances[0].insuplc_admdvs == "110000"]
        receipts = {}
        for served_by, client in clients.items():
            for _ in range(2):
                person = rng.choice(persons)
                receipt = run_outpatient_visit(client, world, person, rng)
                assert pid_part(receipt.setl_id) == pid_part(receipt.mdtrt_id) == served_by
                assert receipt.setl_id[20:22] == receipt.mdtrt_id[20:22] == "07"
                receipts[served_by] = (receipt, person)

        # One store: a settlement made through one worker is cancelled through the other.
        first, second = clients
        receipt, person = receipts[first]
        other = clients[second]
        other.query_person(certificate(person, rng))
        cancel = opb.CancelSettlementData(setl_id=receipt.setl_id, mdtrt_id=receipt.mdtrt_id, psn_no=receipt.psn_no)
        reversal = other.cancel_settlement(cancel)
        assert pid_part(reversal.output.setlinfo.setl_id) == second
        assert reversal.output.setlinfo.medfee_sumamt == f"-{receipt.medfee_sumamt:.2f}"
    finally:
        for channel in channels:
            channel.close()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "2 workers sharing the port" in out
    assert re.search(r"processes: worker 1 pid \d+, worker 2 pid \d+$", out, re.M), out
    assert not any(Path(f"/proc/{w}").exists() for w in workers), "a worker outlived the supervisor"


def test_with_a_core_process_every_call_is_carried_out_by_it_and_its_loss_stops_the_gateway(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'yibao.db'}"
    proc, target = serve_two_workers(db)
    channels: list[grpc.Channel] = []
    try:
        probe = grpc.insecure_channel(target)
        channels.append(probe)
        wait_serving(probe)
        processes = processes_of(proc, 3)  # two gRPC workers and the core
        core = processes[-1]  # forked last

        world = load_world(None)
        sequence = MsgidSequence()
        rng = random.Random(7)
        persons = [p for p in active_persons(world) if p.insurances[0].insuplc_admdvs == "110000"]
        receipts = []
        for _ in range(6):  # several connections: the kernel spreads them over both workers
            channel = grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)])
            channels.append(channel)
            client = HisClient(channel, world.institutions[HOSPITAL], sequence=sequence)
            assert pid_part(client.sign_in().header.inf_refmsgid) == core % 1000
            receipt = run_outpatient_visit(client, world, rng.choice(persons), rng)
            assert pid_part(receipt.setl_id) == pid_part(receipt.mdtrt_id) == core % 1000
            receipts.append(receipt)
        assert len({r.setl_id for r in receipts}) == 6

        # Refused in a worker (stale inf_time: before the transaction), in the core before the msgid is claimed
        # (unknown sign_no) and by the handler (no such person): all journaled by the core; only the last is
        # remembered under its msgid, so its resend is replayed.
        stale, unknown, nobody = client._header("1101"), client._header("1101"), client._header("1101")
        stale.inf_time = "2020-01-01 00:00:00"
        unknown.sign_no = "NOT-A-SIGN-NO"
        query = ppb.QueryPsnInfoInput(data=certificate(rng.choice(persons), rng))
        stranger = ppb.QueryPsnInfoInput(
            data=ppb.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101190001019999")
        )
        codes = []
        for header, data in ((stale, query), (unknown, query), (nobody, stranger), (nobody, stranger)):
            with pytest.raises(HisRefused) as refused:
                client._call("1101", ppb.QueryPsnInfoRequest(header=header, input=data))
            codes.append(refused.value.code)
        assert codes[:2] == ["ENV_INF_TIME", "AUTH_SIGN_NO_UNKNOWN"] and codes[2] == codes[3] != ""
        store = Store(db)
        with store.read() as tx:
            journaled = sorted((r.msgid, r.outcome, r.err_code) for r in tx.all(JOURNAL_REFUSALS, {}))
            remembered = {r.msgid for r in tx.all(select(t.message.c.msgid).where(t.message.c.refused), {})}
        store.close()
        expected = [(stale.msgid, "refused", "ENV_INF_TIME"), (unknown.msgid, "refused", "AUTH_SIGN_NO_UNKNOWN"),
                    (nobody.msgid, "refused", codes[2]), (nobody.msgid, "replayed", "")]  # fmt: skip
        assert journaled == sorted(expected)
        assert remembered == {nobody.msgid}

        os.kill(core, signal.SIGKILL)  # the core is lost: no call may hang, and the gateway does not carry on
        with pytest.raises(HisRefused) as refused:
            client.query_person(certificate(rng.choice(persons), rng))
        assert refused.value.code == "CORE_UNAVAILABLE"
        assert refused.value.status_code == grpc.StatusCode.INTERNAL
        out, _ = proc.communicate(timeout=30)
    finally:
        for channel in channels:
            channel.close()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30)
    assert proc.returncode == 1, out
    assert "the settlement core in a process of its own" in out
    assert f"processes: worker 1 pid {processes[0]}, worker 2 pid {processes[1]}, settlement core pid {core}" in out
    assert not any(Path(f"/proc/{p}").exists() for p in processes), "a process outlived the supervisor"
