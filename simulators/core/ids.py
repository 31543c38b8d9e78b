"""Platform-issued identifiers (mdtrt_id, setl_id, sign_no, inf_refmsgid): 30 characters,
region(6) + yyyyMMddHHmmss + serial(10). The serial is the process id and a counter, so
gateway worker processes never collide."""

from __future__ import annotations

import itertools
import os
import threading
from datetime import datetime

from yibao.timetext import compact

_counter = itertools.count(1)
_lock = threading.Lock()


def new_id(admdvs: str, now: datetime) -> str:
    with _lock:
        seq = next(_counter) % 10_000_000
    return f"{admdvs}{compact(now)}{os.getpid() % 1000:03d}{seq:07d}"
