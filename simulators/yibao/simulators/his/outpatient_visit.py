"""An outpatient visit at the desk (docs/reference/interface.md Appendix A): 1101 → 2201 → 2203 → 2204 → 2206 → 2207,
with the steps the other outpatient flows reuse (several charge batches, 2208/2205/2202 undo)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from decimal import Decimal

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import DEPT, EMPLOYEE, Patient, diseinfo, doctor, identify, visit_key
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, ReceiptItem, checked, receipt_of
from yibao.simulators.his.scripts import Batch, VisitScript
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1.settlement_pb2 import FeeSplit

GENERAL = "11"  # 普通门诊
RETURNED = "01"  # refd_rea 退药/退项目


class OutpatientVisit:
    """One registered visit and what the HIS knows of it: its batches, their splits, its settlements."""

    def __init__(self, client: HisClient, world: World, script: VisitScript, patient: Patient) -> None:
        self.client, self.world, self.script, self.patient = client, world, script, patient
        self.dr = doctor(client, script)
        self.key = visit_key(client)
        self.ipt_otp_no = f"MZ{self.key}"
        self.mdtrt_id = ""
        self.begntime = ""
        self.batches: dict[str, tuple[Batch, list[opb.FeeDetail]]] = {}  # chrg_bchno -> what was billed
        self.splits: dict[str, FeeSplit] = {}  # feedetl_sn -> the platform's split
        self.fees_sent = False
        self.variant = "A" if script.has("A") else ""  # 2203A / 2206A / 2207A instead of 2203 / 2206 / 2207

    @classmethod
    def begin(cls, client: HisClient, world: World, script: VisitScript) -> OutpatientVisit:
        return cls(client, world, script, identify(client, world, script))

    @property
    def psn_no(self) -> str:
        return self.patient.psn_no

    def register(self) -> str:
        p, self.begntime = self.patient, self.client.now_text()
        reply = self.client.register(
            opb.RegisterData(
                psn_no=p.psn_no,
                insutype=p.insutype,
                begntime=self.begntime,
                mdtrt_cert_type=p.mdtrt_cert_type,
                mdtrt_cert_no=p.mdtrt_cert_no,
                ipt_otp_no=self.ipt_otp_no,
                atddr_no=self.dr[1],
                dr_name=self.dr[0],
                dept_code=DEPT[0],
                dept_name=DEPT[1],
                caty=DEPT[0],
            )
        )
        self.mdtrt_id = reply.output.data.mdtrt_id
        return self.mdtrt_id

    def upload_visit_info(self, med_type: str, dise: tuple[str, str] = ("", "")) -> None:
        info = opb.MdtrtInfo(
            mdtrt_id=self.mdtrt_id,
            psn_no=self.psn_no,
            med_type=med_type,
            begntime=self.begntime,
            main_cond_dscr=self.script.complaint,
            dise_codg=dise[0],
            dise_name=dise[1],
        )
        self.client.upload_visit_info(info, [diseinfo(self.script, self.dr, self.begntime)], f"2203{self.variant}")

    def upload(self, batches: Sequence[tuple[str, Batch]]) -> None:
        """One 2204 carrying every given batch (chrg_bchno, lines)."""
        when, feedetail = self.client.now_text(), []
        for chrg_bchno, batch in batches:
            details = [
                opb.FeeDetail(
                    feedetl_sn=f"MX{self.key}{len(self.splits) + len(feedetail) + n:03d}",
                    mdtrt_id=self.mdtrt_id,
                    psn_no=self.psn_no,
                    chrg_bchno=chrg_bchno,
                    dise_codg=batch.dise_codg,
                    rx_circ_flag="0",
                    fee_ocur_time=when,
                    med_list_codg=line.med_list_codg,
                    medins_list_codg=f"HIS-{line.med_list_codg}",
                    det_item_fee_sumamt=f"{line.total:.2f}",
                    cnt=line.cnt,
                    pric=line.pric,
                    bilg_dept_codg=DEPT[0],
                    bilg_dept_name=DEPT[1],
                    bilg_dr_codg=self.dr[1],
                    bilg_dr_name=self.dr[0],
                    hosp_appr_flag=line.hosp_appr_flag,
                )
                for n, line in enumerate(batch.lines)
            ]
            self.batches[chrg_bchno] = (batch, details)
            feedetail += details
        result = self.client.upload_fees(feedetail).output.result
        self.fees_sent = True  # a refused 2204 stores nothing, so only now is there something to cancel
        self.splits.update((r.feedetl_sn, r) for r in result)
        missing = [f.feedetl_sn for f in feedetail if f.feedetl_sn not in self.splits]
        if missing:
            raise HisCheckFailed("HIS_BAD_REPLY", [f"2204 result lacks feedetl_sn {', '.join(missing)}"])

    def settle(self, chrg_bchno: str, med_type: str) -> Receipt:
        """2206 then 2207 for one batch; the checked receipt."""
        batch, details = self.batches[chrg_bchno]
        p = self.patient
        data = opb.SettleData(
            psn_no=p.psn_no,
            mdtrt_cert_type=p.mdtrt_cert_type,
            mdtrt_cert_no=p.mdtrt_cert_no,
            med_type=med_type,
            medfee_sumamt=f"{batch.total:.2f}",
            psn_setlway="01",
            mdtrt_id=self.mdtrt_id,
            chrg_bchno=chrg_bchno,
            acct_used_flag="1" if p.insutype == EMPLOYEE and self.script.use_account else "0",
            insutype=p.insutype,
        )
        pre = self.client.pre_settle(data, f"2206{self.variant}").output.setlinfo
        # 2207 carries the pre-settlement's split totals back (docs/reference/interface.md §4.3 point 4)
        data.invono = f"FP{self.key}{chrg_bchno[-2:]}"
        data.fulamt_ownpay_amt = pre.fulamt_ownpay_amt
        data.overlmt_selfpay = pre.overlmt_selfpay
        data.preselfpay_amt = pre.preselfpay_amt
        data.inscp_scp_amt = pre.inscp_scp_amt
        reply = self.client.settle(data, f"2207{self.variant}")
        items = tuple(self._item(d) for d in details)
        return checked(self._receipt(reply, chrg_bchno, batch.total, items))

    def cancel_settlement(self, settled: Receipt, *, latest: bool = True) -> Receipt:
        """2208: the settlement's cancellation, checked against it (`latest`: see receipt.check_reversal)."""
        data = opb.CancelSettlementData(setl_id=settled.setl_id, mdtrt_id=self.mdtrt_id, psn_no=self.psn_no,
                                        refd_rea=RETURNED)  # fmt: skip
        reply = self.client.cancel_settlement(data)
        rev = self._receipt(reply, settled.chrg_bchno, -settled.billed_sumamt, (), reverses=settled.setl_id)
        return checked(rev, orig=settled, latest=latest)

    def cancel_fees(self, chrg_bchno: str = "0000") -> None:
        data = opb.CancelFeeDetailsData(mdtrt_id=self.mdtrt_id, chrg_bchno=chrg_bchno, psn_no=self.psn_no)
        self.client.cancel_fees(data)

    def cancel_registration(self) -> None:
        data = opb.CancelRegistrationData(psn_no=self.psn_no, mdtrt_id=self.mdtrt_id, ipt_otp_no=self.ipt_otp_no)
        self.client.cancel_registration(data)

    def undo(self) -> None:
        """2205 then 2202 (docs/reference/interface.md Appendix A), best effort: a refusal here changes nothing
        for the visit."""
        if not self.mdtrt_id:
            return
        undo_visit(self.client, self.psn_no, self.mdtrt_id, self.ipt_otp_no, self.fees_sent)

    def _item(self, d: opb.FeeDetail) -> ReceiptItem:
        entry = self.world.regions[self.client.institution.admdvs].catalogue.get(d.med_list_codg)
        name = entry.name if entry else d.med_list_codg
        billed = Decimal(d.det_item_fee_sumamt)
        return ReceiptItem.of(d.med_list_codg, name, Decimal(d.cnt), Decimal(d.pric), billed, self.splits[d.feedetl_sn])

    def _receipt(self, reply: object, chrg_bchno: str, billed: Decimal, items: tuple[ReceiptItem, ...],
                 reverses: str = "") -> Receipt:  # fmt: skip
        receipt = receipt_of(
            self.client.institution,
            reply,  # type: ignore[arg-type]
            ipt_otp_no=self.ipt_otp_no,
            chrg_bchno=chrg_bchno,
            insuplc_admdvs=self.patient.insuplc_admdvs,
            diag=(self.script.diag_code, self.script.diag_name),
            billed=billed,
            items=items,
            reverses=reverses,
        )
        self.client.keep(receipt)
        return receipt


