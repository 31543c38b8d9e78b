"""The settlement engine shared by outpatient (2206/2207), chronic disease, inpatient (2303/2304)
and pharmacy (2101/2102) settlement, and by every cancellation.

The treatment place's catalogue already split each item; here we decide which standard of the
insured place applies (local, long-term filing, temporary outing, emergency, student, …), run the
fund stack of the domain, and write — in the caller's transaction — the settlement, what it moved
(accumulators, accounts) and the reply with its rule trace.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.benefit_policy import (
    Benefit,
    BenefitRule,
    FilingKind,
    cross_region_benefit,
    find_rule,
    hardship_benefit,
    home,
    keeps_local_standard_in_province,
    locality,
)
from yibao.domain.catalogue_split import NO_PRICE_CAP, CatalogueItem
from yibao.domain.emergency import flagged_by_items, recognised_emergency
from yibao.domain.fee_limits import TRACE_ITEMS_LISTED
from yibao.domain.fund_allocation import Accumulated, PersonFacts, Settlement, allocate
from yibao.domain.identity import age_on
from yibao.domain.money import ZERO, ratio, yuan
from yibao.domain.refund import Money, accumulator_deltas
from yibao.domain.world import Insurance, Person, Region, World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.simulators.core import stored_values
from yibao.simulators.core.filings import chronic_filing_for, filing_for, home_benefits_withheld
from yibao.simulators.core.item_split import FeeLine, fee_split, fee_totals
from yibao.simulators.core.ledger_json import BenefitJson, Moves, SettleCalc
from yibao.simulators.core.resettle_guard import check_not_resettled_for_benefits
from yibao.simulators.core.stored_values import visit_diagnoses
from yibao.simulators.core.values import settlement as sv
from yibao.storage import family_accounts as family_store
from yibao.storage import ledger
from yibao.storage.store import Tx, from_fen, to_fen

NO_FUND_BASIS = "未备案或无统筹待遇：基金不予支付，个人账户可支付"
WITHHELD_AT_HOME_BASIS = (
    "{name}备案（承诺制，{sn}）材料待补充：补齐前回参保地就医基金不予支付，个人账户可支付（003 第二十条）"
)
CLR_WAY = "1"  # samples show "1"; its meaning is not published (docs/reference/interface.md §8)
GENERAL_OUTPATIENT = "11"
EMERGENCY_MED_TYPES = frozenset({"13", "24"})  # 13 急诊 (outpatient), 24 急诊转住院: the emergency flag
STUDENT_PSN_TYPES = frozenset({"1403", "1404"})  # 中小学生, 大学生 (resident insurance)
MATERNITY_MED_TYPES = frozenset({"51", "52"})  # 生育门诊, 生育住院
MATERNITY_IN_PROVINCE_BASIS = "生育：省内异地联网医院自动备案，执行参保地本地待遇（003 第二十二条）"
AMOUNT_FIELDS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
                 "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay",
                 "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "hosp_part_amt",
                 "acct_mulaid_pay")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    """What is being settled."""

    person: Person
    insurance: Insurance
    mdtrt_id: str
    chrg_bchno: str  # the batch (outpatient); "" for a whole stay or a pharmacy sale
    med_type: str
    category: str  # outpatient | chronic | inpatient | pharmacy
    clr_type: str  # 11 门诊, 21 住院, 41 药店购药
    mdtrt_cert_type: str
    admission: date  # begin of the visit or stay: decides which filing covers it
    use_account: bool
    fees: Sequence[FeeLine]  # fee rows (storage/schema.fee), or a pharmacy sale's lines
    treatment_admdvs: str  # the region whose catalogue split the items
    rule_key: str = ""  # the benefit-table key when it is not med_type: "14:<dise_codg>" for a chronic disease


@dataclass(frozen=True, slots=True)
class Computed:
    settlement: Settlement
    benefit_basis: str
    locality: str
    filing_sn: str
    moves: Moves  # accumulator and account deltas, as stored for reversal
    benefit: Benefit | None = None  # the standard applied: a later refund computes with it again
    keys: dict[str, str] = field(default_factory=dict)  # accumulator role → storage key
    holder: str = ""  # the family-account holder (the person when there is none)


def family_floor(world: World, holder: str) -> Decimal:
    """Only the holder's balance above this floor is shared (家庭共济); the holder's insured place sets it. A family
    account set up at run time (Y2901, keyed by its fam_acct_id) is the family's whole: no floor."""
    if holder not in world.persons:
        return ZERO
    employee = world.persons[holder].insurance("310")  # the loader guarantees a holder has one
    assert employee is not None
    return world.regions[employee.insuplc_admdvs].funds.family_account_floor


