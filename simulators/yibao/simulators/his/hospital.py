"""A hospital's outpatient desk: the typical flow 9001 → 1101 → 2201 → 2203 → 2204 → 2206 → 2207
(docs/reference/interface.md Appendix A), one receipt per visit, and `simulate` for `yibao simulate --visits N`.

Everything a visit contains is drawn from the seeded rng or derived from the world, so a seed
reproduces the same patients, items and amounts; only the clock (inf_time, msgid, event times)
and the platform's own identifiers differ between runs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Mapping
from typing import TextIO

import grpc

from yibao.domain.world import HOSPITAL, Institution, Person, World
from yibao.request_signing import ClientKey
from yibao.simulators.his.bill import BillLine, draw_bill, fen, list_price
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import ACTIVE, DOCTORS, certificate_query, held_certificates
from yibao.simulators.his.outpatient_visit import run_outpatient, undo_visit
from yibao.simulators.his.receipt import HisCheckFailed, Receipt, format_receipt
from yibao.simulators.his.scripts import OUTPATIENT, Batch, Line, VisitScript
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.summary import Tally, format_summary
from yibao.simulators.his.tls_client import ClientTls, no_answer_hint, open_channel
from yibao.simulators.his.visit_draw import DIAGNOSES
from yibao.v1 import person_pb2 as ppb
from yibao.world.loader import WorldFormatError, load_world

__all__ = [
    "BillLine",
    "HisCheckFailed",
    "Receipt",
    "draw_bill",
    "fen",
    "format_receipt",
    "list_price",
    "run_outpatient_visit",
    "simulate",
    "undo_visit",
]

CONNECT_TIMEOUT = 5.0


# -- choosing who and where


def active_persons(world: World) -> list[Person]:
    return [p for p in world.persons.values() if any(i.psn_insu_stas == ACTIVE for i in p.insurances)]


def choose_hospital(world: World, rng: random.Random, fixmedins_code: str | None = None) -> Institution:
    """The given institution as it is (a lab may want a disabled one refused), or an enabled hospital."""
    if fixmedins_code is not None:
        if fixmedins_code not in world.institutions:
            raise ValueError(f"institution {fixmedins_code} is not in the world")
        return world.institutions[fixmedins_code]
    hospitals = [i for i in world.institutions.values() if i.fixmedins_type == HOSPITAL and i.enabled]
    if not hospitals:
        raise ValueError("the world has no enabled hospital (fixmedins_type 1)")
    return rng.choice(hospitals)


def certificate(person: Person, rng: random.Random) -> ppb.PsnInfoQuery:
    """What the patient hands over: e-voucher (01), ID card (02) or social security card (03)."""
    return certificate_query(person, rng.choice(held_certificates(person)))


# -- one visit


def draw_outpatient_script(world: World, institution: Institution, person: Person, rng: random.Random) -> VisitScript:
    """An ordinary outpatient visit of `person` at `institution`, drawn from rng."""
    cert_type = certificate(person, rng).mdtrt_cert_type
    active = [i for i in person.insurances if i.psn_insu_stas == ACTIVE] or list(person.insurances)
    insurance = rng.choice(active)
    dr = rng.randrange(len(DOCTORS))
    diag_code, diag_name, complaint = rng.choice(DIAGNOSES)
    bill = draw_bill(world.regions[institution.admdvs].catalogue, rng)
    lines = tuple(Line(b.item.med_list_codg, f"{b.cnt.normalize():f}", f"{b.pric:.2f}", b.hosp_appr_flag) for b in bill)
    return VisitScript(
        seq=0,
        kind=OUTPATIENT,
        fixmedins_code=institution.fixmedins_code,
        psn_no=person.psn_no,
        insutype=insurance.insutype,
        mdtrt_cert_type=cert_type,
        diag_code=diag_code,
        diag_name=diag_name,
        complaint=complaint,
        doctor=dr,
        use_account=True,
        batches=(Batch(lines),),
    )


def run_outpatient_visit(client: HisClient, world: World, person: Person, rng: random.Random) -> Receipt:
    """One outpatient visit end to end. Raises HisRefused when the platform refuses a step (after
    undoing the registration as a HIS would), HisCheckFailed when the receipt does not add up."""
    script = draw_outpatient_script(world, client.institution, person, rng)
    return run_outpatient(client, world, script)[0]


# -- the `yibao simulate` command


def simulate(
    target: str,
    visits: int,
    world_path: str | None,
    seed: int = 1,
    fixmedins_code: str | None = None,
    out: TextIO | None = None,
    tls: ClientTls | None = None,
    keys: Mapping[str, ClientKey] | None = None,
) -> int:
    """Run `visits` outpatient visits against the gateway at `target`, printing every receipt and a
    summary. Returns 0 when every visit succeeded, 1 otherwise, 2 when the run cannot start. `keys`: sign the
    calls (docs/security.md)."""
    out = out or sys.stdout  # looked up now: sys.stdout may have been replaced since import
    try:
        world = load_world(world_path)
    except (OSError, WorldFormatError) as e:
        print(f"yibao simulate: cannot load world: {e}", file=out)
        return 2
    rng = random.Random(seed)
    try:
        institution = choose_hospital(world, rng, fixmedins_code)
    except ValueError as e:
        print(f"yibao simulate: {e}", file=out)
        return 2
    persons = active_persons(world)
    if not persons:
        print("yibao simulate: the world has no person with active insurance (psn_insu_stas 1)", file=out)
        return 2

    with open_channel(target, tls) as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=CONNECT_TIMEOUT)
        except grpc.FutureTimeoutError:
            waited = f"waited {CONNECT_TIMEOUT:.0f} s"
            print(f"yibao simulate: no gateway answers at {target} ({waited}){no_answer_hint(tls)}", file=out)
            return 1
        client = HisClient(signing_channel(channel, keys), institution)
        inst = institution
        print(f"HIS {inst.fixmedins_code} {inst.fixmedins_name} ({inst.admdvs}) → {target}", file=out)
        print(f"{visits} visits, seed {seed}", file=out)
        tally, interrupted = Tally(), False
        try:
            for n in range(1, visits + 1):
                _one_visit(n, client, world, rng.choice(persons), rng, tally, out)
        except KeyboardInterrupt:  # still sign out and summarise what ran
            interrupted = True
            print(f"\ninterrupted after {tally.ok + tally.failed} of {visits} visits", file=out)
        if client.signed_in:  # end of shift
            try:
                client.sign_out()
            except HisRefused as r:
                print(f"9002 签退失败 sign-out refused: {r.err_msg}", file=out)
        print(format_summary(tally, client.latencies), file=out)
    return 0 if tally.failed == 0 and not interrupted else 1


def _one_visit(
    n: int, client: HisClient, world: World, person: Person, rng: random.Random, tally: Tally, out: TextIO
) -> None:
    who = f"visit {n}: {person.psn_name} ({person.psn_no})"
    try:
        receipt = run_outpatient_visit(client, world, person, rng)
    except HisRefused as r:
        code = r.code or r.status_code.name
        tally.fail(code, r.err_msg)
        print(f"✗ {who} — {r.infno} 被拒 refused [{r.status_code.name}]: {r.err_msg}", file=out)
    except HisCheckFailed as c:
        tally.fail(c.code, c.problems[0])
        if c.receipt is not None:
            print(format_receipt(c.receipt), file=out)
        print(f"✗ {who} — 结算单核对失败 receipt check failed: {'; '.join(c.problems)}", file=out)
    else:
        tally.ok += 1
        print(format_receipt(receipt), file=out)
