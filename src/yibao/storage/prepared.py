"""Hot-path statements compiled once per dialect and run on the driver's cursor.

SQLAlchemy Core spends 37–54 µs per `Connection.execute` of an already-built statement (execution
context, events, result set-up) against 3.5–4 µs prepared (`scripts/profile_inprocess.py
statements`); a visit runs ~70 statements. So the statements the gateway runs on every call are
written once in SQLAlchemy Core (portable, checked against the schema), compiled once for the
store's dialect, and executed on the DB-API connection inside the same transaction. Everything else
keeps using `tx.conn`.

Only statements built once (module level) may be prepared: the cache holds them by identity.
A select's rows come back as its row class (a NamedTuple of yibao.storage.rows, whose fields are checked
against the statement's columns here, once), or as a `Row` made for the statement; values as the driver
gives them: a Boolean column is 0/1 on SQLite. The one exception is a sealed column (sealing.py): its values
are sealed when bound and opened when read, here as SQLAlchemy does, so callers see plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import ClassVar, Protocol, TypeAlias, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.schema import ColumnDefault
from sqlalchemy.sql.selectable import SelectBase

from yibao.storage.sealing import SealedColumn

MAX_PREPARED = 1000  # far above the statements the code defines; more means a statement built per call

Params: TypeAlias = Mapping[str, object]  # bound parameters and column values by name
Args: TypeAlias = Mapping[str, object] | tuple[object, ...]  # as the driver takes them: named or positional
RowClass: TypeAlias = type[tuple[object, ...]]  # a NamedTuple class, or a Row class
Convert: TypeAlias = Callable[[object], object]  # seals a bound value, or opens a value read


class Cursor(Protocol):
    """What the store uses of a DB-API cursor (sqlite3's and psycopg's)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Sequence[object] | None: ...

    def fetchall(self) -> Sequence[Sequence[object]]: ...

    def executemany(self, sql: str, rows: Sequence[Args], /) -> object: ...


class Driver(Protocol):
    """What the store uses of a DB-API connection: sqlite3's and psycopg's both have `execute`."""

    def execute(self, sql: str, args: Args = ..., /) -> Cursor: ...

    def cursor(self) -> Cursor: ...


def driver(conn: Connection) -> Driver:
    """The DB-API connection under a SQLAlchemy connection."""
    return cast(Driver, conn.connection.dbapi_connection)


class Row(tuple[object, ...]):
    """A row of a select that names no row class: its columns by name (`row.sign_no`, `row._asdict()`), as a
    named tuple would give them. Each statement gets a subclass (`row_class`)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _asdict(self) -> dict[str, object]:
        return dict(zip(self._fields, self, strict=True))

    def __repr__(self) -> str:
        return f"Row({', '.join(f'{k}={v!r}' for k, v in zip(self._fields, self, strict=True))})"

    def __getattr__(self, name: str) -> object:
        """Never called for a column (each is a property of the subclass); declares them to the type checker."""
        raise AttributeError(f"the row has no column {name!r}; it has {', '.join(self._fields)}")


def row_class(names: Sequence[str]) -> type[Row]:
    attrs: dict[str, object] = {"__slots__": (), "_fields": tuple(names)}
    attrs.update({name: property(itemgetter(i)) for i, name in enumerate(names)})
    return type("Row", (Row,), attrs)


@dataclass(frozen=True, slots=True)
class Prepared:
    sql: str
    order: tuple[str, ...] | None  # parameter names in placeholder order; None for named placeholders
    base: dict[str, object]  # values bound in the statement itself, and the table's scalar defaults
    row: RowClass  # the class of a select's rows (a Row class for any other statement: unused)
    seals: tuple[tuple[str, Convert], ...] = ()  # bound parameters of sealed columns
    opens: tuple[tuple[int, Convert], ...] = ()  # selected sealed columns, by position

    def args(self, params: Params) -> Args:
        merged = {**self.base, **params}
        for name, seal in self.seals:
            if name in merged:
                merged[name] = seal(merged[name])
        return merged if self.order is None else tuple([merged[k] for k in self.order])

    def make(self, found: Sequence[object]) -> tuple[object, ...]:
        """A row as the statement's row class, its sealed columns opened."""
        if self.opens:
            values = list(found)
            for i, open_ in self.opens:
                values[i] = open_(values[i])
            found = values
        return tuple.__new__(self.row, found)


def prepare(stmt: Executable, dialect: Dialect, keys: tuple[str, ...] | None = None,
            row: RowClass | None = None) -> Prepared:  # fmt: skip
    """Compile `stmt`; for an INSERT, `keys` are the columns the rows give (the table's scalar
    defaults fill the others that have one); for an UPDATE without values(), the columns it sets.
    A select's rows are made as `row`, whose fields must be its columns, or as a Row class made for it."""
    if not isinstance(stmt, ClauseElement):
        raise TypeError(f"only SQLAlchemy Core statements are prepared, not {type(stmt).__name__}")
    defaults: dict[str, object] = {}
    column_keys: list[str] | None = None
    if isinstance(stmt, Update) and keys is not None:  # an UPDATE without values(): SET the columns given
        column_keys = list(keys)
    elif isinstance(stmt, Insert):
        assert keys is not None, "an INSERT is prepared for the columns its rows give"
        for column in stmt.table.columns:
            default = column.default
            if column.key not in keys and isinstance(default, ColumnDefault) and default.is_scalar:
                defaults[column.key] = default.arg
        column_keys = [*keys, *defaults]
    compiled = stmt.compile(dialect=dialect, column_keys=column_keys)
    if not isinstance(compiled, SQLCompiler):
        raise TypeError(f"only SQL statements are prepared, not {type(stmt).__name__}")
    base: dict[str, object] = dict(compiled.construct_params(_check=False) or {})  # with the values bound in it
    base.update(defaults)
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup is not None else None
    columns = tuple(stmt.selected_columns.keys()) if isinstance(stmt, SelectBase) else ()
    if row is None:
        row = row_class(columns)
    else:
        check_fields(row, columns)
    seals = tuple((name, partial(b.type.seal, dialect=dialect)) for name, b in compiled.binds.items()
                  if isinstance(b.type, SealedColumn))  # fmt: skip
    opens = ()
    if isinstance(stmt, SelectBase):
        opens = tuple((i, partial(c.type.unseal, dialect=dialect)) for i, c in enumerate(stmt.selected_columns)
                      if isinstance(c.type, SealedColumn))  # fmt: skip
    return Prepared(compiled.string, order, base, row, seals, opens)


def check_fields(row: RowClass, columns: Iterable[str]) -> None:
    """A row class must name the columns its statement selects, in their order."""
    selected, fields = tuple(columns), getattr(row, "_fields", None)
    if fields != selected:
        raise TypeError(f"{row.__name__} has the fields {fields}, but the statement selects {selected}")


class Statements:
    """The prepared statements of one store (one dialect)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.driver_error: type[Exception] = dialect.loaded_dbapi.Error
        self._cache: dict[tuple[Executable, tuple[str, ...] | None, RowClass | None], Prepared] = {}

    def get(self, stmt: Executable, keys: tuple[str, ...] | None = None, row: RowClass | None = None) -> Prepared:
        key = (stmt, keys, row)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= MAX_PREPARED:
                raise RuntimeError("too many prepared statements: prepare only statements built once")
            found = self._cache[key] = prepare(stmt, self.dialect, keys, row)
        return found
