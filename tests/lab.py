"""Test support: a scripted HIS that lets a test set every envelope field, over a real gRPC channel."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import grpc
from grpc_status import rpc_status

from yibao.transactions import transactions
from yibao.v1 import (
    clearing_pb2,
    envelope_pb2,
    filing_pb2,
    inpatient_pb2,
    outpatient_pb2,
    pharmacy_pb2,
    query_pb2,
    reconciliation_pb2,
    reversal_pb2,
    signin_pb2,
)
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
INSURED_PLACE = {"P0001": "110000", "P0002": "110000", "P0003": "110000", "P0004": "440300", "P0005": "110000",
                 "P0006": "210400", "P0007": "210400", "P0008": "210400", "P0009": "110000", "P0010": "110000",
                 "P0011": "110000", "P0012": "110000", "P0013": "110000"}  # fmt: skip
INSUTYPE = {"P0001": "310", "P0002": "390", "P0003": "310", "P0004": "310", "P0005": "310", "P0006": "390",
            "P0007": "310", "P0008": "390", "P0009": "310", "P0010": "390", "P0011": "310", "P0012": "390",
            "P0013": "310"}  # fmt: skip
CERT = {p: f"EC{p[1:]}" for p in INSUTYPE}


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
        tx = transactions()[infno]
        call = self.channel.unary_unary(
            tx.path,
            request_serializer=tx.request_cls.SerializeToString,
            response_deserializer=tx.reply_cls.FromString,
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
        return self.send(transactions()[rpc].request_cls(header=self.header(rpc, inst, psn, **over), input=inp), rpc)

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

    # -- inpatient, pharmacy, queries
    def admit(self, psn: str, med_type: str = "21", inst: str = HOSPITAL, begntime: str | None = None) -> str:
        info = inpatient_pb2.AdmissionInfo(
            psn_no=psn, insutype=INSUTYPE[psn], begntime=begntime or f"{self.clock():%Y-%m-%d %H:%M:%S}",
            mdtrt_cert_type="01", mdtrt_cert_no=CERT[psn], med_type=med_type, ipt_no=f"ZY{next(self._feed)}",
            atddr_no="D002", chfpdr_name="李主任", adm_dept_codg="A03", adm_dept_name="内科",
            dscg_maindiag_code="I10.x00", dscg_maindiag_name="高血压",
        )  # fmt: skip
        return self.call("2401", inpatient_pb2.AdmitInput(mdtrtinfo=info), inst, psn).output.result.mdtrt_id

    def stay_fee(self, mdtrt_id: str, psn: str, item: Item, init: str = "", sn: str | None = None) -> Any:
        total = item.total if item.total is not None else f"{Decimal(item.cnt) * Decimal(item.pric):.2f}"
        return inpatient_pb2.InpatientFeeDetail(
            feedetl_sn=sn or f"Z{next(self._feed):05d}", init_feedetl_sn=init, mdtrt_id=mdtrt_id, psn_no=psn,
            med_type="21", fee_ocur_time=f"{self.clock():%Y-%m-%d %H:%M:%S}", med_list_codg=item.code,
            medins_list_codg=f"H-{item.code}", det_item_fee_sumamt=total, cnt=item.cnt, pric=item.pric,
            bilg_dept_codg="A03", bilg_dept_name="内科", bilg_dr_codg="D002", bilg_dr_name="李主任",
            hosp_appr_flag=item.appr,
        )  # fmt: skip

    def upload_stay(self, mdtrt_id: str, psn: str, items: list[Item], inst: str = HOSPITAL) -> Any:
        fees = [self.stay_fee(mdtrt_id, psn, i) for i in items]
        return self.call("2301", inpatient_pb2.InpatientFeeInput(feedetail=fees), inst, psn)

    def discharge(self, mdtrt_id: str, psn: str, inst: str = HOSPITAL) -> Any:
        info = inpatient_pb2.DischargeInfo(mdtrt_id=mdtrt_id, psn_no=psn, insutype=INSUTYPE[psn],
                                           endtime=f"{self.clock():%Y-%m-%d %H:%M:%S}", dscg_dept_codg="A03",
                                           dscg_dept_name="内科", dscg_way="1")  # fmt: skip
        return self.call("2402", inpatient_pb2.DischargeInput(dscginfo=info), inst, psn)

    def settle_stay(self, mdtrt_id: str, psn: str, medfee: str, infno: str = "2304", mid: str = "0",
                    acct: str = "1", inst: str = HOSPITAL) -> Any:  # fmt: skip
        data = inpatient_pb2.InpatientSettleData(
            psn_no=psn, mdtrt_cert_type="01", mdtrt_cert_no=CERT[psn], medfee_sumamt=medfee, psn_setlway="01",
            mdtrt_id=mdtrt_id, acct_used_flag=acct, insutype=INSUTYPE[psn], mid_setl_flag=mid,
        )  # fmt: skip
        return self.call(infno, inpatient_pb2.InpatientSettleInput(data=data), inst, psn)

    def cancel_stay_settlement(self, setl_id: str, mdtrt_id: str, psn: str, inst: str = HOSPITAL) -> Any:
        data = inpatient_pb2.InpatientCancelSettlementData(mdtrt_id=mdtrt_id, setl_id=setl_id, psn_no=psn)
        return self.call("2305", inpatient_pb2.InpatientCancelSettlementInput(data=data), inst, psn)

    def stay(self, psn: str, items: list[Item], med_type: str = "21", inst: str = HOSPITAL) -> Any:
        """Admit, upload, discharge and settle a stay; returns the 2304 reply."""
        mdtrt_id = self.admit(psn, med_type, inst)
        up = self.upload_stay(mdtrt_id, psn, items, inst)
        self.discharge(mdtrt_id, psn, inst)
        total = sum((Decimal(r.det_item_fee_sumamt) for r in up.output.result), Decimal("0.00"))
        return self.settle_stay(mdtrt_id, psn, f"{total:.2f}", inst=inst)

    def pharmacy(self, psn: str, items: list[Item], infno: str = "2102", acct: str = "1",
                 inst: str = "P11000000001") -> Any:  # fmt: skip
        details = []
        for i in items:
            total = i.total if i.total is not None else f"{Decimal(i.cnt) * Decimal(i.pric):.2f}"
            details.append(pharmacy_pb2.DrugDetail(
                feedetl_sn=f"Y{next(self._feed):05d}", rx_circ_flag="0",
                fee_ocur_time=f"{self.clock():%Y-%m-%d %H:%M:%S}", med_list_codg=i.code,
                medins_list_codg=f"P-{i.code}", det_item_fee_sumamt=total, cnt=i.cnt, pric=i.pric,
            ))  # fmt: skip
        medfee = sum((Decimal(d.det_item_fee_sumamt) for d in details), Decimal("0.00"))
        info = pharmacy_pb2.DrugInfo(psn_no=psn, mdtrt_cert_type="01", mdtrt_cert_no=CERT[psn],
                                     begntime=f"{self.clock():%Y-%m-%d %H:%M:%S}", medfee_sumamt=f"{medfee:.2f}",
                                     insutype=INSUTYPE[psn], acct_used_flag=acct, med_type="41")  # fmt: skip
        return self.call(infno, pharmacy_pb2.PharmacySettleInput(druginfo=info, drugdetail=details), inst, psn)

    def query_setl(self, setl_id: str, mdtrt_id: str, psn: str, inst: str = HOSPITAL) -> Any:
        data = query_pb2.QuerySetlInfoData(psn_no=psn, setl_id=setl_id, mdtrt_id=mdtrt_id)
        return self.call("5203", query_pb2.QuerySetlInfoInput(data=data), inst, psn)

    # -- filings (2501–2506, 5301/5302, Y2505/Y2506)
    def refer(self, psn: str, area: str, refl_type: str, reflin: str = "H44030000001", inst: str = HOSPITAL,
              **kw: str) -> Any:  # fmt: skip
        ref = filing_pb2.RefMedIn(
            psn_no=psn, insutype=INSUTYPE[psn], diag_code="I21.900", diag_name="急性心肌梗死", reflin_medins_no=reflin,
            reflin_medins_name=NAMES.get(reflin, ("外地医院", ""))[0], mdtrtarea_admdvs=area, refl_type=refl_type,
            refl_date=f"{self.clock():%Y-%m-%d}", refl_rea="病情需要", refl_opnn="同意转院", **kw,
        )  # fmt: skip
        return self.call("2501", filing_pb2.ReferralInput(refmedin=ref), inst, psn)

    def file_place(self, psn: str, area: str, biz: str = "08", fil_type: str = "", cmtm: str = "0",
                   inst: str = HOSPITAL, **kw: str) -> Any:  # fmt: skip
        data = filing_pb2.DesignationData(psn_no=psn, biz_appy_type=biz, mdtrtarea_admdvs=area, fil_type=fil_type,
                                          cmtm_flag=cmtm, **kw)  # fmt: skip
        return self.call("2505", filing_pb2.DesignationInput(data=data), inst, psn)

    def revoke_filing(self, infno: str, sn: str, psn: str, memo: str = "本人申请") -> Any:
        data = filing_pb2.RevokeFilingData(trt_dcla_detl_sn=sn, psn_no=psn, memo=memo)
        return self.call(infno, filing_pb2.RevokeFilingInput(data=data), psn=psn)

    def change_filing(self, sn: str, psn: str, **kw: str) -> Any:
        data = filing_pb2.ChangeFilingData(trt_dcla_detl_sn=sn, psn_no=psn, **kw)
        return self.call("Y2505", filing_pb2.ChangeFilingInput(data=data), psn=psn)

    def review_commitment(self, sn: str, psn: str, matl_stas: str) -> Any:
        data = filing_pb2.ReviewCommitmentData(trt_dcla_detl_sn=sn, psn_no=psn, matl_stas=matl_stas)
        return self.call("Y2506", filing_pb2.ReviewCommitmentInput(data=data), psn=psn)

    def file_chronic(self, psn: str, code: str, name: str, **kw: str) -> Any:
        fields = dict(
            psn_no=psn, insutype=INSUTYPE[psn], opsp_dise_code=code, opsp_dise_name=name,
            insu_optins=INSURED_PLACE[psn], ide_fixmedins_no=HOSPITAL, ide_fixmedins_name=NAMES[HOSPITAL][0],
            hosp_ide_date=f"{self.clock():%Y-%m-%d}", diag_dr_codg="D001", diag_dr_name="张医生",
            begndate=f"{self.clock():%Y-%m-%d}",
        ) | kw  # fmt: skip
        return self.call("2503", filing_pb2.ChronicFilingInput(data=filing_pb2.ChronicFilingData(**fields)), psn=psn)

    def query_chronic(self, psn: str) -> Any:
        data = filing_pb2.ChronicQueryData(psn_no=psn)
        return self.call("5301", filing_pb2.ChronicQueryInput(data=data), psn=psn).output.feedetail

    def query_filings(self, psn: str, biz: str = "") -> Any:
        data = filing_pb2.DesignationQueryData(psn_no=psn, biz_appy_type=biz)
        return self.call("5302", filing_pb2.DesignationQueryInput(data=data), psn=psn).output.psnfixmedin

    # -- uncertain outcomes and refunds (2601, Y5203, Y2208)
    def build(self, rpc: str, inp: Any, inst: str = HOSPITAL, psn: str | None = None, **over: str) -> Any:
        """A request of `rpc` ready to send (its msgid in .header.msgid), signed in; not sent."""
        if rpc != "9001" and inst not in self.sign_nos:
            self.sign_in(inst)
        return transactions()[rpc].request_cls(header=self.header(rpc, inst, psn, **over), input=inp)

    def reverse(self, omsgid: str, oinfno: str, psn: str = "P0001", inst: str = HOSPITAL) -> Any:
        data = reversal_pb2.ReversalData(psn_no=psn, omsgid=omsgid, oinfno=oinfno)
        return self.call("2601", reversal_pb2.ReversalInput(data=data), inst, psn)

    def query_msg(self, omsgid: str, psn: str = "", oinfno: str = "", inst: str = HOSPITAL) -> Any:
        data = reversal_pb2.MessageQueryData(psn_no=psn, omsgid=omsgid, oinfno=oinfno)
        return self.call("Y5203", reversal_pb2.MessageQueryInput(data=data), inst, psn or None).output

    def refund_items(self, setl_id: str, mdtrt_id: str, sns: list[str], psn: str = "P0001", inst: str = HOSPITAL,
                     refd_rea: str = "") -> Any:  # fmt: skip
        data = reversal_pb2.RefundItemsData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=psn, refd_rea=refd_rea)
        items = [reversal_pb2.RefundItem(feedetl_sn=sn) for sn in sns]
        return self.call("Y2208", reversal_pb2.RefundItemsInput(data=data, refddetail=items), inst, psn).output

    # -- reconciliation (3201, 3202)
    def check_totals(self, inst: str = HOSPITAL, **data: str) -> Any:
        day = f"{self.clock():%Y-%m-%d}"
        fields = {"insutype": "310", "clr_type": "11", "setl_optins": NAMES[inst][1], "stmt_begndate": day,
                  "stmt_enddate": day} | data  # fmt: skip
        inp = reconciliation_pb2.CheckTotalsInput(data=reconciliation_pb2.CheckTotalsData(**fields))
        return self.call("3201", inp, inst).output.stmtinfo

    def check_details(self, rows: list[dict[str, str]], inst: str = HOSPITAL, **data: str) -> Any:
        day = f"{self.clock():%Y-%m-%d}"
        fields = {"setl_optins": NAMES[inst][1], "stmt_begndate": day, "stmt_enddate": day} | data
        inp = reconciliation_pb2.CheckDetailsInput(
            data=reconciliation_pb2.CheckDetailsData(**fields),
            detail=[reconciliation_pb2.DetailRecord(**r) for r in rows],
        )
        return self.call("3202", inp, inst).output

    # -- clearing (Y3270, Y3271, Y3272; operators)
    def clear(self, setlym: str, inst: str, infno: str = "Y3270", **data: str) -> Any:
        inp = clearing_pb2.ClearInput(data=clearing_pb2.ClearData(setlym=setlym, **data))
        return self.call(infno, inp, inst).output.stmt

    def prepayment(self, insured: str, treatment: str, inst: str, action: str = "", amount: str = "") -> Any:
        data = clearing_pb2.PrepaymentData(insuplc_admdvs=insured, mdtrtarea_admdvs=treatment, action=action,
                                           amount=amount)  # fmt: skip
        return self.call("Y3272", clearing_pb2.PrepaymentInput(data=data), inst).output.prepayment


def D(text: str) -> Decimal:
    return Decimal(text)
