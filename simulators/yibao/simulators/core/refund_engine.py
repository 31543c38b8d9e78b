"""Refunds (退费) of a settlement, in the caller's transaction: the whole settlement (2208 / 2305 / 2103, and
2601 of a settlement message) or some of its items (Y2208, the rest settled again).

Always the same steps (docs/reference/policy.md "Refunds"; seed 003 art. 26):
1. the settlement's accumulator moves are taken out, in the settlement's own year (a refund in January of a
   December settlement credits December's year);
2. a partial refund settles what is left of it at the settlement's place in the year, with the standard
   it had (a refund never changes the benefit basis);
3. the person's later settlements of that year that read a changed accumulator are computed again
   (隔笔退费, src/yibao/domain/refund.py), and what the fund paid them too much (or too little) is folded
   into the refund record;
4. accounts, accumulators, the refund record (new setl_id, negative amounts) and the later settlements'
   current amounts are written; the replies the HIS holds stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.benefit_policy import Benefit, FundStack
from yibao.domain.fund_allocation import FeeTotals, PersonFacts, Settlement, allocate
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
from yibao.simulators.core import stored_values
from yibao.simulators.core.item_split import FeeLine, fee_totals
from yibao.simulators.core.ledger_json import Adjusted, Moves, RefundCalc, SettleCalc
from yibao.simulators.core.people import check_insured_place
from yibao.simulators.core.values import settlement as sv
from yibao.storage import family_accounts as family_store
from yibao.storage import ledger
from yibao.storage.rows import LaterSettlement, SettlementCalcRow, SettlementRow
from yibao.storage.store import Tx, from_fen, to_fen

# refd_rea (Yibao field on 2208 / 2305 / 2103 / Y2208): why the refund is asked for.
REFUND_REASONS = {"01": "退药/退项目", "02": "结算有误", "03": "待遇变更"}
BENEFIT_CHANGE = "03"


@dataclass(frozen=True, slots=True)
class Refunded:
    rev_id: str
    record: sv.SettleOutput  # the refund record as replied
    money: Money
    new_id: str = ""  # partial refund: the settlement of what is left
    replacement: sv.SettleOutput | None = None
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
) -> sv.SettleOutput:
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
) -> tuple[SettlementRow, dict[str, Decimal]]:
    """The settlement named by the input, checked and with its person locked; the balances of the locked accounts."""
    if psn_no not in world.persons:
        raise Refusal("PSN_NOT_FOUND", f"{path}.psn_no", psn_no=psn_no)
    if refd_rea and refd_rea not in REFUND_REASONS:
        raise Refusal("ENV_CODE", f"{path}.refd_rea", value=refd_rea, allowed="/".join(REFUND_REASONS))
    balances = engine.lock_people(tx, world, psn_no)
    orig: SettlementRow | None = tx.settlement(setl_id)
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
    cancelled = already_cancelled(tx, orig, f"{path}.setl_id")
    if cancelled is not None:
        raise cancelled
    if refd_rea == BENEFIT_CHANGE and _locality(tx, orig) != "local":
        # 003 art. 26: a cross-region settlement is not refunded merely because the benefits differ.
        raise Refusal("SETL_REFUND_BENEFIT_CHANGE", f"{path}.refd_rea", setl_id=setl_id)
    return orig, balances


def already_cancelled(tx: Tx, orig: SettlementRow, field: str) -> Refusal | None:
    """SETL_ALREADY_CANCELLED, saying when and by which refund record, if settlement `orig` was cancelled."""
    if orig.reversed_by is None:
        return None
    rev: SettlementRow | None = tx.settlement(orig.reversed_by)
    time = rev.setl_time if rev is not None else ""
    return Refusal("SETL_ALREADY_CANCELLED", field, setl_id=orig.setl_id, time=time, rev_setl_id=orig.reversed_by)


def _locality(tx: Tx, orig: SettlementRow) -> str:
    row: SettlementCalcRow | None = ledger.calc(tx, orig.setl_id)
    if row is None:
        replied = stored_values.loads(sv.SettleOutput, orig.output)
        return replied.setltrace.locality
    calc: SettleCalc = json.loads(row.calc)
    return calc["locality"]


@dataclass(frozen=True, slots=True)
class Source:
    """What a refunded settlement was computed from, what it stands at now, and what came after it."""

    calc: SettleCalc
    row: SettlementCalcRow | None  # None: a settlement stored before the ledger extension, nothing to compute again
    money: Money
    later: list[Later]  # the person's later settlements of its year still in force, in order

    @property
    def keys(self) -> dict[str, str]:
        return self.calc["keys"]

    @property
    def holder(self) -> str:
        return self.calc["holder"]


@dataclass(frozen=True, slots=True)
class Rest:
    """Partial refund: the fee lines kept, their bill, and the accumulators just before the refunded settlement
    (where they are settled again)."""

    fees: Sequence[FeeLine]
    totals: FeeTotals
    before: dict[str, Decimal]


def refund(
    world: World,
    tx: Tx,
    ctx: CallContext,
    orig: SettlementRow,
    balances: dict[str, Decimal],
    keep: Sequence[FeeLine] | None = None,
) -> Refunded:
    """Refund settlement `orig` (checked, person locked); `keep`: the fee rows settled again (partial refund).
    The steps of the module's docstring, in order."""
    psn, year = orig.psn_no, orig.year
    src = source(world, tx, orig)
    if src.holder not in balances:  # the person left that family since (Y2902, Y2903): lock whose account it is
        balances[src.holder] = tx.lock_person(src.holder) or ZERO
    own_moves = _acc_moves(orig.moves, psn, year)
    before_it = _accumulators_before(tx, orig, src, own_moves)
    rest = None if keep is None else Rest(keep, fee_totals(keep), before_it)
    new_moves = {} if rest is None else _rest_moves(world, orig, src, rest)  # step 2, its accumulators
    replayed = _replay_later(src, before_it, own_moves, new_moves)  # step 3
    f = fold(src.money, replayed)
    acc_delta = _accumulator_delta(own_moves, new_moves, replayed)  # step 4
    if acc_delta:
        tx.add_to_accumulators(psn, year, acc_delta)
    accounts = {psn: f.own_back}
    accounts[src.holder] = accounts.get(src.holder, ZERO) + f.family_back
    adjusted = _adjust_later(tx, f, psn, src.holder, year)
    rev_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    tx.mark_reversed(orig.setl_id, rev_id)
    tx.release_fees(orig.setl_id)
    new_setl_id, new_out, new_money = "", None, None
    if rest is not None:
        new_setl_id, new_out, new_money = _settle_rest(world, tx, ctx, orig, src, rest, balances, accounts)
    for p, v in accounts.items():
        if v:
            tx.add_to_account(p, v)
    out = _record_output(orig, f, replayed, rev_id, ctx, balances[psn] + accounts[psn], new_setl_id)
    refunded: Moves = {
        "accumulators": [(psn, year, k, to_fen(v)) for k, v in sorted(acc_delta.items())],
        "accounts": [(p, to_fen(v)) for p, v in ((psn, f.own_back), (src.holder, f.family_back)) if v],
    }
    _add_record(tx, ctx, orig, src, f.record, rev_id, out, refunded, adjusted, new_setl_id)
    return Refunded(rev_id, out, f.record, new_setl_id, new_out, new_money)


