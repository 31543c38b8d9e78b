"""Policy maths over gRPC, each figure computed by hand from tests/test_world.json (region 110000
unless said otherwise): 310 in-service: deductible 200.00, ratio 0.70, cap 1000.00;
310 retired (1201): deductible 100.00, ratio 0.80, cap 1000.00; 390: deductible 0, ratio 0.50, cap 300.00.
"""

from __future__ import annotations

import re

import pytest
from lab import D, Item, LabRefused
from sqlalchemy import select

from yibao.storage import schema
from yibao.v1 import outpatient_pb2


def test_deductible_partly_consumed_by_an_earlier_visit(lab) -> None:
    first = lab.visit_and_settle("P0001", [Item("A01", "1", "150.00")]).output.setlinfo
    # 150.00 in scope, all of it deductible (200.00 not reached): fund 0, person 150.00 from the account
    assert (first.act_pay_dedc, first.hifp_pay, first.acct_pay, first.balc) == ("150.00", "0.00", "150.00", "350.00")
    second = lab.visit_and_settle("P0001", [Item("A01", "1", "100.00")]).output.setlinfo
    # deductible left 200−150 = 50.00; fund (100−50)×0.70 = 35.00; person 65.00; balance 350−65 = 285.00
    assert (second.act_pay_dedc, second.hifp_pay, second.psn_part_amt, second.balc) == (
        "50.00",
        "35.00",
        "65.00",
        "285.00",
    )


def test_annual_cap_reached_for_a_resident_without_account(lab) -> None:
    caps = []
    for _ in range(3):
        s = lab.visit_and_settle("P0002", [Item("A01", "1", "400.00")]).output
        caps.append(
            (s.setlinfo.hifp_pay, s.setldetail[0].crt_payb_lmt_amt, s.setlinfo.acct_pay, s.setlinfo.psn_cash_pay)
        )
        assert s.setldetail[0].fund_pay_type == "390100"
    # 400×0.50 = 200.00 (cap left 300.00); then cap left 100.00 → 100.00; then 0.00.
    # Residents have no personal account: acct_pay 0 although acct_used_flag = 1.
    assert caps == [
        ("200.00", "300.00", "0.00", "200.00"),
        ("100.00", "100.00", "0.00", "300.00"),
        ("0.00", "0.00", "0.00", "400.00"),
    ]


def test_account_never_goes_below_zero(lab) -> None:
    s = lab.visit_and_settle("P0003", [Item("A01", "1", "200.00")]).output.setlinfo
    # retired: deductible 100.00; fund (200−100)×0.80 = 80.00; person 120.00: account 40.00, cash 80.00
    assert (s.act_pay_dedc, s.hifp_pay, s.acct_pay, s.psn_cash_pay, s.balc) == (
        "100.00",
        "80.00",
        "40.00",
        "80.00",
        "0.00",
    )


def test_account_not_used_without_acct_used_flag(lab) -> None:
    s = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")], acct="0").output.setlinfo
    # fund (300−200)×0.70 = 70.00; person 230.00 all in cash; balance stays 500.00
    assert (s.hifp_pay, s.acct_pay, s.psn_cash_pay, s.balc) == ("70.00", "0.00", "230.00", "500.00")


def test_cross_region_patient_treatment_place_split_insured_place_benefits(lab) -> None:
    # P0004 is insured in 440300 and treated at a 110000 hospital (emergency flag: med_type 13, no filing needed).
    mdtrt_id = lab.register("P0004")
    lab.upload(mdtrt_id, [Item("B02", "1", "100.00")], psn="P0004")
    s = lab.settle(mdtrt_id, "100.00", psn="P0004", med_type="13").output.setlinfo
    # Treatment place 110000's catalogue: B02 乙 10% → preselfpay 10.00, inscp 90.00 (440300 would say 5%).
    # Insured place 440300's benefits: no deductible, ratio 0.90, minus 0.10 for emergency → 0.80 → fund 72.00;
    # person 28.00 from the account (1000.00).
    assert (s.preselfpay_amt, s.inscp_scp_amt, s.hifp_pay, s.acct_pay, s.balc) == (
        "10.00",
        "90.00",
        "72.00",
        "28.00",
        "972.00",
    )


