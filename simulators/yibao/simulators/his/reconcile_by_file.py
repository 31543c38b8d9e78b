"""The day's reconciliation by file (docs/files.md "3202 by file"), by each institution at the end of an in-process
run: its ledger's records of the run — every settlement (refd_setl_flag 0) and refund record (1) it holds a receipt
for — go up as one tab-separated file in a zip (9101), 3202 names it by `file_qury_no` with the totals and no
`detail[]`, and the records that differ come back as a file fetched with 9102: a fresh store holds the run's
records and nothing else, so it must hold the column names alone and `stmt_rslt` must be 0 (平).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from yibao.simulators.his.catalogue_round import download, unzip_one, zipped
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.invariants import Check
from yibao.simulators.his.receipt import Receipt
from yibao.v1 import files_pb2 as fpb
from yibao.v1 import reconciliation_pb2 as rcpb

COLUMNS = ("psn_no", "mdtrt_id", "setl_id", "insutype", "refd_setl_flag", "setl_optins", "medfee_sumamt",
           "fund_pay_sumamt", "acct_pay")  # fmt: skip
BALANCED = "0"  # stmt_rslt 平


def reconciliation_check(clients: Mapping[str, HisClient], receipts: Iterable[Receipt], today: date) -> Check:
    mine: dict[str, list[Receipt]] = {}
    for r in receipts:
        mine.setdefault(r.fixmedins_code, []).append(r)
    problems, records = [], 0
    for code in sorted(c for c in mine if c in clients):
        client = clients[code]
        try:
            client.sign_in()
            problems += [f"{code}: {p}" for p in reconcile(client, mine[code], today)]
            client.sign_out()
        except HisRefused as r:
            problems.append(f"{code}: {r.infno} refused: {r.err_msg}")
        records += len(mine[code])
    detail = f"{len(mine)} institutions, {records} records uploaded (9101), 3202 by file_qury_no, 9102: none differ"
    return Check("the day's records reconcile by file (3202)", not problems, _with(detail, problems))


def reconcile(client: HisClient, rows: list[Receipt], today: date) -> list[str]:
    """9101 the rows, 3202 by file, 9102 the result: what does not reconcile, in words."""
    region = client.institution.admdvs
    text = "\t".join(COLUMNS) + "\n" + "".join(_line(r, region) for r in rows)
    upload = fpb.FsUploadIn(filename="3202.zip", fixmedins_code=client.institution.fixmedins_code)
    setattr(upload, "in", zipped("3202.txt", text))  # `in` is a Python keyword
    file_qury_no = client.call("9101", fpb.FileUploadInput(fsUploadIn=upload)).output.file_qury_no
    data = rcpb.CheckDetailsData(
        setl_optins=region, file_qury_no=file_qury_no, stmt_begndate=min(r.setl_time[:10] for r in rows),
        stmt_enddate=f"{today}", medfee_sumamt=_sum(r.medfee_sumamt for r in rows),
        fund_pay_sumamt=_sum(r.fund_pay_sumamt for r in rows), cash_payamt=_sum(r.psn_cash_pay for r in rows),
        fixmedins_setl_cnt=str(len(rows)),
    )  # fmt: skip
    out = client.call("3202", rcpb.CheckDetailsInput(data=data)).output
    if not out.fileinfo.file_qury_no:
        return ["3202 answered inline, not by file"]
    result = unzip_one(download(client, out.fileinfo.file_qury_no, out.fileinfo.filename), "3202")
    lines = [line for line in result.splitlines() if line]
    problems = [] if out.stmtinfo.stmt_rslt == BALANCED else [f"3202 stmt_rslt {out.stmtinfo.stmt_rslt_dscr}"]
    return problems + [f"3202's file: {line}" for line in lines[1:4]] + (
        [f"3202's file: {len(lines) - 4} more lines"] if len(lines) > 4 else [])  # fmt: skip


def _line(r: Receipt, region: str) -> str:
    fields = (r.psn_no, r.mdtrt_id, r.setl_id, r.insutype, "1" if r.reverses else "0", region,
              f"{r.medfee_sumamt:.2f}", f"{r.fund_pay_sumamt:.2f}", f"{r.acct_pay:.2f}")  # fmt: skip
    return "\t".join(fields) + "\n"


def _sum(amounts: Iterable[Decimal]) -> str:
    return f"{sum(amounts, Decimal('0.00')):.2f}"


def _with(detail: str, problems: list[str]) -> str:
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return detail + ("; " + "; ".join(problems[:3]) + more if problems else "")
