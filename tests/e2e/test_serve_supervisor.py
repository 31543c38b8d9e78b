"""No orphans (issue 17, item 2): the processes of `yibao serve --workers N` stop when their supervisor dies,
however it dies; nothing keeps the ports; the serve's folder in the temp folder goes with them; a serve
started right after a `kill -9` serves on the same ports; a port in use is named.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from test_serve import free_port
from test_serve_http import demo_hospital, sign_in

from yibao.gateway import run_dir

DEADLINE = 60.0  # seconds; generous: the machine is shared


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A temp folder of its own, with a path short enough for a Unix socket inside a folder inside it."""
    path = Path(tempfile.mkdtemp(prefix="ybs-", dir="/tmp"))
    yield path
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def alive(pid: int) -> bool:
    """Running (a zombie waiting for whoever adopted it counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_until(condition, what: str, deadline: float = DEADLINE) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, what
        time.sleep(0.05)


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --- the supervisor's children, without a gateway: gateway/yibao/gateway/prefork.py alone ------------------

SUPERVISOR = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from yibao.gateway import prefork
    from yibao.stop_signals import StopSignals

    out, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "pipe-only":  # as on a system without prctl: only the supervisor's pipe tells the children
        prefork.sys.platform = "darwin"
    prefork.ORPHAN_GRACE = 2.0

    def worker(index, listeners):
        signals = StopSignals()
        if mode == "stuck" and index == 1:  # never acts on SIGTERM
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        (out / f"started-{os.getpid()}").write_text(str(index))
        signals.wait()
        (out / f"stopped-{os.getpid()}").write_text(str(index))
        return 0

    listeners = prefork.Listeners(grpc_port=0, http=None)
    sys.exit(prefork.run_workers(2, listeners, worker))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["linux", "pipe-only", "stuck"])
def test_the_children_of_a_supervisor_killed_with_sigkill_stop(tmp_path: Path, mode: str) -> None:
    """SIGKILL leaves the supervisor no last word: the kernel's parent-death signal (Linux), or the end of file
    on the pipe only the supervisor held, makes each child stop as on SIGTERM; one that ignores it exits
    anyway once the grace has passed."""
    script = tmp_path / "supervisor.py"
    script.write_text(SUPERVISOR)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path), mode], stderr=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        wait_until(lambda: len(list(tmp_path.glob("started-*"))) == 2, "the workers start")
        pids = children(proc.pid)
        assert len(pids) == 2
        proc.kill()
        proc.wait(timeout=DEADLINE)
        wait_until(lambda: not any(alive(p) for p in pids), "the workers outlived their supervisor")
        stopped = {int(p.name.split("-")[1]) for p in tmp_path.glob("stopped-*")}
        stuck = {p for p in pids if (tmp_path / f"started-{p}").read_text() == "1"} if mode == "stuck" else set()
        assert stopped == set(pids) - stuck  # the others stopped gracefully, as on SIGTERM
    finally:
        kill_all([proc.pid, *pids])
        proc.wait(timeout=DEADLINE)
    log = proc.stderr.read() if proc.stderr else ""
    assert "is gone; stopping" in log or mode == "linux", log  # the pipe's news (on Linux the signal may be first)
    if mode == "stuck":
        assert "not stopped within 2 s of the supervisor's death; exiting" in log, log


# --- the serve's folder (gateway/yibao/gateway/run_dir.py) ----------------------------------------------

HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from yibao.gateway.run_dir import RunDir

    run = RunDir.create([int(sys.argv[2]), 0], tmp=sys.argv[1])
    if os.fork() == 0:  # a child: holds the processes' lock it inherited, not the supervisor's
        time.sleep(600)
        os._exit(0)
    print(run.path, flush=True)
    time.sleep(600)
    """
)


def test_a_folder_is_removed_once_every_process_of_its_serve_is_gone(tmp_path: Path) -> None:
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(script), str(tmp), str(port)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    folder = Path(proc.stdout.readline().strip())
    wait_until(lambda: len(children(proc.pid)) == 1, "the child is forked")
    child = children(proc.pid)[0]
    try:
        assert run_dir.sweep(str(tmp)) == [] and folder.exists()  # supervisor and child alive
        assert run_dir.dying({port}, str(tmp)) == []  # alive is not dying
        proc.kill()
        proc.wait(timeout=DEADLINE)
        assert run_dir.sweep(str(tmp)) == [] and folder.exists()  # the child still holds it
        assert run_dir.dying({port}, str(tmp)) == [folder]
        assert run_dir.dying({port + 1}, str(tmp)) == []  # only for the ports it holds
        assert not run_dir.wait_for([folder], timeout=0.2)
        os.kill(child, signal.SIGKILL)
        assert run_dir.wait_for([folder], timeout=DEADLINE)
        assert run_dir.sweep(str(tmp)) == [folder] and not folder.exists()
    finally:
        kill_all([proc.pid, child])
        proc.wait(timeout=DEADLINE)


def test_folders_of_the_earlier_layout_are_removed_once_their_socket_is_dead(tmp_path: Path) -> None:
    dead, live, young = (tmp_path / f"{run_dir.LEGACY_PREFIX}{name}" for name in ("dead", "live", "young"))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for folder in (dead, live, young):
        folder.mkdir()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(folder / "core.sock"))
        if folder is live:
            sock.listen(1)
            listener = sock
        else:
            sock.close()  # the file stays, refusing connections: its core was killed
    old = time.time() - 2 * run_dir.LEGACY_AGE
    for folder in (dead, live):
        os.utime(folder, (old, old))
    (tmp_path / "yibao-other").mkdir()  # not ours to judge
    try:
        assert run_dir.sweep(str(tmp_path)) == [dead]
        assert live.exists() and young.exists() and (tmp_path / "yibao-other").exists()
    finally:
        listener.close()


