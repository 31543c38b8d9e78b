"""Reconciliation: 3201 totals and 3202 detail records of an institution against the platform's ledger
(docs/reference/interface.md §6; src/yibao/domain/reconciliation.py decides).

The platform's side is every settlement and refund record the institution made, in its own region (the
clearing agency, setl_optins = clr_optins), with setl_time on the statement days: a settlement cancelled
later is still a record (its refund record is another one), a record voided by a 2601 reversal is not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.money import parse_decimal, yuan
from yibao.domain.reconciliation import (
    MISMATCH,
    REFUNDS,
    SETTLEMENTS,
    Record,
    Totals,
    compare_records,
    compare_totals,
    only,
)
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import flag_field, require
from yibao.simulators.core import detail_files
from yibao.simulators.core.values import reconciliation as v
from yibao.storage import file_store, ledger
from yibao.storage.rows import SettlementRow
from yibao.storage.store import Tx, from_fen

CLR_TYPES = ("11", "21", "41")


def check_totals(world: World, tx: Tx, ctx: CallContext, inp: v.CheckTotalsInput) -> v.CheckTotalsOutput:
    """3201: the institution's totals of one insutype and clearing type over the statement days."""
    d, path = inp.data, "input.data"
    require(d, path, "insutype", "clr_type", "setl_optins", "stmt_begndate", "stmt_enddate", "medfee_sumamt",
            "fund_pay_sumamt", "acct_pay", "fixmedins_setl_cnt")  # fmt: skip
    flag_field(d.clr_type, f"{path}.clr_type", CLR_TYPES)
    flag = flag_field(d.refd_setl_flag, f"{path}.refd_setl_flag", ("", SETTLEMENTS, REFUNDS))
    begin, end = _days(d, path)
    _check_optins(ctx, d.setl_optins, path)
    theirs: dict[str, Decimal | int] = {
        "count": _count(d.fixmedins_setl_cnt, f"{path}.fixmedins_setl_cnt"),
        **{n: _amount(getattr(d, n), f"{path}.{n}") for n in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay")},
    }
    records = _platform(tx, ctx, d.setl_optins, begin, end, insutype=d.insutype, clr_type=d.clr_type)
    rslt, dscr = compare_totals(theirs, Totals.of(only(records, flag)))
    return v.CheckTotalsOutput(stmtinfo=v.StmtInfo(setl_optins=d.setl_optins, stmt_rslt=rslt, stmt_rslt_dscr=dscr))


def check_details(world: World, tx: Tx, ctx: CallContext, inp: v.CheckDetailsInput) -> v.CheckDetailsOutput:
    """3202: every record that differs between the institution's rows and the platform's, and how."""
    d, path = inp.data, "input.data"
    require(d, path, "setl_optins", "stmt_begndate", "stmt_enddate", "medfee_sumamt", "fund_pay_sumamt",
            "cash_payamt", "fixmedins_setl_cnt")  # fmt: skip
    if d.clr_type:
        flag_field(d.clr_type, f"{path}.clr_type", CLR_TYPES)
    begin, end = _days(d, path)
    _check_optins(ctx, d.setl_optins, path)
    theirs: dict[str, Decimal | int] = {
        "count": _count(d.fixmedins_setl_cnt, f"{path}.fixmedins_setl_cnt"),
        "medfee_sumamt": _amount(d.medfee_sumamt, f"{path}.medfee_sumamt"),
        "fund_pay_sumamt": _amount(d.fund_pay_sumamt, f"{path}.fund_pay_sumamt"),
        "psn_cash_pay": _amount(d.cash_payamt, f"{path}.cash_payamt"),
    }
    by_file = not inp.detail and bool(d.file_qury_no)  # the national route: rows uploaded with 9101
    inline = [(f"input.detail[{n}]", r) for n, r in enumerate(inp.detail)]
    listed = _uploaded(tx, ctx, d.file_qury_no) if by_file else inline
    rows = []
    for rpath, r in listed:
        require(r, rpath, "setl_id", "medfee_sumamt", "fund_pay_sumamt", "acct_pay")
        flag = flag_field(r.refd_setl_flag or SETTLEMENTS, f"{rpath}.refd_setl_flag", (SETTLEMENTS, REFUNDS))
        rows.append(Record(
            setl_id=r.setl_id, psn_no=r.psn_no, mdtrt_id=r.mdtrt_id, msgid=r.msgid, refd_setl_flag=flag,
            medfee_sumamt=_amount(r.medfee_sumamt, f"{rpath}.medfee_sumamt"),
            fund_pay_sumamt=_amount(r.fund_pay_sumamt, f"{rpath}.fund_pay_sumamt"),
            acct_pay=_amount(r.acct_pay, f"{rpath}.acct_pay"),
        ))  # fmt: skip
    records = _platform(tx, ctx, d.setl_optins, begin, end, clr_type=d.clr_type)
    rslt, dscr = compare_totals(theirs, Totals.of(records))
    result = tuple(
        v.DetailResult(
            psn_no=diff.record.psn_no, mdtrt_id=diff.record.mdtrt_id, setl_id=diff.record.setl_id,
            msgid=diff.record.msgid, stmt_rslt=MISMATCH, refd_setl_flag=diff.record.refd_setl_flag, memo=diff.memo,
            medfee_sumamt=yuan(diff.record.medfee_sumamt), fund_pay_sumamt=yuan(diff.record.fund_pay_sumamt),
            acct_pay=yuan(diff.record.acct_pay),
        )
        for diff in compare_records(rows, records)
    )  # fmt: skip
    if result and rslt != MISMATCH:
        rslt, dscr = MISMATCH, f"不平：总额相符，明细有 {len(result)} 笔不符；{dscr}"
    stmtinfo = v.StmtInfo(setl_optins=d.setl_optins, stmt_rslt=rslt, stmt_rslt_dscr=dscr)
    if by_file:  # the result as a file too, fetched with 9102
        return v.CheckDetailsOutput(fileinfo=_result_file(tx, ctx, d, result), stmtinfo=stmtinfo)
    return v.CheckDetailsOutput(stmtinfo=stmtinfo, result=result)


def _uploaded(tx: Tx, ctx: CallContext, file_qury_no: str) -> list[tuple[str, v.DetailRecord]]:
    """The detail rows of the caller's 9101 upload `file_qury_no` (simulators/yibao/simulators/core/detail_files.py)."""
    path = "input.data.file_qury_no"
    stored = file_store.find(tx, file_qury_no, ctx.institution.fixmedins_code, ctx.now, path)
    return detail_files.read_records(file_store.zip_members(stored.content, path))


def _result_file(tx: Tx, ctx: CallContext, d: v.CheckDetailsData, result: tuple[v.DetailResult, ...]) -> v.FileInfo:
    stem = f"3202_{d.setl_optins}_{d.stmt_begndate[:10]}_{d.stmt_enddate[:10]}".replace("-", "")
    content = file_store.make_zip([(f"{stem}.txt", detail_files.result_text(result))], ctx.now)
    row = file_store.save(tx, file_qury_no=new_id(ctx.mdtrtarea_admvs, ctx.now), made_by=ctx.infno,
                          fixmedins_code=ctx.institution.fixmedins_code, filename=f"{stem}.zip", content=content,
                          now=ctx.now)  # fmt: skip
    return v.FileInfo(file_qury_no=row.file_qury_no, filename=row.filename, dld_endtime=row.expires_at)


def _platform(tx: Tx, ctx: CallContext, admdvs: str, begin: date, end: date, *, insutype: str = "",
              clr_type: str = "") -> list[Record]:  # fmt: skip
    rows = ledger.institution_records(tx, ctx.institution.fixmedins_code, admdvs, f"{begin} 00:00:00",
                                      f"{end} 23:59:59", insutype, clr_type)  # fmt: skip
    return [record_of(r) for r in rows]


def record_of(row: SettlementRow) -> Record:
    return Record(
        setl_id=row.setl_id, psn_no=row.psn_no, mdtrt_id=row.mdtrt_id, msgid=row.msgid,
        refd_setl_flag=REFUNDS if row.kind == "reversal" else SETTLEMENTS,
        medfee_sumamt=from_fen(row.medfee_sumamt_fen), fund_pay_sumamt=from_fen(row.fund_pay_sumamt_fen),
        acct_pay=from_fen(row.acct_pay_fen), psn_cash_pay=from_fen(row.psn_cash_pay_fen),
    )  # fmt: skip


def _check_optins(ctx: CallContext, value: str, path: str) -> None:
    if value != ctx.mdtrtarea_admvs:
        raise Refusal("RECON_OPTINS", f"{path}.setl_optins", value=value, code=ctx.institution.fixmedins_code,
                      expected=ctx.mdtrtarea_admvs)  # fmt: skip


def _days(d: v.CheckTotalsData | v.CheckDetailsData, path: str) -> tuple[date, date]:
    begin, end = _day(d.stmt_begndate, f"{path}.stmt_begndate"), _day(d.stmt_enddate, f"{path}.stmt_enddate")
    if end < begin:
        raise Refusal("RECON_DATES", f"{path}.stmt_enddate", begndate=begin, enddate=end)
    return begin, end


def _day(value: str, path: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyy-MM-dd，收到 {value!r}") from None


def _amount(value: str, path: str) -> Decimal:
    parsed = parse_decimal(value, 2, allow_negative=True)
    if parsed is None:
        raise Refusal("ENV_FORMAT", path, rule=f"应为数字，最多 2 位小数（退费为负数），收到 {value!r}")
    return parsed


def _count(value: str, path: str) -> int:
    if not value.isdigit():
        raise Refusal("ENV_FORMAT", path, rule=f"应为非负整数，收到 {value!r}")
    return int(value)
