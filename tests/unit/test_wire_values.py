"""The wire and the core (adapters/yibao/adapters/wire_values.py): protobuf messages mapped to the core's typed values
by field name and back, and the values generated from the protos kept current (scripts/gen_core_values.py)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from yibao.adapters.wire_values import input_type, to_message, to_value, wire_handler
from yibao.simulators.core import person_info
from yibao.simulators.core.values import outpatient as ov
from yibao.simulators.core.values import person as pv
from yibao.simulators.core.values import settlement as sv
from yibao.v1 import outpatient_pb2, person_pb2, settlement_pb2

ROOT = Path(__file__).parents[2]


def test_values_are_generated_from_the_current_protos() -> None:
    done = subprocess.run([sys.executable, "scripts/gen_core_values.py", "--check"], cwd=ROOT, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_message_becomes_its_value_with_nested_nodes_and_lists() -> None:
    msg = outpatient_pb2.UploadFeeDetailsInput(
        feedetail=[outpatient_pb2.FeeDetail(feedetl_sn="F1", cnt="2"), outpatient_pb2.FeeDetail(feedetl_sn="F2")]
    )
    value = to_value(msg, ov.UploadFeeDetailsInput)
    assert [(f.feedetl_sn, f.cnt) for f in value.feedetail] == [("F1", "2"), ("F2", "")]
    assert isinstance(value.feedetail, tuple)


def test_a_value_becomes_its_message_and_empty_nodes_stay_absent() -> None:
    value = sv.SettleOutput(
        setlinfo=sv.SetlInfo(setl_id="S1", medfee_sumamt="12.30"),
        setldetail=(sv.SetlDetail(fund_pay_type="310100", fund_payamt="8.61"),),
    )
    msg = to_message(value, settlement_pb2.SettleOutput)
    assert (msg.setlinfo.setl_id, msg.setlinfo.medfee_sumamt) == ("S1", "12.30")
    assert [(d.fund_pay_type, d.fund_payamt) for d in msg.setldetail] == [("310100", "8.61")]
    assert not msg.HasField("setltrace")  # the value's empty trace is not sent as an empty node
    assert to_value(msg, sv.SettleOutput) == value


def test_a_value_with_a_field_the_message_lacks_is_a_programming_error() -> None:
    @dataclass(frozen=True)
    class Stray:
        no_such_field: str = ""

    with pytest.raises(TypeError, match="no_such_field"):
        to_message(Stray("x"), settlement_pb2.SetlDetail)


def test_use_cases_declare_the_value_they_take_and_are_served_on_the_wire() -> None:
    assert input_type(person_info.query_psn_info) is pv.QueryPsnInfoInput
    served = wire_handler(person_info.query_psn_info, person_pb2.QueryPsnInfoReply)
    assert served is not person_info.query_psn_info
