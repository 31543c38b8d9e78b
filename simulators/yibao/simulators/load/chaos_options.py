"""The options of `yibao chaos`, apart from the campaign itself (simulators/yibao/simulators/load/chaos.py): the
CLI builds every subcommand's parser before running one, and `yibao serve --workers N` must not have imported
gRPC when it forks."""

from __future__ import annotations

import argparse

from yibao.simulators.his import tls_client


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _not_negative(text: str) -> int:
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError("must be at least 0")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--settlements", type=_positive, default=10_000,
                   help="acknowledged outpatient settlements (2207) to reach (default 10000)")  # fmt: skip
    p.add_argument("--faults", type=_not_negative, default=1_000,
                   help="faults to inject, spread evenly over the settlements (default 1000)")  # fmt: skip
    p.add_argument("--seed", type=int, default=1, help="the faults' order and the visits drawn (default 1)")
    p.add_argument("--desks", type=_positive, default=6, help="HIS desks settling at once (default 6)")
    p.add_argument("--db", default=None,
                   help="an empty store's SQLAlchemy URL (default: a new SQLite file); on PostgreSQL there is no "
                   "settlement core process, so workers and the supervisor are killed instead")  # fmt: skip
    p.add_argument("--dir", default=None, help="where the SQLite store and the gateway's log go (default: temporary)")
    p.add_argument("--keep", action="store_true", help="keep the store and the log")
    tls_client.add_arguments(p)  # the desks' side; the serve's certificate below
    p.add_argument("--serve-tls-cert", default=None, metavar="FILE",
                   help="with --tls-ca: the certificate the serve it starts presents (default: server.pem beside "
                   "--tls-ca, as `yibao certs` lays them out); with --tls-cert the serve requires client "
                   "certificates of --tls-ca (mutual TLS)")  # fmt: skip
    p.add_argument("--serve-tls-key", default=None, metavar="FILE",
                   help="the private key of --serve-tls-cert (default: server-key.pem beside --tls-ca)")  # fmt: skip
    p.add_argument("--keys", default=None, metavar="FILE",
                   help="serve with this keys file (`yibao serve --keys FILE`) and sign every call with the "
                   "institution's key from it (docs/security.md)")  # fmt: skip