def source(world: World, tx: Tx, orig: SettlementRow) -> Source:
    """What settlement `orig` was computed from (its settlement_calc row) and the person's settlements after it."""
    row: SettlementCalcRow | None = ledger.calc(tx, orig.setl_id)
    if row is None:
        calc: SettleCalc = {
            "keys": {},
            "benefit": None,
            "use_account": False,
            "holder": orig.psn_no,
            "locality": "",
            "category": "",
            "fees": [f.feedetl_sn for f in ledger.fees_of(tx, orig.setl_id)],
        }
        return Source(calc, None, _money_of_output(orig.output), [])
    calc = json.loads(row.calc)
    if calc.get("holder", orig.psn_no) != orig.psn_no:  # a family account since cancelled pays back to its holder
        calc["holder"] = family_store.refund_holder(tx, calc["holder"])
    later = [_later(world, tx, r) for r in ledger.later_active(tx, orig.psn_no, orig.year, row.seq)]
    return Source(calc, row, ledger.money_of(row.amounts), later)


def _accumulators_before(tx: Tx, orig: SettlementRow, src: Source, own_moves: dict[str, Decimal]) -> dict[str, Decimal]:
    """Step 1: the accumulators just before the refunded settlement (every key it or a later one reads): what
    stands now, less its moves and those of everything after it."""
    every = sorted(set(src.keys.values()) | set(own_moves) | {k for s in src.later for k in s.keys.values()})
    now = tx.accumulators(orig.psn_no, orig.year, every)
    later = src.later
    return {k: now[k] - own_moves.get(k, ZERO) - sum((s.moves.get(k, ZERO) for s in later), ZERO) for k in every}


