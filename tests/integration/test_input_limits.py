"""Over-long or NUL-bearing input text is refused by name before anything is stored."""

from __future__ import annotations

import pytest
from lab import LabRefused

from yibao.gateway.input_limits import limits
from yibao.v1 import signin_pb2


def test_limits_come_from_the_schema() -> None:
    table = limits()
    assert (table["psn_no"], table["mac"], table["medins_list_codg"], table["ipt_no"]) == (30, 20, 150, 30)


@pytest.mark.parametrize(
    ("mac", "code"),
    [("M" * 21, "ENV_TOO_LONG"), ("AA\x00BB", "ENV_FORMAT")],
)
def test_sign_in_mac_too_long_or_with_nul(lab, mac: str, code: str) -> None:
    with pytest.raises(LabRefused) as e:
        lab.call("9001", signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.1", mac=mac)))
    assert (e.value.code, e.value.field) == (code, "input.signIn.mac")
    assert lab.sign_in()  # nothing was half-done: a proper sign-in works
