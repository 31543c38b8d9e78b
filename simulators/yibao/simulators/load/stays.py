"""The inpatient stay the load tools run: a script for the simulated HIS's ward flow
(yibao.simulators.his.inpatient_stay: 1101 → 2401 → 2301 per day → 2402 → 2303 → 2304) with a set
number of items, so the benchmark's "stay with 20 items" is the same stay every time."""

from __future__ import annotations

import random

from yibao.domain.world import Institution, Person, World
from yibao.simulators.his.bill import draw_approval, draw_count, list_price
from yibao.simulators.his.desk import ACTIVE, DOCTORS, held_certificates
from yibao.simulators.his.hospital import DIAGNOSES
from yibao.simulators.his.scripts import INPATIENT, Batch, Line, VisitScript

STAY_ITEMS = 20
STAY_DAYS = 4  # one 2301 per day


def draw_stay_script(
    world: World,
    institution: Institution,
    person: Person,
    rng: random.Random,
    *,
    items: int = STAY_ITEMS,
    days: int = STAY_DAYS,
    seq: int = 0,
) -> VisitScript:
    """An ordinary stay (med_type 21) of `days` days billing `items` lines, spread evenly over the days."""
    entries = list(world.regions[institution.admdvs].catalogue.values())
    lines = []
    for _ in range(items):  # a ward bills the same items again on later days
        item = rng.choice(entries)
        lines.append(
            Line(item.med_list_codg, f"{draw_count(item, rng).normalize():f}", f"{list_price(item):.2f}",
                 draw_approval(item, rng))
        )  # fmt: skip
    per_day = -(-items // max(1, days))
    batches = tuple(Batch(tuple(lines[d : d + per_day])) for d in range(0, items, per_day))
    insurance = rng.choice([i for i in person.insurances if i.psn_insu_stas == ACTIVE] or list(person.insurances))
    diag_code, diag_name, complaint = rng.choice(DIAGNOSES)
    return VisitScript(
        seq=seq,
        kind=INPATIENT,
        fixmedins_code=institution.fixmedins_code,
        psn_no=person.psn_no,
        insutype=insurance.insutype,
        mdtrt_cert_type=rng.choice(held_certificates(person)),
        diag_code=diag_code,
        diag_name=diag_name,
        complaint=complaint,
        doctor=rng.randrange(len(DOCTORS)),
        use_account=True,
        batches=batches,
        days=len(batches),
    )
