"""Filings (备案): 2501/2502 referral, 2503/2504 chronic disease, 2505/2506 cross-region filing, the queries
5301/5302, Y2505 change and Y2506 commitment material review; and what the settlement engine asks:
`filing_for` (the cross-region filing covering a stay) and `chronic_filings` (the diseases a person
may settle as 门诊慢特病). The rules are in src/yibao/domain/filing.py.

Every transaction that reads or writes a person's filings locks the person first, so two filings of
one person cannot both pass the one-filing-at-a-time check, and applies lapses due by today.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from yibao.call import CallContext
from yibao.domain.benefit_policy import FilingKind
from yibao.domain.filing import (
    BIZ_KINDS,
    BIZ_NAMES,
    CHRONIC_BIZ,
    COMMITMENT_KINDS,
    KINDS,
    LONG_TERM,
    TEMPORARY,
    Filing,
    Material,
    Status,
    applicable_filing,
    area_of,
    ban_from,
    biz_appy_type_of,
    check_lock,
    check_not_banned,
    check_psn_type,
    chronic_diseases,
    chronic_filing,
    conflicting,
    falls_in,
    lapse_day,
    last_day,
    material_due,
    same_city,
    valid_on,
    validity,
    withholding_home_benefits,
)
from yibao.domain.world import Insurance, Person, World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import flag_field, require
from yibao.simulators.core import stored_values
from yibao.simulators.core.people import active_insurance, check_insured_place, person_of
from yibao.simulators.core.values import filing as v
from yibao.storage import filings as store
from yibao.storage.rows import ChronicFilingRow, FilingRow
from yibao.storage.store import Tx

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

REFERRAL, DESIGNATION = "2501", "2505"  # the transactions that make a cross-region filing
REVOKED_WITH = {REFERRAL: "2502", DESIGNATION: "2506"}
REFL_TYPES = {"1": ("市内转院", "within the city"), "2": ("转往省内异地", "to another city of the province"),
              "3": ("转往省外异地", "to another province")}  # fmt: skip
ADMDVS = re.compile(r"[0-9]{6}")  # ASCII: \d takes other scripts' digits


# ---- for the settlement engine


def filing_for(
    tx: Tx, psn_no: str, insutype: str, treatment_admdvs: str, admission: date, today: date
) -> Filing | None:
    """The cross-region filing covering a stay (or visit) admitted on `admission` at an institution of
    `treatment_admdvs` and settled today; None when there is none. Applies (and writes) lapses first."""
    refresh(tx, psn_no, today)
    filings = store.filings(tx, psn_no, insutype)
    return applicable_filing(filings, treatment_admdvs, admission, today)


def chronic_filing_for(
    tx: Tx, psn_no: str, insutype: str, treatment_admdvs: str, visit: date, today: date
) -> Filing | None:
    """The chronic-disease cross-region filing covering a chronic visit at `treatment_admdvs` [003 art. 12]."""
    refresh(tx, psn_no, today)
    return chronic_filing(store.filings(tx, psn_no, insutype), treatment_admdvs, visit, today)


def home_benefits_withheld(tx: Tx, psn_no: str, insutype: str, admission: date, today: date) -> Filing | None:
    """At the insured place: the commitment filing that withholds the funds [003 art. 20], if any. Reads
    only; a lapse it sees is not counted and is written by the next call that refreshes the filings."""
    return withholding_home_benefits(store.filings(tx, psn_no, insutype), admission, today)


def chronic_filings(tx: Tx, psn_no: str, insutype: str, today: date) -> list[str]:
    """The opsp_dise_code of the person's chronic-disease filings valid today, sorted."""
    return sorted({r.opsp_dise_code for r in store.chronic_rows(tx, psn_no, insutype) if _chronic_valid(r, today)})


def refresh(tx: Tx, psn_no: str, today: date) -> None:
    """Cancel commitment filings whose material is overdue, and bar the person for 12 months from the
    day after the due date. The lapse day does not depend on when it is noticed, so a lapse noticed in
    a transaction that is rolled back is simply noticed again."""
    tx.lock_person(psn_no)
    for row in store.filing_rows(tx, psn_no):
        f = store.filing_of(row)
        lapsed = lapse_day(f, today)
        if lapsed is not None:
            store.close_filing(tx, f.trt_dcla_detl_sn, Status.CANCELLED, lapsed, matl_stas=Material.LAPSED)
            store.add_ban(tx, ban_from(f, lapsed, Material.LAPSED))


