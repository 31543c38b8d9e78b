"""The run's traffic: one stream of visit scripts drawn from the seed in a fixed order, and a book
that hands each institution its own scripts in stream order.

Script g of the stream is always the same for a seed (kind by the mix, institution, patient, bill),
however fast the desks run. The book lets a desk start script g only once every script before
g − WINDOW has started, so fast desks (a pharmacy sale is 3 calls, a stay 15) cannot run ahead and
the completed visits follow the mix; with a visit limit, exactly the first N scripts run.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence

from yibao.domain.world import PHARMACY as PHARMACY_TYPE
from yibao.domain.world import Institution, World
from yibao.simulators.his.scripts import KINDS, PHARMACY_KINDS, VisitScript
from yibao.simulators.his.visit_draw import VisitDraw

DEFAULT_MIX = {"outpatient": 45, "inpatient": 10, "emergency": 5, "chronic": 8, "cancel": 4, "refund": 5,
               "pharmacy": 12, "query": 5, "reversal": 3, "filing": 3, "catalogue": 1, "claim": 1,
               "family": 1}  # fmt: skip


def parse_mix(text: str) -> dict[str, int]:
    """`outpatient=60,inpatient=10,...` — weights, not necessarily summing to 100; kinds left out weigh 0."""
    mix = dict.fromkeys(KINDS, 0)
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, sep, weight = part.partition("=")
        kind = kind.strip()
        if not sep or kind not in mix:
            raise ValueError(f"--mix: {part!r} is not KIND=WEIGHT with KIND one of {', '.join(KINDS)}")
        if not weight.strip().isdigit():
            raise ValueError(f"--mix: the weight of {kind} must be a whole number ≥ 0, got {weight!r}")
        mix[kind] = int(weight)
    if not any(mix.values()):
        raise ValueError("--mix: every weight is 0")
    return mix


def format_mix(mix: Mapping[str, int]) -> str:
    return ",".join(f"{k}={w}" for k, w in mix.items() if w)


class ScriptStream:
    """Script g of a seed's stream, drawn in order: kind by the mix, then an institution that offers it."""

    def __init__(self, world: World, patients: Mapping[str, Sequence[str]], mix: Mapping[str, int], seed: int) -> None:
        self.draw = VisitDraw(world, patients)
        self.rng = random.Random(f"yibao-traffic:{seed}")
        codes = sorted(patients)  # patients' keys are the simulated institutions
        pharmacies = [world.institutions[c] for c in codes if world.institutions[c].fixmedins_type == PHARMACY_TYPE]
        hospitals = [world.institutions[c] for c in codes if world.institutions[c].fixmedins_type != PHARMACY_TYPE]
        self.offered: dict[str, list[Institution]] = {
            kind: pharmacies if kind in PHARMACY_KINDS else hospitals for kind in KINDS
        }
        self.kinds = [k for k in KINDS if mix.get(k, 0) > 0 and self.offered[k]]
        if not self.kinds:
            raise ValueError("no institution offers a kind of the mix (pharmacy needs pharmacies, the rest hospitals)")
        self.weights = [mix[k] for k in self.kinds]

    def __iter__(self) -> Iterator[VisitScript]:
        for seq in range(1 << 62):
            kind = self.rng.choices(self.kinds, self.weights)[0]
            inst = self.rng.choice(self.offered[kind])
            yield self.draw.draw(self.rng, seq, kind, inst)


class ScriptBook:
    """Hands out a stream's scripts, each to the desk of its institution, in stream order (thread-safe)."""

    def __init__(self, stream: Iterator[VisitScript], institutions: Sequence[str], *, window: int,
                 limit: int | None = None) -> None:  # fmt: skip
        self._stream, self._window, self._limit = stream, window, limit
        self._queues: dict[str, deque[VisitScript]] = {code: deque() for code in institutions}
        self._drawn = 0  # scripts taken from the stream
        self._waiting: set[int] = set()  # drawn, not started
        self._cond = threading.Condition()

    @property
    def _low(self) -> int:
        """The lowest script not started yet."""
        return min(self._waiting) if self._waiting else self._drawn

    def next_for(self, code: str, stop: threading.Event) -> VisitScript | None:
        """The institution's next script; None when the limit leaves it none, or once `stop` is set."""
        queue = self._queues[code]
        with self._cond:
            while not stop.is_set():
                low = self._low
                while not queue and self._drawn < low + self._window and not self._exhausted:
                    script = next(self._stream)
                    self._queues[script.fixmedins_code].append(script)
                    self._waiting.add(script.seq)
                    self._drawn += 1
                if queue and queue[0].seq < low + self._window:
                    script = queue.popleft()
                    self._waiting.discard(script.seq)
                    self._cond.notify_all()
                    return script
                if not queue and self._exhausted:
                    return None
                self._cond.wait(timeout=0.1)
            return None

    @property
    def _exhausted(self) -> bool:
        return self._limit is not None and self._drawn >= self._limit

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()
