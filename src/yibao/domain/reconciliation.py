"""Reconciliation (对账; docs/reference/interface.md §6, docs/reference/policy.md "Money between regions"): an
institution's totals (3201) and detail records (3202) against the platform's ledger. Pure: the records come in,
the differences go out.

stmt_rslt codes are not published (docs/reference/interface.md §6.1: unknown): Yibao answers 0 平 (match) and
1 不平 (mismatch), and says in stmt_rslt_dscr what the platform holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yibao.domain.money import ZERO, yuan

MATCH, MISMATCH = "0", "1"
SETTLEMENTS, REFUNDS = "0", "1"  # refd_setl_flag: settlement records / refund records ("" = both)


@dataclass(frozen=True, slots=True)
class Record:
    """One settlement or refund record, as the platform holds it or as the institution reports it."""

    setl_id: str
    psn_no: str = ""
    mdtrt_id: str = ""
    msgid: str = ""
    refd_setl_flag: str = SETTLEMENTS
    medfee_sumamt: Decimal = ZERO
    fund_pay_sumamt: Decimal = ZERO
    acct_pay: Decimal = ZERO
    psn_cash_pay: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal
    psn_cash_pay: Decimal

    @classmethod
    def of(cls, records: Iterable[Record]) -> Totals:
        rs = list(records)
        return cls(
            len(rs),
            sum((r.medfee_sumamt for r in rs), ZERO),
            sum((r.fund_pay_sumamt for r in rs), ZERO),
            sum((r.acct_pay for r in rs), ZERO),
            sum((r.psn_cash_pay for r in rs), ZERO),
        )


def only(records: Iterable[Record], refd_setl_flag: str) -> list[Record]:
    return [r for r in records if not refd_setl_flag or r.refd_setl_flag == refd_setl_flag]


TOTAL_NAMES = {"count": "笔数", "medfee_sumamt": "医疗费总额", "fund_pay_sumamt": "基金支付",
               "acct_pay": "个人账户支付", "psn_cash_pay": "现金支付"}  # fmt: skip


def compare_totals(theirs: dict[str, Decimal | int], ours: Totals) -> tuple[str, str]:
    """stmt_rslt and stmt_rslt_dscr for the totals the institution sent (any subset of Totals' fields)."""
    diffs = []
    for name, value in theirs.items():
        mine = getattr(ours, name)
        if value != mine:
            diffs.append(f"{TOTAL_NAMES[name]} 机构 {_show(value)} 平台 {_show(mine)}")
    platform = "，".join(f"{TOTAL_NAMES[n]} {_show(getattr(ours, n))}" for n in theirs)
    if diffs:
        return MISMATCH, f"不平：{'；'.join(diffs)}（平台：{platform}）"
    return MATCH, f"平：{platform}"


def _show(v: Decimal | int) -> str:
    return str(v) if isinstance(v, int) else yuan(v)


@dataclass(frozen=True, slots=True)
class Difference:
    record: Record  # the platform's record when it has one, else the institution's
    memo: str


AMOUNT_NAMES = {"medfee_sumamt": "医疗费总额", "fund_pay_sumamt": "基金支付", "acct_pay": "个人账户支付"}


def compare_records(theirs: Sequence[Record], ours: Sequence[Record]) -> list[Difference]:
    """Every record that differs, in setl_id order: missing on either side, or with other figures or keys."""
    mine = {r.setl_id: r for r in ours}
    sent: dict[str, Record] = {}
    out: list[Difference] = []
    for r in theirs:
        if r.setl_id in sent:
            out.append(Difference(r, "机构重复上报此结算记录"))
        sent[r.setl_id] = r
    for setl_id in sorted(set(mine) | set(sent)):
        m, t = mine.get(setl_id), sent.get(setl_id)
        if m is None and t is not None:
            out.append(Difference(t, "平台无此结算记录（不在对账范围内或不存在）"))
        elif t is None and m is not None:
            out.append(Difference(m, "机构未上报此结算记录"))
        elif m is not None and t is not None:
            why = [f"{label} 机构 {getattr(t, n) or '(空)'} 平台 {getattr(m, n)}"
                   for n, label in (("psn_no", "人员编号"), ("mdtrt_id", "就诊ID"), ("refd_setl_flag", "退费结算标志"))
                   if getattr(t, n) and getattr(t, n) != getattr(m, n)]  # fmt: skip
            if t.msgid and t.msgid != m.msgid:
                why.append(f"报文ID 机构 {t.msgid} 平台 {m.msgid}")
            why += [f"{label} 机构 {yuan(getattr(t, n))} 平台 {yuan(getattr(m, n))}"
                    for n, label in AMOUNT_NAMES.items() if getattr(t, n) != getattr(m, n)]  # fmt: skip
            if why:
                out.append(Difference(m, "；".join(why)))
    return out