def undo_visit(client: HisClient, psn_no: str, mdtrt_id: str, ipt_otp_no: str, fees_sent: bool) -> None:
    """2205 then 2202, best effort."""
    if fees_sent:
        with contextlib.suppress(HisRefused):
            client.cancel_fees(opb.CancelFeeDetailsData(mdtrt_id=mdtrt_id, chrg_bchno="0000", psn_no=psn_no))
    registration = opb.CancelRegistrationData(psn_no=psn_no, mdtrt_id=mdtrt_id, ipt_otp_no=ipt_otp_no)
    with contextlib.suppress(HisRefused):
        client.cancel_registration(registration)


def batch_no(visit: OutpatientVisit, n: int) -> str:
    return f"SF{visit.key}{n:02d}"


def run_outpatient(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    """One ordinary outpatient visit: one charge batch, settled as med_type 11. Raises HisRefused when
    the platform refuses a step (after undoing the registration as a HIS would), HisCheckFailed when
    the receipt does not add up."""
    visit = OutpatientVisit.begin(client, world, script)
    visit.register()
    try:
        visit.upload_visit_info(GENERAL)
        chrg_bchno = f"SF{visit.key}"
        visit.upload([(chrg_bchno, script.batches[0])])
        return [visit.settle(chrg_bchno, GENERAL)]
    except HisRefused as refusal:
        if refusal.code:  # the platform answered: leave no half-open visit behind
            visit.undo()
        raise