def family_source(tx: Tx, world: World, psn_no: str) -> str:
    """Whose balance pays the person's family part: the family account they belong to (Y2901), else the holder of
    a family the world file declares, else the person (no family part)."""
    member = family_store.membership(tx, psn_no)
    return member.fam_acct_id if member else world.family_holder.get(psn_no, psn_no)


def lock_people(tx: Tx, world: World, psn_no: str) -> dict[str, Decimal]:
    """Lock the person and their family-account holder (sorted, so two settlements never deadlock)."""
    people = sorted({psn_no, family_source(tx, world, psn_no)})
    return {p: tx.lock_person(p) or ZERO for p in people}


def compute(world: World, tx: Tx, ctx: CallContext, case: Case, balances: dict[str, Decimal]) -> Computed:
    ins = case.insurance
    insured = world.regions[ins.insuplc_admdvs]
    rule = find_rule(insured.benefits, ins.insutype, ins.psn_type, case.rule_key or case.med_type,
                     ctx.institution.hosp_lv)  # fmt: skip
    loc = locality(case.treatment_admdvs, ins.insuplc_admdvs)
    benefit, filing_sn, basis = _benefit(tx, case, rule, insured, loc, ctx.now.date())
    # No rule at all: a pharmacy purchase or general outpatient visit (11) is paid by the personal account
    # alone (e.g. an insured place without 门诊统筹); anything else has no benefit to settle under.
    if benefit is None and rule is None and not (case.category == "pharmacy" or case.med_type == GENERAL_OUTPATIENT):
        raise Refusal("MED_TYPE_UNSUPPORTED", "input.data.med_type", admdvs=insured.admdvs, insutype=ins.insutype,
                      med_type=case.med_type)  # fmt: skip
    if loc != "local":  # not refunded and settled again merely for another standard [003 art. 26]
        check_not_resettled_for_benefits(tx, ctx, case.person.psn_no, ins.insutype, case.mdtrt_id, case.fees,
                                         filing_sn)  # fmt: skip
    totals = fee_totals(case.fees)

    year, psn = ctx.now.year, case.person.psn_no
    group = benefit.accum_group if benefit else "none"
    keys = {
        "dedc": f"stay:{case.mdtrt_id}:dedc" if benefit and benefit.per_stay else f"{ins.insutype}:{group}:dedc",
        "fund": f"{ins.insutype}:{group}:fund",
        "large": "330100:fund",
        "ci_dedc": "390200:dedc",
        "ci": "390200:fund",
        "assist": "610100:fund",
    }
    got = tx.accumulators(psn, year, list(keys.values()))
    acc = Accumulated(*(got[keys[k]] for k in ("dedc", "fund", "large", "ci_dedc", "ci", "assist")))
    holder = family_source(tx, world, psn)
    family_available = max(ZERO, balances[holder] - family_floor(world, holder)) if holder != psn else ZERO
    facts = PersonFacts(
        insutype=ins.insutype,
        cvlserv_flag=ins.cvlserv_flag,
        idet_types=frozenset(i.psn_idet_type for i in case.person.idetinfo),
        use_account=case.use_account,
        own_balance=balances[psn],
        family_available=family_available,
    )
    s = allocate(totals, benefit, insured.funds, facts, acc)
    s.check_balances()
    return Computed(s, basis, loc, filing_sn, settlement_moves(s, keys, psn, holder, year), benefit, keys, holder)


def settlement_moves(s: Settlement, keys: dict[str, str], psn_no: str, holder: str, year: int) -> Moves:
    """What settlement `s` moves: the person's accumulators of `year` (by storage key), the own account and the
    family-account holder's, as stored with it (settlement.moves)."""
    accounts = ((psn_no, s.acct_pay - s.acct_mulaid_pay), (holder, s.acct_mulaid_pay))
    return {
        "accumulators": [(psn_no, year, k, to_fen(v)) for k, v in accumulator_deltas(s, keys).items()],
        "accounts": [(p, -to_fen(v)) for p, v in accounts if v],
    }


def benefit_for(
    tx: Tx, case: Case, rule: BenefitRule | None, insured: Region, loc: str, today: date
) -> tuple[Benefit | None, str, str]:
    """The standard a settlement of `case` would apply, the filing that decides it and why: 2001 asks it before
    any care, with the very rules a settlement applies."""
    return _benefit(tx, case, rule, insured, loc, today)


