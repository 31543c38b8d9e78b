"""3201 / 3202 reconciliation over gRPC, by hand. P0001 (310, account 500.00; outpatient deductible 200.00,
ratio 0.70) settles S1 300.00 and S2 100.00 at H11000000001, then S1 is refunded:
- S1: deductible 200.00, fund 100.00 × 0.70 = 70.00, account 230.00;
- S2: deductible met, fund 100.00 × 0.70 = 70.00, account 30.00;
- R1 (refund of S1, 隔笔退费): S2 now bears 100.00 of deductible, fund 0.00, so the fund takes back 70.00:
  R1 fund −70.00 − 70.00 = −140.00, account −(230.00 − 70.00) = −160.00, medfee −300.00.
"""

from __future__ import annotations

import pytest
from lab import Item, LabRefused


@pytest.fixture
def ledger(lab):  # type: ignore[no-untyped-def]
    s1 = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    s2 = lab.visit_and_settle("P0001", [Item("A01", "1", "100.00")]).output.setlinfo
    r1 = lab.cancel_settlement(s1.setl_id, s1.mdtrt_id).output.setlinfo
    assert (s1.fund_pay_sumamt, s2.fund_pay_sumamt, r1.fund_pay_sumamt, r1.acct_pay) == (
        "70.00", "70.00", "-140.00", "-160.00")  # fmt: skip
    return s1, s2, r1


def test_totals_by_settlement_and_refund_records(lab, ledger) -> None:
    # settlements: 2 records, medfee 300.00 + 100.00, fund 70.00 + 70.00, account 230.00 + 30.00
    t = lab.check_totals(medfee_sumamt="400.00", fund_pay_sumamt="140.00", acct_pay="260.00", fixmedins_setl_cnt="2",
                         refd_setl_flag="0")  # fmt: skip
    assert (t.setl_optins, t.stmt_rslt) == ("110000", "0")
    assert t.stmt_rslt_dscr == "平：笔数 2，医疗费总额 400.00，基金支付 140.00，个人账户支付 260.00"
    t = lab.check_totals(medfee_sumamt="-300.00", fund_pay_sumamt="-140.00", acct_pay="-160.00",
                         fixmedins_setl_cnt="1", refd_setl_flag="1")  # fmt: skip
    assert t.stmt_rslt == "0"
    # both (net): 3 records, 100.00, 0.00, 100.00
    t = lab.check_totals(medfee_sumamt="100.00", fund_pay_sumamt="0.00", acct_pay="100.00", fixmedins_setl_cnt="3")
    assert t.stmt_rslt == "0"


def test_totals_mismatch_names_each_difference_and_the_platform_figures(lab, ledger) -> None:
    t = lab.check_totals(medfee_sumamt="400.00", fund_pay_sumamt="70.00", acct_pay="260.00", fixmedins_setl_cnt="1",
                         refd_setl_flag="0")  # fmt: skip
    assert t.stmt_rslt == "1"
    assert t.stmt_rslt_dscr == (
        "不平：笔数 机构 1 平台 2；基金支付 机构 70.00 平台 140.00"
        "（平台：笔数 2，医疗费总额 400.00，基金支付 140.00，个人账户支付 260.00）"
    )
    # another day, another insutype or clearing type: nothing on the platform
    t = lab.check_totals(medfee_sumamt="0", fund_pay_sumamt="0", acct_pay="0", fixmedins_setl_cnt="0",
                         clr_type="21")  # fmt: skip
    assert t.stmt_rslt == "0"


def test_totals_checks(lab) -> None:
    with pytest.raises(LabRefused) as e:
        lab.check_totals(setl_optins="440300", medfee_sumamt="0", fund_pay_sumamt="0", acct_pay="0",
                         fixmedins_setl_cnt="0")  # fmt: skip
    assert (e.value.code, e.value.field) == ("RECON_OPTINS", "input.data.setl_optins")
    with pytest.raises(LabRefused) as e:
        lab.check_totals(stmt_begndate="2026-03-16", medfee_sumamt="0", fund_pay_sumamt="0", acct_pay="0",
                         fixmedins_setl_cnt="0")  # fmt: skip
    assert e.value.code == "RECON_DATES"


def test_details_report_each_record_that_differs_and_how(lab, ledger) -> None:
    s1, s2, r1 = ledger
    rows = [
        {"setl_id": s1.setl_id, "psn_no": "P0001", "mdtrt_id": s1.mdtrt_id, "msgid": s1.medins_setl_id,
         "refd_setl_flag": "0", "medfee_sumamt": "300.00", "fund_pay_sumamt": "70.00", "acct_pay": "230.00"},
        # the HIS still has S2's fund as 70.00 but booked 40.00 to the account
        {"setl_id": s2.setl_id, "psn_no": "P0001", "mdtrt_id": s2.mdtrt_id, "refd_setl_flag": "0",
         "medfee_sumamt": "100.00", "fund_pay_sumamt": "70.00", "acct_pay": "40.00"},
        # a record the platform does not have; and R1 is missing
        {"setl_id": "110000LOCAL0001", "medfee_sumamt": "5.00", "fund_pay_sumamt": "0.00", "acct_pay": "5.00"},
    ]  # fmt: skip
    out = lab.check_details(rows, medfee_sumamt="405.00", fund_pay_sumamt="140.00", cash_payamt="0.00",
                            fixmedins_setl_cnt="3")  # fmt: skip
    # platform: 3 records, medfee 400.00 − 300.00 = 100.00, fund 0.00, cash 0.00
    assert out.stmtinfo.stmt_rslt == "1"
    assert "医疗费总额 机构 405.00 平台 100.00" in out.stmtinfo.stmt_rslt_dscr
    got = {r.setl_id: (r.stmt_rslt, r.memo, r.fund_pay_sumamt, r.acct_pay, r.refd_setl_flag) for r in out.result}
    assert got == {
        s2.setl_id: ("1", "个人账户支付 机构 40.00 平台 30.00", "70.00", "30.00", "0"),
        "110000LOCAL0001": ("1", "平台无此结算记录（不在对账范围内或不存在）", "0.00", "5.00", "0"),
        r1.setl_id: ("1", "机构未上报此结算记录", "-140.00", "-160.00", "1"),
    }


def test_details_in_full_agreement(lab, ledger) -> None:
    s1, s2, r1 = ledger
    rows = [
        {"setl_id": s.setl_id, "refd_setl_flag": flag, "medfee_sumamt": s.medfee_sumamt,
         "fund_pay_sumamt": s.fund_pay_sumamt, "acct_pay": s.acct_pay}
        for s, flag in ((s1, "0"), (s2, "0"), (r1, "1"))
    ]  # fmt: skip
    out = lab.check_details(rows, medfee_sumamt="100.00", fund_pay_sumamt="0.00", cash_payamt="0.00",
                            fixmedins_setl_cnt="3")  # fmt: skip
    assert (out.stmtinfo.stmt_rslt, list(out.result)) == ("0", [])
