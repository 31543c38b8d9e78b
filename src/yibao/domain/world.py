"""The simulated world as plain data: regions, institutions, catalogues, benefit rules, persons.

Reference data is immutable for the life of a server; a person's mutable state (account balance,
yearly accumulators) lives in storage, seeded from `Person.account_balance` on first sight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yibao.domain.availability import Window
from yibao.domain.benefit_policy import BenefitRule, CrossRegionPolicy, FundStack
from yibao.domain.catalogue_split import CatalogueItem

HOSPITAL, PHARMACY = "1", "2"  # fixmedins_type


@dataclass(frozen=True, slots=True)
class Region:
    admdvs: str  # 6-digit medical-insurance region code
    name: str
    catalogue: dict[str, CatalogueItem]  # the treatment-place catalogue, by med_list_codg
    benefits: tuple[BenefitRule, ...]  # the insured-place benefit table, first match wins
    funds: FundStack = field(default_factory=FundStack)  # the insured place's funds above the pooled fund
    cross_region: CrossRegionPolicy = field(default_factory=CrossRegionPolicy)
    maintenance: tuple[Window, ...] = ()  # scheduled in the world file; operators add more at run time (Y9102)
    # recer_sys_code values this region's clients send besides the national YBXT/LXXT/GSXT (Shenzhen: PQ)
    recer_sys_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Institution:
    fixmedins_code: str  # 12 characters
    fixmedins_name: str
    fixmedins_type: str  # 1 hospital, 2 retail pharmacy
    admdvs: str
    hosp_lv: str = ""  # hospital level, e.g. 1/2/3 (一级/二级/三级); "" for pharmacies
    enabled: bool = True
    operator: bool = False  # may change region availability (Y9102)


@dataclass(frozen=True, slots=True)
class Insurance:
    insutype: str  # 310 employee, 390 resident …
    psn_type: str  # 1101 职工在职, 1201 职工退休, 1501 普通居民 …
    insuplc_admdvs: str
    psn_insu_stas: str = "1"  # 1 正常参保; anything else gives no benefits
    psn_insu_date: str = ""
    paus_insu_date: str = ""
    cvlserv_flag: str = "0"
    emp_name: str = ""


@dataclass(frozen=True, slots=True)
class IdetInfo:
    psn_idet_type: str
    psn_type_lv: str = ""
    memo: str = ""
    begntime: str = ""
    endtime: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    psn_no: str
    psn_name: str
    gend: str
    naty: str
    brdy: date
    psn_cert_type: str
    certno: str
    insurances: tuple[Insurance, ...]
    ec_token: str = ""  # mdtrt_cert_type 01: the e-voucher token
    card_no: str = ""  # mdtrt_cert_type 03: social security card number
    card_sn: str = ""  # card identification code, required with 03
    account_balance: Decimal = Decimal("0.00")  # opening personal-account balance
    idetinfo: tuple[IdetInfo, ...] = ()

    def insurance(self, insutype: str) -> Insurance | None:
        return next((i for i in self.insurances if i.insutype == insutype), None)

    def identities_on(self, day: date) -> frozenset[str]:
        """The psn_idet_type of the identities in force on `day` (begntime/endtime, when given, bound them)."""
        text = day.isoformat()
        return frozenset(
            i.psn_idet_type
            for i in self.idetinfo
            if (not i.begntime or i.begntime[:10] <= text) and (not i.endtime or text <= i.endtime[:10])
        )


@dataclass(slots=True)
class World:
    regions: dict[str, Region]
    institutions: dict[str, Institution]
    persons: dict[str, Person]
    # 家庭共济: member psn_no -> the family account holder's psn_no (one family account per family)
    family_holder: dict[str, str] = field(default_factory=dict)
    # certificate indexes: (mdtrt_cert_type, number) -> psn_no
    certificates: dict[tuple[str, str], str] = field(default_factory=dict)
    # what the loader accepted but flags, e.g. a temporary ratio below the national ceiling [002]
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for p in self.persons.values():
            for cert_type, number in (("01", p.ec_token), ("02", p.certno), ("03", p.card_no)):
                if number:
                    self.certificates[(cert_type, number)] = p.psn_no
