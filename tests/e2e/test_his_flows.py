"""Every simulated visit flow end to end against a gateway started here, on SQLite and PostgreSQL,
serving a generated world: inpatient stays, emergency cross-region stays, chronic-disease visits,
registration cancels, refunds and pharmacy sales; and a traffic run of all of them at once."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import grpc
import pytest

from yibao import platform_clock
from yibao.adapters.platform import build_server
from yibao.domain.world import Person, World
from yibao.simulators.his.claim_round import ClaimPaid
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.family_round import employee_balance, family_of
from yibao.simulators.his.flows import run_script
from yibao.simulators.his.invariants import Ledger
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.population import Population, generate
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.reconcile_by_file import reconcile, reconciliation_check
from yibao.simulators.his.records_visit import accumulations
from yibao.simulators.his.scripts import Batch, Line, VisitScript
from yibao.simulators.his.simulate_traffic import TrafficPlan, load_base, simulate_traffic
from yibao.simulators.his.traffic import DEFAULT_MIX
from yibao.simulators.his.visit_draw import VisitDraw
from yibao.storage.store import Store
from yibao.v1 import query_pb2 as qpb
from yibao.world.loader import parse_world

SEED = 21
BEIJING, FUSHUN, SHENZHEN = "H11000000000", "H21040000001", "H44030000002"  # one hospital per region
SHENZHEN_PHARMACY = "P44030000002"
OMEPRAZOLE = "XA02BCA211A001010101445"  # 奥美拉唑肠溶胶囊, 甲类, no price cap
BED = "001101000010000-110100001"  # a ward bed day, 60.00, wholly in scope


@dataclass
class Town:
    population: Population
    world: World
    store: Store
    target: str
    channel: grpc.Channel
    draw: VisitDraw

    def client(self, code: str, cls: type[HisClient] | None = None) -> HisClient:
        inst = self.world.institutions[code]
        return (cls or (PharmacyClient if inst.fixmedins_type == "2" else HisClient))(self.channel, inst)

    def patient(self, code: str, *, local: bool = True, insutype: str = "", other_province: bool = False) -> Person:
        admdvs = self.world.institutions[code].admdvs
        for psn_no in self.population.patients[code]:
            p = self.world.persons[psn_no]
            ins = p.insurances[0]
            if other_province and ins.insuplc_admdvs[:2] == admdvs[:2]:
                continue
            if not other_province and local != (ins.insuplc_admdvs == admdvs):
                continue
            if insutype and ins.insutype != insutype:
                continue
            return p
        raise LookupError(f"no such patient at {code}")

    def script(self, kind: str, code: str, person: Person, *, seed: int = 1, **over: Any) -> VisitScript:
        """A drawn script of `kind`, for `person`, with fields overridden."""
        inst = self.world.institutions[code]
        s = self.draw.draw(random.Random(seed), seed, kind, inst)
        return replace(s, psn_no=person.psn_no, insutype=person.insurances[0].insutype, mdtrt_cert_type="02", **over)


@pytest.fixture
def town(db_url: str) -> Iterator[Town]:
    population = generate(load_base(None), 3, 3, SEED)
    world = parse_world(population.world)
    store = Store(db_url)
    store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
    server, port, _ = build_server(world, store, address="127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Town(population, world, store, f"127.0.0.1:{port}", channel, VisitDraw(world, population.patients))
    finally:
        channel.close()
        server.stop(grace=None)
        store.close()


def calls(client: HisClient) -> dict[str, int]:
    return {infno: len(v) for infno, v in client.latencies.items()}


def all_hold(receipts: list[Receipt]) -> None:
    ledger = Ledger()
    ledger.add(receipts)
    assert all(c.ok for c in ledger.checks()), ledger.checks()


# -- inpatient


def test_inpatient_stay_with_daily_batches_a_bed_change_a_returned_drug_and_a_mid_stay_settlement(town: Town) -> None:
    client = town.client(BEIJING)
    person = town.patient(BEIJING, insutype="310")
    script = town.script("inpatient", BEIJING, person, seed=3, flags=("change", "mid", "return"))
    day = Batch((*script.batches[0].lines, Line(OMEPRAZOLE, "2", "12.50")))  # a drug to give one box back
    script = replace(script, days=4, batches=(day,) * 4)  # four days, each the same orders
    mid, final = run_script(client, town.world, script)
    n = calls(client)
    assert (n["2401"], n["2301"], n["2403"], n["2402"], n["2303"], n["2304"]) == (1, 5, 1, 1, 2, 2)  # 4 days + refund
    assert (mid.clr_type, mid.med_type, final.med_type) == ("21", "21", "21")
    assert mid.medfee_sumamt == 2 * day.total  # the first half of the stay
    refund = [i for i in final.items if i.cnt < 0]
    assert len(refund) == 1 and refund[0].det_item_fee_sumamt < 0
    assert refund[0].det_item_fee_sumamt == -refund[0].pric  # one unit given back
    assert final.medfee_sumamt == 2 * day.total - refund[0].pric
    assert mid.setl_id != final.setl_id and mid.mdtrt_id == final.mdtrt_id
    all_hold([mid, final])


def test_a_stays_settlement_list_is_uploaded_and_read_back(town: Town) -> None:
    client = town.client(FUSHUN)
    script = town.script("inpatient", FUSHUN, town.patient(FUSHUN), seed=35, flags=("list",))
    (final,) = run_script(client, town.world, script)
    assert calls(client)["4101"] == calls(client)["4103"] == 1 and final.medfee_sumamt > 0


def test_a_refused_stay_is_undone(town: Town) -> None:
    undone: list[str] = []

    class Tampering(HisClient):
        def pre_settle_stay(self, data: Any) -> Any:
            data.medfee_sumamt = "0.01"
            return super().pre_settle_stay(data)

        def cancel_discharge(self, data: Any) -> Any:
            undone.append("2405")
            return super().cancel_discharge(data)

        def cancel_stay_fees(self, data: Any) -> Any:
            undone.append("2302")
            return super().cancel_stay_fees(data)

        def cancel_admission(self, data: Any) -> Any:
            undone.append("2404")
            return super().cancel_admission(data)

    client = town.client(BEIJING, Tampering)
    script = town.script("inpatient", BEIJING, town.patient(BEIJING), seed=4, flags=())
    with pytest.raises(HisRefused) as refused:
        run_script(client, town.world, script)
    assert (refused.value.infno, refused.value.code) == ("2303", "SETL_SUMAMT_MISMATCH")
    assert undone == ["2405", "2302", "2404"]  # each accepted by the platform


def test_an_unbalanced_receipt_fails_the_visit(town: Town) -> None:
    class Skimming(HisClient):
        def settle_stay(self, data: Any) -> Any:
            reply = super().settle_stay(data)
            reply.output.setlinfo.psn_cash_pay = f"{Decimal(reply.output.setlinfo.psn_cash_pay) + 1:.2f}"
            return reply

    client = town.client(BEIJING, Skimming)
    client.issued = []
    with pytest.raises(HisCheckFailed) as failed:
        run_script(client, town.world, town.script("inpatient", BEIJING, town.patient(BEIJING), seed=5, flags=()))
    assert failed.value.code == "HIS_RECEIPT_CHECK" and "psn_part_amt" in failed.value.problems[0]
    assert [r.setl_id for r in client.issued] == [failed.value.receipt.setl_id]  # type: ignore[union-attr]


# -- emergency cross-region


def test_emergency_stay_of_a_person_insured_in_another_province_files_once(town: Town) -> None:
    client = town.client(BEIJING)
    person = town.patient(BEIJING, other_province=True)
    script = town.script("emergency", BEIJING, person, seed=6, flags=("file",))
    (receipt,) = run_script(client, town.world, script)
    assert receipt.med_type == "24" and receipt.insuplc_admdvs == person.insurances[0].insuplc_admdvs
    assert receipt.insuplc_admdvs[:2] != "11"
    filings = client.query_designations(person.psn_no).output.psnfixmedin
    assert [(f.biz_appy_type, f.fil_type, f.mdtrtarea_admdvs, f.fil_stas) for f in filings] == [
        ("07", "21", "110000", "1")
    ]
    # the filing made after admission applies to the stay (the settlement's trace names it)
    query = qpb.QuerySetlInfoData(psn_no=person.psn_no, setl_id=receipt.setl_id, mdtrt_id=receipt.mdtrt_id)
    assert client.query_settlement(query).output.setltrace.trt_dcla_detl_sn == filings[0].trt_dcla_detl_sn
    # a second emergency: 5302 shows the filing in force, so no second 2505
    run_script(client, town.world, replace(script, seq=7))
    assert calls(client)["2505"] == 1 and calls(client)["5302"] == 3


def test_emergency_flag_alone_counts_as_a_filing(town: Town) -> None:
    client = town.client(SHENZHEN)
    person = town.patient(SHENZHEN, other_province=True)
    (receipt,) = run_script(client, town.world, town.script("emergency", SHENZHEN, person, seed=8, flags=()))
    assert receipt.med_type == "24" and "2505" not in calls(client)
    query = qpb.QuerySetlInfoData(psn_no=person.psn_no, setl_id=receipt.setl_id, mdtrt_id=receipt.mdtrt_id)
    trace = client.query_settlement(query).output.setltrace
    assert trace.locality == "cross_province" and trace.trt_dcla_detl_sn == ""


# -- chronic disease


def test_chronic_visit_files_the_disease_once_and_settles_it_apart_from_the_rest(town: Town) -> None:
    client = town.client(FUSHUN)
    person = town.patient(FUSHUN)
    script = town.script("chronic", FUSHUN, person, seed=9)
    disease = script.batches[0]
    others = town.script("outpatient", FUSHUN, person, seed=10).batches[0]
    script = replace(script, batches=(disease, others))
    chronic, general = run_script(client, town.world, script)
    assert (chronic.med_type, general.med_type) == ("14", "11")
    assert chronic.medfee_sumamt == disease.total and general.medfee_sumamt == others.total
    assert chronic.mdtrt_id == general.mdtrt_id and chronic.chrg_bchno != general.chrg_bchno
    assert chronic.fund_pay_sumamt > 0  # the disease's own benefit rule pays
    filed = client.query_chronic_filings(person.psn_no).output.feedetail
    assert [(f.opsp_dise_code, f.vali_flag) for f in filed] == [(disease.dise_codg, "1")]
    (again,) = run_script(client, town.world, replace(script, batches=(disease, Batch(()))))
    assert again.med_type == "14" and calls(client)["2503"] == 1 and calls(client)["5301"] == 3
    all_hold([chronic, general, again])


# -- registration cancels


@pytest.mark.parametrize(
    ("flags", "expected"),
    [((), ["2201", "2203", "2202"]), (("fees",), ["2201", "2203", "2204", "2205", "2202"]),
     (("inpatient",), ["2401", "2404"])],
)  # fmt: skip
def test_registration_cancel(town: Town, flags: tuple[str, ...], expected: list[str]) -> None:
    client = town.client(BEIJING)
    script = town.script("cancel", BEIJING, town.patient(BEIJING), seed=11, flags=flags, days=1)
    assert run_script(client, town.world, script) == []
    assert [k for k in client.latencies if k not in ("9001", "1101")] == expected


# -- refunds


@pytest.mark.parametrize("flags", [(), ("all",)])
def test_outpatient_refund_of_an_earlier_settlement(town: Town, flags: tuple[str, ...]) -> None:
    client = town.client(BEIJING)
    script = town.script("refund", BEIJING, town.patient(BEIJING, insutype="310"), seed=12)
    if len(script.batches) != 2:  # the draw chose an inpatient refund: take two outpatient bills instead
        bills = (town.script("outpatient", BEIJING, town.patient(BEIJING), seed=n).batches[0] for n in (13, 14))
        script = replace(script, batches=tuple(bills), days=0)
    receipts = run_script(client, town.world, replace(script, flags=flags))
    first, second, back, *rest = receipts
    assert back.reverses == first.setl_id  # the earlier one, while the later one stays settled
    assert back.medfee_sumamt == -first.medfee_sumamt and back.acct_pay == -first.acct_pay
    assert calls(client)["5203"] == 1
    if flags:
        assert [r.reverses for r in rest] == [second.setl_id] and calls(client)["2202"] == 1
    else:
        assert rest == [] and "2202" not in calls(client)
    all_hold(receipts)


def test_inpatient_refund_reopens_corrects_and_settles_again(town: Town) -> None:
    client = town.client(SHENZHEN)
    stay = town.script("inpatient", SHENZHEN, town.patient(SHENZHEN), seed=15, flags=("inpatient",))
    script = replace(stay, kind="refund")
    settled, back, again = run_script(client, town.world, script)
    assert back.reverses == settled.setl_id
    assert again.medfee_sumamt == settled.medfee_sumamt - settled.items[-1].det_item_fee_sumamt  # one item removed
    assert all(calls(client)[k] == 1 for k in ("2305", "2405", "2302")) and calls(client)["2402"] == 2
    all_hold([settled, back, again])


# -- pharmacy


def test_pharmacy_sale_with_the_pooled_fund_and_a_return(town: Town) -> None:
    client = town.client(SHENZHEN_PHARMACY)
    person = town.patient(SHENZHEN_PHARMACY, insutype="310")
    script = town.script("pharmacy", SHENZHEN_PHARMACY, person, seed=16, flags=("cancel",), use_account=True)
    sale, back = run_script(client, town.world, script)
    assert (sale.clr_type, sale.med_type) == ("41", "41") and sale.medfee_sumamt == script.batches[0].total
    assert any(f.fund_pay_type == "310100" for f in sale.setldetail)  # Shenzhen has a med_type 41 rule
    assert back.reverses == sale.setl_id and back.medfee_sumamt == -sale.medfee_sumamt
    assert list(client.latencies) == ["9001", "1101", "2101", "2102", "2103"]
    all_hold([sale, back])


def test_pharmacy_sale_across_regions_is_paid_from_the_account_only(town: Town) -> None:
    client = town.client(SHENZHEN_PHARMACY)
    person = town.patient(SHENZHEN_PHARMACY, local=False, insutype="310")
    (sale,) = run_script(client, town.world, town.script("pharmacy", SHENZHEN_PHARMACY, person, seed=17, flags=()))
    assert sale.fund_pay_sumamt == 0 and sale.setldetail == ()


# -- all of it at once


def test_traffic_run_of_every_kind_against_the_gateway(town: Town) -> None:
    out = io.StringIO()
    plan = TrafficPlan(3, 3, SEED, DEFAULT_MIX, visits=80)
    assert simulate_traffic(plan, target=town.target, progress=False, out=out) == 0, out.getvalue()
    text = out.getvalue()
    assert "就诊 visits 80: 成功 ok 80, 失败 failed 0" in text
    for kind in ("outpatient", "inpatient", "chronic", "pharmacy"):
        assert f"\n  {kind} " in text
    assert "p99 ms" in text and "\n  2304 " in text and "\n  2102 " in text
    assert text.count("✓ ") == 5 and "✗" not in text


# -- issue 20's kinds: queries, reversals and partial refunds, filings


@pytest.mark.parametrize("flags", [(), ("A",)])
def test_query_visit_checks_the_platforms_records_of_it(town: Town, flags: tuple[str, ...]) -> None:
    client = town.client(FUSHUN)
    script = replace(town.script("query", FUSHUN, town.patient(FUSHUN), seed=31), flags=flags)
    (receipt,) = run_script(client, town.world, script)
    assert receipt.medfee_sumamt > 0
    counted = calls(client)
    assert counted["5206"] == 2  # before and after: grown by what the settlement paid from each fund
    a = "A" if flags else ""
    for infno in ("2001", "5201", "5202", "5204", "5205", "5303", "5304", "1201", "1901", "1312", "4103",
                  f"2203{a}", f"2206{a}", f"2207{a}", f"4101{a}"):  # fmt: skip
        assert counted[infno] == 1, infno
    assert not {"2203", "2206", "2207", "4101"} & set(counted) if flags else "2207A" not in counted


def test_reversal_of_a_settlement_and_a_partial_refund(town: Town) -> None:
    client = town.client(BEIJING)
    script = town.script("reversal", BEIJING, town.patient(BEIJING, insutype="310"), seed=32)
    first, undone, second, back, kept = run_script(client, town.world, script)
    assert undone.reverses == first.setl_id and undone.medfee_sumamt == -first.medfee_sumamt
    assert undone.fund_pay_sumamt == -first.fund_pay_sumamt and undone.acct_pay == -first.acct_pay
    assert back.reverses == second.setl_id and back.medfee_sumamt == -second.medfee_sumamt
    assert kept.medfee_sumamt == second.medfee_sumamt - second.items[0].det_item_fee_sumamt
    assert [i.feedetl_sn for i in kept.items] == [i.feedetl_sn for i in second.items[1:]]
    assert calls(client)["2601"] == 1 and calls(client)["Y2208"] == 1 and calls(client)["2205"] == 1
    all_hold([first, undone, second, back, kept])


def test_filings_are_made_seen_and_revoked(town: Town) -> None:
    client = town.client(FUSHUN)
    person = town.patient(FUSHUN)
    script = town.script("filing", FUSHUN, person, seed=33)
    script = replace(script, batches=(Batch((), dise_codg="M03900"),), dise_name="高血压")
    assert run_script(client, town.world, script) == []
    counted = calls(client)
    for infno in ("2501", "2502", "2505", "2506", "2503", "2504"):
        assert counted[infno] == 1, infno
    assert counted["5304"] == 2 and counted["5302"] == 2 and counted["5301"] == 3
    # everything revoked: a second round files again
    assert run_script(client, town.world, script) == []


def test_catalogue_files_are_fetched_and_read_and_an_upload_comes_back(town: Town) -> None:
    client = town.client(SHENZHEN)
    script = replace(town.script("catalogue", SHENZHEN, town.patient(SHENZHEN), seed=34), flags=("1301", "1309"))
    assert run_script(client, town.world, script) == []
    assert calls(client)["1301"] == calls(client)["1309"] == calls(client)["9101"] == 1
    assert calls(client)["9102"] == 3  # two catalogues and the upload fetched back


def test_a_short_run_of_issue_20s_kinds(town: Town) -> None:
    out = io.StringIO()
    mix = {"query": 1, "reversal": 1, "filing": 1, "refund": 1, "pharmacy": 1, "emergency": 1, "catalogue": 1}
    plan = TrafficPlan(3, 3, SEED, mix, visits=30)
    assert simulate_traffic(plan, target=town.target, progress=False, out=out) == 0, out.getvalue()
    text = out.getvalue()
    for kind in mix:
        assert f"\n  {kind} " in text, kind
    infnos = ("2601", "Y2208", "2208", "2501", "2505", "2506", "5206", "5204", "2102", "4101", "4103", "9101", "9102")
    for infno in infnos:
        assert f"\n  {infno} " in text, infno
    assert "✗" not in text


# -- manual reimbursement (kind claim) and family accounts (kind family)


def test_a_claim_is_reviewed_by_the_operator_and_counts_in_the_accumulations(town: Town) -> None:
    # seed 2 at Beijing draws 21040000000000000028 (310 Fushun): a 3-day stay paid in full at H11000000000, its
    # bill made 100 bed days at 60.00
    client = town.client(BEIJING)
    client.issued = []
    script = town.draw.draw(random.Random(2), 2, "claim", town.world.institutions[BEIJING])
    assert (script.psn_no, script.days, script.flags) == ("21040000000000000028", 3, ())
    script = replace(script, batches=(Batch((Line(BED, "100", "60.00"),)),))  # 6000.00, beyond the deductible
    assert run_script(client, town.world, script) == []
    (paid,) = client.issued
    assert isinstance(paid, ClaimPaid) and paid.psn_no == script.psn_no
    # Fushun, no filing: the automatic temporary filing's stay, deductible 3000.00, 60 %: (6000.00 − 3000.00) × 0.60
    assert paid.funds == (("310100", Decimal("1800.00")),)
    counted = calls(client)
    assert counted["Y2801"] == counted["Y2802"] == counted["Y2803"] == 1  # the operator's review counted here too
    used = accumulations(client, script.psn_no, client.now_text())  # a fresh store: the claim alone
    assert {f: a for f, a in used.items() if a} == {f: a for f, a in paid.funds if a}
    rejected = replace(script, flags=("reject",))
    client.issued = []
    assert run_script(client, town.world, rejected) == [] and client.issued == []  # Y2803 showed it rejected


def test_a_family_is_set_up_topped_up_and_cancelled_by_its_holder(town: Town) -> None:
    # seed 1 at Beijing draws 11000000000000000009 (310 Beijing, 3147.01) with members …19 (子女) and …16 (配偶).
    # Above the floor 2000.00: 1147.01, half in whole yuan 573.00 moves in (2574.01 left); then half of 574.01:
    # 287.00 (2287.01 left, the family 860.00); the cancel returns 860.00: 3147.01 again.
    client = town.client(BEIJING)
    client.issued = []
    script = town.draw.draw(random.Random(1), 1, "family", town.world.institutions[BEIJING])
    holder = script.psn_no
    assert (holder, town.world.persons[holder].account_balance) == ("11000000000000000009", Decimal("3147.01"))
    keep = replace(script, flags=tuple(f for f in script.flags if f != "cancel"))
    run_script(client, town.world, keep)
    run_script(client, town.world, keep)
    account = family_of(client, holder)
    assert account is not None
    assert (account.acctinfo.fam_acct_balc, account.acctinfo.acct_balc) == ("860.00", "2287.01")
    assert sorted(m.psn_no for m in account.member) == [holder, "11000000000000000016", "11000000000000000019"]
    run_script(client, town.world, replace(keep, flags=(*keep.flags, "cancel")))
    assert family_of(client, holder) is None
    assert [m.amount for m in client.issued] == [Decimal("573.00"), Decimal("287.00"), Decimal("-860.00")]
    assert employee_balance(client, town.world, holder, "02") == Decimal("3147.01")
    counted = calls(client)
    assert (counted["Y2901"], counted["Y2902"], counted["Y2903"]) == (1, 1, 1)


def test_a_short_run_of_claims_and_families(town: Town) -> None:
    out = io.StringIO()
    plan = TrafficPlan(3, 3, SEED, {"claim": 1, "family": 2, "outpatient": 1}, visits=30)
    assert simulate_traffic(plan, target=town.target, progress=False, out=out) == 0, out.getvalue()
    text = out.getvalue()
    for infno in ("Y2801", "Y2802", "Y2803", "Y2901", "Y2904"):
        assert f"\n  {infno} " in text, infno
    assert "✗" not in text


# -- the day's reconciliation by file (3202 with file_qury_no)


def test_the_days_records_reconcile_by_file_and_a_difference_comes_back_in_the_file(town: Town) -> None:
    # an outpatient refund: two settlements and the refund record of the earlier one, all three records uploaded
    client = town.client(BEIJING)
    script = town.script("refund", BEIJING, town.patient(BEIJING, insutype="310"), seed=12)
    if len(script.batches) != 2:
        bills = (town.script("outpatient", BEIJING, town.patient(BEIJING), seed=n).batches[0] for n in (13, 14))
        script = replace(script, batches=tuple(bills), days=0)
    receipts = run_script(client, town.world, replace(script, flags=()))
    today = platform_clock.today()
    assert reconcile(client, receipts, today) == []
    assert calls(client)["9101"] == calls(client)["3202"] == calls(client)["9102"] == 1
    # the HIS's ledger one fen off on the refund record's account payment: 3202 不平, the record in the file
    first, second, back = receipts[:3]
    off = replace(back, acct_pay=back.acct_pay + Decimal("0.01"))
    problems = reconcile(client, [first, second, off], today)
    assert problems[0].startswith("3202 stmt_rslt ") and len(problems) == 2
    assert back.setl_id in problems[1] and "个人账户支付" in problems[1]
    check = reconciliation_check({BEIJING: client}, receipts, today)
    assert check.ok and "1 institutions, 3 records uploaded" in check.detail
