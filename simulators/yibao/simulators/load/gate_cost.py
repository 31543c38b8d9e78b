"""What the admission gate (gateway/yibao/gateway/gate.py) costs a call on the hot path, timed in process: the
guide wants every feature on the hot path to report its cost per call (`yibao bench` prints it)."""

from __future__ import annotations

import timeit

from yibao.domain.world import HOSPITAL
from yibao.gateway.gate import Gate, set_deadline
from yibao.gateway.routes import build_routes
from yibao.gateway.server import institution_of
from yibao.simulators.core.handlers import HANDLERS
from yibao.simulators.his.envelope import EnvelopeBuilder
from yibao.v1 import person_pb2
from yibao.world.loader import load_world


def gate_cost(repeat: int = 200_000) -> dict[str, float]:
    """µs per call of what the gate adds on the hot path, timed in process: reading the institution from the
    request's bytes, and entering and leaving the gate when no call waits."""
    world = load_world(None)
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL)
    request = person_pb2.QueryPsnInfoRequest(header=EnvelopeBuilder(hospital).header("1101"),
                                             input=person_pb2.QueryPsnInfoInput()).SerializeToString()  # fmt: skip
    route = build_routes(HANDLERS)["1101"]
    gate = Gate()

    def through() -> None:  # as the gRPC handler does, but for reading the deadline off its context
        entered = gate.enter(institution_of(route, request), None)
        set_deadline(None)
        gate.leave(entered)

    per = min(timeit.repeat(through, number=repeat, repeat=3)) / repeat * 1e6
    read = min(timeit.repeat(lambda: institution_of(route, request), number=repeat, repeat=3)) / repeat * 1e6
    return {"total_us": per, "header_us": read, "gate_us": per - read}
