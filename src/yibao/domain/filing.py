"""Cross-region filings (异地就医备案): where a filing is valid, for how long, and what may be done to it.

Pure rules [003 art. 6–16; 000 4–11]; the store and the transactions are in simulators/yibao/simulators/core/filings.py.
Dates are calendar days; a validity runs from `begndate` to its last day, both inclusive.

- A filing is made to a city or municipality (or, art. 15, a province) and is valid at every
  networked institution whose region falls in it: municipalities (11 北京, 12 天津, 31 上海,
  50 重庆) and provinces (xx0000) match on the first 2 digits of admdvs, other cities on 4.
- Long-term filings (11/12/13/19) are valid until changed and cannot be changed or cancelled
  within 6 months of taking effect; students (31) are valid until changed too, without the lock.
- Temporary filings (21/22/23) end on `enddate`, by default 6 months after they begin.
- A stay counts if it was admitted inside the validity, wherever discharge and settlement fall;
  a filing made after admission but before the discharge settlement covers that stay too.
- Commitment filings (承诺制): material due 6 months after taking effect; if it is not supplied by
  then, or found false, the filing is cancelled and the person may not file by commitment for
  12 months from that day.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from yibao.domain.benefit_policy import ANY, BenefitRule, FilingKind
from yibao.errors import Refusal

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # 直辖市: filed and matched as one city
LOCK_MONTHS = 6  # no change or cancel of a long-term filing within 6 months of taking effect [art. 16]
TEMPORARY_MONTHS = 6  # default validity of a temporary filing given without enddate (Yibao choice)
REFERRAL_MONTHS = 12  # a referral holds for repeated treatment for one year [001 item 3.3]; per region
MATERIAL_MONTHS = 6  # commitment material is due 6 months after the filing takes effect [art. 14]
BAN_MONTHS = 12  # no commitment filing for 12 months after a lapse or a false commitment [art. 7, 14]

LONG_TERM = FilingKind.LONG_TERM
TEMPORARY = frozenset({FilingKind.EMERGENCY, FilingKind.REFERRAL, FilingKind.TEMPORARY})
OPEN_ENDED = LONG_TERM | {FilingKind.STUDENT}  # valid until changed
COMMITMENT_KINDS = OPEN_ENDED  # the types that need proof (residence, housing, work, school) [art. 7, 14]
KINDS = OPEN_ENDED | TEMPORARY
STUDENT_PSN_TYPES = frozenset({"1403", "1404"})  # 中小学生, 大学生 (resident insurance)
CHRONIC_PREFIX = "14:"  # benefit rules of chronic diseases are keyed med_type 14:<opsp_dise_code>

# 2505 biz_appy_type → the filing types it may carry; the first is the default when fil_type is empty.
BIZ_KINDS: dict[str, tuple[str, ...]] = {
    "06": ("22",),  # 转诊转院
    "07": ("21", "23"),  # 异地急诊住院登记: emergency rescue, other temporary outings
    "08": ("11", "12", "13", "19", "31"),  # 异地安置登记: long-term residence and students
    # 门诊慢特病登记, read as the chronic-disease cross-region filing [003 art. 12]: a long-term filing opens
    # inpatient and general outpatient care only; chronic and special diseases need this one besides
    "01": ("12", "11", "13", "19"),
}
BIZ_NAMES = {"06": "转诊转院", "07": "异地急诊住院登记", "08": "异地安置登记", "01": "门诊慢特病异地就医登记"}
CHRONIC_BIZ = "01"


def biz_appy_type_of(kind: str) -> str:
    return next(biz for biz, kinds in BIZ_KINDS.items() if kind in kinds)


class Status:
    """fil_stas: what became of a filing (it stays in the table, so past stays keep their filing)."""

    ACTIVE = "1"  # 有效 (validity may still lie ahead or have run out: see vali_flag)
    CHANGED = "2"  # 已变更: replaced by a new version (Y2505)
    REVOKED = "3"  # 已撤销 (2502 / 2504 / 2506)
    CANCELLED = "4"  # 已取消 by the insured-place agency: commitment material lapsed or false
    NAMES: ClassVar[dict[str, str]] = {"1": "有效", "2": "已变更", "3": "已撤销", "4": "已取消"}
    NAMES_EN: ClassVar[dict[str, str]] = {"1": "active", "2": "changed", "3": "revoked", "4": "cancelled"}


class Material:
    """matl_stas of a commitment filing ("" for a filing made with full material)."""

    AWAITED = "0"  # 待补充
    SUPPLIED = "1"  # 已补充 (reviewed and confirmed)
    FALSE = "2"  # 虚假 (found false on review)
    LAPSED = "3"  # 逾期未补充
    NAMES: ClassVar[dict[str, str]] = {"": "", "0": "待补充", "1": "已补充", "2": "虚假", "3": "逾期未补充"}


@dataclass(frozen=True, slots=True)
class Filing:
    """One cross-region filing (one version: a change closes it and opens a new one)."""

    trt_dcla_detl_sn: str
    psn_no: str
    insutype: str
    kind: str  # fil_type: FilingKind code
    area: str  # mdtrtarea_admdvs: the city, municipality or province filed to (see area_of)
    begndate: date  # takes effect
    enddate: date | None  # None: valid until changed
    filed_on: date  # the day it was made (decides a late filing)
    status: str = Status.ACTIVE
    stop_date: date | None = None  # changed / revoked / cancelled: first day it no longer covers
    commitment: bool = False
    material: str = ""
    material_due: date | None = None
    chronic: bool = False  # a chronic-disease cross-region filing (biz_appy_type 01) [003 art. 12]

    @property
    def last_day(self) -> date | None:
        """The last day an admission counts (None: open-ended)."""
        return last_day(self.enddate, self.stop_date)

    def valid_on(self, day: date) -> bool:
        return valid_on(self.begndate, self.last_day, day)

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


def last_day(enddate: date | None, stop_date: date | None) -> date | None:
    """The last valid day of a validity ending on `enddate` and stopped from `stop_date` on."""
    ends = [d for d in (enddate, stop_date - timedelta(days=1) if stop_date else None) if d]
    return min(ends) if ends else None


def valid_on(begndate: date, last: date | None, day: date) -> bool:
    return begndate <= day and (last is None or day <= last)


def chronic_diseases(rules: Sequence[BenefitRule], insutype: str, psn_type: str) -> list[str]:
    """The chronic and special diseases an insured place lists for insutype and psn_type (its benefit
    rules for med_type `14:<opsp_dise_code>`): the only ones a person may file [003 art. 18]."""
    return sorted(
        {
            m.removeprefix(CHRONIC_PREFIX)
            for r in rules
            if r.insutype == insutype and (ANY in r.psn_types or psn_type in r.psn_types)
            for m in r.med_types
            if m.startswith(CHRONIC_PREFIX)
        }
    )


# ---- places


def add_months(day: date, months: int) -> date:
    """Same day `months` later, or the month's last day when it is shorter (08-31 + 6 → 02-28/29)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _prefix(admdvs: str) -> str:
    """The part of a region code that names the filed area: 2 digits for a municipality or province."""
    return admdvs[:2] if admdvs[:2] in MUNICIPALITIES or admdvs[2:] == "0000" else admdvs[:4]


