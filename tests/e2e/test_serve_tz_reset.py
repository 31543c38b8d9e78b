"""Whole processes: `yibao serve` on a host whose TZ is UTC accepts a Beijing-time inf_time; `yibao reset` refuses
while it serves (naming its pid), works once it has stopped, and `serve --fresh` starts from the world's initial
state (docs/time-zone.md, src/yibao/storage/reset.py)."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

from test_serve import free_port
from test_serve_http import demo_hospital, sign_in

from yibao.world.loader import load_world

UTC_HOST = {**os.environ, "TZ": "UTC"}
UTC_HOST.pop("YIBAO_TZ", None)


def start(db: str, http_port: int, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", str(free_port()), "--http-port", str(http_port),
               "--db", db, *extra]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=UTC_HOST)
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() == b"ok\n"
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(proc.communicate()[0]) from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    return out


def reset(db: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "yibao.cli", "reset", "--db", db]
    return subprocess.run(command, capture_output=True, text=True, env=UTC_HOST, timeout=60)


def test_utc_host_beijing_inf_time_and_reset(tmp_path: Path) -> None:
    db, http_port = f"sqlite:///{tmp_path / 'y.db'}", free_port()
    code, region, name = demo_hospital()
    proc = start(db, http_port)
    try:
        signed_in = sign_in(http_port, code, region, name, {})  # the test's clock: Beijing time (platform_clock)
        assert signed_in["infcode"] == 0, signed_in
        refused = reset(db)
        assert refused.returncode == 2
        assert f"is in use: a yibao serve (pid {proc.pid}) is serving it. Stop it first" in refused.stderr
    finally:
        stop(proc)
    done = reset(db)
    assert done.returncode == 0, done.stderr
    assert "is back to the world's initial state (removed 0 settlement rows, 0 visit rows, 1 message rows)" in (
        done.stdout
    )
    proc = start(db, http_port, "--fresh")
    out = stop(proc)
    assert "yibao serve --fresh: sqlite:///" in out and "(removed nothing (there was no store)); making it anew" in out
    assert f"persons ({len(load_world().persons)} new)" in out  # every person at their opening balance again
