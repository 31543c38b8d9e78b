"""The synthetic population and traffic without a server: byte-identical for a seed, loadable,
the mix honoured, the book handing out scripts in stream order; and the ledger's invariants."""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from yibao.simulators.his.invariants import Ledger
from yibao.simulators.his.population import generate, id_number
from yibao.simulators.his.receipt import FundRow, Receipt
from yibao.simulators.his.scripts import KINDS, VisitScript, from_json, to_json
from yibao.simulators.his.simulate_traffic import load_base
from yibao.simulators.his.traffic import DEFAULT_MIX, ScriptBook, ScriptStream, parse_mix
from yibao.simulators.his.visit_draw import treatment_place
from yibao.v1.settlement_pb2 import SetlDetail, SetlInfo
from yibao.world.loader import parse_world

BASE = load_base(None)


def generation(seed: int, hospitals: int = 3, pharmacies: int = 2, n: int = 300) -> tuple[bytes, bytes]:
    """The serialized world and first n scripts of a seed, generated from scratch."""
    pop = generate(BASE, hospitals, pharmacies, seed)
    world = parse_world(json.loads(pop.world_bytes()))
    scripts = itertools.islice(ScriptStream(world, pop.patients, DEFAULT_MIX, seed), n)
    return pop.world_bytes(), to_json(scripts)


def test_same_seed_gives_byte_identical_world_and_scripts() -> None:
    first, second = generation(42), generation(42)
    assert first[0] == second[0] and first[1] == second[1]
    other = generation(43)
    assert other[0] != first[0] and other[1] != first[1]
    # the institutions are fixed by the counts, the people by the seed
    assert [i["fixmedins_code"] for i in json.loads(first[0])["institutions"]] == [
        i["fixmedins_code"] for i in json.loads(other[0])["institutions"]
    ]


def test_scripts_round_trip_through_their_bytes() -> None:
    _, data = generation(7, n=100)
    assert to_json(from_json(data)) == data


def test_generated_world_loads_and_has_what_the_flows_need() -> None:
    pop = generate(BASE, 4, 3, 9)
    world = parse_world(json.loads(pop.world_bytes()))
    assert sorted(world.regions) == ["110000", "210400", "440300"]  # the demo's benefit tables
    assert all(not r.maintenance for r in world.regions.values())
    hospitals = [i for i in world.institutions.values() if i.fixmedins_type == "1" and not i.operator]
    pharmacies = [i for i in world.institutions.values() if i.fixmedins_type == "2"]
    assert (len(hospitals), len(pharmacies)) == (4, 3)
    # and the insurance agency reviewing claims (Y2802): an operator of the first region, no desk, no patients
    assert [i.fixmedins_code for i in world.institutions.values() if i.operator] == ["H11000099999"]
    assert "H11000099999" not in pop.patients
    assert {i.admdvs for i in hospitals} == set(world.regions)  # spread over the regions
    assert len(world.persons) == 7 * 30 and world.family_holder
    for code, patients in pop.patients.items():
        admdvs = world.institutions[code].admdvs
        places = Counter(world.persons[p].insurances[0].insuplc_admdvs == admdvs for p in patients)
        assert places[True] == 24 and places[False] == 6  # visitors from other provinces too
    # every patient belongs to exactly one institution
    assert sum(len(p) for p in pop.patients.values()) == len(set(itertools.chain(*pop.patients.values())))
    for p in world.persons.values():
        assert len(p.certno) == 18 and id_number(p.certno[:6], p.brdy, int(p.certno[14:17])) == p.certno
        assert int(p.certno[16]) % 2 == (1 if p.gend == "1" else 0)
        assert p.ec_token and (p.card_no == "") == (p.card_sn == "")
    for raw in pop.world["persons"]:  # only employees have a personal account
        assert ("account_balance" in raw) == (raw["insurances"][0]["insutype"] == "310")


def test_id_number_check_digit() -> None:
    assert id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"  # GB 11643's worked example


