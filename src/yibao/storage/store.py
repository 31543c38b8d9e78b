"""The store: an engine, write transactions that commit together, and the queries the core needs.

SQLite (the embedded default) gets WAL, full fsync and `BEGIN IMMEDIATE`, so a write transaction
takes the database lock up front instead of failing half-way; a process-wide lock keeps this
process's threads from queueing inside SQLite. PostgreSQL runs write transactions concurrently;
the core serialises what must be serial by locking the person's row first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import ClassVar, TypeVar, overload

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    Executable,
    Insert,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from yibao.storage import faults
from yibao.storage import schema as t
from yibao.storage.checkpoint import Checkpointer, writer_setup
from yibao.storage.group_commit import GroupCommitter, commit, in_savepoint
from yibao.storage.journal_chain import (
    ADVANCE_HEAD,
    FREE_HEAD,
    HEAD_OF,
    JOURNAL_DEFAULTS,
    PG_CHAINS,
    ChainHead,
    chain_count,
    create_heads,
    row_mac,
)
from yibao.storage.prepared import (
    Cursor,
    Driver,
    Params,
    Prepared,
    Row,
    RowClass,
    Statements,
    check_fields,
    driver,
)
from yibao.storage.rows import (
    AccumulatorAmount,
    ActiveSettlement,
    FeeRow,
    FeeSn,
    MessageRow,
    OpenVisit,
    SettlementRow,
    SigninRow,
    VisitRow,
)
from yibao.storage.sealing import DataKey, DataKeyError, Sealer, register, resolve_key, sealer_of
from yibao.storage.wal_sync import WalFile
from yibao.storage.write_lock import WriteLock

DEFAULT_DB = "sqlite:///yibao.db"
T = TypeVar("T")
V = TypeVar("V")
R = TypeVar("R", bound=tuple[object, ...])  # a row class (yibao.storage.rows)


def to_fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def from_fen(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


class StoreUnusable(RuntimeError):
    """The store named cannot be used; the text says why and what to do."""


class SchemaMismatch(StoreUnusable):
    pass


class Store:
    def __init__(self, url: str = DEFAULT_DB, data_key: DataKey | str | None = None) -> None:
        """`data_key`: the key that seals personal data and chains the journal, or the path of its file; by
        default $YIBAO_DATA_KEY or a key file made on first use (src/yibao/storage/sealing.py)."""
        try:
            parsed = make_url(url)
        except ArgumentError as e:
            raise StoreUnusable(f"--db {url!r} is no database URL ({e}); e.g. sqlite:///yibao.db") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        database = parsed.database if self.is_sqlite and parsed.database != ":memory:" else None
        if self.is_sqlite and not database:
            # Each connection to an in-memory SQLite database is a database of its own: the gateway's
            # connections (its threads, the writer, the core process) would each see a different store.
            raise StoreUnusable(
                f"--db {url!r}: an in-memory SQLite store cannot be shared by the gateway's connections; "
                "name a file (sqlite:///yibao.db, or one under /dev/shm for a store in memory)"
            )
        self.is_sqlite_file = bool(database)
        if self.is_sqlite:
            if database:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8, max_overflow=8
            )
            _sqlite_setup(self.engine)
        else:
            try:
                self.engine = create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=True)
            except (NoSuchModuleError, ArgumentError) as e:
                raise StoreUnusable(
                    f"--db {parsed.render_as_string(hide_password=True)}: {e}; the store is SQLite "
                    "(sqlite:///FILE) or PostgreSQL (postgresql+psycopg://USER@HOST:PORT/DB)"
                ) from None
        self._write_lock: AbstractContextManager[object, None] = nullcontext()
        if self.is_sqlite:
            self._write_lock = WriteLock(Path(database)) if database else threading.Lock()
        try:
            key = data_key if isinstance(data_key, DataKey) else resolve_key(data_key, database)
        except DataKeyError as e:
            raise StoreUnusable(str(e)) from None
        self.sealer = Sealer(key)
        register(self.engine.dialect, self.sealer)
        self.chain_key = key.derive("journal chain v1")
        self.statements = Statements(self.engine.dialect)
        self._group_lock = threading.Lock()
        self._committer: GroupCommitter[Tx] | None = None
        self._grouping = threading.local()
        self._group_conn: Connection | None = None  # Store.group's
        self._checkpointer: Checkpointer | None = None
        self._wal = WalFile(database) if database else None
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
            self._check_key(url)
            return
        t.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.execute(insert(t.meta).values(key="schema_version", value=t.SCHEMA_VERSION))
            conn.execute(insert(t.meta).values(key="data_key_check", value=self.sealer.check))
            create_heads(conn, chain_count(self.is_sqlite))

    def _check_key(self, url: str) -> None:
        """A store opened with another key than it was made with is refused now, not call by call."""
        with self.engine.connect() as conn:
            check = conn.scalar(select(t.meta.c.value).where(t.meta.c.key == "data_key_check"))
        if check != self.sealer.check:
            raise StoreUnusable(
                f"the store {make_url(url).render_as_string(hide_password=True)} was sealed with another data key "
                f"than {self.sealer.key.source}; give the key it was made with (--data-key FILE or $YIBAO_DATA_KEY). "
                "Without it its personal data cannot be read: start a new store (docs/security.md)"
            )

    def transact(self, work: Callable[[Tx], T]) -> T:
        """Run `work(tx)` in a write transaction and return its result once committed: all of its writes or
        none. On an SQLite file the calls of all threads are group-committed (src/yibao/storage/group_commit.py)."""
        bound: Tx | None = getattr(self._grouping, "tx", None)
        if bound is not None:  # inside group(): a savepoint of the group's transaction
            outcome = in_savepoint(bound._raw, bound, work)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome[0]
        if not self.is_sqlite_file:
            with self.write() as tx:
                return work(tx)
        with self._group_lock:
            if self._committer is None:
                # started on first use: never before a fork (gateway/yibao/gateway/prefork.py)
                self._start_checkpointer()
                self._committer = GroupCommitter(
                    self.engine, self._tx, self._write_lock, writer_setup, after=self.between_groups
                )
        return self._committer.submit(work)

    @contextmanager
    def group(self, *, deferred_sync: bool = False) -> Iterator[None]:
        """Every `transact` of this thread until the block ends runs in one transaction, a savepoint each, committed
        (one fsync) when the block ends: the settlement core's group commit (adapters/yibao/adapters/core_process.py).
        One thread's groups only: they share a connection held from the first group on, which saves a pool
        checkout and its reset per group (docs/performance.md, item 12).

        `deferred_sync`: commit without waiting for the disk; nobody may be told of the group's outcome before
        `sync()` has returned (src/yibao/storage/wal_sync.py)."""
        with self._write_lock:
            conn = self._group_conn or self._open_group_conn()
            raw = driver(conn)
            if conn.info.get("deferred_sync") != deferred_sync:
                raw.execute(f"PRAGMA synchronous={'NORMAL' if deferred_sync else 'FULL'}")
                conn.info["deferred_sync"] = deferred_sync
            try:
                transaction = conn.begin()
                self._grouping.tx = Tx(conn, self.statements, self.chain_key)
                try:
                    yield
                except BaseException:  # before the commit: nothing of the group is kept
                    transaction.rollback()
                    raise
                finally:
                    self._grouping.tx = None
                commit(transaction)  # or CommitUncertain
            except BaseException:  # whatever broke may have broken the connection too: the next group opens its own
                self._group_conn = None
                conn.invalidate()  # discarded, not pooled: its synchronous=NORMAL must not serve other uses
                conn.close()
                raise

    def _open_group_conn(self) -> Connection:
        with self._group_lock:  # the first group's connection: started in the process that writes (prefork.py)
            self._start_checkpointer()
        conn = self.engine.connect()
        writer_setup(driver(conn))
        self._group_conn = conn
        return conn

    def sync(self) -> None:
        """Make every group committed with `deferred_sync` durable (src/yibao/storage/wal_sync.py)."""
        if self._wal is not None:
            faults.hit("fsync")
            self._wal.sync()

    def between_groups(self, dbapi_conn: Driver | None = None) -> None:
        """The writer's moment for housekeeping, once a group is committed and answered (checkpoint.py);
        on `dbapi_conn`, or a connection of the pool."""
        if self._checkpointer is None or not self._checkpointer.due():
            return
        with self._write_lock:  # no other process's writer appends meanwhile
            if dbapi_conn is not None:
                self._checkpointer.finish(dbapi_conn)
                return
            with self.engine.connect() as conn:
                self._checkpointer.finish(driver(conn))

    def _tx(self, conn: Connection) -> Tx:
        return Tx(conn, self.statements, self.chain_key)

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One transaction: everything inside commits together or not at all. A failure inside rolls it back and
        is raised as it is; a failure of the commit is raised as CommitUncertain (write_failures.py)."""
        with self._write_lock, self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                yield Tx(conn, self.statements, self.chain_key)
                faults.hit("write")  # a disk error on the last write: everything written must go
            except BaseException:
                transaction.rollback()
                raise
            commit(transaction)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self.engine.connect().execution_options(read_only=True) as conn:
            yield Tx(conn, self.statements, self.chain_key)
            conn.rollback()

    def seed_persons(self, balances: dict[str, Decimal]) -> int:
        """Give every person of the world a state row the first time they are seen."""
        with self.write() as tx:
            known = set(tx.conn.scalars(select(t.person_state.c.psn_no)))
            rows = [{"psn_no": p, "acct_balc_fen": to_fen(b)} for p, b in balances.items() if p not in known]
            if rows:
                tx.conn.execute(insert(t.person_state), rows)
        return len(rows)

    def _start_checkpointer(self) -> None:
        """Once, in the process that writes (threads do not survive a fork): see src/yibao/storage/checkpoint.py."""
        if self._checkpointer is None and self._wal is not None:
            self._checkpointer = Checkpointer(self.engine, self._wal.path)

    def close(self) -> None:
        if self._group_conn is not None:
            self._group_conn.close()
            self._group_conn = None
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        if self._committer is not None:
            self._committer.close()
            self._committer = None
        if self._wal is not None:
            self._wal.close()
        self.engine.dispose()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
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
        # On the driver's connection: through SQLAlchemy's execution it cost several times more (cProfile)
        driver(conn).execute("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")


