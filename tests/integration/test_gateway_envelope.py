"""Envelope checks, sign-in, and how refusals look on the wire: every bad envelope field gives
infcode -1, an err_msg naming the field, and a gRPC status with the catalogued details."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from lab import LabRefused

from yibao.v1 import person_pb2, signin_pb2

QUERY = person_pb2.QueryPsnInfoInput(
    data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="EC0001", psn_cert_type="01")
)


def refused(lab, rpc: str = "1101", inp=QUERY, **over: str) -> LabRefused:
    with pytest.raises(LabRefused) as e:
        lab.call(rpc, inp, **over)
    assert e.value.detail.header.infcode == -1
    assert e.value.detail.header.err_msg.startswith(f"[{e.value.code}]")
    return e.value


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"msgid": ""}, "ENV_REQUIRED", "header.msgid"),
        ({"opter_name": ""}, "ENV_REQUIRED", "header.opter_name"),
        ({"infno": "2207"}, "ENV_INFNO_MISMATCH", "header.infno"),
        ({"msgid": "H1100000000120260315100000"}, "ENV_MSGID_FORMAT", "header.msgid"),  # sequence missing
        ({"msgid": "H110000000012026131510000012"}, "ENV_MSGID_FORMAT", "header.msgid"),  # month 13, 28 chars
        ({"msgid": "H11000000002202603151000000001"}, "ENV_MSGID_INSTITUTION", "header.msgid"),
        ({"recer_sys_code": "PQ"}, "ENV_CODE", "header.recer_sys_code"),
        ({"opter_type": "9"}, "ENV_CODE", "header.opter_type"),
        ({"inf_time": "2026/03/15 10:00"}, "ENV_FORMAT", "header.inf_time"),
        ({"inf_time": "2026-03-15 08:00:00"}, "ENV_INF_TIME", "header.inf_time"),  # two hours stale
        ({"mdtrtarea_admvs": "440300"}, "ENV_MDTRTAREA", "header.mdtrtarea_admvs"),
        ({"insuplc_admdvs": "11000"}, "ENV_FORMAT", "header.insuplc_admdvs"),
        ({"opter": "X" * 31}, "ENV_TOO_LONG", "header.opter"),
        ({"sign_no": ""}, "ENV_REQUIRED", "header.sign_no"),
        ({"sign_no": "110000202603151000000000000001"}, "AUTH_SIGN_NO_UNKNOWN", "header.sign_no"),
    ],
)
def test_bad_envelope_field_is_named(lab, over: dict[str, str], code: str, field: str) -> None:
    lab.sign_in()
    r = refused(lab, **over)
    assert (r.code, r.field) == (code, field)
    assert field in r.detail.header.err_msg


def test_unknown_and_disabled_institutions(lab) -> None:
    h = lab.header("1101", "H11000000001", fixmedins_code="H99999999999", msgid="H99999999999202603151000000001")
    with pytest.raises(LabRefused) as e:
        lab.send(person_pb2.QueryPsnInfoRequest(header=h, input=QUERY), "1101")
    assert (e.value.code, e.value.status) == ("AUTH_INSTITUTION_UNKNOWN", grpc.StatusCode.PERMISSION_DENIED)
    with pytest.raises(LabRefused) as e:
        lab.call("9001", signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="1", ip="1")), "H11000000009")
    assert e.value.code == "AUTH_INSTITUTION_DISABLED"


def test_pharmacy_cannot_register_outpatient_visits(lab) -> None:
    with pytest.raises(LabRefused) as e:
        lab.register("P0001", inst="P11000000001")
    assert e.value.code == "AUTH_INSTITUTION_TYPE" and "2201" in e.value.detail.message_en


def test_sign_no_of_another_institution_and_sign_out(lab) -> None:
    other = lab.sign_in("H11000000002")
    r = refused(lab, sign_no=other)  # H11000000001 presenting H11000000002's sign_no
    assert r.code == "AUTH_SIGN_NO_UNKNOWN"
    mine = lab.sign_in()
    lab.call("9002", signin_pb2.SignOutInput(signOut=signin_pb2.SignOutData(sign_no=mine, opter_no="OP01")))
    r = refused(lab)
    assert r.code == "AUTH_SIGNED_OUT" and r.status == grpc.StatusCode.UNAUTHENTICATED


def test_refusal_carries_rich_grpc_status(lab) -> None:
    lab.sign_in()
    call = lab.channel.unary_unary(
        "/yibao.v1.PersonInfoService/QueryPsnInfo",
        request_serializer=person_pb2.QueryPsnInfoRequest.SerializeToString,
        response_deserializer=person_pb2.QueryPsnInfoReply.FromString,
    )
    bad = person_pb2.QueryPsnInfoInput(data=person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no="NOPE"))
    with pytest.raises(grpc.RpcError) as e:
        call(person_pb2.QueryPsnInfoRequest(header=lab.header("1101"), input=bad))
    status = rpc_status.from_call(e.value)
    assert status.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    assert (info.reason, info.metadata["field"], info.metadata["infcode"]) == (
        "PSN_CERT_UNKNOWN",
        "input.data.mdtrt_cert_no",
        "-1",
    )
    violation = error_details_pb2.BadRequest()
    assert status.details[1].Unpack(violation)
    assert violation.field_violations[0].field == "input.data.mdtrt_cert_no"


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ({"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC9999"}, "PSN_CERT_UNKNOWN", "input.data.mdtrt_cert_no"),
        ({"mdtrt_cert_type": "03", "mdtrt_cert_no": "K0001"}, "ENV_REQUIRED", "input.data.card_sn"),
        (
            {"mdtrt_cert_type": "03", "mdtrt_cert_no": "K0001", "card_sn": "SN9"},
            "PSN_CERT_MISMATCH",
            "input.data.card_sn",
        ),
        (
            {"mdtrt_cert_type": "02", "mdtrt_cert_no": "110101198006150011", "psn_name": "别人"},
            "PSN_CERT_MISMATCH",
            "input.data.psn_name",
        ),
        (
            {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0001", "certno": "110101199001010022"},
            "PSN_CERT_MISMATCH",
            "input.data.certno",
        ),
        ({"mdtrt_cert_type": "07", "mdtrt_cert_no": "EC0001"}, "ENV_CODE", "input.data.mdtrt_cert_type"),
    ],
)
def test_unknown_or_mismatched_certificate(lab, query: dict[str, str], code: str, field: str) -> None:
    r = refused(lab, inp=person_pb2.QueryPsnInfoInput(data=person_pb2.PsnInfoQuery(**query)))
    assert (r.code, r.field) == (code, field)


def test_journal_records_requests_replies_and_refusals(lab, served) -> None:
    from sqlalchemy import select

    from yibao.storage.schema import journal

    lab.call("1101", QUERY)
    refused(lab, opter_type="7")
    with served.store.read() as tx:
        rows = list(
            tx.conn.execute(select(journal.c.infno, journal.c.outcome, journal.c.err_code).order_by(journal.c.id))
        )
    assert [tuple(r) for r in rows] == [("9001", "ok", ""), ("1101", "ok", ""), ("1101", "refused", "ENV_CODE")]