def test_the_stream_follows_the_mix_and_fits_each_kind() -> None:
    pop = generate(BASE, 3, 2, 5)
    world = parse_world(json.loads(pop.world_bytes()))
    scripts = list(itertools.islice(ScriptStream(world, pop.patients, DEFAULT_MIX, 5), 2000))
    kinds = Counter(s.kind for s in scripts)
    assert set(kinds) == set(KINDS)
    for kind, weight in DEFAULT_MIX.items():  # within a few points of the weights (they sum to 100)
        assert abs(kinds[kind] / 20 - weight) < 4, (kind, kinds[kind])
    for s in scripts:
        inst = world.institutions[s.fixmedins_code]
        person = world.persons[s.psn_no]
        assert s.psn_no in pop.patients[s.fixmedins_code]
        assert (inst.fixmedins_type == "2") == (s.kind == "pharmacy")
        if s.kind == "filing":  # nothing billed: at most a chronic disease to file, of the person's place's list
            assert person.insurances[0].insuplc_admdvs == inst.admdvs
            assert all(not b.lines and b.dise_codg.startswith("M") for b in s.batches)
            continue
        if s.kind == "catalogue":  # a list the world holds and one it does not
            assert s.flags[0] in ("1301", "1302", "1303", "1305", "1306") and s.flags[1][:2] == "13" and not s.batches
            continue
        if s.kind == "family":  # the holder an employee in no declared family; members of the same desk
            kin = [f.removeprefix("member=").split(":")[0] for f in s.flags if f.startswith("member=")]
            assert person.insurance("310") and s.psn_no not in world.family_holder and not s.batches
            assert all(k in pop.patients[s.fixmedins_code] and k not in world.family_holder for k in kin)
            continue
        assert s.batches and all(b.lines for b in s.batches[:1])
        if s.kind in ("refund", "reversal") and not s.days:
            assert len(s.batches) == 2  # two charge batches: one refunded or reversed while the other stands
        if s.kind == "emergency":
            assert person.insurances[0].insuplc_admdvs[:2] != inst.admdvs[:2]
        if s.kind == "chronic":
            assert s.batches[0].dise_codg.startswith("M") and s.dise_name
            assert person.insurances[0].insuplc_admdvs == inst.admdvs
        if s.kind in ("inpatient", "emergency"):
            assert len(s.batches) == s.days >= 1
        # a claimed stay was billed where it was paid in full (claim_round.py)
        paid_at = treatment_place(world, person.insurances[0].insuplc_admdvs) if s.kind == "claim" else inst
        for line in itertools.chain.from_iterable(b.lines for b in s.batches):
            assert line.med_list_codg in world.regions[paid_at.admdvs].catalogue
            assert Decimal(line.pric) > 0 and Decimal(line.cnt) > 0


def test_a_mix_without_pharmacy_sends_no_one_to_the_pharmacies() -> None:
    pop = generate(BASE, 2, 2, 5)
    world = parse_world(json.loads(pop.world_bytes()))
    mix = parse_mix("outpatient=1,chronic=1")
    kinds = Counter(s.kind for s in itertools.islice(ScriptStream(world, pop.patients, mix, 5), 200))
    assert set(kinds) == {"outpatient", "chronic"}
    with pytest.raises(ValueError, match="pharmacy needs pharmacies"):
        ScriptStream(world, generate(BASE, 0, 1, 5).patients, parse_mix("outpatient=1"), 5)


