"""The lab under security (issue 18): `yibao cert run` against a server with mutual TLS on both ports and request
signatures required of the institution under test (docs/security.md). Given the CA, its client certificate and the
keys file, the scripted HIS works through a suite over gRPC and over HTTPS and every case passes; without the keys
file its sign-in is refused (AUTH_TIF_MISSING) and the verdicts say so."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.lab import client
from yibao.adapters.lab.api import LabApi
from yibao.adapters.lab.sessions import Lab, LabRouter
from yibao.adapters.platform import build_routes, build_server
from yibao.certs import make_ca, make_client, make_server
from yibao.domain.world import World
from yibao.gateway import tls
from yibao.gateway.grpc_auth import SigningInterceptor as ServerSigning
from yibao.gateway.peer_identity import certified_institution
from yibao.gateway.request_auth import RequestAuth
from yibao.request_signing import parse_keys
from yibao.storage.store import Store
from yibao.world.loader import load_world

HOSPITAL = "H11010100001"
KEYS = {"institutions": {HOSPITAL: {"secret": "lab-hospital-secret", "algorithm": "HMAC-SHA256"}}}


class SecuredLab:
    """yibao serve as `--tls-cert/--tls-key/--tls-client-ca --keys` starts it, with its lab."""

    def __init__(self, tmp: Path, world: World) -> None:
        self.certs = tmp / "certs"
        self.certs.mkdir()
        make_ca(self.certs)
        make_server(self.certs, ["localhost", "127.0.0.1"])
        make_client(self.certs, HOSPITAL)
        files = tls.load(*(str(self.certs / n) for n in ("server.pem", "server-key.pem", "ca.pem")))
        self.keys_file = tmp / "keys.json"
        self.keys_file.write_text(json.dumps(KEYS), "utf-8")
        self.store = Store(f"sqlite:///{tmp / 'yibao.db'}")
        self.store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        self.lab = Lab(tmp / "yibao-lab", world)
        auth = RequestAuth(parse_keys(KEYS))  # the server's own clock: signatures are checked against it
        routers: list[LabRouter] = []

        def link(gateway: Any) -> LabRouter:
            routers.append(self.lab.router(gateway))
            return routers[0]

        signing = [ServerSigning(auth, build_routes(), world, certified_institution)]
        self.server, port, _ = build_server(world, self.store, address="127.0.0.1:0", link=link, tls=files,
                                            interceptors=signing)  # fmt: skip
        self.server.start()
        self.target = f"127.0.0.1:{port}"
        national = NationalHttp(routers[0], auth, lab=LabApi(self.lab))  # type: ignore[arg-type]
        self.http = HttpServer(national, port=0, threads=4, ssl_context=tls.ssl_context(files))
        self.http.start()
        self.base = f"https://127.0.0.1:{self.http.port}"

    def cert(self, *argv: str) -> argparse.Namespace:
        parser = argparse.ArgumentParser()
        client.add_arguments(parser)
        return parser.parse_args(["--server", self.base, *argv])

    def security(self) -> list[str]:
        c = self.certs
        return ["--tls-ca", str(c / "ca.pem"), "--tls-cert", str(c / f"{HOSPITAL}.pem"),
                "--tls-key", str(c / f"{HOSPITAL}-key.pem")]  # fmt: skip

    def close(self) -> None:
        self.http.stop()
        self.server.stop(grace=None)
        self.lab.shutdown()
        self.store.close()


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[SecuredLab]:
    s = SecuredLab(tmp_path, load_world(None))
    yield s
    s.close()


def open_session(secured: SecuredLab, suite: str) -> str:
    _, context, _ = client._security(secured.cert("run", "-", *secured.security()))
    status, reply = client.call(secured.base, "POST", "/lab/sessions", {"institution": HOSPITAL, "suites": suite},
                                context=context)  # fmt: skip
    assert status == 201, reply
    return str(reply["session"]["id"])


@pytest.mark.parametrize("via", ["grpc", "http"])
def test_cert_run_signs_its_calls_over_mutual_tls(secured: SecuredLab, via: str, capsys: Any) -> None:
    session = open_session(secured, "outpatient")
    argv = ["run", session, "--via", via, "--target", secured.target, *secured.security()]
    assert client.run(secured.cert(*argv, "--keys", str(secured.keys_file))) == 0
    verdicts = json.loads(capsys.readouterr().out)
    assert verdicts["summary"] == {"pass": 5, "fail": 0, "skip": 0, "error": 0}


def test_cert_run_without_the_keys_file_is_refused_its_sign_in(secured: SecuredLab, capsys: Any) -> None:
    session = open_session(secured, "outpatient")
    argv = ["run", session, "--via", "http", "--target", secured.target, *secured.security()]
    assert client.run(secured.cert(*argv)) == 1
    out = capsys.readouterr()
    assert "AUTH_TIF_MISSING" in out.err  # the runner's line for each case: the refused sign-in
    assert json.loads(out.out)["summary"]["pass"] == 0


def test_cert_run_names_a_tls_file_it_cannot_read(secured: SecuredLab, capsys: Any) -> None:
    argv = ["run", "lab-x", "--tls-ca", str(secured.certs / "nope.pem")]
    assert client.run(secured.cert(*argv)) == 2
    assert "--tls-ca" in capsys.readouterr().err
