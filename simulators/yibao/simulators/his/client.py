"""The HIS side of the wire: one method per national transaction, over the gateway's gRPC services.

Refusals arrive as a non-OK gRPC status whose rich details carry a `yibao.v1.ErrorDetail`; they are
raised as `HisRefused`, which is what a HIS shows its operator (the national err_msg).
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import grpc
from google.protobuf.message import Message
from grpc_status import rpc_status

from yibao import platform_clock
from yibao.domain.world import Institution
from yibao.simulators.his.envelope import Clock, EnvelopeBuilder, MsgidSequence
from yibao.transactions import transactions
from yibao.v1 import filing_pb2 as fpb
from yibao.v1 import inpatient_pb2 as ipb
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import person_pb2 as ppb
from yibao.v1 import query_pb2 as qpb
from yibao.v1 import settlement_pb2 as stl
from yibao.v1 import signin_pb2 as spb
from yibao.v1.envelope_pb2 import ErrorDetail, RequestHeader


class HisRefused(Exception):
    """A transaction the platform (or the transport) did not carry out.

    `code` is the gateway's catalogue code ("" when the status carried no ErrorDetail, e.g. the
    gateway was unreachable); `err_msg` is the national error text, or the status details.
    """

    def __init__(
        self,
        infno: str,
        code: str,
        field: str,
        err_msg: str,
        status_code: grpc.StatusCode,
        detail: ErrorDetail | None = None,
    ) -> None:
        super().__init__(f"{infno} refused: {err_msg}")
        self.infno, self.code, self.field, self.err_msg = infno, code, field, err_msg
        self.status_code, self.detail = status_code, detail


def error_detail(error: grpc.RpcError) -> ErrorDetail | None:
    """The ErrorDetail packed in a failed call's rich status, if any."""
    if not isinstance(error, grpc.Call):
        return None
    try:
        status = rpc_status.from_call(error)
    except ValueError:  # details disagree with the call's own status: not a gateway refusal
        return None
    for packed in status.details if status is not None else ():
        if packed.Is(ErrorDetail.DESCRIPTOR):
            detail = ErrorDetail()
            packed.Unpack(detail)
            return detail
    return None


def refusal_from_error(infno: str, error: grpc.RpcError) -> HisRefused:
    status_code = error.code() if isinstance(error, grpc.Call) else grpc.StatusCode.UNKNOWN
    detail = error_detail(error)
    if detail is None:
        text = error.details() if isinstance(error, grpc.Call) else ""
        return HisRefused(infno, "", "", text or str(error), status_code)
    err_msg = detail.header.err_msg or detail.message_zh
    return HisRefused(infno, detail.code, detail.field, err_msg, status_code, detail)