def _b(name: str) -> BindParameter[object]:
    return bindparam(name)


f, v, s, a, p, m = t.fee, t.visit, t.settlement, t.accumulator, t.person_state, t.message


def _fee_queries() -> dict[tuple[bool, bool], Executable]:
    """The fees of a visit: (unsettled only?, one charge batch?) -> statement."""
    return {
        (unsettled, batch): select(f)
        .where(
            f.c.mdtrt_id == _b("b_mdtrt"),
            *([f.c.setl_id.is_(None)] if unsettled else []),
            *([f.c.chrg_bchno == _b("b_batch")] if batch else []),
        )
        .order_by(f.c.feedetl_sn)
        for unsettled in (False, True)
        for batch in (False, True)
    }


class _Q:
    """The statements of the hot path, built once: building a SQLAlchemy statement costs more than running
    it (py-spy put statement construction at 62% of the gateway's CPU before this)."""

    signin = select(t.signin).where(t.signin.c.sign_no == _b("b_sign_no"))
    add_signin = insert(t.signin)
    sign_out = update(t.signin).where(t.signin.c.sign_no == _b("b_sign_no")).values(signout_time=_b("b_when"))
    message = select(m).where(m.c.msgid == _b("b_msgid"))
    claim = insert(m)
    set_reply = update(m).where(m.c.msgid == _b("b_msgid")).values(reply=_b("b_reply"), refused=_b("b_refused"))
    journal = insert(t.journal)
    lock_person = select(p.c.acct_balc_fen).where(p.c.psn_no == _b("b_psn")).with_for_update()
    balance = select(p.c.acct_balc_fen).where(p.c.psn_no == _b("b_psn"))
    add_to_account = update(p).where(p.c.psn_no == _b("b_psn")).values(acct_balc_fen=p.c.acct_balc_fen + _b("b_fen"))
    accumulators = select(a.c.acc_key, a.c.amount_fen).where(a.c.psn_no == _b("b_psn"), a.c.year == _b("b_year"))
    add_to_accumulator = (
        update(a)
        .where(a.c.psn_no == _b("b_psn"), a.c.year == _b("b_year"), a.c.acc_key == _b("b_key"))
        .values(amount_fen=a.c.amount_fen + _b("b_fen"))
    )
    new_accumulator = insert(a)
    visit = select(v).where(v.c.mdtrt_id == _b("b_mdtrt"))
    open_visit = select(v.c.mdtrt_id).where(
        v.c.fixmedins_code == _b("b_code"), v.c.ipt_otp_no == _b("b_ipt"), v.c.status == "open"
    )
    add_visit = insert(v)
    visits_by_cert = select(v).where(v.c.mdtrt_cert_bidx == _b("b_bidx")).order_by(v.c.created_at, v.c.mdtrt_id)
    update_visit = update(v).where(v.c.mdtrt_id == _b("b_mdtrt"))  # SET: the columns given
    fees: ClassVar[dict[tuple[bool, bool], Executable]] = _fee_queries()
    fee_sns = select(f.c.feedetl_sn).where(f.c.mdtrt_id == _b("b_mdtrt"))
    add_fees = insert(f)
    unsettled = (f.c.mdtrt_id == _b("b_mdtrt"), f.c.setl_id.is_(None))
    delete_all_unsettled = f.delete().where(*unsettled)
    delete_unsettled_sn = f.delete().where(*unsettled, f.c.feedetl_sn == _b("b_sn"))
    delete_unsettled_batch = f.delete().where(*unsettled, f.c.chrg_bchno == _b("b_batch"))
    mark_fee = update(f).where(*unsettled, f.c.feedetl_sn == _b("b_sn")).values(setl_id=_b("b_setl"))
    release_fees = update(f).where(f.c.setl_id == _b("b_setl")).values(setl_id=None)
    settlement = select(s).where(s.c.setl_id == _b("b_setl"))
    active = select(s.c.setl_id).where(s.c.mdtrt_id == _b("b_mdtrt"), s.c.kind == "settle", s.c.reversed_by.is_(None))
    active_batch = active.where(s.c.chrg_bchno == _b("b_batch"))
    add_settlement = insert(s)
    mark_reversed = (
        update(s).where(s.c.setl_id == _b("b_setl"), s.c.reversed_by.is_(None)).values(reversed_by=_b("b_rev"))
    )


