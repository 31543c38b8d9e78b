"""A registration the patient walks away from (退号): 2201 → 2203 → 2202; with the "fees" flag the
desk had already billed, so 2204 → 2205 comes first (the undo order 2205 → 2202); with "inpatient"
it is an admission cancelled before any fee (2401 → 2404). Nothing is settled, so no receipt."""

from __future__ import annotations

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.inpatient_stay import InpatientStay
from yibao.simulators.his.outpatient_visit import GENERAL, OutpatientVisit, batch_no
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.scripts import VisitScript


def run_cancel(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    if script.has("inpatient"):
        stay = InpatientStay.begin(client, world, script)
        stay.admit()
        stay.cancel_admission()
        return []
    visit = OutpatientVisit.begin(client, world, script)
    visit.register()
    try:
        visit.upload_visit_info(GENERAL)
        if script.has("fees"):
            chrg_bchno = batch_no(visit, 1)
            visit.upload([(chrg_bchno, script.batches[0])])
            visit.cancel_fees(chrg_bchno)
            visit.fees_sent = False
        visit.cancel_registration()
    except HisRefused as refusal:
        if refusal.code:
            visit.undo()
        raise
    return []
