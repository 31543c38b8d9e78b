"""Benefit policy of the insured place: which deductible, ratio and annual cap apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ANY = "*"


@dataclass(frozen=True, slots=True)
class BenefitRule:
    """One row of an insured place's benefit table.

    Matching: insutype exactly; psn_types / med_types / hosp_lvs contain the value or ANY.
    The first matching rule of a region wins, so list specific rules before general ones.
    The deductible and the annual cap are per calendar year and per accum_group: rules that share
    a group (e.g. 11 普通门诊 and 13 急诊) share the person's yearly deductible and cap.
    """

    insutype: str
    med_types: tuple[str, ...]
    accum_group: str
    deductible: Decimal
    ratio: Decimal
    annual_cap: Decimal
    psn_types: tuple[str, ...] = (ANY,)
    hosp_lvs: tuple[str, ...] = (ANY,)

    def matches(self, insutype: str, psn_type: str, med_type: str, hosp_lv: str) -> bool:
        return (
            self.insutype == insutype
            and _has(self.med_types, med_type)
            and _has(self.psn_types, psn_type)
            and _has(self.hosp_lvs, hosp_lv)
        )


def _has(values: tuple[str, ...], value: str) -> bool:
    return ANY in values or value in values


def find_rule(
    rules: Sequence[BenefitRule], insutype: str, psn_type: str, med_type: str, hosp_lv: str
) -> BenefitRule | None:
    return next((r for r in rules if r.matches(insutype, psn_type, med_type, hosp_lv)), None)
