"""The lab judges an outpatient A variant (2203A, 2206A, 2207A) by the rules of its plain sibling, and its transcript
shows the infno the HIS sent."""

from __future__ import annotations

from yibao.adapters.lab.verdicts import JournalEntry, _Row
from yibao.v1 import outpatient_pb2, settlement_pb2
from yibao.v1.envelope_pb2 import RequestHeader


def entry(infno: str) -> JournalEntry:
    header = RequestHeader(infno=infno, msgid="H11000000001202603151000000001")
    data = outpatient_pb2.SettleData(psn_no="P0001", mdtrt_id="M1", chrg_bchno="B1", medfee_sumamt="425.00")
    request = outpatient_pb2.SettleRequest(header=header, input=outpatient_pb2.SettleInput(data=data))
    reply = settlement_pb2.SettleReply(output=settlement_pb2.SettleOutput(setlinfo=settlement_pb2.SetlInfo(
        setl_id="S1", mdtrt_id="M1", medfee_sumamt="425.00")))  # fmt: skip
    return JournalEntry(1, "2026-03-15 10:00:00", infno, header.msgid, "ok", "", "", request.SerializeToString(),
                        reply.SerializeToString(), "P0001", "M1", "S1")  # fmt: skip


def test_a_2207A_is_judged_as_a_2207_and_shown_as_sent() -> None:
    row = _Row(1, entry("2207A"))
    assert (row.infno, row.accepted, row.value("chrg_bchno")) == ("2207", True, "B1")
    assert row.line()["infno"] == "2207A"
    assert row.body[0] == "2207A"  # a resend is the same body only under the same infno
    assert _Row(1, entry("2207")).infno == "2207"
