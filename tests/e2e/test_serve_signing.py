"""`yibao serve --keys FILE` requires signed calls over gRPC: the simulated hospital's unsigned visit is refused
(AUTH_TIF_MISSING, from the metadata), `yibao simulate --keys FILE` settles, and a keys file that cannot be used
stops the server naming the JSON path."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import grpc
from test_serve import free_port
from test_serve_http import demo_hospital

COMMAND = [sys.executable, "-m", "yibao.cli"]


def wait_ready(target: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    with grpc.insecure_channel(target) as channel:
        while True:
            try:
                grpc.channel_ready_future(channel).result(timeout=1)
                return
            except grpc.FutureTimeoutError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "the gateway did not start"


def test_serve_with_keys_refuses_unsigned_grpc_and_simulate_signs(tmp_path: Path) -> None:
    code, _, _ = demo_hospital()
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"institutions": {code: {"secret": "e2e-secret-0123456789", "algorithm": "SM3-HMAC"}}}))
    port = free_port()
    target = f"127.0.0.1:{port}"
    serve = [*COMMAND, "serve", "--port", str(port), "--http-port", "0", "--db", f"sqlite:///{tmp_path / 'y.db'}",
             "--keys", str(keys)]  # fmt: skip
    proc = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_ready(target, proc)
        simulate = [*COMMAND, "simulate", "--target", target, "--visits", "1", "--fixmedins-code", code]
        unsigned = subprocess.run(simulate, capture_output=True, text=True, timeout=120)
        assert unsigned.returncode == 1 and "AUTH_TIF_MISSING" in unsigned.stdout, unsigned.stdout
        signed = subprocess.run([*simulate, "--keys", str(keys)], capture_output=True, text=True, timeout=120)
        assert signed.returncode == 0, signed.stdout + signed.stderr
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "request signatures: 1 institutions, 0 operators, unlisted institutions unchecked" in out


def test_a_bad_keys_file_stops_serve_naming_the_place(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"institutions": {"H1": {"secret": "s", "algorithm": "MD5"}}}))
    done = subprocess.run([*COMMAND, "serve", "--port", str(free_port()), "--http-port", "0", "--db",
                           f"sqlite:///{tmp_path / 'y.db'}", "--keys", str(keys)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip() == (f"yibao: cannot load the keys file: {keys}: institutions.H1.algorithm must be one "
                                   "of HMAC-SHA256, SM3-HMAC, TIF-SHA256; got 'MD5'")  # fmt: skip
