"""The simulated institutions at work: one desk (thread, client) per hospital or pharmacy, each running
its scripts from the book until the time is up or the scripts run out, with a progress bar."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

import grpc
from tqdm import tqdm

from yibao.domain.world import PHARMACY, World
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.flows import run_script
from yibao.simulators.his.invariants import Ledger
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.receipt import HisCheckFailed
from yibao.simulators.his.scripts import KINDS, VisitScript
from yibao.simulators.his.summary import Tally, merge_latencies
from yibao.simulators.his.traffic import ScriptBook

SHOWN_FAILURES = 20  # failed visits printed as they happen; the summary counts them all
TICK = 0.25  # seconds between progress updates


@dataclass
class FleetResult:
    tally: Tally = field(default_factory=Tally)
    kinds: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    ledger: Ledger = field(default_factory=Ledger)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def visits(self) -> int:
        return self.tally.ok + self.tally.failed

    @property
    def calls(self) -> int:
        return sum(len(v) for v in self.latencies.values())


class Fleet:
    def __init__(self, channel: grpc.Channel, world: World, book: ScriptBook, codes: list[str],
                 out: TextIO | None = None, sequences: Mapping[str, MsgidSequence] | None = None) -> None:  # fmt: skip
        self.channel, self.world, self.book, self.codes = channel, world, book, codes
        self.out = out or sys.stdout  # looked up now: sys.stdout may have been replaced since import
        self.sequences = sequences or {}  # one msgid sequence per institution, shared with its other clients
        self.result = FleetResult()
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._clients: list[HisClient] = []
        self._shown = 0
        self._started = time.monotonic()

    def run(self, *, seconds: float | None, limit: int | None, progress: bool = True,
            progress_file: TextIO | None = None) -> FleetResult:  # fmt: skip
        """Run until `seconds` pass (visits under way finish) or the book is exhausted."""
        threads = [threading.Thread(target=self._desk, args=(c,), name=f"desk-{c}", daemon=True) for c in self.codes]
        started = time.monotonic()
        by_time = limit is None and seconds is not None
        total = round(seconds) if by_time else limit
        # A run by time counts seconds: tqdm's own rate would read "1.00s/s", so it shows the visits' rate instead.
        by_time_format = "{desc}: {percentage:3.0f}%|{bar}| {n}/{total} s [{elapsed}<{remaining}{postfix}]"
        bar = tqdm(total=total, unit="s" if by_time else "visit", file=progress_file or sys.stderr,
                   disable=not progress, dynamic_ncols=True, desc="simulate",
                   bar_format=by_time_format if by_time else None)  # fmt: skip
        self._started = started
        for t in threads:
            t.start()
        try:
            while any(t.is_alive() for t in threads):
                time.sleep(TICK)
                elapsed = time.monotonic() - started
                if seconds is not None and elapsed >= seconds and not self.stop.is_set():
                    self.stop.set()
                    self.book.wake()
                self._update(bar, min(elapsed, total or 0) if by_time else self.result.visits)
        except KeyboardInterrupt:  # finish the visits under way, then summarise what ran
            self.result.interrupted = True
            self.stop.set()
            self.book.wake()
            for t in threads:
                t.join()
        self.result.seconds = time.monotonic() - started
        self._update(bar, min(self.result.seconds, total or 0) if by_time else self.result.visits)
        bar.close()
        self.result.latencies = merge_latencies([c.latencies for c in self._clients])
        return self.result

    def _update(self, bar: Any, n: float) -> None:
        r = self.result
        bar.n = round(n) if isinstance(n, float) else n
        elapsed = time.monotonic() - self._started
        rate = f"{r.visits / elapsed:.1f}/s" if elapsed > 0 else "—"
        bar.set_postfix_str(f"visits={r.visits} ({rate}), failed={r.tally.failed}", refresh=False)
        bar.refresh()

    def _desk(self, code: str) -> None:
        inst = self.world.institutions[code]
        cls = PharmacyClient if inst.fixmedins_type == PHARMACY else HisClient
        client: HisClient = cls(self.channel, inst, sequence=self.sequences.get(code))
        client.issued = []  # the ledger collects every receipt, failed visits' too
        with self._lock:
            self._clients.append(client)
        try:
            while (script := self.book.next_for(code, self.stop)) is not None:
                self._visit(client, script)
        finally:
            if client.signed_in:  # end of shift
                try:
                    client.sign_out()
                except HisRefused as r:
                    self._show(f"{code}: 9002 签退失败 sign-out refused: {r.err_msg}")

    def _visit(self, client: HisClient, script: VisitScript) -> None:
        failure: tuple[str, str] | None = None
        try:
            run_script(client, self.world, script)
        except HisRefused as r:
            failure = (r.code or r.status_code.name, f"{r.infno} 被拒 refused: {r.err_msg}")
        except HisCheckFailed as c:
            failure = (c.code, f"结算单核对失败 receipt check failed: {'; '.join(c.problems)}")
        except Exception as e:  # a HIS bug must not stop the desk: count it, say what it was
            failure = ("HIS_ERROR", f"{type(e).__name__}: {e}")
        issued, client.issued = client.issued or [], []
        self.result.ledger.add(issued)
        with self._lock:
            kind = self.result.kinds.setdefault(script.kind, Tally())
            if failure is None:
                self.result.tally.ok += 1
                kind.ok += 1
                return
            self.result.tally.fail(*failure)
            kind.fail(*failure)
        self._show(f"✗ visit {script.seq} {script.kind} at {script.fixmedins_code}, {script.psn_no}: {failure[1]}")

    def _show(self, text: str) -> None:
        with self._lock:
            self._shown += 1
            if self._shown > SHOWN_FAILURES:
                return
        tqdm.write(text if self._shown < SHOWN_FAILURES else f"{text}\n… further failures only in the summary",
                   file=self.out)  # fmt: skip


def kinds_run(result: FleetResult) -> Mapping[str, Tally]:
    """The kinds that ran, in the order of KINDS."""
    return {k: t for k, t in result.kinds.items() if t.ok + t.failed}