# ---- 2501 / 2505: make a cross-region filing


def refer(world: World, tx: Tx, ctx: CallContext, inp: v.ReferralInput) -> v.FilingOutput:
    r, path = inp.refmedin, "input.refmedin"
    require(r, path, "psn_no", "diag_code", "diag_name", "reflin_medins_no", "reflin_medins_name",
            "mdtrtarea_admdvs", "refl_type", "refl_date", "refl_rea", "refl_opnn")  # fmt: skip
    _fit(r, path, tel=50, addr=200, reflin_medins_no=30, reflin_medins_name=200)
    refl_type = flag_field(r.refl_type, f"{path}.refl_type", tuple(REFL_TYPES))
    _day(r.refl_date, f"{path}.refl_date")
    person, ins = _insured(world, ctx, r.psn_no, r.insutype, path)
    _check_insu_optins(r.insu_optins, ins, r.psn_no, f"{path}.insu_optins")
    area = _area(r.mdtrtarea_admdvs, f"{path}.mdtrtarea_admdvs")
    _check_in_area(world, r.reflin_medins_no, area, f"{path}.reflin_medins_no")
    home = ins.insuplc_admdvs
    fits = "1" if same_city(area, home) else "2" if area[:2] == home[:2] else "3"
    if refl_type != fits:
        zh, en = REFL_TYPES[refl_type]
        raise Refusal("FILING_REFL_TYPE", f"{path}.refl_type", value=refl_type, meaning=zh, meaning_en=en, area=area,
                      insuplc=home)  # fmt: skip
    f = _open(tx, ctx, person, ins, path, kind=FilingKind.REFERRAL, area=area, infno=REFERRAL,
              referral_months=_referral_months(world, ins), begndate=_date(r.begndate, f"{path}.begndate"),
              enddate=_date(r.enddate, f"{path}.enddate"),
              commitment=False, local=refl_type == "1", request=r,
              extra={"fixmedins_code": r.reflin_medins_no, "fixmedins_name": r.reflin_medins_name,
                     "refl_type": refl_type, "tel": r.tel, "addr": r.addr})  # fmt: skip
    return v.FilingOutput(result=_result(f))


def file_designation(world: World, tx: Tx, ctx: CallContext, inp: v.DesignationInput) -> v.FilingOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "biz_appy_type")
    _fit(d, path, tel=50, addr=200, fix_srt_no=3, fixmedins_code=30, fixmedins_name=200)
    biz = flag_field(d.biz_appy_type, f"{path}.biz_appy_type", tuple(BIZ_KINDS))
    kind = flag_field(d.fil_type or BIZ_KINDS[biz][0], f"{path}.fil_type", tuple(sorted(KINDS)))
    if kind not in BIZ_KINDS[biz]:
        raise Refusal("FILING_KIND_BIZ", f"{path}.fil_type", biz=biz, biz_name=BIZ_NAMES[biz],
                      allowed="/".join(BIZ_KINDS[biz]), kind=kind)  # fmt: skip
    commitment = flag_field(d.cmtm_flag or "0", f"{path}.cmtm_flag") == "1"
    person, ins = _insured(world, ctx, d.psn_no, d.insutype, path)
    chronic = biz == CHRONIC_BIZ
    if chronic and not chronic_filings(tx, person.psn_no, ins.insutype, ctx.now.date()):
        raise Refusal("FILING_CHRONIC_CROSS_NO_DISEASE", f"{path}.biz_appy_type", psn_no=person.psn_no,
                      insutype=ins.insutype)  # fmt: skip
    if d.mdtrtarea_admdvs:
        area = _area(d.mdtrtarea_admdvs, f"{path}.mdtrtarea_admdvs")
        _check_in_area(world, d.fixmedins_code, area, f"{path}.fixmedins_code")
    elif d.fixmedins_code in world.institutions:  # the national 2505 names an institution: file to its city
        area = area_of(world.institutions[d.fixmedins_code].admdvs)
    else:
        raise Refusal("ENV_REQUIRED", f"{path}.mdtrtarea_admdvs")
    f = _open(tx, ctx, person, ins, path, kind=kind, area=area, infno=DESIGNATION,
              referral_months=_referral_months(world, ins), begndate=_date(d.begndate, f"{path}.begndate"),
              enddate=_date(d.enddate, f"{path}.enddate"),
              commitment=commitment, local=False, request=d, chronic=chronic,
              extra={"fixmedins_code": d.fixmedins_code, "fixmedins_name": d.fixmedins_name,
                     "fix_srt_no": d.fix_srt_no, "tel": d.tel, "addr": d.addr, "memo": d.memo})  # fmt: skip
    return v.FilingOutput(result=_result(f))


