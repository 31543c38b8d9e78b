"""msgids for many load processes that act for the same institutions.

A msgid is fixmedins_code + yyyyMMddHHmmss + a 4-digit sequence, so one institution has 10 000
msgids per second, and they must never repeat (a repeat is answered by replaying the old reply).
Threads or greenlets of one process share one sequence per institution (MsgidSequence); load
processes split the 4 digits into slots: process k of a run draws only from slot k, so two
processes never meet, without talking to each other and without giving up any institution.
"""

from __future__ import annotations

import itertools
import threading

from yibao.simulators.his.envelope import SEQUENCE_SPAN, MsgidSequence

SLOTS = 10  # processes per run: each gets 1 000 msgids per second per institution


class MsgidSlot(MsgidSequence):
    """The 4-digit tails slot × span … slot × span + span − 1, cycling (thread- and greenlet-safe)."""

    def __init__(self, slot: int, *, slots: int = SLOTS, start: int = 0) -> None:
        if not 0 <= slot < slots:
            raise ValueError(
                f"msgid slot {slot} is outside 0–{slots - 1}: at most {slots} load processes can share an institution"
            )
        self.span = SEQUENCE_SPAN // slots
        self.base = slot * self.span
        self._next = itertools.count(start % self.span)
        self._guard = threading.Lock()

    def next(self) -> int:
        with self._guard:
            return self.base + next(self._next) % self.span


class InstitutionSequences:
    """One MsgidSlot per institution for this process."""

    def __init__(self, slot: int, start: int = 0) -> None:
        self.slot, self.start = slot, start
        self._by_code: dict[str, MsgidSlot] = {}
        self._guard = threading.Lock()

    def get(self, fixmedins_code: str) -> MsgidSlot:
        with self._guard:
            if fixmedins_code not in self._by_code:
                self._by_code[fixmedins_code] = MsgidSlot(self.slot, start=self.start)
            return self._by_code[fixmedins_code]