# --- whole `yibao serve` ---------------------------------------------------------------------------------------


def start_serve(db: Path, grpc_port: int, http_port: int, tmp: Path, *extra: str) -> subprocess.Popen[str]:
    command = ["serve", "--port", str(grpc_port), "--http-port", str(http_port), "--db", f"sqlite:///{db}",
               "--threads", "4", *extra]  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "yibao.cli", *command], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(tmp)})  # fmt: skip


def serving(grpc_port: int, http_port: int, proc: subprocess.Popen[str]) -> list[grpc.Channel]:
    """Wait until both entries answer; returns channels left open (their connections live on)."""
    channels = []
    end = time.monotonic() + DEADLINE
    while True:
        assert proc.poll() is None, proc.communicate()[0]
        channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}", options=[("grpc.use_local_subchannel_pool", 1)])
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
            channels.append(channel)
            break
        except grpc.RpcError:
            channel.close()
            assert time.monotonic() < end, "gRPC never answered"
            time.sleep(0.2)
    for _ in range(4):  # more connections, spread over the workers, open when the supervisor dies
        channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}", options=[("grpc.use_local_subchannel_pool", 1)])
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=DEADLINE)
        channels.append(channel)
    code, region, name = demo_hospital()
    reply = sign_in(http_port, code, region, name, {"Content-Type": "application/json"})
    assert reply["infcode"] == 0, reply
    return channels


@pytest.mark.slow
@pytest.mark.parametrize("core", ["--core-process", "--no-core-process"])
def test_kill_9_of_the_supervisor_leaves_no_orphan_and_a_restart_at_once_serves(
    tmp_path: Path, short_tmp: Path, core: str
) -> None:
    db = tmp_path / "yibao.db"
    grpc_port, http_port = free_port(), free_port()
    first = start_serve(db, grpc_port, http_port, short_tmp, "--workers", "2", core)
    second: subprocess.Popen[str] | None = None
    orphans: list[int] = []
    channels: list[grpc.Channel] = []
    idle = http.client.HTTPConnection("127.0.0.1", http_port, timeout=DEADLINE)
    try:
        channels += serving(grpc_port, http_port, first)
        idle.connect()  # an HTTP connection open, too
        orphans = children(first.pid)
        assert len(orphans) == (3 if core == "--core-process" else 2)
        folders = list(short_tmp.glob(f"{run_dir.PREFIX}*"))
        assert len(folders) == 1
        assert (folders[0] / "core.sock").exists() == (core == "--core-process")

        first.kill()
        first.wait(timeout=DEADLINE)
        second = start_serve(db, grpc_port, http_port, short_tmp, "--workers", "2", core)  # at once
        wait_until(lambda: not any(alive(p) for p in orphans), "a child outlived the supervisor")
        channels += serving(grpc_port, http_port, second)
        assert not folders[0].exists()  # the last child out removed it
        assert len(list(short_tmp.glob(f"{run_dir.PREFIX}*"))) == 1  # the second serve's
    finally:
        idle.close()
        for channel in channels:
            channel.close()
        kill_all(orphans)
        first.kill()
        out1 = first.communicate(timeout=DEADLINE)[0]
        if second is not None:
            second.send_signal(signal.SIGTERM)
            out2 = second.communicate(timeout=DEADLINE)[0]
    assert "the supervisor (pid" in out1 and "is gone; stopping" in out1, out1
    assert second.returncode == 0, out2
    assert "Address already in use" not in out2, out2
    assert list(short_tmp.iterdir()) == []  # a stop removes the folder; nothing else was left


@pytest.mark.slow
@pytest.mark.parametrize("workers", [["--workers", "2"], ["--workers", "1", "--no-core-process"]])
@pytest.mark.parametrize("taken", ["gRPC", "HTTP"])
def test_a_port_in_use_is_named(tmp_path: Path, short_tmp: Path, workers: list[str], taken: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        grpc_port, http_port = (port, free_port()) if taken == "gRPC" else (free_port(), port)
        proc = start_serve(tmp_path / "yibao.db", grpc_port, http_port, short_tmp, *workers)
        out = proc.communicate(timeout=DEADLINE)[0]
    assert proc.returncode == 2, out
    assert f"yibao: cannot listen for {taken} on 127.0.0.1:{port}: Address already in use" in out, out
    assert "Traceback" not in out, out
    assert list(short_tmp.iterdir()) == []


@pytest.mark.slow
def test_a_second_serve_on_the_ports_of_a_live_one_is_refused_at_once(tmp_path: Path, short_tmp: Path) -> None:
    """Only the processes of a serve whose supervisor died are waited for: a live serve's ports are refused."""
    grpc_port, http_port = free_port(), free_port()
    first = start_serve(tmp_path / "yibao.db", grpc_port, http_port, short_tmp, "--workers", "2")
    channels: list[grpc.Channel] = []
    try:
        channels += serving(grpc_port, http_port, first)
        second = start_serve(tmp_path / "other.db", grpc_port, free_port(), short_tmp, "--workers", "2")
        out = second.communicate(timeout=DEADLINE)[0]
        assert second.returncode == 2, out
        assert f"yibao: cannot listen for gRPC on 127.0.0.1:{grpc_port}: Address already in use" in out, out
        assert "waiting" not in out, out
        channels += serving(grpc_port, http_port, first)  # the first serves on
    finally:
        for channel in channels:
            channel.close()
        first.send_signal(signal.SIGTERM)
        out = first.communicate(timeout=DEADLINE)[0]
    assert first.returncode == 0, out
    assert list(short_tmp.iterdir()) == []
