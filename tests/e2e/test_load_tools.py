"""The load tools: latency budgets, the invariant ledger, msgid slots, the benchmark's stay and load
process, bulk seeding, and the Locust file (when Locust is installed). No timing is asserted."""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
import pytest

from yibao.adapters.platform import build_routes, build_server
from yibao.certs import make_ca, make_client, make_server
from yibao.domain.world import World
from yibao.gateway import tls
from yibao.gateway.grpc_auth import SigningInterceptor as ServerSigning
from yibao.gateway.request_auth import RequestAuth
from yibao.request_signing import parse_keys
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.hospital import active_persons, run_outpatient_visit
from yibao.simulators.his.inpatient_stay import run_inpatient
from yibao.simulators.load import bench, bench_client, seed_rows
from yibao.simulators.load.bench_options import add_arguments as add_bench_arguments
from yibao.simulators.load.budgets import Budget, check, parse_budgets
from yibao.simulators.load.invariants import Ledger
from yibao.simulators.load.msgids import MsgidSlot
from yibao.simulators.load.stays import draw_stay_script
from yibao.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEST_WORLD = Path(__file__).parents[1] / "test_world.json"
HOSPITAL = "H11000000001"


@contextmanager
def wall_clock_gateway(world: World, store: Store, **options: Any) -> Iterator[str]:
    """A gateway on the platform's real clock, as load clients expect (`options`: build_server's, e.g. tls)."""
    server, port, _ = build_server(world, store, address="127.0.0.1:0", **options)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


# -- budgets


def test_budget_parsing_and_the_default() -> None:
    assert Budget.parse("2207:99:50") == Budget("2207", 99.0, 50.0)
    assert [str(b) for b in parse_budgets([])] == ["*:99:1000"]
    assert [str(b) for b in parse_budgets(["2207:99.9:50"])] == ["*:99:1000", "2207:99.9:50"]
    assert [str(b) for b in parse_budgets(["*:95:500"])] == ["*:95:500"]  # a `*` budget replaces the default
    for bad in ("2207:99", "2207:x:50", "2207:0:50", "2207:101:50", "2207:99:-1", ":99:50"):
        with pytest.raises(ValueError):
            Budget.parse(bad)


def test_budgets_judge_each_transaction_and_catch_a_misspelt_infno() -> None:
    measured = {("2207 Settle", 99.0): 60.0, ("1101 QueryPsnInfo", 99.0): 5.0}
    verdicts = check(
        parse_budgets(["2207:99:50", "2270:99:50"]),
        ["2207 Settle", "1101 QueryPsnInfo"],
        lambda name, p: measured[(name, p)],
    )
    by = {(str(v.budget), v.name): v.ok for v in verdicts}
    assert by == {
        ("*:99:1000", "2207 Settle"): True,
        ("*:99:1000", "1101 QueryPsnInfo"): True,
        ("2207:99:50", "2207 Settle"): False,
        ("2270:99:50", "2270"): False,  # never called: a breach, not a pass
    }
    assert "BREACHED" in str(next(v for v in verdicts if v.name == "2207 Settle" and not v.ok))


# -- the invariant ledger


def test_ledger_finds_a_settlement_paid_twice() -> None:
    ledger = Ledger()
    ledger.settled("S1", "M1/B1")
    ledger.settled("S2", "M2/B1")
    assert ledger.violations() == []
    ledger.settled("S3", "M1/B1")  # the same batch again
    ledger.settled("S2", "M9/B1")  # the same setl_id again
    assert len(ledger.violations()) == 2 and ledger.settlements == 4


def test_ledger_across_processes_finds_duplicates_between_workers() -> None:
    master, a, b = Ledger(), Ledger(forwarding=True), Ledger(forwarding=True)
    a.settled("S1", "M1/B1")
    b.settled("S1", "M1/B1")  # two workers were both told they settled M1/B1
    b.settled("S2", "M2/B1", ["S2: psn_part_amt 1.00 ≠ acct_pay 0.50 + psn_cash_pay 0.40"])
    assert a.violations() == [] and b.violations()  # a worker only reports balance problems itself
    for worker in (a, b):
        master.merge(worker.take_report())
    assert master.settlements == 3
    assert len(master.violations()) == 3  # setl_id twice, batch twice, one imbalance
    assert a.take_report() == {"paid": [], "problems": [], "problem_count": 0}  # nothing is sent twice


