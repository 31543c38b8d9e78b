"""Benefit policy of the insured place: which deductible, ratio and annual cap apply, the funds
stacked above the pooled fund, and how cross-region care changes the standard (docs/reference/policy.md,
"Which rules apply to a settlement"; seeds 003 art. 18–21, 002)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from yibao.domain.emergency import EmergencyDisease

ANY = "*"
ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class BenefitRule:
    """One row of an insured place's benefit table.

    Matching: insutype exactly; psn_types / med_types / hosp_lvs contain the value or ANY.
    The first matching rule of a region wins, so list specific rules before general ones.
    The annual cap is per calendar year and per accum_group: rules that share a group (e.g. 11
    普通门诊 and 13 急诊) share the person's yearly cap. The deductible is yearly per group too,
    unless `per_stay` (inpatient: 起付线 per admission).
    """

    insutype: str
    med_types: tuple[str, ...]
    accum_group: str
    deductible: Decimal
    ratio: Decimal
    annual_cap: Decimal
    psn_types: tuple[str, ...] = (ANY,)
    hosp_lvs: tuple[str, ...] = (ANY,)
    per_stay: bool = False
    fund: str = ""  # the fund paying the rule's share when not the insutype's pooled one: 510100 生育基金

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


# ---- the fund stack above the pooled fund (each optional per region)


@dataclass(frozen=True, slots=True)
class LargeAmount:
    """职工大额医疗费用补助 (330100): pays `ratio` of the in-scope amount the pooled fund's cap left over."""

    ratio: Decimal
    annual_cap: Decimal


@dataclass(frozen=True, slots=True)
class CriticalIllness:
    """城乡居民大病保险 (390200): on the person's in-scope share, above its own yearly deductible."""

    deductible: Decimal
    ratio: Decimal
    annual_cap: Decimal


@dataclass(frozen=True, slots=True)
class CivilServant:
    """公务员医疗补助 (320100): `ratio` of the person's remaining in-scope share, for cvlserv_flag 1."""

    ratio: Decimal


@dataclass(frozen=True, slots=True)
class Assistance:
    """医疗救助 (610100): for hardship groups (idetinfo psn_idet_type), `ratio` of what is left in scope."""

    idet_types: tuple[str, ...]
    ratio: Decimal
    annual_cap: Decimal


@dataclass(frozen=True, slots=True)
class FundStack:
    large_amount: LargeAmount | None = None
    critical_illness: CriticalIllness | None = None
    civil_servant: CivilServant | None = None
    assistance: Assistance | None = None
    family_account_floor: Decimal = Decimal("2000.00")  # 家庭共济: only the balance above this is shared


# ---- cross-region care


class FilingKind:
    """Cross-region filing types (Yibao codes, documented in docs/behaviour.md)."""

    RELOCATED_RETIREE = "11"
    LONG_TERM_RESIDENT = "12"
    RESIDENT_WORKER = "13"
    OTHER_LONG_TERM = "19"
    EMERGENCY = "21"
    REFERRAL = "22"
    TEMPORARY = "23"
    STUDENT = "31"
    LONG_TERM = frozenset({"11", "12", "13", "19"})
    HOME_STANDARD = LONG_TERM | {"31"}
    NAMES: ClassVar[dict[str, str]] = {
        "11": "异地安置退休",
        "12": "异地长期居住",
        "13": "常驻异地工作",
        "19": "其他长期",
        "21": "急诊抢救",
        "22": "转诊转院",
        "23": "其他临时外出",
        "31": "异地就读学生",
    }


@dataclass(frozen=True, slots=True)
class TemporaryOverride:
    """A region's own temporary-outing standard, e.g. Fushun art. 21: inpatient 3000/stay, 60% / 50%."""

    filing_kinds: tuple[str, ...]
    category: str  # inpatient | outpatient
    deductible: Decimal
    per_stay: bool
    ratios: Mapping[str, Decimal]  # by insutype


# National principle [002]: for referral and emergency the ratio is at most 10 points below the local
# one, for other temporary outings at most 20 (docs/reference/policy.md, "Which rules apply to a settlement").
RATIO_CUT_CEILING: Mapping[str, Decimal] = {"21": Decimal("0.10"), "22": Decimal("0.10"), "23": Decimal("0.20")}


@dataclass(frozen=True, slots=True)
class CrossRegionPolicy:
    # By default each temporary type is lowered by exactly its national ceiling.
    ratio_cut: Mapping[str, Decimal] = field(default_factory=lambda: dict(RATIO_CUT_CEILING))
    overrides: tuple[TemporaryOverride, ...] = ()
    no_filing_in_province: bool = False  # e.g. Putian: 省内异地就医免备案 [004]
    referral_months: int = 12  # how long a referral holds for repeated treatment: one year in Yantai [001]
    # 困难群体: identities (idetinfo psn_idet_type) whose temporary inpatient care in the province keeps the
    # local standard, the deductible counted continuously [003 art. 21]; the loader defaults it to the
    # assistance fund's idet_types
    hardship_idet_types: tuple[str, ...] = ()
    # diseases whose flagged emergency counts as an emergency filing [003 art. 8]; () = the flag alone
    emergency_diseases: tuple[EmergencyDisease, ...] = ()


@dataclass(frozen=True, slots=True)
class Benefit:
    """The standard that applies to one settlement, after cross-region adjustments."""

    deductible: Decimal
    ratio: Decimal
    annual_cap: Decimal
    per_stay: bool
    accum_group: str
    basis: str  # why, in words
    fund: str = ""  # the rule's fund when not the pooled one (maternity: 510100)


MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # Beijing, Tianjin, Shanghai, Chongqing: one city each


def locality(treatment_admdvs: str, insured_admdvs: str) -> str:
    """Same city (4 digits; a municipality on 2) = local; same province (2 digits) = in_province;
    else cross_province (docs/reference/interface.md §7, HSA's classification)."""
    same_city = 2 if treatment_admdvs[:2] in MUNICIPALITIES else 4
    if treatment_admdvs[:same_city] == insured_admdvs[:same_city]:
        return "local"
    if treatment_admdvs[:2] == insured_admdvs[:2]:
        return "in_province"
    return "cross_province"


def home(rule: BenefitRule, basis: str) -> Benefit:
    return Benefit(rule.deductible, rule.ratio, rule.annual_cap, rule.per_stay, rule.accum_group, basis, rule.fund)


TEMPORARY_KINDS = frozenset({FilingKind.EMERGENCY, FilingKind.REFERRAL, FilingKind.TEMPORARY})


def keeps_local_standard_in_province(
    policy: CrossRegionPolicy, kind: str, category: str, idet_types: Iterable[str]
) -> bool:
    """A hardship-group member's temporary inpatient care elsewhere in the insured province [003 art. 21]."""
    hardship = bool(set(idet_types) & set(policy.hardship_idet_types))
    return kind in TEMPORARY_KINDS and category == "inpatient" and hardship


def hardship_benefit(rule: BenefitRule, kind: str) -> Benefit:
    """The local standard with the deductible counted continuously [003 art. 21]: once a year in the rule's
    group across the person's in-province stays, not again for each stay (per_stay off)."""
    return Benefit(
        rule.deductible,
        rule.ratio,
        rule.annual_cap,
        False,
        rule.accum_group,
        f"{FilingKind.NAMES.get(kind, kind)}：困难群体省内异地住院，执行参保地本地待遇，起付线连续计算",
        rule.fund,
    )


def cross_region_benefit(
    rule: BenefitRule, policy: CrossRegionPolicy, kind: str, category: str, insutype: str
) -> Benefit:
    """The insured place's standard for a cross-region settlement under filing type `kind`."""
    name = FilingKind.NAMES.get(kind, kind)
    if kind in FilingKind.HOME_STANDARD:
        return home(rule, f"{name}：执行参保地本地待遇")
    for o in policy.overrides:
        if _has(o.filing_kinds, kind) and o.category == category and insutype in o.ratios:
            return Benefit(
                o.deductible,
                o.ratios[insutype],
                rule.annual_cap,
                o.per_stay,
                rule.accum_group,
                f"{name}：参保地临时外出就医标准，起付线 {o.deductible}{'/次' if o.per_stay else '/年'}，"
                f"比例 {o.ratios[insutype]}",
                rule.fund,
            )
    cut = policy.ratio_cut.get(kind, ZERO)
    ratio = max(ZERO, rule.ratio - cut)
    return Benefit(
        rule.deductible,
        ratio,
        rule.annual_cap,
        rule.per_stay,
        rule.accum_group,
        f"{name}：本地比例 {rule.ratio} 降低 {cut} = {ratio}",
        rule.fund,
    )


# ---- the national ceiling on temporary-outing ratios, checked when a world is loaded


def ratio_cut_above_ceiling(kind: str, cut: Decimal) -> Decimal | None:
    """The ceiling `cut` exceeds for filing type `kind`, or None when it keeps to it."""
    ceiling = RATIO_CUT_CEILING.get(kind)
    return ceiling if ceiling is not None and cut > ceiling else None


def _category_of(med_type: str) -> str:
    return "inpatient" if med_type[:1] == "2" else "outpatient" if med_type[:1] == "1" else ""


@dataclass(frozen=True, slots=True)
class CeilingBreach:
    """An override whose ratio lies further below a local ratio than the national ceiling allows."""

    override: int  # index in CrossRegionPolicy.overrides
    rule: int  # index in the region's benefit table
    kind: str
    insutype: str
    local: Decimal
    temporary: Decimal
    ceiling: Decimal

    def describe(self) -> str:
        who = "other temporary outings" if self.kind == FilingKind.TEMPORARY else "referral and emergency"
        return (
            f"filing type {self.kind} ({FilingKind.NAMES[self.kind]}), insutype {self.insutype}: ratio "
            f"{self.temporary} is {_points(self.local - self.temporary)} points below the local ratio {self.local} "
            f"of benefits[{self.rule}]; the national ceiling for {who} is {_points(self.ceiling)} points"
        )


def _points(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


def override_breaches(policy: CrossRegionPolicy, rules: Sequence[BenefitRule]) -> list[CeilingBreach]:
    """Each (override, filing type, insutype, local rule of the override's category) whose temporary ratio
    is more than the national ceiling below the local ratio [002]. A rule counts for a category when one
    of its med_types is of it (1x outpatient, 2x inpatient); rules for any med_type ("*") count for both."""
    found = []
    for o_idx, o in enumerate(policy.overrides):
        for kind in o.filing_kinds:
            ceiling = RATIO_CUT_CEILING.get(kind)
            if ceiling is None:
                continue
            for insutype, temporary in o.ratios.items():
                for r_idx, r in enumerate(rules):
                    in_category = ANY in r.med_types or any(_category_of(m) == o.category for m in r.med_types)
                    if r.insutype == insutype and in_category and r.ratio - temporary > ceiling:
                        found.append(CeilingBreach(o_idx, r_idx, kind, insutype, r.ratio, temporary, ceiling))
    return found
