"""Which handler serves which RPC. The infno of each RPC is read from its proto option, so the
protos stay the single source of truth and a new RPC without a handler fails at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf import symbol_database
from google.protobuf.descriptor import ServiceDescriptor

from yibao.domain.world import HOSPITAL, PHARMACY
from yibao.gateway import region_service, signin
from yibao.simulators.core import (
    clearing,
    fees,
    filings,
    inpatient,
    person_info,
    pharmacy,
    queries,
    reconciliation,
    refunds,
    reversal,
    settlement,
    visits,
)
from yibao.simulators.core.undo_log import undoable
from yibao.v1 import (
    clearing_pb2,
    envelope_pb2,
    filing_pb2,
    inpatient_pb2,
    outpatient_pb2,
    person_pb2,
    pharmacy_pb2,
    query_pb2,
    reconciliation_pb2,
    region_pb2,
    reversal_pb2,
    signin_pb2,
)

Handler = Callable[..., Any]

HANDLERS: dict[str, tuple[Handler, tuple[str, ...]]] = {
    # infno: (handler, institution types allowed)
    "9001": (signin.sign_in, (HOSPITAL, PHARMACY)),
    "9002": (signin.sign_out, (HOSPITAL, PHARMACY)),
    "1101": (person_info.query_psn_info, (HOSPITAL, PHARMACY)),
    "2201": (undoable(visits.register), (HOSPITAL,)),
    "2202": (undoable(visits.cancel_registration), (HOSPITAL,)),
    "2203": (undoable(visits.upload_visit_info), (HOSPITAL,)),
    "2204": (undoable(fees.upload_fees), (HOSPITAL,)),
    "2205": (undoable(fees.cancel_fees), (HOSPITAL,)),
    "2206": (settlement.pre_settle, (HOSPITAL,)),
    "2207": (undoable(settlement.settle), (HOSPITAL,)),
    "2208": (undoable(settlement.cancel_settlement), (HOSPITAL,)),
    "2401": (undoable(inpatient.admit), (HOSPITAL,)),
    "2402": (undoable(inpatient.discharge), (HOSPITAL,)),
    "2403": (undoable(inpatient.change_admission), (HOSPITAL,)),
    "2404": (undoable(inpatient.cancel_admission), (HOSPITAL,)),
    "2405": (undoable(inpatient.cancel_discharge), (HOSPITAL,)),
    "2301": (undoable(inpatient.upload_fees), (HOSPITAL,)),
    "2302": (undoable(inpatient.cancel_fees), (HOSPITAL,)),
    "2303": (inpatient.pre_settle, (HOSPITAL,)),
    "2304": (undoable(inpatient.settle), (HOSPITAL,)),
    "2305": (undoable(inpatient.cancel_settlement), (HOSPITAL,)),
    "2101": (pharmacy.pre_settle, (PHARMACY,)),
    "2102": (undoable(pharmacy.settle), (PHARMACY,)),
    "2103": (undoable(pharmacy.cancel_settlement), (PHARMACY,)),
    "5203": (queries.query_setl_info, (HOSPITAL, PHARMACY)),
    "Y9101": (region_service.query_region_status, (HOSPITAL, PHARMACY)),
    "Y9102": (region_service.set_region_status, (HOSPITAL, PHARMACY)),  # operators only, checked inside
    "2501": (undoable(filings.refer), (HOSPITAL,)),
    "2502": (undoable(filings.revoke_referral), (HOSPITAL,)),
    "2503": (undoable(filings.file_chronic), (HOSPITAL,)),
    "2504": (undoable(filings.revoke_chronic), (HOSPITAL,)),
    "2505": (undoable(filings.file_designation), (HOSPITAL,)),
    "2506": (undoable(filings.revoke_designation), (HOSPITAL,)),
    "5301": (filings.query_chronic, (HOSPITAL, PHARMACY)),
    "5302": (filings.query_designations, (HOSPITAL, PHARMACY)),
    "Y2505": (filings.change_filing, (HOSPITAL,)),
    "Y2506": (filings.review_commitment, (HOSPITAL,)),  # the insured-place agency's decision, simulated
    "2601": (reversal.reverse, (HOSPITAL, PHARMACY)),
    "Y5203": (reversal.query_message, (HOSPITAL, PHARMACY)),
    "Y2208": (refunds.refund_items, (HOSPITAL, PHARMACY)),
    "3201": (reconciliation.check_totals, (HOSPITAL, PHARMACY)),
    "3202": (reconciliation.check_details, (HOSPITAL, PHARMACY)),
    "Y3270": (clearing.clear, (HOSPITAL, PHARMACY)),  # operators only, checked inside
    "Y3271": (clearing.query_statements, (HOSPITAL, PHARMACY)),
    "Y3272": (clearing.prepayment_call, (HOSPITAL, PHARMACY)),
}
SERVICES: tuple[ServiceDescriptor, ...] = tuple(
    svc
    for mod in (
        signin_pb2,
        person_pb2,
        outpatient_pb2,
        inpatient_pb2,
        pharmacy_pb2,
        query_pb2,
        region_pb2,
        filing_pb2,
        reversal_pb2,
        reconciliation_pb2,
        clearing_pb2,
    )
    for svc in mod.DESCRIPTOR.services_by_name.values()
)


@dataclass(frozen=True, slots=True)
class Route:
    infno: str
    service: str  # full service name, e.g. yibao.v1.OutpatientService
    method: str
    request_cls: type
    reply_cls: type
    handler: Handler
    institution_types: tuple[str, ...]


def build_routes() -> dict[str, Route]:
    """Routes by infno."""
    db = symbol_database.Default()
    routes: dict[str, Route] = {}
    for svc in SERVICES:
        for m in svc.methods:
            infno = m.GetOptions().Extensions[envelope_pb2.infno]
            if infno not in HANDLERS:
                raise RuntimeError(f"{svc.full_name}/{m.name} (infno {infno!r}) has no handler")
            handler, kinds = HANDLERS[infno]
            routes[infno] = Route(
                infno,
                svc.full_name,
                m.name,
                db.GetSymbol(m.input_type.full_name),
                db.GetSymbol(m.output_type.full_name),
                handler,
                kinds,
            )
    return routes
