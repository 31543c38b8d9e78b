"""Catalogue split (docs/reference/interface.md §4.3): each fee item is divided by the treatment place's catalogue
into full self-pay, over-the-price-cap, first-self-pay (乙类) and in-scope parts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yibao.domain.money import ZERO, fen

NO_PRICE_CAP = Decimal("999999")  # what the platform reports when an item has no price cap


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One entry of a treatment place's medical catalogue (drug, service or consumable)."""

    med_list_codg: str
    name: str
    list_type: str  # 101 西药 … 201 服务项目, 301 医用材料
    med_chrgitm_type: str
    chrgitm_lv: str  # 01 甲, 02 乙, 03 丙
    selfpay_prop: Decimal = ZERO  # 乙类 first-self-pay ratio
    pric_uplmt_amt: Decimal | None = None  # price cap per unit
    payable: bool = True  # False: in the catalogue but not paid by the fund (全自费)
    lmt_used_flag: str = "0"  # 1: restricted use, paid only with the hospital's approval flag
    lmt_dscr: str = ""
    bas_medn_flag: str = "0"
    hi_nego_drug_flag: str = "0"
    chld_medc_flag: str = "0"
    list_sp_item_flag: str = "0"


@dataclass(frozen=True, slots=True)
class Split:
    fulamt_ownpay_amt: Decimal
    overlmt_amt: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal
    memo: str = ""


def split_item(item: CatalogueItem, total: Decimal, cnt: Decimal, pric: Decimal, hosp_appr_flag: str) -> Split:
    """Split one line total. total = fulamt + overlmt + preselfpay + inscp, exactly.

    - 丙类 (03) or not payable: everything is full self-pay.
    - restricted use (lmt_used_flag 1) without hosp_appr_flag 1: full self-pay, said in memo.
    - above the unit price cap: (pric - cap) × cnt is over-the-cap self-pay.
    - 乙类: the allowed amount × selfpay_prop is paid first by the person; the rest is in scope.
    A refund line (negative cnt and total) splits as the exact negation of the line it refunds.
    """
    if total < 0:
        s = split_item(item, -total, -cnt, pric, hosp_appr_flag)
        return Split(-s.fulamt_ownpay_amt, -s.overlmt_amt, -s.preselfpay_amt, -s.inscp_scp_amt, s.memo)
    if item.chrgitm_lv == "03" or not item.payable:
        why = "丙类项目，全自费" if item.chrgitm_lv == "03" else "医保不予支付项目，全自费"
        return Split(total, ZERO, ZERO, ZERO, why)
    if item.lmt_used_flag == "1" and hosp_appr_flag != "1":
        return Split(total, ZERO, ZERO, ZERO, f"限制使用项目未经审批（hosp_appr_flag≠1），全自费：{item.lmt_dscr}")
    overlmt = ZERO
    if item.pric_uplmt_amt is not None and pric > item.pric_uplmt_amt:
        overlmt = min(total, fen((pric - item.pric_uplmt_amt) * cnt))
    allowed = total - overlmt
    preselfpay = fen(allowed * item.selfpay_prop)
    return Split(ZERO, overlmt, preselfpay, allowed - preselfpay)


def line_total_matches(total: Decimal, cnt: Decimal, pric: Decimal) -> Decimal | None:
    """None when det_item_fee_sumamt agrees with cnt × pric to the fen, else the expected amount."""
    expected = fen(cnt * pric)
    return None if abs(expected - total) <= Decimal("0.01") else expected
