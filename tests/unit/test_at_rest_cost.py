"""`yibao bench`'s line for personal data at rest and the journal chain
(simulators/yibao/simulators/load/at_rest_cost.py): what it times and how it prints (no timed assertion: the
figures depend on the machine)."""

from __future__ import annotations

import pytest

from yibao.simulators.load.at_rest_cost import SEALED_A_1101, at_rest_cost
from yibao.simulators.load.bench import print_at_rest_cost
from yibao.storage import schema as t
from yibao.storage.sealing import SealedColumn


def test_the_values_timed_are_the_sealed_columns_a_1101_writes() -> None:
    sealed = {f"{table.name}.{c.name}" for table in (t.journal, t.message) for c in table.columns
              if isinstance(c.type, SealedColumn)}  # fmt: skip
    assert set(SEALED_A_1101) == sealed


def test_the_line_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    cost = at_rest_cost(b"reply" * 100, repeat=20)
    assert cost["total_us"] == cost["seal_us"] + cost["chain_us"] and cost["values"] == 4
    print_at_rest_cost({"total_us": 40.0, "seal_us": 12.5, "chain_us": 27.5, "values": 4}, 2.0)
    assert capsys.readouterr().out.strip() == (
        "personal data at rest and journal chain (docs/security.md), in process: 40.0 µs a 1101 = 2.0% of the "
        "gateway's CPU a call (sealing 4 values 12.5, linking the journal row 27.5)"
    )
