"""A lab's certificates, made with `cryptography` (`yibao certs`), and the rule that binds a client certificate
to an institution (docs/security.md, "Transport security").

The binding: a client certificate acts for the institution named by its one subject-alternative-name URI
`urn:yibao:fixmedins:<fixmedins_code>`. The subject's CN carries the same code for people reading the
certificate, but only the URI counts: a CN is free text that many tools fill in by themselves, a URI in our
own namespace is not. A certificate with no such URI, or with two, acts for no institution.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

INSTITUTION_URN = "urn:yibao:fixmedins:"
CODE = re.compile(r"[A-Z0-9]{12}")  # a fixmedins_code: 12 capitals and digits (H11010100001, P11010100001)
CA_FILE, CA_KEY_FILE = "ca.pem", "ca-key.pem"
SERVER_FILE, SERVER_KEY_FILE = "server.pem", "server-key.pem"
DEFAULT_DIR = "yibao-certs"
CA_DAYS, LEAF_DAYS = 3650, 825  # a lab CA outlives the certificates it signs; 825 days is what browsers accept


class CertError(Exception):
    """A certificate or key that cannot be used, or cannot be made, with the reason in plain words."""


@dataclass(frozen=True)
class Issued:
    """Files written by one `yibao certs` command."""

    cert: Path
    key: Path
    bundle: Path | None = None


def institution_of(cert: x509.Certificate) -> str | None:
    """The fixmedins_code the certificate acts for (module docstring), or None."""
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    codes = [u[len(INSTITUTION_URN) :] for u in names.get_values_for_type(x509.UniformResourceIdentifier)
             if u.startswith(INSTITUTION_URN)]  # fmt: skip
    return codes[0] if len(codes) == 1 else None


def institution_of_pem(pem: bytes) -> str | None:
    return institution_of(x509.load_pem_x509_certificate(pem))


def institution_of_der(der: bytes) -> str | None:
    return institution_of(x509.load_der_x509_certificate(der))


def _new_key() -> ec.EllipticCurvePrivateKey:
    # P-256: every TLS stack has it, and its handshakes cost a fraction of RSA-2048's
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Yibao Gateway lab"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])  # fmt: skip


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, days: int
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))  # a client whose clock is a little behind
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a private key is the holder's alone
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_cert(path: Path, *certs: x509.Certificate) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))


CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False, key_encipherment=False,
    data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False,
)  # fmt: skip


def make_ca(folder: Path, name: str = "Yibao lab CA", days: int = CA_DAYS, *, force: bool = False) -> Issued:
    """A lab CA: ca.pem (give it to servers and clients) and ca-key.pem (keep it)."""
    cert_path, key_path = folder / CA_FILE, folder / CA_KEY_FILE
    if not force and (cert_path.exists() or key_path.exists()):
        raise CertError(f"{cert_path} already exists: every certificate it signed depends on it (--force replaces it)")
    key = _new_key()
    subject = _name(name, "certificate authority")
    cert = (
        _builder(subject, subject, key, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(CA_KEY_USAGE, critical=True)
        .sign(key, hashes.SHA256())
    )
    _write_key(key_path, key)
    _write_cert(cert_path, cert)
    return Issued(cert_path, key_path)


def load_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    try:
        cert = x509.load_pem_x509_certificate((folder / CA_FILE).read_bytes())
        key = serialization.load_pem_private_key((folder / CA_KEY_FILE).read_bytes(), password=None)
    except FileNotFoundError as e:
        raise CertError(f"no lab CA in {folder} ({e.filename} missing): make one with `yibao certs ca`") from None
    except ValueError as e:
        raise CertError(f"the lab CA in {folder} cannot be read: {e}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CertError(f"{folder / CA_KEY_FILE} is not an EC key made by `yibao certs ca`")
    return cert, key


def _leaf(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
    subject: x509.Name,
    names: list[x509.GeneralName],
    usage: x509.ObjectIdentifier,
    days: int,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    ca_cert, ca_key = ca
    key = _new_key()
    builder = (
        _builder(subject, ca_cert.subject, key, days)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def default_hosts() -> list[str]:
    """The names a server certificate covers unless told: this machine as clients here reach it."""
    return sorted({"localhost", "127.0.0.1", "::1", socket.gethostname()})


def host_names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            if not re.fullmatch(r"[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?", host):
                raise CertError(f"--host {host!r} is neither an IP address nor a DNS name") from None
            names.append(x509.DNSName(host))
    return names


def make_server(folder: Path, hosts: list[str], days: int = LEAF_DAYS) -> Issued:
    """server.pem and server-key.pem for `yibao serve --tls-cert --tls-key`, valid for `hosts` (names and IPs)."""
    names = host_names(hosts)  # before anything is written
    cert, key = _leaf(load_ca(folder), _name(hosts[0], "gateway"), names, ExtendedKeyUsageOID.SERVER_AUTH, days)
    cert_path, key_path = folder / SERVER_FILE, folder / SERVER_KEY_FILE
    _write_key(key_path, key)
    _write_cert(cert_path, cert)
    return Issued(cert_path, key_path)


def make_client(
    folder: Path, institution: str | None, name: str | None = None, days: int = LEAF_DAYS, *, bundle: bool = False
) -> Issued:
    """<code>.pem and <code>-key.pem: a client certificate acting for `institution` (module docstring); with
    `institution` None, one acting for none (`name`: an operator's browser for the lab page and the inspector).
    `bundle`: also <code>-bundle.pem, the key, the certificate and the CA in one file (curl --cert, most HIS)."""
    if institution is not None and not CODE.fullmatch(institution):
        raise CertError(f"--institution {institution!r} is not a fixmedins_code (12 capitals and digits)")
    if institution is None and not (name and re.fullmatch(r"[A-Za-z0-9._-]{1,64}", name)):
        raise CertError("--name must be 1-64 letters, digits, '.', '_' or '-'")
    ca = load_ca(folder)
    label = institution or name or ""
    names: list[x509.GeneralName] = (
        [x509.UniformResourceIdentifier(INSTITUTION_URN + institution)] if institution else []
    )
    cert, key = _leaf(ca, _name(label, "institution" if institution else "operator"), names,
                      ExtendedKeyUsageOID.CLIENT_AUTH, days)  # fmt: skip
    cert_path, key_path = folder / f"{label}.pem", folder / f"{label}-key.pem"
    _write_key(key_path, key)
    _write_cert(cert_path, cert)
    if not bundle:
        return Issued(cert_path, key_path)
    bundle_path = folder / f"{label}-bundle.pem"
    _write_key(bundle_path, key)
    with bundle_path.open("ab") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM) + ca[0].public_bytes(serialization.Encoding.PEM))
    return Issued(cert_path, key_path, bundle_path)
