"""The settlement core's use cases by infno, and which institution types may call each. The gateway
routes the transactions of the protos to these (yibao.adapters.platform joins the two)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Never

from yibao.call import CallContext
from yibao.domain.world import HOSPITAL, PHARMACY, World
from yibao.simulators.core import (
    catalogue_files,
    clearing,
    family_accounts,
    fees,
    filings,
    inpatient,
    inquiries,
    institution_clearing,
    manual_claims,
    person_info,
    pharmacy,
    queries,
    reconciliation,
    record_queries,
    refunds,
    reversal,
    settlement,
    settlement_list,
    visits,
)
from yibao.simulators.core.undo_log import undoable
from yibao.storage.store import Tx

BOTH = (HOSPITAL, PHARMACY)
# A use case: its input and output are the typed values of its transaction (yibao.simulators.core.values); the
# adapters map them to and from the wire (adapters/yibao/adapters/wire_values.py).
UseCase = Callable[[World, Tx, CallContext, Never], object]

# infno: (use case, institution types allowed); `undoable` keeps the images a 2601 reversal restores
HANDLERS: Mapping[str, tuple[UseCase, tuple[str, ...]]] = {
    "1101": (person_info.query_psn_info, BOTH),
    "2201": (undoable(visits.register), (HOSPITAL,)),
    "2202": (undoable(visits.cancel_registration), (HOSPITAL,)),
    "2203": (undoable(visits.upload_visit_info), (HOSPITAL,)),
    "2204": (undoable(fees.upload_fees), (HOSPITAL,)),
    "2205": (undoable(fees.cancel_fees), (HOSPITAL,)),
    "2206": (settlement.pre_settle, (HOSPITAL,)),
    "2207": (undoable(settlement.settle), (HOSPITAL,)),
    "2203A": (undoable(visits.upload_visit_info), (HOSPITAL,)),  # the A variants: as their siblings
    "2206A": (settlement.pre_settle, (HOSPITAL,)),
    "2207A": (undoable(settlement.settle), (HOSPITAL,)),
    "2208": (undoable(settlement.cancel_settlement), (HOSPITAL,)),
    "2401": (undoable(inpatient.admit), (HOSPITAL,)),
    "2402": (undoable(inpatient.discharge), (HOSPITAL,)),
    "2403": (undoable(inpatient.change_admission), (HOSPITAL,)),
    "2404": (undoable(inpatient.cancel_admission), (HOSPITAL,)),
    "2405": (undoable(inpatient.cancel_discharge), (HOSPITAL,)),
    "2301": (undoable(inpatient.upload_fees), (HOSPITAL,)),
    "2302": (undoable(inpatient.cancel_fees), (HOSPITAL,)),
    "2303": (inpatient.pre_settle, (HOSPITAL,)),
    "2304": (undoable(inpatient.settle), (HOSPITAL,)),
    "2305": (undoable(inpatient.cancel_settlement), (HOSPITAL,)),
    "2101": (pharmacy.pre_settle, (PHARMACY,)),
    "2102": (undoable(pharmacy.settle), (PHARMACY,)),
    "2103": (undoable(pharmacy.cancel_settlement), (PHARMACY,)),
    "5203": (queries.query_setl_info, BOTH),
    "2501": (undoable(filings.refer), (HOSPITAL,)),
    "2502": (undoable(filings.revoke_referral), (HOSPITAL,)),
    "2503": (undoable(filings.file_chronic), (HOSPITAL,)),
    "2504": (undoable(filings.revoke_chronic), (HOSPITAL,)),
    "2505": (undoable(filings.file_designation), (HOSPITAL,)),
    "2506": (undoable(filings.revoke_designation), (HOSPITAL,)),
    "5301": (filings.query_chronic, BOTH),
    "5302": (filings.query_designations, BOTH),
    "Y2505": (filings.change_filing, (HOSPITAL,)),
    "Y2506": (filings.review_commitment, (HOSPITAL,)),  # the insured-place agency's decision, simulated
    "2601": (reversal.reverse, BOTH),
    "Y5203": (reversal.query_message, BOTH),
    "Y2208": (refunds.refund_items, BOTH),
    "3201": (reconciliation.check_totals, BOTH),
    "3202": (reconciliation.check_details, BOTH),
    # 1301–1315 catalogue downloads as files, fetched with 9102 (the gateway's): nothing to undo
    **dict.fromkeys(catalogue_files.LISTS, (catalogue_files.download_catalogue, BOTH)),
    "Y3270": (clearing.clear, BOTH),  # operators only, checked inside
    "Y3271": (clearing.query_statements, BOTH),
    "Y3272": (clearing.prepayment_call, BOTH),
    # the family mutual-aid account (core/family_accounts.py); 2601 undoes a message while nothing changed since
    "Y2901": (undoable(family_accounts.set_up), BOTH),
    "Y2902": (undoable(family_accounts.change), BOTH),
    "Y2903": (undoable(family_accounts.cancel), BOTH),
    "Y2904": (family_accounts.query, BOTH),
    "3203": (institution_clearing.apply, BOTH),  # an institution's clearing (core/institution_clearing.py)
    "3204": (institution_clearing.cancel_application, BOTH),
    "3260": (institution_clearing.extract_details, BOTH),
    "3261": (institution_clearing.confirm_details, BOTH),
    "3262": (institution_clearing.roll_back_confirmation, BOTH),
    "4101": (undoable(settlement_list.upload), BOTH),
    "4101A": (undoable(settlement_list.upload), BOTH),
    "4103": (settlement_list.query, BOTH),
    # manual reimbursement at the insured place (core/manual_claims.py); Y2802 is for operators, checked inside
    "Y2801": (undoable(manual_claims.submit), BOTH),
    "Y2802": (manual_claims.review, BOTH),
    "Y2803": (manual_claims.query, BOTH),
    # basic information and person queries: nothing to undo (docs/queries.md)
    "1201": (inquiries.query_institutions, BOTH),
    "1901": (inquiries.query_dictionary, BOTH),
    "1312": (inquiries.query_hilist, BOTH),
    "2001": (inquiries.check_benefits, BOTH),
    "5201": (record_queries.query_visits, BOTH),
    "5202": (record_queries.query_diagnoses, BOTH),
    "5204": (record_queries.query_fee_list, BOTH),
    "5205": (record_queries.query_chronic_drugs, BOTH),
    "5206": (record_queries.query_cumulation, BOTH),
    "5303": (record_queries.query_stays, BOTH),
    "5304": (record_queries.query_referrals, BOTH),
}
