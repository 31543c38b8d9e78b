"""`yibao serve --workers 2 --keys FILE`: a signed call's nonce is remembered by every worker (the memory they
share, gateway/yibao/gateway/shared_nonces.py), so a replay on a connection the other worker took is refused too."""

from __future__ import annotations

import json
from pathlib import Path

import grpc
import pytest
from test_serve_workers import serve_two_workers, wait_serving

from yibao.request_signing import client_keys, parse_keys
from yibao.simulators.his import signing
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.world.loader import load_world

HOSPITAL = "H11010100001"  # the demo world's
CONNECTIONS = 16  # spread over the two workers by SO_REUSEPORT: all on one has odds of 2 in 65 536


def test_a_nonce_replayed_to_either_worker_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys_doc = {"institutions": {HOSPITAL: {"secret": "w" * 32, "algorithm": "HMAC-SHA256"}}}
    (tmp_path / "keys.json").write_text(json.dumps(keys_doc))
    proc, target = serve_two_workers(f"sqlite:///{tmp_path / 'yibao.db'}", "--keys", str(tmp_path / "keys.json"))
    # every signature carries one nonce: each 9001 is signed over its own body, so only the nonce makes it a replay
    monkeypatch.setattr(signing.secrets, "token_hex", lambda n: "the-same-nonce")
    institution = load_world(None).institutions[HOSPITAL]
    keys = client_keys(parse_keys(keys_doc))
    channels = [grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(CONNECTIONS)]  # fmt: skip
    try:
        for channel in channels:
            wait_serving(channel)  # each connection open, to whichever worker took it
        outcomes = []
        for channel in channels:
            try:
                HisClient(signing.signing_channel(channel, keys), institution).sign_in()
                outcomes.append("signed in")
            except HisRefused as e:
                outcomes.append(e.code)
        assert outcomes == ["signed in"] + ["AUTH_TIF_NONCE_REUSED"] * (CONNECTIONS - 1), outcomes
    finally:
        for channel in channels:
            channel.close()
        proc.terminate()
        proc.wait(timeout=60)
