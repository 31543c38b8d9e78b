"""Load and benchmark tooling: the inpatient ward flow, msgid ranges for many load processes,
business-invariant bookkeeping, latency budgets, and `yibao bench`."""
