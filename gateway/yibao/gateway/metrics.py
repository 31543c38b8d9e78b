"""Prometheus metrics of the calls (`GET /metrics` on the HTTP port; docs/observability.md).

Several processes serve one port (`yibao serve --workers N`, and the settlement core beside them), and a scrape
reaches one of them: so the counts live in prometheus-client's multiprocess mode, one memory-mapped file per
process and metric kind in a folder the serve makes before it forks (PROMETHEUS_MULTIPROC_DIR), and every worker
answers a scrape with the sum over all of them. Gauges count the processes alive only (`livesum`): a worker
killed and restarted leaves no phantom in-flight calls (its files are dropped at the next scrape). Without that
folder (a gateway in a test or a script) the metrics are this process's own.

Money is exported in yuan as the counters' floating point: exact to the fen up to 2^53 fen (90 trillion yuan).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# seconds; a settlement takes a few milliseconds on SQLite, a refusal before the transaction a fraction of one
BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
SETTLEMENTS = frozenset({"2207", "2207A", "2304", "2102"})  # outpatient (and its A variant), inpatient, pharmacy
AMOUNTS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay")  # setlinfo's, in yuan
_LIVE_GAUGE = re.compile(r"gauge_live\w*?_(\d+)\.db$")

_active: Metrics | None = None  # this process's, for the hooks that have no handle on it (core_waiting)


class Metrics:
    """The call metrics of this process; `registry`: where they are registered (a test's own, to read back)."""

    def __init__(self, registry: Any = None) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.calls = Counter("yibao_calls", "Calls answered, by transport, infno and outcome (ok, refused)",
                             ["transport", "infno", "outcome"], registry=r)  # fmt: skip
        self.refusals = Counter("yibao_refusals", "Calls refused, by transport, infno and the catalogue's code",
                                ["transport", "infno", "code"], registry=r)  # fmt: skip
        self.seconds = Histogram("yibao_call_duration_seconds", "Time from a call's arrival to its answer",
                                 ["transport", "infno"], buckets=BUCKETS, registry=r)  # fmt: skip
        self.in_flight = Gauge("yibao_calls_in_flight", "Calls under way now", ["transport"], registry=r,
                               multiprocess_mode="livesum")  # fmt: skip
        self.core_queue = Gauge("yibao_core_queue_depth", "Calls handed to the settlement core process and not "
                                "answered yet (waiting for it or in its transaction)", registry=r,
                                multiprocess_mode="livesum")  # fmt: skip
        self.settlements = Counter("yibao_settlements", "Settlements made (2207, 2304, 2102)", ["infno"], registry=r)
        self.amounts = Counter("yibao_settled_yuan", "Settled amounts in yuan, by infno and part of the settlement "
                               "(medfee_sumamt, fund_pay_sumamt, acct_pay, psn_cash_pay)", ["infno", "part"],
                               registry=r)  # fmt: skip
        self._dir = os.environ.get(MULTIPROCESS)
        self._lock = threading.Lock()
        self._children: dict[tuple[str, str, str], tuple[Any, Any, Any]] = {}  # _children_of's

    def observe(self, transport: str, infno: str, code: str, seconds: float) -> None:
        """One call answered: `code` "" when it was carried out, else the refusal's catalogue code."""
        calls, refusals, seconds_of = self._children_of(transport, infno or "unknown", code)
        calls.inc()
        if refusals is not None:
            refusals.inc()
        seconds_of.observe(seconds)

    def _children_of(self, transport: str, infno: str, code: str) -> tuple[Any, Any, Any]:
        """The labelled series a call of this kind counts in, found once: `labels()` takes a lock and checks
        its values every time, the same work for every call of the kind."""
        key = (transport, infno, code)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = (
                self.calls.labels(transport, infno, "refused" if code else "ok"),
                self.refusals.labels(transport, infno, code) if code else None,
                self.seconds.labels(transport, infno),
            )
        return found

    def settled(self, infno: str, setlinfo: dict[str, str]) -> None:
        """A settlement's amounts (setlinfo's fields, decimal texts)."""
        self.settlements.labels(infno).inc()
        for part in AMOUNTS:
            value = setlinfo.get(part) or "0"
            self.amounts.labels(infno, part).inc(float(Decimal(value)))

    @contextmanager
    def calling(self, transport: str) -> Iterator[None]:
        gauge = self.in_flight.labels(transport)
        gauge.inc()
        try:
            yield
        finally:
            gauge.dec()

    def exposition(self) -> bytes:
        """The text a scrape gets: every process's sum in multiprocess mode, else this process's."""
        from prometheus_client import CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        if not self._dir:
            return generate_latest(self.registry)  # type: ignore[no-any-return]
        with self._lock:
            _forget_dead(self._dir)
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=self._dir)
            return generate_latest(registry)  # type: ignore[no-any-return]


def activate(metrics: Metrics | None) -> None:
    """This process's metrics, for `core_waiting` (the core link has no handle on them)."""
    global _active
    _active = metrics


@contextmanager
def core_waiting() -> Iterator[None]:
    """Around a call handed to the settlement core process (adapters/yibao/adapters/core_link.py)."""
    metrics = _active
    if metrics is None:
        yield
        return
    metrics.core_queue.inc()
    try:
        yield
    finally:
        metrics.core_queue.dec()


def _forget_dead(folder: str) -> None:
    """The live gauges' files of processes that are gone (a worker killed and restarted) stop counting."""
    from prometheus_client import multiprocess

    pids = {int(m.group(1)) for name in os.listdir(folder) if (m := _LIVE_GAUGE.match(name))}
    for pid in pids:
        if not _alive(pid):
            multiprocess.mark_process_dead(pid, folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


FOLDER_PREFIX = "yibao-metrics-"  # then the serve's pid and a dash: tempfile.mkdtemp(prefix=folder_prefix())


def folder_prefix() -> str:
    return f"{FOLDER_PREFIX}{os.getpid()}-"


def sweep_folders(tmp: Path) -> list[Path]:
    """The metrics folders in `tmp` of serves whose supervisor is gone (a `kill -9` ran no clean-up), removed."""
    import shutil

    removed = []
    for folder in tmp.glob(FOLDER_PREFIX + "*-*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def prepare_folder(folder: Path) -> None:
    """The multiprocess folder, empty, for a serve about to fork: set before prometheus-client is imported."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS] = str(folder)
