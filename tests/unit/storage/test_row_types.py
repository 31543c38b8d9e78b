"""The store's typed rows (yibao.storage.rows): each names its table's columns in the table's order with the
Python type the column holds, so a driver row becomes one as it is; and the queries return them, with the
values each backend gives, on SQLite and PostgreSQL."""

from __future__ import annotations

import typing
from types import NoneType, UnionType

import pytest
from sqlalchemy import BigInteger, Boolean, Integer, LargeBinary, String, Table, Text, bindparam, select

from yibao.storage import filings, inspection, ledger, regions
from yibao.storage import rows as r
from yibao.storage import schema as t
from yibao.storage.prepared import Row, Statements
from yibao.storage.sealing import SealedBytes, SealedText
from yibao.storage.store import Store, from_fen

WHOLE_TABLES: dict[type[tuple[object, ...]], Table] = {
    r.SigninRow: t.signin,
    r.MessageRow: t.message,
    r.JournalRow: t.journal,
    r.VisitRow: t.visit,
    r.FeeRow: t.fee,
    r.SettlementRow: t.settlement,
    r.SettlementCalcRow: t.settlement_calc,
    r.ReversalRow: t.reversal,
    r.ClearingRow: t.clearing,
    r.FilingRow: t.filing,
    r.BanRow: t.commitment_ban,
    r.ChronicFilingRow: t.chronic_filing,
}
# rows of some columns, or of a join: (table, columns) for each part, in order
PARTS: dict[type[tuple[object, ...]], list[tuple[Table, tuple[str, ...] | None]]] = {
    r.JournalSummary: [(t.journal, inspection.LIST_COLUMNS)],
    r.AccumulatorAmount: [(t.accumulator, ("acc_key", "amount_fen"))],
    r.OpenVisit: [(t.visit, ("mdtrt_id",))],
    r.FeeSn: [(t.fee, ("feedetl_sn",))],
    r.ActiveSettlement: [(t.settlement, ("setl_id",))],
    r.LaterSettlement: [(t.settlement, None), (t.settlement_calc, ("seq", "calc", "amounts"))],
    r.UnclearedRecord: [(t.settlement, None), (t.clearing_item, ("clr_id",))],  # clr_id as orig_cleared_in
    r.UnreachableRow: [(t.region_status, ("admdvs", "since", "reason"))],
    r.WindowRow: [(t.region_window, ("admdvs", "begntime", "endtime", "reason"))],
    r.Reachability: [(t.region_status, ("unreachable",))],
}


def python_type(column_type: object) -> type:
    kinds = ((SealedText, str), (SealedBytes, bytes), (Boolean, int), (LargeBinary, bytes), (BigInteger, int),
             (Integer, int), (String, str))  # fmt: skip
    for sql, py in kinds:
        if isinstance(column_type, sql):
            return py
    assert isinstance(column_type, Text), column_type
    return str


def expected(table: Table, names: tuple[str, ...] | None) -> list[tuple[str, object]]:
    columns = [table.c[n] for n in names] if names is not None else list(table.columns)
    return [
        (c.key, python_type(c.type) | None if c.nullable and not c.primary_key else python_type(c.type))
        for c in columns
    ]


def fields(row: type[tuple[object, ...]]) -> list[tuple[str, object]]:
    hints = typing.get_type_hints(row)
    return [(name, _plain(hints[name])) for name in row._fields]


def _plain(hint: object) -> object:
    """`str | None` as the same union object whatever way it was written."""
    if isinstance(hint, UnionType):
        args = typing.get_args(hint)
        return args[0] | args[1] if len(args) == 2 and NoneType in args else hint
    return hint


@pytest.mark.parametrize("row", list(WHOLE_TABLES), ids=lambda row: row.__name__)
def test_a_tables_row_names_its_columns_in_order_with_their_types(row: type[tuple[object, ...]]) -> None:
    assert fields(row) == expected(WHOLE_TABLES[row], None)


@pytest.mark.parametrize("row", list(PARTS), ids=lambda row: row.__name__)
def test_a_partial_or_joined_row_names_the_columns_selected(row: type[tuple[object, ...]]) -> None:
    want = [field for table, names in PARTS[row] for field in expected(table, names)]
    if row is r.UnclearedRecord:  # the original's clearing, found by an outer join: NULL when none
        want[-1] = ("orig_cleared_in", str | None)
    assert fields(row) == want