class HisClient:
    """A hospital's HIS workstation connected to the gateway. Not meant to be shared between threads:
    give each thread its own client, and clients of one institution one shared MsgidSequence."""

    def __init__(
        self,
        channel: grpc.Channel,
        institution: Institution,
        *,
        opter: str = "SF001",
        opter_name: str = "门诊收费员",
        ip: str = "127.0.0.1",
        mac: str = "00-16-3E-00-00-01",
        clock: Clock = platform_clock.now,
        timeout: float = 10.0,
        sequence: MsgidSequence | None = None,
        recer_sys_code: str = "YBXT",
    ) -> None:
        self.institution = institution
        self.envelope = EnvelopeBuilder(
            institution,
            opter=opter,
            opter_name=opter_name,
            clock=clock,
            sequence=sequence,
            recer_sys_code=recer_sys_code,
        )
        self.ip, self.mac, self.timeout = ip, mac, timeout
        self._channel = channel
        self._rpcs: dict[str, grpc.UnaryUnaryMultiCallable] = {}  # infno -> the RPC of its transaction
        # seconds per call, by infno, refusals included: the caller summarises them
        self.latencies: dict[str, list[float]] = defaultdict(list)
        # psn_no -> {insutype: insuplc_admdvs} from 1101, and the insutype a visit was registered with
        self._insured_places: dict[str, dict[str, str]] = {}
        self._insutype_in_use: dict[str, str] = {}
        self._session = ""
        self._visit_numbers = itertools.count(1)
        self.last_msgid: dict[str, str] = {}  # infno -> the msgid of its latest call (what a 2601 names)
        # When a list: every settlement and cancellation the platform answered, as the HIS recorded it
        # (receipt.Receipt), checked or not, failed visits included — a traffic run's ledger drains it.
        self.issued: list[Any] | None = None

    # -- state a HIS keeps between transactions

    @property
    def channel(self) -> grpc.Channel:
        """The connection, for another institution's client working beside this one (an operator's review)."""
        return self._channel

    @property
    def signed_in(self) -> bool:
        return bool(self.envelope.sign_no)

    def now_text(self) -> str:
        """The HIS's local time as the national datetime fields want it."""
        return f"{self.envelope.clock():%Y-%m-%d %H:%M:%S}"

    def insured_place(self, psn_no: str, insutype: str = "") -> str:
        """The insuplc_admdvs 1101 gave for psn_no under insutype (default: the insutype in use)."""
        places = self._insured_places.get(psn_no, {})
        insutype = insutype or self._insutype_in_use.get(psn_no, "")
        if insutype:
            return places.get(insutype, "")
        return next(iter(places.values())) if len(places) == 1 else ""

    def next_ipt_otp_no(self) -> str:
        """院内门诊流水号 for a new visit, unique per sign-in session.

        The session part comes from the platform's sign_no rather than from the clock or a uuid, so a
        run stays reproducible for its seed, yet a second run against the same store gets new numbers
        (the platform refuses an ipt_otp_no that still has an open visit).
        """
        if not self._session:
            raise RuntimeError("sign in (9001) before opening visits")
        return f"MZ{self._session}{next(self._visit_numbers) % 1_000_000:06d}"

    def keep(self, receipt: Any) -> None:
        """Record a receipt the platform issued (kept only when `issued` is a list)."""
        if self.issued is not None:
            self.issued.append(receipt)

    # -- transport

    def _rpc(self, infno: str) -> grpc.UnaryUnaryMultiCallable:
        """The RPC of a transaction, from the one table of transactions the protos declare."""
        if (rpc := self._rpcs.get(infno)) is None:
            tx = transactions()[infno]
            rpc = self._rpcs[infno] = self._channel.unary_unary(
                tx.path,
                request_serializer=tx.request_cls.SerializeToString,
                response_deserializer=tx.reply_cls.FromString,
                _registered_method=True,
            )
        return rpc

    def _call(self, infno: str, request: Message) -> Any:
        """Send `request` as transaction `infno`; its reply, of the class the protos declare for it."""
        started = time.perf_counter()
        self.last_msgid[infno] = request.header.msgid  # type: ignore[attr-defined]
        try:
            reply = self._rpc(infno)(request, timeout=self.timeout)
        except grpc.RpcError as e:
            raise refusal_from_error(infno, e) from e
        finally:
            self.latencies[infno].append(time.perf_counter() - started)
        header = reply.header  # type: ignore[attr-defined]
        if header.infcode != 0:  # a national reply that says "failed" in the envelope only
            text = header.err_msg or f"infcode {header.infcode}"
            raise HisRefused(infno, "", "", text, grpc.StatusCode.OK)
        return reply

    def _header(self, infno: str, psn_no: str = "", insutype: str = "") -> RequestHeader:
        insuplc = self.insured_place(psn_no, insutype) if psn_no else ""
        return self.envelope.header(infno, insuplc, insutype or self._insutype_in_use.get(psn_no, ""))

    def call(self, infno: str, inp: Message, psn_no: str = "", insutype: str = "") -> Any:
        """Any transaction of the protos' table: `inp` is its request's input node; the envelope is this
        client's (psn_no and insutype choose insuplc_admdvs and insutype, as for the methods below)."""
        request = transactions()[infno].request_cls(header=self._header(infno, psn_no, insutype), input=inp)
        return self._call(infno, request)

    # -- 9001 / 9002

    def sign_in(self) -> spb.SignInReply:
        data = spb.SignInData(opter_no=self.envelope.opter, mac=self.mac, ip=self.ip)
        request = spb.SignInRequest(header=self._header("9001"), input=spb.SignInInput(signIn=data))
        reply = self._call("9001", request)
        sign_no = reply.output.signinoutb.sign_no
        self.envelope.sign_no = sign_no
        self._session = hashlib.sha256(sign_no.encode()).hexdigest()[:10].upper()
        self._visit_numbers = itertools.count(1)
        return reply

    def sign_out(self) -> spb.SignOutReply:
        data = spb.SignOutData(sign_no=self.envelope.sign_no, opter_no=self.envelope.opter)
        request = spb.SignOutRequest(header=self._header("9002"), input=spb.SignOutInput(signOut=data))
        reply = self._call("9002", request)
        self.envelope.sign_no = ""
        return reply

    # -- 1101

    def query_person(self, query: ppb.PsnInfoQuery) -> ppb.QueryPsnInfoReply:
        inp = ppb.QueryPsnInfoInput(data=query)
        request = ppb.QueryPsnInfoRequest(header=self._header("1101"), input=inp)
        reply = self._call("1101", request)
        out = reply.output
        self._insured_places[out.baseinfo.psn_no] = {i.insutype: i.insuplc_admdvs for i in out.insuinfo}
        return reply

    # -- 2201–2208

    def register(self, data: opb.RegisterData) -> opb.RegisterReply:
        self._insutype_in_use[data.psn_no] = data.insutype
        header = self._header("2201", data.psn_no, data.insutype)
        request = opb.RegisterRequest(header=header, input=opb.RegisterInput(data=data))
        return self._call("2201", request)

    def cancel_registration(self, data: opb.CancelRegistrationData) -> opb.EmptyReply:
        header = self._header("2202", data.psn_no)
        request = opb.CancelRegistrationRequest(header=header, input=opb.CancelRegistrationInput(data=data))
        return self._call("2202", request)

    # `infno`: 2203A / 2206A / 2207A, the A variants of the same messages (a HIS of the other interface version)

    def upload_visit_info(self, mdtrtinfo: opb.MdtrtInfo, diseinfo: Sequence[opb.DiseInfo],
                          infno: str = "2203") -> opb.EmptyReply:  # fmt: skip
        inp = opb.UploadVisitInfoInput(mdtrtinfo=mdtrtinfo, diseinfo=diseinfo)
        request = opb.UploadVisitInfoRequest(header=self._header(infno, mdtrtinfo.psn_no), input=inp)
        return self._call(infno, request)

    def upload_fees(self, feedetail: Sequence[opb.FeeDetail]) -> opb.UploadFeeDetailsReply:
        psn_no = feedetail[0].psn_no if feedetail else ""
        inp = opb.UploadFeeDetailsInput(feedetail=feedetail)
        request = opb.UploadFeeDetailsRequest(header=self._header("2204", psn_no), input=inp)
        return self._call("2204", request)

    def cancel_fees(self, data: opb.CancelFeeDetailsData) -> opb.EmptyReply:
        header = self._header("2205", data.psn_no)
        request = opb.CancelFeeDetailsRequest(header=header, input=opb.CancelFeeDetailsInput(data=data))
        return self._call("2205", request)

    def pre_settle(self, data: opb.SettleData, infno: str = "2206") -> stl.SettleReply:
        header = self._header(infno, data.psn_no, data.insutype)
        request = opb.SettleRequest(header=header, input=opb.SettleInput(data=data))
        return self._call(infno, request)

    def settle(self, data: opb.SettleData, infno: str = "2207") -> stl.SettleReply:
        header = self._header(infno, data.psn_no, data.insutype)
        request = opb.SettleRequest(header=header, input=opb.SettleInput(data=data))
        return self._call(infno, request)

    def cancel_settlement(self, data: opb.CancelSettlementData) -> stl.SettleReply:
        header = self._header("2208", data.psn_no)
        request = opb.CancelSettlementRequest(header=header, input=opb.CancelSettlementInput(data=data))
        return self._call("2208", request)

    # -- 2401–2405: admission and discharge

    def admit(self, info: ipb.AdmissionInfo, diseinfo: Sequence[ipb.InpatientDiseInfo] = ()) -> ipb.AdmitReply:
        self._insutype_in_use[info.psn_no] = info.insutype
        header = self._header("2401", info.psn_no, info.insutype)
        request = ipb.AdmitRequest(header=header, input=ipb.AdmitInput(mdtrtinfo=info, diseinfo=diseinfo))
        return self._call("2401", request)

    def discharge(self, info: ipb.DischargeInfo, diseinfo: Sequence[ipb.InpatientDiseInfo] = ()) -> opb.EmptyReply:
        header = self._header("2402", info.psn_no, info.insutype)
        request = ipb.DischargeRequest(header=header, input=ipb.DischargeInput(dscginfo=info, diseinfo=diseinfo))
        return self._call("2402", request)

    def change_admission(
        self, info: ipb.AdmissionInfo, diseinfo: Sequence[ipb.InpatientDiseInfo] = ()
    ) -> opb.EmptyReply:
        inp = ipb.ChangeAdmissionInput(adminfo=info, diseinfo=diseinfo)
        request = ipb.ChangeAdmissionRequest(header=self._header("2403", info.psn_no), input=inp)
        return self._call("2403", request)

    def cancel_admission(self, data: ipb.StayData) -> opb.EmptyReply:
        request = ipb.StayRequest(header=self._header("2404", data.psn_no), input=ipb.StayInput(data=data))
        return self._call("2404", request)

    def cancel_discharge(self, data: ipb.StayData) -> opb.EmptyReply:
        request = ipb.StayRequest(header=self._header("2405", data.psn_no), input=ipb.StayInput(data=data))
        return self._call("2405", request)

    # -- 2301/2302: a stay's fee details, batch by batch

    def upload_stay_fees(self, feedetail: Sequence[ipb.InpatientFeeDetail]) -> opb.UploadFeeDetailsReply:
        psn_no = feedetail[0].psn_no if feedetail else ""
        inp = ipb.InpatientFeeInput(feedetail=feedetail)
        request = ipb.InpatientFeeRequest(header=self._header("2301", psn_no), input=inp)
        return self._call("2301", request)

    def cancel_stay_fees(self, data: Sequence[ipb.InpatientFeeCancel]) -> opb.EmptyReply:
        psn_no = data[0].psn_no if data else ""
        inp = ipb.InpatientFeeCancelInput(data=data)
        request = ipb.InpatientFeeCancelRequest(header=self._header("2302", psn_no), input=inp)
        return self._call("2302", request)

    # -- 2303–2305: a stay's settlement

    def pre_settle_stay(self, data: ipb.InpatientSettleData) -> stl.SettleReply:
        header = self._header("2303", data.psn_no, data.insutype)
        request = ipb.InpatientSettleRequest(header=header, input=ipb.InpatientSettleInput(data=data))
        return self._call("2303", request)

    def settle_stay(self, data: ipb.InpatientSettleData) -> stl.SettleReply:
        header = self._header("2304", data.psn_no, data.insutype)
        request = ipb.InpatientSettleRequest(header=header, input=ipb.InpatientSettleInput(data=data))
        return self._call("2304", request)

    def cancel_stay_settlement(self, data: ipb.InpatientCancelSettlementData) -> stl.SettleReply:
        inp = ipb.InpatientCancelSettlementInput(data=data)
        request = ipb.InpatientCancelSettlementRequest(header=self._header("2305", data.psn_no), input=inp)
        return self._call("2305", request)

    # -- filings: 2503 chronic disease, 2505 cross-region, and their queries 5301 / 5302

    def file_chronic_disease(self, data: fpb.ChronicFilingData) -> fpb.FilingReply:
        header = self._header("2503", data.psn_no, data.insutype)
        request = fpb.ChronicFilingRequest(header=header, input=fpb.ChronicFilingInput(data=data))
        return self._call("2503", request)

    def query_chronic_filings(self, psn_no: str) -> fpb.ChronicQueryReply:
        inp = fpb.ChronicQueryInput(data=fpb.ChronicQueryData(psn_no=psn_no))
        request = fpb.ChronicQueryRequest(header=self._header("5301", psn_no), input=inp)
        return self._call("5301", request)

    def file_designation(self, data: fpb.DesignationData) -> fpb.FilingReply:
        header = self._header("2505", data.psn_no, data.insutype)
        request = fpb.DesignationRequest(header=header, input=fpb.DesignationInput(data=data))
        return self._call("2505", request)

    def query_designations(self, psn_no: str, biz_appy_type: str = "") -> fpb.DesignationQueryReply:
        data = fpb.DesignationQueryData(psn_no=psn_no, biz_appy_type=biz_appy_type)
        inp = fpb.DesignationQueryInput(data=data)
        request = fpb.DesignationQueryRequest(header=self._header("5302", psn_no), input=inp)
        return self._call("5302", request)

    # -- 5203

    def query_settlement(self, data: qpb.QuerySetlInfoData) -> stl.SettleReply:
        header = self._header("5203", data.psn_no)
        request = qpb.QuerySetlInfoRequest(header=header, input=qpb.QuerySetlInfoInput(data=data))
        return self._call("5203", request)