def test_restricted_item_needs_the_approval_flag(lab) -> None:
    mdtrt_id = lab.register("P0001")
    rows = lab.upload(mdtrt_id, [Item("R01", "1", "50.00"), Item("R01", "1", "50.00", appr="1")]).output.result
    assert (rows[0].fulamt_ownpay_amt, rows[0].inscp_scp_amt) == ("50.00", "0.00")
    assert "限制使用" in rows[0].memo
    # approved: 乙 20% → preselfpay 10.00, inscp 40.00
    assert (rows[1].preselfpay_amt, rows[1].inscp_scp_amt) == ("10.00", "40.00")


def test_item_not_in_catalogue_rejects_the_whole_upload(lab) -> None:
    mdtrt_id = lab.register("P0001")
    with pytest.raises(LabRefused) as e:
        lab.upload(mdtrt_id, [Item("A01", "1", "10.00"), Item("ZZ9", "1", "5.00")])
    assert (e.value.code, e.value.field) == ("FEE_NOT_IN_CATALOGUE", "input.feedetail[1].med_list_codg")
    # names the item by its feedetl_sn (the lab numbers items F00001, F00002 … across the whole run)
    assert "ZZ9" in e.value.detail.header.err_msg and re.search(r"明细 F[0-9]{5,}", e.value.detail.header.err_msg)
    with pytest.raises(LabRefused) as e:  # the good first item was not kept either
        lab.settle(mdtrt_id, "10.00")
    assert e.value.code == "SETL_NO_FEES"


@pytest.mark.parametrize(
    ("item", "code", "field"),
    [
        (Item("A01", "2", "10.00", total="25.00"), "FEE_AMOUNT_MISMATCH", "input.feedetail[0].det_item_fee_sumamt"),
        (Item("A01", "0", "10.00", total="0.00"), "ENV_FORMAT", "input.feedetail[0].cnt"),
        (Item("A01", "1", "abc", total="1.00"), "ENV_FORMAT", "input.feedetail[0].pric"),
        (Item("A01", "1", "1.00", total="1.001"), "ENV_FORMAT", "input.feedetail[0].det_item_fee_sumamt"),
    ],
)
def test_bad_fee_items(lab, item: Item, code: str, field: str) -> None:
    mdtrt_id = lab.register("P0001")
    with pytest.raises(LabRefused) as e:
        lab.upload(mdtrt_id, [item])
    assert (e.value.code, e.value.field) == (code, field)


def test_duplicate_feedetl_sn_and_settled_batch(lab) -> None:
    mdtrt_id = lab.register("P0001")
    fee = lab.fee(mdtrt_id, "P0001", Item("A01", "1", "10.00"), sn="X1")
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[fee]), psn="P0001")
    with pytest.raises(LabRefused) as e:
        lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[fee]), psn="P0001")
    assert (e.value.code, e.value.field) == ("FEE_DUPLICATE", "input.feedetail[0].feedetl_sn")
    lab.settle(mdtrt_id, "10.00")
    with pytest.raises(LabRefused) as e:
        lab.upload(mdtrt_id, [Item("A01", "1", "5.00")])  # batch B1 is settled
    assert e.value.code == "FEE_BATCH_SETTLED"
    second = lab.upload(mdtrt_id, [Item("A01", "1", "5.00")], batch="B2")
    assert second.output.result[0].inscp_scp_amt == "5.00"


def test_presettlement_changes_nothing(lab, served) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "300.00")])
    for _ in range(2):
        pre = lab.settle(mdtrt_id, "300.00", infno="2206").output.setlinfo
        assert (pre.act_pay_dedc, pre.hifp_pay, pre.balc) == ("200.00", "70.00", "270.00")
    with served.store.read() as tx:
        assert tx.account_balance("P0001") == D("500.00")
        assert tx.conn.scalar(select(schema.accumulator.c.psn_no)) is None


