"""The lab's self-test (issue 18, items 6 and 9): the simulated hospital and pharmacy run every built-in case suite
unattended against a lab session, over gRPC and over national JSON/HTTP, and the verdicts read from the session's
transcript pass them all, with the amounts computed by hand in the cards; a deliberately faulty HIS fails exactly the
cases it should, each failure naming the message and the field; the same suite run twice around a reset gives the
same verdicts and amounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_lab_sessions import Platform

from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab.client import clock_setter
from yibao.adapters.lab.runner import CaseRunner, LabClockFollower, terminal
from yibao.domain.world import World
from yibao.world.loader import load_world

SUITES = ("outpatient", "pharmacy", "errors")


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture
def platform(tmp_path: Path, demo: World) -> Iterator[Platform]:
    p = Platform(tmp_path, demo)
    yield p
    p.close()


def run(
    platform: Platform,
    name: str,
    via: str = "grpc",
    behaviour: frozenset[str] = frozenset(),
    session: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open a session for the suite (or use `session`), run its cases at a simulated terminal, read the verdicts."""
    world = platform.world
    suite = case_suites.load_builtin(name, world)
    if session is None:
        session = platform.open(suite.institution, name)
    status, view = platform.api("GET", f"/lab/sessions/{session['id']}")
    assert status == 200, view
    clock = LabClockFollower(datetime.fromisoformat(view["session"]["clock"]["now"]))
    his = terminal(
        world.institutions[suite.institution], via=via, clock=clock, target=platform.target, http_base=platform.base
    )
    CaseRunner(his, world, behaviour, clock_setter(platform.base, session["id"])).run_suite(suite)
    status, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
    assert status == 200, verdicts
    return session, verdicts


def by_case(verdicts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["case"]: c for c in verdicts["cases"]}


@pytest.mark.parametrize("via", ["grpc", "http"])
def test_the_simulated_his_passes_every_builtin_case(platform: Platform, via: str) -> None:
    assert set(SUITES) <= set(case_suites.builtin_case_suites())
    for name in case_suites.builtin_case_suites():
        session, verdicts = run(platform, name, via)
        suite = case_suites.load_builtin(name, platform.world)
        cases = by_case(verdicts)
        assert set(cases) == {c.id for c in suite.cases}
        failing = {k: (c["error"], c["failures"]) for k, c in cases.items() if c["verdict"] != "pass"}
        assert not failing, (name, via, failing)
        assert verdicts["summary"] == {"pass": len(suite.cases), "fail": 0, "skip": 0, "error": 0}
        assert verdicts["session"]["failures"] == []
        for case in suite.cases:  # the amounts, to the fen, are the ones worked out by hand in the card
            shown = cases[case.id]["amounts"]
            for field, value in case.expect.settlement.items():
                assert shown[field] == value, (case.id, field)
            assert cases[case.id]["person"].count("*") == 4  # masked: 4 digits each end
        platform.api("DELETE", f"/lab/sessions/{session['id']}")


def test_a_session_with_no_calls_skips_every_case(platform: Platform) -> None:
    session = platform.open("H11010100001", "outpatient")
    status, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
    assert status == 200
    assert {c["verdict"] for c in verdicts["cases"]} == {"skip"}
    status, wrong = platform.api("GET", "/lab/sessions/lab-nothere/verdicts")
    assert status == 404 and wrong["error"]["code"] == "LAB_SESSION_UNKNOWN"


