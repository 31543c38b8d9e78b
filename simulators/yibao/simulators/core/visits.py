"""Outpatient visits: 2201 register, 2202 cancel registration, 2203 visit information."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.identity import CERT_TYPES, check_certificate
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import datetime_field, flag_field, require
from yibao.simulators.core import stored_values
from yibao.simulators.core.people import active_insurance, check_insured_place
from yibao.simulators.core.values import outpatient as v
from yibao.storage.rows import VisitRow
from yibao.storage.store import Tx

OUTPATIENT_MED_TYPES = ("11", "12", "13", "14", "19", "51", "9901")


def register(world: World, tx: Tx, ctx: CallContext, inp: v.RegisterInput) -> v.RegisterOutput:
    d, path = inp.data, "input.data"
    require(
        d,
        path,
        "psn_no",
        "insutype",
        "begntime",
        "mdtrt_cert_type",
        "mdtrt_cert_no",
        "ipt_otp_no",
        "atddr_no",
        "dr_name",
        "dept_code",
        "dept_name",
        "caty",
    )
    datetime_field(d.begntime, f"{path}.begntime")
    flag_field(d.mdtrt_cert_type, f"{path}.mdtrt_cert_type", tuple(CERT_TYPES))
    person, insurance = active_insurance(ctx, world, d.psn_no, d.insutype, path)
    check_certificate(world, person, d.mdtrt_cert_type, d.mdtrt_cert_no, path)
    open_visit = tx.open_visit_by_ipt_otp_no(ctx.institution.fixmedins_code, d.ipt_otp_no)
    if open_visit is not None:
        raise Refusal("MDTRT_DUPLICATE", f"{path}.ipt_otp_no", value=d.ipt_otp_no, mdtrt_id=open_visit.mdtrt_id)
    mdtrt_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    tx.add_visit(
        mdtrt_id=mdtrt_id,
        psn_no=d.psn_no,
        insutype=d.insutype,
        fixmedins_code=ctx.institution.fixmedins_code,
        mdtrtarea_admvs=ctx.mdtrtarea_admvs,
        insuplc_admdvs=insurance.insuplc_admdvs,
        ipt_otp_no=d.ipt_otp_no,
        begntime=d.begntime,
        mdtrt_cert_type=d.mdtrt_cert_type,
        mdtrt_cert_no=d.mdtrt_cert_no,
        med_type="",
        status="open",
        created_at=ctx.time_text,
    )
    return v.RegisterOutput(data=v.RegisterResult(mdtrt_id=mdtrt_id, psn_no=d.psn_no, ipt_otp_no=d.ipt_otp_no))


def owned_visit(tx: Tx, ctx: CallContext, mdtrt_id: str, psn_no: str, path: str, kind: str) -> VisitRow:
    """The visit (or stay) named by the input: it exists as a `kind` visit, is this institution's and
    psn_no's, and the envelope names the person's insured place. Its status is the caller's to check."""
    visit = tx.visit(mdtrt_id)
    if visit is None or visit.kind != kind:
        raise Refusal("MDTRT_NOT_FOUND", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id)
    if visit.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("MDTRT_NOT_YOURS", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id, code=ctx.institution.fixmedins_code)
    if visit.psn_no != psn_no:
        raise Refusal("MDTRT_MISMATCH", f"{path}.psn_no", value=psn_no, mdtrt_id=mdtrt_id, expected=visit.psn_no)
    check_insured_place(ctx, psn_no, visit.insuplc_admdvs)
    return visit


def open_visit(tx: Tx, ctx: CallContext, mdtrt_id: str, psn_no: str, path: str) -> VisitRow:
    """An outpatient visit of this institution and psn_no that is still open."""
    visit = owned_visit(tx, ctx, mdtrt_id, psn_no, path, "outpatient")
    if visit.status != "open":
        raise Refusal("MDTRT_CANCELLED", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id)
    return visit


def cancel_registration(world: World, tx: Tx, ctx: CallContext, inp: v.CancelRegistrationInput) -> v.EmptyOutput:
    d, path = inp.data, "input.data"
    require(d, path, "psn_no", "mdtrt_id", "ipt_otp_no")
    tx.lock_person(d.psn_no)
    visit = open_visit(tx, ctx, d.mdtrt_id, d.psn_no, path)
    if d.ipt_otp_no != visit.ipt_otp_no:
        raise Refusal(
            "MDTRT_MISMATCH", f"{path}.ipt_otp_no", value=d.ipt_otp_no, mdtrt_id=d.mdtrt_id, expected=visit.ipt_otp_no
        )
    cancel_empty_visit(tx, d.mdtrt_id, path)
    return v.EmptyOutput()


def cancel_empty_visit(tx: Tx, mdtrt_id: str, path: str) -> None:
    """Cancel a visit or stay that has nothing left on it (undo order: settlement, then fees, then the visit)."""
    settled = tx.active_settlement(mdtrt_id)
    if settled is not None:
        raise Refusal("MDTRT_HAS_SETTLEMENT", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id, setl_id=settled.setl_id)
    fees = tx.fees(mdtrt_id)
    if fees:
        raise Refusal("MDTRT_HAS_FEES", f"{path}.mdtrt_id", mdtrt_id=mdtrt_id, count=len(fees))
    tx.update_visit(mdtrt_id, status="cancelled")


def upload_visit_info(world: World, tx: Tx, ctx: CallContext, inp: v.UploadVisitInfoInput) -> v.EmptyOutput:
    m, path = inp.mdtrtinfo, "input.mdtrtinfo"
    require(m, path, "mdtrt_id", "psn_no", "med_type", "begntime")
    datetime_field(m.begntime, f"{path}.begntime")
    flag_field(m.med_type, f"{path}.med_type", OUTPATIENT_MED_TYPES)
    for n, dise in enumerate(inp.diseinfo):
        dpath = f"input.diseinfo[{n}]"
        require(
            dise,
            dpath,
            "diag_type",
            "diag_srt_no",
            "diag_code",
            "diag_name",
            "diag_dept",
            "dise_dor_no",
            "dise_dor_name",
            "diag_time",
            "vali_flag",
        )
        flag_field(dise.diag_type, f"{dpath}.diag_type", ("1", "2", "3"))
        datetime_field(dise.diag_time, f"{dpath}.diag_time")
    open_visit(tx, ctx, m.mdtrt_id, m.psn_no, path)
    tx.update_visit(m.mdtrt_id, med_type=m.med_type, visit_info=stored_values.dumps(inp))
    return v.EmptyOutput()