def test_cancel_restores_account_and_accumulators_exactly(lab, served) -> None:
    first = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    assert (first.act_pay_dedc, first.hifp_pay, first.balc) == ("200.00", "70.00", "270.00")
    rev = lab.cancel_settlement(first.setl_id, first.mdtrt_id).output
    r = rev.setlinfo
    assert r.setl_id and r.setl_id != first.setl_id
    assert (r.medfee_sumamt, r.act_pay_dedc, r.hifp_pay, r.fund_pay_sumamt, r.acct_pay, r.psn_cash_pay, r.balc) == (
        "-300.00",
        "-200.00",
        "-70.00",
        "-70.00",
        "-230.00",
        "0.00",
        "500.00",
    )
    assert rev.setldetail[0].fund_payamt == "-70.00"
    with served.store.read() as tx:
        assert tx.account_balance("P0001") == D("500.00")
        acc = tx.accumulators("P0001", 2026, ["310:outpatient:dedc", "310:outpatient:fund"])
        assert acc == {"310:outpatient:dedc": D("0.00"), "310:outpatient:fund": D("0.00")}
    # The fees are free again: settling them once more gives the same figures as the first time.
    again = lab.settle(first.mdtrt_id, "300.00").output.setlinfo
    assert (again.act_pay_dedc, again.hifp_pay, again.balc) == ("200.00", "70.00", "270.00")
    with pytest.raises(LabRefused) as e:
        lab.cancel_settlement(first.setl_id, first.mdtrt_id)
    assert e.value.code == "SETL_ALREADY_CANCELLED" and r.setl_id in e.value.detail.header.err_msg


def test_cancel_order_settlement_fees_registration(lab) -> None:
    ipt = "MZ-ORDER-1"
    mdtrt_id = lab.register("P0001", ipt_otp_no=ipt)
    lab.upload(mdtrt_id, [Item("A01", "1", "20.00")])
    s = lab.settle(mdtrt_id, "20.00").output.setlinfo
    with pytest.raises(LabRefused) as e:
        lab.cancel_registration(mdtrt_id, ipt)
    assert e.value.code == "MDTRT_HAS_SETTLEMENT"
    lab.cancel_settlement(s.setl_id, mdtrt_id)
    with pytest.raises(LabRefused) as e:
        lab.cancel_registration(mdtrt_id, ipt)
    assert e.value.code == "MDTRT_HAS_FEES"
    lab.cancel_fees(mdtrt_id)  # chrg_bchno "0000": all unsettled items
    with pytest.raises(LabRefused) as e:
        lab.cancel_fees(mdtrt_id)
    assert e.value.code == "FEE_NONE_TO_CANCEL"
    lab.cancel_registration(mdtrt_id, ipt)
    with pytest.raises(LabRefused) as e:
        lab.upload(mdtrt_id, [Item("A01", "1", "1.00")])
    assert e.value.code == "MDTRT_CANCELLED"


def test_cancel_one_fee_item_by_feedetl_sn(lab) -> None:
    mdtrt_id = lab.register("P0001")
    rows = lab.upload(mdtrt_id, [Item("A01", "1", "20.00"), Item("A01", "1", "30.00")]).output.result
    lab.cancel_fees(mdtrt_id, batch="", sn=rows[0].feedetl_sn)
    s = lab.settle(mdtrt_id, "30.00").output.setlinfo  # only the 30.00 item is left
    assert s.medfee_sumamt == "30.00"


def test_insured_place_must_match_and_suspended_insurance_is_refused(lab) -> None:
    mdtrt_id = lab.register("P0004")
    with pytest.raises(LabRefused) as e:
        fee = lab.fee(mdtrt_id, "P0004", Item("A01", "1", "1.00"))
        lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[fee]), psn="P0004", insuplc_admdvs="110000")
    assert (e.value.code, e.value.field) == ("ENV_INSUPLC", "header.insuplc_admdvs")
    assert "440300" in e.value.detail.header.err_msg
    with pytest.raises(LabRefused) as e:
        lab.register("P0005")
    assert (e.value.code, e.value.field) == ("PSN_INSU_SUSPENDED", "input.data.insutype")


def test_medical_type_without_policy_is_refused(lab) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "10.00")])
    with pytest.raises(LabRefused) as e:
        lab.settle(mdtrt_id, "10.00", med_type="19")  # 110000 has no rule for 19 意外伤害门诊
    assert (e.value.code, e.value.field) == ("MED_TYPE_UNSUPPORTED", "input.data.med_type")
