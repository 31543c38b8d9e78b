"""Basic information (docs/queries.md): 1201 institutions, 1901 code lists, 1312 the catalogue, page by page, and
2001 the benefit eligibility check. The first three read the world file only (public reference data); 2001 reads
the person's filings too and decides with the rules a settlement applies (settle_engine.benefit_for)."""

from __future__ import annotations

from datetime import date

from yibao.call import CallContext
from yibao.domain.benefit_policy import find_rule, locality
from yibao.domain.catalogue_split import NO_PRICE_CAP, CatalogueItem
from yibao.domain.code_lists import CODE_LISTS
from yibao.domain.funds import POOLED_FUND
from yibao.domain.world import Institution, Insurance, Person, Region, World
from yibao.errors import Refusal
from yibao.inputs import datetime_field, flag_field, require
from yibao.simulators.core import settle_engine
from yibao.simulators.core.filings import chronic_filings
from yibao.simulators.core.people import check_insured_place, insurance_of, person_of
from yibao.simulators.core.query_bounds import at_most, page
from yibao.simulators.core.values import inquiry as v
from yibao.storage import filings as filing_store
from yibao.storage.store import Tx

CHRONIC = "14"
MED_TYPES = tuple(value for value, _ in CODE_LISTS["med_type"])


# ---- 1201


def query_institutions(world: World, tx: Tx, ctx: CallContext, inp: v.MedinsQueryInput) -> v.MedinsQueryOutput:
    m, path = inp.medinsinfo, "input.medinsinfo"
    if m.fixmedins_type:
        flag_field(m.fixmedins_type, f"{path}.fixmedins_type", tuple(code for code, _ in CODE_LISTS["fixmedins_type"]))
    found = [
        i for code, i in sorted(world.institutions.items())
        if (not m.fixmedins_code or code == m.fixmedins_code)
        and (not m.fixmedins_type or i.fixmedins_type == m.fixmedins_type)
        and m.fixmedins_name in i.fixmedins_name
    ]  # fmt: skip
    at_most(found, path)
    return v.MedinsQueryOutput(medinsinfo=tuple(_institution_row(i) for i in found))


def _institution_row(i: Institution) -> v.MedinsRow:
    return v.MedinsRow(fixmedins_code=i.fixmedins_code, fixmedins_name=i.fixmedins_name, uscc="",
                       fixmedins_type=i.fixmedins_type, hosp_lv=i.hosp_lv, admdvs=i.admdvs,
                       vali_flag="1" if i.enabled else "0")  # fmt: skip


# ---- 1901


def query_dictionary(world: World, tx: Tx, ctx: CallContext, inp: v.DictQueryInput) -> v.DictQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "type", "admdvs")
    entries = CODE_LISTS.get(d.type)
    if entries is None:
        raise Refusal("DICT_TYPE_NOT_FOUND", f"{path}.type", type=d.type, known="、".join(CODE_LISTS))
    _region(world, d.admdvs, f"{path}.admdvs")
    if d.vali_flag:
        flag_field(d.vali_flag, f"{path}.vali_flag")
    if d.vali_flag == "0":
        return v.DictQueryOutput()  # every entry is valid: none is invalid
    return v.DictQueryOutput(list=tuple(
        v.DictRow(type=d.type, label=label, value=value, parent_value="", sort=str(n), vali_flag="1")
        for n, (value, label) in enumerate(entries, start=1)
    ))  # fmt: skip


def _region(world: World, admdvs: str, path: str) -> Region:
    region = world.regions.get(admdvs)
    if region is None:
        raise Refusal("REGION_NOT_FOUND", path, admdvs=admdvs, known="、".join(sorted(world.regions)))
    return region


# ---- 1312


def query_hilist(world: World, tx: Tx, ctx: CallContext, inp: v.HilistQueryInput) -> v.HilistQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "updt_time")
    wanted = page(d, path)
    admdvs = d.insu_admdvs or ctx.institution.admdvs
    region = _region(world, admdvs, f"{path}.insu_admdvs")
    exact = {name: getattr(d, name) for name in ("list_type", "med_chrgitm_type", "chrgitm_lv", "lmt_used_flag")}
    found = [
        item for code, item in sorted(region.catalogue.items())
        if (not d.hilist_code or code == d.hilist_code)
        and d.hilist_name in item.name
        and all(not want or getattr(item, name) == want for name, want in exact.items())
    ]  # fmt: skip
    if d.vali_flag == "0":
        found = []  # every entry of the world's catalogues is in force
    rows = tuple(_catalogue_row(admdvs, item) for item in wanted.of(found))
    return v.HilistQueryOutput(data=rows, page_num=str(wanted.number), page_size=str(wanted.size),
                               recordCounts=str(len(found)), pages=str(wanted.count(len(found))))  # fmt: skip


def _catalogue_row(admdvs: str, item: CatalogueItem) -> v.HilistRow:
    return v.HilistRow(
        hilist_code=item.med_list_codg, hilist_name=item.name, insu_admdvs=admdvs, list_type=item.list_type,
        med_chrgitm_type=item.med_chrgitm_type, chrgitm_lv=item.chrgitm_lv, lmt_used_flag=item.lmt_used_flag,
        lmt_dscr=item.lmt_dscr, selfpay_prop=str(item.selfpay_prop),
        pric_uplmt_amt=str(NO_PRICE_CAP if item.pric_uplmt_amt is None else item.pric_uplmt_amt),
        payable_flag="1" if item.payable else "0", vali_flag="1",
    )  # fmt: skip


# ---- 2001