def _rest_moves(world: World, orig: SettlementRow, src: Source, rest: Rest) -> dict[str, Decimal]:
    """Step 2 (partial refund): what settling the kept lines at the refunded settlement's place moves."""
    acc = accumulated(rest.before, src.keys)
    s = allocate(rest.totals, _benefit(src.calc), _stack(world, orig), _facts(world, orig), acc)
    return accumulator_deltas(s, src.keys)


def _replay_later(
    src: Source, before_it: dict[str, Decimal], own_moves: dict[str, Decimal], new_moves: dict[str, Decimal]
) -> list[Replayed]:
    """Step 3: the later settlements that read an accumulator the refund changes, computed again (隔笔退费)."""
    start = dict(before_it)
    for k, v in new_moves.items():
        start[k] = start.get(k, ZERO) + v
    changed = {k for k in set(own_moves) | set(new_moves) if own_moves.get(k, ZERO) != new_moves.get(k, ZERO)}
    return replay(start, changed, src.later)


def _accumulator_delta(
    own_moves: dict[str, Decimal], new_moves: dict[str, Decimal], replayed: list[Replayed]
) -> dict[str, Decimal]:
    """Step 4, accumulators: the refunded settlement out, what is left of it in, the later ones as computed
    again; keys that do not move are left out."""
    delta = {k: new_moves.get(k, ZERO) - own_moves.get(k, ZERO) for k in set(own_moves) | set(new_moves)}
    for r in replayed:
        for k in set(r.moves) | set(r.later.moves):
            delta[k] = delta.get(k, ZERO) + r.moves.get(k, ZERO) - r.later.moves.get(k, ZERO)
    return {k: v for k, v in delta.items() if v}


def _adjust_later(tx: Tx, f: Fold, psn: str, holder: str, year: int) -> list[Adjusted]:
    """Step 4, later settlements: their moves and current amounts as computed again (bookkeeping only: what they
    take over is already out of the refund's own_back). Returns what they were, for a 2601 to put back."""
    adjusted: list[Adjusted] = []
    for a in f.adjustments:
        row: SettlementRow | None = tx.settlement(a.setl_id)
        calc: SettlementCalcRow | None = ledger.calc(tx, a.setl_id)
        if row is None or calc is None:  # later_active found both
            raise LookupError(f"settlement {a.setl_id} or its settlement_calc row is gone")
        old_moves: Moves = json.loads(row.moves)
        adjusted.append({"setl_id": a.setl_id, "moves": row.moves, "amounts": calc.amounts})
        acct = _merge_accounts(old_moves["accounts"], [(psn, -to_fen(a.own)), (holder, -to_fen(a.family))])
        moves: Moves = {"accumulators": [(psn, year, k, to_fen(v)) for k, v in sorted(a.moves.items())],
                        "accounts": acct}  # fmt: skip
        ledger.set_moves(tx, a.setl_id, json.dumps(moves))
        ledger.set_amounts(tx, a.setl_id, ledger.money_json(a.money))
    return adjusted


