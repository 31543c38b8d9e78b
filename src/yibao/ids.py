"""Platform-issued identifiers (mdtrt_id, setl_id, sign_no, inf_refmsgid): 30 characters,
region(6) + yyyyMMddHHmmss + serial(10). The serial is the node (2 digits: the host, `yibao serve
--node`), the process id modulo 1000 (3: the supervisor keeps its workers' distinct, gateway/yibao/gateway/prefork.py)
and a counter (5), so no two processes of one deployment make the same id. The counter repeats only
after 100 000 ids of one process, so an id could repeat only if a process made that many within one
second: ~50 times what the gateway sustains."""

from __future__ import annotations

import itertools
import os
import threading
from datetime import datetime

from yibao.timetext import compact

NODES = 100
_counter = itertools.count(1)
_lock = threading.Lock()
_node = 0


def set_node(node: int) -> None:
    """This host's number among the hosts that share a store; set before the workers fork."""
    global _node
    if not 0 <= node < NODES:
        raise ValueError(f"the node number must be 0–{NODES - 1}, not {node}")
    _node = node


def new_id(admdvs: str, now: datetime) -> str:
    with _lock:
        seq = next(_counter) % 100_000
    return f"{admdvs}{compact(now)}{_node:02d}{os.getpid() % 1000:03d}{seq:05d}"
