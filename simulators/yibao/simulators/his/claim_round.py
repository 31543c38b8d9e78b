"""Manual reimbursement at the insured place (kind `claim`; docs/seed-rules.md "Manual reimbursement at the
insured place"): a person paid a stay in full at a hospital outside their insured city and brings the invoice to
the desk, which claims it (Y2801) with every item as paid; the run's operator institution (the insurance agency,
population.operator_institution) reviews it with Y2802 — pays it, or sometimes rejects it with a reason — and the
desk reads the claim back with Y2803, which must show what the review answered.

A paid claim counts in the person's accumulations of the year: the run's closing check adds its fund rows to the
person's receipts' (closing.accumulations_check). It is no settlement of any institution: it gives no receipt.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import grpc

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.desk import identify
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.population import operator_of
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import Line, VisitScript
from yibao.simulators.his.visit_draw import treatment_place
from yibao.v1 import manual_claim_pb2 as mpb

STAY = "21"  # med_type 普通住院: the automatic temporary filing's stay benefit applies without a filing
PAID, REJECTED = "2", "3"  # claim_stas
REASON = "发票与费用明细不符，请补充材料"

_operator_sequences: dict[str, MsgidSequence] = {}  # one msgid sequence per operator for every desk's reviews
_sequences_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ClaimPaid:
    """What a paid claim moved in the person's accumulations: (fund_pay_type, fund_payamt) rows of Y2802."""

    psn_no: str
    claim_id: str
    funds: tuple[tuple[str, Decimal], ...]


def run_claim(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    patient = identify(client, world, script)
    claim = submit(client, world, script, patient.psn_no, patient.insutype, patient.insuplc_admdvs)
    operator = operator_of(world)
    if operator is None:
        raise HisCheckFailed("HIS_NO_PLACE", ["the world has no operator institution to review the claim (Y2802)"])
    reviewed = review(client, world, operator.fixmedins_code, claim.claim_id, patient.psn_no, script.has("reject"))
    back = client.call("Y2803", mpb.ManualClaimQueryInput(data=mpb.ManualClaimQueryData(
        psn_no=patient.psn_no, claim_id=claim.claim_id)), patient.psn_no).output.claim  # fmt: skip
    problems = _compare(reviewed.claim, list(back))
    if problems:
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems)
    if reviewed.claim.claim_stas == PAID:
        funds = tuple((row.fund_pay_type, Decimal(row.fund_payamt)) for row in reviewed.setldetail)
        client.keep(ClaimPaid(patient.psn_no, claim.claim_id, funds))
    return []


def submit(client: HisClient, world: World, script: VisitScript, psn_no: str, insutype: str,
           insuplc: str) -> mpb.ManualClaim:  # fmt: skip
    """Y2801: the stay's every item as paid, the invoice its total; the invoice number is new per sign-in."""
    there = treatment_place(world, insuplc)
    end = datetime.strptime(client.now_text()[:10], "%Y-%m-%d").date()
    begin = end - timedelta(days=script.days)
    dated = [(begin + timedelta(days=day), line) for day, b in enumerate(script.batches) for line in b.lines]
    items = [_item(n, line, when) for n, (when, line) in enumerate(dated, 1)]
    total = sum((line.total for b in script.batches for line in b.lines), Decimal("0.00"))
    data = mpb.ManualClaimData(psn_no=psn_no, insutype=insutype, med_type=STAY, begndate=f"{begin}",
                               enddate=f"{end}", mdtrtarea_admdvs=there.admdvs, fixmedins_code=there.fixmedins_code,
                               fixmedins_name=there.fixmedins_name, invoice_no=f"FP{client.next_ipt_otp_no()[2:]}",
                               medfee_sumamt=f"{total:.2f}")  # fmt: skip
    out = client.call("Y2801", mpb.ManualClaimInput(data=data, feedetail=items), psn_no, insutype).output
    return out.claim  # type: ignore[no-any-return]


def _item(n: int, line: Line, day: date) -> mpb.ManualClaimItem:
    return mpb.ManualClaimItem(feedetl_sn=f"{n:04d}", med_list_codg=line.med_list_codg,
                               medins_list_codg=line.med_list_codg, fee_ocur_time=f"{day} 08:00:00", cnt=line.cnt,
                               pric=line.pric, det_item_fee_sumamt=f"{line.total:.2f}",
                               hosp_appr_flag=line.hosp_appr_flag)  # fmt: skip


def review(client: HisClient, world: World, operator: str, claim_id: str, psn_no: str,
           reject: bool) -> mpb.ManualClaimOutput:  # fmt: skip
    """Y2802 by the operator, signed in for it alone; its calls count in the desk's latencies."""
    agency = agency_client(client.channel, world, operator)
    try:
        agency.sign_in()
        data = mpb.ManualClaimReviewData(claim_id=claim_id, psn_no=psn_no, action="reject" if reject else "pay",
                                         reason=REASON if reject else "")  # fmt: skip
        out = agency.call("Y2802", mpb.ManualClaimReviewInput(data=data)).output
        agency.sign_out()
    finally:
        for infno, seconds in agency.latencies.items():
            client.latencies[infno] += seconds
    return out  # type: ignore[no-any-return]


def agency_client(channel: grpc.Channel, world: World, operator: str) -> HisClient:
    """A client of the operator institution; all of them share one msgid sequence (they may call in one second)."""
    with _sequences_lock:
        sequence = _operator_sequences.setdefault(operator, MsgidSequence(start=datetime.now().microsecond))
    return HisClient(channel, world.institutions[operator], sequence=sequence)


def _compare(reviewed: mpb.ManualClaim, back: list[mpb.ManualClaim]) -> list[str]:
    if len(back) != 1:
        return [f"Y2803 gave {len(back)} claims for {reviewed.claim_id}"]
    got, want = back[0], reviewed
    fields = ("claim_stas", "medfee_sumamt", "fund_pay_sumamt", "psn_part_amt", "setl_id", "reason")
    return [f"Y2803 {f} {getattr(got, f)!r}, Y2802 answered {getattr(want, f)!r}"
            for f in fields if getattr(got, f) != getattr(want, f)]  # fmt: skip