def _benefit(
    tx: Tx, case: Case, rule: BenefitRule | None, insured: Region, loc: str, today: date
) -> tuple[Benefit | None, str, str]:
    """The standard that applies, the filing that decided it ("" if none) and why, in words."""
    benefit, sn = _standard(tx, case, rule, insured, loc, today)
    if loc == "local" and benefit is not None:
        ins = case.insurance
        withheld = home_benefits_withheld(tx, case.person.psn_no, ins.insutype, case.admission, today)
        if withheld is not None:
            sn = withheld.trt_dcla_detl_sn
            return None, sn, WITHHELD_AT_HOME_BASIS.format(name=FilingKind.NAMES[withheld.kind], sn=sn)
    return benefit, sn, benefit.basis if benefit else NO_FUND_BASIS


def _standard(
    tx: Tx, case: Case, rule: BenefitRule | None, insured: Region, loc: str, today: date
) -> tuple[Benefit | None, str]:
    if rule is None:
        return None, ""
    if loc == "local":
        return home(rule, "本地就医：参保地本地待遇"), ""
    if loc == "in_province" and insured.cross_region.no_filing_in_province:
        return home(rule, "省内异地就医免备案：参保地本地待遇"), ""
    if loc == "in_province" and case.med_type in MATERNITY_MED_TYPES:
        return home(rule, MATERNITY_IN_PROVINCE_BASIS), ""
    ins = case.insurance
    if case.category == "chronic":  # its own filing, a long-term one does not open it [003 art. 12]
        filing = chronic_filing_for(tx, case.person.psn_no, ins.insutype, case.treatment_admdvs, case.admission, today)
        if filing is None:
            return None, ""
    else:
        filing = filing_for(tx, case.person.psn_no, ins.insutype, case.treatment_admdvs, case.admission, today)
    kind = filing.kind if filing else None
    if kind is None:
        if case.category == "inpatient" and ins.insutype == "390" and ins.psn_type in STUDENT_PSN_TYPES:
            kind = FilingKind.STUDENT  # students need no filing for inpatient care [003 art. 10, 21]
        elif _emergency_flagged(case) and _recognised(tx, case, insured):
            kind = FilingKind.EMERGENCY  # the emergency flag counts as a filing [003 art. 8]
        elif case.category == "inpatient":
            kind = FilingKind.TEMPORARY  # temporary inpatient: automatic filing, 免申即享 [003 art. 9]
        else:
            return None, ""  # outpatient, chronic and pharmacy across regions without a filing: account only
    category = "inpatient" if case.category == "inpatient" else "outpatient"
    hardship = case.person.identities_on(case.admission)
    if loc == "in_province" and keeps_local_standard_in_province(insured.cross_region, kind, category, hardship):
        return hardship_benefit(rule, kind), filing.trt_dcla_detl_sn if filing else ""
    benefit = cross_region_benefit(rule, insured.cross_region, kind, category, ins.insutype)
    return benefit, filing.trt_dcla_detl_sn if filing else ""


def _emergency_flagged(case: Case) -> bool:
    """The emergency flag: the visit's med_type (13, 24), or its items marked er_flag 1 (2301 or 2204) [003
    art. 8]. A chronic-disease visit has its own filing and a pharmacy sale no emergency."""
    items = case.category in ("inpatient", "outpatient") and flagged_by_items(f.er_flag for f in case.fees)
    return case.med_type in EMERGENCY_MED_TYPES or items


def _recognised(tx: Tx, case: Case, insured: Region) -> bool:
    """Whether the visit's diagnoses fit the insured place's emergency list [003 art. 8]; no list: the flag does."""
    listed = insured.cross_region.emergency_diseases
    if not listed:
        return True
    visit = tx.visit(case.mdtrt_id)
    return recognised_emergency(visit_diagnoses(visit.visit_info if visit else None), listed)


