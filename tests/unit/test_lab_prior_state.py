"""A state file's settlements made before the session (docs/lab.md, "settlements[]"): each is checked against the
world with its JSON path and rule before anything is carried out."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest

from yibao.adapters.lab import state as states
from yibao.domain.world import World
from yibao.world.loader import load_world

PERSON = "11000000000000320002"  # RF-05's person


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


def refunds_with(change: Any) -> Any:
    raw = copy.deepcopy(states.read_builtin("refunds"))
    (entry,) = [p for p in raw["persons"] if p["psn_no"] == PERSON]
    change(entry["settlements"][0])
    return raw


def test_the_refunds_state_declares_last_years_settlement(demo: World) -> None:
    parsed = states.parse_states([("refunds", states.read_builtin("refunds"))], demo)
    (prior,) = parsed.persons[PERSON].settlements
    assert (prior.case, prior.at, prior.institution, prior.insutype, prior.med_type) == (
        "RF-05",
        datetime(2025, 12, 20, 10, 0),
        "H11010100001",
        "310",
        "11",
    )
    assert prior.items == (("XC09AAA057A001010100372", "依那普利片", "5", "12.00"),)
    assert prior.where == "persons[3].settlements[0]"


def test_a_stay_and_a_sale_take_their_kind_and_med_type(demo: World) -> None:
    def stay(s: Any) -> None:
        s.update(kind="inpatient")

    def sale(s: Any) -> None:
        s.update(institution="P11010100001")  # a pharmacy: the kind is a sale unless said

    for change, kind, med_type in ((stay, "inpatient", "21"), (sale, "pharmacy", "41")):
        parsed = states.parse_states([("refunds", refunds_with(change))], demo)
        (prior,) = parsed.persons[PERSON].settlements
        assert (prior.kind, prior.med_type) == (kind, med_type)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(at="2026-06-01T09:00"), "settlements[0].at: 2026-06-01T09:00:00 is not before the suite's"),
        (lambda s: s.update(at="20-12-2025"), "settlements[0].at: '20-12-2025' is not a date and time"),
        (lambda s: s.update(institution="H00000000000"), "settlements[0].institution: H00000000000 is not an enabled"),
        (
            lambda s: s.update(institution="P11010100001", kind="outpatient"),
            "settlements[0].institution: P11010100001 is a pharmacy: kind outpatient is settled at a hospital",
        ),
        (
            lambda s: s.update(kind="pharmacy"),
            "settlements[0].institution: H11010100001 is a hospital: kind pharmacy is settled at a pharmacy",
        ),
        (lambda s: s.update(kind="dental"), "settlements[0].kind: 'dental': one of outpatient, inpatient, pharmacy"),
        (lambda s: s.update(med_type="21"), "settlements[0].med_type: '21': for kind outpatient, one of 11, 12, 13"),
        (
            lambda s: s.update(kind="inpatient", med_type="11"),
            "settlements[0].med_type: '11': for kind inpatient, one of 21, 23, 24",
        ),
        (
            lambda s: s.update(institution="P11010100001", med_type="11"),
            "settlements[0].med_type: '11': for kind pharmacy, one of 41",
        ),
        (lambda s: s.update(use_account="yes"), "settlements[0].use_account: must be true or false"),
        (lambda s: s.update(case="rf5"), "settlements[0].case: 'rf5' must be a case id"),
        (lambda s: s.update(when="x"), "settlements[0].when: unknown key"),
        (lambda s: s.update(items=[]), "settlements[0].items: is required"),
        (lambda s: s["items"][0].update(code="ZZ9"), "settlements[0].items[0].code: ZZ9 is not in the treatment"),
        (lambda s: s["items"][0].update(cnt=5), "settlements[0].items[0].cnt: a positive quantity as a string"),
        (lambda s: s["items"][0].update(pric=12), "settlements[0].items[0].pric: must be a non-negative amount"),
        (lambda s: s["items"][0].pop("pric"), "settlements[0].items[0].pric: is required"),
    ],
)
def test_a_broken_prior_settlement_names_its_path_and_rule(demo: World, change: Any, message: str) -> None:
    with pytest.raises(states.StateFormatError) as e:
        states.parse_states([("refunds", refunds_with(change))], demo)
    assert str(e.value).startswith("refunds.json: persons[3].")
    assert message in str(e.value), str(e.value)
