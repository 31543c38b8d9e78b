"""Institutions see and change only their own (docs/security.md, "Roles"): another hospital of the same region,
signed in, that knows a settlement's setl_id, mdtrt_id and msgid cannot read it (5203, Y5203), reverse it (2601),
cancel it (2208), refund it (Y2208) or count it in its reconciliation (3201).

Hospital A (H11000000001) settles P0001's visit: A01 300.00, employee, deductible 200.00, fund
(300 − 200) × 0.70 = 70.00, the account pays 230.00 of its 500.00.
"""

from __future__ import annotations

from typing import Any

import pytest
from lab import Item, Lab, LabRefused

OTHER = "H11000000002"  # 甲市第二医院, the same region as A


def refused(call: Any, *args: Any, **kw: Any) -> LabRefused:
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def test_another_institution_can_neither_read_nor_change_a_settlement(lab: Lab, served: Any) -> None:
    reply = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")])
    setl_id, mdtrt_id = reply.output.setlinfo.setl_id, reply.output.setlinfo.mdtrt_id
    assert reply.output.setlinfo.fund_pay_sumamt == "70.00"
    with served.store.read() as tx:
        msgid = tx.settlement(setl_id).msgid
    lab.sign_in(OTHER)

    r = refused(lab.query_setl, setl_id, mdtrt_id, "P0001", inst=OTHER)
    assert (r.code, r.field) == ("SETL_NOT_FOUND", "input.data.setl_id")  # its existence is not disclosed
    r = refused(lab.query_msg, msgid, "P0001", "2207", inst=OTHER)
    assert (r.code, r.field) == ("REVERSAL_NOT_YOURS", "input.data.omsgid")
    r = refused(lab.reverse, msgid, "2207", inst=OTHER)
    assert (r.code, r.field) == ("REVERSAL_NOT_YOURS", "input.data.omsgid")
    r = refused(lab.cancel_settlement, setl_id, mdtrt_id, inst=OTHER)
    assert (r.code, r.field) == ("SETL_NOT_YOURS", "input.data.setl_id")
    r = refused(lab.refund_items, setl_id, mdtrt_id, ["F1"], inst=OTHER)
    assert (r.code, r.field) == ("SETL_NOT_YOURS", "input.data.setl_id")
    # A's settlement is not in B's statement: B's zero totals agree, A's figures do not
    assert lab.check_totals(OTHER, medfee_sumamt="0.00", fund_pay_sumamt="0.00", acct_pay="0.00",
                            fixmedins_setl_cnt="0").stmt_rslt == "0"  # fmt: skip
    assert lab.check_totals(OTHER, medfee_sumamt="300.00", fund_pay_sumamt="70.00", acct_pay="230.00",
                            fixmedins_setl_cnt="1").stmt_rslt == "1"  # fmt: skip
    # and A's own still reads it, untouched
    assert lab.query_setl(setl_id, mdtrt_id, "P0001").output.setlinfo.fund_pay_sumamt == "70.00"
    assert lab.query_msg(msgid, "P0001", "2207").msginfo.msg_stas == "1"
