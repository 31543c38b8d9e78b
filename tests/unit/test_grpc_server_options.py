"""Extra gRPC server options from YIBAO_GRPC_SERVER_OPTIONS (gateway/yibao/gateway/grpc_options.py), for overload
experiments: parsed as name=integer pairs, refused with the variable and the rule named, nothing when unset."""

from __future__ import annotations

import pytest

from yibao.gateway.grpc_options import ENVIRONMENT, BadOptions, from_environment


def test_unset_or_empty_adds_nothing() -> None:
    assert from_environment({}) == []
    assert from_environment({ENVIRONMENT: " "}) == []


def test_pairs_are_read_as_integers_in_order() -> None:
    text = "grpc.server.max_pending_requests=64, grpc.server.max_pending_requests_hard_limit=256"
    assert from_environment({ENVIRONMENT: text}) == [
        ("grpc.server.max_pending_requests", 64),
        ("grpc.server.max_pending_requests_hard_limit", 256),
    ]


@pytest.mark.parametrize("text", ["max_pending_requests=64", "grpc.x=sixty", "grpc.x", "grpc.x=1=2", "grpc.X=1"])
def test_anything_else_is_refused_naming_the_variable_and_the_rule(text: str) -> None:
    with pytest.raises(BadOptions, match=rf"{ENVIRONMENT}: .* is not grpc.<name>=<integer>"):
        from_environment({ENVIRONMENT: text})


def test_serve_refuses_to_start_with_a_malformed_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from yibao import cli

    monkeypatch.setenv(ENVIRONMENT, "grpc.server.max_pending_requests=lots")
    assert cli.main(["serve", "--port", "0"]) == 2
    assert f"yibao: {ENVIRONMENT}: 'grpc.server.max_pending_requests=lots' is not grpc.<name>=<integer>" in (
        capsys.readouterr().err
    )