def _referral_months(world: World, ins: Insurance) -> int:
    """How long the insured place lets a referral hold (docs/world-format.md, cross_region.referral_months)."""
    return world.regions[ins.insuplc_admdvs].cross_region.referral_months


def _open(
    tx: Tx,
    ctx: CallContext,
    person: Person,
    ins: Insurance,
    path: str,
    *,
    kind: str,
    area: str,
    infno: str,
    referral_months: int,
    begndate: date | None,
    enddate: date | None,
    commitment: bool,
    local: bool,
    request: DataclassInstance,
    extra: dict[str, str],
    replaces: Filing | None = None,
    material: str | None = None,
    due: date | None = None,
    chronic: bool = False,
) -> Filing:
    """Check and store a new filing (or a new version of `replaces`)."""
    today, psn_no = ctx.now.date(), person.psn_no
    if not local and same_city(area, ins.insuplc_admdvs):
        raise Refusal("FILING_LOCAL_PLACE", f"{path}.mdtrtarea_admdvs", area=area, insuplc=ins.insuplc_admdvs)
    check_psn_type(kind, ins.insutype, ins.psn_type, psn_no, f"{path}.fil_type")
    begndate, enddate = validity(kind, begndate or today, enddate, today, path, referral_months)
    if commitment and kind not in COMMITMENT_KINDS:
        raise Refusal("FILING_COMMITMENT_KIND", f"{path}.cmtm_flag", kind=kind, name=FilingKind.NAMES[kind])
    refresh(tx, psn_no, today)
    if commitment and replaces is None:
        check_not_banned(store.bans(tx, psn_no), today, f"{path}.cmtm_flag")
    if not local:
        _check_no_clash(tx, ins, psn_no, begndate, enddate, replaces, path, chronic)
    f = Filing(
        trt_dcla_detl_sn=new_id(ins.insuplc_admdvs, ctx.now),
        psn_no=psn_no,
        insutype=ins.insutype,
        kind=kind,
        area=area,
        begndate=begndate,
        enddate=enddate,
        filed_on=today,
        commitment=commitment,
        material=(material or Material.AWAITED) if commitment else "",
        material_due=(due or material_due(begndate)) if commitment else None,
        chronic=chronic,
    )
    _store_filing(tx, ctx, f, ins, infno, request, extra, replaces)
    return f


def _check_no_clash(
    tx: Tx,
    ins: Insurance,
    psn_no: str,
    begndate: date,
    enddate: date | None,
    replaces: Filing | None,
    path: str,
    chronic: bool,
) -> None:
    """One cross-region filing at a time [003 art. 7]: none of the person's other filings of the insurance may be in
    force in [begndate, enddate] (the filing a change replaces aside)."""
    others = store.filings(tx, psn_no, ins.insutype)
    skip = replaces.trt_dcla_detl_sn if replaces else ""
    clash = conflicting([o for o in others if o.trt_dcla_detl_sn != skip], ins.insuplc_admdvs, begndate, enddate,
                        chronic)  # fmt: skip
    if clash is None:
        return
    made = store.filing_row(tx, clash.trt_dcla_detl_sn)
    raise Refusal("FILING_ACTIVE_EXISTS", f"{path}.psn_no", psn_no=psn_no, insutype=ins.insutype,
                  sn=clash.trt_dcla_detl_sn, name=FilingKind.NAMES[clash.kind], area=clash.area,
                  begndate=clash.begndate, enddate=clash.last_day or "长期", enddate_en=clash.last_day or "open",
                  revoke=REVOKED_WITH[made.infno] if made is not None else "")  # fmt: skip


