"""The end-of-run summary: visits (by kind), calls and latency per transaction, failures by error
code and, for traffic runs, the business invariants checked."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from yibao.simulators.his.invariants import Check


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Tally:
    ok: int = 0
    failed: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    example: dict[str, str] = field(default_factory=dict)  # code -> first err_msg seen

    def fail(self, code: str, message: str) -> None:
        self.failed += 1
        self.by_code[code] += 1
        self.example.setdefault(code, message)


def format_summary(
    tally: Tally,
    latencies: Mapping[str, Sequence[float]],
    *,
    kinds: Mapping[str, Tally] | None = None,
    checks: Sequence[Check] = (),
    heading: Sequence[str] = (),
) -> str:
    lines = ["==== 汇总 Summary " + "=" * 82, *(f"  {h}" for h in heading)]
    lines.append(f"  就诊 visits {tally.ok + tally.failed}: 成功 ok {tally.ok}, 失败 failed {tally.failed}")
    if kinds:
        lines += ["", "  就诊类型 kind" + f"{'visits':>12}{'ok':>8}{'failed':>8}"]
        for kind, t in kinds.items():
            lines.append(f"  {kind:<14}{t.ok + t.failed:>10}{t.ok:>8}{t.failed:>8}")
    lines += ["", "  交易 infno" + f"{'calls':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}"]
    for infno in latencies:  # in the caller's order: a flow's order, or 9001 … 9002
        ms = [s * 1000 for s in latencies[infno]]
        if ms:
            p50, p95, p99 = percentile(ms, 50), percentile(ms, 95), percentile(ms, 99)
            lines.append(f"  {infno:<10}{len(ms):>8}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{max(ms):>10.1f}")
    if tally.by_code:
        lines += ["", "  失败原因 failures by code:"]
        for code, count in tally.by_code.most_common():
            lines.append(f"  {count:>6}  {code}  e.g. {tally.example[code]}")
    if checks:
        lines += ["", "  业务不变量 business invariants:"]
        for c in checks:
            lines.append(f"  {'✓' if c.ok else '✗'} {c.name}: {c.detail}")
    return "\n".join(lines)


def merge_latencies(all_latencies: Sequence[Mapping[str, Sequence[float]]]) -> dict[str, list[float]]:
    """Latencies of several clients by infno: sign-in first, sign-out last, the rest by code."""
    merged: dict[str, list[float]] = {}
    for latencies in all_latencies:
        for infno, values in latencies.items():
            merged.setdefault(infno, []).extend(values)
    order = sorted(merged, key=lambda k: (k != "9001", k == "9002", k))
    return {k: merged[k] for k in order}
