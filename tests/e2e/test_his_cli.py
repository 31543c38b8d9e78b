"""`yibao simulate` as typed: the traffic form (in-process gateway, progress bar, summary, exit code),
--write-world for an external gateway, argument errors, and issue 2's single-hospital form."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from yibao import platform_clock
from yibao.adapters.platform import build_server, in_process_platform
from yibao.cli import main
from yibao.domain.world import World
from yibao.simulators.his.population import generate
from yibao.simulators.his.simulate_traffic import TrafficPlan, load_base, simulate_traffic
from yibao.simulators.his.traffic import parse_mix
from yibao.storage.store import Store
from yibao.world.loader import parse_world

TEST_WORLD = Path(__file__).parents[1] / "test_world.json"


@pytest.fixture
def test_world_gateway(world: World, store: Store) -> Iterator[str]:
    """The test world on the wall clock, as `yibao serve` runs."""
    server, port, _ = build_server(world, store, address="127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


def test_traffic_run_in_process_ends_with_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["simulate", "--hospitals", "2", "--pharmacies", "1", "--visits", "40", "--seed", "3", "--no-progress"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "seed 3: 2 hospitals, 1 pharmacies, 90 persons → in-process gateway" in out
    assert "就诊 visits 40: 成功 ok 40, 失败 failed 0" in out and "就诊类型 kind" in out
    assert "p50 ms    p95 ms    p99 ms" in out and "\n  9001 " in out and "\n  9002 " in out
    assert "✓ nothing paid twice: distinct setl_ids" in out and "✓ fund totals add up across all receipts" in out
    assert "✓ the platform's store agrees with the receipts" in out
    # a fresh store: 5206 against every receipt of the person, and last month's closing by each hospital
    assert "✓ the year's accumulations are the sum of the settlements" in out and "✓ last month's closing" in out
    for infno in ("5206", "3203", "3204", "3260"):
        assert f"\n  {infno} " in out, infno
    # the day's records by file, and this month cleared with the clock moved past its end: real rows confirmed
    assert "✓ the day's records reconcile by file (3202): 3 institutions" in out
    cleared = re.search(r"✓ this month cleared: .* 3260 = their cross-region records \((\d+)\)", out)
    assert cleared is not None and int(cleared.group(1)) > 0, out
    for infno in ("9101", "3202", "9102", "Y3270", "3261", "3262"):
        assert f"\n  {infno} " in out, infno
    assert platform_clock.offset_seconds() == 0  # the clock put back


def test_minutes_and_mix_and_the_progress_bar() -> None:
    out, bar = io.StringIO(), io.StringIO()
    plan = TrafficPlan(1, 1, 4, parse_mix("outpatient=3,pharmacy=1"), minutes=0.03)
    assert simulate_traffic(plan, target=None, out=out, progress_file=bar, local_platform=in_process_platform) == 0, (
        out.getvalue()
    )
    text = out.getvalue()
    assert "mix outpatient=3,pharmacy=1; until 0.03 min" in text
    assert "\n  outpatient " in text and "\n  pharmacy " in text and "\n  inpatient " not in text
    assert "simulate: 100%" in bar.getvalue() and "visits=" in bar.getvalue()  # the bar runs by time
    assert " s [" in bar.getvalue() and "s/s" not in bar.getvalue()  # seconds done of the total, no "1.00s/s"


def test_write_world_gives_the_generated_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sim.json"
    argv = ["simulate", "--hospitals", "3", "--pharmacies", "2", "--seed", "8", "--write-world", str(path)]
    assert main(argv) == 0
    assert path.read_bytes() == generate(load_base(None), 3, 2, 8).world_bytes()
    world = parse_world(json.loads(path.read_bytes()))
    # 5 desks and the insurance agency that reviews claims (Y2802)
    assert len(world.institutions) == 6 and "yibao serve --world" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--hospitals", "1", "--mix", "outpatient=1,x=2"], "'x=2' is not KIND=WEIGHT"),
        (["--hospitals", "1", "--fixmedins-code", "H11000000001"], "single-hospital form only"),
        (["--hospitals", "-1"], "--hospitals must not be negative"),
        (["--minutes", "0"], "--minutes must be positive"),
    ],
)
def test_argument_errors(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", *argv]) == 2
    assert words in capsys.readouterr().err


def test_a_gateway_serving_another_world_is_named(test_world_gateway: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["simulate", "--hospitals", "1", "--visits", "3", "--target", test_world_gateway, "--no-progress"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "does not serve this run's world" in out and "--write-world" in out


def test_the_single_hospital_form_still_works(test_world_gateway: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["simulate", "--target", test_world_gateway, "--visits", "2", "--world", str(TEST_WORLD), "--seed", "2"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("门诊医保结算单") == 2 and "成功 ok 2, 失败 failed 0" in out


def test_claims_and_families_in_process_end_with_their_checks(capsys: pytest.CaptureFixture[str]) -> None:
    # seed 7, 3 hospitals: the run's first 30 scripts hold paid claims and family transfers (set up, topped up)
    argv = ["simulate", "--hospitals", "3", "--visits", "30", "--seed", "7", "--mix", "claim=1,family=2",
            "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "就诊 visits 30: 成功 ok 30, 失败 failed 0" in out
    assert "✓ the year's accumulations are the sum of the settlements" in out and "paid claims' fund payments" in out
    assert "✓ family accounts: the transfers are the holders' balance drop" in out
    for infno in ("Y2801", "Y2802", "Y2803", "Y2901", "Y2904"):
        assert f"\n  {infno} " in out, infno