def _store_filing(
    tx: Tx,
    ctx: CallContext,
    f: Filing,
    ins: Insurance,
    infno: str,
    request: DataclassInstance,
    extra: dict[str, str],
    replaces: Filing | None,
) -> None:
    """Store filing `f`, made by message `infno` (its input kept as `request`); `extra`: the columns of the
    institution and the contact the input gave."""
    store.add_filing(
        tx,
        trt_dcla_detl_sn=f.trt_dcla_detl_sn,
        psn_no=f.psn_no,
        insutype=ins.insutype,
        insuplc_admdvs=ins.insuplc_admdvs,
        infno=infno,
        biz_appy_type=CHRONIC_BIZ if f.chronic else biz_appy_type_of(f.kind),
        fil_type=f.kind,
        mdtrtarea_admdvs=f.area,
        begndate=f.begndate.isoformat(),
        enddate=store.text(f.enddate),
        crte_date=f.filed_on.isoformat(),
        fil_stas=Status.ACTIVE,
        cmtm_flag=f.commitment,
        matl_stas=f.material,
        matl_due_date=store.text(f.material_due),
        init_sn=replaces.trt_dcla_detl_sn if replaces else None,
        filed_by=ctx.institution.fixmedins_code,
        msgid=ctx.msgid,
        request=stored_values.dumps(request),
        **extra,
    )


def _result(f: Filing, replaced: str = "") -> v.FilingResult:
    return v.FilingResult(
        trt_dcla_detl_sn=f.trt_dcla_detl_sn,
        begndate=f.begndate.isoformat(),
        enddate=_text(f.enddate),
        mdtrtarea_admdvs=f.area,
        fil_type=f.kind,
        cmtm_flag="1" if f.commitment else "0",
        matl_due_date=_text(f.material_due),
        init_trt_dcla_detl_sn=replaced,
    )


# ---- 2502 / 2506: revoke


def revoke_referral(world: World, tx: Tx, ctx: CallContext, inp: v.RevokeFilingInput) -> v.RevokeFilingOutput:
    return _revoke(world, tx, ctx, inp, REFERRAL)


def revoke_designation(world: World, tx: Tx, ctx: CallContext, inp: v.RevokeFilingInput) -> v.RevokeFilingOutput:
    return _revoke(world, tx, ctx, inp, DESIGNATION)


def _revoke(world: World, tx: Tx, ctx: CallContext, inp: v.RevokeFilingInput, made_by: str) -> v.RevokeFilingOutput:
    d, path = inp.data, "input.data"
    require(d, path, "trt_dcla_detl_sn", "psn_no")
    today = ctx.now.date()
    row = _current(world, tx, ctx, d.trt_dcla_detl_sn, d.psn_no, path)
    if row.infno != made_by:
        raise Refusal("FILING_WRONG_TXN", f"{path}.trt_dcla_detl_sn", sn=row.trt_dcla_detl_sn, source=row.infno,
                      expected=REVOKED_WITH[row.infno], action="撤销", action_en="revoke")  # fmt: skip
    f = store.filing_of(row)
    _check_active(f, f"{path}.trt_dcla_detl_sn", "撤销", "revoked")
    check_lock(f, today, "撤销", "revoked", f"{path}.trt_dcla_detl_sn")
    store.close_filing(tx, f.trt_dcla_detl_sn, Status.REVOKED, today, memo=d.memo)
    return v.RevokeFilingOutput(
        result=v.RevokeFilingResult(
            trt_dcla_detl_sn=f.trt_dcla_detl_sn, fil_stas=Status.REVOKED, enddate=_text(last_day(f.enddate, today))
        )
    )


# ---- Y2505: change


