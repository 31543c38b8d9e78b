"""Injected faults (issue 18, item 4): the uncertain-outcomes suite's faults are injected into the session's calls
only — a lost reply after commit, a reply held past the terminal's deadline, a call dropped before it was carried
out — and the simulated HIS, which resolves each as docs/behaviour.md "Uncertain outcomes" says, passes every case
over gRPC
and over JSON/HTTP; a HIS that settles again under a new msgid fails exactly those cases, each failure naming the
message and its field. Normal traffic of another institution meets no fault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_lab_sessions import BEIJING_B, HisClock, Platform, visit
from test_lab_verdicts import by_case, run

from yibao import platform_clock
from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab import faults
from yibao.adapters.lab.sessions import Lab
from yibao.domain.world import World
from yibao.world.loader import load_world


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture
def platform(tmp_path: Path, demo: World) -> Iterator[Platform]:
    p = Platform(tmp_path, demo)
    yield p
    p.close()


def fired(lab: Lab, session_id: str) -> list[faults.Fired]:
    return list(lab.read_sandbox(session_id, lambda store: _read(store)))


def _read(store: object) -> tuple[faults.Fired, ...]:
    with store.read() as tx:  # type: ignore[attr-defined]
        return faults.read(tx)


@pytest.mark.parametrize("via", ["grpc", "http"])
def test_the_simulated_his_resolves_every_uncertain_outcome(platform: Platform, via: str) -> None:
    session, verdicts = run(platform, "uncertain", via)
    suite = case_suites.load_builtin("uncertain", platform.world)
    cases = by_case(verdicts)
    failing = {k: (c["error"], c["failures"]) for k, c in cases.items() if c["verdict"] != "pass"}
    assert not failing, failing
    assert verdicts["summary"] == {"pass": len(suite.cases), "fail": 0, "skip": 0, "error": 0}
    for case in suite.cases:
        for field, value in case.expect.settlement.items():
            assert cases[case.id]["amounts"][field] == value, (case.id, field)
    # every fault fired once, into the person's first 2207
    injected = {(f.case, f.kind, f.infno) for f in fired(platform.lab, session["id"])}
    assert injected == {
        ("UO-01", "reply-lost", "2207"),
        ("UO-02", "reply-delayed", "2207"),
        ("UO-03", "dropped", "2207"),
        ("UO-04", "reply-lost", "2207"),
    }
    messages = {c: [(m["infno"], m["outcome"]) for m in cases[c]["messages"]] for c in cases}
    assert messages["UO-01"][-2:] == [("2207", "ok"), ("Y5203", "ok")]  # carried out though its reply was lost
    assert messages["UO-02"][-2:] == [("2207", "ok"), ("2207", "replayed")]
    assert messages["UO-03"][-3:] == [("2206", "ok"), ("Y5203", "ok"), ("2207", "ok")]  # the dropped 2207: no row
    assert messages["UO-04"][-3:] == [("2207", "ok"), ("Y5203", "ok"), ("2601", "ok")]  # reversed: nothing in force


def test_a_reset_arms_the_faults_again(platform: Platform) -> None:
    session, first = run(platform, "uncertain")
    status, _ = platform.api("POST", f"/lab/sessions/{session['id']}/reset", {})
    assert status == 200
    assert fired(platform.lab, session["id"]) == []
    _, second = run(platform, "uncertain", via="http", session=session)
    assert first["summary"] == second["summary"] == {"pass": 4, "fail": 0, "skip": 0, "error": 0}
    assert [c["amounts"] for c in first["cases"]] == [c["amounts"] for c in second["cases"]]
    assert len(fired(platform.lab, session["id"])) == 4


@pytest.mark.parametrize("via", ["grpc", "http"])
def test_a_his_that_settles_again_under_a_new_msgid_fails_exactly_these_cases(platform: Platform, via: str) -> None:
    _, verdicts = run(platform, "uncertain", via, behaviour=frozenset({"new-msgid-resend"}))
    cases = by_case(verdicts)
    assert {k for k, c in cases.items() if c["verdict"] == "fail"} == {"UO-01", "UO-02", "UO-03", "UO-04"}
    for case in cases.values():
        sent = {m["msgid"]: m for m in case["messages"]}
        named = [f for f in case["failures"] if f["rule"] == "uncertain-outcome"]
        assert len(named) == 1, case["failures"]
        f = named[0]
        assert f["field"] == "header.msgid" and f["infno"] == "2207" and f["msgid"] in sent
        assert f["msgid"] not in f["expected"] and "Y5203" in f["expected"]
        assert f["requirement"].startswith("docs/behaviour.md#uncertain-outcomes")


def test_faults_touch_only_the_session(platform: Platform) -> None:
    """While a session's faults are armed, the same person settling at another hospital on the platform's store
    meets none (and nothing fires); a session whose suites declare no fault injects none."""
    session = platform.open("H11010100001", "uncertain")
    client = platform.his(BEIJING_B, HisClock(platform_clock.now()))
    persons = [case.person for case in case_suites.load_builtin("uncertain", platform.world).cases]
    for n, psn_no in enumerate(persons[:3]):  # the suite's own persons, whose cards arm faults
        receipt = visit(client, platform.world, psn_no, seed=n)
        assert receipt.setl_id  # a plain answer: settled, no CORE_OUTCOME_UNKNOWN, no held reply
    assert fired(platform.lab, session["id"]) == []
    platform.api("DELETE", f"/lab/sessions/{session['id']}")
    other, _ = run(platform, "errors")
    assert fired(platform.lab, other["id"]) == []


@pytest.mark.parametrize("via", ["grpc", "http"])
def test_the_refusing_and_emptying_faults_are_met_as_the_cards_say(platform: Platform, via: str) -> None:
    """The faults suite: a maintenance or unreachable refusal resent once the place is back, a msgid taken by
    another terminal replaced, a busy refusal retried under the same msgid, an emptied account paid in cash — each
    injected once, and the same verdicts and amounts after a reset."""
    session, first = run(platform, "faults", via)
    cases = by_case(first)
    assert first["summary"] == {"pass": 5, "fail": 0, "skip": 0, "error": 0}, cases
    injected = {(f.case, f.kind, f.infno) for f in fired(platform.lab, session["id"])}
    assert injected == {
        ("FT-01", "region-maintenance", "2206"),
        ("FT-02", "duplicate-msgid", "2206"),
        ("FT-03", "core-busy", "2207"),
        ("FT-04", "account-emptied", "2207"),
        ("FT-05", "region-unreachable", "2201"),
    }
    messages = {c: [(m["infno"], m["outcome"], m["code"]) for m in cases[c]["messages"]] for c in cases}
    assert messages["FT-01"][-3:] == [("2206", "refused", "REGION_MAINTENANCE"), ("2206", "ok", ""), ("2207", "ok", "")]
    assert messages["FT-02"][-3:] == [("2206", "refused", "ENV_MSGID_REUSED"), ("2206", "ok", ""), ("2207", "ok", "")]
    assert messages["FT-03"][-2:] == [("2207", "refused", "GATEWAY_BUSY"), ("2207", "ok", "")]
    assert messages["FT-05"][1:3] == [("2201", "refused", "REGION_UNREACHABLE"), ("2201", "ok", "")]
    first_msgids = [m["msgid"] for m in cases["FT-03"]["messages"][-2:]]
    assert first_msgids[0] == first_msgids[1]  # retried under the same msgid
    assert cases["FT-04"]["amounts"]["acct_pay"] == "0.00" and cases["FT-04"]["amounts"]["psn_cash_pay"] == "9.00"
    status, _ = platform.api("POST", f"/lab/sessions/{session['id']}/reset", {})
    assert status == 200
    _, second = run(platform, "faults", "http" if via == "grpc" else "grpc", session=session)
    assert first["summary"] == second["summary"]
    assert [(c["case"], c["verdict"], c["amounts"]) for c in first["cases"]] == [
        (c["case"], c["verdict"], c["amounts"]) for c in second["cases"]
    ]
