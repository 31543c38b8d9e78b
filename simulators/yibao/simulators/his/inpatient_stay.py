"""An inpatient stay at the ward desk (docs/reference/interface.md Appendix A): 1101 → 2401 admission → 2301 fee
details day by day → 2402 discharge → 2303 pre-settlement → 2304 settlement; optionally a change of
admission data (2403), a returned drug (a 2301 refund line) and a mid-stay settlement (中途结算).

The stay is admitted `days` days back and its fees dated day by day up to now, as a ward's HIS
uploads them; all uploads happen now, since a simulation cannot wait for days.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from decimal import Decimal

from yibao.domain.world import World
from yibao.simulators.his.bill import is_drug
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import (
    DATETIME,
    EMPLOYEE,
    WARD,
    Patient,
    days_before,
    doctor,
    identify,
    stay_diseinfo,
    visit_key,
)
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, ReceiptItem, checked, receipt_of
from yibao.simulators.his.scripts import Batch, Line, VisitScript
from yibao.simulators.his.settlement_lists import settlement_list
from yibao.v1 import inpatient_pb2 as ipb
from yibao.v1.settlement_pb2 import FeeSplit

ORDINARY = "21"  # 普通住院
ALL_ITEMS = "0000"
MISSETTLED = "02"  # refd_rea 结算有误: the stay is corrected and settled again


class InpatientStay:
    """One stay and what the ward's HIS knows of it: items billed, their splits, which are settled."""

    def __init__(self, client: HisClient, world: World, script: VisitScript, patient: Patient, med_type: str) -> None:
        self.client, self.world, self.script, self.patient, self.med_type = client, world, script, patient, med_type
        self.dr = doctor(client, script)
        self.key = visit_key(client)
        self.ipt_no = f"ZY{self.key}"
        self.mdtrt_id = ""
        self.admitted = datetime.min
        self.discharged = False
        self.details: dict[str, ipb.InpatientFeeDetail] = {}  # feedetl_sn -> as uploaded, in upload order
        self.splits: dict[str, FeeSplit] = {}
        self.unsettled: list[str] = []  # feedetl_sn not covered by a settlement in force
        self.settled: dict[str, list[str]] = {}  # setl_id -> the items it covered

    @classmethod
    def begin(cls, client: HisClient, world: World, script: VisitScript, med_type: str = ORDINARY) -> InpatientStay:
        return cls(client, world, script, identify(client, world, script), med_type)

    @property
    def psn_no(self) -> str:
        return self.patient.psn_no

    # -- 2401–2405

    def admit(self) -> str:
        p, s = self.patient, self.script
        self.admitted = days_before(self.client.envelope.clock(), s.days)
        when = f"{self.admitted:{DATETIME}}"
        info = ipb.AdmissionInfo(
            psn_no=p.psn_no,
            insutype=p.insutype,
            begntime=when,
            mdtrt_cert_type=p.mdtrt_cert_type,
            mdtrt_cert_no=p.mdtrt_cert_no,
            med_type=self.med_type,
            ipt_no=self.ipt_no,
            medrcdno=f"BA{self.key}",
            atddr_no=self.dr[1],
            chfpdr_name=self.dr[0],
            adm_diag_dscr=s.complaint,
            adm_dept_codg=WARD[0],
            adm_dept_name=WARD[1],
            adm_bed=f"{1 + s.seq % 40}床",
            dscg_maindiag_code=s.diag_code,
            dscg_maindiag_name=s.diag_name,
            main_cond_dscr=s.complaint,
        )
        reply = self.client.admit(info, [stay_diseinfo(s, p.psn_no, self.dr, when)])
        self.mdtrt_id = reply.output.result.mdtrt_id
        return self.mdtrt_id

    def change_bed(self) -> None:
        """2403: the patient moved to another bed (a typical admission-data change)."""
        info = ipb.AdmissionInfo(mdtrt_id=self.mdtrt_id, psn_no=self.psn_no, adm_bed=f"{41 + self.script.seq % 20}床")
        self.client.change_admission(info)

    def discharge(self) -> None:
        info = ipb.DischargeInfo(
            mdtrt_id=self.mdtrt_id,
            psn_no=self.psn_no,
            insutype=self.patient.insutype,
            endtime=self.client.now_text(),
            dscg_dept_codg=WARD[0],
            dscg_dept_name=WARD[1],
            dscg_way="1",  # 医嘱离院
        )
        self.client.discharge(info)
        self.discharged = True

    def cancel_discharge(self) -> None:
        self.client.cancel_discharge(ipb.StayData(mdtrt_id=self.mdtrt_id, psn_no=self.psn_no))
        self.discharged = False

    def cancel_admission(self) -> None:
        self.client.cancel_admission(ipb.StayData(mdtrt_id=self.mdtrt_id, psn_no=self.psn_no))

    # -- 2301 / 2302

    def upload_day(self, day: int, batch: Batch) -> None:
        """One day's fee details in one 2301."""
        when = self._fee_time(day)
        details = [self._detail(line, f"{len(self.details) + n:04d}", when) for n, line in enumerate(batch.lines)]
        self._upload(details)

    def return_item(self, feedetl_sn: str, cnt: str) -> None:
        """A refund line (退费): `cnt` units of an earlier item come back, negative count and amount."""
        orig = self.details[feedetl_sn]
        line = Line(orig.med_list_codg, f"-{cnt}", orig.pric, orig.hosp_appr_flag)
        detail = self._detail(line, f"{len(self.details):04d}", self.client.now_text())
        detail.init_feedetl_sn = feedetl_sn
        self._upload([detail])

    def cancel_item(self, feedetl_sn: str) -> None:
        """2302: an unsettled item removed (wrongly billed)."""
        self.client.cancel_stay_fees([ipb.InpatientFeeCancel(feedetl_sn=feedetl_sn, mdtrt_id=self.mdtrt_id,
                                                             psn_no=self.psn_no)])  # fmt: skip
        self.unsettled.remove(feedetl_sn)
        del self.details[feedetl_sn]

    # -- 2303 / 2304 / 2305

    def settle(self, mid: bool = False) -> Receipt:
        """2303 then 2304 of every unsettled item; the checked receipt."""
        p = self.patient
        billed = sum((Decimal(self.details[sn].det_item_fee_sumamt) for sn in self.unsettled), Decimal("0.00"))
        data = ipb.InpatientSettleData(
            psn_no=p.psn_no,
            mdtrt_cert_type=p.mdtrt_cert_type,
            mdtrt_cert_no=p.mdtrt_cert_no,
            medfee_sumamt=f"{billed:.2f}",
            psn_setlway="01",
            mdtrt_id=self.mdtrt_id,
            acct_used_flag="1" if p.insutype == EMPLOYEE and self.script.use_account else "0",
            insutype=p.insutype,
            mid_setl_flag="1" if mid else "0",
        )
        if not mid:
            data.dscgTime = self.client.now_text()[:10]
        pre = self.client.pre_settle_stay(data).output.setlinfo
        data.invono = f"FP{self.key}{len(self.settled):02d}"
        data.fulamt_ownpay_amt = pre.fulamt_ownpay_amt
        data.overlmt_selfpay = pre.overlmt_selfpay
        data.preselfpay_amt = pre.preselfpay_amt
        data.inscp_scp_amt = pre.inscp_scp_amt
        reply = self.client.settle_stay(data)
        items = tuple(self._item(sn) for sn in self.unsettled)
        receipt = checked(self._receipt(reply, billed, items))
        self.settled[receipt.setl_id], self.unsettled = self.unsettled, []
        return receipt

    def cancel_settlement(self, settled: Receipt) -> Receipt:
        """2305: the items the settlement covered are unsettled again."""
        data = ipb.InpatientCancelSettlementData(mdtrt_id=self.mdtrt_id, setl_id=settled.setl_id, psn_no=self.psn_no,
                                                 refd_rea=MISSETTLED)  # fmt: skip
        reply = self.client.cancel_stay_settlement(data)
        rev = checked(self._receipt(reply, -settled.billed_sumamt, (), reverses=settled.setl_id), orig=settled)
        self.unsettled = self.settled.pop(settled.setl_id) + self.unsettled
        return rev

    def undo(self) -> None:
        """Best effort after a refusal: reopen, remove the unsettled items, cancel the admission."""
        if not self.mdtrt_id or self.settled:
            return
        stay = ipb.StayData(mdtrt_id=self.mdtrt_id, psn_no=self.psn_no)
        with contextlib.suppress(HisRefused):
            if self.discharged:
                self.client.cancel_discharge(stay)
            if self.unsettled:
                self.client.cancel_stay_fees([ipb.InpatientFeeCancel(feedetl_sn=ALL_ITEMS, mdtrt_id=self.mdtrt_id,
                                                                     psn_no=self.psn_no)])  # fmt: skip
            self.client.cancel_admission(stay)

    # -- the HIS's own bookkeeping

    def _fee_time(self, day: int) -> str:
        """Fees of day `day` of the stay, 2 hours into the day, never later than now."""
        when = min(self.admitted + timedelta(days=day, hours=2), self.client.envelope.clock())
        return f"{when:{DATETIME}}"

    def _detail(self, line: Line, serial: str, when: str) -> ipb.InpatientFeeDetail:
        return ipb.InpatientFeeDetail(
            feedetl_sn=f"ZX{self.key}{serial}",
            mdtrt_id=self.mdtrt_id,
            drord_no=f"YZ{self.key}{serial}",
            psn_no=self.psn_no,
            med_type=self.med_type,
            fee_ocur_time=when,
            med_list_codg=line.med_list_codg,
            medins_list_codg=f"HIS-{line.med_list_codg}",
            det_item_fee_sumamt=f"{line.total:.2f}",
            cnt=line.cnt,
            pric=line.pric,
            bilg_dept_codg=WARD[0],
            bilg_dept_name=WARD[1],
            bilg_dr_codg=self.dr[1],
            bilg_dr_name=self.dr[0],
            hosp_appr_flag=line.hosp_appr_flag,
        )

    def _upload(self, details: list[ipb.InpatientFeeDetail]) -> None:
        result = self.client.upload_stay_fees(details).output.result
        self.splits.update((r.feedetl_sn, r) for r in result)
        missing = [d.feedetl_sn for d in details if d.feedetl_sn not in self.splits]
        if missing:
            raise HisCheckFailed("HIS_BAD_REPLY", [f"2301 result lacks feedetl_sn {', '.join(missing)}"])
        for d in details:
            self.details[d.feedetl_sn] = d
            self.unsettled.append(d.feedetl_sn)

    def _item(self, sn: str) -> ReceiptItem:
        d = self.details[sn]
        entry = self.world.regions[self.client.institution.admdvs].catalogue.get(d.med_list_codg)
        name = entry.name if entry else d.med_list_codg
        billed = Decimal(d.det_item_fee_sumamt)
        return ReceiptItem.of(d.med_list_codg, name, Decimal(d.cnt), Decimal(d.pric), billed, self.splits[sn])

    def _receipt(self, reply: object, billed: Decimal, items: tuple[ReceiptItem, ...], reverses: str = "") -> Receipt:
        receipt = receipt_of(
            self.client.institution,
            reply,  # type: ignore[arg-type]
            ipt_otp_no=self.ipt_no,
            insuplc_admdvs=self.patient.insuplc_admdvs,
            diag=(self.script.diag_code, self.script.diag_name),
            billed=billed,
            items=items,
            reverses=reverses,
        )
        self.client.keep(receipt)
        return receipt