def change_filing(world: World, tx: Tx, ctx: CallContext, inp: v.ChangeFilingInput) -> v.FilingOutput:
    d, path = inp.data, "input.data"
    require(d, path, "trt_dcla_detl_sn", "psn_no")
    _fit(d, path, tel=50, addr=200)
    today = ctx.now.date()
    row = _current(world, tx, ctx, d.trt_dcla_detl_sn, d.psn_no, path)
    person, ins = active_insurance(ctx, world, row.psn_no, row.insutype, path)
    old = store.filing_of(row)
    _check_active(old, f"{path}.trt_dcla_detl_sn", "变更", "changed")
    check_lock(old, today, "变更", "changed", f"{path}.trt_dcla_detl_sn")
    kind = flag_field(d.fil_type, f"{path}.fil_type", tuple(sorted(KINDS))) if d.fil_type else old.kind
    area = _area(d.mdtrtarea_admdvs, f"{path}.mdtrtarea_admdvs") if d.mdtrtarea_admdvs else old.area
    begndate = _date(d.begndate, f"{path}.begndate") or today
    enddate = _date(d.enddate, f"{path}.enddate")
    same_class = (kind in TEMPORARY) == (old.kind in TEMPORARY) and kind not in LONG_TERM
    if enddate is None and same_class and old.enddate is not None and old.enddate >= begndate:
        enddate = old.enddate  # an unchanged end carries over; a long-term type has none
    tel, addr = d.tel or row.tel, d.addr or row.addr
    if (kind, area, enddate, tel, addr) == (old.kind, old.area, old.enddate, row.tel, row.addr):
        raise Refusal("FILING_NO_CHANGE", f"{path}.trt_dcla_detl_sn", sn=old.trt_dcla_detl_sn)
    # The commitment goes with the filing: changing it does not reset or escape the material deadline.
    pending = old.commitment and old.material == Material.AWAITED
    if pending and kind not in COMMITMENT_KINDS:
        raise Refusal("FILING_COMMITMENT_KIND", f"{path}.fil_type", kind=kind, name=FilingKind.NAMES[kind])
    keep_place = area == old.area
    f = _open(tx, ctx, person, ins, path, kind=kind, area=area, infno=row.infno,
              referral_months=_referral_months(world, ins), begndate=begndate, enddate=enddate,
              commitment=old.commitment and kind in COMMITMENT_KINDS,
              local=row.refl_type == "1" and same_city(area, ins.insuplc_admdvs), request=d,
              extra={"fixmedins_code": row.fixmedins_code if keep_place else "",
                     "fixmedins_name": row.fixmedins_name if keep_place else "",
                     "fix_srt_no": row.fix_srt_no if keep_place else "", "refl_type": row.refl_type,
                     "tel": tel, "addr": addr, "memo": d.memo},
              replaces=old, material=old.material, due=old.material_due, chronic=old.chronic)  # fmt: skip
    store.close_filing(tx, old.trt_dcla_detl_sn, Status.CHANGED, f.begndate)
    return v.FilingOutput(result=_result(f, replaced=old.trt_dcla_detl_sn))


# ---- Y2506: the insured-place agency reviews a commitment filing's material


def review_commitment(world: World, tx: Tx, ctx: CallContext, inp: v.ReviewCommitmentInput) -> v.ReviewCommitmentOutput:
    d, path = inp.data, "input.data"
    require(d, path, "trt_dcla_detl_sn", "psn_no", "matl_stas")
    verdict = flag_field(d.matl_stas, f"{path}.matl_stas", (Material.SUPPLIED, Material.FALSE))
    today = ctx.now.date()
    row = _current(world, tx, ctx, d.trt_dcla_detl_sn, d.psn_no, path)
    f = store.filing_of(row)
    if not f.commitment:
        raise Refusal("FILING_NOT_COMMITMENT", f"{path}.trt_dcla_detl_sn", sn=f.trt_dcla_detl_sn)
    _check_active(f, f"{path}.trt_dcla_detl_sn", "审核", "reviewed")
    result = v.ReviewCommitmentResult(trt_dcla_detl_sn=f.trt_dcla_detl_sn, matl_stas=verdict)
    if verdict == Material.SUPPLIED:
        if f.material == Material.SUPPLIED:
            raise Refusal("FILING_MATERIAL_DONE", f"{path}.matl_stas", sn=f.trt_dcla_detl_sn, date=row.matl_rvw_date)
        store.set_material(tx, f.trt_dcla_detl_sn, Material.SUPPLIED, today)
        return v.ReviewCommitmentOutput(result=replace(result, fil_stas=Status.ACTIVE, enddate=_text(f.last_day)))
    # False material or a false commitment: cancelled at once, no commitment filing for 12 months [art. 7].
    ban = ban_from(f, today, Material.FALSE)
    store.close_filing(tx, f.trt_dcla_detl_sn, Status.CANCELLED, today, matl_stas=Material.FALSE,
                       matl_rvw_date=today.isoformat())  # fmt: skip
    store.add_ban(tx, ban)
    result = replace(result, fil_stas=Status.CANCELLED, enddate=_text(last_day(f.enddate, today)),
                     ban_begndate=ban.begndate.isoformat(), ban_enddate=ban.enddate.isoformat())  # fmt: skip
    return v.ReviewCommitmentOutput(result=result)


