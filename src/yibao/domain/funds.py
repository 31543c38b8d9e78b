"""Fund codes (fund_pay_type, docs/reference/interface.md §8) and which fund is the pooled fund of an insutype."""

from __future__ import annotations

FUND_NAMES: dict[str, str] = {
    "310100": "城镇职工基本医疗保险统筹基金",
    "310200": "城镇职工基本医疗保险个人账户基金",
    "320100": "公务员医疗补助基金",
    "330100": "大额医疗费用补助基金",
    "390100": "城乡居民基本医疗保险基金",
    "390200": "城乡居民大病医疗保险基金",
    "610100": "医疗救助基金",
    "510100": "生育基金",
}

MATERNITY_FUND = "510100"  # pays maternity care (med_type 51/52) where a region's rule names it [003 art. 3, 19]

POOLED_FUND: dict[str, str] = {"310": "310100", "390": "390100"}

# Only employee insurance has a personal account (个人账户).
ACCOUNT_INSUTYPES = frozenset({"310"})