def returnable(stay: InpatientStay) -> str | None:
    """The first drug line of the stay with a whole unit to give back, if any."""
    catalogue = stay.world.regions[stay.client.institution.admdvs].catalogue
    for sn, d in stay.details.items():
        entry = catalogue.get(d.med_list_codg)
        if not d.init_feedetl_sn and Decimal(d.cnt) >= 1 and entry is not None and is_drug(entry):
            return sn
    return None


def run_stay(stay: InpatientStay) -> list[Receipt]:
    """Admission to settlement as the script says; undone as far as possible when refused."""
    script, receipts = stay.script, []
    stay.admit()
    try:
        mid_day = len(script.batches) // 2 if stay.script.has("mid") and len(script.batches) > 1 else -1
        for day, batch in enumerate(script.batches):
            if day == mid_day:
                receipts.append(stay.settle(mid=True))  # 中途结算 before the second half of the stay
            stay.upload_day(day, batch)
            if day == 0 and script.has("change"):
                stay.change_bed()
        if script.has("return"):
            sn = returnable(stay)
            if sn is not None:
                stay.return_item(sn, "1")
        stay.discharge()
        receipts.append(stay.settle())
    except HisRefused as refusal:
        if refusal.code:
            stay.undo()
        raise
    return receipts


def run_inpatient(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    """An ordinary stay (med_type 21), several days of fee batches; with the "list" flag the final settlement's
    list is uploaded (4101) and read back (4103)."""
    receipts = run_stay(InpatientStay.begin(client, world, script))
    if script.has("list") and (problems := settlement_list(client, world, script, receipts[-1])):
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems, receipts[-1])
    return receipts