def area_of(admdvs: str) -> str:
    """The area a filing to `admdvs` is made to: its city (440305 → 440300), municipality (110105 →
    110000) or province (440000)."""
    prefix = _prefix(admdvs)
    return prefix.ljust(6, "0")


def falls_in(treatment_admdvs: str, area: str) -> bool:
    """Whether an institution of region `treatment_admdvs` is inside the filed `area`."""
    return treatment_admdvs.startswith(_prefix(area))


def same_city(a: str, b: str) -> bool:
    """Same city or municipality: no cross-region filing is needed between them. A province code
    (210000) is no city, so it never equals one of its cities (210400)."""
    return _city(a) == _city(b)


def _city(admdvs: str) -> str:
    return admdvs[:2] if admdvs[:2] in MUNICIPALITIES else admdvs[:4]


# ---- validity


def validity(
    kind: str, begndate: date, enddate: date | None, today: date, field: str, referral_months: int = REFERRAL_MONTHS
) -> tuple[date, date | None]:
    """The validity of a new filing (or version): open-ended for long-term, a default end for temporary.
    A referral (22) holds for the insured place's `referral_months` (one year [001]), and no longer."""
    if begndate < today:
        raise Refusal("FILING_BEGNDATE_PAST", field + ".begndate", begndate=begndate, today=today)
    if kind in LONG_TERM and enddate is not None:
        raise Refusal("FILING_LONG_TERM_ENDDATE", field + ".enddate", enddate=enddate, kind=kind,
                      name=FilingKind.NAMES[kind])  # fmt: skip
    if kind == FilingKind.REFERRAL:
        longest = add_months(begndate, referral_months) - timedelta(days=1)
        if enddate is not None and enddate > longest:
            raise Refusal("FILING_REFERRAL_TOO_LONG", field + ".enddate", enddate=enddate, begndate=begndate,
                          months=referral_months, last=longest)  # fmt: skip
        enddate = enddate or longest
    if kind in TEMPORARY and enddate is None:
        enddate = add_months(begndate, TEMPORARY_MONTHS) - timedelta(days=1)
    if enddate is not None and enddate < begndate:
        raise Refusal("FILING_DATES", field + ".enddate", begndate=begndate, enddate=enddate)
    return begndate, enddate


