"""4101 / 4101A settlement lists over gRPC, checked against their settlement to the fen, and 4103 reading one back.

tests/test_world.json: P0001 is an employee insured at 110000 (account 500.00; outpatient deductible 200.00 a year,
ratio 0.70). A01 is 甲类: A01 6 × 50.00 = 300.00 all in scope; the first 200.00 is the deductible, the pooled fund
(310100) pays (300.00 − 200.00) × 0.70 = 70.00 and the account the person's 230.00; no cash.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format
from lab import Item, Lab, LabRefused

from yibao.v1 import settlement_list_pb2 as sl

OTHER = "H11000000002"


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def settled(lab: Lab) -> Any:
    s = lab.visit_and_settle("P0001", [Item("A01", "6", "50.00")]).output.setlinfo
    assert (s.medfee_sumamt, s.hifp_pay, s.acct_pay, s.psn_cash_pay) == ("300.00", "70.00", "230.00", "0.00")
    return s


def the_list(s: Any, **change: Any) -> sl.SettlementListInput:
    body = {
        "setlinfo": {"mdtrt_id": s.mdtrt_id, "setl_id": s.setl_id, "psn_no": "P0001", "psn_name": "甲职工",
                     "certno": "110101198006150011", "hi_type": "310", "medcasno": "BA001", "acct_pay": "230.00",
                     "psn_cashpay": "0.00"},
        "payinfo": [{"fund_pay_type": "310100", "fund_payamt": "70.00"}],
        "diseinfo": [{"diag_type": "1", "diag_code": "J06.900", "diag_name": "急性上呼吸道感染", "maindiag_flag": "1"}],
        "iteminfo": [{"med_chrgitm": "01", "amt": "300.00", "claa_sumfee": "300.00"}],
    }  # fmt: skip
    for key, value in change.items():
        node, _, name = key.partition("__")
        if name:
            target = body[node] if node == "setlinfo" else body[node][0]
            target[name] = value  # type: ignore[index]
        else:
            body[node] = value
    return json_format.ParseDict(body, sl.SettlementListInput())


def upload(lab: Lab, s: Any, infno: str = "4101", inst: str = "H11000000001", **change: Any) -> str:
    return str(lab.call(infno, the_list(s, **change), inst, "P0001").output.setl_list_id)


def test_a_list_that_is_its_settlement_is_kept_and_read_back(lab: Lab) -> None:
    s = settled(lab)
    setl_list_id = upload(lab, s)
    assert setl_list_id.startswith("110000")
    again = refused(upload, lab, s, "4101A")
    assert (again.code, again.field, setl_list_id in str(again)) == ("SETL_LIST_EXISTS", "input.setlinfo.setl_id", True)
    q = sl.SettlementListQueryInput(data=sl.SettlementListQueryData(psn_no="P0001", setl_id=s.setl_id))
    got = lab.call("4103", q, psn="P0001").output
    assert (got.setl_list_id, got.infno, got.setlinfo.medcasno, got.payinfo[0].fund_payamt) == (
        setl_list_id, "4101", "BA001", "70.00")  # fmt: skip
    assert [(i.med_chrgitm, i.amt) for i in got.iteminfo] == [("01", "300.00")]
    assert refused(lab.call, "4103", q, OTHER, "P0001").code == "SETL_LIST_NOT_FOUND"


def test_4101A_takes_the_same_list(lab: Lab) -> None:
    assert upload(lab, settled(lab), "4101A")


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"setlinfo__psn_cashpay": "0.01"}, "SETL_LIST_MISMATCH", "input.setlinfo.psn_cashpay"),
        ({"setlinfo__acct_pay": "229.99"}, "SETL_LIST_MISMATCH", "input.setlinfo.acct_pay"),
        ({"payinfo__fund_payamt": "69.99"}, "SETL_LIST_FUND", "input.payinfo[0].fund_payamt"),
        ({"payinfo": []}, "SETL_LIST_FUND", "input.payinfo"),
        ({"payinfo__fund_pay_type": "390100"}, "SETL_LIST_FUND", "input.payinfo[0].fund_payamt"),
        ({"iteminfo__amt": "299.00"}, "SETL_LIST_MISMATCH", "input.iteminfo"),
        ({"iteminfo__amt": "300"}, "SETL_LIST_MISMATCH", "OK"),  # 300 is 300.00: accepted (below)
        ({"setlinfo__certno": "110101198006150012"}, "SETL_LIST_PERSON", "input.setlinfo.certno"),
        ({"setlinfo__psn_name": "乙"}, "SETL_LIST_PERSON", "input.setlinfo.psn_name"),
        ({"setlinfo__mdtrt_id": "M-OTHER"}, "SETL_LIST_MISMATCH", "input.setlinfo.mdtrt_id"),
        ({"setlinfo__setl_id": "S-NONE"}, "SETL_LIST_SETTLEMENT", "input.setlinfo.setl_id"),
        ({"diseinfo": []}, "ENV_REQUIRED", "input.diseinfo"),
        ({"setlinfo__acct_pay": "2.3e2"}, "ENV_FORMAT", "input.setlinfo.acct_pay"),
    ],
)
def test_each_difference_from_the_settlement_is_named(lab: Lab, change: dict[str, Any], code: str,
                                                      field: str) -> None:  # fmt: skip
    s = settled(lab)
    if field == "OK":
        assert upload(lab, s, **change)
        return
    r = refused(upload, lab, s, **change)
    assert (r.code, r.field) == (code, field)
    if code == "SETL_LIST_PERSON":
        assert "110101" not in str(r) and "甲职工" not in str(r)  # personal data is not echoed


def test_only_a_standing_settlement_of_ones_own(lab: Lab) -> None:
    s = settled(lab)
    assert refused(upload, lab, s, inst=OTHER).code == "SETL_LIST_SETTLEMENT"
    lab.cancel_settlement(s.setl_id, s.mdtrt_id)
    cancelled = refused(upload, lab, s)
    assert (cancelled.code, cancelled.field) == ("SETL_LIST_NOT_SETTLED", "input.setlinfo.setl_id")


def test_2601_takes_a_list_back(lab: Lab) -> None:
    s = settled(lab)
    msgid = lab.msgid()
    first = lab.call("4101A", the_list(s), psn="P0001", msgid=msgid).output.setl_list_id
    result = lab.reverse(msgid, "4101A").output.result
    assert (result.rev_rslt, result.rev_dscr) == ("1", f"删除结算清单 {first}")
    q = sl.SettlementListQueryInput(data=sl.SettlementListQueryData(psn_no="P0001", setl_id=s.setl_id))
    assert refused(lab.call, "4103", q, psn="P0001").code == "SETL_LIST_NOT_FOUND"
    assert upload(lab, s) != first  # the settlement may have its list again