def _add_record(
    tx: Tx,
    ctx: CallContext,
    orig: SettlementRow,
    src: Source,
    record: Money,
    rev_id: str,
    out: sv.SettleOutput,
    moves: Moves,
    adjusted: list[Adjusted],
    new_setl_id: str,
) -> None:
    """Step 4, the refund record: its settlement row (negative amounts) and its settlement_calc row, which keeps
    what a 2601 of the refund needs to put everything back."""
    tx.add_settlement(
        setl_id=rev_id,
        kind="reversal",
        orig_setl_id=orig.setl_id,
        reversed_by=None,
        **_same_visit(orig, ctx),
        year=orig.year,
        msgid=ctx.msgid,
        medfee_sumamt_fen=to_fen(record["medfee_sumamt"]),
        fund_pay_sumamt_fen=to_fen(record["fund_pay_sumamt"]),
        acct_pay_fen=to_fen(record["acct_pay"]),
        psn_cash_pay_fen=to_fen(record["psn_cash_pay"]),
        moves=json.dumps(moves),
        output=stored_values.dumps(out),
    )
    rev_calc: RefundCalc = {
        "refund_of": orig.setl_id,
        "fees": src.calc["fees"],
        "adjusted": adjusted,
        "replacement": new_setl_id,
        "holder": src.holder,
        "locality": src.calc["locality"],
    }
    ledger.add_calc(
        tx,
        setl_id=rev_id,
        psn_no=orig.psn_no,
        year=orig.year,
        seq=ledger.next_seq(tx, orig.psn_no),
        calc=json.dumps(rev_calc, sort_keys=True),
        amounts=ledger.money_json(record),
    )


def _settle_rest(
    world: World,
    tx: Tx,
    ctx: CallContext,
    orig: SettlementRow,
    src: Source,
    rest: Rest,
    balances: dict[str, Decimal],
    accounts: dict[str, Decimal],
) -> tuple[str, sv.SettleOutput, Money]:
    """Step 2, written: the refunded items go, the kept ones are settled again at the refunded settlement's place
    in the year, paid from the accounts as they stand after the refund (`accounts`: what the refund moves so
    far, to which this adds). Returns the new settlement's id, reply and amounts."""
    psn, holder = orig.psn_no, src.holder
    dropped = sorted(set(src.calc["fees"]) - {k.feedetl_sn for k in rest.fees})
    ledger.delete_fees(tx, orig.mdtrt_id, dropped)  # the refunded items: gone with the refund
    setl_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    own_balance = balances[psn] + accounts[psn]
    family = (
        max(ZERO, balances[holder] + accounts[holder] - engine.family_floor(world, holder)) if holder != psn else ZERO
    )
    payer = replace(_facts(world, orig), use_account=src.calc["use_account"], own_balance=own_balance,
                    family_available=family)  # fmt: skip
    s = allocate(rest.totals, _benefit(src.calc), _stack(world, orig), payer, accumulated(rest.before, src.keys))
    s.check_balances()
    accounts[psn] -= s.acct_pay - s.acct_mulaid_pay
    accounts[holder] = accounts.get(holder, ZERO) - s.acct_mulaid_pay
    return setl_id, _store_rest(world, tx, ctx, orig, src, rest.fees, s, setl_id), Money.of(s)


