"""Stop signals (src/yibao/stop_signals.py): a process waiting for SIGTERM while other threads run must stop
however many signals come and whenever they come — the pair `pkill -f yibao` sends a gateway worker (one
from pkill, one from the supervisor) once left a worker hung in its own signal handler."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import grpc
from test_serve_workers import children, serve_two_workers, wait_serving

# Four threads keep the GIL busy, as gRPC's do: a handler then runs long enough for a second signal to land.
WAITER = textwrap.dedent(
    """
    import sys, threading
    from yibao.stop_signals import StopSignals

    signals = StopSignals()

    def spin():
        while True:
            sum(range(100))

    for _ in range(4):
        threading.Thread(target=spin, daemon=True).start()
    while True:
        print("waiting", flush=True)
        signals.wait()
    """
)


def test_pairs_of_stop_signals_never_hang_the_waiting_process(tmp_path: Path) -> None:
    """200 rounds of two SIGTERMs 0–5 ms apart. The old way (`signal.signal(sig, lambda *_: event.set())` and
    `event.wait()`) hung here within the first 40 rounds in each of three runs."""
    script = tmp_path / "waiter.py"
    script.write_text(WAITER)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE)
    rng = random.Random(7)
    try:
        for round_ in range(200):
            assert select.select([proc.stdout], [], [], 10)[0], f"no answer after round {round_}: the process hung"
            assert proc.stdout.readline() == b"waiting\n"  # type: ignore[union-attr]
            os.kill(proc.pid, signal.SIGTERM)
            time.sleep(rng.random() * 0.005)
            os.kill(proc.pid, signal.SIGTERM)
        assert proc.poll() is None, "a stop signal was not caught"
    finally:
        proc.kill()
        proc.wait()


def test_signalling_every_process_at_once_stops_the_gateway(tmp_path: Path) -> None:
    """What `pkill -f yibao` (or a container runtime) does: SIGTERM to the supervisor, both workers and the
    settlement core at once, twice. Every process exits, the supervisor with 0."""
    proc, target = serve_two_workers(f"sqlite:///{tmp_path / 'yibao.db'}")
    try:
        with grpc.insecure_channel(target) as channel:
            wait_serving(channel)
        deadline = time.monotonic() + 30
        while len(processes := children(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(processes) == 3, processes  # two workers and the core
        for _ in range(2):
            for pid in (proc.pid, *processes):
                os.kill(pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out
    assert not any(Path(f"/proc/{pid}").exists() for pid in processes), "a process outlived the supervisor"
