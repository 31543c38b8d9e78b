"""The access log: one JSON line per call (`yibao serve --access-log FILE|-|off`; docs/observability.md).

    {"time": "2026-12-06T10:00:00.123+08:00", "transport": "grpc", "infno": "2207",
     "msgid": "H11010100001202612061000000001", "institution": "H11010100001", "opter": "OP01",
     "opter_name": "张*", "outcome": "refused", "code": "ENV_INF_TIME", "field": "header.inf_time",
     "ms": 3.412, "pid": 4242}

`time` is the platform's time with its offset (docs/time-zone.md); `outcome` is ok or refused, `code` the
refusal's catalogue code (docs/errors.md) and `field` the field it names; `ms` the milliseconds from arrival to
answer in this process, `pid` the process (a worker of `serve --workers N`). Personal data is masked
(src/yibao/masking.py): the operator's name keeps its first character (and its last from three on); no
certificate number, person's name or refusal text (which may quote a value) is written. Every process of a serve
appends to the same file, each line in one write (O_APPEND), so lines never interleave.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime
from typing import NamedTuple

from yibao import platform_clock
from yibao.masking import mask_name

OFF = "off"
STDOUT = "-"
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: json.dumps builds one a call
_stamps = threading.local()  # the last second's text, per thread: formatting a time costs more than the rest


class AccessEntry(NamedTuple):
    transport: str
    infno: str
    msgid: str
    institution: str
    opter: str
    opter_name: str
    code: str  # "" when the call was carried out
    field: str
    seconds: float


class AccessLog:
    """Appends one line per call to `target` (a path, or "-" for standard output)."""

    def __init__(self, target: str) -> None:
        self.target = target
        if target == STDOUT:
            self._fd, self._owned = sys.stdout.fileno(), False
        else:
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            self._owned = True
        self._lock = threading.Lock()

    def write(self, entry: AccessEntry) -> None:
        line = line_of(entry, platform_clock.now_aware()).encode() + b"\n"
        with self._lock:  # one write a line: a partial write of a pipe is finished before the next line
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        if self._owned and self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def line_of(entry: AccessEntry, at: datetime) -> str:
    record = {
        "time": stamp(at),
        "transport": entry.transport,
        "infno": entry.infno,
        "msgid": entry.msgid,
        "institution": entry.institution,
        "opter": entry.opter,
        "opter_name": mask_name(entry.opter_name),
        "outcome": "refused" if entry.code else "ok",
        "code": entry.code,
        "field": entry.field,
        "ms": round(entry.seconds * 1000, 3),
        "pid": os.getpid(),
    }
    return _ENCODER.encode(record)


def stamp(at: datetime) -> str:
    """`at` (with its offset) as 2026-12-06T10:00:00.123+08:00; the second's text is kept for the next call."""
    second = at.replace(microsecond=0)
    cached = getattr(_stamps, "last", None)
    if cached is None or cached[0] != second:
        text = second.isoformat()
        cached = _stamps.last = (second, text[:19], text[19:])
    return f"{cached[1]}.{at.microsecond // 1000:03d}{cached[2]}"


def open_access_log(target: str) -> AccessLog | None:
    """None for "off"; OSError when the file cannot be opened for appending."""
    return None if target == OFF else AccessLog(target)