def _store_rest(
    world: World,
    tx: Tx,
    ctx: CallContext,
    orig: SettlementRow,
    src: Source,
    keep: Sequence[FeeLine],
    s: Settlement,
    setl_id: str,
) -> sv.SettleOutput:
    """Store the settlement of what a partial refund leaves, at the refunded settlement's place in the year."""
    person = world.persons[orig.psn_no]
    insurance = person.insurance(orig.insutype)
    if insurance is None:  # the world is immutable while serving: the person had it when settling
        raise LookupError(f"person {orig.psn_no} has no insurance {orig.insutype}")
    calc, row = src.calc, src.row
    case = engine.Case(
        person=person, insurance=insurance, mdtrt_id=orig.mdtrt_id, chrg_bchno=orig.chrg_bchno,
        med_type=orig.med_type, category=calc["category"], clr_type=orig.clr_type,
        mdtrt_cert_type=stored_values.loads(sv.SettleOutput, orig.output).setlinfo.mdtrt_cert_type,
        admission=ctx.now.date(), use_account=calc["use_account"], fees=keep,
        treatment_admdvs=orig.mdtrtarea_admvs, rule_key=row.rule_key if row is not None else "",
    )  # fmt: skip
    moves = engine.settlement_moves(s, src.keys, orig.psn_no, src.holder, orig.year)
    basis = f"部分退费后重新结算（原结算 {orig.setl_id}）：{_benefit_basis(calc)}"
    filing_sn = row.filing_sn if row is not None else ""
    c = engine.Computed(s, basis, calc["locality"], filing_sn, moves, _benefit(calc), src.keys, src.holder)
    out = engine.output(world, ctx, case, c, setl_id)
    tx.mark_fees_settled_by_sn(orig.mdtrt_id, [f.feedetl_sn for f in keep], setl_id)
    tx.add_settlement(
        setl_id=setl_id, kind="settle", orig_setl_id=orig.setl_id, reversed_by=None, **_same_visit(orig, ctx),
        year=orig.year, msgid=ctx.msgid, medfee_sumamt_fen=to_fen(s.totals.medfee_sumamt),
        fund_pay_sumamt_fen=to_fen(s.fund_pay_sumamt), acct_pay_fen=to_fen(s.acct_pay),
        psn_cash_pay_fen=to_fen(s.psn_cash_pay), moves=json.dumps(moves),
        output=stored_values.dumps(out),
    )  # fmt: skip
    seq = row.seq if row is not None else None
    engine.ledger_entry(tx, setl_id, case, c, orig.year, seq=seq, basis=_benefit_basis(calc))
    return out


def _same_visit(orig: SettlementRow, ctx: CallContext) -> dict[str, str]:
    """The settlement-row fields a refund record or a re-settlement shares with the original."""
    names = ("mdtrt_id", "chrg_bchno", "psn_no", "insutype", "med_type", "fixmedins_code", "mdtrtarea_admvs",
             "insuplc_admdvs", "clr_type")  # fmt: skip
    return {name: getattr(orig, name) for name in names} | {"setl_time": ctx.time_text}


def _record_output(
    orig: SettlementRow,
    f: Fold,
    replayed: list[Replayed],
    rev_id: str,
    ctx: CallContext,
    balc: Decimal,
    new_setl_id: str,
) -> sv.SettleOutput:
    out = stored_values.loads(sv.SettleOutput, orig.output)
    changes = {name: yuan(f.record[name]) for name in AMOUNTS}
    changes |= {"setl_id": rev_id, "setl_time": ctx.time_text, "medins_setl_id": ctx.msgid, "balc": yuan(balc)}
    rows = {row.fund_pay_type: row for row in out.setldetail}
    for fund_type in sorted(set(f.record.funds) - set(rows)):  # a fund that pays a later settlement differently
        rows[fund_type] = sv.SetlDetail(
            fund_pay_type=fund_type,
            inscp_scp_amt="0.00",
            crt_payb_lmt_amt="0.00",
            fund_pay_type_name=_fund_name(fund_type),
        )
    details = tuple(
        replace(
            row,
            inscp_scp_amt=_negative(row.inscp_scp_amt),
            fund_payamt=yuan(f.record.funds.get(fund_type, ZERO)),
            setl_proc_info=f"撤销结算 {orig.setl_id}",
        )
        for fund_type, row in rows.items()
    )
    basis = f"撤销结算 {orig.setl_id}：恢复其支付的账户与累计"
    if new_setl_id:
        basis += f"；未退部分重新结算为 {new_setl_id}"
    steps = []
    for r in replayed:
        old, new = r.later.money["fund_pay_sumamt"], r.settlement.fund_pay_sumamt
        what = f"多付 {yuan(old - new)} 从本次退款中扣回" if old > new else f"少付 {yuan(new - old)} 随本次退款退还"
        steps.append(sv.TraceStep(
            step="replay",
            base=yuan(old),
            accumulated_before=yuan(old),
            amount=yuan(new - old),
            accumulated_after=yuan(new),
            rule=f"隔笔退费：后续结算 {r.later.setl_id} 按退费后的累计重新计算，"
            f"基金支付 {yuan(old)} → {yuan(new)}，{what}",
        ))  # fmt: skip
    if replayed:
        basis += f"；隔笔退费：重新计算后续结算 {len(replayed)} 笔"
    trace = replace(out.setltrace, steps=out.setltrace.steps + tuple(steps), benefit_basis=basis)
    return replace(out, setlinfo=replace(out.setlinfo, **changes), setldetail=details, setltrace=trace)


