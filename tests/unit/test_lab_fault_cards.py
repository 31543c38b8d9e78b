"""Faults in case cards (docs/lab.md, "Injected faults"): a fault is checked with the JSON path and the rule of each
problem, binds to the case's person and the step's transaction, and a refusing fault makes the step expect its
refusal."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab import faults
from yibao.domain.world import World
from yibao.world.loader import load_world


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture(scope="module")
def raw() -> Any:
    return case_suites.read_builtin("uncertain")


def broken(raw: Any, change: Any) -> Any:
    doc = copy.deepcopy(raw)
    change(doc["cases"][0]["steps"])
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s[5].update(fault={"kind": "reply-vanished"}), "cases[0].steps[5].fault.kind: one of reply-lost"),
        (lambda s: s[0].update(fault={"kind": "dropped"}), "cases[0].steps[0].fault: a fault is bound to a message"),
        (lambda s: s[5].update(fault={"kind": "reply-lost", "hold": 3}), "deadline and hold are for a reply-delayed"),
        (
            lambda s: s[5].update(fault={"kind": "reply-delayed", "deadline": 5, "hold": 3}),
            "cases[0].steps[5].fault.hold: the reply is held past the terminal's deadline: more than 5",
        ),
        (lambda s: s[5].update(fault={"kind": "reply-lost", "when": 1}), "cases[0].steps[5].fault.when: unknown key"),
        (lambda s: s[1].update(fault={"kind": "account-emptied"}), "account-emptied is for a step that pays"),
        (
            lambda s: s[5].update(fault={"kind": "core-busy"}, expect={"refused": "SETL_NO_FEES"}),
            "the step expects SETL_NO_FEES, which a core-busy fault does not answer; expect GATEWAY_BUSY",
        ),
        (
            lambda s: s.insert(6, {"do": "settle", "batch": "1", "fault": {"kind": "dropped"}}),
            "cases[0].steps[6].fault: a fault meets the person's first 2207",
        ),
        (lambda s: s.insert(0, {"do": "query_message"}), "cases[0].steps[0].do: a query_message is about the message"),
    ],
)
def test_a_broken_fault_is_refused_with_its_path_and_rule(raw: Any, demo: World, change: Any, message: str) -> None:
    with pytest.raises(case_suites.CaseFormatError) as e:
        case_suites.parse_suite(broken(raw, change), "uncertain", demo)
    assert message in str(e.value), str(e.value)
    assert str(e.value).startswith("uncertain.cases.json: cases[0]")


def test_the_uncertain_suite_binds_each_fault_to_its_person_and_transaction(demo: World) -> None:
    suite = case_suites.load_builtin("uncertain", demo)
    planned = faults.plan([suite])
    assert {(k, p.case, p.fault.kind) for k, p in planned.items()} == {
        (("2207", "11000000000000090001"), "UO-01", "reply-lost"),
        (("2207", "11000000000000100002"), "UO-02", "reply-delayed"),
        (("2207", "11000000000000110004"), "UO-03", "dropped"),
        (("2207", "11000000000000120003"), "UO-04", "reply-lost"),
    }
    delayed = planned[("2207", "11000000000000100002")].fault
    assert (delayed.deadline, delayed.hold) == (2.0, 6.0)
    # a resend after a query repeats the settlement, not the query
    uo3 = suite.case("UO-03")
    assert [infno for _, _, infno in uo3.sent()][-3:] == ["2207", "Y5203", "2207"]


def test_a_refusing_fault_makes_its_step_expect_the_refusal(raw: Any, demo: World) -> None:
    doc = broken(raw, lambda s: s[5].update(fault={"kind": "region-maintenance"}))
    step = case_suites.parse_suite(doc, "uncertain", demo).cases[0].steps[5]
    assert (step.refused, step.fault.kind if step.fault else "") == ("REGION_MAINTENANCE", "region-maintenance")


def test_the_faults_suite_binds_each_fault_and_expects_each_refusal(demo: World) -> None:
    suite = case_suites.load_builtin("faults", demo)
    planned = faults.plan([suite])
    assert {(k, p.case, p.fault.kind) for k, p in planned.items()} == {
        (("2206", "44030000000000130001"), "FT-01", "region-maintenance"),
        (("2206", "11000000000000140004"), "FT-02", "duplicate-msgid"),
        (("2207", "11000000000000150001"), "FT-03", "core-busy"),
        (("2207", "11000000000000160002"), "FT-04", "account-emptied"),
        (("2201", "21040000000000000001"), "FT-05", "region-unreachable"),
    }
    refused = {c.id: [s.refused for s in c.steps if s.refused] for c in suite.cases}
    assert refused == {
        "FT-01": ["REGION_MAINTENANCE"],
        "FT-02": ["ENV_MSGID_REUSED"],
        "FT-03": ["GATEWAY_BUSY"],
        "FT-04": [],
        "FT-05": ["REGION_UNREACHABLE"],
    }
    assert [infno for _, _, infno in suite.case("FT-03").sent()][-2:] == ["2207", "2207"]  # the resend repeats it
