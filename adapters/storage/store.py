"""The store: an engine, write transactions that commit together, and the queries the core needs.

SQLite (the embedded default) gets WAL, full fsync and `BEGIN IMMEDIATE`, so a write transaction
takes the database lock up front instead of failing half-way; a process-wide lock keeps this
process's threads from queueing inside SQLite. PostgreSQL runs write transactions concurrently;
the core serialises what must be serial by locking the person's row first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, update
from sqlalchemy.engine import make_url

from yibao.adapters.storage import schema as t

DEFAULT_DB = "sqlite:///yibao.db"


def to_fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def from_fen(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


class SchemaMismatch(RuntimeError):
    pass


class Store:
    def __init__(self, url: str = DEFAULT_DB) -> None:
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8, max_overflow=8
            )
            _sqlite_setup(self.engine)
        else:
            self.engine = create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)
        self._write_lock = threading.Lock() if self.is_sqlite else nullcontext()
        self._create_or_check_schema(url)

    def _create_or_check_schema(self, url: str) -> None:
        existing = set(inspect(self.engine).get_table_names())
        if existing & set(t.metadata.tables):
            with self.engine.connect() as conn:
                found = conn.scalar(select(t.meta.c.value).where(t.meta.c.key == "schema_version")) if (
                    t.meta.name in existing) else None  # fmt: skip
            if found != t.SCHEMA_VERSION:
                raise SchemaMismatch(
                    f"the store {make_url(url).render_as_string(hide_password=True)} was made by another version of "
                    f"Yibao (schema {found or 'unknown'}, this one is {t.SCHEMA_VERSION}); delete that SQLite file "
                    f"or point --db at an empty database"
                )
            return
        t.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.execute(insert(t.meta).values(key="schema_version", value=t.SCHEMA_VERSION))

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One transaction: everything inside commits together or not at all."""
        with self._write_lock, self.engine.begin() as conn:
            yield Tx(conn)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self.engine.connect().execution_options(read_only=True) as conn:
            yield Tx(conn)
            conn.rollback()

    def seed_persons(self, balances: dict[str, Decimal]) -> int:
        """Give every person of the world a state row the first time they are seen."""
        with self.write() as tx:
            known = set(tx.conn.scalars(select(t.person_state.c.psn_no)))
            rows = [{"psn_no": p, "acct_balc_fen": to_fen(b)} for p, b in balances.items() if p not in known]
            if rows:
                tx.conn.execute(insert(t.person_state), rows)
        return len(rows)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event below issue BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads take no lock; writes take the database lock up front.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")


