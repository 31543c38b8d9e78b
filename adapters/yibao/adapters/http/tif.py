"""The provincial gateway's x-tif headers (interface.md §1.3), checked per institution.

x-tif-signature = lower-hex SHA-256(x-tif-timestamp + secret + x-tif-nonce + x-tif-timestamp), with
the timestamp in Unix seconds. An institution with a secret in the keys file must sign every call;
one without is not checked (the headers may be sent or not). A signed call is refused when the
signature is wrong, the timestamp is more than WINDOW from platform time (either way), or the nonce
was already used by that institution within the window. Nonces are remembered for as long as their
timestamp stays fresh; after that the timestamp check alone refuses a replay.

Keys file (JSON; `yibao serve --tif-keys FILE`):
    {"window_seconds": 300,
     "institutions": {"H11000000001": {"secret": "…", "paasid": "his-h1"}}}
`paasid` is optional: when given, x-tif-paasid must equal it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from yibao.errors import Refusal

WINDOW_SECONDS = 300  # the usual API-gateway replay window: covers clock drift, not stored replays
HEADERS = ("x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature")
MAX_NONCE = 128


@dataclass(frozen=True, slots=True)
class TifKey:
    secret: str
    paasid: str = ""  # "" = any x-tif-paasid


def signature(timestamp: str, secret: str, nonce: str) -> str:
    return hashlib.sha256(f"{timestamp}{secret}{nonce}{timestamp}".encode()).hexdigest()


def load_keys(path: str | Path) -> tuple[dict[str, TifKey], int]:
    """(keys by fixmedins_code, window in seconds) from a keys file; ValueError names what is wrong."""
    try:
        raw: Any = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: {e}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("institutions"), dict):
        raise ValueError(f'{path}: must be an object with "institutions": {{fixmedins_code: {{"secret": …}}}}')
    window = raw.get("window_seconds", WINDOW_SECONDS)
    if not isinstance(window, int) or isinstance(window, bool) or window <= 0:
        raise ValueError(f"{path}: window_seconds must be a positive integer")
    keys = {}
    for code, entry in raw["institutions"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("secret"), str) or not entry["secret"]:
            raise ValueError(f'{path}: institutions.{code} needs a non-empty "secret"')
        paasid = entry.get("paasid", "")
        if not isinstance(paasid, str):
            raise ValueError(f"{path}: institutions.{code}.paasid must be a string")
        keys[code] = TifKey(entry["secret"], paasid)
    return keys, window


class TifGuard:
    def __init__(
        self,
        keys: Mapping[str, TifKey] | None = None,
        clock: Callable[[], datetime] = datetime.now,
        window_seconds: int = WINDOW_SECONDS,
    ) -> None:
        self.keys = dict(keys or {})
        self.clock, self.window = clock, window_seconds
        self._seen: dict[tuple[str, str], float] = {}  # (institution, nonce) → fresh until
        self._order: deque[tuple[float, tuple[str, str]]] = deque()
        self._lock = threading.Lock()

    def check(self, fixmedins_code: str, headers: Mapping[str, str]) -> None:
        """Refuse a call of a signing institution that is not correctly signed. `headers` has lower-case names."""
        key = self.keys.get(fixmedins_code)
        if key is None:
            return
        for name in HEADERS:
            if not headers.get(name):
                raise Refusal("AUTH_TIF_MISSING", f"headers.{name}", code=fixmedins_code, header=name)
        paasid, ts, nonce, given = (headers[n] for n in HEADERS)
        if key.paasid and paasid != key.paasid:
            raise Refusal("AUTH_TIF_PAASID", "headers.x-tif-paasid", value=paasid[:64], code=fixmedins_code)
        if not re.fullmatch(r"[0-9]{1,12}", ts):
            raise Refusal(
                "AUTH_TIF_FORMAT",
                "headers.x-tif-timestamp",
                header="x-tif-timestamp",
                rule="应为 Unix 时间（秒）",
                rule_en="must be Unix time in seconds",
            )
        if len(nonce) > MAX_NONCE:
            raise Refusal(
                "AUTH_TIF_FORMAT",
                "headers.x-tif-nonce",
                header="x-tif-nonce",
                rule=f"最长 {MAX_NONCE} 个字符",
                rule_en=f"at most {MAX_NONCE} characters",
            )
        if not hmac.compare_digest(given.lower().encode(), signature(ts, key.secret, nonce).encode()):
            raise Refusal("AUTH_TIF_SIGNATURE", "headers.x-tif-signature")
        now_dt = self.clock()
        now, sent = now_dt.timestamp(), int(ts)
        if abs(now - sent) > self.window:
            raise Refusal(
                "AUTH_TIF_STALE",
                "headers.x-tif-timestamp",
                value=ts,
                now=f"{int(now)} ({now_dt:%Y-%m-%d %H:%M:%S})",
                seconds=self.window,
            )
        self._remember(fixmedins_code, nonce, now, sent + self.window)

    def _remember(self, code: str, nonce: str, now: float, fresh_until: float) -> None:
        with self._lock:
            while self._order and self._order[0][0] < now:
                until, old = self._order.popleft()
                if self._seen.get(old) == until:
                    del self._seen[old]
            seen = self._seen.get((code, nonce))
            if seen is not None and seen >= now:
                raise Refusal("AUTH_TIF_NONCE_REUSED", "headers.x-tif-nonce", value=nonce[:64], seconds=self.window)
            self._seen[code, nonce] = fresh_until
            self._order.append((fresh_until, (code, nonce)))
