"""The options of `yibao bench`, apart from the benchmark itself: the CLI builds every subcommand's
parser before running one, and `yibao serve --workers N` must not have imported gRPC when it forks."""

from __future__ import annotations

import argparse


def parse_rows(text: str) -> list[int]:
    sizes = sorted({int(float(part)) for part in text.split(",") if part.strip()})
    if any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError("row counts must be positive")
    return sizes


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seconds", type=float, default=10, help="measured seconds per scenario (default 10)")
    p.add_argument("--warmup", type=float, default=2, help="seconds before measuring (default 2)")
    p.add_argument("--concurrency", type=int, default=32, help="client threads (default 32)")
    p.add_argument("--threads", type=int, default=16, help="server threads, gateway and echo (default 16)")
    p.add_argument("--workers", type=int, default=1, help="gateway processes (default 1)")
    p.add_argument("--no-admission-gate", dest="gate", action="store_false",
                   help="serve without the admission gate, to measure what it costs "
                   "(yibao serve --no-admission-gate)")  # fmt: skip
    p.add_argument(
        "--rows", type=parse_rows, default=[],
        help="also the growth run: settlement latency at these stored-settlement sizes, e.g. 10000,100000 (100k: "
        "~1.6 GB and a few minutes; 1M: ~20 GB; default: none, the quick run without it)",
    )  # fmt: skip
    p.add_argument("--growth-rate", type=float, default=20, help="visits/s while measuring growth (default 20)")
    p.add_argument("--growth-only", action="store_true", help="only the growth run (with --rows)")
    p.add_argument("--repeat", type=_positive, default=1,
                   help="run every scenario but the growth run this many times, each on a new store, and say in how "
                   "many runs each target was met (default 1)")  # fmt: skip
    p.add_argument("--observability", action="store_true",
                   help="only what metrics and the access log cost a call: 1101 with both off against both on, in "
                   "halves (docs/observability.md)")  # fmt: skip
    p.add_argument("--profile", action="store_true", help="py-spy on the settlement core in a visit run")
    p.add_argument("--dir", default=None, help="where the store and logs go (default: a temporary directory)")
    p.add_argument("--keep", action="store_true", help="keep the store and logs")
    p.add_argument("--json", default=None, help="also write every figure to this file")
    p.add_argument("--overload", action="store_true",
                   help="only the overload run: 1101 open loop at 70%%, 1×, 2× and 4× the maximum, 20 s each unless "
                   "--seconds, and one institution flooding beside another "
                   "(simulators/yibao/simulators/load/overload.py)")  # fmt: skip
    p.add_argument("--tls", action="store_true",
                   help="only the transport security run: 1101 over plaintext, TLS and mutual TLS, what each costs a "
                   "call and a new connection (simulators/yibao/simulators/load/tls_cost.py)")  # fmt: skip
    p.add_argument("--signing", action="store_true",
                   help="only the request signing run: the signature check alone per algorithm, then 1101 at its "
                   "maximum rate unsigned, with HMAC-SHA256 and with SM3-HMAC, the server's CPU a call in each "
                   "(simulators/yibao/simulators/load/signing_cost.py)")  # fmt: skip
