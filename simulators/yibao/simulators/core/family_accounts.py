"""The family mutual-aid account (家庭共济账户) at run time [004; docs/family-accounts.md]: Y2901 sets it up, Y2902
changes its members or moves more in, Y2903 cancels it, Y2904 shows it with every transfer.

The holder is an employee (310); each member is insured in the province of the holder's employee insurance; a
person belongs to one family account at most (the holder too, with rlts 0). Only the part of the holder's
personal account above the floor (2,000.00 yuan, the region's family_account_floor) may be moved in, with the
holder's consent (agre_flag 1); each move is a transfer record. The account's balance is a person_state row keyed
by fam_acct_id, which a settlement of any member pays from after the member's own account (settle_engine.py);
cancelling returns the rest to the holder's account."""

from __future__ import annotations

from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.money import ZERO, yuan
from yibao.domain.world import Person, World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import decimal_field, require
from yibao.simulators.core.people import person_of
from yibao.simulators.core.settle_engine import family_floor
from yibao.simulators.core.values import family_account as v
from yibao.storage import family_accounts as store
from yibao.storage.family_accounts import FamilyAccountRow, FamilyMemberRow, FamilyTransferRow
from yibao.storage.store import Tx, from_fen, to_fen

HOLDER = "0"
RELATIONS = ("1", "2", "3", "4")  # 配偶, 子女, 父母, 兄弟姐妹 (近亲属 [004])
INTO, BACK = "1", "2"  # transfer types: into the family account, back to the holder's


def set_up(world: World, tx: Tx, ctx: CallContext, inp: v.FamilySetUpInput) -> v.FamilyAccountOutput:
    """Y2901: the account, its members (each checked) and the first move from the holder's account."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "agre_flag", "trns_amt")
    _consent(d.agre_flag, d.psn_no)
    holder = _holder(world, d.psn_no, f"{path}.psn_no")
    _not_in_a_family(tx, world, holder.psn_no, f"{path}.psn_no")
    if not inp.member:
        raise Refusal("ENV_REQUIRED", "input.member")
    amount = decimal_field(d.trns_amt, f"{path}.trns_amt", 2, positive=True)
    prov = _province(holder)
    joining = _joining(world, tx, holder, prov, inp.member, "input.member", set())
    fam_acct_id = "JT" + new_id(ctx.mdtrtarea_admvs, ctx.now)[6:]
    balance = tx.lock_person(holder.psn_no) or ZERO
    _check_amount(world, holder.psn_no, balance, amount, f"{path}.trns_amt")
    store.add_account(tx, FamilyAccountRow(fam_acct_id, holder.psn_no, prov, ctx.time_text, None))
    _add_members(tx, [FamilyMemberRow(holder.psn_no, fam_acct_id, HOLDER, ctx.time_text)]
                 + [FamilyMemberRow(m.psn_no, fam_acct_id, m.rlts, ctx.time_text) for m in joining],
                 {holder.psn_no: f"{path}.psn_no"} | _paths(joining, "input.member"))  # fmt: skip
    moved = _move(tx, ctx, fam_acct_id, holder.psn_no, amount, INTO)
    return _output(tx, fam_acct_id, [moved])


def change(world: World, tx: Tx, ctx: CallContext, inp: v.FamilyChangeInput) -> v.FamilyAccountOutput:
    """Y2902: members added and removed (at least one besides the holder stays), and optionally more moved in."""
    d, path = inp.data, "input.data"
    require(d, path, "fam_acct_id", "psn_no", "agre_flag")
    _consent(d.agre_flag, d.psn_no)
    acct = _active(tx, d.fam_acct_id, d.psn_no, f"{path}.fam_acct_id")
    balances = _lock(tx, acct)
    holder = person_of(world, acct.holder_psn_no, f"{path}.psn_no")
    current = {m.psn_no for m in store.members(tx, acct.fam_acct_id)}
    leaving = _leaving(inp.remove, current, acct.holder_psn_no)
    joining = _joining(world, tx, holder, acct.prov, inp.add, "input.add", current - set(leaving))
    if len(current) - len(leaving) + len(joining) < 2:
        raise Refusal("FAMILY_MEMBER_RULE", "input.remove", rule="至少保留一名家庭成员；撤销账户请用 Y2903",
                      rule_en="a member besides the holder must stay; cancel the account with Y2903")  # fmt: skip
    amount = decimal_field(d.trns_amt or "0", f"{path}.trns_amt", 2)
    if amount:
        _check_amount(world, acct.holder_psn_no, balances[acct.holder_psn_no], amount, f"{path}.trns_amt")
    store.remove_members(tx, acct.fam_acct_id, leaving)
    _add_members(tx, [FamilyMemberRow(m.psn_no, acct.fam_acct_id, m.rlts, ctx.time_text) for m in joining],
                 _paths(joining, "input.add"))  # fmt: skip
    moved = [_move(tx, ctx, acct.fam_acct_id, acct.holder_psn_no, amount, INTO)] if amount else []
    return _output(tx, acct.fam_acct_id, moved)


def cancel(world: World, tx: Tx, ctx: CallContext, inp: v.FamilyCancelInput) -> v.FamilyAccountOutput:
    """Y2903: the rest goes back to the holder's account and every member is free to join another family."""
    d, path = inp.data, "input.data"
    require(d, path, "fam_acct_id", "psn_no", "agre_flag")
    _consent(d.agre_flag, d.psn_no)
    acct = _active(tx, d.fam_acct_id, d.psn_no, f"{path}.fam_acct_id")
    rest = _lock(tx, acct)[acct.fam_acct_id]
    out_members = store.members(tx, acct.fam_acct_id)
    moved = [_move(tx, ctx, acct.fam_acct_id, acct.holder_psn_no, rest, BACK)] if rest else []
    store.close_account(tx, acct.fam_acct_id, ctx.time_text)
    out = _output(tx, acct.fam_acct_id, moved)
    return v.FamilyAccountOutput(acctinfo=out.acctinfo, member=tuple(_member(m) for m in out_members), trns=out.trns)


