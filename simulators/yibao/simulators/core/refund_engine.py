"""Refunds (退费) of a settlement, in the caller's transaction: the whole settlement (2208 / 2305 / 2103, and
2601 of a settlement message) or some of its items (Y2208, the rest settled again).

Always the same steps (policy.md "Refunds"; seed 003 art. 26):
1. the settlement's accumulator moves are taken out, in the settlement's own year (a refund in January of a
   December settlement credits December's year);
2. a partial refund settles what is left of it at the settlement's place in the year, with the standard
   it had (a refund never changes the benefit basis);
3. the person's later settlements of that year that read a changed accumulator are computed again
   (隔笔退费, yibao/domain/refund.py), and what the fund paid them too much (or too little) is folded
   into the refund record;
4. accounts, accumulators, the refund record (new setl_id, negative amounts) and the later settlements'
   current amounts are written; the replies the HIS holds stay as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from yibao.call import CallContext
from yibao.domain.benefit_policy import Benefit
from yibao.domain.fund_allocation import FeeTotals, PersonFacts, allocate
from yibao.domain.funds import FUND_NAMES
from yibao.domain.money import ZERO, yuan
from yibao.domain.refund import (
    AMOUNTS,
    Fold,
    Later,
    Money,
    Replayed,
    accumulated,
    accumulator_deltas,
    fold,
    replay,
)
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.simulators.core import settle_engine as engine
from yibao.simulators.core.people import check_insured_place
from yibao.storage import ledger
from yibao.storage.store import Tx, from_fen, to_fen
from yibao.v1 import settlement_pb2 as spb

# refd_rea (Yibao field on 2208 / 2305 / 2103 / Y2208): why the refund is asked for.
REFUND_REASONS = {"01": "退药/退项目", "02": "结算有误", "03": "待遇变更"}
BENEFIT_CHANGE = "03"


@dataclass(frozen=True, slots=True)
class Refunded:
    rev_id: str
    record: spb.SettleOutput  # the refund record as replied
    money: Money
    new_id: str = ""  # partial refund: the settlement of what is left
    replacement: spb.SettleOutput | None = None
    replacement_money: Money | None = None


def cancel(
    world: World,
    tx: Tx,
    ctx: CallContext,
    setl_id: str,
    mdtrt_id: str,
    psn_no: str,
    kinds: tuple[str, ...],
    path: str = "input.data",
    refd_rea: str = "",
) -> spb.SettleOutput:
    """2208 / 2305 / 2103: the whole settlement back."""
    orig, balances = settlement_to_refund(world, tx, ctx, setl_id, mdtrt_id, psn_no, kinds, path, refd_rea)
    return refund(world, tx, ctx, orig, balances).record


def settlement_to_refund(
    world: World,
    tx: Tx,
    ctx: CallContext,
    setl_id: str,
    mdtrt_id: str,
    psn_no: str,
    kinds: tuple[str, ...],
    path: str,
    refd_rea: str = "",
) -> tuple[Any, dict[str, Decimal]]:
    """The settlement named by the input, checked and with its person locked; the balances of the locked accounts."""
    if psn_no not in world.persons:
        raise Refusal("PSN_NOT_FOUND", f"{path}.psn_no", psn_no=psn_no)
    if refd_rea and refd_rea not in REFUND_REASONS:
        raise Refusal("ENV_CODE", f"{path}.refd_rea", value=refd_rea, allowed="/".join(REFUND_REASONS))
    balances = engine.lock_people(tx, world, psn_no)
    orig = tx.settlement(setl_id)
    if orig is None or orig.kind != "settle" or orig.clr_type not in kinds:
        raise Refusal("SETL_NOT_FOUND", f"{path}.setl_id", setl_id=setl_id)
    if orig.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("SETL_NOT_YOURS", f"{path}.setl_id", setl_id=setl_id, code=ctx.institution.fixmedins_code)
    for name, value in (("mdtrt_id", mdtrt_id), ("psn_no", psn_no)):
        if value != getattr(orig, name):
            raise Refusal(
                "MDTRT_MISMATCH", f"{path}.{name}", value=value, mdtrt_id=orig.mdtrt_id, expected=getattr(orig, name)
            )
    check_insured_place(ctx, psn_no, orig.insuplc_admdvs)
    if orig.reversed_by is not None:
        rev = tx.settlement(orig.reversed_by)
        raise Refusal(
            "SETL_ALREADY_CANCELLED", f"{path}.setl_id", setl_id=setl_id, time=rev.setl_time, rev_setl_id=rev.setl_id
        )
    if refd_rea == BENEFIT_CHANGE and _locality(tx, orig) != "local":
        # 003 art. 26: a cross-region settlement is not refunded merely because the benefits differ.
        raise Refusal("SETL_REFUND_BENEFIT_CHANGE", f"{path}.refd_rea", setl_id=setl_id)
    return orig, balances


def _locality(tx: Tx, orig: Any) -> str:
    row = ledger.calc(tx, orig.setl_id)
    return (
        json.loads(row.calc)["locality"]
        if row is not None
        else spb.SettleOutput.FromString(orig.output).setltrace.locality
    )


def refund(
    world: World, tx: Tx, ctx: CallContext, orig: Any, balances: dict[str, Decimal], keep: list[Any] | None = None
) -> Refunded:
    """Refund settlement `orig` (checked, person locked); `keep`: the fee rows settled again (partial refund)."""
    psn, year = orig.psn_no, orig.year
    calc_row = ledger.calc(tx, orig.setl_id)
    if calc_row is None:  # a settlement stored before the ledger extension: nothing to compute again
        calc: dict[str, Any] = {
            "keys": {},
            "benefit": None,
            "use_account": False,
            "holder": psn,
            "locality": "",
            "category": "",
            "fees": [f.feedetl_sn for f in ledger.fees_of(tx, orig.setl_id)],
        }
        money, seq, later = _money_of_output(orig.output), 0, []
    else:
        calc, money, seq = json.loads(calc_row.calc), ledger.money_of(calc_row.amounts), calc_row.seq
        later = [_later(world, tx, r) for r in ledger.later_active(tx, psn, year, seq)]
    keys, holder = calc["keys"], calc["holder"]
    own_moves = _acc_moves(orig.moves, psn, year)
    every = sorted(set(keys.values()) | set(own_moves) | {k for s in later for k in s.keys.values()})
    now = tx.accumulators(psn, year, every)
    # The accumulators just before the refunded settlement: what stands now, less it and everything after it.
    start = {k: now[k] - own_moves.get(k, ZERO) - sum((s.moves.get(k, ZERO) for s in later), ZERO) for k in every}
    before_it = dict(start)
    new_moves: dict[str, Decimal] = {}
    benefit, stack, facts = _benefit(calc), world.regions[orig.insuplc_admdvs].funds, _facts(world, orig)
    totals = None
    if keep is not None:
        totals = FeeTotals.of((from_fen(f.sumamt_fen), engine._split(f)) for f in keep)
        new_moves = accumulator_deltas(allocate(totals, benefit, stack, facts, accumulated(start, keys)), keys)
        for k, v in new_moves.items():
            start[k] = start.get(k, ZERO) + v
    changed = {k for k in set(own_moves) | set(new_moves) if own_moves.get(k, ZERO) != new_moves.get(k, ZERO)}
    replayed = replay(start, changed, later)
    f = fold(money, replayed)

    # Accumulators: the refunded settlement out, what is left of it in, the later ones as computed again.
    acc_delta = {k: new_moves.get(k, ZERO) - own_moves.get(k, ZERO) for k in set(own_moves) | set(new_moves)}
    for r in replayed:
        for k in set(r.moves) | set(r.later.moves):
            acc_delta[k] = acc_delta.get(k, ZERO) + r.moves.get(k, ZERO) - r.later.moves.get(k, ZERO)
    acc_delta = {k: v for k, v in acc_delta.items() if v}
    if acc_delta:
        tx.add_to_accumulators(psn, year, acc_delta)
    accounts = {psn: f.own_back}
    accounts[holder] = accounts.get(holder, ZERO) + f.family_back
    adjusted = []
    for a in f.adjustments:  # bookkeeping only: what they take over is already out of the refund's own_back
        row = tx.settlement(a.setl_id)
        old_moves = json.loads(row.moves)
        adjusted.append({"setl_id": a.setl_id, "moves": row.moves, "amounts": ledger.calc(tx, a.setl_id).amounts})
        acct = _merge_accounts(old_moves["accounts"], [[psn, -to_fen(a.own)], [holder, -to_fen(a.family)]])
        moves = {"accumulators": [[psn, year, k, to_fen(v)] for k, v in sorted(a.moves.items())], "accounts": acct}
        ledger.set_moves(tx, a.setl_id, json.dumps(moves))
        ledger.set_amounts(tx, a.setl_id, ledger.money_json(a.money))

    rev_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    tx.mark_reversed(orig.setl_id, rev_id)
    tx.release_fees(orig.setl_id)
    refund_accounts = [[p, to_fen(v)] for p, v in ((psn, f.own_back), (holder, f.family_back)) if v]

    new_setl_id, new_out, new_money = "", None, None
    if keep is not None and totals is not None:
        dropped = sorted(set(calc["fees"]) - {k.feedetl_sn for k in keep})
        ledger.delete_fees(tx, orig.mdtrt_id, dropped)  # the refunded items: gone with the refund
        new_setl_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
        own_balance = balances[psn] + accounts[psn]
        family = (
            max(ZERO, balances[holder] + accounts[holder] - engine.family_floor(world, holder))
            if holder != psn
            else ZERO
        )
        payer = replace(facts, use_account=calc["use_account"], own_balance=own_balance, family_available=family)
        s = allocate(totals, benefit, stack, payer, accumulated(before_it, keys))
        s.check_balances()
        accounts[psn] -= s.acct_pay - s.acct_mulaid_pay
        accounts[holder] = accounts.get(holder, ZERO) - s.acct_mulaid_pay
        new_out, new_money = _settle_rest(world, tx, ctx, orig, calc, calc_row, keep, s, new_setl_id, holder)
    for p, v in accounts.items():
        if v:
            tx.add_to_account(p, v)

    balc = balances[psn] + accounts[psn]
    out = _record_output(orig, f, replayed, rev_id, ctx, balc, new_setl_id)
    tx.add_settlement(
        setl_id=rev_id,
        kind="reversal",
        orig_setl_id=orig.setl_id,
        reversed_by=None,
        **_same_visit(orig, ctx),
        year=year,
        msgid=ctx.msgid,
        medfee_sumamt_fen=to_fen(f.record["medfee_sumamt"]),
        fund_pay_sumamt_fen=to_fen(f.record["fund_pay_sumamt"]),
        acct_pay_fen=to_fen(f.record["acct_pay"]),
        psn_cash_pay_fen=to_fen(f.record["psn_cash_pay"]),
        moves=json.dumps(
            {
                "accumulators": [[psn, year, k, to_fen(v)] for k, v in sorted(acc_delta.items())],
                "accounts": refund_accounts,
            }
        ),
        output=out.SerializeToString(deterministic=True),
    )
    rev_calc = {
        "refund_of": orig.setl_id,
        "fees": calc["fees"],
        "adjusted": adjusted,
        "replacement": new_setl_id,
        "holder": holder,
        "locality": calc["locality"],
    }
    ledger.add_calc(
        tx,
        setl_id=rev_id,
        psn_no=psn,
        year=year,
        seq=ledger.next_seq(tx, psn),
        calc=json.dumps(rev_calc, sort_keys=True),
        amounts=ledger.money_json(f.record),
    )
    return Refunded(rev_id, out, f.record, new_setl_id, new_out, new_money)


def _settle_rest(
    world: World,
    tx: Tx,
    ctx: CallContext,
    orig: Any,
    calc: dict[str, Any],
    calc_row: Any,
    keep: list[Any],
    s: Any,
    setl_id: str,
    holder: str,
) -> tuple[spb.SettleOutput, Money]:
    """Store the settlement of what a partial refund leaves, at the refunded settlement's place in the year."""
    person = world.persons[orig.psn_no]
    case = engine.Case(
        person=person,
        insurance=person.insurance(orig.insutype),
        mdtrt_id=orig.mdtrt_id,
        chrg_bchno=orig.chrg_bchno,
        med_type=orig.med_type,
        category=calc["category"],
        clr_type=orig.clr_type,
        mdtrt_cert_type=spb.SettleOutput.FromString(orig.output).setlinfo.mdtrt_cert_type,
        admission=ctx.now.date(),
        use_account=calc["use_account"],
        fees=keep,
        treatment_admdvs=orig.mdtrtarea_admvs,
        rule_key=calc_row.rule_key if calc_row is not None else "",
    )
    keys = calc["keys"]
    moves = {
        "accumulators": [[orig.psn_no, orig.year, k, to_fen(v)] for k, v in accumulator_deltas(s, keys).items()],
        "accounts": [
            [p, -to_fen(v)]
            for p, v in ((orig.psn_no, s.acct_pay - s.acct_mulaid_pay), (holder, s.acct_mulaid_pay))
            if v
        ],
    }
    filing_sn = calc_row.filing_sn if calc_row is not None else ""
    c = engine.Computed(
        s,
        f"部分退费后重新结算（原结算 {orig.setl_id}）：{_benefit_basis(calc)}",
        calc["locality"],
        filing_sn,
        moves,
        _benefit(calc),
        keys,
        holder,
    )
    out = engine.output(world, ctx, case, c, setl_id)
    tx.mark_fees_settled_by_sn(orig.mdtrt_id, [f.feedetl_sn for f in keep], setl_id)
    tx.add_settlement(
        setl_id=setl_id,
        kind="settle",
        orig_setl_id=orig.setl_id,
        reversed_by=None,
        **_same_visit(orig, ctx),
        year=orig.year,
        msgid=ctx.msgid,
        medfee_sumamt_fen=to_fen(s.totals.medfee_sumamt),
        fund_pay_sumamt_fen=to_fen(s.fund_pay_sumamt),
        acct_pay_fen=to_fen(s.acct_pay),
        psn_cash_pay_fen=to_fen(s.psn_cash_pay),
        moves=json.dumps(moves),
        output=out.SerializeToString(deterministic=True),
    )
    seq = calc_row.seq if calc_row is not None else None
    engine.ledger_entry(tx, setl_id, case, c, orig.year, seq=seq, basis=_benefit_basis(calc))
    return out, Money.of(s)


