"""`yibao chaos`, the fault campaign of issue 17 (simulators/yibao/simulators/load/chaos.py), in its short version:
150 settlements with 20 faults against `yibao serve --workers 2`, on SQLite (its settlement core killed too) and
on PostgreSQL when reachable, disk I/O errors in the store included, and the month cleared at the end with serve's
clock moved past its end. Its own checks decide; here, that they ran and found nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from yibao.certs import make_ca, make_client, make_server

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
    # the demo world's 12 persons insured in Fushun or Shenzhen filed to Beijing, and their settlements cleared
    assert "cross-region filings (2505) 12" in out, out
    assert "with the clock past the month's end 1" in out, out
    [(label, cleared)] = [(k, v) for k, v in figures.items() if k.startswith("clearing ")]
    assert label.endswith("= HIS ledger (per insured place, records, medfee_sumamt / fund_pay_sumamt)"), out
    places = dict(re.findall(r"(\d{6}): (\d+), ", cleared))
    assert set(places) == {"210400", "440300"} and all(int(n) > 0 for n in places.values()), out
    assert "all zero, all equal" in out


def test_a_campaign_under_mutual_tls_and_required_signatures_loses_nothing(tmp_path: Path) -> None:
    """The serve the campaign starts requires client certificates and signed calls (an unlisted institution
    refused): every desk's call, resends and duplicates included, passes both, and the checks still hold."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_ca(certs)
    make_server(certs, ["127.0.0.1"])
    make_client(certs, "H11010100001")
    keys = tmp_path / "keys.json"
    required = {"H11010100001": {"secret": "s" * 32, "algorithm": "SM3-HMAC"}}  # signing_required by default
    keys.write_text(json.dumps({"unlisted_institutions": "refuse", "institutions": required}))
    command = [sys.executable, "-m", "yibao.cli", "chaos", "--settlements", "20", "--faults", "6", "--seed", "5",
               "--desks", "3", "--dir", str(tmp_path / "run"), "--tls-ca", str(certs / "ca.pem"),
               "--tls-cert", str(certs / "H11010100001.pem"), "--tls-key", str(certs / "H11010100001-key.pem"),
               "--keys", str(keys)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert not re.search(r"^  FAIL", out, re.M) and "all zero, all equal" in out, out
    log = (tmp_path / "run" / "gateway.log").read_text()
    assert "mutual TLS: client certificates of" in log and "request signatures: 1 institutions" in log, log
    assert "AUTH_" not in out, out  # no call was refused for its certificate or signature


def test_chaos_refuses_security_options_it_cannot_use(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"institutions": {"H99": {"secret": "x" * 32, "algorithm": "HMAC-SHA256"}}}))
    for options, message in (
        (["--keys", str(keys)], "names no key for H11010100001"),
        (["--tls-ca", str(tmp_path / "ca.pem")], "--tls-ca"),
        (["--serve-tls-cert", str(keys)], "need --tls-ca"),
    ):
        command = [sys.executable, "-m", "yibao.cli", "chaos", "--dir", str(tmp_path / "run"), *options]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and message in done.stderr, done.stderr


def test_a_clearing_one_fen_off_the_his_ledger_fails_the_campaign(tmp_path: Path) -> None:
    """The HIS's ledger made one fen larger for Shenzhen's fund payments: the clearing line fails, exit status 1."""
    script = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from yibao.cli import main\n"
        "from yibao.simulators.load import chaos\n"
        "honest = chaos.Checks.cross_region\n"
        "def off(self):\n"
        "    sums = honest(self)\n"
        "    sums['440300'][2] += Decimal('0.01')\n"
        "    return sums\n"
        "chaos.Checks.cross_region = off\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    command = [sys.executable, "-c", script, "chaos", "--settlements", "20", "--faults", "2", "--seed", "3",
               "--desks", "3", "--dir", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert re.search(r"^  FAIL clearing \d{6} = HIS ledger .*440300: ", out, re.M), out
    assert len(re.findall(r"^  FAIL", out, re.M)) == 1 and "FAILED" in out, out