def check_benefits(world: World, tx: Tx, ctx: CallContext, inp: v.TrtCheckInput) -> v.TrtCheckOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "insutype", "med_type", "begntime")
    flag_field(d.med_type, f"{path}.med_type", MED_TYPES)
    begins = datetime_field(d.begntime, f"{path}.begntime").date()
    person = person_of(world, d.psn_no, f"{path}.psn_no")
    insurance = insurance_of(person, d.insutype, f"{path}.insutype")
    check_insured_place(ctx, d.psn_no, insurance.insuplc_admdvs)
    institution = _institution(world, ctx, d.fixmedins_code, f"{path}.fixmedins_code")
    if d.med_type == CHRONIC:
        require(d, path, "dise_codg")
    checks = Checks(d.psn_no, POOLED_FUND.get(d.insutype, f"{d.insutype}100"))
    if not _insured_now(checks, insurance):
        return checks.output()
    insured = world.regions[insurance.insuplc_admdvs]
    rule_key = f"{CHRONIC}:{d.dise_codg}" if d.med_type == CHRONIC else d.med_type
    rule = find_rule(insured.benefits, d.insutype, insurance.psn_type, rule_key, institution.hosp_lv)
    if rule is None:
        checks.add("02", False, f"参保地 {insured.admdvs} 险种 {d.insutype} 人员类别 {insurance.psn_type} 无医疗类别 "
                   f"{rule_key} 的统筹待遇（{institution.hosp_lv or '-'} 级机构）")  # fmt: skip
        return checks.output()
    checks.add("02", True, f"参保地待遇：起付线 {rule.deductible}，支付比例 {rule.ratio}，年度限额 {rule.annual_cap}"
               f"（{'每次住院' if rule.per_stay else '年度'}起付，累计组 {rule.accum_group}）")  # fmt: skip
    if d.med_type == CHRONIC and not _chronic_filed(checks, tx, d, begins):
        return checks.output()
    case = _case(person, insurance, d.med_type, rule_key, begins, institution)
    loc = locality(institution.admdvs, insurance.insuplc_admdvs)
    benefit, sn, basis = settle_engine.benefit_for(tx, case, rule, insured, loc, ctx.now.date())
    filing = filing_store.filing_row(tx, sn) if sn else None
    checks.add("04", benefit is not None, basis, filing.begndate if filing else "",
               (filing.enddate or "") if filing else "")  # fmt: skip
    return checks.output()


class Checks:
    """The 2001 answer, one row per check made (trt_chk_type, docs/queries.md)."""

    def __init__(self, psn_no: str, fund_pay_type: str) -> None:
        self.psn_no, self.fund_pay_type = psn_no, fund_pay_type
        self.rows: list[v.TrtCheckRow] = []

    def add(self, kind: str, enjoys: bool, why: str, begndate: str = "", enddate: str = "") -> None:
        self.rows.append(v.TrtCheckRow(psn_no=self.psn_no, trt_chk_type=kind, fund_pay_type=self.fund_pay_type,
                                       trt_enjymnt_flag="1" if enjoys else "0", begndate=begndate, enddate=enddate,
                                       trt_chk_rslt=why))  # fmt: skip

    def output(self) -> v.TrtCheckOutput:
        return v.TrtCheckOutput(trtinfo=tuple(self.rows))


def _institution(world: World, ctx: CallContext, code: str, path: str) -> Institution:
    if not code:
        return ctx.institution
    institution = world.institutions.get(code)
    if institution is None:
        raise Refusal("QUERY_INSTITUTION_NOT_FOUND", path, code=code)
    return institution


def _insured_now(checks: Checks, insurance: Insurance) -> bool:
    normal = insurance.psn_insu_stas == "1"
    why = "参保状态正常" if normal else f"参保状态 {insurance.psn_insu_stas}（暂停或终止参保）：不享受待遇"
    checks.add("01", normal, why, insurance.psn_insu_date, insurance.paus_insu_date)
    return normal


def _chronic_filed(checks: Checks, tx: Tx, d: v.TrtCheckData, begins: date) -> bool:
    filed = chronic_filings(tx, d.psn_no, d.insutype, begins)
    if d.dise_codg not in filed:
        checks.add("03", False, f"未办理病种 {d.dise_codg} 的门诊慢特病备案（2503）或备案在 {begins} 无效，"
                   f"当日有效的病种：{'、'.join(filed) or '无'}")  # fmt: skip
        return False
    rows = [r for r in filing_store.chronic_rows(tx, d.psn_no, d.insutype) if r.opsp_dise_code == d.dise_codg]
    row = max((r for r in rows if r.fil_stas == "1"), key=lambda r: r.begndate, default=rows[-1])
    checks.add("03", True, f"已备案门诊慢特病 {d.dise_codg}（{row.trt_dcla_detl_sn}）", row.begndate, row.enddate or "")
    return True


def _case(person: Person, insurance: Insurance, med_type: str, rule_key: str, begins: date,
          institution: Institution) -> settle_engine.Case:  # fmt: skip
    """The care asked about, as a settlement would see it (no fees yet)."""
    category = {"2": "inpatient", "4": "pharmacy"}.get(med_type[0], "chronic" if med_type == CHRONIC else "outpatient")
    return settle_engine.Case(
        person=person, insurance=insurance, mdtrt_id="", chrg_bchno="", med_type=med_type, category=category,
        clr_type="", mdtrt_cert_type="", admission=begins, use_account=False, fees=(),
        treatment_admdvs=institution.admdvs, rule_key=rule_key,
    )  # fmt: skip
