"""Which flow runs a visit script of each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yibao.domain.world import World
from yibao.simulators.his.catalogue_round import run_catalogue
from yibao.simulators.his.chronic_visit import run_chronic
from yibao.simulators.his.claim_round import run_claim
from yibao.simulators.his.emergency_stay import run_emergency
from yibao.simulators.his.family_round import run_family
from yibao.simulators.his.filing_round import run_filings
from yibao.simulators.his.inpatient_stay import run_inpatient
from yibao.simulators.his.outpatient_visit import run_outpatient
from yibao.simulators.his.pharmacy_sale import run_pharmacy
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.records_visit import run_records
from yibao.simulators.his.refund import run_refund
from yibao.simulators.his.registration_cancel import run_cancel
from yibao.simulators.his.reversal_round import run_reversal
from yibao.simulators.his.scripts import (
    CANCEL,
    CATALOGUE,
    CHRONIC,
    CLAIM,
    EMERGENCY,
    FAMILY,
    FILING,
    INPATIENT,
    OUTPATIENT,
    PHARMACY,
    QUERY,
    REFUND,
    REVERSAL,
    VisitScript,
)

Flow = Callable[[Any, World, VisitScript], list[Receipt]]

FLOWS: dict[str, Flow] = {
    OUTPATIENT: run_outpatient,
    INPATIENT: run_inpatient,
    EMERGENCY: run_emergency,
    CHRONIC: run_chronic,
    CANCEL: run_cancel,
    REFUND: run_refund,
    PHARMACY: run_pharmacy,
    QUERY: run_records,
    REVERSAL: run_reversal,
    FILING: run_filings,
    CATALOGUE: run_catalogue,
    CLAIM: run_claim,
    FAMILY: run_family,
}


def run_script(client: Any, world: World, script: VisitScript) -> list[Receipt]:
    """Run one visit script with the client of its institution (a PharmacyClient for pharmacy sales).
    Raises HisRefused or HisCheckFailed when the visit fails; returns its receipts, cancellations included."""
    return FLOWS[script.kind](client, world, script)