def output(world: World, ctx: CallContext, case: Case, c: Computed, setl_id: str) -> sv.SettleOutput:
    s, t, p, ins = c.settlement, c.settlement.totals, case.person, case.insurance
    info = sv.SetlInfo(
        mdtrt_id=case.mdtrt_id, setl_id=setl_id, psn_no=p.psn_no, psn_name=p.psn_name, psn_cert_type=p.psn_cert_type,
        certno=p.certno, gend=p.gend, naty=p.naty, brdy=p.brdy.isoformat(), age=age_on(p.brdy, ctx.now.date()),
        insutype=ins.insutype, psn_type=ins.psn_type, cvlserv_flag=ins.cvlserv_flag, setl_time=ctx.time_text,
        mdtrt_cert_type=case.mdtrt_cert_type, med_type=case.med_type, medfee_sumamt=yuan(t.medfee_sumamt),
        fulamt_ownpay_amt=yuan(t.fulamt_ownpay_amt), overlmt_selfpay=yuan(t.overlmt_selfpay),
        preselfpay_amt=yuan(t.preselfpay_amt), inscp_scp_amt=yuan(t.inscp_scp_amt), act_pay_dedc=yuan(s.act_pay_dedc),
        hifp_pay=yuan(s.hifp_pay), pool_prop_selfpay=ratio(s.pool_prop_selfpay), cvlserv_pay=yuan(s.cvlserv_pay),
        hifes_pay=yuan(ZERO), hifmi_pay=yuan(s.hifmi_pay), hifob_pay=yuan(s.hifob_pay), maf_pay=yuan(s.maf_pay),
        oth_pay=yuan(ZERO), fund_pay_sumamt=yuan(s.fund_pay_sumamt), psn_part_amt=yuan(s.psn_part_amt),
        acct_pay=yuan(s.acct_pay), psn_cash_pay=yuan(s.psn_cash_pay), hosp_part_amt=yuan(ZERO), balc=yuan(s.balc),
        acct_mulaid_pay=yuan(s.acct_mulaid_pay), medins_setl_id=ctx.msgid, clr_optins=ctx.mdtrtarea_admvs,
        clr_way=CLR_WAY, clr_type=case.clr_type,
    )  # fmt: skip
    details = tuple(
        sv.SetlDetail(
            fund_pay_type=fund.fund_pay_type, inscp_scp_amt=yuan(fund.inscp_scp_amt),
            crt_payb_lmt_amt=yuan(fund.crt_payb_lmt_amt), fund_payamt=yuan(fund.fund_payamt),
            fund_pay_type_name=fund.fund_pay_type_name, setl_proc_info=fund.setl_proc_info,
        )
        for fund in s.funds
    )  # fmt: skip
    listed = case.fees[:TRACE_ITEMS_LISTED]  # the reply stays within a default gRPC client's 4 MiB
    trace = sv.SetlTrace(
        treatment_place=case.treatment_admdvs, insured_place=ins.insuplc_admdvs, locality=c.locality,
        benefit_basis=c.benefit_basis, trt_dcla_detl_sn=c.filing_sn,
        items=_trace_items(world.regions[case.treatment_admdvs].catalogue, listed), steps=_trace_steps(s),
        item_cnt=str(len(case.fees)), items_unlisted=str(len(case.fees) - len(listed)),
    )  # fmt: skip
    return sv.SettleOutput(setlinfo=info, setldetail=details, setltrace=trace)


def _trace_items(catalogue: dict[str, CatalogueItem], listed: Sequence[FeeLine]) -> tuple[sv.TraceItem, ...]:
    items = []
    for f in listed:
        entry = catalogue.get(f.med_list_codg)
        split = fee_split(f)
        items.append(sv.TraceItem(
            feedetl_sn=f.feedetl_sn, med_list_codg=f.med_list_codg, name=entry.name if entry else "",
            chrgitm_lv=entry.chrgitm_lv if entry else "",
            pric_uplmt_amt=f"{entry.pric_uplmt_amt if entry and entry.pric_uplmt_amt is not None else NO_PRICE_CAP}",
            selfpay_prop=ratio(entry.selfpay_prop) if entry else "", det_item_fee_sumamt=yuan(from_fen(f.sumamt_fen)),
            fulamt_ownpay_amt=yuan(split.fulamt_ownpay_amt), overlmt_amt=yuan(split.overlmt_amt),
            preselfpay_amt=yuan(split.preselfpay_amt), inscp_scp_amt=yuan(split.inscp_scp_amt),
            rule=f.memo or _item_rule(entry),
        ))  # fmt: skip
    return tuple(items)