def _same_visit(orig: Any, ctx: CallContext) -> dict[str, Any]:
    """The settlement-row fields a refund record or a re-settlement shares with the original."""
    names = ("mdtrt_id", "chrg_bchno", "psn_no", "insutype", "med_type", "fixmedins_code", "mdtrtarea_admvs",
             "insuplc_admdvs", "clr_type")  # fmt: skip
    return {name: getattr(orig, name) for name in names} | {"setl_time": ctx.time_text}


def _record_output(
    orig: Any, f: Fold, replayed: list[Replayed], rev_id: str, ctx: CallContext, balc: Decimal, new_setl_id: str
) -> spb.SettleOutput:
    out = spb.SettleOutput.FromString(orig.output)
    info = out.setlinfo
    for name in AMOUNTS:
        setattr(info, name, yuan(f.record[name]))
    info.setl_id, info.setl_time, info.medins_setl_id, info.balc = rev_id, ctx.time_text, ctx.msgid, yuan(balc)
    rows = {row.fund_pay_type: row for row in out.setldetail}
    for fund_type in sorted(set(f.record.funds) - set(rows)):  # a fund that pays a later settlement differently
        rows[fund_type] = out.setldetail.add(
            fund_pay_type=fund_type,
            inscp_scp_amt="0.00",
            crt_payb_lmt_amt="0.00",
            fund_pay_type_name=_fund_name(fund_type),
        )
    for fund_type, row in rows.items():
        if row.inscp_scp_amt and not row.inscp_scp_amt.startswith("-"):
            row.inscp_scp_amt = yuan(-Decimal(row.inscp_scp_amt))
        row.fund_payamt = yuan(f.record.funds.get(fund_type, ZERO))
        row.setl_proc_info = f"撤销结算 {orig.setl_id}"
    basis = f"撤销结算 {orig.setl_id}：恢复其支付的账户与累计"
    if new_setl_id:
        basis += f"；未退部分重新结算为 {new_setl_id}"
    trace = out.setltrace
    for r in replayed:
        old, new = r.later.money["fund_pay_sumamt"], r.settlement.fund_pay_sumamt
        what = f"多付 {yuan(old - new)} 从本次退款中扣回" if old > new else f"少付 {yuan(new - old)} 随本次退款退还"
        trace.steps.add(
            step="replay",
            base=yuan(old),
            accumulated_before=yuan(old),
            amount=yuan(new - old),
            accumulated_after=yuan(new),
            rule=f"隔笔退费：后续结算 {r.later.setl_id} 按退费后的累计重新计算，"
            f"基金支付 {yuan(old)} → {yuan(new)}，{what}",
        )
    if replayed:
        basis += f"；隔笔退费：重新计算后续结算 {len(replayed)} 笔"
    trace.benefit_basis = basis
    return out


