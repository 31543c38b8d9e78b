"""Test support: a scripted HIS that lets a test set every envelope field, over a real gRPC channel."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import grpc
from grpc_status import rpc_status

from yibao.v1 import envelope_pb2, outpatient_pb2, person_pb2, signin_pb2
from yibao.v1.envelope_pb2 import ErrorDetail
from yibao.v1.outpatient_pb2 import (
    CancelFeeDetailsData,
    CancelRegistrationData,
    CancelSettlementData,
    FeeDetail,
    RegisterData,
    SettleData,
)

HOSPITAL = "H11000000001"
NAMES = {
    "H11000000001": ("甲市第一医院", "110000"),
    "H11000000002": ("甲市第二医院", "110000"),
    "H11000000009": ("甲市停业医院", "110000"),
    "P11000000001": ("甲市药房", "110000"),
    "H44030000001": ("乙市医院", "440300"),
}
INSURED_PLACE = {"P0001": "110000", "P0002": "110000", "P0003": "110000", "P0004": "440300", "P0005": "110000"}
INSUTYPE = {"P0001": "310", "P0002": "390", "P0003": "310", "P0004": "310", "P0005": "310"}
CERT = {"P0001": "EC0001", "P0002": "EC0002", "P0003": "EC0003", "P0004": "EC0004", "P0005": "EC0005"}

# infno -> (request class, service, method)
RPCS: dict[str, tuple[Any, str, Any, Any]] = {
    "9001": (signin_pb2.SignInRequest, "SignInService", "SignIn"),
    "9002": (signin_pb2.SignOutRequest, "SignInService", "SignOut"),
    "1101": (person_pb2.QueryPsnInfoRequest, "PersonInfoService", "QueryPsnInfo"),
    "2201": (outpatient_pb2.RegisterRequest, "OutpatientService", "Register"),
    "2202": (outpatient_pb2.CancelRegistrationRequest, "OutpatientService", "CancelRegistration"),
    "2203": (outpatient_pb2.UploadVisitInfoRequest, "OutpatientService", "UploadVisitInfo"),
    "2204": (outpatient_pb2.UploadFeeDetailsRequest, "OutpatientService", "UploadFeeDetails"),
    "2205": (outpatient_pb2.CancelFeeDetailsRequest, "OutpatientService", "CancelFeeDetails"),
    "2206": (outpatient_pb2.SettleRequest, "OutpatientService", "PreSettle"),
    "2207": (outpatient_pb2.SettleRequest, "OutpatientService", "Settle"),
    "2208": (outpatient_pb2.CancelSettlementRequest, "OutpatientService", "CancelSettlement"),
}
REPLIES = {
    "9001": signin_pb2.SignInReply,
    "9002": signin_pb2.SignOutReply,
    "1101": person_pb2.QueryPsnInfoReply,
    "2201": outpatient_pb2.RegisterReply,
    "2202": outpatient_pb2.EmptyReply,
    "2203": outpatient_pb2.EmptyReply,
    "2204": outpatient_pb2.UploadFeeDetailsReply,
    "2205": outpatient_pb2.EmptyReply,
    "2206": outpatient_pb2.SettleReply,
    "2207": outpatient_pb2.SettleReply,
    "2208": outpatient_pb2.SettleReply,
}


class LabRefused(Exception):
    def __init__(self, error: grpc.RpcError) -> None:
        self.status = error.code()  # type: ignore[attr-defined]
        status = rpc_status.from_call(error)  # type: ignore[arg-type]
        found = [d for d in (status.details if status else []) if d.Is(ErrorDetail.DESCRIPTOR)]
        if not found:
            raise AssertionError(f"refusal without ErrorDetail: {error}") from error
        self.detail = ErrorDetail()
        found[0].Unpack(self.detail)
        super().__init__(self.detail.header.err_msg)

    @property
    def code(self) -> str:
        return self.detail.code

    @property
    def field(self) -> str:
        return self.detail.field


@dataclass
class Item:
    code: str
    cnt: str
    pric: str
    total: str | None = None  # default cnt × pric
    appr: str = "0"


class Lab:
    # Shared by every Lab in the process: one institution's terminals draw msgids from one sequence.
    _seq: Iterator[int] = itertools.count(1)
    _feed: Iterator[int] = itertools.count(1)

    def __init__(self, channel: grpc.Channel, clock: Any) -> None:
        self.channel, self.clock = channel, clock
        self.sign_nos: dict[str, str] = {}

    def msgid(self, inst: str = HOSPITAL) -> str:
        return f"{inst}{self.clock():%Y%m%d%H%M%S}{next(self._seq) % 10000:04d}"

    def header(self, rpc: str, inst: str = HOSPITAL, psn: str | None = None, **over: str) -> envelope_pb2.RequestHeader:
        name, region = NAMES[inst]
        h = envelope_pb2.RequestHeader(
            infno=rpc,
            msgid=self.msgid(inst),
            mdtrtarea_admvs=region,
            insuplc_admdvs=INSURED_PLACE[psn] if psn else "",
            recer_sys_code="YBXT",
            infver="V1.0",
            opter_type="1",
            opter="OP01",
            opter_name="收费员甲",
            inf_time=f"{self.clock():%Y-%m-%d %H:%M:%S}",
            fixmedins_code=inst,
            fixmedins_name=name,
            sign_no=self.sign_nos.get(inst, "") if rpc != "9001" else "",
        )
        for k, v in over.items():
            setattr(h, k, v)
        return h

    def send(self, request: Any, infno: str, timeout: float = 10) -> Any:
        """Send to the RPC of `infno` whatever the header says (so tests can lie in the header)."""
        req_cls, service, method = RPCS[infno]
        call = self.channel.unary_unary(
            f"/yibao.v1.{service}/{method}",
            request_serializer=req_cls.SerializeToString,
            response_deserializer=REPLIES[infno].FromString,
            _registered_method=False,
        )
        try:
            return call(request, timeout=timeout)
        except grpc.RpcError as e:
            if e.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNKNOWN):
                raise
            raise LabRefused(e) from None

    def call(self, rpc: str, inp: Any, inst: str = HOSPITAL, psn: str | None = None, **over: str) -> Any:
        """Call the RPC of infno `rpc`; `over` sets envelope fields (including a wrong infno)."""
        if rpc != "9001" and inst not in self.sign_nos and "sign_no" not in over:
            self.sign_in(inst)
        return self.send(RPCS[rpc][0](header=self.header(rpc, inst, psn, **over), input=inp), rpc)

    # -- flows
    def sign_in(self, inst: str = HOSPITAL) -> str:
        reply = self.call(
            "9001", signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8")), inst
        )
        self.sign_nos[inst] = reply.output.signinoutb.sign_no
        return self.sign_nos[inst]

    def register(self, psn: str = "P0001", inst: str = HOSPITAL, ipt_otp_no: str | None = None) -> str:
        data = RegisterData(
            psn_no=psn,
            insutype=INSUTYPE[psn],
            begntime=f"{self.clock():%Y-%m-%d %H:%M:%S}",
            mdtrt_cert_type="01",
            mdtrt_cert_no=CERT[psn],
            ipt_otp_no=ipt_otp_no or f"MZ{next(self._feed)}",
            atddr_no="D001",
            dr_name="张医生",
            dept_code="A03",
            dept_name="内科",
            caty="A03",
        )
        return self.call("2201", outpatient_pb2.RegisterInput(data=data), inst, psn).output.data.mdtrt_id

    def fee(self, mdtrt_id: str, psn: str, item: Item, batch: str = "B1", sn: str | None = None) -> FeeDetail:
        total = item.total if item.total is not None else f"{Decimal(item.cnt) * Decimal(item.pric):.2f}"
        return FeeDetail(
            feedetl_sn=sn or f"F{next(self._feed):05d}",
            mdtrt_id=mdtrt_id,
            psn_no=psn,
            chrg_bchno=batch,
            rx_circ_flag="0",
            fee_ocur_time=f"{self.clock():%Y-%m-%d %H:%M:%S}",
            med_list_codg=item.code,
            medins_list_codg=f"H-{item.code}",
            det_item_fee_sumamt=total,
            cnt=item.cnt,
            pric=item.pric,
            bilg_dept_codg="A03",
            bilg_dept_name="内科",
            bilg_dr_codg="D001",
            bilg_dr_name="张医生",
            hosp_appr_flag=item.appr,
        )

    def upload(
        self, mdtrt_id: str, items: list[Item], psn: str = "P0001", batch: str = "B1", inst: str = HOSPITAL
    ) -> Any:
        fees = [self.fee(mdtrt_id, psn, i, batch) for i in items]
        return self.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=fees), inst, psn)

    def settle_data(
        self, mdtrt_id: str, medfee: str, psn: str = "P0001", batch: str = "B1", acct: str = "1", med_type: str = "11"
    ) -> SettleData:
        return SettleData(
            psn_no=psn,
            mdtrt_cert_type="01",
            mdtrt_cert_no=CERT[psn],
            med_type=med_type,
            medfee_sumamt=medfee,
            psn_setlway="01",
            mdtrt_id=mdtrt_id,
            chrg_bchno=batch,
            acct_used_flag=acct,
            insutype=INSUTYPE[psn],
        )

    def settle(
        self, mdtrt_id: str, medfee: str, psn: str = "P0001", infno: str = "2207", inst: str = HOSPITAL, **kw: str
    ) -> Any:
        data = self.settle_data(mdtrt_id, medfee, psn, **kw)
        return self.call(infno, outpatient_pb2.SettleInput(data=data), inst, psn)

    def cancel_settlement(self, setl_id: str, mdtrt_id: str, psn: str = "P0001", inst: str = HOSPITAL) -> Any:
        data = CancelSettlementData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=psn)
        return self.call("2208", outpatient_pb2.CancelSettlementInput(data=data), inst, psn)

    def cancel_fees(self, mdtrt_id: str, psn: str = "P0001", batch: str = "0000", sn: str = "") -> Any:
        data = CancelFeeDetailsData(mdtrt_id=mdtrt_id, psn_no=psn, chrg_bchno=batch, feedetl_sn=sn)
        return self.call("2205", outpatient_pb2.CancelFeeDetailsInput(data=data), psn=psn)

    def cancel_registration(self, mdtrt_id: str, ipt_otp_no: str, psn: str = "P0001") -> Any:
        data = CancelRegistrationData(psn_no=psn, mdtrt_id=mdtrt_id, ipt_otp_no=ipt_otp_no)
        return self.call("2202", outpatient_pb2.CancelRegistrationInput(data=data), psn=psn)

    def visit_and_settle(self, psn: str, items: list[Item], acct: str = "1") -> Any:
        mdtrt_id = self.register(psn)
        up = self.upload(mdtrt_id, items, psn)
        total = sum((Decimal(r.det_item_fee_sumamt) for r in up.output.result), Decimal("0.00"))
        return self.settle(mdtrt_id, f"{total:.2f}", psn, acct=acct)


def D(text: str) -> Decimal:
    return Decimal(text)


def now_fixed() -> datetime:
    return datetime(2026, 3, 15, 10, 0, 0)
