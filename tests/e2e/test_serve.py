"""The README's first command: `yibao serve` starts on the embedded store with the demo world,
answers health checks and lists its services through reflection. Also: generated code is fresh."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_generated_code_matches_protos() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_protos.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("extra", [[], ["--no-admission-gate"]], ids=["gate", "no-gate"])
def test_serve_answers_health_and_reflection(tmp_path: Path, extra: list[str]) -> None:
    port = free_port()
    db = tmp_path / "sub" / "yibao.db"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "yibao.cli",
            "serve",
            "--port",
            str(port),
            "--http-port",
            "0",
            "--db",
            f"sqlite:///{db}",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
                break
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        svc = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="yibao.v1.OutpatientService"), timeout=5
        )
        assert svc.status == health_pb2.HealthCheckResponse.SERVING
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        names = {s.name for s in next(stub.ServerReflectionInfo(iter([request]))).list_services_response.service}
        assert {
            "yibao.v1.SignInService",
            "yibao.v1.PersonInfoService",
            "yibao.v1.OutpatientService",
            "grpc.health.v1.Health",
        } <= names
        assert db.exists()  # the SQLite file is created on first start
        channel.close()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    from yibao.world.loader import load_world

    assert "demo" in out and f"{len(load_world().persons)} persons" in out


def test_a_store_of_another_schema_version_is_refused_clearly(tmp_path: Path) -> None:
    from sqlalchemy import update

    from yibao.storage import schema
    from yibao.storage.store import Store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    with store.write() as tx:
        tx.conn.execute(update(schema.meta).values(value="2020-01-01.1"))
    store.close()
    result = subprocess.run([sys.executable, "-m", "yibao.cli", "serve", "--port", "0", "--db", url],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert "2020-01-01.1" in result.stderr and "delete that SQLite file" in result.stderr


@pytest.mark.parametrize(("args", "env", "shown"), [(["--node", "100"], "", "0–99, not 100"),
                                                     ([], "x1", "invalid literal")])  # fmt: skip
def test_a_node_number_out_of_range_is_refused_clearly(tmp_path: Path, args: list[str], env: str, shown: str) -> None:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    command = [sys.executable, "-m", "yibao.cli", "serve", "--port", "0", "--db", url, *args]
    environ = {**os.environ, "YIBAO_NODE": env or "0"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=environ)
    assert result.returncode == 2
    assert "--node (or YIBAO_NODE)" in result.stderr and shown in result.stderr
