"""An operator moves the whole server's clock (`yibao serve --clock-offset SECONDS`, docs/time-zone.md "Moving the
server's clock"): the platform then reads its time that far ahead, so a HIS on the moved clock is accepted and one
on the wall clock is as far off; a wrong offset is refused before anything starts."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr
from datetime import datetime, timedelta

import pytest
from lab import Lab, LabRefused

from yibao import platform_clock
from yibao.adapters.platform import build_server
from yibao.cli import main
from yibao.domain.world import World
from yibao.storage.store import Store
from yibao.v1 import person_pb2

FORTY_DAYS = 40 * 86400
QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101198006150011", psn_cert_type="01")
)


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's platform clock 40 days ahead, as `serve --clock-offset 3456000` sets it."""
    monkeypatch.setenv(platform_clock.OFFSET_ENVIRONMENT, "0")
    platform_clock.set_offset(FORTY_DAYS)
    yield
    platform_clock.set_offset(0)
    monkeypatch.undo()


@pytest.fixture
def target(moved: None, world: World, store: Store) -> Iterator[str]:
    server, port, _ = build_server(world, store, address="127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


def his(target: str, clock: object) -> Lab:
    import grpc

    return Lab(grpc.insecure_channel(target), clock)


def wall_clock() -> datetime:
    return platform_clock.now() - timedelta(seconds=FORTY_DAYS)


def test_the_clock_and_its_environment_are_moved(moved: None) -> None:
    assert platform_clock.offset_seconds() == FORTY_DAYS
    assert platform_clock.today() == (wall_clock() + timedelta(days=40)).date()
    assert float(__import__("os").environ[platform_clock.OFFSET_ENVIRONMENT]) == FORTY_DAYS  # serve's children


def test_a_his_on_the_moved_clock_is_accepted_and_one_on_the_wall_clock_is_not(target: str) -> None:
    lab = his(target, platform_clock.now)
    lab.sign_in()
    reply = lab.call("1101", QUERY)
    answered = datetime.strptime(reply.header.respond_time[:14], "%Y%m%d%H%M%S")
    assert abs(answered - platform_clock.now()) < timedelta(minutes=1)  # the reply's times are moved too
    with pytest.raises(LabRefused) as e:
        his(target, wall_clock).sign_in()
    assert (e.value.code, e.value.field) == ("ENV_INF_TIME", "header.inf_time")


@pytest.mark.parametrize("value", ["nan", "1e12"])
def test_an_offset_that_is_no_time_is_refused(value: str) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["serve", "--clock-offset", value, "--port", "0"]) == 2
    assert "--clock-offset" in err.getvalue()
    assert platform_clock.offset_seconds() == 0
