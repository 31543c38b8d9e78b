"""The journal's searchable keys (psn_no, mdtrt_id, setl_id), filled by the gateway from request
and reply, over gRPC (HTTP shares the path: tests/integration/test_http_golden.py)."""

from __future__ import annotations

import pytest
from conftest import Served
from lab import Item, Lab, LabRefused
from sqlalchemy import select

from yibao.gateway.idempotency import journal_keys
from yibao.storage import schema
from yibao.v1 import outpatient_pb2, person_pb2, settlement_pb2


def rows(served: Served) -> list:  # type: ignore[type-arg]
    j = schema.journal
    with served.store.read() as tx:
        return list(
            tx.conn.execute(select(j.c.infno, j.c.outcome, j.c.psn_no, j.c.mdtrt_id, j.c.setl_id).order_by(j.c.id))
        )


def test_keys_of_a_visit(lab: Lab, served: Served) -> None:
    lab.call(
        "1101",
        person_pb2.QueryPsnInfoInput(
            data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="EC0001", psn_cert_type="01")
        ),
    )
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "50.00")])
    setl_id = lab.settle(mdtrt_id, "50.00").output.setlinfo.setl_id
    lab.cancel_settlement(setl_id, mdtrt_id)
    with pytest.raises(LabRefused):
        lab.cancel_settlement("NO-SUCH-SETTLEMENT", mdtrt_id)
    keys = [(r.infno, r.outcome, r.psn_no, r.mdtrt_id, r.setl_id) for r in rows(served)]
    assert keys == [
        ("9001", "ok", None, None, None),
        ("1101", "ok", "P0001", None, None),  # psn_no from the reply's baseinfo
        ("2201", "ok", "P0001", mdtrt_id, None),  # mdtrt_id from the reply
        ("2204", "ok", "P0001", mdtrt_id, None),  # from feedetail[0]
        ("2207", "ok", "P0001", mdtrt_id, setl_id),  # setl_id from the reply
        ("2208", "ok", "P0001", mdtrt_id, setl_id),  # the settlement it cancels, not the reversal's id
        ("2208", "refused", "P0001", mdtrt_id, "NO-SUCH-SETTLEMENT"),  # a refusal: from the request
    ]


def test_keys_are_cut_to_the_column_width() -> None:
    request = outpatient_pb2.CancelSettlementRequest(
        input=outpatient_pb2.CancelSettlementInput(
            data=outpatient_pb2.CancelSettlementData(setl_id="S" * 500, mdtrt_id="", psn_no="P1")
        )
    )
    reply = settlement_pb2.SettleReply(
        output=settlement_pb2.SettleOutput(setlinfo=settlement_pb2.SetlInfo(setl_id="R1", mdtrt_id="M1"))
    )
    assert journal_keys(request, reply) == {"psn_no": "P1", "mdtrt_id": "M1", "setl_id": "S" * 30}
    assert journal_keys(request, None) == {"psn_no": "P1", "mdtrt_id": None, "setl_id": "S" * 30}
