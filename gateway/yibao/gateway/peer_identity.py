"""Which institution the caller's client certificate acts for, told to the gateway by the transport.

With mutual TLS (`yibao serve --tls-client-ca`), gRPC (gateway/yibao/gateway/server.py) and HTTP
(adapters/yibao/adapters/http/tls.py) bind the connection's certificate around each call they hand on;
`Gateway.admit` then refuses any call, 9001 sign-in included, whose envelope names another institution than
the certificate (`check`). So a certificate for one institution never acts as another, on either transport, and
a sign_no obtained over a certificate is of no use to a connection holding a different one. Without mutual TLS
nothing is bound and `check` lets every call through, as before.

The binding is a context variable: each call runs in a thread of its own transport's pool, and the gateway's
checks before the transaction run in that thread (the settlement core process gets them already made).
`proves(code)` is for whoever accepts a certificate as proof of an institution (authenticated 9001).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from yibao.certs import institution_of
from yibao.errors import Refusal


@dataclass(frozen=True, slots=True)
class Peer:
    """A verified client certificate: the institution it acts for (None: none), and its subject for messages."""

    institution: str | None
    subject: str


NO_CERTIFICATE = Peer(None, "(none)")  # only when the transport let a connection without one through
_peer: ContextVar[Peer | None] = ContextVar("yibao_peer", default=None)


@contextlib.contextmanager
def bound(peer: Peer | None) -> Iterator[None]:
    """The calls made inside come from `peer`'s connection (None: a transport without client certificates)."""
    token = _peer.set(peer)
    try:
        yield
    finally:
        _peer.reset(token)


def current() -> Peer | None:
    return _peer.get()


def proves(fixmedins_code: str) -> bool:
    """Whether this call's connection holds a verified certificate for `fixmedins_code`."""
    peer = _peer.get()
    return peer is not None and peer.institution is not None and peer.institution == fixmedins_code


def certified_institution(context: Any = None) -> str | None:
    """The institution a verified client certificate acts for, or None: of a gRPC call's `context` (for a check
    that runs before the call is bound, like a server interceptor), else of the call bound now (HTTP)."""
    peer = peer_of_grpc(context) if context is not None else _peer.get()
    return peer.institution if peer is not None else None


def check(fixmedins_code: str) -> None:
    """Refuse a call whose envelope's institution is not the one of the connection's certificate."""
    peer = _peer.get()
    if peer is None or peer.institution == fixmedins_code:
        return
    if peer.institution is None:
        raise Refusal("AUTH_CERT_NO_INSTITUTION", "header.fixmedins_code", subject=peer.subject)
    raise Refusal("AUTH_CERT_INSTITUTION", "header.fixmedins_code", cert=peer.institution, code=fixmedins_code)


@functools.lru_cache(maxsize=4096)  # a connection's certificate is read once, not at every call
def peer_of_der(der: bytes) -> Peer:
    return _peer_of(x509.load_der_x509_certificate(der))


@functools.lru_cache(maxsize=4096)
def peer_of_pem(pem: bytes) -> Peer:
    return _peer_of(x509.load_pem_x509_certificate(pem))


def _peer_of(cert: x509.Certificate) -> Peer:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = str(names[0].value) if names else cert.subject.rfc4514_string()
    return Peer(institution_of(cert), subject[:64])


def peer_of_grpc(context: Any) -> Peer:
    """The verified certificate of a gRPC call's connection (gRPC verified it against the lab CA)."""
    pems = context.auth_context().get("x509_pem_cert")  # present only when the client sent one and it verified
    return peer_of_pem(pems[0]) if pems else NO_CERTIFICATE
