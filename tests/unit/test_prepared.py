"""Prepared statements (src/yibao/storage/prepared.py): the same results and errors as SQLAlchemy's own execution,
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from yibao.storage import schema as t
from yibao.storage.prepared import MAX_PREPARED, Statements
from yibao.storage.store import Store

SIGNIN = {"sign_no": "S1", "fixmedins_code": "H1", "opter_no": "O1", "mac": "", "ip": "127.0.0.1",
          "sign_time": "2026-03-15 10:00:00", "signout_time": None}  # fmt: skip
BY_SIGN_NO = select(t.signin).where(t.signin.c.sign_no == bindparam("b_sign_no"))
OPEN_ONLY = select(t.signin.c.sign_no).where(t.signin.c.fixmedins_code == "H1", t.signin.c.signout_time.is_(None))
SET_COLUMNS = update(t.signin).where(t.signin.c.sign_no == bindparam("b_sign_no"))


def test_insert_select_update_round_trip(store: Store) -> None:
    with store.write() as tx:
        tx.insert(insert(t.signin), SIGNIN)
        row = tx.one(BY_SIGN_NO, {"b_sign_no": "S1"})
        assert (row.sign_no, row.fixmedins_code, row.signout_time) == ("S1", "H1", None)
        assert row._asdict()["ip"] == "127.0.0.1"
        assert tx.one(BY_SIGN_NO, {"b_sign_no": "nobody"}) is None
        # a literal bound in the statement itself ("H1") is kept
        assert [r.sign_no for r in tx.all(OPEN_ONLY, {})] == ["S1"]
        # an UPDATE without values() sets the columns given; the count of changed rows comes back
        assert tx.run(SET_COLUMNS, {"b_sign_no": "S1", "signout_time": "2026-03-15 11:00:00"}, ("signout_time",)) == 1
        assert tx.all(OPEN_ONLY, {}) == []
        assert tx.scalar(select(t.signin.c.signout_time).where(t.signin.c.sign_no == "S1"), {}) == "2026-03-15 11:00:00"


def test_insert_fills_the_tables_scalar_defaults(store: Store) -> None:
    with store.write() as tx:
        tx.insert(insert(t.message), {"msgid": "M1", "infno": "1101", "fixmedins_code": "H1", "body_hash": "x",
                                      "reply": None, "created_at": "20260315100000000"})  # fmt: skip
        assert not tx.one(select(t.message).where(t.message.c.msgid == "M1"), {}).refused  # default=False


def test_driver_errors_arrive_as_sqlalchemy_errors_and_roll_back(store: Store) -> None:
    with store.write() as tx:
        tx.insert(insert(t.signin), SIGNIN)
    with pytest.raises(IntegrityError), store.write() as tx:
        tx.insert_many(insert(t.signin), [{**SIGNIN, "sign_no": "S2"}, SIGNIN])
    with store.read() as tx:
        assert [r.sign_no for r in tx.all(select(t.signin.c.sign_no), {})] == ["S1"]


def test_a_statement_built_per_call_is_refused_before_the_cache_grows_without_bound(store: Store) -> None:
    statements = Statements(store.engine.dialect)
    with pytest.raises(RuntimeError, match="built once"):
        for n in range(MAX_PREPARED + 1):
            statements.get(select(t.signin).where(t.signin.c.sign_no == f"S{n}"))
