"""The end-of-run summary: visits, per-transaction latency, failures by error code."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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


def format_summary(tally: Tally, latencies: Mapping[str, Sequence[float]]) -> str:
    lines = [
        "==== 汇总 Summary " + "=" * 82,
        f"  就诊 visits {tally.ok + tally.failed}: 成功 ok {tally.ok}, 失败 failed {tally.failed}",
        "",
        "  交易 infno" + f"{'calls':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
    ]
    for infno in latencies:  # first-call order, i.e. the order of the flow
        ms = [s * 1000 for s in latencies[infno]]
        if ms:
            p50, p95 = percentile(ms, 50), percentile(ms, 95)
            lines.append(f"  {infno:<10}{len(ms):>8}{p50:>10.1f}{p95:>10.1f}{max(ms):>10.1f}")
    if tally.by_code:
        lines += ["", "  失败原因 failures by code:"]
        for code, count in tally.by_code.most_common():
            lines.append(f"  {count:>6}  {code}  e.g. {tally.example[code]}")
    return "\n".join(lines)
