"""An institution's clearing (docs/reference/interface.md §6.3 and §7; docs/institution-clearing.md): 3203
applies for a month's clearing of one clr_type and 3204 withdraws it; 3260 lists the institution's records of
persons insured elsewhere that the month's cross-region clearing (Y3270, core/clearing.py) took, 3261 confirms
them row by row and 3262 withdraws a confirmation.

An application's figures are the platform's own totals of the institution's records to the fen, as 3201 computes
them (a cancelled settlement's refund record counts too, negative): an agency pays what its ledger holds.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.benefit_policy import locality
from yibao.domain.money import ZERO, parse_decimal, yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import flag_field, require
from yibao.simulators.core.values import institution_clearing as v
from yibao.simulators.core.values.outpatient import EmptyOutput
from yibao.storage import institution_clearing as store
from yibao.storage import ledger
from yibao.storage.institution_clearing import ApplicationRow, ConfirmationRow
from yibao.storage.rows import SettlementRow
from yibao.storage.store import Tx, from_fen, to_fen

CLR_TYPES = ("11", "21", "41")
PAGE = 100  # 3260 rows a call
CONFIRMED, DISPUTED = "1", "0"  # cnfm_flag


def apply(world: World, tx: Tx, ctx: CallContext, inp: v.ClearingApplicationInput) -> v.ClearingApplicationOutput:
    """3203: the institution's application for month setlym's clearing of one clr_type."""
    d, path = inp.data, "input.data"
    require(d, path, "clr_type", "clr_way", "setlym", "psntime", "medfee_sumamt", "fund_appy_sum", "cash_payamt",
            "acct_pay", "begndate", "enddate")  # fmt: skip
    flag_field(d.clr_type, f"{path}.clr_type", CLR_TYPES)
    first, last = month_bounds(d.setlym, f"{path}.setlym")
    if ctx.now.date() <= last:
        raise Refusal("CLEARING_MONTH_OPEN", f"{path}.setlym", setlym=d.setlym, first=first, last=last)
    begin, end = _day(d.begndate, f"{path}.begndate"), _day(d.enddate, f"{path}.enddate")
    for name, day in (("begndate", begin), ("enddate", end)):
        if not first <= day <= last:
            raise Refusal("CLR_APPY_DATE", f"{path}.{name}", value=day, setlym=d.setlym)
    if end < begin:
        raise Refusal("RECON_DATES", f"{path}.enddate", begndate=begin, enddate=end)
    standing = store.standing_application(tx, ctx.institution.fixmedins_code, d.clr_type, d.setlym)
    if standing is not None:
        raise Refusal("CLR_APPY_EXISTS", f"{path}.setlym", code=ctx.institution.fixmedins_code, setlym=d.setlym,
                      clr_type=d.clr_type, clr_appy_evt_id=standing.clr_appy_evt_id)  # fmt: skip
    rows = ledger.institution_records(tx, ctx.institution.fixmedins_code, ctx.mdtrtarea_admvs, f"{begin} 00:00:00",
                                      f"{end} 23:59:59", clr_type=d.clr_type)  # fmt: skip
    theirs = _declared(d, path)
    for name, ours in _totals(rows).items():
        if theirs[name] != ours:
            raise Refusal("CLR_APPY_MISMATCH", f"{path}.{name}", value=_text(theirs[name]), expected=_text(ours),
                          code=ctx.institution.fixmedins_code, clr_type=d.clr_type, begndate=begin,
                          enddate=end)  # fmt: skip
    evt_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    store.add_application(tx, ApplicationRow(
        evt_id, ctx.institution.fixmedins_code, d.clr_type, d.clr_way, d.setlym, str(begin), str(end),
        int(theirs["psntime"]), to_fen(Decimal(theirs["medfee_sumamt"])), to_fen(Decimal(theirs["fund_appy_sum"])),
        to_fen(Decimal(theirs["cash_payamt"])), to_fen(Decimal(theirs["acct_pay"])), d.med_sumfee, ctx.msgid,
        ctx.time_text, None,
    ))  # fmt: skip
    return v.ClearingApplicationOutput(clr_appy_evt_id=evt_id)


def cancel_application(world: World, tx: Tx, ctx: CallContext, inp: v.ClearingApplicationCancelInput) -> EmptyOutput:
    """3204: withdraw a standing application of the institution's."""
    d, path = inp.data, "input.data"
    require(d, path, "clr_appy_evt_id")
    found = store.application(tx, d.clr_appy_evt_id)
    if found is None or found.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("CLR_APPY_NOT_FOUND", f"{path}.clr_appy_evt_id", clr_appy_evt_id=d.clr_appy_evt_id,
                      code=ctx.institution.fixmedins_code)  # fmt: skip
    if found.cancelled_at is not None:
        raise Refusal("CLR_APPY_CANCELLED", f"{path}.clr_appy_evt_id", clr_appy_evt_id=d.clr_appy_evt_id,
                      time=found.cancelled_at)  # fmt: skip
    store.cancel_application(tx, d.clr_appy_evt_id, ctx.time_text)
    return EmptyOutput()


