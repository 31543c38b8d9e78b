"""Platform ids: region, time, node, process and counter, 30 characters (src/yibao/ids.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest

from yibao import ids

NOW = datetime(2026, 11, 23, 9, 5, 7)


@pytest.fixture(autouse=True)
def node_zero_after() -> Iterator[None]:
    yield
    ids.set_node(0)


def test_an_id_is_region_time_node_pid_and_counter() -> None:
    ids.set_node(42)
    first, second = ids.new_id("110105", NOW), ids.new_id("110105", NOW)
    assert len(first) == 30
    assert first[:6] == "110105" and first[6:20] == "20261123090507"
    assert first[20:22] == "42" and first[22:25] == f"{os.getpid() % 1000:03d}"
    assert int(second[25:]) == (int(first[25:]) + 1) % 100_000  # the next of this process's counter
    assert first != second


def test_the_default_node_is_zero_and_only_two_digits_are_taken() -> None:
    assert ids.new_id("110105", NOW)[20:22] == "00"
    ids.set_node(99)
    assert ids.new_id("110105", NOW)[20:22] == "99"
    for bad in (-1, 100):
        with pytest.raises(ValueError, match="0–99"):
            ids.set_node(bad)
    assert ids.new_id("110105", NOW)[20:22] == "99"  # a refused number changes nothing