# ---- 5302


def query_designations(
    world: World, tx: Tx, ctx: CallContext, inp: v.DesignationQueryInput
) -> v.DesignationQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    person = person_of(world, d.psn_no, f"{path}.psn_no")
    _check_any_insured_place(ctx, person)
    today = ctx.now.date()
    refresh(tx, person.psn_no, today)
    found = []
    for row in store.filing_rows(tx, person.psn_no):
        if d.biz_appy_type and row.biz_appy_type != d.biz_appy_type:
            continue
        f = store.filing_of(row)
        found.append(v.PsnFixmedin(
            psn_no=row.psn_no, insutype=row.insutype, fix_srt_no=row.fix_srt_no, fixmedins_code=row.fixmedins_code,
            fixmedins_name=row.fixmedins_name, begndate=row.begndate, enddate=_text(f.last_day), memo=row.memo,
            trt_dcla_detl_sn=row.trt_dcla_detl_sn, biz_appy_type=row.biz_appy_type, fil_type=row.fil_type,
            fil_type_name=FilingKind.NAMES[row.fil_type], mdtrtarea_admdvs=row.mdtrtarea_admdvs, fil_stas=row.fil_stas,
            vali_flag="1" if f.valid_on(today) else "0", cmtm_flag="1" if row.cmtm_flag else "0",
            matl_stas=row.matl_stas, matl_due_date=row.matl_due_date or "", init_trt_dcla_detl_sn=row.init_sn or "",
            crte_date=row.crte_date, infno=row.infno, refl_type=row.refl_type,
            reflin_medins_no=row.fixmedins_code if row.infno == REFERRAL else "",
            reflin_medins_name=row.fixmedins_name if row.infno == REFERRAL else "",
        ))  # fmt: skip
    return v.DesignationQueryOutput(psnfixmedin=tuple(found))


# ---- 2503 / 2504 / 5301: chronic and special outpatient diseases


