"""This month cleared, in process (`yibao simulate` without --target; docs/institution-clearing.md): once the
visits are over the process's platform clock — the in-process gateway's and the desks' alike — moves to one hour
into next month (platform_clock.set_offset, as `yibao serve --clock-offset` does for a serve), the run's operator
institution clears the month with Y3270, and every hospital asks for its cross-region details with 3260: it must
list exactly the hospital's receipts of persons insured elsewhere (settlements and refund records), 3261 confirms
every row and must count them all, 3262 withdraws the confirmation. The clock is put back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from yibao import platform_clock
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.closing import NOT_CLEARED, confirm_and_roll_back
from yibao.simulators.his.invariants import Check
from yibao.simulators.his.receipt import Receipt
from yibao.v1 import clearing_pb2 as clpb


def cleared_month_check(operator: HisClient, hospitals: Mapping[str, HisClient], receipts: Iterable[Receipt]) -> Check:
    now = platform_clock.now()
    month_end = _first_of_next_month(now).date() - timedelta(days=1)
    away = _cross_region_records(hospitals, receipts)
    saved = platform_clock.offset_seconds()
    platform_clock.set_offset(saved + (_first_of_next_month(now) + timedelta(hours=1) - now).total_seconds())
    problems, rows = [], 0
    try:
        operator.sign_in()
        operator.call("Y3270", clpb.ClearInput(data=clpb.ClearData(setlym=f"{month_end:%Y%m}")))
        operator.sign_out()
        for code in sorted(hospitals):
            confirmed, problem = _confirm(hospitals[code], month_end)
            rows += confirmed
            if problem or confirmed != away.get(code, 0):
                mismatch = f"3260 listed {confirmed} rows, its ledger has {away.get(code, 0)}"
                problems.append(f"{code}: {problem or mismatch}")
    except HisRefused as r:
        problems.append(f"{r.infno} refused: {r.err_msg}")
    finally:
        platform_clock.set_offset(saved)
    detail = (f"Y3270 {month_end:%Y-%m} with the clock past the month's end; {len(hospitals)} hospitals: 3260 = their "
              f"cross-region records ({rows}), 3261 confirms every row, 3262")  # fmt: skip
    return Check("this month cleared: 3260 → 3261 → 3262", not problems, _with(detail, problems))


def _confirm(client: HisClient, month_end: date) -> tuple[int, str]:
    """(rows confirmed, a problem or ""); a treatment place with nothing cleared (no visitor from elsewhere this
    month) has no details: CROSS_DETAIL_NOT_CLEARED, 0 rows."""
    client.sign_in()
    try:
        return confirm_and_roll_back(client, month_end)
    except HisRefused as r:
        if r.code != NOT_CLEARED:
            raise
        return 0, ""
    finally:
        client.sign_out()


def _cross_region_records(hospitals: Mapping[str, HisClient], receipts: Iterable[Receipt]) -> dict[str, int]:
    """hospital -> its receipts of persons insured in another region (refund records too)."""
    out: dict[str, int] = {}
    for r in receipts:
        if r.fixmedins_code in hospitals and r.insuplc_admdvs != hospitals[r.fixmedins_code].institution.admdvs:
            out[r.fixmedins_code] = out.get(r.fixmedins_code, 0) + 1
    return out


def _first_of_next_month(now: datetime) -> datetime:
    return (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _with(detail: str, problems: list[str]) -> str:
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return detail + ("; " + "; ".join(problems[:3]) + more if problems else "")
