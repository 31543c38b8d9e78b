"""`yibao certs`: a lab CA, the gateway's server certificate and each institution's client certificate, so a lab
needs no openssl (src/yibao/certs.py makes them; docs/security.md, "Transport security")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from yibao.certs import (
    CA_DAYS,
    DEFAULT_DIR,
    LEAF_DAYS,
    CertError,
    Issued,
    default_hosts,
    make_ca,
    make_client,
    make_server,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="certs_command", required=True)
    ca = sub.add_parser("ca", help="make the lab CA: ca.pem (for servers and clients) and ca-key.pem (keep it)")
    ca.add_argument("--name", default="Yibao lab CA", help="the CA's common name")
    ca.add_argument("--days", type=int, default=CA_DAYS)
    ca.add_argument("--force", action="store_true", help="replace an existing CA (its certificates stop working)")
    server = sub.add_parser("server", help="server.pem and server-key.pem for yibao serve --tls-cert/--tls-key")
    server.add_argument("--host", action="append", default=None,
                        help="a DNS name or IP address clients reach the gateway by (repeat; default: "
                        f"{', '.join(default_hosts())})")  # fmt: skip
    server.add_argument("--days", type=int, default=LEAF_DAYS)
    client = sub.add_parser("client", help="<code>.pem and <code>-key.pem: a client certificate for one institution")
    who = client.add_mutually_exclusive_group(required=True)
    who.add_argument("--institution", help="the fixmedins_code the certificate acts for (and only it)")
    who.add_argument("--name", help="a certificate acting for no institution (an operator's browser: lab, inspector)")
    client.add_argument("--bundle", action="store_true", help="also <code>-bundle.pem: key, certificate and CA")
    client.add_argument("--days", type=int, default=LEAF_DAYS)
    for each in (ca, server, client):
        each.add_argument("--dir", default=DEFAULT_DIR, help=f"the lab CA's folder (default ./{DEFAULT_DIR})")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if args.days < 1:
        print("yibao certs: --days must be at least 1", file=sys.stderr)
        return 2
    try:
        if args.certs_command == "ca":
            issued = make_ca(folder, args.name, args.days, force=args.force)
        elif args.certs_command == "server":
            issued = make_server(folder, args.host or default_hosts(), args.days)
        else:
            issued = make_client(folder, args.institution, args.name, args.days, bundle=args.bundle)
    except (CertError, OSError) as e:
        print(f"yibao certs: {e}", file=sys.stderr)
        return 2
    _report(args, folder, issued)
    return 0


def _report(args: argparse.Namespace, folder: Path, issued: Issued) -> None:
    print(f"wrote {issued.cert} and {issued.key} (private: keep it){f' and {issued.bundle}' if issued.bundle else ''}")
    ca = folder / "ca.pem"
    if args.certs_command == "server":
        print(f"serve with: yibao serve --host 0.0.0.0 --tls-cert {issued.cert} --tls-key {issued.key} "
              f"--tls-client-ca {ca}")  # fmt: skip
    elif args.certs_command == "client":
        print(f"connect with: yibao simulate --target HOST:50051 --tls-ca {ca} --tls-cert {issued.cert} "
              f"--tls-key {issued.key}")  # fmt: skip
