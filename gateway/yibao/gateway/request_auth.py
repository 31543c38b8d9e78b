"""Who may make a call: request signatures, replay protection and the operator role, for both entry points.

The gRPC server (gateway/yibao/gateway/grpc_auth.py, metadata) and the national JSON over HTTP
(adapters/yibao/adapters/http/app.py, headers) hand the same values to `RequestAuth.check` before the call
reaches the gateway, so switching transport changes nothing. The schemes and the keys file are in
src/yibao/request_signing.py; docs/security.md says what this protects against and what not.

Rules, in order (each refusal is catalogued in src/yibao/errors.py):
1. An operator transaction (OPERATOR_INFNOS) needs an operator's signature (x-yibao-operator): an institution
   code, even the operator institution's, is not enough. Without a keys file, only a server on a loopback
   address lets the operator institution call them unsigned (today's zero-setup lab on 127.0.0.1).
2. A call carrying x-yibao-operator is verified with that operator's key, which must cover the institution.
3. An institution with a key: 9001 must prove the institution — its signature, or a client certificate for
   that institution (mutual TLS: `certified_as`); later calls must be signed when `signing_required`, and are
   verified whenever they carry a signature.
4. An institution without a key: refused if the keys file says `"unlisted_institutions": "refuse"`, else
   not checked (whatever it sends).
A valid signature's timestamp must be within the window of platform time, and its nonce unused by the same
signer within the window (NonceCache).
"""

from __future__ import annotations

import hmac
import re
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from yibao import platform_clock
from yibao.errors import Refusal
from yibao.gateway.shared_nonces import SharedNonces
from yibao.request_signing import (
    FORMULAS,
    NONCE,
    OPERATOR,
    PAASID,
    SIGNATURE,
    SIGNED_VALUES,
    TIMESTAMP,
    KeysFile,
    signature,
)

# region outages, cross-region clearing, and the insured place paying a manual reimbursement claim
OPERATOR_INFNOS = frozenset({"Y9102", "Y3270", "Y3271", "Y3272", "Y2802"})
SIGN_IN = "9001"
MAX_NONCE_LENGTH = 128
TIMESTAMP_TEXT = re.compile(r"[0-9]{1,12}")
NO_KEYS = KeysFile()


@dataclass(frozen=True, slots=True)
class Carrier:
    """How a transport carries the values: the words for its refusals and the prefix of their field path."""

    field: str  # "headers" / "metadata"
    zh: str
    en: str


HTTP_HEADERS = Carrier("headers", "请求头", "header")
GRPC_METADATA = Carrier("metadata", "gRPC 元数据", "gRPC metadata key")


@dataclass(frozen=True, slots=True)
class Credentials:
    """What one request brings: the carried values by lower-case name (request_signing.CARRIED), and the
    fixmedins_code its client certificate was issued to when the transport verified one (mutual TLS;
    None otherwise: a hook for the transport's peer identity)."""

    values: Mapping[str, str]
    carrier: Carrier
    certified_as: str | None = None


def unix_time(now: datetime) -> float:
    """POSIX seconds of the platform's time: naive in the platform's zone, never the host's."""
    if now.tzinfo is not None:
        return now.timestamp()
    return now.replace(tzinfo=ZoneInfo(platform_clock.zone_name())).timestamp()


class NonceCache:
    """The nonces each signer used within the window: bounded per signer, so one signer's flood costs only its
    own calls (refused while full, AUTH_NONCE_CACHE_FULL) and never lets a nonce still fresh be forgotten."""

    def __init__(self, window: int, per_signer: int) -> None:
        self.window, self.per_signer = window, per_signer
        self._seen: dict[str, dict[str, float]] = {}  # signer → nonce → fresh until
        self._order: dict[str, deque[tuple[float, str]]] = {}
        self._lock = threading.Lock()

    def use(self, signer: str, nonce: str, now: float, sent: float) -> None:
        with self._lock:
            seen = self._seen.setdefault(signer, {})
            order = self._order.setdefault(signer, deque())
            while order and order[0][0] < now:  # expired: its timestamp alone now refuses a replay
                until, old = order.popleft()
                if seen.get(old) == until:
                    del seen[old]
            if nonce in seen:
                raise Refusal("AUTH_TIF_NONCE_REUSED", "", value=nonce[:64], seconds=self.window)
            if len(seen) >= self.per_signer:
                raise Refusal("AUTH_NONCE_CACHE_FULL", "", code=signer, max=self.per_signer, seconds=self.window)
            seen[nonce] = sent + self.window
            order.append((sent + self.window, nonce))