class Tx:
    """Queries inside one transaction. Rows come back as SQLAlchemy Row objects."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- sign-in
    def signin(self, sign_no: str) -> Any:
        return self.conn.execute(select(t.signin).where(t.signin.c.sign_no == sign_no)).first()

    def add_signin(self, **row: Any) -> None:
        self.conn.execute(insert(t.signin).values(**row))

    def sign_out(self, sign_no: str, when: str) -> None:
        self.conn.execute(update(t.signin).where(t.signin.c.sign_no == sign_no).values(signout_time=when))

    # -- idempotency and journal
    def message(self, msgid: str) -> Any:
        return self.conn.execute(select(t.message).where(t.message.c.msgid == msgid)).first()

    def claim_message(self, **row: Any) -> None:
        """Raises IntegrityError when the msgid is already claimed (a concurrent duplicate)."""
        self.conn.execute(insert(t.message).values(**row))

    def set_reply(self, msgid: str, reply: bytes, refused: bool) -> None:
        self.conn.execute(update(t.message).where(t.message.c.msgid == msgid).values(reply=reply, refused=refused))

    def journal(self, **row: Any) -> None:
        self.conn.execute(insert(t.journal).values(**row))

    # -- persons
    def lock_person(self, psn_no: str) -> Decimal | None:
        """Lock the person's row for the rest of the transaction; returns the account balance."""
        fen = self.conn.scalar(
            select(t.person_state.c.acct_balc_fen).where(t.person_state.c.psn_no == psn_no).with_for_update()
        )
        return None if fen is None else from_fen(fen)

    def account_balance(self, psn_no: str) -> Decimal | None:
        fen = self.conn.scalar(select(t.person_state.c.acct_balc_fen).where(t.person_state.c.psn_no == psn_no))
        return None if fen is None else from_fen(fen)

    def add_to_account(self, psn_no: str, delta: Decimal) -> None:
        col = t.person_state.c.acct_balc_fen
        self.conn.execute(
            update(t.person_state).where(t.person_state.c.psn_no == psn_no).values(acct_balc_fen=col + to_fen(delta))
        )

    def accumulators(self, psn_no: str, year: int, keys: list[str]) -> dict[str, Decimal]:
        a = t.accumulator
        rows = self.conn.execute(
            select(a.c.acc_key, a.c.amount_fen).where(a.c.psn_no == psn_no, a.c.year == year, a.c.acc_key.in_(keys))
        )
        found = {k: from_fen(v) for k, v in rows}
        return {k: found.get(k, Decimal("0.00")) for k in keys}

    def add_to_accumulators(self, psn_no: str, year: int, deltas: dict[str, Decimal]) -> None:
        a = t.accumulator
        current = self.accumulators(psn_no, year, list(deltas))
        for key, delta in deltas.items():
            if (
                key in current
                and self.conn.execute(
                    update(a)
                    .where(a.c.psn_no == psn_no, a.c.year == year, a.c.acc_key == key)
                    .values(amount_fen=a.c.amount_fen + to_fen(delta))
                ).rowcount
            ):
                continue
            self.conn.execute(insert(a).values(psn_no=psn_no, year=year, acc_key=key, amount_fen=to_fen(delta)))

    # -- visits and fees
    def visit(self, mdtrt_id: str) -> Any:
        return self.conn.execute(select(t.visit).where(t.visit.c.mdtrt_id == mdtrt_id)).first()

    def open_visit_by_ipt_otp_no(self, fixmedins_code: str, ipt_otp_no: str) -> Any:
        v = t.visit
        return self.conn.execute(
            select(v.c.mdtrt_id).where(
                v.c.fixmedins_code == fixmedins_code, v.c.ipt_otp_no == ipt_otp_no, v.c.status == "open"
            )
        ).first()

    def add_visit(self, **row: Any) -> None:
        self.conn.execute(insert(t.visit).values(**row))

    def update_visit(self, mdtrt_id: str, **values: Any) -> None:
        self.conn.execute(update(t.visit).where(t.visit.c.mdtrt_id == mdtrt_id).values(**values))

    def fees(self, mdtrt_id: str, *, unsettled_only: bool = False, chrg_bchno: str | None = None) -> list[Any]:
        f = t.fee
        q = select(f).where(f.c.mdtrt_id == mdtrt_id)
        if unsettled_only:
            q = q.where(f.c.setl_id.is_(None))
        if chrg_bchno is not None:
            q = q.where(f.c.chrg_bchno == chrg_bchno)
        return list(self.conn.execute(q.order_by(f.c.feedetl_sn)))

    def fee_sns(self, mdtrt_id: str) -> set[str]:
        return set(self.conn.scalars(select(t.fee.c.feedetl_sn).where(t.fee.c.mdtrt_id == mdtrt_id)))

    def add_fees(self, rows: list[dict[str, Any]]) -> None:
        self.conn.execute(insert(t.fee), rows)

    def delete_unsettled_fees(self, mdtrt_id: str, chrg_bchno: str | None, feedetl_sn: str | None) -> int:
        f = t.fee
        q = f.delete().where(f.c.mdtrt_id == mdtrt_id, f.c.setl_id.is_(None))
        if feedetl_sn:
            q = q.where(f.c.feedetl_sn == feedetl_sn)
        elif chrg_bchno is not None:
            q = q.where(f.c.chrg_bchno == chrg_bchno)
        return self.conn.execute(q).rowcount

    def mark_fees_settled_by_sn(self, mdtrt_id: str, feedetl_sns: list[str], setl_id: str) -> int:
        f = t.fee
        return self.conn.execute(
            update(f)
            .where(f.c.mdtrt_id == mdtrt_id, f.c.feedetl_sn.in_(feedetl_sns), f.c.setl_id.is_(None))
            .values(setl_id=setl_id)
        ).rowcount

    def release_fees(self, setl_id: str) -> None:
        self.conn.execute(update(t.fee).where(t.fee.c.setl_id == setl_id).values(setl_id=None))

    # -- settlements
    def settlement(self, setl_id: str) -> Any:
        return self.conn.execute(select(t.settlement).where(t.settlement.c.setl_id == setl_id)).first()

    def active_settlement(self, mdtrt_id: str, chrg_bchno: str | None = None) -> Any:
        """The visit's (or the charge batch's) settlement that has not been cancelled, if any."""
        s = t.settlement
        q = select(s.c.setl_id).where(s.c.mdtrt_id == mdtrt_id, s.c.kind == "settle", s.c.reversed_by.is_(None))
        if chrg_bchno is not None:
            q = q.where(s.c.chrg_bchno == chrg_bchno)
        return self.conn.execute(q).first()

    def add_settlement(self, **row: Any) -> None:
        self.conn.execute(insert(t.settlement).values(**row))

    def mark_reversed(self, setl_id: str, reversal_id: str) -> int:
        s = t.settlement
        return self.conn.execute(
            update(s).where(s.c.setl_id == setl_id, s.c.reversed_by.is_(None)).values(reversed_by=reversal_id)
        ).rowcount
