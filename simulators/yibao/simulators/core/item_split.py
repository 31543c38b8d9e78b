"""One fee line checked and split by the treatment place's catalogue — shared by 2204 (outpatient),
2301 (inpatient) and 2101/2102 (pharmacy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from yibao.domain.catalogue_split import NO_PRICE_CAP, CatalogueItem, Split, line_total_matches, split_item
from yibao.domain.fund_allocation import FeeTotals
from yibao.domain.money import ratio, yuan
from yibao.errors import Refusal
from yibao.inputs import datetime_field, decimal_field
from yibao.simulators.core.values import settlement as sv
from yibao.storage.store import from_fen, to_fen


class FeeLine(Protocol):
    """A fee line as the settlement engine reads it: a stored `fee` row, or a pharmacy sale's line (`SplitFee`)
    that 2101 computes before anything is stored."""

    @property
    def feedetl_sn(self) -> str: ...
    @property
    def med_list_codg(self) -> str: ...
    @property
    def memo(self) -> str: ...
    @property
    def sumamt_fen(self) -> int: ...
    @property
    def fulamt_fen(self) -> int: ...
    @property
    def overlmt_fen(self) -> int: ...
    @property
    def preselfpay_fen(self) -> int: ...
    @property
    def inscp_fen(self) -> int: ...
    @property
    def er_flag(self) -> str: ...


class FeeItem(Protocol):
    """The input fields of one fee line that its stored row keeps (2204 feedetail, 2301 feedetail, 2102
    drugdetail)."""

    @property
    def med_list_codg(self) -> str: ...
    @property
    def medins_list_codg(self) -> str: ...
    @property
    def fee_ocur_time(self) -> str: ...


class SplitInput(FeeItem, Protocol):
    """The input fields `split_line` checks and splits."""

    @property
    def feedetl_sn(self) -> str: ...
    @property
    def det_item_fee_sumamt(self) -> str: ...
    @property
    def cnt(self) -> str: ...
    @property
    def pric(self) -> str: ...


def fee_split(fee: FeeLine) -> Split:
    """The catalogue split of a fee line, as stored when it was uploaded (2204 / 2301 / 2102)."""
    return Split(
        from_fen(fee.fulamt_fen), from_fen(fee.overlmt_fen), from_fen(fee.preselfpay_fen), from_fen(fee.inscp_fen)
    )


def fee_totals(fees: Iterable[FeeLine]) -> FeeTotals:
    """The bill of a settlement: its fee lines' totals and splits summed."""
    return FeeTotals.of((from_fen(f.sumamt_fen), fee_split(f)) for f in fees)


@dataclass(frozen=True, slots=True)
class SplitFee:
    """A fee line split but not stored (yet): what the settlement engine reads of it (`FeeLine`)."""

    feedetl_sn: str
    med_list_codg: str
    memo: str
    sumamt_fen: int
    fulamt_fen: int
    overlmt_fen: int
    preselfpay_fen: int
    inscp_fen: int
    er_flag: str = ""  # a pharmacy sale's lines are never emergency items


