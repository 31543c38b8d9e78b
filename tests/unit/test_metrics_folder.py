"""The metrics' multiprocess folder of a serve killed with -9 is removed by the next serve
(gateway/yibao/gateway/metrics.py: sweep_folders); a living serve's is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from yibao.gateway.metrics import FOLDER_PREFIX, folder_prefix, sweep_folders


def test_folders_of_gone_serves_are_swept(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"{FOLDER_PREFIX}{gone.stdout.strip()}-abc"
    alive = tmp_path / f"{folder_prefix()}def"
    other = tmp_path / "yibao-metrics-notapid-x"
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "counter_1.db").write_bytes(b"")
    assert sweep_folders(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and other.exists()
    assert folder_prefix() == f"yibao-metrics-{os.getpid()}-"
