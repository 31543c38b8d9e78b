"""What personal data at rest and the tamper-evident journal (docs/security.md) cost a call on the hot path, timed in
process on a temporary SQLite store (`yibao bench` prints it): sealing the values a 1101 writes — the journal's
request, reply and err_msg, the message store's reply — and linking its journal row to the chain (head read, HMAC,
head update). A settled outpatient visit seals more (its visit, settlement output, undo images): about five
values a call on average."""

from __future__ import annotations

import tempfile
import timeit
from pathlib import Path

from yibao.domain.world import HOSPITAL
from yibao.simulators.his.envelope import EnvelopeBuilder
from yibao.storage.journal_chain import ADVANCE_HEAD, FREE_HEAD, JOURNAL_DEFAULTS, ChainHead, row_mac
from yibao.storage.store import Store, Tx
from yibao.v1 import person_pb2
from yibao.world.loader import load_world

SEALED_A_1101 = ("journal.request", "journal.reply", "journal.err_msg", "message.reply")


def at_rest_cost(reply: bytes, repeat: int = 5_000) -> dict[str, float]:
    """µs per 1101 whose reply is `reply`: sealing its four values, linking its journal row, and both."""
    world = load_world(None)
    hospital = next(i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL)
    person = next(iter(world.persons.values()))
    query = person_pb2.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no=person.certno, certno=person.certno)
    header = EnvelopeBuilder(hospital).header("1101")
    request = person_pb2.QueryPsnInfoRequest(header=header, input=person_pb2.QueryPsnInfoInput(data=query))
    request_bytes = request.SerializeToString()
    values = dict(zip(SEALED_A_1101, (request_bytes, reply, b"", reply), strict=True))
    row = {**JOURNAL_DEFAULTS, "received_at": "20260315100000000", "infno": "1101", "msgid": "H" * 30,
           "fixmedins_code": hospital.fixmedins_code, "outcome": "ok", "duration_us": 1000, "request": request_bytes,
           "reply": reply, "psn_no": person.psn_no}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="yibao-at-rest-") as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'cost.db'}")
        sealer = store.sealer

        def seal() -> None:
            for context, value in values.items():
                sealer.seal(value, context.encode())

        def link(tx: Tx) -> None:  # as Tx.journal does before its insert
            head = tx.one(FREE_HEAD, {}, ChainHead)
            assert head is not None
            mac = row_mac(store.chain_key, head.mac, head.chain, head.chain_seq + 1, row)
            tx.run(ADVANCE_HEAD, {"b_chain": head.chain, "b_seq": head.chain_seq + 1, "b_mac": mac})

        try:
            seal_us = min(timeit.repeat(seal, number=repeat, repeat=3)) / repeat * 1e6
            with store.write() as tx:
                chain_us = min(timeit.repeat(lambda: link(tx), number=repeat, repeat=3)) / repeat * 1e6
        finally:
            store.close()
    return {"total_us": seal_us + chain_us, "seal_us": seal_us, "chain_us": chain_us, "values": len(values)}