def file_chronic(world: World, tx: Tx, ctx: CallContext, inp: v.ChronicFilingInput) -> v.FilingOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "insutype", "opsp_dise_code", "opsp_dise_name", "insu_optins", "ide_fixmedins_no",
            "ide_fixmedins_name", "hosp_ide_date", "diag_dr_codg", "diag_dr_name", "begndate")  # fmt: skip
    _fit(d, path, opsp_dise_name=300, tel=50, addr=200, ide_fixmedins_no=30, ide_fixmedins_name=200)
    person, ins = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    _check_insu_optins(d.insu_optins, ins, d.psn_no, f"{path}.insu_optins")
    hosp_ide_date = _day(d.hosp_ide_date, f"{path}.hosp_ide_date")
    begndate = _day(d.begndate, f"{path}.begndate")
    enddate = _date(d.enddate, f"{path}.enddate")
    if enddate is not None and enddate < begndate:
        raise Refusal("FILING_DATES", f"{path}.enddate", begndate=begndate, enddate=enddate)
    # The disease list is the insured place's [003 art. 18]: only its listed diseases can be filed.
    listed = chronic_diseases(world.regions[ins.insuplc_admdvs].benefits, ins.insutype, ins.psn_type)
    if d.opsp_dise_code not in listed:
        raise Refusal("FILING_CHRONIC_NOT_LISTED", f"{path}.opsp_dise_code", admdvs=ins.insuplc_admdvs,
                      insutype=ins.insutype, code=d.opsp_dise_code, listed="、".join(listed) or "无")  # fmt: skip
    tx.lock_person(person.psn_no)
    for row in store.chronic_rows(tx, person.psn_no, ins.insutype):
        last = _chronic_last(row)
        overlaps = (last is None or begndate <= last) and (
            enddate is None or date.fromisoformat(row.begndate) <= enddate
        )
        if row.opsp_dise_code == d.opsp_dise_code and row.fil_stas == Status.ACTIVE and overlaps:
            raise Refusal("FILING_CHRONIC_EXISTS", f"{path}.opsp_dise_code", psn_no=person.psn_no,
                          insutype=ins.insutype, code=d.opsp_dise_code, sn=row.trt_dcla_detl_sn,
                          begndate=row.begndate, enddate=_text(last) or "长期",
                          enddate_en=_text(last) or "open")  # fmt: skip
    sn = new_id(ins.insuplc_admdvs, ctx.now)
    store.add_chronic(
        tx,
        trt_dcla_detl_sn=sn,
        psn_no=person.psn_no,
        insutype=ins.insutype,
        opsp_dise_code=d.opsp_dise_code,
        opsp_dise_name=d.opsp_dise_name,
        begndate=begndate.isoformat(),
        enddate=store.text(enddate),
        crte_date=ctx.now.date().isoformat(),
        fil_stas=Status.ACTIVE,
        ide_fixmedins_no=d.ide_fixmedins_no,
        ide_fixmedins_name=d.ide_fixmedins_name,
        hosp_ide_date=hosp_ide_date.isoformat(),
        filed_by=ctx.institution.fixmedins_code,
        msgid=ctx.msgid,
        request=stored_values.dumps(d),
    )
    return v.FilingOutput(
        result=v.FilingResult(trt_dcla_detl_sn=sn, begndate=begndate.isoformat(), enddate=_text(enddate))
    )


def revoke_chronic(world: World, tx: Tx, ctx: CallContext, inp: v.RevokeFilingInput) -> v.RevokeFilingOutput:
    d, path = inp.data, "input.data"
    require(d, path, "trt_dcla_detl_sn", "psn_no")
    row = store.chronic_row(tx, d.trt_dcla_detl_sn)
    if row is None or row.psn_no != d.psn_no:
        raise Refusal("FILING_NOT_FOUND", f"{path}.trt_dcla_detl_sn", sn=d.trt_dcla_detl_sn, psn_no=d.psn_no)
    active_insurance(ctx, world, row.psn_no, row.insutype, path)
    if row.fil_stas != Status.ACTIVE:
        raise Refusal("FILING_NOT_ACTIVE", f"{path}.trt_dcla_detl_sn", sn=row.trt_dcla_detl_sn,
                      status=Status.NAMES[row.fil_stas], status_en=Status.NAMES_EN[row.fil_stas], since=row.stop_date,
                      action="撤销", action_en="revoked")  # fmt: skip
    today = ctx.now.date()
    store.close_chronic(tx, row.trt_dcla_detl_sn, Status.REVOKED, today, d.memo)
    last = last_day(store.day(row.enddate), today)
    return v.RevokeFilingOutput(
        result=v.RevokeFilingResult(trt_dcla_detl_sn=row.trt_dcla_detl_sn, fil_stas=Status.REVOKED, enddate=_text(last))
    )


def query_chronic(world: World, tx: Tx, ctx: CallContext, inp: v.ChronicQueryInput) -> v.ChronicQueryOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    person = person_of(world, d.psn_no, f"{path}.psn_no")
    _check_any_insured_place(ctx, person)
    today = ctx.now.date()
    return v.ChronicQueryOutput(feedetail=tuple(
        v.ChronicFilingRow(
            opsp_dise_code=row.opsp_dise_code, opsp_dise_name=row.opsp_dise_name, begndate=row.begndate,
            enddate=_text(_chronic_last(row)), trt_dcla_detl_sn=row.trt_dcla_detl_sn, insutype=row.insutype,
            fil_stas=row.fil_stas, vali_flag="1" if _chronic_valid(row, today) else "0",
            ide_fixmedins_no=row.ide_fixmedins_no, ide_fixmedins_name=row.ide_fixmedins_name,
            hosp_ide_date=row.hosp_ide_date,
        )
        for row in store.chronic_rows(tx, person.psn_no)
    ))  # fmt: skip


