"""A cross-region settlement refunded and settled again under another filing [003 art. 26].

Art. 26: once a cross-region case is settled directly, it must not be refunded merely because the benefits
differ (待遇差). A HIS cannot be trusted to say so (`refd_rea` 03 is a Yibao field few send), so the platform
reads what the HIS does: a cross-region settlement refunded, then the same items settled again for the same
person at the same institution, under another filing (another trt_dcla_detl_sn, or one where there was none).
"Same items": the same fee lines (feedetl_sn) of the same visit, or the same multiset of catalogue codes and
line totals, wherever they were uploaded again. Pure: the core gathers the refunded settlements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Item = tuple[str, int]  # med_list_codg, line total in fen


def items_of(lines: Iterable[Item]) -> Counter[Item]:
    return Counter(lines)


@dataclass(frozen=True, slots=True)
class RefundedSettlement:
    setl_id: str
    mdtrt_id: str
    filing_sn: str  # the filing it was settled under ("" for none)
    fee_sns: frozenset[str]
    items: Counter[Item]


def resettled_under_another_filing(
    refunded: Sequence[RefundedSettlement], mdtrt_id: str, fee_sns: Iterable[str], items: Counter[Item], filing_sn: str
) -> RefundedSettlement | None:
    """The refunded settlement whose items are settled again now under `filing_sn`, another filing, if any."""
    sns = frozenset(fee_sns)
    for r in refunded:
        same = (r.mdtrt_id == mdtrt_id and bool(r.fee_sns & sns)) or (bool(items) and r.items == items)
        if same and r.filing_sn != filing_sn:
            return r
    return None