def _fund_name(fund_type: str) -> str:
    return FUND_NAMES.get(fund_type, fund_type)


def _later(world: World, tx: Tx, row: Any) -> Later:
    calc = json.loads(row.calc)
    fees = ledger.fees_of(tx, row.setl_id)
    return Later(
        setl_id=row.setl_id,
        keys=calc["keys"],
        totals=FeeTotals.of((from_fen(f.sumamt_fen), engine._split(f)) for f in fees),
        benefit=_benefit(calc),
        stack=world.regions[row.insuplc_admdvs].funds,
        facts=_facts(world, row),
        moves=_acc_moves(row.moves, row.psn_no, row.year),
        money=ledger.money_of(row.amounts),
    )


def _benefit(calc: dict[str, Any]) -> Benefit | None:
    b = calc.get("benefit")
    if b is None:
        return None
    return Benefit(
        Decimal(b["deductible"]),
        Decimal(b["ratio"]),
        Decimal(b["annual_cap"]),
        b["per_stay"],
        b["accum_group"],
        b["basis"],
    )


def _benefit_basis(calc: dict[str, Any]) -> str:
    if "basis" in calc:
        return str(calc["basis"])
    b = calc.get("benefit")  # a ledger row written before the basis was kept
    return b["basis"] if b else engine.NO_FUND_BASIS


