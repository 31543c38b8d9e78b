"""Per-item catalogue split (docs/reference/interface.md §4.3).

total = fulamt_ownpay_amt + overlmt_amt + preselfpay_amt + inscp_scp_amt, exactly, for every line.
"""

from decimal import Decimal as D

import pytest

from yibao.domain.catalogue_split import CatalogueItem, Split, line_total_matches, split_item


def item(
    lv: str = "01",
    prop: str = "0",
    cap: str | None = None,
    *,
    payable: bool = True,
    lmt: str = "0",
    lmt_dscr: str = "",
) -> CatalogueItem:
    return CatalogueItem(
        med_list_codg="TEST0001",
        name="测试项目",
        list_type="101",
        med_chrgitm_type="09",
        chrgitm_lv=lv,
        selfpay_prop=D(prop),
        pric_uplmt_amt=None if cap is None else D(cap),
        payable=payable,
        lmt_used_flag=lmt,
        lmt_dscr=lmt_dscr,
    )


def parts(s: Split) -> tuple[D, D, D, D]:
    """(fulamt, overlmt, preselfpay, inscp)"""
    return (s.fulamt_ownpay_amt, s.overlmt_amt, s.preselfpay_amt, s.inscp_scp_amt)


def assert_adds_up(s: Split, total: D) -> None:
    assert s.fulamt_ownpay_amt + s.overlmt_amt + s.preselfpay_amt + s.inscp_scp_amt == total


# -- 甲类 01


def test_class_a_is_all_in_scope() -> None:
    # 甲 25.00, no cap, selfpay_prop 0: fulamt 0, overlmt 0, preselfpay 25.00×0 = 0, inscp 25.00
    s = split_item(item("01"), D("25.00"), D("1"), D("25.00"), "0")
    assert parts(s) == (D("0"), D("0"), D("0"), D("25.00"))
    assert s.memo == ""
    assert_adds_up(s, D("25.00"))


def test_class_a_priced_exactly_at_cap_is_not_over_it() -> None:
    # 诊查费 pric 10.00 = cap 10.00, cnt 2: nothing above the cap; inscp = 20.00
    s = split_item(item("01", cap="10.00"), D("20.00"), D("2"), D("10.00"), "0")
    assert parts(s) == (D("0"), D("0"), D("0"), D("20.00"))


def test_class_a_above_cap_with_count_two() -> None:
    # 诊查费 pric 15.00, cap 10.00, cnt 2, total 30.00: overlmt = (15.00-10.00)×2 = 10.00; inscp = 30.00-10.00 = 20.00
    s = split_item(item("01", cap="10.00"), D("30.00"), D("2"), D("15.00"), "0")
    assert parts(s) == (D("0"), D("10.00"), D("0"), D("20.00"))
    assert_adds_up(s, D("30.00"))


# -- 乙类 02 with selfpay_prop


def test_class_b_national_sample() -> None:
    # docs/reference/interface.md §4.2 sample: 4.52 × 0.05 = 0.226 → 0.23 (half-up); inscp = 4.52 - 0.23 = 4.29
    s = split_item(item("02", "0.05"), D("4.52"), D("1"), D("4.52"), "0")
    assert parts(s) == (D("0"), D("0"), D("0.23"), D("4.29"))
    assert_adds_up(s, D("4.52"))


def test_class_b_rounds_half_up_not_half_even() -> None:
    # 0.50 × 0.05 = 0.025 → 0.03 (banker's rounding would give 0.02); inscp = 0.50 - 0.03 = 0.47
    s = split_item(item("02", "0.05"), D("0.50"), D("1"), D("0.50"), "0")
    assert parts(s) == (D("0"), D("0"), D("0.03"), D("0.47"))


def test_class_b_rounds_down_below_half() -> None:
    # 4.48 × 0.05 = 0.224 → 0.22; inscp = 4.48 - 0.22 = 4.26
    s = split_item(item("02", "0.05"), D("4.48"), D("1"), D("4.48"), "0")
    assert parts(s) == (D("0"), D("0"), D("0.22"), D("4.26"))


def test_class_b_ct_above_cap() -> None:
    # 乙类 CT 200.00 at cap 180.00: overlmt = (200-180)×1 = 20.00; allowed 180.00;
    # preselfpay = 180.00×0.08 = 14.40; inscp = 180.00-14.40 = 165.60
    s = split_item(item("02", "0.08", "180.00"), D("200.00"), D("1"), D("200.00"), "0")
    assert parts(s) == (D("0"), D("20.00"), D("14.40"), D("165.60"))
    assert_adds_up(s, D("200.00"))


def test_class_b_above_cap_with_count_three() -> None:
    # 输液器 pric 4.00, cap 3.50, cnt 3, total 12.00: overlmt = (4.00-3.50)×3 = 1.50; allowed = 10.50;
    # preselfpay = 10.50×0.10 = 1.05; inscp = 10.50-1.05 = 9.45
    s = split_item(item("02", "0.10", "3.50"), D("12.00"), D("3"), D("4.00"), "0")
    assert parts(s) == (D("0"), D("1.50"), D("1.05"), D("9.45"))
    assert_adds_up(s, D("12.00"))


def test_over_cap_amount_is_rounded_to_the_fen() -> None:
    # pric 3.333, cap 3.00, cnt 3, total 10.00 (3×3.333 = 9.999 → 10.00):
    # overlmt = (3.333-3.00)×3 = 0.999 → 1.00; allowed 9.00; preselfpay = 9.00×0.10 = 0.90; inscp 8.10
    s = split_item(item("02", "0.10", "3.00"), D("10.00"), D("3"), D("3.333"), "0")
    assert parts(s) == (D("0"), D("1.00"), D("0.90"), D("8.10"))
    assert_adds_up(s, D("10.00"))


