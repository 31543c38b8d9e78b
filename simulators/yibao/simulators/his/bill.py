"""The institution's price list and bills: what a line costs and which items a visit bills."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yibao.domain.catalogue_split import CatalogueItem

FEN = Decimal("0.01")
# The hospital's price relative to the catalogue's price cap; above 1 the over-cap split applies.
CAP_FACTORS = (Decimal("0.80"), Decimal("0.90"), Decimal("1.00"), Decimal("1.00"), Decimal("1.20"))
DRUG_COUNTS = ("1", "1", "2", "3", "0.5", "1.5")  # halves: split packs (拆零), exercise fen rounding


def fen(value: Decimal) -> Decimal:
    """The HIS rounds line totals itself (ROUND_HALF_UP), independently of the platform's code."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def is_drug(item: CatalogueItem) -> bool:
    return item.list_type.startswith("1")


def is_consumable(item: CatalogueItem) -> bool:
    return item.list_type.startswith("3")


@dataclass(frozen=True, slots=True)
class BillLine:
    item: CatalogueItem
    cnt: Decimal
    pric: Decimal
    hosp_appr_flag: str

    @property
    def total(self) -> Decimal:
        return fen(self.cnt * self.pric)


def list_price(item: CatalogueItem) -> Decimal:
    """The hospital's price for an item: fixed per item, like a real price list, not a dice roll."""
    h = int.from_bytes(hashlib.sha256(item.med_list_codg.encode()).digest()[:4], "big")
    if item.pric_uplmt_amt is not None:
        return fen(item.pric_uplmt_amt * CAP_FACTORS[h % len(CAP_FACTORS)])
    return Decimal(200 + h % 19_800) * FEN  # 2.00 – 199.99


def draw_count(item: CatalogueItem, rng: random.Random) -> Decimal:
    if is_drug(item):
        return Decimal(rng.choice(DRUG_COUNTS))
    if is_consumable(item):
        return Decimal(rng.choice(("1", "2")))
    return Decimal(1)  # services


def draw_approval(item: CatalogueItem, rng: random.Random) -> str:
    """Restricted items (限制使用) are sometimes approved by the hospital, sometimes not."""
    return "1" if item.lmt_used_flag == "1" and rng.random() < 0.5 else "0"


def draw_bill(catalogue: Mapping[str, CatalogueItem], rng: random.Random) -> list[BillLine]:
    """3–6 distinct items of the treatment place's catalogue (fewer if it is smaller)."""
    entries = list(catalogue.values())
    lines = []
    for item in rng.sample(entries, min(len(entries), rng.randint(3, 6))):
        cnt = draw_count(item, rng)
        lines.append(BillLine(item, cnt, list_price(item), draw_approval(item, rng)))
    return lines
