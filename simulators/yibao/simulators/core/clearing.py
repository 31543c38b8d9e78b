"""Cross-region clearing: Y3270 monthly clearing, Y3271 statements, Y3272 prepayment (Yibao extensions,
clearing.proto; the maths in src/yibao/domain/clearing.py).

The three parties compute the amount due from the ledger each in their own way, and a pair is cleared only
when they agree to the fen:
- the national platform: the settlement records' stored amounts (settlement.fund_pay_sumamt_fen);
- the treatment place: what its institutions were told, setlinfo.fund_pay_sumamt of each stored reply;
- the insured place: what each of its funds paid, the setldetail rows of each stored reply.
"""

from __future__ import annotations

import calendar
import json
from datetime import date
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.benefit_policy import locality
from yibao.domain.clearing import LINE_NAMES, Entry, Prepayment, disagreement, prepayment, statement
from yibao.domain.money import ZERO, parse_decimal, yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import flag_field, require
from yibao.simulators.core import stored_values
from yibao.simulators.core.values import clearing as v
from yibao.simulators.core.values.settlement import SettleOutput
from yibao.storage import ledger
from yibao.storage.rows import ClearingRow, UnclearedRecord
from yibao.storage.store import Tx, from_fen, to_fen

END_OF_TIME = "9999-12-31 23:59:59"


def clear(world: World, tx: Tx, ctx: CallContext, inp: v.ClearInput) -> v.ClearOutput:
    """Y3270: clear month setlym for each region pair not cleared for it yet."""
    d, path = _checked(world, ctx, inp)
    last = _last_day(d.setlym, f"{path}.setlym")
    if ctx.now.date() <= last:
        raise Refusal("CLEARING_MONTH_OPEN", f"{path}.setlym", setlym=d.setlym, first=last.replace(day=1),
                      last=last)  # fmt: skip
    pairs: dict[tuple[str, str], list[UnclearedRecord]] = {}
    for row in ledger.uncleared(tx, f"{last} 23:59:59", d.mdtrtarea_admdvs, d.insuplc_admdvs, lock=True):
        if locality(row.mdtrtarea_admvs, row.insuplc_admdvs) != "local":
            pairs.setdefault((row.mdtrtarea_admvs, row.insuplc_admdvs), []).append(row)
    done = {(c.mdtrtarea_admdvs, c.insuplc_admdvs) for c in ledger.clearings(tx, d.setlym)}
    stmts = []
    for (treatment, insured), rows in sorted(pairs.items()):
        if (treatment, insured) in done:  # cleared this month already: what came since waits for next month
            continue
        st = statement(d.setlym, treatment, insured, [_entry(r) for r in rows])
        figures, funds = parties(rows)
        differ = disagreement(figures)
        if differ:
            raise Refusal("CLEARING_DISAGREE", f"{path}.setlym", setlym=d.setlym, treatment=treatment,
                          insured=insured, figures=differ)  # fmt: skip
        clr_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
        body = {
            "lines": [[line.line_type, line.count, to_fen(line.medfee_sumamt), to_fen(line.fund_pay_sumamt)]
                      for line in st.lines],
            "funds": {k: to_fen(v) for k, v in sorted(funds.items())},
            "parties": {k: to_fen(v) for k, v in figures.items()},
        }  # fmt: skip
        ledger.add_clearing(
            tx, [r.setl_id for r in rows], clr_id=clr_id, setlym=d.setlym, mdtrtarea_admdvs=treatment,
            insuplc_admdvs=insured, fund_pay_sumamt_fen=to_fen(st.fund_pay_sumamt), statement=json.dumps(body),
            created_at=ctx.time_text, created_by=ctx.institution.fixmedins_code,
        )  # fmt: skip
        [made] = ledger.clearings(tx, d.setlym, treatment, insured)
        stmts.append(_statement(tx, made))
    return v.ClearOutput(stmt=tuple(stmts))


def query_statements(world: World, tx: Tx, ctx: CallContext, inp: v.ClearInput) -> v.ClearOutput:
    """Y3271: the statements made for month setlym."""
    d, path = _checked(world, ctx, inp)
    _last_day(d.setlym, f"{path}.setlym")
    made = ledger.clearings(tx, d.setlym, d.mdtrtarea_admdvs, d.insuplc_admdvs)
    return v.ClearOutput(stmt=tuple(_statement(tx, c) for c in made))


def prepayment_call(world: World, tx: Tx, ctx: CallContext, inp: v.PrepaymentInput) -> v.PrepaymentOutput:
    """Y3272: the prepayment of an insured place with a treatment place; action topup pays into it."""
    _operator(ctx)
    d, path = inp.data, "input.data"
    require(d, path, "insuplc_admdvs", "mdtrtarea_admdvs")
    for name in ("insuplc_admdvs", "mdtrtarea_admdvs"):
        _region(world, getattr(d, name), f"{path}.{name}")
    if flag_field(d.action, f"{path}.action", ("", "topup")) == "topup":
        amount = parse_decimal(d.amount, 2)
        if amount is None or amount <= 0:
            raise Refusal("ENV_FORMAT", f"{path}.amount", rule=f"应为大于 0 的金额，最多 2 位小数，收到 {d.amount!r}")
        ledger.prepaid(tx, d.insuplc_admdvs, d.mdtrtarea_admdvs, lock=True)
        ledger.add_prepaid(tx, d.insuplc_admdvs, d.mdtrtarea_admdvs, to_fen(amount), ctx.time_text)
    return v.PrepaymentOutput(prepayment=_prepayment(tx, d.mdtrtarea_admdvs, d.insuplc_admdvs))


