"""Person queries (docs/queries.md): 5201 visits, 5202 diagnoses, 5204 fee details, 5205 chronic-disease
medication, 5206 accumulations, 5303 stays in hospital, 5304 referrals.

Who sees what: a visit, its diagnoses and its fee items are the business of the institution that made it, so 5201,
5202 and 5204 answer the calling institution's own only (another's visit is "not found", as 5203 does). What the
national interface exists to tell any institution before it treats the person is answered from every institution:
chronic-disease medication already given (5205, against repeated prescriptions), this year's accumulations (5206,
what the next settlement starts from), stays in hospital (5303, a person is in one hospital at a time) and
referrals (5304, like the filings of 5301 / 5302). The wire carries real data (nothing masked) but every list is
bounded (query_bounds)."""

from __future__ import annotations

import json
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.benefit_policy import ANY, BenefitRule
from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.funds import POOLED_FUND
from yibao.domain.money import yuan
from yibao.domain.world import Person, Region, World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import require
from yibao.simulators.core.catalogue_files import table_text
from yibao.simulators.core.people import check_insured_place, person_of
from yibao.simulators.core.query_bounds import ROWS_MAX, at_most, time_range
from yibao.simulators.core.values import inquiry as v
from yibao.storage import file_store
from yibao.storage import filings as filing_store
from yibao.storage import record_queries as store
from yibao.storage.rows import FeeRow, VisitRow
from yibao.storage.store import Tx, from_fen
from yibao.timetext import compact

REFERRAL = "2501"  # the transaction whose filings are referrals


# ---- 5201


def query_visits(world: World, tx: Tx, ctx: CallContext, inp: v.VisitQueryInput) -> v.VisitQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    person = _person(world, ctx, d.psn_no, f"{path}.psn_no")
    span = time_range(d, path)
    rows = store.visits_of_person(tx, d.psn_no, span.begin, span.end, ROWS_MAX + 1, med_type=d.med_type,
                                  mdtrt_id=d.mdtrt_id, fixmedins_code=ctx.institution.fixmedins_code)  # fmt: skip
    at_most(rows, f"{path}.endtime")
    return v.VisitQueryOutput(mdtrtinfo=tuple(_visit_record(person, row) for row in rows))


def _visit_record(person: Person, row: store.VisitLine) -> v.VisitRecord:
    insurance = person.insurance(row.insutype)
    main = _main_diagnosis(row)
    return v.VisitRecord(
        mdtrt_id=row.mdtrt_id, psn_no=row.psn_no, insutype=row.insutype,
        psn_type=insurance.psn_type if insurance else "", insu_optins=row.insuplc_admdvs, begntime=row.begntime,
        endtime=row.endtime or "", med_type=row.med_type, ipt_otp_no=row.ipt_otp_no, inhosp_stas=_in_hospital(row),
        fixmedins_code=row.fixmedins_code, mdtrt_cert_type=row.mdtrt_cert_type, dise_codg=main[0], dise_name=main[1],
        vali_flag="0" if row.status == "cancelled" else "1", kind=row.kind,
    )  # fmt: skip


def _in_hospital(row: store.VisitLine) -> str:
    if row.kind != "inpatient":
        return ""
    return "1" if row.status == "open" else "0"


def _visit_info(row: VisitRow | store.VisitLine) -> dict[str, object]:
    """The last 2203 / 2401 / 2403 input of the visit (stored_values JSON), {} when none was sent."""
    info = json.loads(row.visit_info) if row.visit_info else {}
    return info if isinstance(info, dict) else {}


def _main_diagnosis(row: VisitRow | store.VisitLine) -> tuple[str, str]:
    info = _visit_info(row)
    main = info.get("mdtrtinfo") or info.get("adminfo") or {}
    if not isinstance(main, dict):
        return "", ""
    # 2203 names it dise_codg; a stay may give only its main diagnosis (dscg_maindiag_code) at admission
    code = main.get("dise_codg") or main.get("dscg_maindiag_code") or ""
    name = main.get("dise_name") or main.get("dscg_maindiag_name") or ""
    return str(code), str(name)


# ---- 5202


