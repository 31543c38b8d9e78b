"""What a failed write means for the call that made it: carried out, not, or unknown.

A failure inside a transaction, before its commit (a statement refused, a disk error on a write), rolls the
transaction (or the unit's savepoint) back: nothing of it was written, so "not carried out" is true. A failure of
the commit itself is different: the database may have made the transaction durable before the error reached us
(a COMMIT whose answer was lost, an I/O error after the log was written), so its outcome is unknown, and only a
later read (Y5203) can tell. The store raises `CommitUncertain` for those, chained to the cause.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError


class CommitUncertain(RuntimeError):
    """The commit failed: whether the transaction took effect is unknown."""


def is_write_failure(error: BaseException) -> bool:
    """The database or the disk refused a write (not a bug in the work): an OSError, or a driver's operational error
    (through SQLAlchemy, or raised by the driver's cursor on the hot path, src/yibao/storage/prepared.py)."""
    if isinstance(error, IntegrityError):  # a constraint: the work's own business (e.g. a msgid claimed twice)
        return False
    return isinstance(error, (OSError, DBAPIError, sqlite3.OperationalError)) or _is_psycopg_operational(error)


def _is_psycopg_operational(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith("psycopg") and any(c.__name__ == "OperationalError" for c in type(error).__mro__)