def extract_details(
    world: World, tx: Tx, ctx: CallContext, inp: v.CrossDetailExtractInput
) -> v.CrossDetailExtractOutput:
    """3260: one page (from startrow) of the month's cleared cross-region records of the institution."""
    d, path = inp.data, "input.data"
    setlym = _month(d.trt_year, d.trt_month, path)
    start = _row_number(d.startrow or "1", f"{path}.startrow")
    details = _details(world, tx, ctx, setlym, path)
    page = details[start - 1 : start - 1 + PAGE]
    return v.CrossDetailExtractOutput(data=tuple(page), totalrow=str(len(details)))


def confirm_details(
    world: World, tx: Tx, ctx: CallContext, inp: v.CrossDetailConfirmInput
) -> v.CrossDetailConfirmOutput:
    """3261: every row of the month's details, each confirmed (1) or disputed (0), as 3260 gave them."""
    d, path = inp.data, "input.data"
    require(d, path, "trt_year", "trt_month", "totalrow")
    setlym = _month(d.trt_year, d.trt_month, path)
    standing = store.standing_confirmation(tx, ctx.institution.fixmedins_code, setlym)
    if standing is not None:
        raise Refusal("CROSS_CONFIRMED", f"{path}.trt_month", code=ctx.institution.fixmedins_code, setlym=setlym,
                      msgid=standing.msgid)  # fmt: skip
    details = {row.setl_sn: row for row in _details(world, tx, ctx, setlym, path)}
    totalrow = _row_number(d.totalrow, f"{path}.totalrow", allow_zero=True)
    for field, count in (("input.data.totalrow", totalrow), ("input.detail", len(inp.detail))):
        if count != len(details):
            raise Refusal("CROSS_DETAIL_COUNT", field, value=count, setlym=setlym, expected=len(details))
    seen: set[str] = set()
    disputed, paid = [], ZERO
    for n, row in enumerate(inp.detail):
        rpath = f"input.detail[{n}]"
        ours = _matching(row, rpath, details, seen, setlym, ctx)
        if flag_field(row.cnfm_flag, f"{rpath}.cnfm_flag", (CONFIRMED, DISPUTED)) == DISPUTED:
            disputed.append(row.setl_sn)
        else:
            paid += Decimal(ours.optins_pay_sumamt)
    store.add_confirmation(tx, ConfirmationRow(ctx.msgid, ctx.institution.fixmedins_code, setlym, totalrow,
                                               totalrow - len(disputed), json.dumps(disputed), ctx.time_text,
                                               None))  # fmt: skip
    return v.CrossDetailConfirmOutput(result=v.CrossConfirmResult(
        totalrow=str(totalrow), cnfm_cnt=str(totalrow - len(disputed)), objc_cnt=str(len(disputed)),
        optins_pay_sumamt=yuan(paid),
    ))  # fmt: skip


def roll_back_confirmation(world: World, tx: Tx, ctx: CallContext, inp: v.CrossDetailRollbackInput) -> EmptyOutput:
    """3262: withdraw the month's confirmation made by the 3261 sent under msgid otransid."""
    d, path = inp.data, "input.data"
    require(d, path, "trt_year", "trt_month", "otransid")
    setlym = _month(d.trt_year, d.trt_month, path)
    found = store.confirmation(tx, d.otransid)
    if found is None or found.fixmedins_code != ctx.institution.fixmedins_code or found.trt_ym != setlym:
        raise Refusal("CROSS_CONFIRMATION_NOT_FOUND", f"{path}.otransid", otransid=d.otransid,
                      code=ctx.institution.fixmedins_code, setlym=setlym)  # fmt: skip
    if found.rolled_back_at is not None:
        raise Refusal("CROSS_CONFIRMATION_ROLLED_BACK", f"{path}.otransid", otransid=d.otransid,
                      time=found.rolled_back_at)  # fmt: skip
    store.roll_back_confirmation(tx, d.otransid, ctx.time_text)
    return EmptyOutput()


# -- helpers


