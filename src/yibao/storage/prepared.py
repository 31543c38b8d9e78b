"""Hot-path statements compiled once per dialect and run on the driver's cursor.

SQLAlchemy Core spends 37–54 µs per `Connection.execute` of an already-built statement (execution
context, events, result set-up) against 3.5–4 µs prepared (`scripts/profile_inprocess.py
statements`); a visit runs ~70 statements. So the statements the gateway runs on every call are
written once in SQLAlchemy Core (portable, checked against the schema), compiled once for the
store's dialect, and executed on the DB-API connection inside the same transaction. Everything else
keeps using `tx.conn`.

Only statements built once (module level) may be prepared: the cache holds them by identity.
Rows come back as named tuples (attribute access, `_asdict()`), values as the driver gives them:
a Boolean column is 0/1 on SQLite.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert, Update

MAX_PREPARED = 1000  # far above the statements the code defines; more means a statement built per call


@dataclass(frozen=True, slots=True)
class Prepared:
    sql: str
    order: tuple[str, ...] | None  # parameter names in placeholder order; None for named placeholders
    base: dict[str, Any]  # values bound in the statement itself, and the table's scalar defaults
    row: Any  # the named-tuple class of a select's rows, else None

    def args(self, params: dict[str, Any]) -> Any:
        merged = {**self.base, **params}
        return merged if self.order is None else tuple([merged[k] for k in self.order])


def prepare(stmt: Executable, dialect: Dialect, keys: tuple[str, ...] | None = None) -> Prepared:
    """Compile `stmt`; for an INSERT, `keys` are the columns the rows give (the table's scalar
    defaults fill the others that have one); for an UPDATE without values(), the columns it sets."""
    defaults: dict[str, Any] = {}
    if isinstance(stmt, Update) and keys is not None:  # an UPDATE without values(): SET the columns given
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
    elif isinstance(stmt, Insert):
        assert keys is not None, "an INSERT is prepared for the columns its rows give"
        for column in stmt.table.columns:  # type: ignore[attr-defined]
            if column.key not in keys and column.default is not None and column.default.is_scalar:
                defaults[column.key] = column.default.arg
        compiled = stmt.compile(dialect=dialect, column_keys=[*keys, *defaults])
    else:
        compiled = stmt.compile(dialect=dialect)
    base = compiled.construct_params(_check=False)  # every parameter, with the values bound in the statement
    base.update(defaults)
    order = tuple(compiled.positiontup) if compiled.positional else None  # type: ignore[arg-type]
    row = None
    if getattr(stmt, "is_select", False):
        row = namedtuple("Row", list(stmt.selected_columns.keys()), rename=True)  # type: ignore[attr-defined,misc]
    return Prepared(compiled.string, order, base, row)


class Statements:
    """The prepared statements of one store (one dialect)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.driver_error: type[Exception] = dialect.loaded_dbapi.Error
        self._cache: dict[Any, Prepared] = {}

    def get(self, stmt: Executable, keys: tuple[str, ...] | None = None) -> Prepared:
        key = (stmt, keys)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= MAX_PREPARED:
                raise RuntimeError("too many prepared statements: prepare only statements built once")
            found = self._cache[key] = prepare(stmt, self.dialect, keys)
        return found