def test_a_row_class_that_does_not_match_its_statement_is_refused(store: Store) -> None:
    statements = Statements(store.engine.dialect)
    by_sign_no = select(t.signin).where(t.signin.c.sign_no == bindparam("b_sign_no"))
    with pytest.raises(TypeError, match="SigninRow"):
        statements.get(select(t.signin.c.sign_no, t.signin.c.ip), row=r.SigninRow)
    assert statements.get(by_sign_no, row=r.SigninRow).row is r.SigninRow
    with store.read() as tx, pytest.raises(TypeError, match="VisitRow"):
        tx.fetch_one(select(t.signin), r.VisitRow)


def test_the_queries_return_typed_rows(store: Store) -> None:
    with store.write() as tx:
        tx.add_signin(sign_no="S1", fixmedins_code="H1", opter_no="O1", sign_time="2026-03-15 10:00:00")
        tx.claim_message(msgid="M1", infno="2201", fixmedins_code="H1", body_hash="h", created_at="x")
        tx.add_visit(mdtrt_id="V1", psn_no="P1", insutype="310", fixmedins_code="H1", mdtrtarea_admvs="130100",
                     insuplc_admdvs="130100", ipt_otp_no="I1", begntime="2026-03-15 10:00:00", mdtrt_cert_type="02",
                     mdtrt_cert_no="C", status="open", created_at="2026-03-15 10:00:00")  # fmt: skip
        tx.add_fees([{"mdtrt_id": "V1", "feedetl_sn": "F1", "chrg_bchno": "B1", "med_list_codg": "X",
                      "medins_list_codg": "X", "fee_ocur_time": "2026-03-15 10:00:00", "cnt": "1", "pric": "10",
                      "sumamt_fen": 1000, "fulamt_fen": 0, "overlmt_fen": 0, "preselfpay_fen": 0,
                      "inscp_fen": 1000}])  # fmt: skip
        tx.add_to_accumulators("P1", 2026, {"k": from_fen(250)})

        signin = tx.signin("S1")
        assert isinstance(signin, r.SigninRow) and (signin.mac, signin.signout_time) == ("", None)
        message = tx.message("M1")
        assert isinstance(message, r.MessageRow) and not message.refused and message.reply is None
        visit = tx.visit("V1")
        assert isinstance(visit, r.VisitRow)
        assert (visit.kind, visit.endtime, visit.visit_info, visit.status) == ("outpatient", None, None, "open")
        assert tx.open_visit_by_ipt_otp_no("H1", "I1") == r.OpenVisit("V1")
        [fee] = tx.fees("V1", unsettled_only=True, chrg_bchno="B1")
        assert isinstance(fee, r.FeeRow) and (fee.sumamt_fen, fee.setl_id) == (1000, None)
        assert tx.fee_sns("V1") == {"F1"}
        assert tx.accumulators("P1", 2026, ["k", "other"]) == {"k": from_fen(250), "other": from_fen(0)}
        assert tx.visit("nobody") is None and tx.settlement("nobody") is None and tx.active_settlement("V1") is None
        assert isinstance(ledger.message_for_update(tx, "M1"), r.MessageRow)
        assert ledger.calc(tx, "nobody") is None and ledger.fees_of(tx, "nobody") == []
        assert filings.filing_rows(tx, "P1") == [] and filings.chronic_rows(tx, "P1", "310") == []
        assert regions.load(tx) == regions.RuntimeAvailability()


def test_ad_hoc_selects_give_rows_by_column_name(store: Store) -> None:
    with store.write() as tx:
        tx.add_signin(sign_no="S1", fixmedins_code="H1", opter_no="O1", sign_time="2026-03-15 10:00:00")
        row = tx.one(select(t.signin.c.sign_no, t.signin.c.opter_no), {})
        assert isinstance(row, Row) and row == ("S1", "O1")
        assert (row.sign_no, row.opter_no, row._asdict()) == ("S1", "O1", {"sign_no": "S1", "opter_no": "O1"})
        assert repr(row) == "Row(sign_no='S1', opter_no='O1')"
        with pytest.raises(AttributeError, match="no column 'ip'"):
            _ = row.ip
        assert tx.scalar(select(t.signin.c.opter_no), {}, str) == "O1"
        with pytest.raises(TypeError, match="expected int"):
            tx.scalar(select(t.signin.c.opter_no), {}, int)