# What each deliberate fault must fail — no more, no less — and, per case, the rule and field (a pattern) its failure
# names.
MSGID = {"settle-once": r"header\.msgid"}
PRESETTLE = {"presettle-first": r"input\.data\.(chrg_bchno|mdtrt_id)"}
INSUPLC = {"insuplc-from-1101": r"header\.insuplc_admdvs"}
NO_CODE = {"required": r"input\.feedetail\[[0-9]+\]\.med_list_codg"}
STEP_MSGID = {"step": r"header\.msgid"}
REGION = {"region-down": r"header\.insuplc_admdvs"}
FT = ("FT-01", "FT-02", "FT-03", "FT-04", "FT-05")
IP = ("IP-01", "IP-02", "IP-03")
UPLOADING = ("OP-01", "OP-02", "OP-04", "OP-05", "ER-02", "ER-03", "ER-04", *FT)
EVERY = (*(f"OP-0{n}" for n in range(1, 6)), *(f"PH-0{n}" for n in range(1, 5)), *(f"ER-0{n}" for n in range(1, 6)))
FAULTS: dict[str, dict[str, dict[str, str]]] = {
    # a resend under a new msgid: after a timeout (settle-once), after GATEWAY_BUSY or a region refusal (the step's
    # resend is not the same message)
    "new-msgid-resend": {"ER-04": MSGID, "FT-01": STEP_MSGID, "FT-03": STEP_MSGID, "FT-05": STEP_MSGID},
    "settle-before-presettle": {c: PRESETTLE for c in (*UPLOADING, *IP)},
    "double-cancel": {
        "OP-02": {"cancel-once": r"input\.data\.setl_id"},
        "PH-02": {"cancel-once": r"input\.data\.setl_id"},
        "IP-03": {"cancel-once": r"input\.data\.setl_id"},
    },
    "skip-1101": {c: INSUPLC for c in (*EVERY, *FT, *IP)},
    "no-catalogue-code": {c: NO_CODE for c in UPLOADING},
    "ignore-maintenance": {"FT-01": REGION, "FT-05": REGION},
}
FAULT_SUITES = (*SUITES, "faults", "inpatient")


@pytest.mark.parametrize("behaviour", sorted(FAULTS))
def test_a_faulty_his_fails_exactly_the_cases_it_should(platform: Platform, behaviour: str) -> None:
    should_fail = FAULTS[behaviour]
    failed: set[str] = set()
    for name in FAULT_SUITES:
        session, verdicts = run(platform, name, behaviour=frozenset({behaviour}))
        for case in verdicts["cases"]:
            assert case["verdict"] in ("pass", "fail"), case
            if case["verdict"] != "fail":
                continue
            failed.add(case["case"])
            sent = {m["msgid"]: m for m in case["messages"]}
            for f in case["failures"]:
                assert f["rule"] and f["says"] and f["requirement"] and f["field"], f
                if f["msgid"]:  # every failure about a message names one of the case's own messages
                    assert f["msgid"] in sent, f
            if behaviour == "skip-1101" and case["case"] == "ER-01":
                continue  # ER-01's person is never named without a 1101
            for rule, field in should_fail.get(case["case"], {}).items():
                named = [f for f in case["failures"] if f["rule"] == rule]
                assert named, (case["case"], case["failures"])
                assert re.fullmatch(field, named[0]["field"]), (case["case"], named[0])
                assert named[0]["msgid"] in sent and named[0]["expected"] != named[0]["actual"]
        platform.api("DELETE", f"/lab/sessions/{session['id']}")
    assert failed == set(should_fail)


@pytest.mark.parametrize("name", ["outpatient", "inpatient"])
def test_the_same_suite_after_a_reset_gives_identical_verdicts_and_amounts(platform: Platform, name: str) -> None:
    def outcome(verdicts: dict[str, Any]) -> list[tuple[str, str, dict[str, str], list[tuple[str, str]]]]:
        return [
            (c["case"], c["verdict"], c["amounts"], [(m["infno"], m["outcome"]) for m in c["messages"]])
            for c in verdicts["cases"]
        ]

    for behaviour in (frozenset(), frozenset({"double-cancel"})):
        session, first = run(platform, name, behaviour=behaviour)
        status, _ = platform.api("POST", f"/lab/sessions/{session['id']}/reset", {})
        assert status == 200
        _, second = run(platform, name, via="http", behaviour=behaviour, session=session)
        assert outcome(first) == outcome(second)
        assert first["summary"] == second["summary"]
        platform.api("DELETE", f"/lab/sessions/{session['id']}")