def _negative(amount: str) -> str:
    """A refunded amount as the refund record shows it: below zero."""
    return yuan(-Decimal(amount)) if amount and not amount.startswith("-") else amount


def _fund_name(fund_type: str) -> str:
    return FUND_NAMES.get(fund_type, fund_type)


def _later(world: World, tx: Tx, row: LaterSettlement) -> Later:
    calc: SettleCalc = json.loads(row.calc)
    return Later(
        setl_id=row.setl_id,
        keys=calc["keys"],
        totals=fee_totals(ledger.fees_of(tx, row.setl_id)),
        benefit=_benefit(calc),
        stack=_stack(world, row),
        facts=_facts(world, row),
        moves=_acc_moves(row.moves, row.psn_no, row.year),
        money=ledger.money_of(row.amounts),
    )


def _stack(world: World, row: SettlementRow | LaterSettlement) -> FundStack:
    """The insured place's fund stack: what a settlement's funds were computed with."""
    return world.regions[row.insuplc_admdvs].funds


def _benefit(calc: SettleCalc) -> Benefit | None:
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
        b.get("fund", ""),
    )


def _benefit_basis(calc: SettleCalc) -> str:
    if "basis" in calc:
        return str(calc["basis"])
    b = calc.get("benefit")  # a ledger row written before the basis was kept
    return b["basis"] if b else engine.NO_FUND_BASIS


def _facts(world: World, row: SettlementRow | LaterSettlement) -> PersonFacts:
    person = world.persons[row.psn_no]
    ins = person.insurance(row.insutype)
    return PersonFacts(
        insutype=row.insutype,
        cvlserv_flag=ins.cvlserv_flag if ins else "0",
        idet_types=frozenset(i.psn_idet_type for i in person.idetinfo),
    )


def _acc_moves(moves_json: str, psn_no: str, year: int) -> dict[str, Decimal]:
    """What a settlement's stored moves did to the person's accumulators of `year`, by key."""
    moves: Moves = json.loads(moves_json)
    return {k: from_fen(v) for p, y, k, v in moves["accumulators"] if p == psn_no and y == year}


def _merge_accounts(a: list[tuple[str, int]], b: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for p, v in [*a, *b]:
        out[p] = out.get(p, 0) + v
    return [(p, v) for p, v in out.items() if v]


def _money_of_output(output: bytes) -> Money:
    info = stored_values.loads(sv.SettleOutput, output)
    s = info.setlinfo
    values = {n: Decimal(getattr(s, n) or "0") for n in AMOUNTS}
    funds: dict[str, Decimal] = {}
    for row in info.setldetail:
        funds[row.fund_pay_type] = funds.get(row.fund_pay_type, ZERO) + Decimal(row.fund_payamt or "0")
    return Money(values, funds)
