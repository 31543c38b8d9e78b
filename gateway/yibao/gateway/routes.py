"""Which handler serves which RPC. The transactions come from the protos (yibao.transactions); the
gateway serves sign-in and region availability itself and is given the settlement core's handlers
when the platform is assembled (yibao.adapters.platform), so it never imports the core."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from yibao.domain.world import HOSPITAL, PHARMACY
from yibao.gateway import file_service, region_service, signin
from yibao.transactions import transactions

Handler = Callable[..., Any]
# infno: (handler, institution types allowed)
HandlerTable = Mapping[str, tuple[Handler, tuple[str, ...]]]

GATEWAY_HANDLERS: HandlerTable = {
    # the platform's own transactions; the settlement core brings the rest (yibao.simulators.core.handlers)
    "9001": (signin.sign_in, (HOSPITAL, PHARMACY)),
    "9002": (signin.sign_out, (HOSPITAL, PHARMACY)),
    "9101": (file_service.upload, (HOSPITAL, PHARMACY)),
    "9102": (file_service.download, (HOSPITAL, PHARMACY)),
    "Y9101": (region_service.query_region_status, (HOSPITAL, PHARMACY)),
    "Y9102": (region_service.set_region_status, (HOSPITAL, PHARMACY)),  # operators only, checked inside
}


@dataclass(frozen=True, slots=True)
class Route:
    infno: str
    service: str  # full service name, e.g. yibao.v1.OutpatientService
    method: str
    request_cls: type[Message]
    reply_cls: type[Message]
    handler: Handler
    institution_types: tuple[str, ...]


def build_routes(core_handlers: HandlerTable) -> dict[str, Route]:
    """Routes by infno: every transaction of the protos bound to the gateway's or the core's handler.
    A transaction without a handler, or a handler without a transaction, fails at start-up."""
    handlers = {**GATEWAY_HANDLERS, **core_handlers}
    table = transactions()
    if missing := [f"{tx.path} (infno {tx.infno})" for tx in table.values() if tx.infno not in handlers]:
        raise RuntimeError(f"no handler for {', '.join(missing)}")
    if extra := sorted(set(handlers) - set(table)):
        raise RuntimeError(f"handlers for infnos no proto declares: {', '.join(extra)}")
    return {
        infno: Route(infno, tx.service, tx.method, tx.request_cls, tx.reply_cls, *handlers[infno])
        for infno, tx in table.items()
    }