class RequestAuth:
    """The one check both entry points call. `open_operators`: without a keys file, whether the operator
    institution may call operator transactions unsigned (a server bound to a loopback address only)."""

    def __init__(
        self,
        keys: KeysFile | None = None,
        clock: Callable[[], datetime] = platform_clock.now,
        *,
        open_operators: bool = True,
        shared: SharedNonces | None = None,
    ) -> None:
        self.keys = keys or NO_KEYS
        self.shared = shared  # `serve --workers N`: every worker's nonces (gateway/yibao/gateway/shared_nonces.py)
        self.configured = keys is not None
        self.clock = clock
        self.open_operators = open_operators and not self.configured
        self.nonces = NonceCache(self.keys.window_seconds, self.keys.max_nonces)

    @property
    def active(self) -> bool:
        """Whether any call can be refused here (else a transport may skip collecting credentials)."""
        return self.configured or not self.open_operators

    def check(self, infno: str, fixmedins_code: str, body: bytes, creds: Credentials) -> None:
        """Refuse (Refusal) a call that does not prove who makes it; `body` is the request as sent."""
        operator = creds.values.get(OPERATOR, "")
        if infno in OPERATOR_INFNOS and not operator and not self.open_operators:
            raise Refusal("AUTH_OPERATOR_REQUIRED", f"{creds.carrier.field}.{OPERATOR}", infno=infno,
                          carrier=creds.carrier.zh, carrier_en=creds.carrier.en, header=OPERATOR)  # fmt: skip
        if operator:
            self._check_operator(operator, infno, fixmedins_code, body, creds)
            return
        key = self.keys.institutions.get(fixmedins_code)
        if key is None:
            if self.keys.refuse_unlisted:
                raise Refusal("AUTH_NO_KEY", "header.fixmedins_code", code=fixmedins_code)
            return
        signed = any(creds.values.get(name) for name in SIGNED_VALUES)
        if not signed and infno == SIGN_IN and creds.certified_as == fixmedins_code:
            return  # proof by client certificate (mutual TLS)
        if not signed and not key.signing_required and infno != SIGN_IN:
            return  # the sign_no from a proven 9001 is the credential
        self._require(creds, fixmedins_code, (PAASID, *SIGNED_VALUES) if key.paasid else SIGNED_VALUES)
        if key.paasid and creds.values[PAASID] != key.paasid:
            raise Refusal("AUTH_TIF_PAASID", f"{creds.carrier.field}.{PAASID}", value=creds.values[PAASID][:64],
                          code=fixmedins_code)  # fmt: skip
        self._verify(fixmedins_code, key.secret, key.algorithm, "", infno, fixmedins_code, body, creds)

    def _check_operator(self, name: str, infno: str, fixmedins_code: str, body: bytes, creds: Credentials) -> None:
        op = self.keys.operators.get(name)
        where = f"{creds.carrier.field}.{OPERATOR}"
        if op is None:
            raise Refusal("AUTH_OPERATOR_UNKNOWN", where, value=name[:64])
        if op.institutions and fixmedins_code not in op.institutions:
            raise Refusal("AUTH_OPERATOR_INSTITUTION", "header.fixmedins_code", value=name[:64], code=fixmedins_code)
        self._require(creds, name, SIGNED_VALUES)
        self._verify(f"operator:{name}", op.secret, op.algorithm, name, infno, fixmedins_code, body, creds)

    @staticmethod
    def _require(creds: Credentials, who: str, names: tuple[str, ...]) -> None:
        for name in names:
            if not creds.values.get(name):
                raise Refusal("AUTH_TIF_MISSING", f"{creds.carrier.field}.{name}", code=who, header=name,
                              carrier=creds.carrier.zh, carrier_en=creds.carrier.en)  # fmt: skip

    def _verify(
        self, signer: str, secret: str, algorithm: str, operator: str, infno: str, code: str, body: bytes,
        creds: Credentials,
    ) -> None:  # fmt: skip
        values, carrier = creds.values, creds.carrier
        stamp, nonce, given = values[TIMESTAMP], values[NONCE], values[SIGNATURE]
        self._check_format(stamp, nonce, carrier)
        expected = signature(algorithm, secret, infno=infno, fixmedins_code=code, operator=operator,
                             timestamp=stamp, nonce=nonce, body=body)  # fmt: skip
        if not hmac.compare_digest(given.lower().encode(), expected.encode()):
            raise Refusal("AUTH_TIF_SIGNATURE", f"{carrier.field}.{SIGNATURE}", code=operator or code,
                          algorithm=algorithm, formula=FORMULAS[algorithm])  # fmt: skip
        now_dt = self.clock()
        now, sent = unix_time(now_dt), int(stamp)
        window = self.keys.window_seconds
        if abs(now - sent) > window:
            raise Refusal("AUTH_TIF_STALE", f"{carrier.field}.{TIMESTAMP}", value=stamp,
                          now=f"{int(now)} ({now_dt:%Y-%m-%d %H:%M:%S})", seconds=window)  # fmt: skip
        try:
            self.nonces.use(signer, nonce, now, sent)
        except Refusal as r:  # the cache knows no carrier: the field is named here
            raise Refusal(r.code, f"{carrier.field}.{NONCE}", **_params(r)) from None
        if self.shared is not None and self.shared.claim(signer, nonce, now, sent + window) is False:
            raise Refusal("AUTH_TIF_NONCE_REUSED", f"{carrier.field}.{NONCE}", value=nonce[:64], seconds=window)

    @staticmethod
    def _check_format(stamp: str, nonce: str, carrier: Carrier) -> None:
        if not TIMESTAMP_TEXT.fullmatch(stamp):
            raise Refusal("AUTH_TIF_FORMAT", f"{carrier.field}.{TIMESTAMP}", header=TIMESTAMP, carrier=carrier.zh,
                          carrier_en=carrier.en, rule="应为 Unix 时间（秒）",
                          rule_en="must be Unix time in seconds")  # fmt: skip
        if len(nonce) > MAX_NONCE_LENGTH:
            raise Refusal("AUTH_TIF_FORMAT", f"{carrier.field}.{NONCE}", header=NONCE, carrier=carrier.zh,
                          carrier_en=carrier.en, rule=f"最长 {MAX_NONCE_LENGTH} 个字符",
                          rule_en=f"at most {MAX_NONCE_LENGTH} characters")  # fmt: skip


def _params(r: Refusal) -> dict[str, object]:
    return {k: v for k, v in r.params.items() if k != "field"}