def check_psn_type(kind: str, insutype: str, psn_type: str, psn_no: str, field: str) -> None:
    """Types tied to who the person is: relocated retirees are retired employees [art. 6 (一) 1];
    students are resident-insured pupils or university students [art. 6 (三)]."""
    if kind == FilingKind.RELOCATED_RETIREE and not (insutype == "310" and psn_type[:2] == "12"):
        need, need_en = (
            "职工医保退休人员（险种 310，人员类别 12xx）",
            "a retired employee (insutype 310, psn_type 12xx)",
        )
    elif kind == FilingKind.STUDENT and not (insutype == "390" and psn_type in STUDENT_PSN_TYPES):
        need, need_en = "居民医保学生（险种 390，人员类别 1403/1404）", "a resident-insured student (390, 1403/1404)"
    else:
        return
    raise Refusal("FILING_PSN_TYPE", field, kind=kind, name=FilingKind.NAMES[kind], need=need, need_en=need_en,
                  psn_no=psn_no, insutype=insutype, psn_type=psn_type)  # fmt: skip


def conflicting(
    existing: Sequence[Filing], insuplc_admdvs: str, begndate: date, last_day: date | None, chronic: bool = False
) -> Filing | None:
    """One cross-region filing per person and insutype at a time: the active filing whose validity
    overlaps [begndate, last_day], if any. A referral within the insured city is no cross-region filing.
    Chronic-disease cross-region filings are counted apart: one of them at a time, beside the other kind."""
    for f in existing:
        if not f.is_active or same_city(f.area, insuplc_admdvs) or f.chronic != chronic:
            continue
        f_last = f.last_day
        if (f_last is None or begndate <= f_last) and (last_day is None or f.begndate <= last_day):
            return f
    return None


def check_lock(f: Filing, today: date, action: str, action_en: str, field: str) -> None:
    """No change or cancel of a long-term filing within 6 months of taking effect [art. 16].
    A filing that has not taken effect yet may be changed or cancelled."""
    if f.kind not in LONG_TERM or f.chronic or today < f.begndate:
        return
    first = add_months(f.begndate, LOCK_MONTHS)
    if today < first:
        raise Refusal("FILING_LOCKED", field, sn=f.trt_dcla_detl_sn, name=FilingKind.NAMES[f.kind],
                      begndate=f.begndate, first_allowed=first, today=today, action=action,
                      action_en=action_en)  # fmt: skip


# ---- commitment


@dataclass(frozen=True, slots=True)
class Ban:
    """No commitment filing from `begndate` to `enddate` inclusive."""

    psn_no: str
    trt_dcla_detl_sn: str  # the filing that caused it
    reason: str  # Material.LAPSED or Material.FALSE
    begndate: date
    enddate: date

    @property
    def first_allowed(self) -> date:
        return self.enddate + timedelta(days=1)