class Tx:
    """Queries inside one transaction. `one`/`all`/`scalar`/`run`/`insert` run prebuilt statements on the
    driver's cursor (src/yibao/storage/prepared.py); `fetch_one`/`fetch_all` run statements built per call through
    SQLAlchemy; `conn` is the SQLAlchemy connection for the rest. A select's rows come back as the row class
    given (yibao.storage.rows), whose fields are its columns, or as a `Row` made for the statement."""

    def __init__(self, conn: Connection, statements: Statements, chain_key: bytes) -> None:
        self.conn = conn
        self._statements = statements
        self._raw = driver(conn)
        self._chain_key = chain_key

    def _execute(self, stmt: Executable, params: Params, keys: tuple[str, ...] | None = None,
                 row: RowClass | None = None) -> tuple[Cursor, Prepared]:  # fmt: skip
        p = self._statements.get(stmt, keys, row)
        try:
            return self._raw.execute(p.sql, p.args(params)), p
        except self._statements.driver_error as e:  # as SQLAlchemy would raise it (IntegrityError, ...)
            raise DBAPIError.instance(p.sql, dict(params), e, self._statements.driver_error) from e

    @overload
    def one(self, stmt: Executable, params: Params) -> Row | None: ...
    @overload
    def one(self, stmt: Executable, params: Params, row: type[R]) -> R | None: ...
    def one(self, stmt: Executable, params: Params, row: RowClass | None = None) -> tuple[object, ...] | None:
        """The first row, or None."""
        cursor, p = self._execute(stmt, params, row=row)
        found = cursor.fetchone()
        return None if found is None else p.make(found)

    @overload
    def all(self, stmt: Executable, params: Params) -> list[Row]: ...
    @overload
    def all(self, stmt: Executable, params: Params, row: type[R]) -> list[R]: ...
    def all(self, stmt: Executable, params: Params, row: RowClass | None = None) -> Sequence[tuple[object, ...]]:
        cursor, p = self._execute(stmt, params, row=row)
        if p.opens:
            return [p.make(r) for r in cursor.fetchall()]
        new, cls = tuple.__new__, p.row
        return [new(cls, r) for r in cursor.fetchall()]

    @overload
    def scalar(self, stmt: Executable, params: Params) -> object: ...
    @overload
    def scalar(self, stmt: Executable, params: Params, kind: type[V]) -> V | None: ...
    def scalar(self, stmt: Executable, params: Params, kind: type[object] | None = None) -> object:
        """The first column of the first row, or None; with `kind`, a value of that type (or None)."""
        cursor, p = self._execute(stmt, params)
        found = cursor.fetchone()
        value = None if found is None else p.make(found)[0]
        if kind is not None and value is not None and not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__} from the database, got {value!r}")
        return value

    def run(self, stmt: Executable, params: Params, keys: tuple[str, ...] | None = None) -> int:
        """An UPDATE or DELETE (`keys`: the columns an UPDATE without values() sets); returns the rows changed."""
        return int(self._execute(stmt, params, keys)[0].rowcount)

    def insert(self, stmt: Insert, row: Params) -> None:
        self._execute(stmt, row, tuple(row))

    def insert_many(self, stmt: Insert, rows: Sequence[Params]) -> None:
        if rows:
            self.run_many(stmt, rows, tuple(rows[0]))

    def run_many(self, stmt: Executable, rows: Sequence[Params], keys: tuple[str, ...] | None = None) -> None:
        """One statement for each of `rows`, in one driver call."""
        if rows:
            p = self._statements.get(stmt, keys)
            try:
                self._raw.cursor().executemany(p.sql, [p.args(r) for r in rows])
            except self._statements.driver_error as e:
                raise DBAPIError.instance(p.sql, [dict(r) for r in rows], e, self._statements.driver_error) from e

    def fetch_one(self, stmt: Executable, row: type[R]) -> R | None:
        """The first row of a statement built per call (run through SQLAlchemy), or None."""
        result = self.conn.execute(stmt)
        check_fields(row, result.keys())
        found = result.first()
        return None if found is None else tuple.__new__(row, found)

    def fetch_all(self, stmt: Executable, row: type[R]) -> list[R]:
        """The rows of a statement built per call (run through SQLAlchemy)."""
        result = self.conn.execute(stmt)
        check_fields(row, result.keys())
        return [tuple.__new__(row, r) for r in result]

    # -- sign-in
    def signin(self, sign_no: str) -> SigninRow | None:
        return self.one(_Q.signin, {"b_sign_no": sign_no}, SigninRow)

    def add_signin(self, **row: object) -> None:
        self.insert(_Q.add_signin, row)

    def sign_out(self, sign_no: str, when: str) -> None:
        self.run(_Q.sign_out, {"b_sign_no": sign_no, "b_when": when})

    # -- idempotency and journal
    def message(self, msgid: str) -> MessageRow | None:
        return self.one(_Q.message, {"b_msgid": msgid}, MessageRow)

    def claim_message(self, **row: object) -> None:
        """Raises IntegrityError when the msgid is already claimed (a concurrent duplicate)."""
        self.insert(_Q.claim, row)

    def set_reply(self, msgid: str, reply: bytes, refused: bool) -> None:
        self.run(_Q.set_reply, {"b_msgid": msgid, "b_reply": reply, "b_refused": refused})

    def journal(self, **row: object) -> None:
        """Append a journal row, linked to its chain's head (src/yibao/storage/journal_chain.py)."""
        full = {**JOURNAL_DEFAULTS, **row}
        head = self.one(FREE_HEAD, {}, ChainHead)
        if head is None:  # every chain's head is held (PostgreSQL): wait for one, a different one per thread
            chain = threading.get_ident() % PG_CHAINS
            head = self.one(HEAD_OF, {"b_chain": chain}, ChainHead)
            assert head is not None, f"journal chain {chain} has no head"
        seq = head.chain_seq + 1
        mac = row_mac(self._chain_key, head.mac, head.chain, seq, full)
        self.run(ADVANCE_HEAD, {"b_chain": head.chain, "b_seq": seq, "b_mac": mac})
        self.insert(_Q.journal, {**full, "chain": head.chain, "chain_seq": seq, "mac": mac})

    # -- persons
    def lock_person(self, psn_no: str) -> Decimal | None:
        """Lock the person's row for the rest of the transaction; returns the account balance."""
        fen = self.scalar(_Q.lock_person, {"b_psn": psn_no}, int)
        return None if fen is None else from_fen(fen)

    def account_balance(self, psn_no: str) -> Decimal | None:
        fen = self.scalar(_Q.balance, {"b_psn": psn_no}, int)
        return None if fen is None else from_fen(fen)

    def add_to_account(self, psn_no: str, delta: Decimal) -> None:
        self.run(_Q.add_to_account, {"b_psn": psn_no, "b_fen": to_fen(delta)})

    def accumulators(self, psn_no: str, year: int, keys: list[str]) -> dict[str, Decimal]:
        # all of the person's year (a handful of rows), filtered here: an IN list cannot be prepared once
        rows = self.all(_Q.accumulators, {"b_psn": psn_no, "b_year": year}, AccumulatorAmount)
        found = {r.acc_key: from_fen(r.amount_fen) for r in rows}
        return {k: found.get(k, Decimal("0.00")) for k in keys}

    def add_to_accumulators(self, psn_no: str, year: int, deltas: dict[str, Decimal]) -> None:
        for key, delta in deltas.items():
            params = {"b_psn": psn_no, "b_year": year, "b_key": key, "b_fen": to_fen(delta)}
            if not self.run(_Q.add_to_accumulator, params):
                row = {"psn_no": psn_no, "year": year, "acc_key": key, "amount_fen": to_fen(delta)}
                self.insert(_Q.new_accumulator, row)

    # -- visits and fees
    def visit(self, mdtrt_id: str) -> VisitRow | None:
        return self.one(_Q.visit, {"b_mdtrt": mdtrt_id}, VisitRow)

    def open_visit_by_ipt_otp_no(self, fixmedins_code: str, ipt_otp_no: str) -> OpenVisit | None:
        return self.one(_Q.open_visit, {"b_code": fixmedins_code, "b_ipt": ipt_otp_no}, OpenVisit)

    def add_visit(self, **row: object) -> None:
        self.insert(_Q.add_visit, {**row, "mdtrt_cert_bidx": self.cert_index(str(row["mdtrt_cert_no"]))})

    def cert_index(self, mdtrt_cert_no: str) -> str:
        """The blind index of a certificate number (visit.mdtrt_cert_bidx)."""
        return sealer_of(self.conn.dialect).blind_index("mdtrt_cert_no", mdtrt_cert_no)

    def visits_by_certificate(self, mdtrt_cert_no: str) -> list[VisitRow]:
        """The visits made with a certificate, found by its blind index (the number itself is sealed)."""
        return self.all(_Q.visits_by_cert, {"b_bidx": self.cert_index(mdtrt_cert_no)}, VisitRow)

    def update_visit(self, mdtrt_id: str, **values: object) -> None:
        self.run(_Q.update_visit, {**values, "b_mdtrt": mdtrt_id}, tuple(values))

    def fees(self, mdtrt_id: str, *, unsettled_only: bool = False, chrg_bchno: str | None = None) -> list[FeeRow]:
        stmt = _Q.fees[unsettled_only, chrg_bchno is not None]
        return self.all(stmt, {"b_mdtrt": mdtrt_id, "b_batch": chrg_bchno}, FeeRow)

    def fee_sns(self, mdtrt_id: str) -> set[str]:
        return {r.feedetl_sn for r in self.all(_Q.fee_sns, {"b_mdtrt": mdtrt_id}, FeeSn)}

    def add_fees(self, rows: Sequence[Params]) -> None:
        self.insert_many(_Q.add_fees, rows)

    def delete_unsettled_fees(self, mdtrt_id: str, chrg_bchno: str | None, feedetl_sn: str | None) -> int:
        if feedetl_sn:
            return self.run(_Q.delete_unsettled_sn, {"b_mdtrt": mdtrt_id, "b_sn": feedetl_sn})
        if chrg_bchno is not None:
            params = {"b_mdtrt": mdtrt_id, "b_batch": chrg_bchno}
            return self.run(_Q.delete_unsettled_batch, params)
        return self.run(_Q.delete_all_unsettled, {"b_mdtrt": mdtrt_id})

    def mark_fees_settled_by_sn(self, mdtrt_id: str, feedetl_sns: list[str], setl_id: str) -> None:
        rows = [{"b_mdtrt": mdtrt_id, "b_sn": sn, "b_setl": setl_id} for sn in feedetl_sns]
        self.run_many(_Q.mark_fee, rows)

    def release_fees(self, setl_id: str) -> None:
        self.run(_Q.release_fees, {"b_setl": setl_id})

    # -- settlements
    def settlement(self, setl_id: str) -> SettlementRow | None:
        return self.one(_Q.settlement, {"b_setl": setl_id}, SettlementRow)

    def active_settlement(self, mdtrt_id: str, chrg_bchno: str | None = None) -> ActiveSettlement | None:
        """The visit's (or the charge batch's) settlement that has not been cancelled, if any."""
        if chrg_bchno is None:
            return self.one(_Q.active, {"b_mdtrt": mdtrt_id}, ActiveSettlement)
        return self.one(_Q.active_batch, {"b_mdtrt": mdtrt_id, "b_batch": chrg_bchno}, ActiveSettlement)

    def add_settlement(self, **row: object) -> None:
        self.insert(_Q.add_settlement, row)

    def mark_reversed(self, setl_id: str, reversal_id: str) -> int:
        return self.run(_Q.mark_reversed, {"b_setl": setl_id, "b_rev": reversal_id})
