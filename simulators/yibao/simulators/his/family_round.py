"""Family mutual-aid accounts at a desk (kind `family`; docs/family-accounts.md): the script's patient is an employee
in no family the world declares, its `member=P:rlts` flags one or two of the institution's patients insured in the
holder's province. The desk reads the holder's account with Y2904 first:

- none: Y2901 sets one up with the members still free (Y2904 refuses them FAMILY_NOT_FOUND), moving half of the
  holder's balance above the floor (whole yuan), if there is a yuan to move and a member to take;
- the holder's own: flag `cancel` → Y2903 (the rest back to the holder), else Y2902 moves half the part above the
  floor again (or cancels when nothing is left above it);
- the holder is someone else's member: nothing more.

Y2904 afterwards must list the transfer just made, with the reply's balances (a cancelled account: no account).
Every transfer is kept (FamilyMoved) for the closing's check that the holder's balance fell by exactly the
transfers plus what their own account paid on their receipts (closing.family_check). A patient belongs to one
institution only, so no other desk sets up a family for the same persons at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from yibao.domain.world import World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import EMPLOYEE, certificate_query
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import family_account_pb2 as fpb

NOT_FOUND = "FAMILY_NOT_FOUND"
INTO = "1"  # trns_type 划入; 2 退回
YUAN = Decimal("1")


@dataclass(frozen=True, slots=True)
class FamilyMoved:
    """One transfer: `amount` from the holder's personal account into the family account (negative: back)."""

    holder: str
    fam_acct_id: str
    trns_id: str
    amount: Decimal


def run_family(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    holder = script.psn_no
    balance = employee_balance(client, world, holder, script.mdtrt_cert_type)
    held = family_of(client, holder)
    employee = world.persons[holder].insurance(EMPLOYEE)
    assert employee is not None  # visit_draw chose an employee
    floor = world.regions[employee.insuplc_admdvs].funds.family_account_floor
    half = ((balance - floor) / 2).quantize(YUAN, ROUND_DOWN) if balance > floor else Decimal(0)
    if held is None:
        free = [m for m in _members(script) if family_of(client, m.psn_no) is None]
        if not free or half < YUAN:
            return []
        data = fpb.FamilySetUpData(psn_no=holder, agre_flag="1", trns_amt=f"{half:.2f}")
        out = client.call("Y2901", fpb.FamilySetUpInput(data=data, member=free), holder, EMPLOYEE).output
    elif held.acctinfo.holder_psn_no != holder:
        return []
    elif script.has("cancel") or half < YUAN:
        data3 = fpb.FamilyCancelData(fam_acct_id=held.acctinfo.fam_acct_id, psn_no=holder, agre_flag="1")
        out = client.call("Y2903", fpb.FamilyCancelInput(data=data3), holder, EMPLOYEE).output
    else:
        data2 = fpb.FamilyChangeData(fam_acct_id=held.acctinfo.fam_acct_id, psn_no=holder, agre_flag="1",
                                     trns_amt=f"{half:.2f}")  # fmt: skip
        out = client.call("Y2902", fpb.FamilyChangeInput(data=data2), holder, EMPLOYEE).output
    for t in out.trns:
        amount = Decimal(t.trns_amt) if t.trns_type == INTO else -Decimal(t.trns_amt)
        client.keep(FamilyMoved(holder, out.acctinfo.fam_acct_id, t.trns_id, amount))
    if problems := _read_back(client, holder, out):
        raise HisCheckFailed("HIS_QUERY_MISMATCH", problems)
    return []


def employee_balance(client: HisClient, world: World, psn_no: str, cert_type: str) -> Decimal:
    """The personal account's balance 1101 gives under employee insurance (signing in first if needed)."""
    if not client.signed_in:
        client.sign_in()
    info = client.query_person(certificate_query(world.persons[psn_no], cert_type)).output
    employee = next((i for i in info.insuinfo if i.insutype == EMPLOYEE), None)
    if employee is None:
        raise HisCheckFailed("HIS_BAD_REPLY", [f"1101 returned no insuinfo 310 for {psn_no}"])
    return Decimal(employee.balc or "0")


def family_of(client: HisClient, psn_no: str) -> fpb.FamilyAccountOutput | None:
    """Y2904: the account the person holds or belongs to, or None."""
    try:
        return client.call("Y2904", fpb.FamilyQueryInput(data=fpb.FamilyQueryData(psn_no=psn_no)), psn_no).output
    except HisRefused as r:
        if r.code == NOT_FOUND:
            return None
        raise


def _members(script: VisitScript) -> list[fpb.FamilyMember]:
    pairs = [f.removeprefix("member=").split(":") for f in script.flags if f.startswith("member=")]
    return [fpb.FamilyMember(psn_no=p, rlts=r) for p, r in pairs]


def _read_back(client: HisClient, holder: str, out: fpb.FamilyAccountOutput) -> list[str]:
    now = family_of(client, holder)
    if out.acctinfo.fam_acct_stas == "0":
        return [] if now is None else [f"Y2904 still shows {holder} in {now.acctinfo.fam_acct_id} after Y2903"]
    if now is None:
        return [f"Y2904 shows no account of {holder} after {out.acctinfo.fam_acct_id}"]
    fields = ("fam_acct_id", "fam_acct_balc", "acct_balc")
    pairs = [(f, getattr(now.acctinfo, f), getattr(out.acctinfo, f)) for f in fields]
    problems = [f"Y2904 {f} {got!r}, the change answered {want!r}" for f, got, want in pairs if got != want]
    listed = {t.trns_id for t in now.trns}
    return problems + [f"Y2904 does not list transfer {t.trns_id}" for t in out.trns if t.trns_id not in listed]
