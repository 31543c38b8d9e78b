"""Tables (SQLAlchemy Core). Amounts are stored as integer fen: exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from yibao.storage.sealing import SealedBytes, SealedText

metadata = MetaData()

# Bump when a table changes shape: a store made by another version is refused at start-up with a clear
# message instead of failing call by call (there are no migrations before the first release).
# 2026-12-06.1: personal data sealed (sealing.py), the journal chained (journal_chain.py).
# 2026-12-06.2: settlement.output, visit.visit_info, filing.request and chronic_filing.request hold the core's
# values as JSON, no longer protobuf (simulators/yibao/simulators/core/stored_values.py).
# 2026-12-06.4: clearing_application (3203/3204), cross_detail_confirmation (3261/3262), settlement_list (4101).
# 2026-12-06.5: stored_file, the files of 9101 uploads and of 13xx and 3202 results (storage/file_store.py).
# 2026-12-06.7: manual_claim, manual reimbursement at the insured place (Y2801–Y2803, storage/manual_claims.py).
# 2026-12-06.8: family_account, family_member, family_transfer (Y2901–Y2904, storage/family_accounts.py).
SCHEMA_VERSION = "2026-12-06.8"

meta = Table(
    "yibao_meta",
    metadata,
    Column("key", String(30), primary_key=True),
    Column("value", String(100), nullable=False),
)

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
    Column("reply", SealedBytes("message.reply")),  # serialized reply message, or ErrorDetail when refused
    Column("refused", Boolean, nullable=False, default=False),
    Column("created_at", String(23), nullable=False),
)
# body_hash of a msgid claimed by a 2601 reversal before the message itself arrived: the message, when it
# comes, is refused with the stored reply whatever its body (simulators/yibao/simulators/core/reversal.py).
MSG_TOMBSTONE = "reversed-before-arrival"

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
    Column("err_msg", SealedText("journal.err_msg"), nullable=False, default=""),  # may quote an ID number
    Column("duration_us", Integer, nullable=False),
    Column("request", SealedBytes("journal.request"), nullable=False),
    Column("reply", SealedBytes("journal.reply"), nullable=False),
    # What the transaction is about, read from request and reply by the gateway, so the inspector
    # can find it (NULL when the transaction carries none).
    Column("psn_no", String(30)),
    Column("mdtrt_id", String(30)),
    Column("setl_id", String(30)),
    # The tamper-evident chain (src/yibao/storage/journal_chain.py): the row's place in its chain and its HMAC
    # over the row and the previous row's mac.
    Column("chain", Integer, nullable=False),
    Column("chain_seq", BigInteger, nullable=False),
    Column("mac", String(64), nullable=False),
    Index("ux_journal_chain", "chain", "chain_seq", unique=True),
    Index("ix_journal_inst_time", "fixmedins_code", "received_at"),
    Index("ix_journal_msgid", "msgid"),
    Index("ix_journal_psn_no", "psn_no"),
    Index("ix_journal_mdtrt_id", "mdtrt_id"),
    Index("ix_journal_setl_id", "setl_id"),
)

# The last row of each journal chain: where the next row links, and what `yibao audit verify` expects the chain
# to end with (a deleted tail shows). One chain on SQLite, a few on PostgreSQL (journal_chain.py says why).
journal_head = Table(
    "journal_head",
    metadata,
    Column("chain", Integer, primary_key=True),
    Column("chain_seq", BigInteger, nullable=False),
    Column("mac", String(64), nullable=False),
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
    Column("mdtrt_cert_no", SealedText("visit.mdtrt_cert_no"), nullable=False),
    # The certificate's blind index (sealing.Sealer.blind_index), filled by the store: the visits of a certificate
    # are found by it without the number in the clear.
    Column("mdtrt_cert_bidx", String(32), nullable=False),
    Column("med_type", String(6), nullable=False, default=""),
    Column("kind", String(10), nullable=False, default="outpatient"),  # outpatient | inpatient | pharmacy
    Column("endtime", String(19)),  # discharge time of a stay
    Column("visit_info", SealedBytes("visit.visit_info")),  # the last 2203 / 2401 / 2403 input, serialized
    Column("status", String(10), nullable=False),  # open | discharged | cancelled
    Column("created_at", String(19), nullable=False),
    Index("ix_visit_ipt_otp_no", "fixmedins_code", "ipt_otp_no"),
    Index("ix_visit_psn", "psn_no"),
    Index("ix_visit_cert", "mdtrt_cert_bidx"),
)

fee = Table(
    "fee",
    metadata,
    Column("mdtrt_id", String(30), primary_key=True),
    Column("feedetl_sn", String(30), primary_key=True),
    Column("chrg_bchno", String(30), nullable=False),
    Column("dise_codg", String(30), nullable=False, default=""),  # chronic-disease code of the batch
    Column("init_feedetl_sn", String(30), nullable=False, default=""),  # a refund line's original item
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
    Column("memo", Text, nullable=False, default=""),  # why the split came out as it did
    Column("setl_id", String(30)),  # NULL while unsettled
    Column("er_flag", String(1), nullable=False, default=""),  # an inpatient item's exp_content er_flag (1 急诊)
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
    Column("msgid", String(30), nullable=False),
    Column("medfee_sumamt_fen", BigInteger, nullable=False),
    Column("fund_pay_sumamt_fen", BigInteger, nullable=False),
    Column("acct_pay_fen", BigInteger, nullable=False),
    Column("psn_cash_pay_fen", BigInteger, nullable=False),
    # What the settlement moved, so a reversal restores it exactly: JSON
    # {"accumulators": [[psn_no, year, key, fen], …], "accounts": [[psn_no, fen], …]}
    Column("moves", Text, nullable=False),
    Column("output", SealedBytes("settlement.output"), nullable=False),  # the SettleOutput as replied: names, IDs
    Index("ix_settlement_mdtrt", "mdtrt_id"),
    Index("ix_settlement_inst_time", "fixmedins_code", "setl_time"),
)

# Region availability set at run time by an operator (Y9102), so an outage can be simulated without a
# restart. The world file's maintenance windows stay in the world; these add to them.
region_status = Table(
    "region_status",
    metadata,
    Column("admdvs", String(6), primary_key=True),
    Column("unreachable", Boolean, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("since", String(19), nullable=False),  # platform time the region became (un)reachable
    Column("changed_by", String(30), nullable=False),  # the operator institution
)

region_window = Table(
    "region_window",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("admdvs", String(6), nullable=False),
    Column("begntime", String(19), nullable=False),
    Column("endtime", String(19), nullable=False),
    Column("reason", Text, nullable=False),
    Column("added_by", String(30), nullable=False),
    Column("added_at", String(19), nullable=False),
)

# Cross-region filings (异地就医备案: 2501 referrals and 2505), one row per version: a change (Y2505)
# closes a row and opens the next, so a stay admitted before the change keeps the filing it had.
filing = Table(
    "filing",
    metadata,
    Column("trt_dcla_detl_sn", String(30), primary_key=True),
    Column("psn_no", String(30), nullable=False),
    Column("insutype", String(6), nullable=False),
    Column("insuplc_admdvs", String(6), nullable=False),
    Column("infno", String(6), nullable=False),  # 2501 | 2505: the transaction that made it (revoked by 2502 | 2506)
    Column("biz_appy_type", String(3), nullable=False),
    Column("fil_type", String(3), nullable=False),
    Column("mdtrtarea_admdvs", String(6), nullable=False),  # the area filed to (yibao.domain.filing.area_of)
    Column("begndate", String(10), nullable=False),
    Column("enddate", String(10)),  # NULL: valid until changed
    Column("crte_date", String(10), nullable=False),  # the day it was made: decides a late filing
    Column("fil_stas", String(1), nullable=False),  # yibao.domain.filing.Status
    Column("stop_date", String(10)),  # changed / revoked / cancelled: first day it no longer covers
    Column("cmtm_flag", Boolean, nullable=False, default=False),
    Column("matl_stas", String(1), nullable=False, default=""),  # yibao.domain.filing.Material
    Column("matl_due_date", String(10)),
    Column("matl_rvw_date", String(10)),  # the day the agency reviewed the material (Y2506)
    Column("init_sn", String(30)),  # the version it replaced
    Column("fixmedins_code", String(30), nullable=False, default=""),  # 2505 fixmedins_code / 2501 reflin_medins_no
    Column("fixmedins_name", String(200), nullable=False, default=""),
    Column("fix_srt_no", String(3), nullable=False, default=""),
    Column("refl_type", String(3), nullable=False, default=""),
    Column("tel", SealedText("filing.tel"), nullable=False, default=""),
    Column("addr", SealedText("filing.addr"), nullable=False, default=""),
    Column("memo", Text, nullable=False, default=""),
    Column("filed_by", String(30), nullable=False),  # the institution that called
    Column("msgid", String(30), nullable=False),
    Column("request", SealedBytes("filing.request"), nullable=False),  # 2501 refmedin / 2505 / Y2505 data as sent
    Index("ix_filing_psn", "psn_no", "insutype"),
)

# No commitment filing (承诺制) from begndate to enddate: the person's commitment lapsed or was false.
commitment_ban = Table(
    "commitment_ban",
    metadata,
    Column("psn_no", String(30), primary_key=True),
    Column("trt_dcla_detl_sn", String(30), primary_key=True),  # the cancelled filing
    Column("ban_reason", String(1), nullable=False),  # Material.LAPSED | Material.FALSE
    Column("begndate", String(10), nullable=False),
    Column("enddate", String(10), nullable=False),
)

# Chronic and special outpatient disease filings (2503 门诊慢特病备案).
chronic_filing = Table(
    "chronic_filing",
    metadata,
    Column("trt_dcla_detl_sn", String(30), primary_key=True),
    Column("psn_no", String(30), nullable=False),
    Column("insutype", String(6), nullable=False),
    Column("opsp_dise_code", String(30), nullable=False),
    Column("opsp_dise_name", String(300), nullable=False),
    Column("begndate", String(10), nullable=False),
    Column("enddate", String(10)),  # NULL: until revoked
    Column("crte_date", String(10), nullable=False),
    Column("fil_stas", String(1), nullable=False),
    Column("stop_date", String(10)),
    Column("ide_fixmedins_no", String(30), nullable=False, default=""),
    Column("ide_fixmedins_name", String(200), nullable=False, default=""),
    Column("hosp_ide_date", String(10), nullable=False, default=""),
    Column("memo", Text, nullable=False, default=""),
    Column("filed_by", String(30), nullable=False),
    Column("msgid", String(30), nullable=False),
    Column("request", SealedBytes("chronic_filing.request"), nullable=False),
    Index("ix_chronic_filing_psn", "psn_no", "insutype"),
)

# What each settlement and refund record was computed from and what it amounts to now (Yibao ledger), so
# refunding an earlier settlement can compute the person's later ones again (隔笔退费) and a reversal
# (2601) can restore one exactly. `seq` orders one person's money events; `amounts` holds the current
# figures in fen ({field: fen, "funds": {fund_pay_type: fen}}), which differ from the reply when a
# later refund changed them; the settlement's `output` stays as replied.
settlement_calc = Table(
    "settlement_calc",
    metadata,
    Column("setl_id", String(30), primary_key=True),
    Column("psn_no", String(30), nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("filing_sn", String(30), nullable=False, default=""),  # the cross-region filing it used
    Column("rule_key", String(40), nullable=False, default=""),  # the benefit-table key, e.g. 14:M03900
    Column("calc", Text, nullable=False),  # JSON: benefit, accumulator keys, fee items, account use, locality
    Column("amounts", Text, nullable=False),
    Index("ix_settlement_calc_psn", "psn_no", "year", "seq"),
)

# 2601 冲正: one row per reversed message, or per message reversed before it arrived (a tombstone, which
# also claims the msgid in `message` so the late original is refused).
reversal = Table(
    "reversal",
    metadata,
    Column("omsgid", String(30), primary_key=True),
    Column("oinfno", String(6), nullable=False),
    Column("msgid", String(30), nullable=False),  # the 2601 message
    Column("fixmedins_code", String(30), nullable=False),
    Column("psn_no", String(30), nullable=False),
    Column("rev_time", String(19), nullable=False),
    Column("outcome", String(10), nullable=False),  # undone | tombstone
    Column("detail", Text, nullable=False, default=""),  # what was undone, in words
)

# Before and after images of the rows a reversible message changed (visits, fees, filings), written in the
# message's own transaction, so 2601 restores exactly those rows if nothing changed them since.
undo_image = Table(
    "undo_image",
    metadata,
    Column("msgid", String(30), primary_key=True),
    Column("infno", String(6), nullable=False),
    Column("images", SealedText("undo_image.images"), nullable=False),  # JSON [{"table", "before", "after"}]
)

# Monthly cross-region clearing (src/yibao/domain/clearing.py): one statement per month and region pair, and which
# ledger record each clearing took — a record is cleared once (primary key), a pair once a month (unique).
clearing = Table(
    "clearing",
    metadata,
    Column("clr_id", String(30), primary_key=True),
    Column("setlym", String(6), nullable=False),
    Column("mdtrtarea_admdvs", String(6), nullable=False),  # the treatment place: receives
    Column("insuplc_admdvs", String(6), nullable=False),  # the insured place: pays
    Column("fund_pay_sumamt_fen", BigInteger, nullable=False),  # the amount due, as the three parties agreed
    Column("statement", Text, nullable=False),  # JSON: lines, the parties' figures, funds
    Column("created_at", String(19), nullable=False),
    Column("created_by", String(30), nullable=False),
    Index("ux_clearing_month_pair", "setlym", "mdtrtarea_admdvs", "insuplc_admdvs", unique=True),
)
clearing_item = Table(
    "clearing_item",
    metadata,
    Column("setl_id", String(30), primary_key=True),
    Column("clr_id", String(30), nullable=False),
    Index("ix_clearing_item_clr", "clr_id"),
)
# The prepayment (预付金) an insured place holds with a treatment place.
prepayment = Table(
    "prepayment",
    metadata,
    Column("insuplc_admdvs", String(6), primary_key=True),
    Column("mdtrtarea_admdvs", String(6), primary_key=True),
    Column("prepaid_fen", BigInteger, nullable=False),
    Column("updated_at", String(19), nullable=False),
)
# 3203 clearing applications (storage/institution_clearing.py): an institution's, one standing per clr_type and
# month; 3204 withdraws one (cancelled_at), after which the month may be applied for again.
clearing_application = Table(
    "clearing_application",
    metadata,
    Column("clr_appy_evt_id", String(30), primary_key=True),
    Column("fixmedins_code", String(30), nullable=False),
    Column("clr_type", String(6), nullable=False),
    Column("clr_way", String(6), nullable=False),
    Column("setlym", String(6), nullable=False),
    Column("begndate", String(10), nullable=False),
    Column("enddate", String(10), nullable=False),
    Column("psntime", Integer, nullable=False),
    Column("medfee_sumamt_fen", BigInteger, nullable=False),
    Column("fund_appy_sum_fen", BigInteger, nullable=False),
    Column("cash_payamt_fen", BigInteger, nullable=False),
    Column("acct_pay_fen", BigInteger, nullable=False),
    Column("med_sumfee", String(20), nullable=False),  # kept as sent
    Column("msgid", String(30), nullable=False),
    Column("created_at", String(19), nullable=False),
    Column("cancelled_at", String(19)),
    Index("ix_clearing_application_month", "fixmedins_code", "clr_type", "setlym"),
)
# 3261 confirmations of a month's cross-region clearing details, by the 3261's msgid (3262's otransid); 3262
# withdraws one (rolled_back_at). One standing per institution and month.
cross_detail_confirmation = Table(
    "cross_detail_confirmation",
    metadata,
    Column("msgid", String(30), primary_key=True),
    Column("fixmedins_code", String(30), nullable=False),
    Column("trt_ym", String(6), nullable=False),
    Column("totalrow", Integer, nullable=False),
    Column("cnfm_cnt", Integer, nullable=False),
    Column("disputed", Text, nullable=False),  # JSON list of the setl_ids disputed (cnfm_flag 0)
    Column("created_at", String(19), nullable=False),
    Column("rolled_back_at", String(19)),
    Index("ix_cross_detail_confirmation_month", "fixmedins_code", "trt_ym"),
)
# 4101/4101A settlement lists (storage/institution_clearing.py): one per settlement, its nodes as the core's JSON,
# sealed (they hold the person's name and ID number).
settlement_list = Table(
    "settlement_list",
    metadata,
    Column("setl_list_id", String(30), primary_key=True),
    Column("setl_id", String(30), nullable=False, unique=True),
    Column("fixmedins_code", String(30), nullable=False),
    Column("psn_no", String(30), nullable=False),
    Column("infno", String(6), nullable=False),
    Column("body", SealedText("settlement_list.body"), nullable=False),
    Column("created_at", String(19), nullable=False),
)
# Files exchanged with 9101/9102 (docs/files.md): an institution's uploads and what 13xx and 3202 made for it,
# each a zip, seen only by that institution and downloadable until expires_at (storage/file_store.py).
stored_file = Table(
    "stored_file",
    metadata,
    Column("file_qury_no", String(30), primary_key=True),
    Column("fixmedins_code", String(30), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("made_by", String(6), nullable=False),  # the infno that made it: 9101 (an upload), 1301…, 3202
    Column("content", SealedBytes("stored_file.content"), nullable=False),  # the zip; uploads may hold names
    Column("size", Integer, nullable=False),
    Column("created_at", String(19), nullable=False),
    Column("expires_at", String(19), nullable=False),
    Index("ix_stored_file_owner", "fixmedins_code", "expires_at"),
)
# Manual reimbursement claims (Y2801–Y2803; docs/seed-rules.md "Manual reimbursement at the insured place"): care
# paid in full elsewhere, reviewed and paid by the insured place itself (never in cross-region clearing).
manual_claim = Table(
    "manual_claim",
    metadata,
    Column("claim_id", String(30), primary_key=True),
    Column("psn_no", String(30), nullable=False),
    Column("insutype", String(6), nullable=False),
    Column("insuplc_admdvs", String(6), nullable=False),
    Column("mdtrtarea_admdvs", String(6), nullable=False),
    Column("invoice_no", String(50), nullable=False),
    Column("claim_stas", String(1), nullable=False),  # 1 已受理, 2 已支付, 3 不予支付
    Column("medfee_sumamt_fen", BigInteger, nullable=False),
    Column("fund_pay_sumamt_fen", BigInteger, nullable=False, default=0),
    Column("submitted_by", String(30), nullable=False),
    Column("submit_time", String(19), nullable=False),
    Column("due_date", String(10), nullable=False),
    Column("review_time", String(19), nullable=False, default=""),
    Column("reason", String(200), nullable=False, default=""),
    Column("setl_id", String(30), nullable=False, default=""),
    Column("body", SealedText("manual_claim.body"), nullable=False),  # the claim as submitted (Y2801's input)
    Column("paid", SealedText("manual_claim.paid"), nullable=False, default=""),  # the payment's output and moves
    Index("ix_manual_claim_psn", "psn_no"),
    Index("ux_manual_claim_invoice", "mdtrtarea_admdvs", "invoice_no", unique=True),
)
# The family mutual-aid account (Y2901–Y2904, storage/family_accounts.py): its balance is a person_state row keyed
# by fam_acct_id, so a settlement locks and pays it as it does a personal account; one family per person (the
# member's psn_no is the key, the holder a member with rlts 0); every move between the holder's account and it.
family_account = Table(
    "family_account",
    metadata,
    Column("fam_acct_id", String(30), primary_key=True),
    Column("holder_psn_no", String(30), nullable=False),
    Column("prov", String(2), nullable=False),  # the province of the holder's employee insurance
    Column("begntime", String(19), nullable=False),
    Column("endtime", String(19)),  # set when cancelled (Y2903)
)
family_member = Table(
    "family_member",
    metadata,
    Column("psn_no", String(30), primary_key=True),
    Column("fam_acct_id", String(30), nullable=False, index=True),
    Column("rlts", String(2), nullable=False),
    Column("joined_at", String(19), nullable=False),
)
family_transfer = Table(
    "family_transfer",
    metadata,
    Column("trns_id", String(30), primary_key=True),
    Column("fam_acct_id", String(30), nullable=False, index=True),
    Column("trns_type", String(1), nullable=False),  # 1 into the family account, 2 back to the holder's
    Column("amount_fen", BigInteger, nullable=False),
    Column("infno", String(6), nullable=False),
    Column("msgid", String(40), nullable=False),
    Column("created_at", String(19), nullable=False),
)
