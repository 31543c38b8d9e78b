"""A whole run over mutual TLS: `yibao certs` makes the lab's certificates, `yibao serve --workers 2` serves gRPC
and HTTPS with them, `yibao simulate` drives complete visits with its hospital's certificate, and a certificate
for another hospital is refused (docs/security.md, "Transport security")."""

from __future__ import annotations

import http.client
import json
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_serve import free_port
from test_serve_http import demo_hospital

from yibao import platform_clock

pytestmark = pytest.mark.slow

OTHER = "H11010500002"  # the demo world's second hospital


def yibao(*argv: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yibao.cli", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip


def https_sign_in(port: int, context: ssl.SSLContext, code: str, region: str, name: str) -> dict[str, object]:
    now = platform_clock.now()
    body = {"infno": "9001", "msgid": f"{code}{now:%Y%m%d%H%M%S}0901", "mdtrtarea_admvs": region,
            "recer_sys_code": "YBXT", "infver": "V1.0", "opter_type": "1", "opter": "OP01", "opter_name": "收费员",
            "inf_time": f"{now:%Y-%m-%d %H:%M:%S}", "fixmedins_code": code, "fixmedins_name": name,
            "input": {"signIn": {"opter_no": "OP01", "ip": "127.0.0.1"}}}  # fmt: skip
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.request("POST", "/fsi/api/signInSignOutService/signIn", json.dumps(body).encode(),
                 {"Content-Type": "application/json"})  # fmt: skip
    reply: dict[str, object] = json.loads(conn.getresponse().read())
    conn.close()
    return reply


def https_ready(port: int, context: ssl.SSLContext) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() == b"ok\n"
            conn.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_whole_run_over_mutual_tls_with_two_workers(tmp_path: Path) -> None:
    code, region, name = demo_hospital()
    for argv in (["ca"], ["server"], ["client", "--institution", code], ["client", "--institution", OTHER]):
        made = yibao("certs", *argv, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
    certs = tmp_path / "yibao-certs"
    port, http_port = free_port(), free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "yibao.cli", "serve", "--workers", "2", "--port", str(port), "--http-port",
         str(http_port), "--db", f"sqlite:///{tmp_path / 'y.db'}", "--threads", "4",
         "--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server-key.pem"),
         "--tls-client-ca", str(certs / "ca.pem")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        context.load_cert_chain(certs / f"{code}.pem", certs / f"{code}-key.pem")
        https_ready(http_port, context)

        tls = ["--tls-ca", str(certs / "ca.pem")]
        own = ["--tls-cert", str(certs / f"{code}.pem"), "--tls-key", str(certs / f"{code}-key.pem")]
        run = yibao("simulate", "--target", f"127.0.0.1:{port}", "--visits", "2", "--fixmedins-code", code, *tls, *own,
                    "--no-progress", cwd=tmp_path, timeout=180)  # fmt: skip
        # Settled over mutual TLS; a visit may still fail on the demo world's own terms, never on transport or
        # authentication (those are what this test is about).
        assert run.returncode in (0, 1) and "门诊医保结算单" in run.stdout, run.stdout + run.stderr
        assert "AUTH_" not in run.stdout and "no gateway answers" not in run.stdout, run.stdout

        other = ["--tls-cert", str(certs / f"{OTHER}.pem"), "--tls-key", str(certs / f"{OTHER}-key.pem")]
        posing = yibao("simulate", "--target", f"127.0.0.1:{port}", "--visits", "1", "--fixmedins-code", code, *tls,
                       *other, "--no-progress", cwd=tmp_path, timeout=180)  # fmt: skip
        assert posing.returncode != 0
        assert "AUTH_CERT_INSTITUTION" in posing.stdout + posing.stderr

        anonymous = yibao("simulate", "--target", f"127.0.0.1:{port}", "--visits", "1", "--fixmedins-code", code, *tls,
                          "--no-progress", cwd=tmp_path, timeout=180)  # fmt: skip
        assert anonymous.returncode == 1 and "no gateway answers" in anonymous.stdout
        assert "over TLS: is it serving TLS" in anonymous.stdout  # the handshake failed: says what to check

        # HTTPS on the same workers, with the same rule
        assert https_sign_in(http_port, context, code, region, name)["infcode"] == 0
        refused = https_sign_in(http_port, context, OTHER, region, name)
        assert str(refused["err_msg"]).startswith("[AUTH_CERT_INSTITUTION]"), refused
    finally:
        serve.terminate()
        out, _ = serve.communicate(timeout=60)
    assert serve.returncode == 0, out
    assert "mutual TLS: client certificates of" in out and f"https://127.0.0.1:{http_port}/" in out