def query(world: World, tx: Tx, ctx: CallContext, inp: v.FamilyQueryInput) -> v.FamilyAccountOutput:
    """Y2904: the account the person holds or belongs to, its members and every transfer, oldest first."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    found = store.membership(tx, d.psn_no)
    if found is None:
        raise Refusal("FAMILY_NOT_FOUND", f"{path}.psn_no", psn_no=d.psn_no, fam="")
    return _output(tx, found.fam_acct_id, store.transfers(tx, found.fam_acct_id))


def _consent(agre_flag: str, psn_no: str) -> None:
    if agre_flag != "1":
        raise Refusal("FAMILY_CONSENT", "input.data.agre_flag", psn_no=psn_no)


def _holder(world: World, psn_no: str, path: str) -> Person:
    holder = person_of(world, psn_no, path)
    if holder.insurance("310") is None:
        raise Refusal("FAMILY_HOLDER", path, psn_no=psn_no, reason="未参加职工基本医疗保险（310），没有个人账户",
                      reason_en="no employee insurance (310), so no personal account")  # fmt: skip
    return holder


def _province(holder: Person) -> str:
    employee = holder.insurance("310")
    assert employee is not None  # _holder checked it
    return employee.insuplc_admdvs[:2]


def _not_in_a_family(tx: Tx, world: World, psn_no: str, path: str) -> None:
    """One account per family: neither a run-time account nor one the world file declares."""
    found = store.membership(tx, psn_no)
    if found is not None or psn_no in world.family_holder:
        fam = found.fam_acct_id if found else f"{world.family_holder[psn_no]}（世界文件）"
        raise Refusal("FAMILY_ALREADY", path, psn_no=psn_no, fam=fam)


def _joining(world: World, tx: Tx, holder: Person, prov: str, wanted: tuple[v.FamilyMember, ...], node: str,
             staying: set[str]) -> list[v.FamilyMember]:  # fmt: skip
    """The members to add, each checked: a person of the world, a known relation, insured in the holder's
    province, listed once and in no family yet."""
    seen = set(staying) | {holder.psn_no}
    for n, m in enumerate(wanted):
        path = f"{node}[{n}]"
        require(m, path, "psn_no", "rlts")
        if m.rlts not in RELATIONS:
            raise Refusal("ENV_CODE", f"{path}.rlts", value=m.rlts, allowed="/".join(RELATIONS))
        person = person_of(world, m.psn_no, f"{path}.psn_no")
        if m.psn_no in seen:
            raise Refusal("FAMILY_MEMBER_RULE", f"{path}.psn_no", rule=f"{m.psn_no} 已是本账户的持有人或成员",
                          rule_en=f"{m.psn_no} is already this account's holder or member")  # fmt: skip
        if all(i.insuplc_admdvs[:2] != prov for i in person.insurances):
            raise Refusal("FAMILY_MEMBER_PROVINCE", f"{path}.psn_no", psn_no=m.psn_no, prov=f"{prov}0000")
        _not_in_a_family(tx, world, m.psn_no, f"{path}.psn_no")
        seen.add(m.psn_no)
    return list(wanted)


def _add_members(tx: Tx, rows: list[FamilyMemberRow], paths: dict[str, str]) -> None:
    """Two set-ups (or changes) racing for one person both pass _not_in_a_family before either commits; the
    loser's insert then clashes on the person's key and is refused as the check would have refused it."""
    clash = store.add_members(tx, rows)
    if clash is not None:
        raise Refusal("FAMILY_ALREADY", paths[clash.psn_no], psn_no=clash.psn_no, fam=clash.fam_acct_id)


def _paths(members: list[v.FamilyMember], node: str) -> dict[str, str]:
    return {m.psn_no: f"{node}[{n}].psn_no" for n, m in enumerate(members)}


def _leaving(remove: tuple[v.FamilyMember, ...], current: set[str], holder: str) -> list[str]:
    leaving: list[str] = []
    for n, m in enumerate(remove):
        path = f"input.remove[{n}].psn_no"
        require(m, f"input.remove[{n}]", "psn_no")
        if m.psn_no == holder:
            raise Refusal("FAMILY_MEMBER_RULE", path, rule="持有人不能移出；撤销账户请用 Y2903",
                          rule_en="the holder cannot leave; cancel the account with Y2903")  # fmt: skip
        if m.psn_no not in current or m.psn_no in leaving:
            raise Refusal("FAMILY_MEMBER_RULE", path, rule=f"{m.psn_no} 不是本账户的成员",
                          rule_en=f"{m.psn_no} is not a member of this account")  # fmt: skip
        leaving.append(m.psn_no)
    return leaving


def _active(tx: Tx, fam_acct_id: str, psn_no: str, path: str) -> FamilyAccountRow:
    acct = store.account(tx, fam_acct_id)
    if acct is None or acct.endtime is not None or acct.holder_psn_no != psn_no:
        raise Refusal("FAMILY_NOT_FOUND", path, psn_no=psn_no, fam=f" {fam_acct_id}")
    return acct


def _lock(tx: Tx, acct: FamilyAccountRow) -> dict[str, Decimal]:
    """Lock the holder's account and the family's, sorted as a settlement locks them (no deadlock)."""
    return {p: tx.lock_person(p) or ZERO for p in sorted((acct.holder_psn_no, acct.fam_acct_id))}


def _check_amount(world: World, holder: str, balance: Decimal, amount: Decimal, path: str) -> None:
    floor = family_floor(world, holder)
    available = max(ZERO, balance - floor)
    if amount > available:
        raise Refusal("FAMILY_AMOUNT", path, amount=yuan(amount), floor=yuan(floor), balance=yuan(balance),
                      available=yuan(available))  # fmt: skip


def _move(tx: Tx, ctx: CallContext, fam_acct_id: str, holder: str, amount: Decimal, kind: str) -> FamilyTransferRow:
    """Move `amount` between the holder's account and the family's (INTO: to the family), recorded."""
    sign = Decimal(1) if kind == INTO else Decimal(-1)
    tx.add_to_account(holder, -sign * amount)
    tx.add_to_account(fam_acct_id, sign * amount)
    row = FamilyTransferRow(new_id(ctx.mdtrtarea_admvs, ctx.now), fam_acct_id, kind, to_fen(amount), ctx.infno,
                            ctx.msgid, ctx.time_text)  # fmt: skip
    store.add_transfer(tx, row)
    return row


def _member(m: FamilyMemberRow) -> v.FamilyMember:
    return v.FamilyMember(psn_no=m.psn_no, rlts=m.rlts)


def _output(tx: Tx, fam_acct_id: str, moved: list[FamilyTransferRow]) -> v.FamilyAccountOutput:
    acct = store.account(tx, fam_acct_id)
    assert acct is not None
    info = v.FamilyAccountInfo(
        fam_acct_id=acct.fam_acct_id, holder_psn_no=acct.holder_psn_no, fam_acct_stas="0" if acct.endtime else "1",
        fam_acct_balc=yuan(tx.account_balance(acct.fam_acct_id) or ZERO),
        acct_balc=yuan(tx.account_balance(acct.holder_psn_no) or ZERO), begntime=acct.begntime,
        endtime=acct.endtime or "",
    )  # fmt: skip
    trns = tuple(v.FamilyTransfer(trns_id=r.trns_id, trns_type=r.trns_type, trns_amt=yuan(from_fen(r.amount_fen)),
                                  trns_time=r.created_at, infno=r.infno) for r in moved)  # fmt: skip
    return v.FamilyAccountOutput(acctinfo=info, member=tuple(_member(m) for m in store.members(tx, fam_acct_id)),
                                 trns=trns)  # fmt: skip