def parties(rows: list[UnclearedRecord]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each party's own total of the records, and the insured place's by fund."""
    national = sum((from_fen(r.fund_pay_sumamt_fen) for r in rows), ZERO)
    treatment = insured = ZERO
    funds: dict[str, Decimal] = {}
    for r in rows:
        out = stored_values.loads(SettleOutput, r.output)
        treatment += Decimal(out.setlinfo.fund_pay_sumamt)
        for line in out.setldetail:
            amount = Decimal(line.fund_payamt)
            insured += amount
            funds[line.fund_pay_type] = funds.get(line.fund_pay_type, ZERO) + amount
    return {"insured": insured, "treatment": treatment, "national": national}, funds


BASIS = {"insured": "参保地：各基金支付明细（setldetail）合计", "treatment": "就医地：结算单基金支付（setlinfo）合计",
         "national": "国家平台：结算记录基金支付金额合计"}  # fmt: skip


def _statement(tx: Tx, c: ClearingRow) -> v.ClearingStatement:
    body = json.loads(c.statement)
    lines = body["lines"]
    return v.ClearingStatement(
        clr_id=c.clr_id, setlym=c.setlym, mdtrtarea_admdvs=c.mdtrtarea_admdvs, insuplc_admdvs=c.insuplc_admdvs,
        setl_cnt=str(sum(n for _, n, _, _ in lines)), medfee_sumamt=yuan(from_fen(sum(m for *_, m, _ in lines))),
        fund_pay_sumamt=yuan(from_fen(c.fund_pay_sumamt_fen)), agreed="1", clr_time=c.created_at,
        prepayment=_prepayment(tx, c.mdtrtarea_admdvs, c.insuplc_admdvs),
        line=tuple(
            v.StatementLine(line_type=kind, line_type_name=LINE_NAMES[kind], setl_cnt=str(count),
                            medfee_sumamt=yuan(from_fen(medfee)), fund_pay_sumamt=yuan(from_fen(fund)))
            for kind, count, medfee, fund in lines
        ),
        fund=tuple(v.FundAmount(fund_pay_type=t, fund_payamt=yuan(from_fen(a))) for t, a in body["funds"].items()),
        party=tuple(
            v.PartyFigure(party=party, fund_pay_sumamt=yuan(from_fen(amount)), basis=BASIS[party])
            for party, amount in body["parties"].items()
        ),
    )  # fmt: skip


def _prepayment(tx: Tx, treatment: str, insured: str) -> v.PrepaymentInfo:
    p = status(tx, treatment, insured)
    return v.PrepaymentInfo(
        insuplc_admdvs=insured, mdtrtarea_admdvs=treatment, prepaid=yuan(p.prepaid), outstanding=yuan(p.outstanding),
        available=yuan(p.available), expected_monthly=yuan(p.expected_monthly), required=yuan(p.required),
        warn_flag="1" if p.warning else "0", topup_amt=yuan(p.top_up),
    )  # fmt: skip


def status(tx: Tx, treatment: str, insured: str) -> Prepayment:
    rows = [r for r in ledger.uncleared(tx, END_OF_TIME, treatment, insured)
            if locality(r.mdtrtarea_admvs, r.insuplc_admdvs) != "local"]  # fmt: skip
    outstanding = sum((from_fen(r.fund_pay_sumamt_fen) for r in rows), ZERO)
    history = [from_fen(f) for f in ledger.cleared_months(tx, treatment, insured)]
    return prepayment(from_fen(ledger.prepaid(tx, insured, treatment)), outstanding, history)


def _entry(r: UnclearedRecord) -> Entry:
    return Entry(r.setl_id, r.kind, r.setl_time[:4] + r.setl_time[5:7], from_fen(r.medfee_sumamt_fen),
                 from_fen(r.fund_pay_sumamt_fen), r.orig_cleared_in or "")  # fmt: skip


def _checked(world: World, ctx: CallContext, inp: v.ClearInput) -> tuple[v.ClearData, str]:
    _operator(ctx)
    d, path = inp.data, "input.data"
    require(d, path, "setlym")
    for name in ("mdtrtarea_admdvs", "insuplc_admdvs"):
        if getattr(d, name):
            _region(world, getattr(d, name), f"{path}.{name}")
    return d, path


def _operator(ctx: CallContext) -> None:
    if not ctx.institution.operator:
        raise Refusal("AUTH_NOT_OPERATOR", "header.fixmedins_code", code=ctx.institution.fixmedins_code,
                      infno=ctx.infno)  # fmt: skip


def _region(world: World, admdvs: str, path: str) -> None:
    if admdvs not in world.regions:
        raise Refusal("REGION_NOT_FOUND", path, admdvs=admdvs, known="、".join(sorted(world.regions)))


def _last_day(setlym: str, path: str) -> date:
    if len(setlym) != 6 or not setlym.isdigit() or not 1 <= int(setlym[4:]) <= 12:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyyMM，收到 {setlym!r}")
    year, month = int(setlym[:4]), int(setlym[4:])
    return date(year, month, calendar.monthrange(year, month)[1])