@dataclass(frozen=True, slots=True)
class SplitLine:
    feedetl_sn: str
    entry: CatalogueItem
    total: Decimal
    cnt_text: str
    pric_text: str
    split: Split

    def row(self, mdtrt_id: str, item: FeeItem, *, chrg_bchno: str = "", dise_codg: str = "",
            init_feedetl_sn: str = "", er_flag: str = "") -> dict[str, str | int | None]:  # fmt: skip
        """The `fee` table row."""
        s = self.split
        return {
            "mdtrt_id": mdtrt_id, "feedetl_sn": self.feedetl_sn, "chrg_bchno": chrg_bchno, "dise_codg": dise_codg,
            "init_feedetl_sn": init_feedetl_sn, "memo": s.memo, "med_list_codg": item.med_list_codg,
            "medins_list_codg": item.medins_list_codg, "fee_ocur_time": item.fee_ocur_time, "cnt": self.cnt_text,
            "pric": self.pric_text, "sumamt_fen": to_fen(self.total), "fulamt_fen": to_fen(s.fulamt_ownpay_amt),
            "overlmt_fen": to_fen(s.overlmt_amt), "preselfpay_fen": to_fen(s.preselfpay_amt),
            "inscp_fen": to_fen(s.inscp_scp_amt), "setl_id": None, "er_flag": er_flag,
        }  # fmt: skip

    def fee(self, med_list_codg: str) -> SplitFee:
        """The line as the settlement engine reads it before it is stored."""
        s = self.split
        return SplitFee(
            self.feedetl_sn, med_list_codg, s.memo, to_fen(self.total), to_fen(s.fulamt_ownpay_amt),
            to_fen(s.overlmt_amt), to_fen(s.preselfpay_amt), to_fen(s.inscp_scp_amt),
        )  # fmt: skip

    def national(self) -> sv.FeeSplit:
        """The national per-item split (2204 result[], 2301 result[], 2102 detlcutinfo[])."""
        e, s = self.entry, self.split
        return sv.FeeSplit(
            feedetl_sn=self.feedetl_sn, det_item_fee_sumamt=yuan(self.total), cnt=self.cnt_text, pric=self.pric_text,
            pric_uplmt_amt=f"{e.pric_uplmt_amt if e.pric_uplmt_amt is not None else NO_PRICE_CAP}",
            selfpay_prop=ratio(e.selfpay_prop), fulamt_ownpay_amt=yuan(s.fulamt_ownpay_amt),
            overlmt_amt=yuan(s.overlmt_amt), preselfpay_amt=yuan(s.preselfpay_amt),
            inscp_scp_amt=yuan(s.inscp_scp_amt), chrgitm_lv=e.chrgitm_lv, med_chrgitm_type=e.med_chrgitm_type,
            bas_medn_flag=e.bas_medn_flag, hi_nego_drug_flag=e.hi_nego_drug_flag, chld_medc_flag=e.chld_medc_flag,
            list_sp_item_flag=e.list_sp_item_flag, lmt_used_flag=e.lmt_used_flag, drt_reim_flag="0", memo=s.memo,
        )  # fmt: skip


def split_line(catalogue: dict[str, CatalogueItem], admdvs: str, item: SplitInput, path: str, hosp_appr_flag: str,
               *, refund: bool = False) -> SplitLine:  # fmt: skip
    """Check one line (time, amounts, catalogue entry, total = cnt × pric) and split it.

    `refund`: a refund line (2301 with init_feedetl_sn) carries a negative cnt and total.
    """
    datetime_field(item.fee_ocur_time, f"{path}.fee_ocur_time")
    sign = -1 if refund else 1
    total = sign * decimal_field(item.det_item_fee_sumamt.lstrip("-") if refund else item.det_item_fee_sumamt,
                                 f"{path}.det_item_fee_sumamt", 2)  # fmt: skip
    cnt = sign * decimal_field(item.cnt.lstrip("-") if refund else item.cnt, f"{path}.cnt", 4, positive=True)
    if refund and not (item.cnt.startswith("-") and (total == 0 or item.det_item_fee_sumamt.startswith("-"))):
        raise Refusal("ENV_FORMAT", f"{path}.cnt", rule="退费明细（init_feedetl_sn）的数量和金额应为负数")
    pric = decimal_field(item.pric, f"{path}.pric", 6)
    entry = catalogue.get(item.med_list_codg)
    if entry is None:
        raise Refusal("FEE_NOT_IN_CATALOGUE", f"{path}.med_list_codg", feedetl_sn=item.feedetl_sn,
                      code=item.med_list_codg, admdvs=admdvs)  # fmt: skip
    expected = line_total_matches(total, cnt, pric)
    if expected is not None:
        raise Refusal("FEE_AMOUNT_MISMATCH", f"{path}.det_item_fee_sumamt", feedetl_sn=item.feedetl_sn,
                      amount=item.det_item_fee_sumamt, cnt=item.cnt, pric=item.pric,
                      expected=yuan(expected))  # fmt: skip
    return SplitLine(item.feedetl_sn, entry, total, item.cnt, item.pric,
                     split_item(entry, total, cnt, pric, hosp_appr_flag))  # fmt: skip
