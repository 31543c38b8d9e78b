"""What the core stores of its values (simulators/yibao/simulators/core/stored_values.py): JSON objects of the national
field names, empty fields and nodes left out, read back to the same value."""

from __future__ import annotations

import json

from yibao.simulators.core import stored_values
from yibao.simulators.core.values import outpatient as ov
from yibao.simulators.core.values import settlement as sv


def test_a_settlement_output_is_stored_as_json_without_its_empty_fields() -> None:
    out = sv.SettleOutput(
        setlinfo=sv.SetlInfo(setl_id="S1", psn_name="张三", medfee_sumamt="12.30"),
        setldetail=(sv.SetlDetail(fund_pay_type="310100", fund_payamt="8.61"),),
    )
    blob = stored_values.dumps(out)
    assert json.loads(blob) == {
        "setlinfo": {"setl_id": "S1", "psn_name": "张三", "medfee_sumamt": "12.30"},
        "setldetail": [{"fund_pay_type": "310100", "fund_payamt": "8.61"}],
    }  # no "setltrace": the trace is empty
    assert "张三".encode() in blob  # UTF-8, not \\u escapes
    assert stored_values.loads(sv.SettleOutput, blob) == out


def test_an_input_with_a_list_of_nodes_comes_back_the_same() -> None:
    info = ov.UploadVisitInfoInput(
        mdtrtinfo=ov.MdtrtInfo(mdtrt_id="M1", med_type="11"),
        diseinfo=(ov.DiseInfo(diag_code="A01", diag_srt_no="1"), ov.DiseInfo(diag_code="B02", diag_srt_no="2")),
    )
    assert stored_values.loads(ov.UploadVisitInfoInput, stored_values.dumps(info)) == info
    assert stored_values.loads(ov.EmptyOutput, stored_values.dumps(ov.EmptyOutput())) == ov.EmptyOutput()
