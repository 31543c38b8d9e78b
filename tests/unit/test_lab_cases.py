"""Case suites as data (issue 18, item 5): the built-in suites load against the demo world with a state of the same
name, cite sections that exist in this repository, and a broken card is refused with its JSON path and rule; the
coverage lists what the cases exercise and what none does. The verdict engine on hand-made transcripts (item 6)."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from yibao.adapters.lab import cases as case_suites
from yibao.adapters.lab import state as states
from yibao.adapters.lab.field_coverage import field_coverage, input_fields
from yibao.adapters.lab.verdicts import FinalState, JournalEntry, SettlementFact, judge, mask
from yibao.domain.world import World
from yibao.errors import CATALOGUE
from yibao.transactions import transactions
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import person_pb2 as ppb
from yibao.v1 import settlement_pb2 as spb
from yibao.v1 import signin_pb2 as sgn
from yibao.v1.envelope_pb2 import ErrorDetail, ReplyHeader, RequestHeader
from yibao.world.loader import load_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_builtin_case_suite_loads_with_its_state(demo: World) -> None:
    names = case_suites.builtin_case_suites()
    assert {"outpatient", "pharmacy", "errors"} <= set(names)
    assert not any(n.endswith(".cases") for n in states.builtin_suites())  # case files are no state suites
    for name in names:
        suite = case_suites.load_builtin(name, demo)
        assert suite.cases and suite.institution in demo.institutions
        assert name in states.builtin_suites(), f"{name}.cases.json needs its state {name}.json"
        states.parse_states([(name, states.read_builtin(name))], demo)


def test_every_requirement_is_a_section_of_this_repository(demo: World) -> None:
    for suite in case_suites.load_all(demo):
        for case in suite.cases:
            for requirement in case.requirement:
                path, _, rest = requirement.partition("#")
                path = path.split(":")[0]
                assert (ROOT / path).is_file(), (case.id, requirement)
                if rest:
                    anchor = rest.split(":")[0].strip()
                    headings = [
                        slug(h.lstrip("#")) for h in (ROOT / path).read_text("utf-8").splitlines() if h.startswith("#")
                    ]
                    assert anchor in headings, (case.id, requirement)


def test_coverage_lists_what_the_cases_exercise_and_what_none_does(demo: World) -> None:
    names = {i: t.national_name for i, t in transactions().items()}
    report = case_suites.coverage(case_suites.load_all(demo), names, list(CATALOGUE))
    covered = {t["infno"]: t["cases"] for t in report["transactions"]["covered"]}
    uncovered = {t["infno"] for t in report["transactions"]["uncovered"]}
    assert set(covered) | uncovered == set(transactions())
    assert {"1101", "2201", "2202", "2203", "2204", "2205", "2206", "2207", "2208", "2101", "2102", "2103"} <= set(
        covered
    )
    assert "outpatient/OP-02" in covered["2208"]
    assert covered["3201"] == covered["3202"] == ["reconciliation/RC-01", "reconciliation/RC-02"]
    assert {"2503", "2505", "2506", "Y2505", "Y2506", "5302", "Y2208"} <= set(covered)
    assert {"Y3270", "2403"} <= uncovered
    assert {"2401", "2301", "2402", "2303", "2304", "2305"} <= set(covered)
    assert "inpatient/IP-02" in covered["2304"]
    assert covered["2601"] == ["uncertain/UO-04"]
    codes = {c["code"] for c in report["error_codes"]["covered"]}
    assert {"AUTH_SIGNED_OUT", "FEE_NOT_IN_CATALOGUE", "PSN_INSU_SUSPENDED"} <= codes
    # a refusing fault makes its step expect the refusal, so the faults suite covers these codes
    assert {"REGION_MAINTENANCE", "ENV_MSGID_REUSED", "GATEWAY_BUSY"} <= codes
    assert codes.isdisjoint(report["error_codes"]["uncovered"])


def test_coverage_lists_the_fields_each_transaction_sends_and_those_none_sends(demo: World) -> None:
    """Fields are found by following every card at a terminal that sends nothing (field_coverage.py)."""
    suites = case_suites.load_all(demo)
    fields = field_coverage(suites, demo)
    names = {i: t.national_name for i, t in transactions().items()}
    report = case_suites.coverage(suites, names, list(CATALOGUE), fields)
    assert set(report["fields"]) == {t["infno"] for t in report["transactions"]["covered"]}
    for infno, f in fields.items():
        every = input_fields(transactions()[infno].request_cls.DESCRIPTOR.fields_by_name["input"].message_type)
        assert sorted(f["covered"] + f["uncovered"]) == sorted(every), infno
    assert {"feedetail[].med_list_codg", "feedetail[].dise_codg", "feedetail[].chrg_bchno"} <= set(
        fields["2204"]["covered"]
    )  # dise_codg: the chronic suite's batches
    assert "feedetail[].rxno" in fields["2204"]["uncovered"]  # no card bills a prescription number
    assert {"detail[].setl_id", "detail[].msgid", "detail[].refd_setl_flag"} <= set(fields["3202"]["covered"])
    assert {"data.cmtm_flag", "data.fil_type", "data.mdtrtarea_admdvs"} <= set(fields["2505"]["covered"])
    assert fields["Y2208"]["uncovered"] == []


def broken(edit: Any) -> dict[str, Any]:
    raw = copy.deepcopy(case_suites.read_builtin("outpatient"))
    edit(raw)
    return raw


BROKEN = [
    (lambda r: r["cases"][0].pop("person"), "cases[0].person: is required"),
    (lambda r: r["cases"][1].update(id="op-2"), "cases[1].id: 2 to 4 capital letters"),
    (lambda r: r["cases"][1].update(id="OP-01"), "cases[1].id: OP-01 is already the id of cases[0]"),
    (lambda r: r["cases"][1].update(person=r["cases"][0]["person"]), "cases[1].person: the person is already"),
    (lambda r: r["cases"][0].update(person="99999999999999999999"), "cases[0].person: 9999"),
    (
        lambda r: r["cases"][0]["requirement"].append("docs/reference/interface.md §4"),
        "cases[0].requirement[4]: a section of",
    ),
    (lambda r: r["cases"][0]["steps"][3]["items"][0].update(pric=10), "cases[0].steps[3].items[0].pric: an amount"),
    (
        lambda r: r["cases"][0]["steps"][3]["items"][1].update(code="ZZ9"),
        "cases[0].steps[3].items[1].code: ZZ9 is not in the treatment place's catalogue",
    ),
    (lambda r: r["cases"][0]["steps"][5].update(batch="7"), "cases[0].steps[5].batch: no upload_fees step"),
    (lambda r: r["cases"][0]["steps"].append({"do": "settle_sale"}), "cases[0].steps[6].do: settle_sale is not a step"),
    (
        lambda r: r["cases"][0]["steps"][0].update(expect={"refused": "NOPE"}),
        "cases[0].steps[0].expect.refused: NOPE is not a code",
    ),
    (lambda r: r["cases"][0]["expect"]["settlement"].update(balance="1.00"), "cases[0].expect.settlement.balance: not"),
    (lambda r: r["cases"][0]["expect"].pop("why"), "cases[0].expect.why: is required"),
    (lambda r: r["cases"][0]["expect"].update(settlements="1"), "cases[0].expect.settlements: is required"),
    (lambda r: r["cases"][0].update(colour="red"), "cases[0].colour: unknown key"),
    (lambda r: r.update(institution="P11010100001"), "cases[0].kind: a outpatient case cannot be run at P11010100001"),
    (lambda r: r["cases"][0]["steps"].append({"do": "clear"}), "cases[0].steps[6].month: is required: the month"),
    (
        lambda r: r["cases"][0]["steps"].append({"do": "clear", "month": "2027-01"}),
        "cases[0].steps[6].month: is required: the month to clear (setlym), yyyyMM",
    ),
    (
        lambda r: r["cases"][0]["steps"].append({"do": "clear", "month": "202701", "expect": {"refused": "X"}}),
        "cases[0].steps[6].expect: unknown key",
    ),
]


@pytest.mark.parametrize(("edit", "message"), BROKEN)
def test_a_broken_card_is_refused_with_its_path_and_rule(demo: World, edit: Any, message: str) -> None:
    with pytest.raises(case_suites.CaseFormatError) as e:
        case_suites.parse_suite(broken(edit), "outpatient", demo)
    assert str(e.value).startswith("outpatient.cases.json: ")
    assert message in str(e.value)


def test_a_clear_step_is_the_labs_and_sends_nothing(demo: World) -> None:
    [rf06] = [c for c in case_suites.load_builtin("refunds", demo).cases if c.id == "RF-06"]
    clear = next(s for s in rf06.steps if s.do == "clear")
    assert (clear.sends, clear.option("month")) == (False, "202701")
    assert "clear" not in [step.do for _, step, _ in rf06.sent()]


def test_suites_that_move_the_clock_run_last_those_that_set_it_first(demo: World) -> None:
    names = ["filings", "refunds", "outpatient", "pharmacy", "errors"]
    order = case_suites.run_order([case_suites.load_builtin(n, demo) for n in names])
    # outpatient, pharmacy and errors keep the clock, in the order given; refunds sets it (to 2027-01-04), filings
    # only advances it: from wherever refunds left it
    assert [s.name for s in order] == ["outpatient", "pharmacy", "errors", "refunds", "filings"]


# ---- the verdict engine on a hand-made transcript (no store, no server)

HOSPITAL, PERSON = "H11010100001", "11000000000000000004"  # 王秀兰, resident of Beijing (OP-02)
SIGN_NO = "110000202606010900000000000001"


def header(infno: str, n: int, **over: str) -> RequestHeader:
    fields = dict(
        infno=infno,
        msgid=f"{HOSPITAL}20260601090000{n:04d}",
        mdtrtarea_admvs="110000",
        insuplc_admdvs="110000" if infno not in ("9001", "1101") else "",
        recer_sys_code="YBXT",
        infver="V1.0",
        opter_type="1",
        opter="SF001",
        opter_name="收费员",
        inf_time="2026-06-01 09:00:00",
        fixmedins_code=HOSPITAL,
        fixmedins_name="北京市东城区第一人民医院",
        sign_no="" if infno == "9001" else SIGN_NO,
    )
    fields.update(over)
    return RequestHeader(**fields)


def entry(n: int, infno: str, inp: Any, out: Any = None, refused: str = "", **over: str) -> JournalEntry:
    tx = transactions()[infno]
    request = tx.request_cls(header=header(infno, n, **over), input=inp)
    if refused:
        reply = ErrorDetail(code=refused, field="input.data.setl_id", header=ReplyHeader(infcode=-1, err_msg="x"))
    else:
        reply = tx.reply_cls(header=ReplyHeader(), output=out)
    psn = PERSON if infno not in ("9001", "1101") else None
    return JournalEntry(
        n,
        f"20260601090000{n:03d}",
        infno,
        request.header.msgid,
        "refused" if refused else "ok",
        refused,
        "",
        request.SerializeToString(),
        reply.SerializeToString(),
        psn,
        None,
        None,
    )


def op02_transcript(*extra: JournalEntry, skip: str = "") -> list[JournalEntry]:
    settle = opb.SettleData(
        psn_no=PERSON,
        mdtrt_cert_type="02",
        mdtrt_cert_no="110101196008080027",
        med_type="11",
        medfee_sumamt="210.00",
        psn_setlway="01",
        mdtrt_id="M1",
        chrg_bchno="B1",
        acct_used_flag="0",
        insutype="390",
    )
    fee = opb.FeeDetail(
        feedetl_sn="F1",
        mdtrt_id="M1",
        psn_no=PERSON,
        chrg_bchno="B1",
        fee_ocur_time="x",
        med_list_codg="A",
        medins_list_codg="A",
        det_item_fee_sumamt="1.00",
        cnt="1",
        pric="1.00",
        bilg_dept_codg="A03",
        bilg_dept_name="内科",
        bilg_dr_codg="D1",
        bilg_dr_name="张",
    )
    reg = opb.RegisterData(
        psn_no=PERSON,
        insutype="390",
        begntime="x",
        mdtrt_cert_type="02",
        mdtrt_cert_no="1",
        ipt_otp_no="MZ1",
        atddr_no="D1",
        dr_name="张",
        dept_code="A03",
        dept_name="内科",
        caty="A03",
    )
    person = ppb.QueryPsnInfoOutput(
        baseinfo=ppb.BaseInfo(psn_no=PERSON), insuinfo=[ppb.InsuInfo(insutype="390", insuplc_admdvs="110000")]
    )
    rows = [
        (
            "9001",
            sgn.SignInInput(signIn=sgn.SignInData(opter_no="SF001", ip="1")),
            sgn.SignInOutput(signinoutb=sgn.SignInOutb(sign_no=SIGN_NO)),
        ),
        (
            "1101",
            ppb.QueryPsnInfoInput(data=ppb.PsnInfoQuery(mdtrt_cert_type="02", mdtrt_cert_no="110101196008080027")),
            person,
        ),
        ("2201", opb.RegisterInput(data=reg), None),
        (
            "2203",
            opb.UploadVisitInfoInput(
                mdtrtinfo=opb.MdtrtInfo(mdtrt_id="M1", psn_no=PERSON, med_type="11", begntime="x")
            ),
            None,
        ),
        ("2204", opb.UploadFeeDetailsInput(feedetail=[fee]), None),
        ("2206", opb.SettleInput(data=settle), None),
        ("2207", opb.SettleInput(data=settle), spb.SettleOutput(setlinfo=spb.SetlInfo(setl_id="S1"))),
        (
            "2208",
            opb.CancelSettlementInput(data=opb.CancelSettlementData(setl_id="S1", mdtrt_id="M1", psn_no=PERSON)),
            None,
        ),
    ]
    out = [entry(n, infno, inp, o) for n, (infno, inp, o) in enumerate(rows) if infno != skip]
    return out + list(extra)


def final(*, cancelled: bool = True, hifp: str = "37.80") -> FinalState:
    info = {
        "medfee_sumamt": "210.00",
        "fulamt_ownpay_amt": "0.00",
        "overlmt_selfpay": "20.00",
        "preselfpay_amt": "14.40",
        "inscp_scp_amt": "175.60",
        "act_pay_dedc": "100.00",
        "hifp_pay": hifp,
        "fund_pay_sumamt": hifp,
        "psn_part_amt": "172.20",
        "acct_pay": "0.00",
        "psn_cash_pay": "172.20",
    }
    negated = {k: f"-{v}" for k, v in info.items() if v != "0.00"}
    settle = SettlementFact(
        "S1", "settle", PERSON, "M1", "B1", None, "S2" if cancelled else None, f"{HOSPITAL}202606010900000006", info
    )
    reversal = SettlementFact(
        "S2", "reversal", PERSON, "M1", "B1", "S1", None, f"{HOSPITAL}202606010900000007", negated
    )
    return FinalState((settle, reversal) if cancelled else (settle,), {})


def op02(demo: World, transcript: list[JournalEntry], state: FinalState) -> dict[str, Any]:
    suite = case_suites.load_builtin("outpatient", demo)
    one = case_suites.CaseSuite(suite.name, suite.about, suite.institution, (suite.case("OP-02"),))
    verdict = judge([one], transcript, state, demo, HOSPITAL)
    (case,) = verdict["cases"]
    return case  # type: ignore[no-any-return]


def test_op02_transcript_passes(demo: World) -> None:
    case = op02(demo, op02_transcript(), final())
    assert case["verdict"] == "pass", case["failures"]
    assert case["amounts"]["hifp_pay"] == "37.80"
    assert "psn_name" not in case["amounts"] and case["person"] == "1100****0004"


def test_a_wrong_figure_fails_naming_the_settlement_message_and_field(demo: World) -> None:
    case = op02(demo, op02_transcript(), final(hifp="37.81"))
    f, cancelled = [f for f in case["failures"] if f["field"] == "output.setlinfo.hifp_pay"]
    assert (cancelled["expected"], cancelled["actual"]) == ("-37.80", "-37.81")
    assert (f["rule"], f["msgid"], f["expected"], f["actual"]) == (
        "amount",
        f"{HOSPITAL}202606010900000006",
        "37.80",
        "37.81",
    )


def test_a_second_cancellation_fails_cancel_once(demo: World) -> None:
    again = entry(
        8,
        "2208",
        opb.CancelSettlementInput(data=opb.CancelSettlementData(setl_id="S1", mdtrt_id="M1", psn_no=PERSON)),
        refused="SETL_ALREADY_CANCELLED",
    )
    case = op02(demo, op02_transcript(again), final())
    assert case["verdict"] == "fail"
    (f,) = case["failures"]
    assert (f["rule"], f["msgid"], f["field"]) == ("cancel-once", again.msgid, "input.data.setl_id")


def test_2207_without_2206_and_a_missing_step(demo: World) -> None:
    case = op02(demo, op02_transcript(skip="2206"), final())
    rules = {f["rule"]: f for f in case["failures"]}
    assert rules["presettle-first"]["field"] == "input.data.chrg_bchno"
    assert rules["presettle-first"]["msgid"] == f"{HOSPITAL}202606010900000006"
    assert rules["step"]["expected"] == "step 5 pre_settle: 2206 accepted"


def test_interface_rules_on_each_message(demo: World) -> None:
    from yibao.v1 import query_pb2 as qpb

    bad = entry(
        8, "5203", qpb.QuerySetlInfoInput(data=qpb.QuerySetlInfoData(psn_no=PERSON)), msgid="H11010100001202606"
    )
    transcript = op02_transcript()
    transcript[2] = transcript[2]._replace(
        request=opb.RegisterRequest.FromString(transcript[2].request)
        .__class__(
            header=header("2201", 2, insuplc_admdvs="440300", sign_no="WRONG"),
            input=opb.RegisterInput(data=opb.RegisterData(psn_no=PERSON, insutype="390", mdtrt_cert_type="09")),
        )
        .SerializeToString()
    )
    case = op02(demo, [*transcript, bad], final())
    found = {(f["rule"], f["field"]) for f in case["failures"]}
    assert ("sign-in", "header.sign_no") in found
    assert ("insuplc-from-1101", "header.insuplc_admdvs") in found
    assert ("required", "input.data.begntime") in found
    assert ("code-value", "input.data.mdtrt_cert_type") in found
    assert ("msgid-format", "header.msgid") in found


def test_nothing_sent_is_skip_and_personal_numbers_are_masked(demo: World) -> None:
    assert op02(demo, [], FinalState())["verdict"] == "skip"
    assert mask("人员 11000000000000000004 证件 110101196008080027") == "人员 1100****0004 证件 1101****0027"
    assert Decimal("0.01")  # amounts stay decimal strings in the cards


def test_a_settlement_sent_while_its_presettlement_stood_refused_for_a_region_down_fails_region_down(
    demo: World,
) -> None:
    """region-down: after a REGION_MAINTENANCE refusal of the 2206, a 2207 before the 2206 is carried out is named
    (its msgid, header.insuplc_admdvs); once the same 2206 is carried out, the 2207 is no longer carrying on without
    it."""
    transcript = op02_transcript()
    presettle = opb.SettleRequest.FromString(transcript[5].request).input
    refused = entry(5, "2206", presettle, refused="REGION_MAINTENANCE")
    ignored = [*transcript[:5], refused, *transcript[6:]]
    case = op02(demo, ignored, final())
    (f,) = [f for f in case["failures"] if f["rule"] == "region-down"]
    assert (f["msgid"], f["infno"], f["field"]) == (transcript[6].msgid, "2207", "header.insuplc_admdvs")
    assert refused.msgid in f["expected"] and "REGION_MAINTENANCE" in f["actual"]
    resent = transcript[5]._replace(id=50)  # the same 2206 again, carried out once the region is back
    waited = op02(demo, [*transcript[:5], refused, resent, *transcript[6:]], final())
    assert not [f for f in waited["failures"] if f["rule"] == "region-down"]
