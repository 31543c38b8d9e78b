"""Transport security (docs/security.md, "Transport security"): gRPC and national JSON over TLS end to end, and
mutual TLS, where a client certificate acts for its own institution only, on both transports."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from conftest import Clock
from lab import HOSPITAL, Item, Lab, LabRefused

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_server
from yibao.certs import make_ca, make_client, make_server
from yibao.domain.world import World
from yibao.gateway import tls
from yibao.storage.store import Store

OTHER = "H11000000002"  # another hospital of tests/test_world.json
PATH_9001 = "/fsi/api/signInSignOutService/signIn"


@dataclass(frozen=True)
class Lab_CA:
    folder: Path
    other: Path  # a second CA nobody trusts

    def pem(self, name: str, folder: Path | None = None) -> bytes:
        return ((folder or self.folder) / name).read_bytes()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Lab_CA:
    folder, other = tmp_path_factory.mktemp("certs"), tmp_path_factory.mktemp("other-ca")
    make_ca(folder)
    make_server(folder, ["localhost", "127.0.0.1"])
    for code in (HOSPITAL, OTHER):
        make_client(folder, code)
    make_client(folder, None, "lab-operator")
    make_ca(other)
    make_client(other, HOSPITAL)
    return Lab_CA(folder, other)


@dataclass
class Secured:
    port: int
    http_port: int
    ca: Lab_CA
    clock: Clock

    def channel(self, client: str | None = None, folder: Path | None = None) -> grpc.Channel:
        key, cert = (None, None) if client is None else (self.ca.pem(f"{client}-key.pem", folder),
                                                         self.ca.pem(f"{client}.pem", folder))  # fmt: skip
        credentials = grpc.ssl_channel_credentials(self.ca.pem("ca.pem"), key, cert)
        return grpc.secure_channel(f"127.0.0.1:{self.port}", credentials)

    def lab(self, client: str | None = None, folder: Path | None = None) -> Lab:
        return Lab(self.channel(client, folder), self.clock)

    def https(self, client: str | None = None, folder: Path | None = None) -> http.client.HTTPSConnection:
        context = ssl.create_default_context(cafile=str(self.ca.folder / "ca.pem"))
        if client is not None:
            where = folder or self.ca.folder
            context.load_cert_chain(where / f"{client}.pem", where / f"{client}-key.pem")
        return http.client.HTTPSConnection("127.0.0.1", self.http_port, context=context, timeout=10)


def _serve(world: World, store: Store, clock: Clock, ca: Lab_CA, mutual: bool) -> Iterator[Secured]:
    files = tls.load(str(ca.folder / "server.pem"), str(ca.folder / "server-key.pem"),
                     str(ca.folder / "ca.pem") if mutual else None)  # fmt: skip
    server, port, gateway = build_server(world, store, address="127.0.0.1:0", clock=clock, tls=files)
    server.start()
    http = HttpServer(NationalHttp(gateway), port=0, threads=4, ssl_context=tls.ssl_context(files))
    http.start()
    yield Secured(port, http.port, ca, clock)
    http.stop()
    server.stop(grace=None)


@pytest.fixture
def over_tls(world: World, store: Store, clock: Clock, ca: Lab_CA) -> Iterator[Secured]:
    yield from _serve(world, store, clock, ca, mutual=False)


@pytest.fixture
def over_mtls(world: World, store: Store, clock: Clock, ca: Lab_CA) -> Iterator[Secured]:
    yield from _serve(world, store, clock, ca, mutual=True)


def post(conn: http.client.HTTPSConnection, lab: Lab, infno: str, inp: dict[str, Any], inst: str = HOSPITAL) -> Any:
    h = lab.header(infno, inst)
    fields = ("infno", "msgid", "mdtrtarea_admvs", "insuplc_admdvs", "recer_sys_code", "infver", "opter_type",
              "opter", "opter_name", "inf_time", "fixmedins_code", "fixmedins_name", "sign_no")  # fmt: skip
    body = {**{name: getattr(h, name) for name in fields}, "input": inp}
    conn.request("POST", PATH_9001 if infno == "9001" else f"/{infno}", json.dumps(body).encode(),
                 {"Content-Type": "application/json;charset=UTF-8"})  # fmt: skip
    answer = conn.getresponse()
    assert answer.status == 200
    return json.loads(answer.read())


SIGN_IN = {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}
CONSULTATION = Item("A01", "1", "300.00")  # tests/test_world.json's catalogue


# -- TLS, no client certificates


def test_a_visit_is_settled_over_grpc_with_tls(over_tls: Secured) -> None:
    lab = over_tls.lab()
    reply = lab.visit_and_settle("P0001", [CONSULTATION])
    assert reply.header.infcode == 0
    assert reply.output.setlinfo.medfee_sumamt == "300.00"


def test_a_plaintext_client_gets_no_answer_from_a_tls_server(over_tls: Secured) -> None:
    lab = Lab(grpc.insecure_channel(f"127.0.0.1:{over_tls.port}"), over_tls.clock)
    with pytest.raises(grpc.RpcError) as e:
        lab.sign_in()
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_national_json_is_answered_over_https(over_tls: Secured) -> None:
    conn, lab = over_tls.https(), over_tls.lab()
    reply = post(conn, lab, "9001", SIGN_IN)
    assert reply["infcode"] == 0 and reply["output"]["signinoutb"]["sign_no"]


# -- mutual TLS: a certificate acts for its own institution only


def test_a_certificate_signs_in_and_settles_for_its_institution(over_mtls: Secured) -> None:
    reply = over_mtls.lab(HOSPITAL).visit_and_settle("P0001", [CONSULTATION])
    assert reply.header.infcode == 0


def test_a_certificate_for_one_institution_cannot_sign_in_as_another(over_mtls: Secured) -> None:
    with pytest.raises(LabRefused) as e:
        over_mtls.lab(HOSPITAL).sign_in(OTHER)
    assert e.value.code == "AUTH_CERT_INSTITUTION"
    assert e.value.field == "header.fixmedins_code"
    assert e.value.status == grpc.StatusCode.PERMISSION_DENIED
    assert (
        e.value.detail.message_en
        == f"the client certificate acts for institution {HOSPITAL}; it cannot act as institution {OTHER}"
    )


def test_a_sign_no_of_another_institution_is_no_use_over_a_certificate_of_ones_own(over_mtls: Secured) -> None:
    """B signs in over its own certificate; A's connection sends B's envelope with B's sign_no: refused."""
    b = over_mtls.lab(OTHER)
    b.sign_in(OTHER)
    a = over_mtls.lab(HOSPITAL)
    a.sign_nos[OTHER] = b.sign_nos[OTHER]
    with pytest.raises(LabRefused) as e:
        a.register("P0001", inst=OTHER)
    assert e.value.code == "AUTH_CERT_INSTITUTION"


