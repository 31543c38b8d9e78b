"""A store back to the world's initial state (`yibao reset --db URL`, `yibao serve --fresh`).

The initial state is what a first start makes of an empty database: the tables, and every person of the world
with the account balance the world gives them. So a reset removes the store, and the next start makes it anew
(as `yibao serve --fresh` does at once): an SQLite file is deleted with its WAL (quicker than emptying the tables
of a store a load run has grown by gigabytes, and it gives the space back); on PostgreSQL every table of the
schema is dropped. The files beside an SQLite file (its lock files, a data key) stay, so the new store is sealed
with the same key. Everything written since is gone: sign-ins, visits, fees, settlements, filings, messages and
the journal, region status set by operators (Y9102), clearing. The certification lab's sessions, each in a store
of its own beside this one, are not touched (`yibao cert reset` resets one).
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, func, inspect, select

from yibao.storage import schema as t
from yibao.storage.serving import exclusively, sqlite_file

COUNTED = (t.settlement, t.visit, t.message)  # what the report of a reset says was removed


def reset_store(url: str) -> dict[str, int]:
    """Remove the store at `url` (the next start makes it anew); the rows of COUNTED it held, by table.
    StoreInUse (yibao.storage.serving) when a gateway serves it."""
    with exclusively(url):
        engine = _plain_engine(url)
        try:
            removed = _counts(engine)
            if sqlite_file(url) is None:
                t.metadata.drop_all(engine)
        finally:
            engine.dispose()
        database = sqlite_file(url)
        if database is not None:
            for path in (database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
    return removed


def _plain_engine(url: str) -> Engine:
    """An engine without the Store's set-up: a store made by another version of the schema is reset too."""
    if sqlite_file(url) is not None:
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url)


def _counts(engine: Engine) -> dict[str, int]:
    existing = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as conn:
        for table in COUNTED:
            if table.name in existing:
                counts[table.name] = int(conn.scalar(select(func.count()).select_from(table)) or 0)
    return counts
