"""How many fee items one call may carry, checked before the transaction (`Gateway.admit`): a call over the limit
is refused without touching the store and without holding the writer (docs/limits.md; the limit and why:
src/yibao/domain/fee_limits.py).

The lists counted are the fee items of each transaction: 2204 and 2301 `feedetail`, 2101/2102 `drugdetail`,
Y2208 `refddetail` and 2302 `data` (one line per item to cancel). What one settlement may cover is the core's
check (simulators/yibao/simulators/core/fees.py, inpatient.py, settlement.py).
"""

from __future__ import annotations

from google.protobuf.message import Message

from yibao.domain.fee_limits import FEE_ITEMS_PER_CALL
from yibao.errors import Refusal
from yibao.v1 import inpatient_pb2, outpatient_pb2, pharmacy_pb2, reversal_pb2

# input message → its list of fee items
ITEM_LISTS: dict[str, str] = {
    outpatient_pb2.UploadFeeDetailsInput.DESCRIPTOR.full_name: "feedetail",  # 2204
    inpatient_pb2.InpatientFeeInput.DESCRIPTOR.full_name: "feedetail",  # 2301
    inpatient_pb2.InpatientFeeCancelInput.DESCRIPTOR.full_name: "data",  # 2302
    pharmacy_pb2.PharmacySettleInput.DESCRIPTOR.full_name: "drugdetail",  # 2101, 2102
    reversal_pb2.RefundItemsInput.DESCRIPTOR.full_name: "refddetail",  # Y2208
}


def check_item_count(inp: Message, path: str = "input") -> None:
    """Refuse an input whose list of fee items is longer than one call may carry."""
    name = ITEM_LISTS.get(inp.DESCRIPTOR.full_name)
    if name is None:
        return
    count = len(getattr(inp, name))
    if count > FEE_ITEMS_PER_CALL:
        raise Refusal("ENV_TOO_MANY_ITEMS", f"{path}.{name}", count=count, max=FEE_ITEMS_PER_CALL)