def _trace_steps(s: Settlement) -> tuple[sv.TraceStep, ...]:
    return tuple(
        sv.TraceStep(
            step=st.step, fund_pay_type=st.fund_pay_type, base=yuan(st.base),
            deductible=yuan(st.deductible) if st.deductible is not None else "",
            ratio=ratio(st.ratio) if st.ratio is not None else "", cap=yuan(st.cap) if st.cap is not None else "",
            accumulated_before=yuan(st.before), amount=yuan(st.amount), accumulated_after=yuan(st.after), rule=st.rule,
        )
        for st in s.steps
    )  # fmt: skip


def _item_rule(entry: CatalogueItem | None) -> str:
    if entry is None:
        return ""
    lv = {"01": "甲类：全额纳入政策范围", "02": f"乙类：先行自付 {entry.selfpay_prop}", "03": "丙类：全自费"}
    cap = f"；限价 {entry.pric_uplmt_amt}/单位" if entry.pric_uplmt_amt is not None else ""
    return lv[entry.chrgitm_lv] + cap


def record(world: World, tx: Tx, ctx: CallContext, case: Case, c: Computed) -> sv.SettleOutput:
    """Settle for real: mark the fees, move accounts and accumulators, store the settlement."""
    setl_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    out = output(world, ctx, case, c, setl_id)
    tx.mark_fees_settled_by_sn(case.mdtrt_id, [f.feedetl_sn for f in case.fees], setl_id)
    apply_moves(tx, c.moves, sign=1)
    s = c.settlement
    tx.add_settlement(
        setl_id=setl_id, kind="settle", orig_setl_id=None, reversed_by=None, mdtrt_id=case.mdtrt_id,
        chrg_bchno=case.chrg_bchno, psn_no=case.person.psn_no, insutype=case.insurance.insutype,
        med_type=case.med_type, fixmedins_code=ctx.institution.fixmedins_code, mdtrtarea_admvs=ctx.mdtrtarea_admvs,
        insuplc_admdvs=case.insurance.insuplc_admdvs, clr_type=case.clr_type, setl_time=ctx.time_text,
        year=ctx.now.year, msgid=ctx.msgid, medfee_sumamt_fen=to_fen(s.totals.medfee_sumamt),
        fund_pay_sumamt_fen=to_fen(s.fund_pay_sumamt), acct_pay_fen=to_fen(s.acct_pay),
        psn_cash_pay_fen=to_fen(s.psn_cash_pay), moves=json.dumps(c.moves),
        output=stored_values.dumps(out),
    )  # fmt: skip
    ledger_entry(tx, setl_id, case, c, ctx.now.year)
    return out


def ledger_entry(
    tx: Tx, setl_id: str, case: Case, c: Computed, year: int, seq: int | None = None, basis: str | None = None
) -> None:
    """What a later refund needs to compute this settlement again, and its amounts as they stand. `basis`: the
    standard's own words, when `c`'s are a re-settlement's (which a later refund would otherwise nest)."""
    b = c.benefit
    benefit: BenefitJson | None = None if b is None else {
        "deductible": str(b.deductible), "ratio": str(b.ratio), "annual_cap": str(b.annual_cap),
        "per_stay": b.per_stay, "accum_group": b.accum_group, "basis": b.basis, "fund": b.fund,
    }  # fmt: skip
    calc: SettleCalc = {
        "keys": c.keys, "basis": c.benefit_basis if basis is None else basis, "benefit": benefit,
        "fees": [f.feedetl_sn for f in case.fees], "use_account": case.use_account, "locality": c.locality,
        "category": case.category, "holder": c.holder or case.person.psn_no,
    }  # fmt: skip
    ledger.add_calc(
        tx, setl_id=setl_id, psn_no=case.person.psn_no, year=year,
        seq=ledger.next_seq(tx, case.person.psn_no) if seq is None else seq, filing_sn=c.filing_sn,
        rule_key=case.rule_key or case.med_type, calc=json.dumps(calc, sort_keys=True),
        amounts=ledger.money_json(Money.of(c.settlement)),
    )  # fmt: skip


def apply_moves(tx: Tx, moves: Moves, sign: int) -> None:
    """Move accumulators and accounts as `moves` says (sign 1), or back (sign -1)."""
    by_person_year: dict[tuple[str, int], dict[str, Decimal]] = {}
    for psn, year, key, fen_ in moves["accumulators"]:
        by_person_year.setdefault((psn, year), {})[key] = from_fen(sign * fen_)
    for (psn, year), deltas in by_person_year.items():
        tx.add_to_accumulators(psn, year, deltas)
    for psn, fen_ in moves["accounts"]:
        tx.add_to_account(psn, from_fen(sign * fen_))
