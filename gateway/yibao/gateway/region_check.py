"""Refuse a call whose treatment place or insured place is unavailable (maintenance or unreachable).

Runs on every call, before the write transaction, so it must be cheap: what operators set at run
time is read from the store at most once per TTL and kept in memory; the world file's windows are
in memory anyway. A refusal here is transient, so it is journaled but not remembered under the
msgid: the same message resent after the region is back is executed (or replays its stored reply).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from yibao.domain.availability import MAINTENANCE, Outage, Window, outage, time_text
from yibao.domain.world import Institution, World
from yibao.errors import Refusal
from yibao.storage import regions
from yibao.storage.regions import RuntimeAvailability
from yibao.storage.store import Store

TTL = 1.0  # seconds another gateway process may act on an operator change late (this process: at once)
EXEMPT = frozenset({"Y9101", "Y9102"})  # the availability RPCs must work while regions are down
PLACES = {  # which place, in the refusal's words, and the envelope field that named it
    "treatment": ("就医地", "treatment place", "header.mdtrtarea_admvs"),
    "insured": ("参保地", "insured place", "header.insuplc_admdvs"),
}

# Monotonic time until which every check in this process reads the store directly: set by Y9102
# in its transaction, so its change is seen the moment it commits, whatever a concurrent reload
# cached just before.
_read_through_until = 0.0


def changed() -> None:
    """An operator changed availability (called inside the changing transaction)."""
    global _read_through_until
    _read_through_until = time.monotonic() + TTL


class RegionCheck:
    def __init__(self, world: World, store: Store, ttl: float = TTL) -> None:
        self.world, self.store, self.ttl = world, store, ttl
        self._cached: tuple[float, RuntimeAvailability] = (-1.0, RuntimeAvailability())
        self._lock = threading.Lock()

    def check(self, infno: str, institution: Institution, insuplc_admdvs: str, now: datetime) -> None:
        """Raise REGION_MAINTENANCE / REGION_UNREACHABLE naming the place that cannot serve `now`."""
        if infno in EXEMPT:
            return
        runtime = self.runtime()
        for place, admdvs in (("treatment", institution.admdvs), ("insured", insuplc_admdvs)):
            found = self.outage(runtime, admdvs, now)
            if found is not None:
                raise refusal(place, admdvs, self.world.regions[admdvs].name, found)

    def outage(self, runtime: RuntimeAvailability, admdvs: str, now: datetime) -> Outage | None:
        region = self.world.regions.get(admdvs)
        if region is None:  # no insured place in the envelope, or an unknown one the handler refuses
            return None
        return outage(windows(region.maintenance, runtime, admdvs), runtime.unreachable.get(admdvs), now)

    def runtime(self) -> RuntimeAvailability:
        """Operators' settings, at most `ttl` seconds old (none old at all right after a change here)."""
        clock = time.monotonic()
        expires, runtime = self._cached
        if clock < expires and clock >= _read_through_until:
            return runtime
        with self._lock:
            expires, runtime = self._cached
            if clock < expires and clock >= _read_through_until:
                return runtime  # another thread reloaded meanwhile
            started = time.monotonic()
            with self.store.read() as tx:
                runtime = regions.load(tx)
            # A load that overlaps a change may predate its commit: use it for this call, keep it for none.
            # A change made after the load ends reads through longer than the load is kept.
            kept = time.monotonic() >= _read_through_until
            self._cached = (started + self.ttl if kept else -1.0, runtime)
            return runtime


def windows(scheduled: tuple[Window, ...], runtime: RuntimeAvailability, admdvs: str) -> tuple[Window, ...]:
    """A region's windows: the world file's and the operators'."""
    return scheduled + runtime.windows.get(admdvs, ())


def refusal(place: str, admdvs: str, name: str, found: Outage) -> Refusal:
    zh, en, field = PLACES[place]
    words = {"place": zh, "place_en": en, "admdvs": admdvs, "name": name, "reason": found.reason}
    if found.kind == MAINTENANCE:
        return Refusal("REGION_MAINTENANCE", field, until=time_text(found.until), **words)  # type: ignore[arg-type]
    return Refusal("REGION_UNREACHABLE", field, since=time_text(found.since), **words)
