"""The platform's clock is Beijing time whatever the host's zone (docs/time-zone.md): on a host whose TZ is UTC,
a HIS's Beijing-time inf_time is accepted and a UTC one is 8 hours off; `--tz` changes the zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from lab import Lab, LabRefused

from yibao import platform_clock
from yibao.adapters.lab.clock import LabClock
from yibao.adapters.platform import build_server
from yibao.cli import main
from yibao.domain.world import World
from yibao.storage.store import Store
from yibao.v1 import person_pb2

BEIJING = ZoneInfo("Asia/Shanghai")
QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101198006150011", psn_cert_type="01")
)


def beijing_now() -> datetime:
    return datetime.now(BEIJING).replace(tzinfo=None)


def host_now() -> datetime:
    """What a process that reads its host's local time sees (the platform before the fix)."""
    return datetime.now()


@pytest.fixture
def utc_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process on a host whose zone is UTC; the platform's zone as a fresh `yibao serve` sets it."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv(platform_clock.ENVIRONMENT, platform_clock.DEFAULT_ZONE)
    time.tzset()
    platform_clock.set_zone(platform_clock.DEFAULT_ZONE)
    yield
    platform_clock.set_zone(platform_clock.DEFAULT_ZONE)
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def target(utc_host: None, world: World, store: Store) -> Iterator[str]:
    """A gateway on the platform's own clock (no test clock)."""
    server, port, _ = build_server(world, store, address="127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


def his(target: str, clock: object) -> Lab:
    import grpc

    return Lab(grpc.insecure_channel(target), clock)


def test_the_host_is_on_utc(utc_host: None) -> None:
    offset = datetime.now() - datetime.now(UTC).replace(tzinfo=None)
    assert abs(offset) < timedelta(seconds=5)
    assert abs(platform_clock.now() - datetime.now() - timedelta(hours=8)) < timedelta(seconds=5)


def test_beijing_inf_time_accepted_on_a_utc_host(target: str) -> None:
    lab = his(target, beijing_now)
    lab.sign_in()
    reply = lab.call("1101", QUERY)
    assert reply.output.baseinfo.psn_no
    # the reply's times are Beijing time too
    answered = datetime.strptime(reply.header.respond_time[:14], "%Y%m%d%H%M%S")
    assert abs(answered - beijing_now()) < timedelta(minutes=1)


def test_host_time_is_eight_hours_off(target: str) -> None:
    with pytest.raises(LabRefused) as e:
        his(target, host_now).sign_in()
    assert (e.value.code, e.value.field) == ("ENV_INF_TIME", "header.inf_time")


def test_tz_utc_makes_utc_the_platform_time(target: str) -> None:
    platform_clock.set_zone("UTC")
    his(target, host_now).sign_in()
    with pytest.raises(LabRefused) as e:
        his(target, beijing_now).sign_in()
    assert e.value.code == "ENV_INF_TIME"


def test_lab_clock_unset_is_platform_time_and_set_runs_on(utc_host: None) -> None:
    assert abs(LabClock()() - beijing_now()) < timedelta(seconds=5)
    point = datetime(2026, 6, 1, 9, 0, 0)
    clock = LabClock(point, time.time() - 90)
    assert timedelta(seconds=89) <= clock() - point < timedelta(seconds=95)


def test_set_zone_reaches_the_commands_started(utc_host: None) -> None:
    import os

    platform_clock.set_zone("Europe/Berlin")
    assert os.environ[platform_clock.ENVIRONMENT] == "Europe/Berlin"
    assert platform_clock.zone_name() == "Europe/Berlin"


def test_unknown_zone_is_refused_by_name(utc_host: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--tz", "Mars/Olympus_Mons"]) == 2
    err = capsys.readouterr().err
    assert "--tz: 'Mars/Olympus_Mons' is not a time zone: give an IANA name such as Asia/Shanghai or UTC" in err
    assert platform_clock.zone_name() == "Asia/Shanghai"