@pytest.mark.parametrize(
    ("text", "words"),
    [("outpatient=60,bogus=1", "bogus"), ("outpatient", "KIND=WEIGHT"), ("outpatient=-1", "whole number"),
     ("outpatient=0", "every weight is 0")],
)  # fmt: skip
def test_bad_mixes_are_refused(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_mix(text)


def test_mix_text_sets_only_the_kinds_named() -> None:
    assert parse_mix(" outpatient=60, pharmacy = 40") == dict.fromkeys(KINDS, 0) | {"outpatient": 60, "pharmacy": 40}


def _script(seq: int, code: str) -> VisitScript:
    return VisitScript(seq, "outpatient", code, "P", "310", "01", "", "", "", 0, True, ())


def test_the_book_hands_out_each_institutions_scripts_in_order_and_stops_at_the_limit() -> None:
    codes = ["A", "B", "C"]
    stream = (_script(n, codes[n * 7 % 3]) for n in itertools.count())
    book = ScriptBook(stream, codes, window=4, limit=30)
    stop, got = threading.Event(), {c: [] for c in codes}

    def desk(code: str) -> None:
        while (s := book.next_for(code, stop)) is not None:
            got[code].append(s.seq)

    threads = [threading.Thread(target=desk, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(itertools.chain(*got.values())) == list(range(30))  # exactly the first 30, each once
    assert all(seqs == sorted(seqs) for seqs in got.values())


def test_a_desk_cannot_run_ahead_of_the_window() -> None:
    codes = ["A", "B"]
    stream = (_script(n, "A" if n else "B") for n in itertools.count())  # 0 for B, then A only
    book = ScriptBook(stream, codes, window=3, limit=None)
    stop = threading.Event()
    assert [book.next_for("A", stop).seq for _ in range(2)] == [1, 2]  # type: ignore[union-attr]
    late = []
    t = threading.Thread(target=lambda: late.append(book.next_for("A", stop)))
    t.start()
    t.join(timeout=0.5)
    assert t.is_alive()  # script 3 waits for B to start script 0
    assert book.next_for("B", stop).seq == 0  # type: ignore[union-attr]
    t.join(timeout=5)
    assert late[0].seq == 3
    stop.set()
    assert book.next_for("B", stop) is None


# -- the ledger


def receipt(setl_id: str, medfee: str, fund: str, acct: str, cash: str, items: tuple[str, ...] = ("F1",),
            reverses: str = "", mdtrt_id: str = "M1", psn_no: str = "A") -> Receipt:  # fmt: skip
    from yibao.simulators.his.receipt import ReceiptItem
    from yibao.v1.settlement_pb2 import FeeSplit

    psn = Decimal(acct) + Decimal(cash)
    info = SetlInfo(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=psn_no, medfee_sumamt=medfee, inscp_scp_amt=medfee,
                    fund_pay_sumamt=fund, psn_part_amt=f"{psn:.2f}", acct_pay=acct, psn_cash_pay=cash)  # fmt: skip
    rows = (FundRow.of(SetlDetail(fund_pay_type="310100", fund_payamt=fund)),) if Decimal(fund) else ()
    its = tuple(ReceiptItem.of("A01", "甲", Decimal(1), Decimal(medfee), Decimal(medfee),
                               FeeSplit(feedetl_sn=sn, inscp_scp_amt=medfee)) for sn in items)  # fmt: skip
    return Receipt(fixmedins_code="H", fixmedins_name="H", ipt_otp_no="", chrg_bchno="", insuplc_admdvs="",
                   diag_code="", diag_name="", billed_sumamt=Decimal(medfee), items=its, setldetail=rows, warn_msg="",
                   reverses=reverses, **Receipt.setlinfo_fields(info))  # type: ignore[arg-type]  # fmt: skip


def test_ledger_of_a_clean_run_holds_every_invariant() -> None:
    ledger = Ledger()
    s1 = receipt("S1", "100.00", "70.00", "20.00", "10.00")
    ledger.add([s1, receipt("S2", "-100.00", "-70.00", "-20.00", "-10.00", (), reverses="S1")])
    ledger.add([receipt("S3", "100.00", "70.00", "30.00", "0.00")])  # the item settled again after the refund
    checks = ledger.checks()
    assert all(c.ok for c in checks), checks
    assert "by fund: 310100 70.00" in checks[-1].detail


def test_ledger_catches_double_payment_and_unbalanced_or_unmirrored_receipts() -> None:
    ledger = Ledger()
    s1 = receipt("S1", "100.00", "70.00", "20.00", "10.00")
    ledger.add([s1, receipt("S3", "50.00", "30.00", "20.00", "0.00", psn_no="C")])  # F1 of M1 while S1 is in force
    ledger.add([receipt("S4", "-100.00", "-70.00", "-25.00", "-5.00", (), reverses="S1")])  # wrong split back
    ledger.add([receipt("S1", "100.00", "70.00", "20.00", "10.00", ("F2",), mdtrt_id="M2", psn_no="B")])  # again
    ledger.add([receipt("S5", "-1.00", "0.00", "0.00", "-1.00", (), reverses="S9", psn_no="D")])  # cancels nothing
    broken = replace(receipt("S6", "10.00", "5.00", "5.00", "0.00", ("F6",), psn_no="E"), psn_cash_pay=Decimal(1))
    ledger.add([broken])
    failed = {c.name: c.detail for c in ledger.checks() if not c.ok}
    assert "repeated S1" in failed["nothing paid twice: distinct setl_ids"]
    paid = failed["nothing paid twice: each item settled once"]
    assert "item F1 of M1 settled by S1 and S3" in paid and "S5 cancels S9" in paid
    assert "S6: psn_part_amt 5.00 ≠ acct_pay 5.00 + psn_cash_pay 1" in failed["each settlement's identities hold"]
    assert "cancellation acct_pay -25.00 ≠ −20.00" in failed["cancellations give back what was paid"]
    assert "Σ person" in failed["fund totals add up across all receipts"]


def test_cancelling_an_earlier_settlement_must_give_its_bill_back_not_its_money() -> None:
    """隔笔退费: S1 is refunded after S2, so the fund may take back from S1's refund what S2 now bears."""
    s1 = receipt("S1", "100.00", "0.00", "0.00", "100.00", ("F1",))  # S1 bore the deductible
    s2 = receipt("S2", "100.00", "70.00", "0.00", "30.00", ("F2",))
    r1 = receipt("R1", "-100.00", "70.00", "0.00", "-170.00", (), reverses="S1")  # S2 now bears it: fund takes back
    ledger = Ledger()
    ledger.add([s1, s2, r1])
    assert all(c.ok for c in ledger.checks()), ledger.checks()
    assert "0 cancellations of the latest settlement mirror it, 1 of an earlier one" in ledger.checks()[3].detail
    wrong_bill = replace(r1, setl_id="R2", fulamt_ownpay_amt=Decimal("-1.00"), inscp_scp_amt=Decimal("-99.00"))
    ledger = Ledger()
    ledger.add([s1, s2, wrong_bill])
    assert "cancellation inscp_scp_amt -99.00 ≠ −100.00" in ledger.checks()[3].detail


def test_accumulations_must_grow_by_what_the_settlement_paid_from_each_fund() -> None:
    from collections import Counter

    from yibao.simulators.his.records_visit import accumulation_growth

    paid = receipt("S9", "100.00", "70.00", "20.00", "10.00")  # 70.00 from 310100
    before = Counter({"310100": Decimal("130.00"), "330100": Decimal("0.00")})
    assert accumulation_growth(before, Counter({"310100": Decimal("200.00"), "330100": Decimal("0.00")}), paid) == []
    short = accumulation_growth(before, Counter({"310100": Decimal("199.99"), "330100": Decimal("0.00")}), paid)
    assert short == ["5206 310100 grew by 69.99, the settlement S9 paid 70.00"]
    # a fund 5206 does not count (no cap or deductible of the person's rules) is not held against it
    assert accumulation_growth(Counter(), Counter(), paid) == []
