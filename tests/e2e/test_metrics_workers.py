"""Whole processes: `yibao serve --workers 2` counts every call once whichever worker took it, and every worker
answers a scrape with the sum of all (prometheus-client's multiprocess mode; docs/observability.md); the access
log gets one line per call from each worker. The calls go over gRPC, each on a connection of its own, which the
kernel spreads over the workers' SO_REUSEPORT sockets by the connection's addresses (the HTTP port is one socket
the workers take turns at, so a busy machine may hand every connection to one)."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import grpc
from test_serve import free_port
from test_serve_http import demo_hospital

from yibao import platform_clock
from yibao.domain.world import Institution
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.envelope import MsgidSequence
from yibao.world.loader import load_world

CALLS = 12
MAX_CALLS = 300


def pids_in(log: Path) -> set[int]:
    """The processes that have written to the access log so far (each writes its lines a moment after)."""
    text = log.read_text("utf-8") if log.exists() else ""
    return {json.loads(line)["pid"] for line in text.splitlines() if line.strip()}


def sign_in_over_grpc(port: int, institution: Institution, sequence: MsgidSequence) -> None:
    options = [("grpc.use_local_subchannel_pool", 1)]  # a connection of its own, not one shared by channels
    with grpc.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
        HisClient(channel, institution, sequence=sequence).sign_in()


def post(port: int, body: dict[str, object]) -> dict[str, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # a new connection: any worker may take it
    conn.request("POST", "/fsi/api/signInSignOutService/signIn", json.dumps(body).encode(),
                 {"Content-Type": "application/json", "Connection": "close"})  # fmt: skip
    reply: dict[str, object] = json.loads(conn.getresponse().read())
    conn.close()
    return reply


def sign_in_body(n: int, code: str, region: str, name: str) -> dict[str, object]:
    now = platform_clock.now()
    return {
        "infno": "9001", "msgid": f"{code}{now:%Y%m%d%H%M%S}{n:04d}", "mdtrtarea_admvs": region,
        "recer_sys_code": "YBXT", "infver": "V1.0", "opter_type": "1", "opter": "OP01", "opter_name": "收费员",
        "inf_time": f"{now:%Y-%m-%d %H:%M:%S}", "fixmedins_code": code, "fixmedins_name": name,
        "input": {"signIn": {"opter_no": "OP01", "ip": "127.0.0.1"}},
    }  # fmt: skip


def scrape(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics", headers={"Connection": "close"})
    text = conn.getresponse().read().decode()
    conn.close()
    return text


def wait_http(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(proc.communicate()[0]) from None
            time.sleep(0.2)


def test_two_workers_count_every_call_once(tmp_path: Path) -> None:
    code, region, name = demo_hospital()
    grpc_port, http_port, log = free_port(), free_port(), tmp_path / "access.log"
    command = [sys.executable, "-m", "yibao.cli", "serve", "--workers", "2", "--port", str(grpc_port),
               "--http-port", str(http_port), "--db", f"sqlite:///{tmp_path / 'y.db'}",
               "--access-log", str(log)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(http_port, proc)
        hospital, sequence = load_world().institutions[code], MsgidSequence()
        calls = 0  # until both workers have answered some (the second may start listening later on a busy machine)
        while calls < CALLS or (len(pids_in(log)) < 2 and calls < MAX_CALLS):
            sign_in_over_grpc(grpc_port, hospital, sequence)
            calls += 1
        refused = post(http_port, {**sign_in_body(99, code, region, name), "inf_time": "2000-01-01 00:00:00"})
        assert str(refused["err_msg"]).startswith("[ENV_INF_TIME]")
        scrapes = [scrape(http_port) for _ in range(6)]  # new connections: both workers answer some
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert len(lines) == calls + 1
    assert len({line["pid"] for line in lines}) == 2, "the calls all went to one worker"
    assert all("*" in line["opter_name"] for line in lines)  # the operators' names masked
    for text in scrapes:
        assert f'yibao_calls_total{{infno="9001",outcome="ok",transport="grpc"}} {calls}.0' in text, text
        assert 'yibao_refusals_total{code="ENV_INF_TIME",infno="9001",transport="http"} 1.0' in text
        assert re.search(r'yibao_calls_in_flight\{transport="grpc"\} 0\.0', text)
        assert re.search(r"yibao_core_queue_depth 0\.0", text)
    assert proc.returncode == 0, out