def material_due(begndate: date) -> date:
    """The last day to supply the material of a commitment filing taking effect on `begndate`."""
    return add_months(begndate, MATERIAL_MONTHS)


def lapse_day(f: Filing, today: date) -> date | None:
    """The day an active commitment filing lapsed (the day after its due date), if it has by `today`."""
    if not (f.is_active and f.commitment and f.material == Material.AWAITED and f.material_due):
        return None
    lapsed = f.material_due + timedelta(days=1)
    return lapsed if lapsed <= today else None


def ban_from(f: Filing, start: date, reason: str) -> Ban:
    return Ban(f.psn_no, f.trt_dcla_detl_sn, reason, start, add_months(start, BAN_MONTHS) - timedelta(days=1))


def check_not_banned(bans: Sequence[Ban], today: date, field: str) -> None:
    for b in bans:
        if b.begndate <= today <= b.enddate:
            raise Refusal("FILING_COMMITMENT_BANNED", field, psn_no=b.psn_no, sn=b.trt_dcla_detl_sn,
                          reason=Material.NAMES[b.reason], reason_en="lapsed" if b.reason == Material.LAPSED
                          else "found false", begndate=b.begndate, enddate=b.enddate,
                          first_allowed=b.first_allowed)  # fmt: skip


# ---- which filing covers a stay


def covers(f: Filing, treatment_admdvs: str, admission: date, settle_day: date) -> bool:
    """Admission inside the validity (discharge and settlement may fall outside) [art. 16]."""
    return f.filed_on <= settle_day and falls_in(treatment_admdvs, f.area) and f.valid_on(admission)


def covers_late(f: Filing, treatment_admdvs: str, admission: date, settle_day: date) -> bool:
    """Filed after admission and in force at the discharge settlement [art. 11; 000 6]."""
    return (
        admission < f.begndate
        and admission <= f.filed_on <= settle_day
        and falls_in(treatment_admdvs, f.area)
        and f.valid_on(settle_day)
    )


def withholding_home_benefits(filings: Sequence[Filing], admission: date, settle_day: date) -> Filing | None:
    """Back at the insured place, the long-term filing made by commitment whose material is still awaited:
    such a person enjoys benefits both at the filed place and at home (双向) only once the material is
    supplied [003 art. 20], so until then the funds pay nothing at home (the personal account still may).
    The filing must be in force for the admission and the material not yet overdue: a lapsed or false
    commitment cancels the filing, and with it the person is an ordinary local insured again."""
    for f in filings:
        if (
            f.kind in LONG_TERM
            and not f.chronic
            and f.is_active
            and f.commitment
            and f.material == Material.AWAITED
            and lapse_day(f, settle_day) is None
            and f.valid_on(admission)
        ):
            return f
    return None


def applicable_filing(
    filings: Sequence[Filing], treatment_admdvs: str, admission: date, settle_day: date
) -> Filing | None:
    """The filing that covers a stay (or visit) admitted on `admission` at an institution of
    `treatment_admdvs`, settled on `settle_day`: one whose validity holds the admission day, else a
    late filing. Several can match only across a change; the latest version wins."""
    return _latest_covering([f for f in filings if not f.chronic], treatment_admdvs, admission, settle_day)


def chronic_filing(filings: Sequence[Filing], treatment_admdvs: str, visit: date, settle_day: date) -> Filing | None:
    """The chronic-disease cross-region filing covering a chronic visit at an institution of `treatment_admdvs`
    [003 art. 12]: without one, chronic care there gets no fund payment, whatever other filing the person has."""
    return _latest_covering([f for f in filings if f.chronic], treatment_admdvs, visit, settle_day)


def _latest_covering(
    filings: Sequence[Filing], treatment_admdvs: str, admission: date, settle_day: date
) -> Filing | None:
    normal = [f for f in filings if covers(f, treatment_admdvs, admission, settle_day)]
    late = [f for f in filings if covers_late(f, treatment_admdvs, admission, settle_day)]
    found = normal or late
    return max(found, key=lambda f: (f.begndate, f.filed_on, f.trt_dcla_detl_sn)) if found else None
