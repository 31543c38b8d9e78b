"""The lab's self-test (issue 18, items 6 and 9): the simulated hospital and pharmacy run every built-in case suite
unattended against a lab session, over gRPC and over national JSON/HTTP, and the verdicts read from the session's
transcript pass them all, with the amounts computed by hand in the cards; a deliberately faulty HIS fails exactly the
cases it should, each failure naming the message and the field; the same suite run twice around a reset gives the
same verdicts and amounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_lab_sessions import Platform

from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab.client import clock_setter, month_clearer, prior_lookup
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
    hooks = lab_hooks(platform, session["id"])
    CaseRunner(his, world, behaviour, *hooks).run_suite(suite)
    status, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
    assert status == 200, verdicts
    return session, verdicts


def lab_hooks(platform: Platform, session_id: str) -> tuple[Any, Any, Any]:
    """What the scripted HIS asks of the lab: move the clock, name a prior settlement, clear a month."""
    base = platform.base
    return clock_setter(base, session_id), prior_lookup(base, session_id), month_clearer(base, session_id)


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


def test_a_state_settles_before_the_session_and_again_at_each_reset(platform: Platform) -> None:
    """The refunds state's settlement of 2025-12-20 is carried out through the platform's transactions when the
    session opens (its ids in the session's view, for the HIS's records), but the transcript starts empty; a reset
    carries it out again, under new ids, with the same figures."""
    session = platform.open("H11010100001", "refunds")
    (prior,) = session["prior_settlements"]
    assert (prior["case"], prior["at"], prior["medfee_sumamt"]) == ("RF-05", "2025-12-20T10:00:00", "60.00")
    _, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
    assert verdicts["session"]["messages"] == 0 and verdicts["summary"]["skip"] == 6
    with platform.sandbox(session["id"]).read() as tx:
        assert tx.account_balance("11000000000000320002") == Decimal("500.00")  # 518.00 less the account's 18.00
    _, again = platform.api("POST", f"/lab/sessions/{session['id']}/reset", {})
    (after,) = again["session"]["prior_settlements"]
    assert after["setl_id"] != prior["setl_id"] and after["medfee_sumamt"] == "60.00"
    with platform.sandbox(session["id"]).read() as tx:
        assert tx.account_balance("11000000000000320002") == Decimal("500.00")


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
CH, RF, RC = ("CH-01", "CH-02", "CH-03"), ("RF-01", "RF-02", "RF-03", "RF-04", "RF-05", "RF-06"), ("RC-01", "RC-02")
FL = ("FL-01", "FL-02", "FL-03", "FL-04", "FL-05", "FL-06")
UO = ("UO-01", "UO-02", "UO-03", "UO-04")
UNCERTAIN = {"uncertain-outcome": r"header\.msgid"}
# RF-05 bills nothing: it cancels a settlement the suite's state made before the session
UPLOADING = ("OP-01", "OP-02", "OP-04", "OP-05", "ER-02", "ER-03", "ER-04", *FT, *UO, *CH, *RF[:4], "RF-06", *RC)
EVERY = (*(f"OP-0{n}" for n in range(1, 6)), *(f"PH-0{n}" for n in range(1, 5)), *(f"ER-0{n}" for n in range(1, 6)))
FAULTS: dict[str, dict[str, dict[str, str]]] = {
    # a resend under a new msgid: after a timeout (settle-once), after GATEWAY_BUSY or a region refusal (the step's
    # resend is not the same message)
    "new-msgid-resend": {
        "ER-04": MSGID,
        **{c: STEP_MSGID for c in ("FT-01", "FT-03", "FT-05")},
        **{c: UNCERTAIN for c in UO},
    },
    # CH-03 sends no 2207 (its card stops at the refused 2206), so it misses the 2206 it must send
    "settle-before-presettle": {
        **{c: PRESETTLE for c in (*UPLOADING, *IP, "FL-04") if c != "CH-03"},
        "CH-03": {"step": r"header\.infno"},
    },
    "double-cancel": {
        c: {"cancel-once": r"input\.data\.setl_id"}
        for c in ("OP-02", "PH-02", "IP-03", "RF-01", "RF-02", "RF-04", "RF-05", "RF-06", "RC-01")
    },
    "skip-1101": {c: INSUPLC for c in (*EVERY, *FT, *IP, *UO, *CH, *RF, *RC, *FL)},
    "no-catalogue-code": {c: NO_CODE for c in UPLOADING},
    "ignore-maintenance": {"FT-01": REGION, "FT-05": REGION},
}
FAULT_SUITES = tuple(case_suites.builtin_case_suites())


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
                missing = named[0]["actual"] == "no such message"  # a step never sent names no message
                assert (named[0]["msgid"] in sent or missing) and named[0]["expected"] != named[0]["actual"]
        platform.api("DELETE", f"/lab/sessions/{session['id']}")
    assert failed == set(should_fail)


def test_every_suite_side_by_side_in_two_sessions_at_once(platform: Platform) -> None:
    """Every hospital suite in one session and the pharmacy suite in another, worked through at the same time (gRPC
    and HTTP): each suite has its own test persons, so every case passes, each session judges only its own cases,
    and the HIS's reconciliation (3201/3202) agrees with every record of the hospital's day."""
    # opened with the suites that move the clock first: run_order puts them last (refunds, then on to mid-2027 filings)
    hospital = ["filings", "refunds", *(n for n in case_suites.builtin_case_suites() if n not in
                                         ("pharmacy", "filings", "refunds"))]  # fmt: skip
    suites = [case_suites.load_builtin(n, platform.world) for n in hospital]
    order = case_suites.run_order(suites)
    assert [s.name for s in order][-2:] == ["refunds", "filings"]
    ward = platform.open("H11010100001", hospital)
    counter = platform.open("P11010100001", "pharmacy")

    def work(session: dict[str, Any], names: list[str], via: str) -> None:
        world = platform.world
        _, view = platform.api("GET", f"/lab/sessions/{session['id']}")
        clock = LabClockFollower(datetime.fromisoformat(view["session"]["clock"]["now"]))
        his = terminal(world.institutions[session["institution"]], via=via, clock=clock, target=platform.target,
                       http_base=platform.base)  # fmt: skip
        hooks = lab_hooks(platform, session["id"])
        runner = CaseRunner(his, world, frozenset(), *hooks)
        for name in names:
            runner.run_suite(case_suites.load_builtin(name, world))

    with ThreadPoolExecutor(2) as pool:
        done = [
            pool.submit(work, ward, [s.name for s in order], "grpc"),
            pool.submit(work, counter, ["pharmacy"], "http"),
        ]
        for future in done:
            future.result()
    for session, cases in ((ward, sum(len(s.cases) for s in suites)), (counter, 4)):
        _, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
        failing = {c["case"]: (c["error"], c["failures"]) for c in verdicts["cases"] if c["verdict"] != "pass"}
        assert not failing and verdicts["summary"]["pass"] == cases, failing
        assert verdicts["session"]["unattributed"] == [m for m in verdicts["session"]["unattributed"] if m["infno"]
                                                       in ("9001",)]  # fmt: skip


@pytest.mark.parametrize("name", ["outpatient", "inpatient", "refunds"])  # refunds: clock steps, a prior settlement
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


def test_a_refund_after_clearing_is_cleared_the_month_after_as_an_adjustment(platform: Platform) -> None:
    """RF-06: the lab, as its sandbox's operator, clears January (the card's clear step); the February refund of a
    January settlement is accepted as any refund and is February's line 3 (清算后退费调整), docs/behaviour.md
    "Clearing between regions". The lab's clearing is not the HIS's message: the transcript does not hold it."""
    session, verdicts = run(platform, "refunds")
    rf06 = by_case(verdicts)["RF-06"]
    assert rf06["verdict"] == "pass", rf06["failures"]
    assert "Y3270" not in {m["infno"] for c in verdicts["cases"] for m in c["messages"]}
    clearing = f"/lab/sessions/{session['id']}/clearing"
    status, refused = platform.api("POST", clearing, {"setlym": "202702"})  # the lab clock is at 2027-02-04
    assert status == 400 and refused["error"]["code"] == "LAB_CLEARING"
    assert "CLEARING_MONTH_OPEN" in refused["error"]["message"] and "setlym" in refused["error"]["message"]
    status, wrong = platform.api("POST", clearing, {"month": "202702"})
    assert status == 400 and wrong["error"]["code"] == "LAB_FIELD" and '"month"' in wrong["error"]["message"]
    assert platform.api("POST", f"/lab/sessions/{session['id']}/clock", {"advance": "1mo"})[0] == 200
    status, reply = platform.api("POST", clearing, {"setlym": "202702"})
    assert status == 200, reply
    [statement] = reply["statements"]  # Beijing treats, Shenzhen pays: the refund record of RF-06 only
    assert (statement["mdtrtarea_admdvs"], statement["insuplc_admdvs"]) == ("110000", "440300")
    assert [(line["line_type"], line["setl_cnt"], line["medfee_sumamt"], line["fund_pay_sumamt"])
            for line in statement["line"]] == [("3", "1", "-70.00", "-49.00")]  # fmt: skip
    assert statement["fund_pay_sumamt"] == "-49.00"
    assert platform.api("POST", clearing, {"setlym": "202701"})[1]["statements"] == []  # cleared once


def test_a_state_settles_a_stay_and_a_sale_before_the_session(platform: Platform) -> None:
    """Prior settlements of each kind (docs/lab.md, "settlements[]"): a stay at a hospital (2401, 2301, 2402, 2303,
    2304 at one time) and a sale at a pharmacy (2101, 2102), through the platform's transactions on the sandbox."""
    person = "11000000000000000002"  # 李晓梅, employee in Beijing, in service (no suite's case: an inline state)
    stay = {
        "at": "2026-03-02T10:00",
        "kind": "inpatient",
        "institution": "H11010100001",
        "use_account": False,
        "items": [
            {"code": "XA02BCA211A001010101445", "name": "奥美拉唑肠溶胶囊", "cnt": "10", "pric": "150.00"},
            {"code": "003311000010000-331100001", "name": "静脉输液", "cnt": "2", "pric": "8.00"},
        ],
    }
    sale = {
        "at": "2026-04-10T15:30",
        "institution": "P11010100001",
        "case": "PH-09",
        "items": [{"code": "XA02BCA211A001010101445", "name": "奥美拉唑肠溶胶囊", "cnt": "2", "pric": "25.00"}],
    }
    state = {"clock": "2026-06-01T09:00", "persons": [{"psn_no": person, "settlements": [sale, stay]}]}
    session = platform.open("H11010100001", [{"name": "prior-kinds", "state": state}])
    made = [(p["at"], p["case"], p["medfee_sumamt"]) for p in session["prior_settlements"]]
    assert made == [("2026-03-02T10:00:00", "", "1516.00"), ("2026-04-10T15:30:00", "PH-09", "50.00")]  # date order
    with platform.sandbox(session["id"]).read() as tx:
        used = tx.accumulators(person, 2026, ["310:inpatient:dedc", "310:inpatient:fund"])
        # the stay: 1500.00 + 16.00 = 1516.00 in scope; the deductible 1300.00 (per stay: not a year's accumulator),
        # then 85 % of 216.00 = 183.60 from the fund, counted against the year's cap
        assert used == {"310:inpatient:dedc": Decimal("0.00"), "310:inpatient:fund": Decimal("183.60")}
        stay_setl = tx.settlement(session["prior_settlements"][0]["setl_id"])
        assert stay_setl is not None
    _, verdicts = platform.api("GET", f"/lab/sessions/{session['id']}/verdicts")
    assert verdicts["session"]["messages"] == 0  # the transcript starts empty
