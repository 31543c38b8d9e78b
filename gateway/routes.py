"""Which handler serves which RPC. The infno of each RPC is read from its proto option, so the
protos stay the single source of truth and a new RPC without a handler fails at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf import symbol_database
from google.protobuf.descriptor import ServiceDescriptor
from yibao.gateway import signin
from yibao.simulators.core import fees, person_info, settlement, visits

from yibao.domain.world import HOSPITAL, PHARMACY
from yibao.v1 import envelope_pb2, outpatient_pb2, person_pb2, signin_pb2

Handler = Callable[..., Any]

HANDLERS: dict[str, tuple[Handler, tuple[str, ...]]] = {
    # infno: (handler, institution types allowed)
    "9001": (signin.sign_in, (HOSPITAL, PHARMACY)),
    "9002": (signin.sign_out, (HOSPITAL, PHARMACY)),
    "1101": (person_info.query_psn_info, (HOSPITAL, PHARMACY)),
    "2201": (visits.register, (HOSPITAL,)),
    "2202": (visits.cancel_registration, (HOSPITAL,)),
    "2203": (visits.upload_visit_info, (HOSPITAL,)),
    "2204": (fees.upload_fees, (HOSPITAL,)),
    "2205": (fees.cancel_fees, (HOSPITAL,)),
    "2206": (settlement.pre_settle, (HOSPITAL,)),
    "2207": (settlement.settle, (HOSPITAL,)),
    "2208": (settlement.cancel_settlement, (HOSPITAL,)),
}
READ_ONLY = frozenset({"1101", "2206"})  # change nothing but the journal
SERVICES: tuple[ServiceDescriptor, ...] = tuple(
    svc for mod in (signin_pb2, person_pb2, outpatient_pb2) for svc in mod.DESCRIPTOR.services_by_name.values()
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

    @property
    def read_only(self) -> bool:
        return self.infno in READ_ONLY


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
