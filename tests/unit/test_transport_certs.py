"""`yibao certs` and the rule binding a client certificate to an institution (src/yibao/certs.py), the checks
of `yibao serve --tls-*` files (gateway/yibao/gateway/tls.py) and the gateway's peer check
(gateway/yibao/gateway/peer_identity.py), without a network."""

from __future__ import annotations

import argparse
import ipaddress
from datetime import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from yibao import cli
from yibao.certs import CertError, institution_of, load_ca, make_ca, make_client, make_server
from yibao.certs_command import add_arguments, run
from yibao.errors import Refusal
from yibao.gateway import peer_identity, tls
from yibao.gateway.peer_identity import Peer

A, B = "H11010100001", "H11010500002"


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    make_ca(tmp_path)
    make_server(tmp_path, ["localhost", "127.0.0.1", "yb.lab.example"])
    make_client(tmp_path, A, bundle=True)
    make_client(tmp_path, None, "lab-operator")
    return tmp_path


def cert(folder: Path, name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((folder / name).read_bytes())


def with_uris(*uris: str, cn: str = "x") -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2027, 1, 1))
    )  # fmt: skip
    if uris:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(u) for u in uris]), critical=False
        )
    return builder.sign(key, hashes.SHA256())


# -- the binding


def test_a_client_certificate_acts_for_the_institution_of_its_urn(lab: Path) -> None:
    c = cert(lab, f"{A}.pem")
    assert institution_of(c) == A
    assert c.issuer == cert(lab, "ca.pem").subject
    assert c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == A  # for people; not what counts


def test_only_the_urn_counts_never_the_common_name() -> None:
    assert institution_of(with_uris(cn=A)) is None
    assert institution_of(with_uris(f"urn:yibao:fixmedins:{A}", cn=B)) == A
    assert institution_of(with_uris(f"https://example.org/{A}")) is None


def test_a_certificate_naming_two_institutions_acts_for_none() -> None:
    assert institution_of(with_uris(f"urn:yibao:fixmedins:{A}", f"urn:yibao:fixmedins:{B}")) is None


def test_an_operator_certificate_acts_for_no_institution(lab: Path) -> None:
    assert institution_of(cert(lab, "lab-operator.pem")) is None


def test_the_server_certificate_names_its_hosts_and_addresses(lab: Path) -> None:
    names = cert(lab, "server.pem").extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost", "yb.lab.example"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]


def test_private_keys_are_the_owners_alone_and_the_bundle_holds_key_cert_and_ca(lab: Path) -> None:
    for name in ("ca-key.pem", "server-key.pem", f"{A}-key.pem", f"{A}-bundle.pem"):
        assert (lab / name).stat().st_mode & 0o777 == 0o600, name
    bundle = (lab / f"{A}-bundle.pem").read_text()
    assert bundle.count("BEGIN PRIVATE KEY") == 1 and bundle.count("BEGIN CERTIFICATE") == 2


# -- yibao certs refuses what it cannot do well


def certs(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return run(parser.parse_args(argv))


def test_an_existing_ca_is_not_replaced_without_force(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (lab / "ca.pem").read_bytes()
    assert certs(["ca", "--dir", str(lab)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (lab / "ca.pem").read_bytes() == before
    assert certs(["ca", "--dir", str(lab), "--force"]) == 0
    assert (lab / "ca.pem").read_bytes() != before


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["client", "--institution", "h1101"], "is not a fixmedins_code"),
        (["client", "--name", "a b"], "--name must be"),
        (["server", "--host", "bad host!"], "neither an IP address nor a DNS name"),
        (["server", "--days", "0"], "--days must be at least 1"),
    ],
)
def test_bad_options_are_named(lab: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert certs([*argv, "--dir", str(lab)]) == 2
    assert says in capsys.readouterr().err


def test_without_a_ca_the_command_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(CertError, match="make one with `yibao certs ca`"):
        load_ca(tmp_path)


# -- serve's files


def test_serve_files_are_checked_before_anything_listens(lab: Path) -> None:
    files = tls.load(str(lab / "server.pem"), str(lab / "server-key.pem"), str(lab / "ca.pem"))
    assert files.mutual
    assert not tls.load(str(lab / "server.pem"), str(lab / "server-key.pem")).mutual
    with pytest.raises(tls.TlsFileError, match="is not the key of --tls-cert"):
        tls.load(str(lab / "server.pem"), str(lab / f"{A}-key.pem"))
    with pytest.raises(tls.TlsFileError, match=r"--tls-client-ca .*not a CA certificate"):
        tls.load(str(lab / "server.pem"), str(lab / "server-key.pem"), str(lab / f"{A}.pem"))
    with pytest.raises(tls.TlsFileError, match=r"--tls-cert .*No such file"):
        tls.load(str(lab / "missing.pem"), str(lab / "server-key.pem"))
    with pytest.raises(tls.TlsFileError, match=r"--tls-key .*not an unencrypted PEM private key"):
        tls.load(str(lab / "server.pem"), str(lab / "server.pem"))


def serve_args(host: str, **files: str | None) -> argparse.Namespace:
    return argparse.Namespace(host=host, tls_cert=files.get("cert"), tls_key=files.get("key"),
                              tls_client_ca=files.get("ca"))  # fmt: skip


HOSTS = [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True), ("10.1.2.3", True),
         ("yb.lab.example", True)]  # fmt: skip


@pytest.mark.parametrize(("host", "warned"), HOSTS)
def test_plaintext_off_loopback_is_warned_about(host: str, warned: bool, capsys: pytest.CaptureFixture[str]) -> None:
    args = serve_args(host)
    assert cli._read_tls(args) and args.tls is None
    err = capsys.readouterr().err
    assert ("WARNING: serving in plaintext" in err) is warned
    if warned:
        assert "--tls-cert FILE --tls-key FILE" in err and "--tls-client-ca" in err


def test_tls_needs_both_the_certificate_and_its_key(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not cli._read_tls(serve_args("0.0.0.0", cert=str(lab / "server.pem")))
    assert "needs both --tls-cert and --tls-key" in capsys.readouterr().err
    args = serve_args("0.0.0.0", cert=str(lab / "server.pem"), key=str(lab / "server-key.pem"))
    assert cli._read_tls(args) and args.tls is not None
    assert "WARNING" not in capsys.readouterr().err


# -- the gateway's check


def test_without_a_bound_certificate_every_institution_passes() -> None:
    peer_identity.check(A)
    assert peer_identity.current() is None and not peer_identity.proves(A)


def test_a_bound_certificate_lets_its_own_institution_through_only() -> None:
    with peer_identity.bound(Peer(A, A)):
        peer_identity.check(A)
        assert peer_identity.proves(A) and not peer_identity.proves(B)
        assert peer_identity.certified_institution() == A
        with pytest.raises(Refusal) as r:
            peer_identity.check(B)
    assert (r.value.code, r.value.field) == ("AUTH_CERT_INSTITUTION", "header.fixmedins_code")
    assert r.value.message_en == f"the client certificate acts for institution {A}; it cannot act as institution {B}"
    assert peer_identity.current() is None  # unbound after the call


def test_a_certificate_naming_no_institution_passes_nobody() -> None:
    with peer_identity.bound(Peer(None, "lab-operator")), pytest.raises(Refusal) as r:
        peer_identity.check(A)
    assert r.value.code == "AUTH_CERT_NO_INSTITUTION"
    assert "lab-operator" in r.value.message_zh
