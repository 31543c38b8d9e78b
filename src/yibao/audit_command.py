"""`yibao audit`: check the journal's chain (`verify`) and make a data key (`new-key`); docs/security.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from yibao.storage import journal_chain
from yibao.storage import schema as t
from yibao.storage.journal_chain import ChainHead, Problem, Report
from yibao.storage.sealing import ENV_KEY, create_key_file
from yibao.storage.store import DEFAULT_DB, Store, StoreUnusable


def add_data_key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-key", default=None, metavar="FILE",
                        help=f"the key that seals personal data and chains the journal (default ${ENV_KEY}, else a "
                        "key file made beside the SQLite file, <file>.key; docs/security.md)")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", required=True)
    p = sub.add_parser("verify", help="check that no journal row was changed, deleted, inserted or moved")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLAlchemy URL of the store (default {DEFAULT_DB})")
    add_data_key(p)
    p.add_argument("--anchor", default=None, metavar="FILE",
                   help="the chains' ends recorded by an earlier verify: check the journal still holds them, then "
                   "record the current ends (keep FILE where the database's users cannot write)")  # fmt: skip
    p = sub.add_parser("new-key", help="write a new random data key to FILE (mode 0600)")
    p.add_argument("file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.audit_command == "new-key":
        return _new_key(Path(args.file))
    return verify(args.db, args.data_key, args.anchor, sys.stdout)


def _new_key(path: Path) -> int:
    if not create_key_file(path):
        print(f"yibao audit new-key: {path} exists; a key is never overwritten", file=sys.stderr)
        return 2
    print(f"wrote a new data key to {path} (mode 0600); start stores with --data-key {path}")
    return 0


def verify(db: str, data_key: str | None, anchor: str | None, out: TextIO) -> int:
    """0 when the journal is intact, 1 when tampered, 2 when it cannot be checked."""
    url = make_url(db)
    if url.get_backend_name() == "sqlite" and not (url.database and os.path.exists(url.database)):
        print(f"yibao audit verify: no store at {db}", file=sys.stderr)
        return 2
    try:
        store = Store(db, data_key)
    except StoreUnusable as e:
        print(f"yibao audit verify: {e}", file=sys.stderr)
        return 2
    try:
        with store.engine.connect() as conn:
            report = journal_chain.verify(conn, store.sealer, store.chain_key)
            if anchor is not None:
                report.problems += _check_anchor(conn, Path(anchor))
    finally:
        store.close()
    return _print(report, anchor, out)


def _print(report: Report, anchor: str | None, out: TextIO) -> int:
    ends = ", ".join(f"chain {h.chain} ends at seq {h.chain_seq} mac {h.mac[:16]}…" for h in report.chains.values())
    first = report.first
    if first is None:
        print(f"journal intact: {report.rows} rows; {ends or 'empty'}", file=out)
        if anchor is not None:
            _write_anchor(Path(anchor), report.chains)
            print(f"anchor recorded in {anchor}", file=out)
        return 0
    print(f"journal TAMPERED: first bad row: {first}", file=out)
    if len(report.problems) > 1:
        print(f"{len(report.problems)} problems in {report.rows} rows:", file=out)
        for problem in report.problems[:20]:
            print(f"  {problem}", file=out)
    return 1


def _check_anchor(conn: Connection, path: Path) -> list[Problem]:
    """Each chain must still hold, at the place recorded, the row recorded: a deleted tail shows here even when
    the chain's head in the database was moved back with it."""
    if not path.exists():
        return []
    j = t.journal
    problems = []
    for chain, (seq, mac) in json.loads(path.read_text()).items():
        found = conn.scalar(select(j.c.mac).where(j.c.chain == int(chain), j.c.chain_seq == seq))
        if found != mac:
            what = f"the anchor {path} recorded seq {seq}; the journal no longer holds that row: deleted or rewritten"
            problems.append(Problem(None, int(chain), seq, what))
    return problems


def _write_anchor(path: Path, ends: dict[int, ChainHead]) -> None:
    recorded = {str(h.chain): [h.chain_seq, h.mac] for h in ends.values()}
    path.write_text(json.dumps(recorded, indent=1) + "\n")
