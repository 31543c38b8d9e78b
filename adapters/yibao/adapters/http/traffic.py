"""The HTTP requests as received, kept for the inspector: the raw side of each journaled call, and the refusals of
the transport itself (unreadable JSON, unknown address, infno/address mismatch, body too large…), which happen
before the gateway and so never reach the journal.

Kept in this process's memory only, the last KEPT requests, each body up to BODY_KEPT bytes: what the inspector
shows beside the journal's normalised message while it is recent. With `--workers N` each worker keeps the requests
it received. Recording is cheap (a reference to the body, the headers copied); the envelope's fields are read from
the body only when the inspector asks. Secret headers are dropped when the request is recorded (their names stay,
to show they were sent); personal data in the body is masked whenever shown (yibao.masking), and never written to
disk or log.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

BODY_KEY = "yibao.body"  # the WSGI environ key under which the adapter leaves the body it read
KEPT = 2000
BODY_KEPT = 64 * 1024
SECRET_HEADERS = frozenset({"x-tif-signature", "authorization", "proxy-authorization", "cookie"})
HIDDEN = "(hidden)"
# Best-effort reading of a body the adapter refused before parsing it (it may be no JSON at all).
_ENVELOPE_FIELD = re.compile(r'"(fixmedins_code|infno|msgid)"\s*:\s*"([^"\\]{0,40})"')


@dataclass
class Seen:
    """What the adapter learnt of one request while answering it; filled in as it goes."""

    infno: str = ""
    msgid: str = ""
    fixmedins_code: str = ""
    err_code: str = ""  # the refusal's catalogue code, "" when answered
    err_msg: str = ""
    transport: bool = False  # refused by the adapter, before the gateway: not journaled
    read: bool = False  # whether infno, msgid and fixmedins_code are known (else read from the body when asked)

    def read_from(self, header: Any) -> None:
        """The envelope's fields, as the adapter parsed them."""
        self.infno, self.msgid, self.fixmedins_code = header.infno, header.msgid, header.fixmedins_code
        self.read = True


@dataclass(frozen=True)
class RawRequest:
    seq: int
    at: datetime
    client: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # at most BODY_KEPT bytes of it
    body_size: int
    status: int
    seen: Seen = field(compare=False)

    @property
    def envelope(self) -> Seen:
        """`seen` with infno, msgid and fixmedins_code read from the body, best effort: read when first asked, off
        the hot path (a body refused before parsing may be no JSON at all)."""
        seen = self.seen
        if not seen.read:
            text = self.body.decode("utf-8", "replace")
            for name, value in _ENVELOPE_FIELD.findall(text):
                if not getattr(seen, name):
                    setattr(seen, name, value)
            seen.read = True
        return seen


def headers_of(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The request's headers as sent (names lower case), secrets replaced by HIDDEN."""
    out = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").lower()
        else:
            continue
        out.append((name, HIDDEN if name in SECRET_HEADERS else str(value)))
    return tuple(sorted(out))


class TrafficLog:
    """The last `kept` HTTP requests of this process, newest last; thread-safe."""

    def __init__(self, kept: int = KEPT) -> None:
        self._requests: deque[RawRequest] = deque(maxlen=kept)
        self._lock = threading.Lock()
        self._seq = count(1)

    def record(self, environ: dict[str, Any], method: str, path: str, seen: Seen, status: int, at: datetime) -> None:
        query = environ.get("QUERY_STRING", "")
        url = path + (f"?{query}" if query else "")
        body = environ.get(BODY_KEY, b"")
        client = str(environ.get("REMOTE_ADDR", ""))
        headers = headers_of(environ)
        with self._lock:
            kept = RawRequest(next(self._seq), at, client, method, url[:2000], headers, body[:BODY_KEPT], len(body),
                              status, seen)  # fmt: skip
            self._requests.append(kept)

    def recent(self) -> list[RawRequest]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._requests))

    def refusals(self) -> list[RawRequest]:
        """The transport's refusals, newest first."""
        return [r for r in self.recent() if r.seen.transport]

    def by_seq(self, seq: int) -> RawRequest | None:
        return next((r for r in self.recent() if r.seq == seq), None)

    def for_message(self, msgid: str, fixmedins_code: str) -> RawRequest | None:
        """The latest request that carried this msgid for this institution (a resend is the latest)."""
        for r in self.recent():
            if r.envelope.msgid == msgid and r.envelope.fixmedins_code == fixmedins_code:
                return r
        return None
