"""A suite's initial state as data (docs/lab.md): the built-in demo suite loads into a fresh store, a bad state
file is refused naming the JSON path and the rule, and the lab clock's set points and advances."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from yibao.adapters.lab import state as states
from yibao.adapters.lab.clock import ClockError, LabClock, advance, parse_set_point
from yibao.domain.world import World
from yibao.storage import filings
from yibao.storage import schema as t
from yibao.storage.store import Store
from yibao.world.loader import load_world

RETIREE, COMMITTED, CHRONIC = "11000000000000000001", "11000000000000000002", "44030000000000000001"
RESIDENT = "11000000000000000003"  # 赵小川: resident insurance (390) only, a student


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


def test_the_demo_suite_loads_into_a_fresh_store(demo: World, tmp_path: Path) -> None:
    assert "demo" in states.builtin_suites()
    parsed = states.parse_states([("demo", states.read_builtin("demo"))], demo)
    assert parsed.clock == datetime(2026, 6, 1, 9, 0)
    store = Store(f"sqlite:///{tmp_path / 'sandbox.db'}")
    try:
        with store.write() as tx:
            states.install(tx, demo, parsed)
        with store.read() as tx:
            assert tx.account_balance(RETIREE) == Decimal("2000.00")  # the suite's, not the world's 3200.00
            assert tx.account_balance("44030000000000000002") == Decimal("0.00")  # not in the suite: the world's
            assert tx.accumulators(RETIREE, 2026, ["310:outpatient:dedc", "310:outpatient:fund"]) == {
                "310:outpatient:dedc": Decimal("1300.00"),
                "310:outpatient:fund": Decimal("4000.00"),
            }
            (relocation,) = filings.filings(tx, RETIREE)
            assert (relocation.kind, relocation.area, str(relocation.begndate)) == ("11", "440300", "2026-03-01")
            (commitment,) = filings.filings(tx, COMMITTED)
            assert commitment.commitment and str(commitment.material_due) == "2026-07-20"
            (chronic,) = filings.chronic_rows(tx, CHRONIC)
            assert (chronic.opsp_dise_code, chronic.begndate, chronic.fil_stas) == ("M03900", "2026-01-01", "1")
            persons = tx.conn.scalars(select(t.person_state.c.psn_no)).all()
            assert sorted(persons) == sorted(demo.persons)
        # reset: the rows the calls wrote go, the state comes back
        with store.write() as tx:
            tx.add_to_account(RETIREE, Decimal("-100.00"))
            states.clear(tx)
            states.install(tx, demo, parsed)
        with store.read() as tx:
            assert tx.account_balance(RETIREE) == Decimal("2000.00")
            assert len(filings.filings(tx, RETIREE)) == 1
    finally:
        store.close()


def _demo_doc() -> dict[str, Any]:
    return copy.deepcopy(states.read_builtin("demo"))


def _person(doc: dict[str, Any], psn_no: str) -> dict[str, Any]:
    return next(p for p in doc["persons"] if p["psn_no"] == psn_no)


def _set(path: str, value: Any) -> Any:
    """A change to the demo state: `path` is persons.<psn_no>.<key>[.<index>.<key>] or a top-level key."""

    def change(doc: dict[str, Any]) -> None:
        parts = path.split(".")
        target: Any = doc if parts[0] != "persons" else _person(doc, parts[1])
        rest = parts[2:] if parts[0] == "persons" else parts
        for part in rest[:-1]:
            target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
        target[rest[-1]] = value

    return change


BAD = [
    (lambda d: d.update(people=[]), "demo.json: people: unknown key (allowed here: about, clock, persons)"),
    (_set("clock", "2026-13-01"), "demo.json: clock: '2026-13-01' is not a date and time like 2026-06-01T09:00"),
    (lambda d: d.update(persons={}), "demo.json: persons: must be a list"),
    (lambda d: d["persons"].append({"psn_no": "99"}), "persons[4].psn_no: 99 is not a person of the world"),
    (lambda d: d["persons"].append({"psn_no": RETIREE}), "persons[4].psn_no: 11000000000000000001 is declared twice"),
    (_set(f"persons.{RETIREE}.account_balance", "12.345"),
     "persons[0].account_balance: must be a non-negative amount in yuan as a string with at most 2 places"),
    (_set(f"persons.{RETIREE}.account_balance", 100), "persons[0].account_balance: must be a non-negative amount"),
    (lambda d: d["persons"].append({"psn_no": RESIDENT, "account_balance": "10.00"}),
     "persons[4].account_balance: 11000000000000000003 has no employee insurance (310)"),
    (_set(f"persons.{RETIREE}.accumulators.0.key", "310:dental:dedc"),
     "persons[0].accumulators[0].key: accum_group 'dental' is not one of insured place 110000's benefit groups"),
    (_set(f"persons.{RETIREE}.accumulators.0.key", "deductible"),
     "persons[0].accumulators[0].key: 'deductible' must be <insutype>:<accum_group>:dedc or :fund"),
    (_set(f"persons.{RETIREE}.accumulators.0.key", "390:outpatient:dedc"),
     "persons[0].accumulators[0].key: 11000000000000000001 has no insurance 390"),
    (_set(f"persons.{RETIREE}.accumulators.1.key", "310:outpatient:dedc"),
     "persons[0].accumulators[1].key: 310:outpatient:dedc of 2026 is already given at persons[0].accumulators[0]"),
    (_set(f"persons.{RETIREE}.accumulators.0.year", "2026"),
     "persons[0].accumulators[0].year: must be a year as a JSON number, 2000 to 2099"),
    (_set(f"persons.{RETIREE}.accumulators.0.amount", "-5.00"), "persons[0].accumulators[0].amount: must be a "),
    (_set(f"persons.{RETIREE}.filings.0.fil_type", "99"), "persons[0].filings[0].fil_type: '99' must be one of 11 ("),
    (_set(f"persons.{COMMITTED}.filings.0.fil_type", "11"),
     "persons[1].filings[0].fil_type: filing type 11 (异地安置退休) requires a retired employee (insutype 310, "
     "psn_type 12xx); person 11000000000000000002 has insutype 310, psn_type 1101"),
    (_set(f"persons.{RETIREE}.filings.0.mdtrtarea_admdvs", "110105"),
     "persons[0].filings[0].mdtrtarea_admdvs: 110105 is in the insured place's own city (110000)"),
    (_set(f"persons.{RETIREE}.filings.0.begndate", "2026-02-30"),
     "persons[0].filings[0].begndate: '2026-02-30' is no day of the calendar"),
    (_set(f"persons.{RETIREE}.filings.0.enddate", "2026-12-31"),
     "persons[0].filings[0].enddate: a long-term filing (fil_type 11) is valid until changed: no enddate"),
    (_set(f"persons.{RETIREE}.filings.0.crte_date", "2026-06-02"),
     "persons[0].filings[0].crte_date: 2026-06-02 is after the suite's clock (2026-06-01)"),
    (_set(f"persons.{RETIREE}.filings.0.fil_stas", "3"),
     "persons[0].filings[0].stop_date: is required (a date yyyy-MM-dd)"),
    (_set(f"persons.{RETIREE}.filings.0.cmtm_flag", "true"),
     "persons[0].filings[0].cmtm_flag: must be true or false (a JSON boolean, not a string)"),
    (_set(f"persons.{COMMITTED}.filings.0.matl_stas", ""),
     "persons[1].filings[0].matl_stas: '': a commitment filing's material status is 0 (awaited)"),
    (_set(f"persons.{RETIREE}.filings.0.fixmedins_code", "H00000000000"),
     "persons[0].filings[0].fixmedins_code: H00000000000 is not an institution of the world"),
    (lambda d: _person(d, RETIREE)["filings"].append(dict(_person(d, RETIREE)["filings"][0], begndate="2026-05-01")),
     "persons[0].filings[1]: overlaps active filing 110000202602200000009999900001 (2026-03-01 to open)"),
    (_set(f"persons.{RETIREE}.filings.0.color", "blue"),
     "persons[0].filings[0].color: unknown key (allowed here: trt_dcla_detl_sn, insutype, fil_type"),
    (_set(f"persons.{CHRONIC}.chronic_filings.0.opsp_dise_code", "M99999"),
     "persons[2].chronic_filings[0].opsp_dise_code: 'M99999' is not a chronic disease insured place 440300 lists"),
    (lambda d: _person(d, CHRONIC)["chronic_filings"][0].pop("opsp_dise_name"),
     "persons[2].chronic_filings[0].opsp_dise_name: is required"),
    (lambda d: _person(d, CHRONIC)["chronic_filings"].append(dict(_person(d, CHRONIC)["chronic_filings"][0])),
     "persons[2].chronic_filings[1].opsp_dise_code: M03900 is already filed active for 44030000000000000001"),
    (lambda d: [f.update(trt_dcla_detl_sn="SAME1") for p in d["persons"] for f in p.get("filings", [])],
     "persons[1].filings[0].trt_dcla_detl_sn: SAME1 is already used at persons[0].filings[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m.split(": ", 1)[-1][:50] for _, m in BAD])
def test_a_bad_state_names_the_path_and_the_rule(demo: World, change: Any, message: str) -> None:
    doc = _demo_doc()
    change(doc)
    with pytest.raises(states.StateFormatError) as e:
        states.parse_states([("demo", doc)], demo)
    assert message in str(e.value)
    assert str(e.value).startswith("demo.json: ")


def test_suites_opened_together_must_agree(demo: World) -> None:
    other = {"clock": "2026-07-01T09:00", "persons": []}
    with pytest.raises(states.StateFormatError, match="clock: 2026-07-01T09:00:00 differs from suite demo's"):
        states.parse_states([("demo", _demo_doc()), ("later", other)], demo)
    again = {"persons": [{"psn_no": RETIREE, "account_balance": "1.00"}]}
    with pytest.raises(states.StateFormatError, match="also declared by another suite"):
        states.parse_states([("demo", _demo_doc()), ("again", again)], demo)
    filing = {"fil_type": "23", "mdtrtarea_admdvs": "440300", "begndate": "2026-01-20", "crte_date": "2026-01-20"}
    more = {"persons": [{"psn_no": "21040000000000000002", "filings": [filing]}]}
    joined = states.parse_states([("demo", _demo_doc()), ("more", more)], demo)
    sns = [f["trt_dcla_detl_sn"] for p in joined.persons.values() for f in p.filings + p.chronic_filings]
    assert len(sns) == len(set(sns)) == 4
    (temporary,) = joined.persons["21040000000000000002"].filings
    assert temporary["enddate"] == "2026-07-19"  # a temporary filing without an end: 6 months


def test_the_documented_example_loads(demo: World) -> None:
    import json
    import re

    doc = (Path(__file__).parents[2] / "docs" / "lab.md").read_text("utf-8").split("### Example", 1)[1]
    block = re.search(r"```json\n(.*?)```", doc, re.S)
    assert block is not None
    parsed = states.parse_states([("example", json.loads(block.group(1)))], demo)
    assert parsed.clock == datetime(2026, 6, 1, 9, 0)
    assert parsed.persons[RETIREE].account_balance == Decimal("2000.00")
    assert parsed.persons[CHRONIC].chronic_filings[0]["opsp_dise_code"] == "M03900"


def test_unknown_builtin_suite(demo: World) -> None:
    unknown = r"suite 'nope': no built-in suite of that name \(built in: [a-z, ]*demo"
    with pytest.raises(states.StateFormatError, match=unknown):
        states.read_builtin("nope")
    with pytest.raises(states.StateFormatError, match="no built-in suite"):
        states.read_builtin("../demo_world")


@pytest.mark.parametrize(
    ("start", "spec", "expected"),
    [
        ("2026-06-01T09:00", "6mo", "2026-12-01T09:00"),
        ("2026-08-31T09:00", "6mo", "2027-02-28T09:00"),
        ("2026-06-01T09:00", "3d", "2026-06-04T09:00"),
        ("2026-06-01T23:00", "2h", "2026-06-02T01:00"),
        ("2026-06-01T09:00", "1y2mo", "2027-08-01T09:00"),
        ("2026-06-01T09:00", "90min", "2026-06-01T10:30"),
        ("2024-02-29", "1y", "2025-02-28T00:00"),
    ],
)
def test_advance(start: str, spec: str, expected: str) -> None:
    assert advance(parse_set_point(start), spec) == datetime.fromisoformat(expected)


@pytest.mark.parametrize("spec", ["6m", "six months", "", "6 mo", "-3d", 6])
def test_advance_refuses_what_it_cannot_read(spec: Any) -> None:
    with pytest.raises(ClockError):
        advance(datetime(2026, 6, 1), spec)


@pytest.mark.parametrize("text", ["2026-06-01T09:00+08:00", "tomorrow", "1999-12-31T23:00", None])
def test_set_point_refuses_what_it_cannot_use(text: Any) -> None:
    with pytest.raises(ClockError):
        parse_set_point(text)


def test_lab_clock_runs_on_from_its_set_point_and_follows_the_server_unset() -> None:
    import time

    clock = LabClock(datetime(2026, 6, 1, 9, 0), time.time() - 90)
    assert datetime(2026, 6, 1, 9, 1, 30) <= clock() < datetime(2026, 6, 1, 9, 1, 35)
    server = LabClock(server=lambda: datetime(2030, 1, 1))
    assert server() == datetime(2030, 1, 1) and not server.is_set
