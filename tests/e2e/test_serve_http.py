"""`yibao serve` opens the national JSON/HTTP entry point beside gRPC: a HIS signs in over HTTP,
and x-tif keys given with --tif-keys are enforced."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from test_serve import free_port

from yibao import platform_clock
from yibao.adapters.http.tif import signature


def demo_hospital() -> tuple[str, str, str]:
    from yibao.world.loader import load_world

    inst = next(i for i in load_world().institutions.values() if i.fixmedins_type == "1" and i.enabled)
    return inst.fixmedins_code, inst.admdvs, inst.fixmedins_name


def sign_in(port: int, code: str, region: str, name: str, headers: dict[str, str]) -> dict[str, object]:
    now = platform_clock.now()
    body = {
        "infno": "9001",
        "msgid": f"{code}{now:%Y%m%d%H%M%S}0001",
        "mdtrtarea_admvs": region,
        "recer_sys_code": "YBXT",
        "infver": "V1.0",
        "opter_type": "1",
        "opter": "OP01",
        "opter_name": "收费员",
        "inf_time": f"{now:%Y-%m-%d %H:%M:%S}",
        "fixmedins_code": code,
        "fixmedins_name": name,
        "input": {"signIn": {"opter_no": "OP01", "ip": "127.0.0.1"}},
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/fsi/api/signInSignOutService/signIn", json.dumps(body).encode(), headers)
    reply = json.loads(conn.getresponse().read())
    conn.close()
    return reply


def test_serve_opens_http_with_tif_keys(tmp_path: Path) -> None:
    code, region, name = demo_hospital()
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"institutions": {code: {"secret": "s3cret"}}}))
    http_port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "yibao.cli", "serve", "--port", str(free_port()), "--http-port", str(http_port),
         "--db", f"sqlite:///{tmp_path / 'y.db'}", "--tif-keys", str(keys)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
                conn.request("GET", "/healthz")
                assert conn.getresponse().read() == b"ok\n"
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        unsigned = sign_in(http_port, code, region, name, {})
        assert unsigned["infcode"] == -1 and str(unsigned["err_msg"]).startswith("[AUTH_TIF_MISSING]")
        ts, nonce = str(int(time.time())), "n1"
        signed_headers = {
            "x-tif-paasid": "any",
            "x-tif-timestamp": ts,
            "x-tif-nonce": nonce,
            "x-tif-signature": signature(ts, "s3cret", nonce),
        }
        signed = sign_in(http_port, code, region, name, signed_headers)
        assert signed["infcode"] == 0, signed
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert re.search(rf"national JSON over HTTP on http://127\.0\.0\.1:{http_port}/", out), out
