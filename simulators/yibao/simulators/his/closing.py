"""What a run against a fresh store checks when its visits are over (yibao simulate without --target):

- **the year's accumulations**: for every person the run settled for, 5206 counts, fund by fund, exactly the sum
  of the funds' payments on the person's receipts of the run (settlements and refund records alike: a refund
  gives the accumulators back, docs/behaviour.md "Refunds") — a fresh store holds nothing else of theirs;
- **last month's closing** (docs/institution-clearing.md), by every hospital: 3203 applies for last month's
  outpatient clearing with the figures its own ledger holds for that month (nothing: the store is fresh) and 3204
  withdraws it; then 3260 asks for the month's cross-region details: once the operator has cleared the month
  (Y3270) it extracts them page by page, 3261 confirms every row, its result must count them all, and 3262
  withdraws the confirmation. Y3270 clears only records settled before the month's end, so in a run's fresh
  store last month is never cleared and 3260's answer must be CROSS_DETAIL_NOT_CLEARED (this month, cleared with
  the clock moved past its end, is cleared_month.py's).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from yibao.domain.world import World
from yibao.simulators.his.claim_round import ClaimPaid
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import certificate_query, held_certificates
from yibao.simulators.his.family_round import FamilyMoved, employee_balance
from yibao.simulators.his.invariants import Check
from yibao.simulators.his.receipt import Receipt
from yibao.simulators.his.records_visit import accumulations
from yibao.v1 import institution_clearing_pb2 as ipb

ZERO = Decimal("0.00")
PAGE = 100  # 3260's rows a page
NOT_CLEARED = "CROSS_DETAIL_NOT_CLEARED"


def accumulations_check(client: HisClient, world: World, receipts: Iterable[Receipt],
                        claims: Iterable[ClaimPaid] = ()) -> Check:  # fmt: skip
    paid: dict[str, Counter[str]] = {}
    for r in receipts:
        funds = paid.setdefault(r.psn_no, Counter())
        for row in r.setldetail:
            funds[row.fund_pay_type] += row.fund_payamt  # type: ignore[assignment]
    claimed = 0
    for c in claims:  # a paid claim counts in the year's accumulators (docs/seed-rules.md)
        funds, claimed = paid.setdefault(c.psn_no, Counter()), claimed + 1
        for fund, amount in c.funds:
            funds[fund] += amount  # type: ignore[assignment]
    problems = []
    try:
        client.sign_in()
        now = client.now_text()
        for psn_no in sorted(paid):
            person = world.persons[psn_no]
            client.query_person(certificate_query(person, held_certificates(person)[0]))  # the insured place
            counted = accumulations(client, psn_no, now)
            problems += [f"{psn_no} 5206 {fund} {counted[fund]} ≠ Σ receipts {paid[psn_no].get(fund, ZERO)}"
                         for fund in sorted(counted) if counted[fund] != paid[psn_no].get(fund, ZERO)]  # fmt: skip
        client.sign_out()
    except HisRefused as r:
        problems.append(f"{r.infno} refused: {r.err_msg}")
    detail = f"{len(paid)} persons: 5206 = Σ their receipts' and {claimed} paid claims' fund payments, fund by fund"
    return Check("the year's accumulations are the sum of the settlements", not problems, _with(detail, problems))


def family_check(client: HisClient, world: World, receipts: Iterable[Receipt], moved: Iterable[FamilyMoved]) -> Check:
    """Each run-time family's holder: their personal account fell from the world's balance by exactly the net of
    the transfers (into the family account, less what came back) and what their own account paid on their
    receipts (acct_pay less the family account's part, acct_mulaid_pay; cancellations negative)."""
    net: dict[str, Decimal] = {}
    for m in moved:
        net[m.holder] = net.get(m.holder, ZERO) + m.amount
    own: dict[str, Decimal] = {}
    for r in receipts:
        if r.psn_no in net:
            own[r.psn_no] = own.get(r.psn_no, ZERO) + r.acct_pay - r.acct_mulaid_pay
    problems = []
    try:
        client.sign_in()
        for holder in sorted(net):
            person = world.persons[holder]
            before = person.account_balance or ZERO
            now = employee_balance(client, world, holder, held_certificates(person)[0])
            expected = before - net[holder] - own.get(holder, ZERO)
            if now != expected:
                problems.append(f"{holder}: balance {now} ≠ {before} − transfers {net[holder]} − own account "
                                f"{own.get(holder, ZERO)} = {expected}")  # fmt: skip
        client.sign_out()
    except HisRefused as r:
        problems.append(f"{r.infno} refused: {r.err_msg}")
    detail = (f"{len(net)} holders, Σ transfers {sum(net.values(), ZERO):.2f}: each holder's balance fell by the "
              "transfers and their own account's payments")  # fmt: skip
    return Check("family accounts: the transfers are the holders' balance drop", not problems, _with(detail, problems))


def month_end_check(clients: Mapping[str, HisClient], today: date) -> Check:
    first = today.replace(day=1)
    last_month = first - timedelta(days=1)
    problems, rows, uncleared = [], 0, 0
    try:
        for code in sorted(clients):
            client = clients[code]
            client.sign_in()
            apply_and_withdraw(client, last_month)
            try:
                confirmed, problem = confirm_and_roll_back(client, last_month)
            except HisRefused as r:
                if r.code != NOT_CLEARED:
                    raise
                confirmed, problem, uncleared = 0, "", uncleared + 1
            rows += confirmed
            problems += [f"{code}: {problem}"] if problem else []
            client.sign_out()
    except HisRefused as r:
        problems.append(f"{r.infno} refused: {r.err_msg}")
    detail = (f"{len(clients)} hospitals: 3203 → 3204 for {last_month:%Y-%m}; 3260 → 3261 ({rows} rows confirmed) → "
              f"3262, or {NOT_CLEARED} ({uncleared} hospitals: nothing of theirs cleared for the month)")  # fmt: skip
    return Check("last month's closing", not problems, _with(detail, problems))


def apply_and_withdraw(client: HisClient, month_end: date) -> None:
    """3203 for the month's outpatient clearing (nothing settled that month in a fresh store), then 3204."""
    data = ipb.ClearingApplicationData(clr_type="11", clr_way="1", setlym=f"{month_end:%Y%m}", psntime="0",
                                       medfee_sumamt="0.00", med_sumfee="0.00", fund_appy_sum="0.00",
                                       cash_payamt="0.00", acct_pay="0.00", begndate=f"{month_end:%Y-%m}-01",
                                       enddate=f"{month_end:%Y-%m-%d}")  # fmt: skip
    evt = client.call("3203", ipb.ClearingApplicationInput(data=data)).output.clr_appy_evt_id
    cancel = ipb.ClearingApplicationCancelData(clr_appy_evt_id=evt)
    client.call("3204", ipb.ClearingApplicationCancelInput(data=cancel))


def confirm_and_roll_back(client: HisClient, month_end: date) -> tuple[int, str]:
    """3260 every page, 3261 every row confirmed, 3262: (rows confirmed, a problem or "")."""
    year, month = f"{month_end:%Y}", f"{month_end:%m}"
    details: list[ipb.CrossDetail] = []
    while True:
        data = ipb.CrossDetailExtractData(trt_year=year, trt_month=month, startrow=str(len(details) + 1))
        out = client.call("3260", ipb.CrossDetailExtractInput(data=data)).output
        details += out.data
        if len(out.data) < PAGE:
            break
    if str(len(details)) != (out.totalrow or "0"):
        return 0, f"3260 gave {len(details)} rows, totalrow {out.totalrow}"
    rows = [ipb.CrossConfirmDetail(certno=d.certno, mdtrt_id=d.mdtrt_id, mdtrt_setl_time=d.mdtrt_setl_time,
                                   setl_sn=d.setl_sn, medfee_sumamt=d.medfee_sumamt,
                                   optins_pay_sumamt=d.optins_pay_sumamt, cnfm_flag="1") for d in details]  # fmt: skip
    confirm = ipb.CrossConfirmData(trt_year=year, trt_month=month, totalrow=str(len(rows)))
    result = client.call("3261", ipb.CrossDetailConfirmInput(data=confirm, detail=rows)).output.result
    back = ipb.CrossRollbackData(trt_year=year, trt_month=month, otransid=client.last_msgid["3261"])
    client.call("3262", ipb.CrossDetailRollbackInput(data=back))
    if result.cnfm_cnt != str(len(rows)):
        return 0, f"3261 confirmed {result.cnfm_cnt} of {len(rows)} rows"
    return len(rows), ""


def _with(detail: str, problems: list[str]) -> str:
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return detail + ("; " + "; ".join(problems[:3]) + more if problems else "")
