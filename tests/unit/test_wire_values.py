"""The wire and the core (adapters/yibao/adapters/wire_values.py): protobuf messages mapped to the core's typed values
by field name and back, and the values generated from the protos kept current (scripts/gen_core_values.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from yibao.adapters.journal_wire import ProtobufJournal
from yibao.adapters.wire_values import check_fields, input_type, to_message, to_value, wire_handler
from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.simulators.core import journal_wire, person_info
from yibao.simulators.core.values import outpatient as ov
from yibao.simulators.core.values import person as pv
from yibao.simulators.core.values import settlement as sv
from yibao.v1 import envelope_pb2, outpatient_pb2, person_pb2, settlement_pb2
from yibao.world.loader import load_world

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def world() -> World:
    return load_world(ROOT / "tests" / "test_world.json")


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
        check_fields(Stray, settlement_pb2.SetlDetail)  # as wire_handlers checks every use case at start-up


def test_use_cases_declare_the_value_they_take_and_are_served_on_the_wire() -> None:
    assert input_type(person_info.query_psn_info) is pv.QueryPsnInfoInput
    served = wire_handler(person_info.query_psn_info, person_pb2.QueryPsnInfoRequest, person_pb2.QueryPsnInfoReply)
    assert served is not person_info.query_psn_info


def test_the_journal_port_reads_a_settlement_reply_as_values_and_national_json() -> None:
    reply = settlement_pb2.SettleReply(
        output=settlement_pb2.SettleOutput(setlinfo=settlement_pb2.SetlInfo(setl_id="S1", medfee_sumamt="9.00"))
    ).SerializeToString()
    wire = ProtobufJournal()
    assert wire.replied_settlement(reply).setlinfo == sv.SetlInfo(setl_id="S1", medfee_sumamt="9.00")
    text, omitted, nodes = wire.replied_output("2207", reply) or ("", "", None)
    assert json.loads(text) == {"setlinfo": {"setl_id": "S1", "medfee_sumamt": "9.00"}} and omitted == ""
    assert nodes is not None and nodes.setlinfo.setl_id == "S1"
    assert wire.replied_output("no-such-infno", reply) is None


def test_the_journal_port_reads_the_envelope_of_a_request_and_a_remembered_refusal(world: World) -> None:
    header = envelope_pb2.RequestHeader(insuplc_admdvs="110000")
    request = outpatient_pb2.SettleRequest(header=header).SerializeToString()
    wire = ProtobufJournal()
    assert wire.insured_place("2207", request) == "110000"
    ctx = CallContext("2601", "H1", world.institutions["H11000000001"], "", datetime(2026, 3, 15, 10, 0, 0))
    refusal = Refusal("MDTRT_NOT_FOUND", "input.data.mdtrt_id", mdtrt_id="M404")
    assert wire.refusal_text(wire.refusal(ctx, refusal)) == refusal.err_msg


def test_the_core_refuses_to_run_2601_before_a_journal_reader_is_plugged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_wire, "_plugged", [])
    with pytest.raises(RuntimeError, match="no journal reader"):
        journal_wire.journal_wire()
