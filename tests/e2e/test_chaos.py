"""`yibao chaos`, the fault campaign of issue 17 (simulators/yibao/simulators/load/chaos.py), in its short version:
150 settlements with 20 faults against `yibao serve --workers 2`, on SQLite (its settlement core killed too) and
on PostgreSQL when reachable, disk I/O errors in the store included. Its own checks decide; here, that they ran and
found nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_short_campaign_loses_nothing_doubles_nothing_and_tells_no_falsehood(db_url: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "yibao.cli", "chaos", "--settlements", "150", "--faults", "20", "--seed", "17",
               "--db", db_url, "--dir", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    figures = dict(re.findall(r"^  ok   (.+?): (.+)$", out, re.M))
    assert not re.search(r"^  FAIL", out, re.M), out
    assert int(figures["settlements acknowledged (in force)"]) >= 150
    for zero in ("acknowledged but lost", "executed twice", "3201 totals (per insutype) that do not balance",
                 "3202 records that differ"):  # fmt: skip
        assert figures[zero] == "0", out
    assert any(label.startswith("answered falsely") and value == "0" for label, value in figures.items()), out
    injected = dict(re.findall(r"(\w[\w ]*?) (\d+)(?:,|$)", re.search(r"^faults injected: (.*)$", out, re.M)[1]))  # type: ignore[index]
    assert sum(map(int, injected.values())) == 20, out
    kinds = {"worker", "supervisor", "lost reply", "duplicates", "2601 race", "disk write", "disk commit"}
    kinds |= {"core", "fsync"} if db_url.startswith("sqlite") else set()  # PostgreSQL: no settlement core process
    assert set(injected) == kinds, out
    assert "all zero, all equal" in out