def test_ledger_lets_a_batch_given_back_be_settled_again_but_not_given_back_twice() -> None:
    master, worker = Ledger(), Ledger(forwarding=True)
    worker.settled("S1", "M1/B1")
    worker.settled("R1", "M1/B1", cancels=True)  # 2208 / 2601 / Y2208's refund record
    worker.settled("S2", "M1/B1")  # settled again (Y2208's items kept, a stay settled again)
    assert worker.violations() == []
    master.merge(worker.take_report())
    assert master.violations() == [] and master.settlements == 3
    master.settled("R2", "M1/B1", cancels=True)
    master.settled("R3", "M1/B1", cancels=True)  # nothing left to give back
    assert master.violations() == ["R3 gives back M1/B1, which is not settled"]


# -- msgid slots


def test_msgid_slots_never_meet() -> None:
    slots = [MsgidSlot(slot) for slot in range(10)]
    tails = [{s.next() for _ in range(2_500)} for s in slots]
    assert all(len(t) == 1_000 for t in tails)  # each slot cycles through its 1 000 tails
    assert len(set().union(*tails)) == 10_000
    assert min(tails[3]) == 3_000 and max(tails[3]) == 3_999
    with pytest.raises(ValueError):
        MsgidSlot(10)


# -- flows the benchmark and Locust run


def test_a_stay_of_twenty_items_settles(world: World, store: Store) -> None:
    with wall_clock_gateway(world, store) as target, grpc.insecure_channel(target) as channel:
        client = HisClient(channel, world.institutions[HOSPITAL])
        rng = random.Random(4)
        person = next(p for p in active_persons(world) if p.insurances[0].insuplc_admdvs == "110000")
        script = draw_stay_script(world, client.institution, person, rng)
        assert sum(len(b.lines) for b in script.batches) == 20 and len(script.batches) == 4
        (receipt,) = run_inpatient(client, world, script)
        assert receipt.setl_id and len(receipt.items) == 20
        assert [infno for infno in client.latencies if infno.startswith("2")] == [
            "2401", "2301", "2402", "2303", "2304"
        ]  # fmt: skip
        assert len(client.latencies["2301"]) == 4


def test_bench_load_process_reports_each_call(world: World, store: Store) -> None:
    with wall_clock_gateway(world, store) as target:
        result = bench_client.run(
            target, "visit", seconds=1.0, warmup=0.0, concurrency=2, world_path=str(TEST_WORLD), seed=3
        )
    assert result["flows"] > 0 and result["errors"] == {}
    assert set(result["calls"]) == {"1101", "2201", "2203", "2204", "2206", "2207"}


def test_bench_load_process_keeps_every_latency_when_asked(world: World, store: Store) -> None:
    with wall_clock_gateway(world, store) as target:
        result = bench_client.run(
            target, "query", seconds=1.0, warmup=0.0, concurrency=2, world_path=str(TEST_WORLD), samples=True
        )
    assert len(result["flow_samples_ms"]) == result["flows"] > 0  # type: ignore[arg-type]


def test_bench_merges_halves_over_the_time_measured() -> None:
    def run(seconds: float, samples: list[float], cpu: float, errors: dict[str, int]) -> dict[str, object]:
        return {"scenario": "query", "seconds": seconds, "flows": len(samples), "flow_samples_ms": samples,
                "errors": errors, "server_cpu": cpu, "client_cpu": cpu / 2}  # fmt: skip

    # 3 flows in 1 s, then 7 in 3 s: 10 flows in 4 s, not the mean of 3/s and 2.33/s
    merged = bench.merge([run(1.0, [5.0, 1.0, 3.0], 1.0, {"1101 X": 1}),
                          run(3.0, [2.0, 9.0, 4.0, 6.0, 8.0, 7.0, 10.0], 0.6, {"1101 X": 2, "1101 Y": 1})])  # fmt: skip
    assert merged["flows"] == 10 and merged["seconds"] == 4.0 and merged["rate"] == 2.5
    # nearest rank over all ten: the 5th and the 10th of 1..10
    assert merged["flow_ms"]["p50"] == 5.0 and merged["flow_ms"]["p99"] == 10.0 and merged["flow_ms"]["mean"] == 5.5
    assert merged["errors"] == {"1101 X": 3, "1101 Y": 1}
    assert merged["server_cpu"] == pytest.approx((1.0 * 1 + 0.6 * 3) / 4)  # 0.7 cores, weighted by time
    assert all("flow_samples_ms" not in r for r in merged["runs"])


