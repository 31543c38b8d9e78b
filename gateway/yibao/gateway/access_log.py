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
appends to the same file (O_APPEND) in writes of whole lines of at most PIPE_BUF bytes, so lines never interleave;
a thread of each process writes them, so a call never waits for the disk or a pipe (AccessLog).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import deque
from datetime import datetime
from typing import NamedTuple

from yibao import platform_clock
from yibao.masking import mask_name

OFF = "off"
STDOUT = "-"
BUFFERED = 50_000  # lines waiting to be written, at most (~12 MB); beyond, dropped and counted
PIPE_BUF = 4096  # the most one write keeps whole on a pipe (POSIX), and so the most a batch holds
# seconds the writer waits for more lines once woken: at 1 000 calls/s a wake-up per line took the GIL from the
# calls 1 000 times a second; the lines reach the log at most this late
GATHER = 0.05
log = logging.getLogger("yibao.access_log")
_START = threading.Lock()
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
    """Appends one line per call to `target` (a path, or "-" for standard output).

    A call never waits for the log: its line goes to a bounded buffer that a thread of this process writes out,
    a batch at a time (at most PIPE_BUF bytes a write, whole lines, so the processes of a serve never interleave
    even on a pipe). Standard output that nobody reads (a pipe left full) would otherwise stop every call; here the
    lines beyond BUFFERED are dropped instead, counted in `dropped` and said once on the process's log."""

    def __init__(self, target: str) -> None:
        self.target = target
        if target == STDOUT:
            self._fd, self._owned = sys.stdout.fileno(), False
        else:
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            self._owned = True
        self._lines: deque[bytes] = deque()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._writer: threading.Thread | None = None
        self._closed = False
        self.dropped = 0

    def write(self, entry: AccessEntry) -> None:
        if len(self._lines) >= BUFFERED:
            if not self.dropped:
                log.warning("access log %s is not keeping up: dropping lines", self.target)
            self.dropped += 1
            return
        self._lines.append(line_of(entry, platform_clock.now_aware()).encode() + b"\n")
        if self._writer is None:
            self._start()
        self._wake.set()

    def flush(self, timeout: float = 5.0) -> None:
        """Until every line written so far is out (tests, and the process's end)."""
        deadline = time.monotonic() + timeout
        while (self._lines or not self._idle.is_set()) and time.monotonic() < deadline:
            self._wake.set()
            time.sleep(0.005)

    def close(self) -> None:
        self.flush(1.0)  # a pipe nobody reads holds the process's end a second at most
        self._closed = True
        self._wake.set()
        if self._owned and self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _start(self) -> None:
        with _START:
            if self._writer is None:  # started in the process that writes: a thread does not survive a fork
                self._writer = threading.Thread(target=self._run, name="access-log", daemon=True)
                self._writer.start()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait()
            self._idle.clear()
            time.sleep(GATHER)  # let lines gather: one wake-up and one write for many calls, not one each
            self._wake.clear()
            try:
                while self._lines:
                    self._write_out(self._batch())
            except OSError as e:  # a full disk, a closed pipe: the calls go on
                log.warning("access log %s: %s", self.target, e)
                self._lines.clear()
            finally:
                self._idle.set()

    def _batch(self) -> bytes:
        parts = [self._lines.popleft()]
        size = len(parts[0])
        while self._lines and size + len(self._lines[0]) <= PIPE_BUF:
            line = self._lines.popleft()
            parts.append(line)
            size += len(line)
        return b"".join(parts)

    def _write_out(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]


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
