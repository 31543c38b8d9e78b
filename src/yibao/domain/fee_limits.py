"""How many fee items one call may carry and one settlement may cover, and how many a settlement's rule trace
lists one by one (docs/limits.md).

A stay is uploaded in batches (2301, national practice: the day's items, uploaded daily or at discharge in
slices) and settled by one 2304, or in parts by mid-stay settlements (中途结算, mid_setl_flag 1). The limits are
chosen from what long stays need, with room to spare, and so that every reply at the limits fits a gRPC client
that keeps the default 4 MiB receive limit:

- FEE_ITEMS_PER_CALL 1,000: a heavy ICU day is 150–300 items (bed, nursing grade, monitoring, 10–30 drugs given
  several times, infusion sets, tests), so a whole day, or a week of a general ward at 30–80 a day, goes in one
  call; an outpatient visit or a pharmacy sale has tens. A 2204/2301 of 1,000 items takes ~0.1 s of the one
  writer, and its reply (result[], ~150 bytes an item) is well under 1 MiB.
- FEE_ITEMS_PER_SETTLEMENT 20,000: a 90-day stay at a general ward's 30–80 items a day is 2,700–7,200 items; at
  an ICU's 150–220 a day, 13,500–19,800. Longer stays settle mid-stay (many regions require it every 90 days or
  at the year's end), and each settlement covers only the items since the last one.
- TRACE_ITEMS_LISTED 1,000: setltrace lists each item's split and rule for a settlement of up to 1,000 items
  (every outpatient visit and pharmacy sale in practice); a larger settlement's trace lists its first 1,000 and
  says how many it covers and how many are not listed (setltrace.item_cnt, items_unlisted). The totals of every
  item are in setlinfo, and each item's split was replied by its upload (2204/2301 result[]).
"""

from __future__ import annotations

FEE_ITEMS_PER_CALL = 1_000
FEE_ITEMS_PER_SETTLEMENT = 20_000
TRACE_ITEMS_LISTED = 1_000
