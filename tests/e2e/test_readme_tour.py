"""The README's five-minute tour works as printed: its curl block, pasted into bash against a fresh
`yibao serve`, settles Mr Wang's outpatient visit with the figures the README states (46.00 of fees, 3.60 first
self-pay of the 乙 tablets at 10 %, the account pays everything since his deductible is not met)."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from test_serve import free_port

ROOT = Path(__file__).resolve().parents[2]


def tour_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after_marker = readme.split("<!-- tour:", 1)[1]
    match = re.search(r"```sh\n(.*?)```", after_marker, re.S)
    assert match, "README has no ```sh block after the tour marker"
    return match.group(1)


def wait_for_http(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the tour uses curl")
def test_the_readme_tour_settles_a_visit_as_the_readme_says(tmp_path: Path) -> None:
    http_port = free_port()
    script = tour_block().replace("http://127.0.0.1:8080", f"http://127.0.0.1:{http_port}")
    assert f":{http_port}" in script, "the tour no longer talks to the default HTTP address"
    proc = subprocess.Popen(
        [sys.executable, "-m", "yibao.cli", "serve", "--port", str(free_port()), "--http-port", str(http_port),
         "--db", f"sqlite:///{tmp_path / 'tour.db'}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_for_http(http_port)
        run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                             env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "TZ": "UTC"})  # fmt: skip
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    replies = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    # 1101 2203 2204 2206 2207 print their replies (9001's and 2201's are read by `field`)
    assert [r["infcode"] for r in replies] == [0] * 5, run.stdout + run.stderr
    settled = json.loads(run.stdout.splitlines()[-1], parse_float=Decimal)["output"]["setlinfo"]
    assert settled["setl_id"]
    figures = {k: settled[k] for k in ("medfee_sumamt", "preselfpay_amt", "inscp_scp_amt", "hifp_pay", "acct_pay",
                                       "psn_cash_pay", "balc")}  # fmt: skip
    assert figures == {
        "medfee_sumamt": Decimal("46.00"),
        "preselfpay_amt": Decimal("3.60"),  # 36.00 × 10 %
        "inscp_scp_amt": Decimal("42.40"),
        "hifp_pay": Decimal("0.00"),  # the 1,300 deductible is not met
        "acct_pay": Decimal("46.00"),
        "psn_cash_pay": Decimal("0.00"),
        "balc": Decimal("3154.00"),  # 3,200.00 − 46.00
    }
