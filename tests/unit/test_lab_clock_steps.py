"""A card's clock step (docs/lab.md, "Case suites"): the lab sets or advances the session's clock between two
steps, checked with its JSON path and rule, sending no message (the verdicts match the other steps around it); and
the settle-once rule counts a 2601 reversal as cancelling the settlement it names."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_lab_cases import HOSPITAL, PERSON, entry, final, op02, op02_transcript

from yibao.adapters.lab import cases as case_suites
from yibao.domain.world import World
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import reversal_pb2 as vpb
from yibao.v1 import settlement_pb2 as spb
from yibao.world.loader import load_world


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


def with_step(step: dict[str, Any], at: int = 5) -> Any:
    raw = copy.deepcopy(case_suites.read_builtin("outpatient"))
    raw["cases"][0]["steps"].insert(at, step)
    return raw


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"do": "clock"}, 'cases[0].steps[5]: a clock step sets the time ("set"'),
        ({"do": "clock", "advance": "6m"}, "cases[0].steps[5].advance: '6m' is not an advance"),
        ({"do": "clock", "set": "2026-13-01"}, "cases[0].steps[5].set: '2026-13-01' is not a date and time"),
        ({"do": "clock", "advance": "1d", "batch": "1"}, "cases[0].steps[5].batch: unknown key"),
        ({"do": "clock", "advance": "1d", "fault": {"kind": "dropped"}}, "cases[0].steps[5].fault: unknown key"),
    ],
)
def test_a_broken_clock_step_names_its_path_and_rule(demo: World, step: dict[str, Any], message: str) -> None:
    with pytest.raises(case_suites.CaseFormatError) as e:
        case_suites.parse_suite(with_step(step), "outpatient", demo)
    assert message in str(e.value), str(e.value)


def test_a_clock_step_sends_nothing_and_a_resend_after_it_repeats_the_message_before(demo: World) -> None:
    raw = with_step({"do": "clock", "set": "2026-12-31T16:00", "advance": "1d"})
    case = case_suites.parse_suite(raw, "outpatient", demo).cases[0]
    clock = case.steps[5]
    assert (clock.do, clock.sends, clock.clock_set, clock.clock_advance) == ("clock", False, "2026-12-31T16:00", "1d")
    assert 5 not in [n for n, _, _ in case.sent()]
    raw["cases"][0]["steps"].insert(6, {"do": "resend"})
    again = case_suites.parse_suite(raw, "outpatient", demo).cases[0]
    (resend,) = [infno for n, step, infno in again.sent() if step.do == "resend"]
    assert resend == again.steps[4].infno  # the step before the clock step


def test_the_transcript_passes_with_a_clock_step_in_the_card(demo: World) -> None:
    """OP-02 with the clock advanced before its settlement: the same messages pass the card."""
    suite = case_suites.parse_suite(with_step({"do": "clock", "advance": "2h"}, at=6), "outpatient", demo)
    one = case_suites.CaseSuite(suite.name, suite.about, suite.institution, (suite.case("OP-02"),))
    from yibao.adapters.lab.verdicts import judge

    (case,) = judge([one], op02_transcript(), final(), demo, HOSPITAL)["cases"]
    assert case["verdict"] == "pass", case["failures"]


def _settle_again(n: int) -> Any:
    data = opb.SettleRequest.FromString(op02_transcript()[6].request).input
    return entry(n, "2207", data, spb.SettleOutput(setlinfo=spb.SetlInfo(setl_id=f"S{n}")))


def test_settle_once_counts_a_2601_reversal_as_cancelling(demo: World) -> None:
    """A 2207 reversed with 2601 no longer stands: the batch may be settled again under a new msgid. Without the
    reversal the new msgid is a second settlement."""
    first = op02_transcript()[:7]  # up to the 2207, msgid …0006
    reversal = entry(7, "2601", vpb.ReversalInput(data=vpb.ReversalData(psn_no=PERSON, omsgid=first[6].msgid,
                                                                         oinfno="2207")))  # fmt: skip
    reversed_then_settled = op02(demo, [*first, reversal, _settle_again(8)], final())
    assert not [f for f in reversed_then_settled["failures"] if f["rule"] == "settle-once"]
    settled_twice = op02(demo, [*first, _settle_again(8)], final())
    (f,) = [f for f in settled_twice["failures"] if f["rule"] == "settle-once"]
    assert (f["msgid"], f["field"]) == (f"{HOSPITAL}202606010900000008", "header.msgid")
    assert f["expected"].startswith(first[6].msgid)


def test_every_builtin_suite_has_its_own_test_persons(demo: World) -> None:
    """No world person is the person of two built-in cases, nor declared by two built-in states: every suite can be
    opened beside every other in one session, and a reset of one disturbs nobody else's."""
    from yibao.adapters.lab import state as states

    owner: dict[str, str] = {}
    for name in case_suites.builtin_case_suites():
        suite = case_suites.load_builtin(name, demo)
        declared = states.parse_state(states.read_builtin(name), demo, f"{name}.json").persons
        mine = {c.person for c in suite.cases}
        assert set(declared) <= mine, (name, set(declared) - mine)  # a state's persons are its cases' persons
        for psn_no in mine:
            assert psn_no not in owner, (name, psn_no, owner.get(psn_no))
            owner[psn_no] = name
    assert len(owner) == sum(len(case_suites.load_builtin(n, demo).cases) for n in case_suites.builtin_case_suites())