def test_bench_cpu_per_call_is_cores_over_rate() -> None:
    # 0.8 cores of server and 0.4 of load process at 2000 calls/s: 0.4 ms and 0.2 ms a call
    server, load = bench.cpu_ms_per_call({"rate": 2000.0, "server_cpu": 0.8, "client_cpu": 0.4})
    assert (server, load) == (pytest.approx(0.4), pytest.approx(0.2))


def test_bench_repeated_says_in_how_many_runs_each_target_was_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    add_bench_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--repeat", "0"])
    runner = bench.Bench(parser.parse_args(["--repeat", "3"]), tmp_path)
    for ratio, p99 in ((0.63, 30.1), (0.5, 20.0), (0.6, 25.0)):  # a run's verdicts, as scenarios() makes them
        runner.verdict("  1101 / echo throughput", ratio, "ratio", "≥", "{:.2f}")
        runner.verdict("  2207 p99 ms at 70% of max", p99, "p99_2207", "≤", "{:.1f}")
    runner.summary()
    out = capsys.readouterr().out.splitlines()
    assert out[-2].endswith("0.63, 0.50, 0.60   target ≥ 0.60: met in 2 of 3")  # 0.60 meets "≥ 0.60"
    assert out[-1].endswith("30.1, 20.0, 25.0   target ≤ 25.0: met in 2 of 3")  # 25.0 meets "≤ 25.0"
    assert runner.results["summary"]["  2207 p99 ms at 70% of max"] == {"values": [30.1, 20.0, 25.0], "met": 2}


def test_seeding_clones_a_settlement_without_touching_live_persons(tmp_path: Path, world: World) -> None:
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    store = Store(url)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    try:
        with wall_clock_gateway(world, store) as target, grpc.insecure_channel(target) as channel:
            client = HisClient(channel, world.institutions[HOSPITAL])
            rng = random.Random(2)
            person = next(p for p in active_persons(world) if p.insurances[0].insuplc_admdvs == "110000")
            run_outpatient_visit(client, world, person, rng)
            assert seed_rows.count_settlements(url) == 1
            seed_rows.seed(url, 30)
            seed_rows.seed(url, 20, first=30)
            assert seed_rows.count_settlements(url) == 51
            with store.read() as tx:
                rows = tx.conn.exec_driver_sql("SELECT count(*), count(DISTINCT psn_no) FROM settlement").one()
                journal = tx.conn.exec_driver_sql("SELECT count(*) FROM journal WHERE msgid LIKE 'SEED%'").scalar()
            assert rows == (51, 1 + 50 // seed_rows.VISITS_PER_PERSON + 1)
            assert journal == 50 * 6  # each clone brings its visit's six calls
            run_outpatient_visit(client, world, person, rng)  # the gateway goes on as before
    finally:
        store.close()


# -- the Locust file


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="Locust not installed (pip install '.[load]')")
def test_locust_run_checks_budgets_and_invariants(world: World, store: Store, tmp_path: Path) -> None:
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    with wall_clock_gateway(world, store) as target:
        command = [locust, "-f", str(ROOT / "loadtests" / "locustfile.py"), "--headless", "-u", "4", "-r", "4",
                   "-t", "4s", "--host", target, "--csv", "out", "--html", "out.html", "--world", str(TEST_WORLD),
                   "--think-time", "0.2", "--budget", "2207:50:0.001", "--only-summary"]  # fmt: skip
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out  # the impossible budget is breached
    assert "✗ budget 2207:50:0.001: 2207 Settle p50" in out and "BREACHED" in out
    assert "✓ invariants: every settlement balances; nothing paid twice" in out
    assert (tmp_path / "out_stats.csv").exists() and (tmp_path / "out.html").exists()


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="Locust not installed (pip install '.[load]')")
def test_locust_traffic_desks_run_every_other_kind(world: World, store: Store, tmp_path: Path) -> None:
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    kinds = ("pharmacy", "refund", "reversal", "filing", "query", "emergency", "cancel", "catalogue")
    mix = ",".join(f"{k}=1" for k in kinds)
    with wall_clock_gateway(world, store) as target:
        command = [locust, "-f", str(ROOT / "loadtests" / "locustfile.py"), "--headless", "-u", "2", "-r", "2",
                   "-t", "8s", "--host", target, "--csv", "out", "--world", str(TEST_WORLD), "--think-time", "0.05",
                   "--traffic-share", "1", "--mix", mix, "--only-summary"]  # fmt: skip
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "✓ invariants: every settlement balances; nothing paid twice; each flow's checks hold" in out
    stats = (tmp_path / "out_stats.csv").read_text()
    for kind in kinds:  # each desk starts with one flow of each kind
        assert f"flow,{kind}," in stats, kind
    for name in (
        "2102 Settle",
        "2208 CancelSettlement",
        "2601 Reverse",
        "Y2208 RefundItems",
        "2501 Refer",
        "2506 RevokeDesignation",
        "5206 QueryCumulation",
        "5204 QueryFeeList",
        "2505 FileDesignation",
        "4101 Upload",
        "9102 Download",
    ):
        assert f"grpc,{name}," in stats, name


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="Locust not installed (pip install '.[load]')")
def test_locust_traffic_desks_claim_and_set_up_families(tmp_path: Path) -> None:
    # a world of yibao simulate (it has the operator institution Y2802 needs, and employees with money to share)
    from yibao.simulators.his.population import generate
    from yibao.simulators.his.simulate_traffic import load_base
    from yibao.world.loader import parse_world

    population = generate(load_base(None), 2, 0, 3)
    (tmp_path / "sim.json").write_bytes(population.world_bytes())
    world = parse_world(population.world)
    store = Store(f"sqlite:///{tmp_path / 'sim.db'}")
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    try:
        with wall_clock_gateway(world, store) as target:
            command = [locust, "-f", str(ROOT / "loadtests" / "locustfile.py"), "--headless", "-u", "2", "-r", "2",
                       "-t", "5s", "--host", target, "--csv", "out", "--world", str(tmp_path / "sim.json"),
                       "--think-time", "0.05", "--traffic-share", "1", "--mix", "claim=1,family=1",
                       "--only-summary"]  # fmt: skip
            done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    finally:
        store.close()
    out = done.stdout + done.stderr
    stats = (tmp_path / "out_stats.csv").read_text()
    for name in ("flow,claim,", "flow,family,", "grpc,Y2801 ", "grpc,Y2802 ", "grpc,Y2803 ", "grpc,Y2904 "):
        assert name in stats, (name, out)
    assert "✓ invariants: every settlement balances; nothing paid twice" in out
    assert "FAMILY_ALREADY" not in (tmp_path / "out_failures.csv").read_text()  # members busy for their flow


@pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="Locust not installed (pip install '.[load]')")
def test_locust_runs_under_mutual_tls_with_every_call_signed(world: World, store: Store, tmp_path: Path) -> None:
    """A gateway requiring client certificates and a signature on every call, other institutions refused: the
    users act for the certificate's institution and sign each call, and not one is refused."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs)
    make_server(certs, ["127.0.0.1"])
    make_client(certs, HOSPITAL)
    keys_doc = {"unlisted_institutions": "refuse", "institutions": {HOSPITAL: {"secret": "k" * 32,
                                                                              "algorithm": "HMAC-SHA256"}}}  # fmt: skip
    (tmp_path / "keys.json").write_text(json.dumps(keys_doc))
    files = tls.load(str(certs / "server.pem"), str(certs / "server-key.pem"), str(certs / "ca.pem"))
    signing = [ServerSigning(RequestAuth(parse_keys(keys_doc)), build_routes(), world)]
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    with wall_clock_gateway(world, store, tls=files, interceptors=signing) as target:
        command = [locust, "-f", str(ROOT / "loadtests" / "locustfile.py"), "--headless", "-u", "3", "-r", "3",
                   "-t", "5s", "--host", target, "--csv", "out", "--world", str(TEST_WORLD), "--think-time", "0.1",
                   "--grpc-tls-ca", str(certs / "ca.pem"), "--grpc-tls-cert", str(certs / f"{HOSPITAL}.pem"),
                   "--grpc-tls-key", str(certs / f"{HOSPITAL}-key.pem"), "--keys", str(tmp_path / "keys.json"),
                   "--only-summary"]  # fmt: skip
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "✓ invariants: every settlement balances; nothing paid twice" in out
    stats = (tmp_path / "out_stats.csv").read_text()
    assert "grpc,9001 SignIn," in stats and "grpc,2207 Settle," in stats, stats
    assert "AUTH_" not in out and "UNAVAILABLE" not in out, out  # nothing refused for certificate or signature
    failures = (tmp_path / "out_failures.csv").read_text().splitlines()
    assert failures[1:] == [], failures