def _facts(world: World, row: Any) -> PersonFacts:
    person = world.persons[row.psn_no]
    ins = person.insurance(row.insutype)
    return PersonFacts(
        insutype=row.insutype,
        cvlserv_flag=ins.cvlserv_flag if ins else "0",
        idet_types=frozenset(i.psn_idet_type for i in person.idetinfo),
    )


def _acc_moves(moves_json: str, psn_no: str, year: int) -> dict[str, Decimal]:
    return {k: from_fen(v) for p, y, k, v in json.loads(moves_json)["accumulators"] if p == psn_no and y == year}


def _merge_accounts(a: list[list[Any]], b: list[list[Any]]) -> list[list[Any]]:
    out: dict[str, int] = {}
    for p, v in [*a, *b]:
        out[p] = out.get(p, 0) + v
    return [[p, v] for p, v in out.items() if v]


def _money_of_output(output: bytes) -> Money:
    info = spb.SettleOutput.FromString(output)
    s = info.setlinfo
    values = {n: Decimal(getattr(s, n) or "0") for n in AMOUNTS}
    funds: dict[str, Decimal] = {}
    for row in info.setldetail:
        funds[row.fund_pay_type] = funds.get(row.fund_pay_type, ZERO) + Decimal(row.fund_payamt or "0")
    return Money(values, funds)
