"""A full outpatient visit over gRPC, with every figure computed by hand from tests/test_world.json.

P0001: employee (310, psn_type 1101) insured in 110000: deductible 200.00/year, ratio 0.70,
annual cap 1000.00; personal account 500.00. Hospital H11000000001 is in 110000 (catalogue alpha).
"""

from __future__ import annotations

from lab import D, Item

from yibao.v1 import person_pb2

# The five item classes of one visit, and their split (catalogue alpha):
ITEMS = [
    Item("A01", "2", "50.00"),  # 甲: 100.00 all in scope
    Item("B02", "1", "80.00"),  # 乙 10%: preselfpay 80.00×0.10 = 8.00, inscp 72.00
    Item("C03", "1", "30.00"),  # 丙: fulamt 30.00
    Item("S01", "1", "15.00"),  # 甲, cap 10.00: overlmt (15−10)×1 = 5.00, inscp 10.00
    Item("CT1", "1", "200.00"),  # 乙 8%, cap 180: overlmt 20.00; preselfpay 180×0.08 = 14.40; inscp 165.60
]


def test_person_info_by_each_certificate(lab) -> None:
    for cert_type, number, card_sn in (
        ("01", "EC0001", ""),
        ("02", "110101198006150011", ""),
        ("03", "K0001", "SN0001"),
    ):
        q = person_pb2.PsnInfoQuery(
            mdtrt_cert_type=cert_type, mdtrt_cert_no=number, card_sn=card_sn, psn_cert_type="01"
        )
        out = lab.call("1101", person_pb2.QueryPsnInfoInput(data=q)).output
        assert out.baseinfo.psn_no == "P0001"
        assert out.baseinfo.age == "45.7"  # born 1980-06-15, on 2026-03-15: 45 years and 273 days
        (insu,) = out.insuinfo
        assert (insu.insutype, insu.insuplc_admdvs, insu.balc) == ("310", "110000", "500.00")


def test_item_split_and_settlement(lab) -> None:
    mdtrt_id = lab.register("P0001")
    split = {r.feedetl_sn: r for r in lab.upload(mdtrt_id, ITEMS).output.result}
    rows = list(split.values())
    assert [(r.fulamt_ownpay_amt, r.overlmt_amt, r.preselfpay_amt, r.inscp_scp_amt) for r in rows] == [
        ("0.00", "0.00", "0.00", "100.00"),
        ("0.00", "0.00", "8.00", "72.00"),
        ("30.00", "0.00", "0.00", "0.00"),
        ("0.00", "5.00", "0.00", "10.00"),
        ("0.00", "20.00", "14.40", "165.60"),
    ]
    assert [r.chrgitm_lv for r in rows] == ["01", "02", "03", "01", "02"]
    assert rows[4].pric_uplmt_amt == "180.00" and rows[4].selfpay_prop == "0.0800"

    # medfee 100+80+30+15+200 = 425.00; inscp 100+72+10+165.60 = 347.60
    # deductible 200.00 (nothing paid yet this year); fund (347.60−200)×0.70 = 103.32
    # person 425.00−103.32 = 321.68, all from the account (500.00) → balance 178.32
    pre = lab.settle(mdtrt_id, "425.00", infno="2206").output
    assert pre.setlinfo.setl_id == ""
    done = lab.settle(mdtrt_id, "425.00").output
    s = done.setlinfo
    assert s.setl_id
    for info in (pre.setlinfo, s):
        assert (
            info.medfee_sumamt,
            info.fulamt_ownpay_amt,
            info.overlmt_selfpay,
            info.preselfpay_amt,
            info.inscp_scp_amt,
        ) == ("425.00", "30.00", "25.00", "22.40", "347.60")
        assert (info.act_pay_dedc, info.hifp_pay, info.pool_prop_selfpay) == ("200.00", "103.32", "0.7000")
        assert (info.fund_pay_sumamt, info.psn_part_amt, info.acct_pay, info.psn_cash_pay, info.balc) == (
            "103.32",
            "321.68",
            "321.68",
            "0.00",
            "178.32",
        )
    assert D(s.medfee_sumamt) == D(s.fund_pay_sumamt) + D(s.psn_part_amt)
    assert D(s.psn_part_amt) == D(s.acct_pay) + D(s.psn_cash_pay)
    (fund,) = done.setldetail
    assert (fund.fund_pay_type, fund.fund_payamt, fund.crt_payb_lmt_amt) == ("310100", "103.32", "1000.00")

    # A second visit the same year: the deductible is used up, the account has 178.32.
    # A01 300.00 in scope → fund 300×0.70 = 210.00 (cap left 1000−103.32 = 896.68); person 90.00 from account.
    second = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    assert (second.act_pay_dedc, second.hifp_pay, second.acct_pay, second.psn_cash_pay, second.balc) == (
        "0.00",
        "210.00",
        "90.00",
        "0.00",
        "88.32",
    )
