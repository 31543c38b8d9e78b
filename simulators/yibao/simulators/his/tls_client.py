"""A simulated HIS over TLS: the trust roots, and the client certificate that proves its institution under mutual
TLS (`--tls-ca`, `--tls-cert`, `--tls-key`; docs/security.md, "Transport security").

gRPC is imported only when a channel is opened: the command line builds its parsers in a process that
`yibao serve --workers N` later forks.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ClientTls:
    """PEM bytes: the CA the server's certificate must chain to (None: the system's), and the client's own."""

    ca: bytes | None = None
    cert: bytes | None = None
    key: bytes | None = None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tls-ca", default=None, metavar="FILE",
                   help="connect over TLS, trusting this CA for the server's certificate (lab: ca.pem)")  # fmt: skip
    p.add_argument("--tls-cert", default=None, metavar="FILE",
                   help="mutual TLS: this client certificate (`yibao certs client --institution CODE`)")  # fmt: skip
    p.add_argument("--tls-key", default=None, metavar="FILE", help="the private key of --tls-cert")


def from_args(args: argparse.Namespace) -> ClientTls | None:
    """The --tls-* options read (None: plaintext); ValueError names a file that cannot be read or a missing half."""
    ca, cert, key = args.tls_ca, args.tls_cert, args.tls_key
    if ca is None and cert is None and key is None:
        return None
    if (cert is None) != (key is None):
        raise ValueError("--tls-cert and --tls-key go together")
    return ClientTls(_read("--tls-ca", ca), _read("--tls-cert", cert), _read("--tls-key", key))


def _read(flag: str, path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise ValueError(f"{flag} {path}: {e.strerror or e}") from None


def no_answer_hint(tls: ClientTls | None) -> str:
    """What to check when a gateway does not answer: over TLS a failed handshake looks the same as no server."""
    if tls is None:
        return ""
    return ("; over TLS: is it serving TLS, is its certificate signed by --tls-ca and valid for the address dialled, "
            "and under mutual TLS is --tls-cert signed by the CA it requires?")  # fmt: skip


def open_channel(target: str, tls: ClientTls | None = None, options: Sequence[tuple[str, Any]] = ()) -> Any:
    """A gRPC channel to `target`: plaintext, or TLS (with the client certificate when there is one)."""
    import grpc

    if tls is None:
        return grpc.insecure_channel(target, options=list(options))
    credentials = grpc.ssl_channel_credentials(root_certificates=tls.ca, private_key=tls.key,
                                               certificate_chain=tls.cert)  # fmt: skip
    return grpc.secure_channel(target, credentials, options=list(options))