def month_bounds(setlym: str, path: str) -> tuple[date, date]:
    """The first and last day of month yyyyMM."""
    if len(setlym) != 6 or not setlym.isdigit() or not 1 <= int(setlym[4:]) <= 12:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyyMM，收到 {setlym!r}")
    year, month = int(setlym[:4]), int(setlym[4:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _declared(d: v.ClearingApplicationData, path: str) -> dict[str, Decimal | int]:
    amounts: dict[str, Decimal | int] = {"psntime": _count(d.psntime, f"{path}.psntime")}
    for name in ("medfee_sumamt", "fund_appy_sum", "cash_payamt", "acct_pay"):
        parsed = parse_decimal(getattr(d, name), 2, allow_negative=True)
        if parsed is None:
            raise Refusal("ENV_FORMAT", f"{path}.{name}", rule=f"应为数字，最多 2 位小数，收到 {getattr(d, name)!r}")
        amounts[name] = parsed
    return amounts


def _totals(rows: list[SettlementRow]) -> dict[str, Decimal | int]:
    """The platform's figures: settlement records less refund records, amounts with the refunds' negative."""
    return {
        "psntime": sum(-1 if r.kind == "reversal" else 1 for r in rows),
        "medfee_sumamt": sum((from_fen(r.medfee_sumamt_fen) for r in rows), ZERO),
        "fund_appy_sum": sum((from_fen(r.fund_pay_sumamt_fen) for r in rows), ZERO),
        "cash_payamt": sum((from_fen(r.psn_cash_pay_fen) for r in rows), ZERO),
        "acct_pay": sum((from_fen(r.acct_pay_fen) for r in rows), ZERO),
    }


def _text(value: Decimal | int) -> str:
    return yuan(value) if isinstance(value, Decimal) else str(value)


def _details(world: World, tx: Tx, ctx: CallContext, setlym: str, path: str) -> list[v.CrossDetail]:
    if not store.month_cleared(tx, setlym, ctx.mdtrtarea_admvs):
        raise Refusal("CROSS_DETAIL_NOT_CLEARED", f"{path}.trt_month", setlym=setlym, admdvs=ctx.mdtrtarea_admvs)
    rows = [r for r in store.cleared_records(tx, ctx.institution.fixmedins_code, setlym)
            if locality(r.mdtrtarea_admvs, r.insuplc_admdvs) != "local"]  # fmt: skip
    return [
        v.CrossDetail(
            seqno=str(n), mdtrtarea=r.mdtrtarea_admvs, medins_no=r.fixmedins_code, certno=_certno(world, r.psn_no),
            mdtrt_id=r.mdtrt_id, mdtrt_setl_time=r.setl_time, setl_sn=r.setl_id, fulamt_advpay_flag="0",
            medfee_sumamt=yuan(from_fen(r.medfee_sumamt_fen)), optins_pay_sumamt=yuan(from_fen(r.fund_pay_sumamt_fen)),
            insuplc_admdvs=r.insuplc_admdvs,
        )
        for n, r in enumerate(rows, start=1)
    ]  # fmt: skip


def _certno(world: World, psn_no: str) -> str:
    person = world.persons.get(psn_no)
    return person.certno if person else ""


def _matching(row: v.CrossConfirmDetail, path: str, details: dict[str, v.CrossDetail], seen: set[str],
              setlym: str, ctx: CallContext) -> v.CrossDetail:  # fmt: skip
    """The 3260 row a 3261 row confirms, every field as 3260 gave it."""
    require(row, path, "certno", "mdtrt_id", "mdtrt_setl_time", "setl_sn", "medfee_sumamt", "optins_pay_sumamt",
            "cnfm_flag")  # fmt: skip
    ours = details.get(row.setl_sn)
    if ours is None:
        raise Refusal("CROSS_DETAIL_UNKNOWN", f"{path}.setl_sn", value=row.setl_sn,
                      code=ctx.institution.fixmedins_code, setlym=setlym)  # fmt: skip
    if row.setl_sn in seen:
        raise Refusal("CROSS_DETAIL_TWICE", f"{path}.setl_sn", value=row.setl_sn)
    seen.add(row.setl_sn)
    if row.certno != ours.certno:  # an ID number is not echoed
        raise Refusal("CROSS_DETAIL_PERSON", f"{path}.certno", setl_sn=row.setl_sn)
    for name in ("mdtrt_id", "mdtrt_setl_time"):
        if getattr(row, name) != getattr(ours, name):
            raise Refusal("CROSS_DETAIL_MISMATCH", f"{path}.{name}", value=getattr(row, name),
                          expected=getattr(ours, name), setl_sn=row.setl_sn)  # fmt: skip
    for name in ("medfee_sumamt", "optins_pay_sumamt"):
        sent = parse_decimal(getattr(row, name), 2, allow_negative=True)
        if sent is None or sent != Decimal(getattr(ours, name)):
            raise Refusal("CROSS_DETAIL_MISMATCH", f"{path}.{name}", value=getattr(row, name),
                          expected=getattr(ours, name), setl_sn=row.setl_sn)  # fmt: skip
    return ours


def _month(year: str, month: str, path: str) -> str:
    if not (len(year) == 4 and year.isdigit()):
        raise Refusal("ENV_FORMAT", f"{path}.trt_year", rule=f"应为 4 位年份 yyyy，收到 {year!r}")
    if not (month.isdigit() and 1 <= int(month) <= 12 and len(month) <= 2):
        raise Refusal("ENV_FORMAT", f"{path}.trt_month", rule=f"应为月份 1–12（MM），收到 {month!r}")
    return f"{year}{int(month):02d}"


def _row_number(value: str, path: str, *, allow_zero: bool = False) -> int:
    if not value.isdigit() or (int(value) == 0 and not allow_zero):
        rule = "非负整数" if allow_zero else "从 1 起的行号"
        raise Refusal("ENV_FORMAT", path, rule=f"应为{rule}，收到 {value!r}")
    return int(value)


def _count(value: str, path: str) -> int:
    text = value[1:] if value.startswith("-") else value
    if not text.isdigit():
        raise Refusal("ENV_FORMAT", path, rule=f"应为整数，收到 {value!r}")
    return int(value)


def _day(value: str, path: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyy-MM-dd，收到 {value!r}") from None
