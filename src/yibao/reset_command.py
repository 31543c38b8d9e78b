"""`yibao reset --db URL` and `yibao serve --fresh`: a store back to the world's initial state
(src/yibao/storage/reset.py), refused while a gateway serves it."""

from __future__ import annotations

import argparse
import sys

from yibao.storage.serving import shown
from yibao.storage.store import DEFAULT_DB, StoreUnusable


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help="the store's SQLAlchemy URL (default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    return reset(args.db, "yibao reset")


NEXT_START = "the next start makes it anew with every person at their opening balance"


def reset(url: str, who: str, then: str = NEXT_START) -> int:
    """Reset and say what was removed; 0, or 2 with the reason on stderr (a gateway serving it, above all)."""
    from yibao.storage.reset import reset_store

    try:
        removed = reset_store(url)
    except StoreUnusable as e:
        print(f"{who}: cannot reset: {e}", file=sys.stderr)
        return 2
    what = ", ".join(f"{n} {table} rows" for table, n in removed.items()) or "nothing (there was no store)"
    print(f"{who}: {shown(url)} is back to the world's initial state (removed {what}); {then}", flush=True)
    return 0
