"""The inpatient life cycle around settlement: 2403 change, 2302 cancel items, 2405 cancel discharge,
2404 cancel admission, and the refusals that keep the undo order."""

from __future__ import annotations

import pytest
from lab import Item, LabRefused

from yibao.v1 import inpatient_pb2


def test_change_cancel_items_cancel_discharge_cancel_admission(lab) -> None:
    mdtrt_id = lab.admit("P0001")
    info = inpatient_pb2.AdmissionInfo(mdtrt_id=mdtrt_id, psn_no="P0001", med_type="23")
    lab.call("2403", inpatient_pb2.ChangeAdmissionInput(adminfo=info), psn="P0001")
    rows = lab.upload_stay(mdtrt_id, "P0001", [Item("A01", "1", "100.00"), Item("A01", "1", "50.00")]).output.result
    one = inpatient_pb2.InpatientFeeCancel(feedetl_sn=rows[0].feedetl_sn, mdtrt_id=mdtrt_id, psn_no="P0001")
    lab.call("2302", inpatient_pb2.InpatientFeeCancelInput(data=[one]), psn="P0001")
    lab.discharge(mdtrt_id, "P0001")
    pre = lab.settle_stay(mdtrt_id, "P0001", "50.00", infno="2303").output.setlinfo
    assert (pre.medfee_sumamt, pre.med_type) == ("50.00", "23")  # only the 50.00 item is left; med_type changed
    stay = inpatient_pb2.StayData(mdtrt_id=mdtrt_id, psn_no="P0001")
    with pytest.raises(LabRefused) as e:  # discharged: admission cannot be cancelled
        lab.call("2404", inpatient_pb2.StayInput(data=stay), psn="P0001")
    assert e.value.code == "STAY_STATUS"
    lab.call("2405", inpatient_pb2.StayInput(data=stay), psn="P0001")
    with pytest.raises(LabRefused) as e:  # items left: cancel them first
        lab.call("2404", inpatient_pb2.StayInput(data=stay), psn="P0001")
    assert e.value.code == "MDTRT_HAS_FEES"
    every = inpatient_pb2.InpatientFeeCancel(feedetl_sn="0000", mdtrt_id=mdtrt_id, psn_no="P0001")
    lab.call("2302", inpatient_pb2.InpatientFeeCancelInput(data=[every]), psn="P0001")
    lab.call("2404", inpatient_pb2.StayInput(data=stay), psn="P0001")
    with pytest.raises(LabRefused) as e:
        lab.upload_stay(mdtrt_id, "P0001", [Item("A01", "1", "1.00")])
    assert e.value.code == "STAY_STATUS" and "已撤销" in e.value.detail.header.err_msg


def test_settled_stay_cannot_reopen_and_discharge_before_admission_is_refused(lab, clock) -> None:
    reply = lab.stay("P0001", [Item("A01", "1", "100.00")]).output.setlinfo
    stay = inpatient_pb2.StayData(mdtrt_id=reply.mdtrt_id, psn_no="P0001")
    with pytest.raises(LabRefused) as e:
        lab.call("2405", inpatient_pb2.StayInput(data=stay), psn="P0001")
    assert e.value.code == "MDTRT_HAS_SETTLEMENT"
    mdtrt_id = lab.admit("P0001")
    clock.advance(days=-1)
    with pytest.raises(LabRefused) as e:
        lab.discharge(mdtrt_id, "P0001")
    assert e.value.code == "STAY_DATES"


def test_outpatient_transactions_do_not_reach_an_inpatient_stay(lab) -> None:
    mdtrt_id = lab.admit("P0001")
    with pytest.raises(LabRefused) as e:
        lab.upload(mdtrt_id, [Item("A01", "1", "10.00")])
    assert (e.value.code, e.value.field) == ("MDTRT_NOT_FOUND", "input.feedetail[0].mdtrt_id")
