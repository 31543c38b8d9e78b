"""Mutual TLS and request signatures together (docs/security.md): a client certificate is the proof of its
institution's 9001, in place of a signature, on gRPC and HTTP; later calls are still signed when the keys file
requires it; a certificate for another institution proves nothing."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import grpc
import pytest
from conftest import Clock
from lab import HOSPITAL, Lab
from test_signed_calls import refused
from test_tls import OTHER, Lab_CA, post
from test_tls import ca as ca

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_routes, build_server
from yibao.domain.world import World
from yibao.gateway import tls
from yibao.gateway.grpc_auth import SigningInterceptor as ServerSigning
from yibao.gateway.peer_identity import certified_institution
from yibao.gateway.request_auth import RequestAuth, unix_time
from yibao.request_signing import client_keys, parse_keys
from yibao.simulators.his.signing import SigningInterceptor
from yibao.storage.store import Store
from yibao.v1 import person_pb2

KEYS = parse_keys({"institutions": {HOSPITAL: {"secret": "h1-mtls-secret", "algorithm": "SM3-HMAC"}}})


class Secured:
    def __init__(self, world: World, store: Store, clock: Clock, ca: Lab_CA) -> None:
        files = tls.load(str(ca.folder / "server.pem"), str(ca.folder / "server-key.pem"), str(ca.folder / "ca.pem"))
        auth = RequestAuth(KEYS, clock)
        signing = [ServerSigning(auth, build_routes(), world, certified_institution)]
        self.server, port, gateway = build_server(world, store, address="127.0.0.1:0", clock=clock, tls=files,
                                                  interceptors=signing)  # fmt: skip
        self.server.start()
        self.http = HttpServer(NationalHttp(gateway, auth), port=0, threads=2, ssl_context=tls.ssl_context(files))
        self.http.start()
        self.port, self.ca, self.clock = port, ca, clock

    def channel(self, client: str, signed: bool = False) -> grpc.Channel:
        key, cert = self.ca.pem(f"{client}-key.pem"), self.ca.pem(f"{client}.pem")
        channel = grpc.secure_channel(f"127.0.0.1:{self.port}", grpc.ssl_channel_credentials(self.ca.pem("ca.pem"),
                                                                                              key, cert))  # fmt: skip
        if not signed:
            return channel
        return grpc.intercept_channel(channel, SigningInterceptor(client_keys(KEYS), lambda: unix_time(self.clock())))

    def https(self, client: str) -> http.client.HTTPSConnection:
        import ssl

        context = ssl.create_default_context(cafile=str(self.ca.folder / "ca.pem"))
        context.load_cert_chain(self.ca.folder / f"{client}.pem", self.ca.folder / f"{client}-key.pem")
        return http.client.HTTPSConnection("127.0.0.1", self.http.port, context=context, timeout=10)

    def close(self) -> None:
        self.http.stop()
        self.server.stop(grace=None)


@pytest.fixture
def secured(world: World, store: Store, clock: Clock, ca: Lab_CA) -> Iterator[Secured]:
    s = Secured(world, store, clock, ca)
    yield s
    s.close()


def test_the_certificate_proves_the_sign_in_and_later_calls_are_signed(secured: Secured) -> None:
    lab = Lab(secured.channel(HOSPITAL), secured.clock)
    assert lab.sign_in(HOSPITAL)  # no signature: the certificate is the proof
    query = person_pb2.QueryPsnInfoInput(data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="EC0001"))
    r = refused(lab.call, "1101", query, HOSPITAL)
    assert (r.code, r.field) == ("AUTH_TIF_MISSING", "metadata.x-tif-timestamp")  # later calls: signed
    signed = Lab(secured.channel(HOSPITAL, signed=True), secured.clock)
    signed.sign_nos = dict(lab.sign_nos)
    assert signed.call("1101", query, HOSPITAL).output.baseinfo.psn_no == "P0001"


def test_a_certificate_for_another_institution_proves_nothing(secured: Secured) -> None:
    lab = Lab(secured.channel(OTHER), secured.clock)
    r = refused(lab.sign_in, HOSPITAL)
    assert r.code == "AUTH_TIF_MISSING"  # the signature the sign-in then needs is missing


def test_over_https_the_certificate_proves_the_sign_in(secured: Secured) -> None:
    lab = Lab(secured.channel(HOSPITAL), secured.clock)
    reply = post(secured.https(HOSPITAL), lab, "9001", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}})
    assert reply["infcode"] == 0, reply["err_msg"]
    refused_reply = post(secured.https(OTHER), lab, "9001", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}})
    assert refused_reply["err_msg"].startswith("[AUTH_TIF_MISSING]")