def query_diagnoses(world: World, tx: Tx, ctx: CallContext, inp: v.DiagQueryInput) -> v.DiagQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "mdtrt_id")
    row = _own_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)
    listed = _visit_info(row).get("diseinfo", [])
    diseases = [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []
    names = [name for name in v.DiagRecord.__dataclass_fields__ if name not in ("mdtrt_id", "psn_no", "maindiag_flag")]
    return v.DiagQueryOutput(diseinfo=tuple(
        v.DiagRecord(mdtrt_id=row.mdtrt_id, psn_no=row.psn_no,
                     maindiag_flag=str(item.get("maindiag_flag") or ("1" if n == 0 else "0")),
                     **{name: str(item.get(name, "")) for name in names})
        for n, item in enumerate(diseases)
    ))  # fmt: skip


def _own_visit(tx: Tx, ctx: CallContext, mdtrt_id: str, psn_no: str, path: str) -> VisitRow:
    """A visit of the calling institution; another's is reported as not found (its existence is not this HIS's
    business)."""
    row = tx.visit(mdtrt_id)
    if row is None or row.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("MDTRT_NOT_FOUND", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id)
    if row.psn_no != psn_no:
        raise Refusal("MDTRT_MISMATCH", f"{path}.psn_no", value=psn_no, mdtrt_id=mdtrt_id, expected=row.psn_no)
    check_insured_place(ctx, psn_no, row.insuplc_admdvs)
    return row


# ---- 5204


def query_fee_list(world: World, tx: Tx, ctx: CallContext, inp: v.FeeListQueryInput) -> v.FeeListQueryOutput:
    """Inline, and as the national 5204's file: a zip the caller fetches with 9102 (docs/files.md), one line per
    item with the columns of the inline rows."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "mdtrt_id")
    rows = fee_list(world, tx, ctx, d.psn_no, d.mdtrt_id, d.setl_id, path)
    stem = f"5204_{d.mdtrt_id}_{compact(ctx.now)}"
    text = table_text(FEE_COLUMNS, [tuple(_one_line(getattr(r, c)) for c in FEE_COLUMNS) for r in rows])
    content = file_store.make_zip([(f"{stem}.txt", text)], ctx.now)
    kept = file_store.save(tx, file_qury_no=new_id(ctx.mdtrtarea_admvs, ctx.now), filename=f"{stem}.zip",
                           fixmedins_code=ctx.institution.fixmedins_code, made_by="5204", content=content,
                           now=ctx.now)  # fmt: skip
    return v.FeeListQueryOutput(feedetail=rows, file_qury_no=kept.file_qury_no, filename=kept.filename,
                                dld_endtime=kept.expires_at)  # fmt: skip


FEE_COLUMNS = tuple(v.FeeListRecord.__dataclass_fields__)


def _one_line(text: str) -> str:
    """A field never breaks a line of the file (free text such as memo may hold tabs or line breaks)."""
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def fee_list(world: World, tx: Tx, ctx: CallContext, psn_no: str, mdtrt_id: str, setl_id: str,
             path: str = "input.data") -> tuple[v.FeeListRecord, ...]:  # fmt: skip
    """The fee items of a visit of the calling institution (of one of its settlements when `setl_id` is given), as
    5204 answers them inline. A 5204 answered as a file for 9102 writes these same rows."""
    visit = _own_visit(tx, ctx, mdtrt_id, psn_no, path)
    if setl_id:
        settled = tx.settlement(setl_id)
        if settled is None or settled.mdtrt_id != mdtrt_id:
            raise Refusal("SETL_NOT_FOUND", f"{path}.setl_id", setl_id=setl_id)
    catalogue = world.regions[visit.mdtrtarea_admvs].catalogue
    fees = [f for f in tx.fees(mdtrt_id) if not setl_id or f.setl_id == setl_id]
    return tuple(_fee_record(visit, f, catalogue.get(f.med_list_codg)) for f in fees)


def _fee_record(visit: VisitRow, f: FeeRow, entry: CatalogueItem | None) -> v.FeeListRecord:
    def amount(fen: int) -> str:
        return yuan(from_fen(fen))

    return v.FeeListRecord(
        feedetl_sn=f.feedetl_sn, mdtrt_id=f.mdtrt_id, psn_no=visit.psn_no, setl_id=f.setl_id or "",
        chrg_bchno=f.chrg_bchno, init_feedetl_sn=f.init_feedetl_sn, med_list_codg=f.med_list_codg,
        medins_list_codg=f.medins_list_codg, hilist_name=entry.name if entry else "", fee_ocur_time=f.fee_ocur_time,
        cnt=f.cnt, pric=f.pric, det_item_fee_sumamt=amount(f.sumamt_fen), fulamt_ownpay_amt=amount(f.fulamt_fen),
        overlmt_amt=amount(f.overlmt_fen), preselfpay_amt=amount(f.preselfpay_fen), inscp_scp_amt=amount(f.inscp_fen),
        chrgitm_lv=entry.chrgitm_lv if entry else "", med_chrgitm_type=entry.med_chrgitm_type if entry else "",
        list_type=entry.list_type if entry else "", dise_codg=f.dise_codg, memo=f.memo,
    )  # fmt: skip


# ---- 5205


def query_chronic_drugs(world: World, tx: Tx, ctx: CallContext, inp: v.OpspDrugQueryInput) -> v.OpspDrugQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    _person(world, ctx, d.psn_no, f"{path}.psn_no")
    span = time_range(d, path)
    rows = store.chronic_drugs(tx, d.psn_no, span.begin, span.end, ROWS_MAX + 1)
    at_most(rows, f"{path}.endtime")
    return v.OpspDrugQueryOutput(feedetail=tuple(_drug_record(world, d.psn_no, row) for row in rows))


def _drug_record(world: World, psn_no: str, row: store.ChronicDrugRow) -> v.OpspDrugRecord:
    institution = world.institutions.get(row.fixmedins_code)
    region = world.regions.get(institution.admdvs) if institution else None
    entry = region.catalogue.get(row.med_list_codg) if region else None
    return v.OpspDrugRecord(
        psn_no=psn_no, mdtrt_id=row.mdtrt_id, setl_id=row.setl_id, fixmedins_code=row.fixmedins_code,
        fixmedins_name=institution.fixmedins_name if institution else "", opsp_dise_code=row.dise_codg,
        med_list_codg=row.med_list_codg, hilist_name=entry.name if entry else "", fee_ocur_time=row.fee_ocur_time,
        cnt=row.cnt, pric=row.pric, det_item_fee_sumamt=yuan(from_fen(row.sumamt_fen)), setl_time=row.setl_time,
        list_type=entry.list_type if entry else "",
    )  # fmt: skip


# ---- 5206


def query_cumulation(world: World, tx: Tx, ctx: CallContext, inp: v.CumQueryInput) -> v.CumQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "cum_ym")
    if not (len(d.cum_ym) == 6 and d.cum_ym.isdecimal() and 1 <= int(d.cum_ym[4:]) <= 12):
        raise Refusal("ENV_FORMAT", f"{path}.cum_ym", rule=f"应为 yyyyMM，收到 {d.cum_ym!r}")
    person = _person(world, ctx, d.psn_no, f"{path}.psn_no")
    year = int(d.cum_ym[:4])
    used = {row.acc_key: from_fen(row.amount_fen) for row in store.accumulations(tx, d.psn_no, year)}
    records = [r for ins in person.insurances for r in _group_records(world.regions[ins.insuplc_admdvs],
               ins.insutype, ins.psn_type, used)]  # fmt: skip
    listed = {f"{r.insutype}:{r.accum_group}:{'dedc' if r.cum_type_code == 'D' else 'fund'}" for r in records}
    region = world.regions[person.insurances[0].insuplc_admdvs]
    records += [_fund_record(region, key, amount) for key, amount in sorted(used.items()) if key not in listed]
    return v.CumQueryOutput(cuminfo=tuple(
        v.CumRecord(insutype=r.insutype, year=str(year), cum_ym=d.cum_ym, cum_type_code=r.cum_type_code, cum=r.cum,
                    accum_group=r.accum_group, fund_pay_type=r.fund_pay_type, lmt_amt=r.lmt_amt, rema_amt=r.rema_amt)
        for r in records
    ))  # fmt: skip


def _group_records(region: Region, insutype: str, psn_type: str, used: dict[str, Decimal]) -> list[v.CumRecord]:
    """The deductible (yearly ones) and the annual cap of each accumulation group of the person's benefit rules."""
    fund = POOLED_FUND.get(insutype, f"{insutype}100")
    records: list[v.CumRecord] = []
    for rule in _rules_by_group(region, insutype, psn_type):
        prefix = f"{insutype}:{rule.accum_group}"
        if not rule.per_stay:
            records.append(_record(insutype, rule.accum_group, "D", fund, used.get(f"{prefix}:dedc"), rule.deductible))
        records.append(_record(insutype, rule.accum_group, "F", fund, used.get(f"{prefix}:fund"), rule.annual_cap))
    return records


def _rules_by_group(region: Region, insutype: str, psn_type: str) -> list[BenefitRule]:
    """The first rule of each group that applies to the person (the table's order decides, as in a settlement)."""
    firsts: dict[str, BenefitRule] = {}
    for rule in region.benefits:
        if rule.insutype == insutype and (ANY in rule.psn_types or psn_type in rule.psn_types):
            firsts.setdefault(rule.accum_group, rule)
    return list(firsts.values())


def _record(
    insutype: str, group: str, kind: str, fund: str, used: Decimal | None, limit: Decimal | None
) -> v.CumRecord:
    cum = used or Decimal("0.00")
    return v.CumRecord(insutype=insutype, accum_group=group, cum_type_code=kind, fund_pay_type=fund, cum=yuan(cum),
                       lmt_amt="" if limit is None else yuan(limit),
                       rema_amt="" if limit is None else yuan(max(limit - cum, Decimal("0.00"))))  # fmt: skip


def _fund_record(region: Region, key: str, amount: Decimal) -> v.CumRecord:
    """An accumulator outside the benefit table's groups: a stay's own deductible (stay:<mdtrt_id>:dedc) or a fund
    above the pooled fund (330100 large amounts, 390200 critical illness, 610100 assistance), with its limit."""
    head, _, role = key.rpartition(":")
    kind = "D" if role == "dedc" else "F"
    if head.startswith("stay:"):
        return _record("", head, kind, "", amount, None)
    funds = region.funds
    limits = {
        "330100:fund": funds.large_amount.annual_cap if funds.large_amount else None,
        "390200:dedc": funds.critical_illness.deductible if funds.critical_illness else None,
        "390200:fund": funds.critical_illness.annual_cap if funds.critical_illness else None,
        "610100:fund": funds.assistance.annual_cap if funds.assistance else None,
    }
    return _record(head[:3], head, kind, head, amount, limits.get(key))


# ---- 5303


def query_stays(world: World, tx: Tx, ctx: CallContext, inp: v.InhospQueryInput) -> v.InhospQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    _person(world, ctx, d.psn_no, f"{path}.psn_no")
    span = time_range(d, path)
    rows = store.visits_of_person(tx, d.psn_no, span.begin, span.end, ROWS_MAX + 1, kind="inpatient")
    at_most(rows, f"{path}.endtime")
    return v.InhospQueryOutput(data=tuple(_stay_record(world, row) for row in rows if row.status != "cancelled"))


def _stay_record(world: World, row: store.VisitLine) -> v.InhospRecord:
    institution = world.institutions.get(row.fixmedins_code)
    main = _main_diagnosis(row)
    return v.InhospRecord(
        mdtrt_id=row.mdtrt_id, psn_no=row.psn_no, fixmedins_code=row.fixmedins_code,
        fixmedins_name=institution.fixmedins_name if institution else "", insutype=row.insutype,
        med_type=row.med_type, begntime=row.begntime, endtime=row.endtime or "", ipt_no=row.ipt_otp_no,
        inhosp_stas=_in_hospital(row), dise_codg=main[0], dise_name=main[1],
    )  # fmt: skip


# ---- 5304


def query_referrals(world: World, tx: Tx, ctx: CallContext, inp: v.ReflQueryInput) -> v.ReflQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    _person(world, ctx, d.psn_no, f"{path}.psn_no")
    span = time_range(d, path)
    first, last = span.begin[:10], span.end[:10]
    rows = [
        r for r in filing_store.filing_rows(tx, d.psn_no)
        if r.infno == REFERRAL and r.begndate <= last and (r.enddate is None or r.enddate >= first)
    ]  # fmt: skip
    at_most(rows, f"{path}.endtime")
    return v.ReflQueryOutput(refmedin=tuple(
        v.ReflRecord(trt_dcla_detl_sn=r.trt_dcla_detl_sn, psn_no=r.psn_no, insutype=r.insutype,
                     reflin_medins_no=r.fixmedins_code, reflin_medins_name=r.fixmedins_name,
                     mdtrtarea_admdvs=r.mdtrtarea_admdvs, refl_type=r.refl_type, begndate=r.begndate,
                     enddate=r.enddate or "", fil_stas=r.fil_stas, filed_by=r.filed_by, crte_date=r.crte_date)
        for r in rows
    ))  # fmt: skip


# ---- shared


def _person(world: World, ctx: CallContext, psn_no: str, path: str) -> Person:
    """The person, once the envelope names one of their insured places (a person may be insured in two)."""
    person = person_of(world, psn_no, path)
    places = [i.insuplc_admdvs for i in person.insurances]
    if ctx.insuplc_admdvs not in places:
        check_insured_place(ctx, psn_no, places[0])
    return person
