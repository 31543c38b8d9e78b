"""Tables (SQLAlchemy Core). Amounts are stored as integer fen: exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

signin = Table(
    "signin",
    metadata,
    Column("sign_no", String(30), primary_key=True),
    Column("fixmedins_code", String(30), nullable=False),
    Column("opter_no", String(30), nullable=False),
    Column("mac", String(20), nullable=False, default=""),
    Column("ip", String(20), nullable=False, default=""),
    Column("sign_time", String(19), nullable=False),
    Column("signout_time", String(19)),
)

# Idempotency: one row per accepted msgid, claimed in the same transaction as the business writes.
message = Table(
    "message",
    metadata,
    Column("msgid", String(30), primary_key=True),
    Column("infno", String(6), nullable=False),
    Column("fixmedins_code", String(30), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("reply", LargeBinary),  # serialized reply message, or serialized ErrorDetail when refused
    Column("refused", Boolean, nullable=False, default=False),
    Column("created_at", String(23), nullable=False),
)

# Every request and reply, including refusals and replays.
journal = Table(
    "journal",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("received_at", String(23), nullable=False),
    Column("infno", String(6), nullable=False),
    Column("msgid", String(40), nullable=False),
    Column("fixmedins_code", String(30), nullable=False),
    Column("outcome", String(10), nullable=False),  # ok | refused | replayed
    Column("err_code", String(40), nullable=False, default=""),
    Column("err_msg", Text, nullable=False, default=""),
    Column("duration_us", Integer, nullable=False),
    Column("request", LargeBinary, nullable=False),
    Column("reply", LargeBinary, nullable=False),
    Index("ix_journal_inst_time", "fixmedins_code", "received_at"),
    Index("ix_journal_msgid", "msgid"),
)

person_state = Table(
    "person_state",
    metadata,
    Column("psn_no", String(30), primary_key=True),
    Column("acct_balc_fen", BigInteger, nullable=False),
)

# Yearly accumulators, e.g. ("310:outpatient:dedc", 2026) → deductible paid this year.
accumulator = Table(
    "accumulator",
    metadata,
    Column("psn_no", String(30), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("acc_key", String(60), primary_key=True),
    Column("amount_fen", BigInteger, nullable=False),
)

visit = Table(
    "visit",
    metadata,
    Column("mdtrt_id", String(30), primary_key=True),
    Column("psn_no", String(30), nullable=False),
    Column("insutype", String(6), nullable=False),
    Column("fixmedins_code", String(30), nullable=False),
    Column("mdtrtarea_admvs", String(6), nullable=False),
    Column("insuplc_admdvs", String(6), nullable=False),
    Column("ipt_otp_no", String(30), nullable=False),
    Column("begntime", String(19), nullable=False),
    Column("mdtrt_cert_type", String(3), nullable=False),
    Column("mdtrt_cert_no", String(50), nullable=False),
    Column("med_type", String(6), nullable=False, default=""),
    Column("visit_info", LargeBinary),  # the last 2203 input, serialized
    Column("status", String(10), nullable=False),  # open | cancelled
    Column("created_at", String(19), nullable=False),
    Index("ix_visit_ipt_otp_no", "fixmedins_code", "ipt_otp_no"),
    Index("ix_visit_psn", "psn_no"),
)

fee = Table(
    "fee",
    metadata,
    Column("mdtrt_id", String(30), primary_key=True),
    Column("feedetl_sn", String(30), primary_key=True),
    Column("chrg_bchno", String(30), nullable=False),
    Column("med_list_codg", String(50), nullable=False),
    Column("medins_list_codg", String(150), nullable=False),
    Column("fee_ocur_time", String(19), nullable=False),
    Column("cnt", String(24), nullable=False),
    Column("pric", String(24), nullable=False),
    Column("sumamt_fen", BigInteger, nullable=False),
    Column("fulamt_fen", BigInteger, nullable=False),
    Column("overlmt_fen", BigInteger, nullable=False),
    Column("preselfpay_fen", BigInteger, nullable=False),
    Column("inscp_fen", BigInteger, nullable=False),
    Column("setl_id", String(30)),  # NULL while unsettled
)

settlement = Table(
    "settlement",
    metadata,
    Column("setl_id", String(30), primary_key=True),
    Column("kind", String(10), nullable=False),  # settle | reversal
    Column("orig_setl_id", String(30)),  # for a reversal: the settlement it cancels
    Column("reversed_by", String(30)),  # for a settlement: its reversal, once cancelled
    Column("mdtrt_id", String(30), nullable=False),
    Column("chrg_bchno", String(30), nullable=False),
    Column("psn_no", String(30), nullable=False),
    Column("insutype", String(6), nullable=False),
    Column("med_type", String(6), nullable=False),
    Column("fixmedins_code", String(30), nullable=False),
    Column("mdtrtarea_admvs", String(6), nullable=False),
    Column("insuplc_admdvs", String(6), nullable=False),
    Column("clr_type", String(6), nullable=False),
    Column("setl_time", String(19), nullable=False),
    Column("year", Integer, nullable=False),  # the year whose accumulators it moved
    Column("accum_group", String(30), nullable=False),
    Column("msgid", String(30), nullable=False),
    Column("medfee_sumamt_fen", BigInteger, nullable=False),
    Column("fund_pay_sumamt_fen", BigInteger, nullable=False),
    Column("act_pay_dedc_fen", BigInteger, nullable=False),
    Column("hifp_pay_fen", BigInteger, nullable=False),
    Column("acct_pay_fen", BigInteger, nullable=False),
    Column("psn_cash_pay_fen", BigInteger, nullable=False),
    Column("output", LargeBinary, nullable=False),  # the SettleOutput as replied
    Index("ix_settlement_mdtrt", "mdtrt_id"),
    Index("ix_settlement_inst_time", "fixmedins_code", "setl_time"),
)