def test_a_certificate_naming_no_institution_calls_nothing(over_mtls: Secured) -> None:
    with pytest.raises(LabRefused) as e:
        over_mtls.lab("lab-operator").sign_in()
    assert e.value.code == "AUTH_CERT_NO_INSTITUTION"


def test_no_client_certificate_is_refused_at_the_handshake(over_mtls: Secured) -> None:
    with pytest.raises(grpc.RpcError) as e:
        over_mtls.lab().sign_in()
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_certificate_of_another_ca_is_refused_at_the_handshake(over_mtls: Secured, ca: Lab_CA) -> None:
    with pytest.raises(grpc.RpcError) as e:
        over_mtls.lab(HOSPITAL, ca.other).sign_in()
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_over_https_a_certificate_acts_for_its_own_institution_only(over_mtls: Secured) -> None:
    conn, lab = over_mtls.https(HOSPITAL), over_mtls.lab(HOSPITAL)
    assert post(conn, lab, "9001", SIGN_IN)["infcode"] == 0
    refused = post(conn, lab, "9001", SIGN_IN, inst=OTHER)
    assert refused["infcode"] == -1
    assert refused["err_msg"].startswith(f"[AUTH_CERT_INSTITUTION] 客户端证书属于机构 {HOSPITAL}，不能以机构 {OTHER}")


@pytest.mark.parametrize("who", ["no certificate", "another CA"])
def test_over_https_a_connection_without_a_lab_certificate_is_refused(over_mtls: Secured, ca: Lab_CA, who: str) -> None:
    conn = over_mtls.https() if who == "no certificate" else over_mtls.https(HOSPITAL, ca.other)
    with pytest.raises((ssl.SSLError, ConnectionError)):
        post(conn, over_mtls.lab(), "9001", SIGN_IN)


# -- the HTTPS entry itself (adapters/yibao/adapters/http/tls.py)


@pytest.fixture
def https_app(ca: Lab_CA) -> Iterator[tuple[int, bytes]]:
    """HTTPS in front of an app answering 3 MB: more than waitress's workers hand the I/O thread in one piece."""
    body = bytes(range(256)) * (3 * 4096)
    files = tls.load(str(ca.folder / "server.pem"), str(ca.folder / "server-key.pem"))

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", str(len(body))), ("X-Scheme", environ["wsgi.url_scheme"])])
        return [body]

    server = HttpServer(app, port=0, threads=2, ssl_context=tls.ssl_context(files))
    server.start()
    yield int(server.port), body
    server.stop()


def test_a_large_answer_arrives_whole_over_https(https_app: tuple[int, bytes], ca: Lab_CA) -> None:
    port, body = https_app
    context = ssl.create_default_context(cafile=str(ca.folder / "ca.pem"))
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    for _ in range(2):  # twice on one kept-alive connection
        conn.request("GET", "/")
        answer = conn.getresponse()
        assert answer.getheader("X-Scheme") == "https"
        assert answer.read() == body


def test_a_stalled_handshake_holds_up_no_one(https_app: tuple[int, bytes], ca: Lab_CA) -> None:
    port, body = https_app
    stalled = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]  # more than the 2 threads
    stalled[0].send(b"\x16\x03\x01")  # the first bytes of a ClientHello, and no more
    try:
        context = ssl.create_default_context(cafile=str(ca.folder / "ca.pem"))
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().read() == body
    finally:
        for s in stalled:
            s.close()
