"""The nonce memory `yibao serve --workers N` shares (gateway/yibao/gateway/shared_nonces.py), and RequestAuth
refusing a nonce another worker took."""

from __future__ import annotations

import os

import pytest

from yibao.errors import Refusal
from yibao.gateway.request_auth import GRPC_METADATA, Credentials, RequestAuth
from yibao.gateway.shared_nonces import PROBES, SharedNonces
from yibao.request_signing import NONCE, SIGNATURE, TIMESTAMP, parse_keys, signature

NOW = 1_800_000_000.0


def test_a_nonce_is_taken_once_within_its_window_and_per_signer() -> None:
    shared = SharedNonces(slots=1024)
    assert shared.claim("H1", "n-1", NOW, NOW + 300) is True
    assert shared.claim("H1", "n-1", NOW + 299, NOW + 599) is False
    assert shared.claim("H2", "n-1", NOW, NOW + 300) is True  # another signer's nonce is its own
    assert shared.claim("H1", "n-1", NOW + 301, NOW + 601) is True  # its window closed: the timestamp refuses now


def test_a_forked_process_sees_the_nonces_of_its_parent_and_the_parent_its() -> None:
    shared = SharedNonces(slots=1024)
    shared.claim("H1", "parent", NOW, NOW + 300)
    pid = os.fork()
    if pid == 0:  # the child: exit status 0 only if it saw the parent's nonce and took its own
        seen = shared.claim("H1", "parent", NOW, NOW + 300) is False
        took = shared.claim("H1", "child", NOW, NOW + 300) is True
        os._exit(0 if seen and took else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert shared.claim("H1", "child", NOW, NOW + 300) is False


def test_a_full_neighbourhood_records_nothing_and_expired_slots_are_taken_again() -> None:
    shared = SharedNonces(slots=PROBES)  # every digest's path is the whole table
    assert all(shared.claim("H1", f"n-{i}", NOW, NOW + 300) for i in range(PROBES))
    assert shared.claim("H1", "one more", NOW, NOW + 300) is None  # the worker's own check still runs
    assert shared.claim("H1", "n-5", NOW, NOW + 300) is False  # and what it holds is still refused
    assert shared.claim("H1", "later", NOW + 301, NOW + 601) is True


KEYS = parse_keys({"institutions": {"H1": {"secret": "s" * 32, "algorithm": "HMAC-SHA256"}}})


def _credentials(nonce: str, body: bytes) -> Credentials:
    stamp = str(int(NOW))
    sign = signature("HMAC-SHA256", "s" * 32, infno="1101", fixmedins_code="H1", operator="", timestamp=stamp,
                     nonce=nonce, body=body)  # fmt: skip
    return Credentials({TIMESTAMP: stamp, NONCE: nonce, SIGNATURE: sign}, GRPC_METADATA)


def test_two_workers_sharing_the_memory_refuse_a_nonce_replayed_to_the_other() -> None:
    from datetime import UTC, datetime

    clock = lambda: datetime.fromtimestamp(NOW, UTC)  # noqa: E731
    shared = SharedNonces(slots=1024)
    first, second = RequestAuth(KEYS, clock, shared=shared), RequestAuth(KEYS, clock, shared=shared)
    first.check("1101", "H1", b"body", _credentials("abc", b"body"))
    with pytest.raises(Refusal) as refused:
        second.check("1101", "H1", b"body", _credentials("abc", b"body"))
    assert refused.value.code == "AUTH_TIF_NONCE_REUSED" and refused.value.field == "metadata.x-tif-nonce"
    alone = RequestAuth(KEYS, clock)  # a worker with its own memory only: the replay gets through
    alone.check("1101", "H1", b"body", _credentials("abc", b"body"))
