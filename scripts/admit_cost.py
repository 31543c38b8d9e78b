"""What the checks before the transaction cost a 1101 in process: parse + `Gateway.admit` (envelope,
institution, region availability, input lengths and characters, item counts, body hash).

Run: python scripts/admit_cost.py [N]   (best of three rounds of N calls, default 5000)
"""

from __future__ import annotations

import sys
import tempfile
import timeit

from yibao.adapters.platform import build_gateway
from yibao.simulators.his.envelope import EnvelopeBuilder
from yibao.storage.store import Store
from yibao.v1 import person_pb2 as ppb
from yibao.world.loader import load_world


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    world = load_world(None)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/yibao.db")
        gateway = build_gateway(world, store)
        institution = next(iter(world.institutions.values()))
        person = next(iter(world.persons.values()))
        query = ppb.PsnInfoQuery(
            mdtrt_cert_type="02", mdtrt_cert_no=person.certno, psn_cert_type="01", certno=person.certno
        )
        request = ppb.QueryPsnInfoRequest(
            header=EnvelopeBuilder(institution).header("1101"), input=ppb.QueryPsnInfoInput(data=query)
        )
        raw, route = request.SerializeToString(), gateway.routes["1101"]
        if gateway.admit(route, request).refusal is not None:
            print("the request is refused; nothing to time")
            return 1
        best = min(timeit.timeit(lambda: gateway.admit(route, gateway.parse(route, raw)), number=n) for _ in range(3))
        print(f"parse + admit of a 1101: {best / n * 1e6:.1f} µs a call (best of 3 × {n})")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
