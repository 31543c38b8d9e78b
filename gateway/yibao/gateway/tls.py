"""`yibao serve --tls-cert --tls-key [--tls-client-ca]`: the files read and checked once, before anything
listens, and the credentials gRPC and HTTP are given (docs/security.md, "Transport security").

Both transports take the same files and the same rule: with a client CA, a connection is accepted only with a
certificate signed by it (no certificate, or one of another CA, fails the handshake), and the certificate's
institution is bound to each call (gateway/yibao/gateway/peer_identity.py).
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization

if TYPE_CHECKING:
    import grpc


class TlsFileError(ValueError):
    """A --tls-* file that cannot be used, with the flag and the reason."""


@dataclass(frozen=True)
class TlsFiles:
    cert_path: str
    key_path: str
    client_ca_path: str | None
    cert: bytes
    key: bytes
    client_ca: bytes | None

    @property
    def mutual(self) -> bool:
        return self.client_ca is not None


def load(cert_path: str, key_path: str, client_ca_path: str | None = None) -> TlsFiles:
    """Read and check the files: PEM, the key is the certificate's, the client CA is a CA certificate."""
    cert = _read("--tls-cert", cert_path)
    key = _read("--tls-key", key_path)
    try:
        leaf = x509.load_pem_x509_certificates(cert)[0]
    except ValueError as e:
        raise TlsFileError(f"--tls-cert {cert_path}: not a PEM certificate ({e})") from None
    try:
        private = serialization.load_pem_private_key(key, password=None)
    except (ValueError, TypeError) as e:
        raise TlsFileError(f"--tls-key {key_path}: not an unencrypted PEM private key ({e})") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if private.public_key().public_bytes(serialization.Encoding.DER, public) != leaf.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise TlsFileError(f"--tls-key {key_path} is not the key of --tls-cert {cert_path}")
    ca = None
    if client_ca_path is not None:
        ca = _read("--tls-client-ca", client_ca_path)
        try:
            cas = x509.load_pem_x509_certificates(ca)
        except ValueError as e:
            raise TlsFileError(f"--tls-client-ca {client_ca_path}: not a PEM certificate ({e})") from None
        if not all(_is_ca(c) for c in cas):
            raise TlsFileError(f"--tls-client-ca {client_ca_path}: not a CA certificate (use the lab CA's ca.pem)")
    return TlsFiles(cert_path, key_path, client_ca_path, cert, key, ca)


def _read(flag: str, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise TlsFileError(f"{flag} {path}: {e.strerror or e}") from None


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def grpc_credentials(tls: TlsFiles) -> grpc.ServerCredentials:
    import grpc  # here: `yibao serve --workers N` reads the files before it forks, and must not have gRPC then

    return grpc.ssl_server_credentials([(tls.key, tls.cert)], root_certificates=tls.client_ca,
                                       require_client_auth=tls.mutual)  # fmt: skip


def ssl_context(tls: TlsFiles) -> ssl.SSLContext:
    """The HTTP entry's: TLS 1.2 and up, and with a client CA a certificate required (CERT_REQUIRED)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(tls.cert_path, tls.key_path)
    if tls.client_ca is not None:
        context.load_verify_locations(cadata=tls.client_ca.decode("ascii"))
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (plaintext is safe there and only there)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plaintext_warning(host: str) -> str:
    return (
        f"yibao: WARNING: serving in plaintext on {host}, reachable from other machines: anyone on the network "
        "can read the traffic (ID numbers, names, sign_no) and take over a signed-in institution's sign_no. "
        "Serve with TLS: --tls-cert FILE --tls-key FILE, and --tls-client-ca FILE to require each institution's "
        "client certificate (make them with `yibao certs`; docs/security.md)"
    )
