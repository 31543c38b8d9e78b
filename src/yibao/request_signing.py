"""Request signatures: the keys file, the canonical request and the three signing schemes (docs/security.md).

Shared by the gateway, which verifies (gateway/yibao/gateway/request_auth.py), and the simulated HIS and the
bench, which sign (simulators/yibao/simulators/his/signing.py): one definition of what is signed, so the two
sides cannot drift apart.

A signed request carries four values, as HTTP headers or as gRPC metadata under the same lower-case names:
x-tif-timestamp (Unix seconds), x-tif-nonce (fresh for every request), x-tif-signature, and x-tif-paasid (the
institution's application account, checked when the keys file names one); an operator's call adds
x-yibao-operator. The signature, lower-case hex, is by the institution's (or the operator's) algorithm:
- HMAC-SHA256 and SM3-HMAC: HMAC with the secret over the canonical request (`canonical_request`), which
  binds the transaction, the institution, the operator, the timestamp, the nonce and the SHA-256 of the body
  as sent (the HTTP body's bytes; over gRPC the serialized request message);
- TIF-SHA256: the provincial gateways' x-tif scheme, SHA-256(timestamp + secret + nonce + timestamp), kept
  for real clients that have it; it proves who calls, not what they send.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

HMAC_SHA256, SM3_HMAC, TIF_SHA256 = "HMAC-SHA256", "SM3-HMAC", "TIF-SHA256"
ALGORITHMS = (HMAC_SHA256, SM3_HMAC, TIF_SHA256)
# What the signature is, in words, for the refusal that says it is wrong.
FORMULAS = {
    HMAC_SHA256: "HMAC-SHA256(secret, canonical request)",
    SM3_HMAC: "HMAC-SM3(secret, canonical request)",
    TIF_SHA256: "SHA-256(x-tif-timestamp + secret + x-tif-nonce + x-tif-timestamp)",
}
PAASID, TIMESTAMP, NONCE, SIGNATURE = "x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature"
OPERATOR = "x-yibao-operator"
SIGNED_VALUES = (TIMESTAMP, NONCE, SIGNATURE)  # what every signed request must carry
CARRIED = (PAASID, TIMESTAMP, NONCE, SIGNATURE, OPERATOR)  # every name a transport hands over
WINDOW_SECONDS = 300  # the usual API-gateway replay window: covers clock drift, not stored replays
MAX_NONCES = 100_000  # per institution (or operator) within the window; see request_auth.NonceCache
SCHEME = "YIBAO-SIGN-1"  # first line of the canonical request: a later change of its layout gets a new name


class KeysFileError(ValueError):
    """A keys file that cannot be used; the message names the file, the JSON path and the rule."""


@dataclass(frozen=True, slots=True)
class InstitutionKey:
    secret: str
    algorithm: str = TIF_SHA256  # a keys file written for `--tif-keys` keeps its meaning
    signing_required: bool = True  # False: only 9001 must prove the institution; later calls ride the sign_no
    paasid: str = ""  # "" = any x-tif-paasid


@dataclass(frozen=True, slots=True)
class OperatorKey:
    secret: str
    algorithm: str
    institutions: frozenset[str] = frozenset()  # the operator institutions it may act for; empty = every one


@dataclass(frozen=True, slots=True)
class KeysFile:
    institutions: Mapping[str, InstitutionKey] = field(default_factory=dict)
    operators: Mapping[str, OperatorKey] = field(default_factory=dict)
    window_seconds: int = WINDOW_SECONDS
    refuse_unlisted: bool = False  # True: an institution without a key is refused (a shared lab's setting)
    max_nonces: int = MAX_NONCES


@dataclass(frozen=True, slots=True)
class ClientKey:
    """What a client signs with: its secret and algorithm, and the operator's name when it acts as one."""

    secret: str
    algorithm: str
    paasid: str = ""
    operator: str = ""


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_request(infno: str, fixmedins_code: str, operator: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """What HMAC-SHA256 and SM3-HMAC sign: one value a line, UTF-8, no trailing newline."""
    lines = (SCHEME, infno, fixmedins_code, operator, timestamp, nonce, body_digest(body))
    return "\n".join(lines).encode()


def tif_signature(timestamp: str, secret: str, nonce: str) -> str:
    return hashlib.sha256(f"{timestamp}{secret}{nonce}{timestamp}".encode()).hexdigest()


def signature(
    algorithm: str, secret: str, *, infno: str, fixmedins_code: str, operator: str, timestamp: str, nonce: str,
    body: bytes,
) -> str:  # fmt: skip
    if algorithm == TIF_SHA256:
        return tif_signature(timestamp, secret, nonce)
    message = canonical_request(infno, fixmedins_code, operator, timestamp, nonce, body)
    if algorithm == HMAC_SHA256:
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    if algorithm == SM3_HMAC:
        mac = crypto_hmac.HMAC(secret.encode(), hashes.SM3())
        mac.update(message)
        return mac.finalize().hex()
    raise ValueError(f"unknown signing algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")


def signed_values(
    key: ClientKey, *, infno: str, fixmedins_code: str, body: bytes, unix_time: int, nonce: str
) -> dict[str, str]:
    """The headers (or metadata) a client sends with one request."""
    stamp = str(unix_time)
    values = {
        TIMESTAMP: stamp,
        NONCE: nonce,
        SIGNATURE: signature(key.algorithm, key.secret, infno=infno, fixmedins_code=fixmedins_code,
                             operator=key.operator, timestamp=stamp, nonce=nonce, body=body),
    }  # fmt: skip
    if key.paasid:
        values[PAASID] = key.paasid
    if key.operator:
        values[OPERATOR] = key.operator
    return values


# -- the keys file


def load_keys(path: str | Path) -> KeysFile:
    """The keys file at `path`; KeysFileError names the file, the JSON path and what is wrong."""
    try:
        raw: Any = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise KeysFileError(f"{path}: {e}") from None
    try:
        return parse_keys(raw)
    except KeysFileError as e:
        raise KeysFileError(f"{path}: {e}") from None


def parse_keys(raw: Any) -> KeysFile:
    if not isinstance(raw, dict):
        raise KeysFileError('must be a JSON object: {"institutions": {fixmedins_code: {"secret": …}}, …}')
    known = {"window_seconds", "institutions", "operators", "unlisted_institutions", "max_nonces_per_institution"}
    _no_unknown(raw, known, "")
    institutions = _section(raw, "institutions", _institution)
    operators = _section(raw, "operators", _operator)
    window = _positive(raw, "window_seconds", WINDOW_SECONDS, "")
    max_nonces = _positive(raw, "max_nonces_per_institution", MAX_NONCES, "")
    unlisted = raw.get("unlisted_institutions", "allow")
    if unlisted not in ("allow", "refuse"):
        raise KeysFileError(f'unlisted_institutions must be "allow" or "refuse", got {unlisted!r}')
    if not institutions and not operators:
        raise KeysFileError('names no key: give "institutions" or "operators"')
    return KeysFile(institutions, operators, window, unlisted == "refuse", max_nonces)


def _section(raw: dict[str, Any], name: str, parse: Any) -> dict[str, Any]:
    section = raw.get(name, {})
    if not isinstance(section, dict):
        keyed_by = "fixmedins_code" if name == "institutions" else "operator name"
        raise KeysFileError(f"{name} must be an object keyed by {keyed_by}")
    return {key: parse(entry, f"{name}.{key}") for key, entry in section.items()}


def _institution(entry: Any, where: str) -> InstitutionKey:
    _entry(entry, where, {"secret", "algorithm", "signing_required", "paasid"})
    required = entry.get("signing_required", True)
    if not isinstance(required, bool):
        raise KeysFileError(f"{where}.signing_required must be true or false")
    paasid = entry.get("paasid", "")
    if not isinstance(paasid, str):
        raise KeysFileError(f"{where}.paasid must be a string")
    return InstitutionKey(entry["secret"], _algorithm(entry, where, TIF_SHA256, ALGORITHMS), required, paasid)


def _operator(entry: Any, where: str) -> OperatorKey:
    _entry(entry, where, {"secret", "algorithm", "institutions"})
    codes = entry.get("institutions", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
        raise KeysFileError(f"{where}.institutions must be a list of fixmedins_code")
    # operators sign the whole request: the x-tif scheme, which covers no body, is not offered to them
    algorithm = _algorithm(entry, where, None, (HMAC_SHA256, SM3_HMAC))
    return OperatorKey(entry["secret"], algorithm, frozenset(codes))


def _entry(entry: Any, where: str, known: set[str]) -> None:
    if not isinstance(entry, dict):
        raise KeysFileError(f'{where} must be an object with a "secret"')
    _no_unknown(entry, known, f"{where}.")
    secret = entry.get("secret")
    if not isinstance(secret, str) or not secret:
        raise KeysFileError(f"{where}.secret must be a non-empty string")


def _algorithm(entry: dict[str, Any], where: str, default: str | None, allowed: tuple[str, ...]) -> str:
    algorithm = entry.get("algorithm", default)
    if algorithm not in allowed:
        got = "nothing" if algorithm is None else repr(algorithm)
        raise KeysFileError(f"{where}.algorithm must be one of {', '.join(allowed)}; got {got}")
    return str(algorithm)


def _positive(raw: dict[str, Any], name: str, default: int, where: str) -> int:
    value = raw.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise KeysFileError(f"{where}{name} must be a positive integer, got {value!r}")
    return value


def _no_unknown(entry: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(entry) - known)
    if unknown:
        raise KeysFileError(f"{where}{unknown[0]} is not a keys-file field; known here: {', '.join(sorted(known))}")


def client_keys(keys: KeysFile, operator: str = "") -> dict[str, ClientKey]:
    """What each institution of the keys file signs with (a simulated HIS holds its own); with `operator`, the
    operator institutions it may act for sign as that operator."""
    out = {code: ClientKey(k.secret, k.algorithm, k.paasid) for code, k in keys.institutions.items()}
    if operator:
        op = keys.operators[operator]
        for code in op.institutions:
            out[code] = ClientKey(op.secret, op.algorithm, out[code].paasid if code in out else "", operator)
    return out
