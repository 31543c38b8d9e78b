"""The keys file, the signing schemes and the rules of gateway/yibao/gateway/request_auth.py, without a server.

Platform time is 2026-03-15 10:00:00 Beijing time (Asia/Shanghai, UTC+8) = 2026-03-15 02:00:00 UTC
= Unix 1773540000.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes

from yibao.errors import Refusal
from yibao.gateway.request_auth import GRPC_METADATA, HTTP_HEADERS, Credentials, RequestAuth, unix_time
from yibao.request_signing import (
    ClientKey,
    KeysFileError,
    canonical_request,
    load_keys,
    parse_keys,
    signature,
    signed_values,
    tif_signature,
)

NOW = datetime(2026, 3, 15, 10, 0, 0)
UNIX_NOW = 1773540000
BODY = b'{"infno":"9001"}'
KEYS = {
    "institutions": {
        "H1": {"secret": "h1-secret", "algorithm": "HMAC-SHA256"},
        "H2": {"secret": "h2-secret", "algorithm": "SM3-HMAC", "signing_required": False},
        "H3": {"secret": "h3-secret", "paasid": "his-h3"},
    },
    "operators": {"ops": {"secret": "ops-secret", "algorithm": "SM3-HMAC", "institutions": ["H1"]}},
}


def auth(keys: dict[str, Any] | None = KEYS, **kw: Any) -> RequestAuth:
    return RequestAuth(parse_keys(keys) if keys is not None else None, lambda: NOW, **kw)


def signed(code: str, key: ClientKey, *, infno: str = "9001", body: bytes = BODY, nonce: str = "n1",
           at: int = UNIX_NOW) -> dict[str, str]:  # fmt: skip
    return signed_values(key, infno=infno, fixmedins_code=code, body=body, unix_time=at, nonce=nonce)


def refusal(a: RequestAuth, infno: str, code: str, values: dict[str, str], *, body: bytes = BODY,
            certified_as: str | None = None) -> Refusal:  # fmt: skip
    with pytest.raises(Refusal) as e:
        a.check(infno, code, body, Credentials(values, GRPC_METADATA, certified_as))
    return e.value


H1 = ClientKey("h1-secret", "HMAC-SHA256")
H2 = ClientKey("h2-secret", "SM3-HMAC")
OPS = ClientKey("ops-secret", "SM3-HMAC", operator="ops")


def test_platform_time_is_read_in_the_platform_zone() -> None:
    assert unix_time(NOW) == UNIX_NOW


def test_sm3_is_the_national_hash_and_its_hmac_matches_an_independent_one() -> None:
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")  # GB/T 32905-2016, example 1
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    message = canonical_request("9001", "H2", "", "1773540000", "n1", BODY)
    expected = hmac.new(b"h2-secret", message, lambda: hashlib.new("sm3")).hexdigest()
    kw = {"infno": "9001", "fixmedins_code": "H2", "operator": "", "timestamp": "1773540000", "nonce": "n1"}
    assert signature("SM3-HMAC", "h2-secret", body=BODY, **kw) == expected
    assert signature("HMAC-SHA256", "h2-secret", body=BODY, **kw) == hmac.new(b"h2-secret", message,
                                                                               hashlib.sha256).hexdigest()  # fmt: skip


def test_the_canonical_request_binds_every_value_and_the_body() -> None:
    assert canonical_request("2207", "H1", "", "1773540000", "n1", b"x") == (
        b"YIBAO-SIGN-1\n2207\nH1\n\n1773540000\nn1\n" + hashlib.sha256(b"x").hexdigest().encode()
    )
    # the x-tif scheme of the provincial gateways: SHA-256(timestamp + secret + nonce + timestamp)
    assert tif_signature("1773540000", "s", "n") == hashlib.sha256(b"1773540000sn1773540000").hexdigest()


def test_a_signed_call_passes_and_its_nonce_cannot_be_used_again() -> None:
    a = auth()
    a.check("9001", "H1", BODY, Credentials(signed("H1", H1), GRPC_METADATA))
    r = refusal(a, "9001", "H1", signed("H1", H1))
    assert (r.code, r.field) == ("AUTH_TIF_NONCE_REUSED", "metadata.x-tif-nonce")
    a.check("9001", "H1", BODY, Credentials(signed("H1", H1, nonce="n2"), GRPC_METADATA))
    # nonces are per signer: another institution may use n1
    a.check("9001", "H2", BODY, Credentials(signed("H2", H2), GRPC_METADATA))


def test_what_is_wrong_is_named() -> None:
    a = auth()
    values = signed("H1", H1)
    missing = refusal(a, "9001", "H1", {k: v for k, v in values.items() if k != "x-tif-nonce"})
    assert (missing.code, missing.field) == ("AUTH_TIF_MISSING", "metadata.x-tif-nonce")
    assert missing.message_en == "institution H1 signs its calls; the request lacks gRPC metadata key x-tif-nonce"
    stale = refusal(a, "9001", "H1", signed("H1", H1, at=UNIX_NOW - 301))
    assert (stale.code, stale.field) == ("AUTH_TIF_STALE", "metadata.x-tif-timestamp")
    assert "1773539699 is more than 300 seconds from platform time 1773540000 (2026-03-15 10:00:00)" in stale.message_en
    assert refusal(a, "9001", "H1", signed("H1", H1, at=UNIX_NOW + 301)).code == "AUTH_TIF_STALE"
    a.check("9001", "H1", BODY, Credentials(signed("H1", H1, at=UNIX_NOW - 299), GRPC_METADATA))
    wrong = refusal(a, "9001", "H1", {**values, "x-tif-signature": "0" * 64})
    assert wrong.message_en == ("x-tif-signature is wrong: H1 signs with HMAC-SHA256, lower-hex HMAC-SHA256(secret, "
                                "canonical request) (the canonical request: docs/security.md)")  # fmt: skip
    # the body is signed: the same values over another body are refused
    assert refusal(a, "9001", "H1", signed("H1", H1, nonce="n9"), body=b"{}").code == "AUTH_TIF_SIGNATURE"
    # SM3 keys do not accept an HMAC-SHA256 signature
    assert refusal(a, "9001", "H2", signed("H2", ClientKey("h2-secret", "HMAC-SHA256"))).code == "AUTH_TIF_SIGNATURE"
    bad_time = refusal(a, "9001", "H1", {**values, "x-tif-timestamp": "yesterday"})
    assert (bad_time.code, bad_time.message_en) == (
        "AUTH_TIF_FORMAT",
        "gRPC metadata key x-tif-timestamp is malformed: must be Unix time in seconds",
    )


def test_paasid_is_checked_when_the_keys_file_names_one() -> None:
    a = auth()
    h3 = ClientKey("h3-secret", "TIF-SHA256", "his-h3")
    a.check("2207", "H3", b"any body", Credentials(signed("H3", h3), HTTP_HEADERS))
    r = refusal(a, "2207", "H3", signed("H3", ClientKey("h3-secret", "TIF-SHA256", "other"), nonce="n2"))
    assert (r.code, r.field) == ("AUTH_TIF_PAASID", "metadata.x-tif-paasid")
    assert refusal(a, "2207", "H3", signed("H3", ClientKey("h3-secret", "TIF-SHA256"), nonce="n3")).code == (
        "AUTH_TIF_MISSING")  # fmt: skip


def test_sign_in_needs_proof_even_when_later_calls_need_none() -> None:
    a = auth()
    assert refusal(a, "9001", "H2", {}).code == "AUTH_TIF_MISSING"
    a.check("2207", "H2", BODY, Credentials({}, GRPC_METADATA))  # signing_required false: the sign_no suffices
    # but a signature sent is a signature checked
    assert refusal(a, "2207", "H2", {**signed("H2", H2, infno="2207"), "x-tif-signature": "00"}).code == (
        "AUTH_TIF_SIGNATURE")  # fmt: skip
    assert refusal(a, "2207", "H1", {}).code == "AUTH_TIF_MISSING"  # H1 signs every call


def test_a_client_certificate_for_the_institution_proves_its_sign_in() -> None:
    a = auth()
    a.check("9001", "H1", BODY, Credentials({}, GRPC_METADATA, certified_as="H1"))
    assert refusal(a, "9001", "H1", {}, certified_as="H2").code == "AUTH_TIF_MISSING"
    assert refusal(a, "2207", "H1", {}, certified_as="H1").code == "AUTH_TIF_MISSING"  # later calls: signatures


def test_operator_transactions_need_an_operator_credential() -> None:
    a = auth()
    for infno in ("Y9102", "Y3270", "Y3271", "Y3272"):
        # the operator institution's own valid signature is not an operator credential
        r = refusal(a, infno, "H1", signed("H1", H1, infno=infno, nonce=infno))
        assert (r.code, r.field) == ("AUTH_OPERATOR_REQUIRED", "metadata.x-yibao-operator")
    a.check("Y9102", "H1", BODY, Credentials(signed("H1", OPS, infno="Y9102"), GRPC_METADATA))
    # an operator acts only for the institutions it is given, and must sign as itself
    assert refusal(a, "Y9102", "H2", signed("H2", OPS, infno="Y9102", nonce="n2")).code == "AUTH_OPERATOR_INSTITUTION"
    stranger = ClientKey("ops-secret", "SM3-HMAC", operator="nobody")
    assert refusal(a, "Y9102", "H1", signed("H1", stranger, infno="Y9102", nonce="n3")).code == "AUTH_OPERATOR_UNKNOWN"
    forged = {**signed("H1", H1, infno="Y9102", nonce="n4"), "x-yibao-operator": "ops"}
    assert refusal(a, "Y9102", "H1", forged).code == "AUTH_TIF_SIGNATURE"


def test_without_a_keys_file_operators_are_open_on_loopback_only() -> None:
    loopback, exposed = auth(None), auth(None, open_operators=False)
    loopback.check("Y9102", "H1", BODY, Credentials({}, GRPC_METADATA))
    assert not loopback.active and exposed.active
    assert refusal(exposed, "Y9102", "H1", {}).code == "AUTH_OPERATOR_REQUIRED"
    exposed.check("2207", "H1", BODY, Credentials({}, GRPC_METADATA))  # national calls as before


def test_unlisted_institutions_may_be_refused() -> None:
    auth().check("2207", "H9", BODY, Credentials({}, GRPC_METADATA))
    r = refusal(auth({**KEYS, "unlisted_institutions": "refuse"}), "2207", "H9", {})
    assert (r.code, r.field) == ("AUTH_NO_KEY", "header.fixmedins_code")


def test_the_nonce_cache_is_bounded_per_signer() -> None:
    a = auth({**KEYS, "max_nonces_per_institution": 2})
    for nonce in ("a", "b"):
        a.check("9001", "H1", BODY, Credentials(signed("H1", H1, nonce=nonce), GRPC_METADATA))
    full = refusal(a, "9001", "H1", signed("H1", H1, nonce="c"))
    assert (full.code, full.category.value) == ("AUTH_NONCE_CACHE_FULL", "overload")
    a.check("9001", "H2", BODY, Credentials(signed("H2", H2, nonce="c"), GRPC_METADATA))  # others unaffected
    a.clock = lambda: datetime(2026, 3, 15, 10, 5, 1)  # 301 s on: the first two have expired
    a.check("9001", "H1", BODY, Credentials(signed("H1", H1, nonce="c", at=UNIX_NOW + 301), GRPC_METADATA))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "must be a JSON object"),
        ({"institutions": {}}, 'names no key: give "institutions" or "operators"'),
        ({"institutions": {"H1": {"secret": ""}}}, "institutions.H1.secret must be a non-empty string"),
        ({"institutions": {"H1": "s"}}, 'institutions.H1 must be an object with a "secret"'),
        ({"institutions": {"H1": {"secret": "s", "algorithm": "MD5"}}},
         "institutions.H1.algorithm must be one of HMAC-SHA256, SM3-HMAC, TIF-SHA256; got 'MD5'"),
        ({"institutions": {"H1": {"secret": "s", "signing_required": "yes"}}},
         "institutions.H1.signing_required must be true or false"),
        ({"institutions": {"H1": {"secret": "s", "sceret": "t"}}},
         "institutions.H1.sceret is not a keys-file field; known here: algorithm, paasid, secret, signing_required"),
        ({"operators": {"ops": {"secret": "s"}}}, "operators.ops.algorithm must be one of HMAC-SHA256, SM3-HMAC; "
         "got nothing"),
        ({"operators": {"ops": {"secret": "s", "algorithm": "TIF-SHA256"}}}, "operators.ops.algorithm must be one of"),
        ({"operators": {"ops": {"secret": "s", "algorithm": "SM3-HMAC", "institutions": "H1"}}},
         "operators.ops.institutions must be a list of fixmedins_code"),
        ({**KEYS, "window_seconds": 0}, "window_seconds must be a positive integer, got 0"),
        ({**KEYS, "unlisted_institutions": "deny"}, 'unlisted_institutions must be "allow" or "refuse"'),
    ],
)  # fmt: skip
def test_a_bad_keys_file_is_refused_naming_the_place(keys: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(keys))
    with pytest.raises(KeysFileError) as e:
        load_keys(path)
    assert str(e.value).startswith(f"{path}: {message}")


def test_a_keys_file_of_the_tif_scheme_keeps_its_meaning() -> None:
    keys = parse_keys({"institutions": {"H1": {"secret": "s3cret", "paasid": "his"}}})
    assert keys.institutions["H1"].algorithm == "TIF-SHA256" and keys.institutions["H1"].signing_required
    assert keys.window_seconds == 300 and not keys.refuse_unlisted