def _chronic_last(row: ChronicFilingRow) -> date | None:
    return last_day(store.day(row.enddate), store.day(row.stop_date))


def _chronic_valid(row: ChronicFilingRow, today: date) -> bool:
    return valid_on(date.fromisoformat(row.begndate), _chronic_last(row), today)


# ---- shared checks


def _insured(world: World, ctx: CallContext, psn_no: str, insutype: str, path: str) -> tuple[Person, Insurance]:
    """The person's insurance; insutype may be left out when the person has only one (national 2505 has none)."""
    if not insutype:
        person = person_of(world, psn_no, f"{path}.psn_no")
        if len(person.insurances) != 1:
            raise Refusal("ENV_REQUIRED", f"{path}.insutype")
        insutype = person.insurances[0].insutype
    return active_insurance(ctx, world, psn_no, insutype, path)


def _current(world: World, tx: Tx, ctx: CallContext, sn: str, psn_no: str, path: str) -> FilingRow:
    """The filing `sn` of `psn_no`, after locking the person and applying lapses due by today."""
    row = store.filing_row(tx, sn)
    if row is None or row.psn_no != psn_no:
        raise Refusal("FILING_NOT_FOUND", f"{path}.trt_dcla_detl_sn", sn=sn, psn_no=psn_no)
    check_insured_place(ctx, psn_no, row.insuplc_admdvs)
    refresh(tx, psn_no, ctx.now.date())
    return store.filing_row(tx, sn) or row  # lapses close a filing, never remove it


def _check_active(f: Filing, field: str, action: str, action_en: str) -> None:
    if f.is_active:
        return
    status, status_en = Status.NAMES[f.status], Status.NAMES_EN[f.status]
    if f.status == Status.CANCELLED:
        status += f"（承诺材料{Material.NAMES[f.material]}）"
        status_en += " (commitment material " + ("lapsed)" if f.material == Material.LAPSED else "false)")
    raise Refusal("FILING_NOT_ACTIVE", field, sn=f.trt_dcla_detl_sn, status=status, status_en=status_en,
                  since=f.stop_date, action=action, action_en=action_en)  # fmt: skip


def _check_any_insured_place(ctx: CallContext, person: Person) -> None:
    places = [i.insuplc_admdvs for i in person.insurances]
    if ctx.insuplc_admdvs not in places:
        check_insured_place(ctx, person.psn_no, places[0])


def _check_insu_optins(value: str, ins: Insurance, psn_no: str, field: str) -> None:
    if value and value != ins.insuplc_admdvs:
        raise Refusal("FILING_INSU_OPTINS", field, value=value, psn_no=psn_no, expected=ins.insuplc_admdvs)


def _check_in_area(world: World, fixmedins_code: str, area: str, field: str) -> None:
    """An institution the world knows must lie in the filed area (an unknown one is taken on trust)."""
    inst = world.institutions.get(fixmedins_code)
    if inst is not None and not falls_in(inst.admdvs, area):
        raise Refusal("FILING_MEDINS_PLACE", field, code=fixmedins_code, admdvs=inst.admdvs, area=area)


def _area(value: str, field: str) -> str:
    if not ADMDVS.fullmatch(value):
        raise Refusal("ENV_FORMAT", field, rule=f"应为6位医保区划代码，收到 {value!r}")
    return area_of(value)


def _date(value: str, field: str) -> date | None:
    """An optional yyyy-MM-dd field."""
    return _day(value, field) if value else None


def _day(value: str, field: str) -> date:
    """A yyyy-MM-dd field that is present (checked by `require`)."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Refusal("ENV_FORMAT", field, rule=f"应为 yyyy-MM-dd，收到 {value!r}")


def _text(d: date | None) -> str:
    return d.isoformat() if d else ""


def _fit(msg: object, path: str, **limits: int) -> None:
    for name, limit in limits.items():
        if len(getattr(msg, name)) > limit:
            raise Refusal("ENV_TOO_LONG", f"{path}.{name}", max=limit)