# -- 丙类 03 and not payable


def test_class_c_is_all_full_self_pay() -> None:
    # 丙 30.00: fulamt 30.00, nothing else — no overlmt although pric 30.00 > cap 5.00, no preselfpay despite prop
    s = split_item(item("03", "0.10", "5.00"), D("30.00"), D("1"), D("30.00"), "1")
    assert parts(s) == (D("30.00"), D("0"), D("0"), D("0"))
    assert "丙类" in s.memo


def test_not_payable_class_b_is_all_full_self_pay() -> None:
    # 乙类 but payable=False (e.g. 医用美容敷料) 15.00: fulamt 15.00, no preselfpay even with prop 0.10
    s = split_item(item("02", "0.10", payable=False), D("15.00"), D("1"), D("15.00"), "0")
    assert parts(s) == (D("15.00"), D("0"), D("0"), D("0"))
    assert "不予支付" in s.memo


# -- restricted use (lmt_used_flag 1)


@pytest.mark.parametrize("hosp_appr_flag", ["0", "", "2"])
def test_restricted_item_without_approval_is_full_self_pay(hosp_appr_flag: str) -> None:
    # 曲妥珠单抗 乙类 prop 0.20, restricted, not approved: all 1000.00 is fulamt
    restricted = item("02", "0.20", lmt="1", lmt_dscr="限HER2阳性乳腺癌")
    s = split_item(restricted, D("1000.00"), D("1"), D("1000.00"), hosp_appr_flag)
    assert parts(s) == (D("1000.00"), D("0"), D("0"), D("0"))
    assert "限HER2阳性乳腺癌" in s.memo
    assert "hosp_appr_flag" in s.memo


def test_restricted_item_with_approval_is_split_normally() -> None:
    # approved (hosp_appr_flag 1): preselfpay = 1000.00×0.20 = 200.00; inscp = 1000.00-200.00 = 800.00
    restricted = item("02", "0.20", lmt="1", lmt_dscr="限HER2阳性乳腺癌")
    s = split_item(restricted, D("1000.00"), D("1"), D("1000.00"), "1")
    assert parts(s) == (D("0"), D("0"), D("200.00"), D("800.00"))
    assert s.memo == ""


def test_restricted_approved_item_above_cap() -> None:
    # approved, pric 600.00 cap 500.00 cnt 2, total 1200.00: overlmt = 100.00×2 = 200.00; allowed 1000.00;
    # preselfpay = 1000.00×0.20 = 200.00; inscp = 800.00
    restricted = item("02", "0.20", "500.00", lmt="1")
    s = split_item(restricted, D("1200.00"), D("2"), D("600.00"), "1")
    assert parts(s) == (D("0"), D("200.00"), D("200.00"), D("800.00"))


def test_unrestricted_item_ignores_approval_flag() -> None:
    # lmt_used_flag 0: hosp_appr_flag 0 or 1 gives the same split; 100.00×0.10 = 10.00 pre, 90.00 inscp
    a = split_item(item("02", "0.10"), D("100.00"), D("1"), D("100.00"), "0")
    b = split_item(item("02", "0.10"), D("100.00"), D("1"), D("100.00"), "1")
    assert parts(a) == parts(b) == (D("0"), D("0"), D("10.00"), D("90.00"))


# -- refunds (2301: "退单时数量填写负数")


# BUG: with a negative cnt (inpatient refund) and a unit price above the cap, overlmt is computed as
# min(total, (pric-cap)×cnt) = min(-12.00, -1.50) = -12.00, so the whole refund lands in overlmt and
# preselfpay / inscp stay 0. The refund of a line should split as the exact negation of the line:
# overlmt -1.50, preselfpay -1.05, inscp -9.45 (see test_class_b_above_cap_with_count_three).
def test_refund_line_splits_as_the_negation_of_the_original() -> None:
    catalogue_item = item("02", "0.10", "3.50")
    original = split_item(catalogue_item, D("12.00"), D("3"), D("4.00"), "0")
    refund = split_item(catalogue_item, D("-12.00"), D("-3"), D("4.00"), "0")
    assert parts(refund) == (D("0"), D("-1.50"), D("-1.05"), D("-9.45"))
    assert parts(refund) == tuple(-x for x in parts(original))


# -- line_total_matches: det_item_fee_sumamt vs cnt × pric


def test_line_total_exact() -> None:
    # 3 × 4.00 = 12.00
    assert line_total_matches(D("12.00"), D("3"), D("4.00")) is None


@pytest.mark.parametrize("total", ["10.00", "9.99", "10.01"])
def test_line_total_within_one_fen(total: str) -> None:
    # 3 × 3.333333 = 9.999999 → 10.00; 9.99 and 10.01 are 0.01 away: tolerated
    assert line_total_matches(D(total), D("3"), D("3.333333")) is None


@pytest.mark.parametrize("total", ["9.98", "10.02", "100.00"])
def test_line_total_off_by_more_than_one_fen(total: str) -> None:
    # 3 × 3.333333 = 9.999999 → 10.00; 9.98 / 10.02 are 0.02 away: the expected amount is returned
    assert line_total_matches(D(total), D("3"), D("3.333333")) == D("10.00")


def test_line_total_expected_is_rounded_half_up() -> None:
    # 0.5 × 7.25 = 3.625 → 3.63 (half-up); 3.60 is 0.03 away → 3.63 returned; 3.62 is 0.01 away → accepted
    assert line_total_matches(D("3.60"), D("0.5"), D("7.25")) == D("3.63")
    assert line_total_matches(D("3.62"), D("0.5"), D("7.25")) is None
