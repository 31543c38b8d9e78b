"""The family mutual-aid account at run time (Y2901–Y2904) [004]; every figure by hand from tests/test_world.json,
its declared family removed: P0009 (310 Beijing, personal account 5000.00; floor 2000.00 → 3000.00 may move),
P0013 (310 Beijing, own account 30.00), P0010 (390 Beijing resident, no account), P0004 (310 Shenzhen),
P0001 (310 Beijing, 500.00). Beijing general outpatient: 310 deductible 200.00, 0.70; 390 0.50."""

from __future__ import annotations

import dataclasses

import pytest
from lab import D, Item, LabRefused

from yibao.domain.world import World
from yibao.v1 import family_account_pb2 as fa
from yibao.world.loader import load_world


@pytest.fixture
def world() -> World:
    from conftest import TEST_WORLD

    return dataclasses.replace(load_world(TEST_WORLD), family_holder={})


def set_up(lab, amount: str = "2500.00", members=(("P0013", "2"), ("P0010", "1")), holder="P0009", **over):  # type: ignore[no-untyped-def]
    data = fa.FamilySetUpData(psn_no=holder, agre_flag="1", trns_amt=amount)
    member = [fa.FamilyMember(psn_no=p, rlts=r) for p, r in members]
    return lab.call("Y2901", fa.FamilySetUpInput(data=data, member=member), psn=holder, **over).output


def query(lab, psn: str):  # type: ignore[no-untyped-def]
    return lab.call("Y2904", fa.FamilyQueryInput(data=fa.FamilyQueryData(psn_no=psn)), psn=psn).output


def change(lab, fam: str, add=(), remove=(), amount: str = ""):  # type: ignore[no-untyped-def]
    data = fa.FamilyChangeData(fam_acct_id=fam, psn_no="P0009", agre_flag="1", trns_amt=amount)
    inp = fa.FamilyChangeInput(data=data, add=[fa.FamilyMember(psn_no=p, rlts=r) for p, r in add],
                               remove=[fa.FamilyMember(psn_no=p) for p in remove])  # fmt: skip
    return lab.call("Y2902", inp, psn="P0009").output


def cancel(lab, fam: str):  # type: ignore[no-untyped-def]
    data = fa.FamilyCancelData(fam_acct_id=fam, psn_no="P0009", agre_flag="1")
    return lab.call("Y2903", fa.FamilyCancelInput(data=data), psn="P0009").output


def refused(call) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call()
    return e.value.code, e.value.field


def test_set_up_moves_the_amount_and_records_it(lab, served) -> None:
    out = set_up(lab)
    i = out.acctinfo
    # 5000.00 − 2500.00 = 2500.00 stays with the holder; the family account holds 2500.00
    assert (i.holder_psn_no, i.fam_acct_stas, i.fam_acct_balc, i.acct_balc) == ("P0009", "1", "2500.00", "2500.00")
    assert [(m.psn_no, m.rlts) for m in out.member] == [("P0009", "0"), ("P0010", "1"), ("P0013", "2")]
    assert [(t.trns_type, t.trns_amt, t.infno) for t in out.trns] == [("1", "2500.00", "Y2901")]
    with served.store.read() as tx:
        assert (tx.account_balance("P0009"), tx.account_balance(i.fam_acct_id)) == (D("2500.00"), D("2500.00"))
    q = query(lab, "P0013")  # a member finds the account and its ledger
    assert (q.acctinfo.fam_acct_id, [t.trns_id for t in q.trns]) == (i.fam_acct_id, [out.trns[0].trns_id])


def test_only_the_part_above_the_floor_moves(lab) -> None:
    # 5000.00 − 2000.00 = 3000.00 at most
    assert refused(lambda: set_up(lab, "3000.01")) == ("FAMILY_AMOUNT", "input.data.trns_amt")
    assert set_up(lab, "3000.00").acctinfo.acct_balc == "2000.00"


def test_the_own_account_pays_before_the_family_account(lab, served) -> None:
    fam = set_up(lab).acctinfo.fam_acct_id
    s = lab.visit_and_settle("P0013", [Item("A01", "1", "300.00")]).output.setlinfo
    # deductible 200.00; fund 100.00 × 0.70 = 70.00; person 230.00: own 30.00 first, then the family 200.00
    assert (s.hifp_pay, s.acct_pay, s.acct_mulaid_pay, s.psn_cash_pay, s.balc) == (
        "70.00", "230.00", "200.00", "0.00", "0.00")  # fmt: skip
    r = lab.visit_and_settle("P0010", [Item("A01", "1", "100.00")]).output.setlinfo
    assert (r.hifp_pay, r.acct_mulaid_pay, r.psn_cash_pay) == ("50.00", "50.00", "0.00")  # 100.00 × 0.50
    with served.store.read() as tx:  # the family account pays, not the holder's: 2500.00 − 200.00 − 50.00
        assert (tx.account_balance(fam), tx.account_balance("P0009")) == (D("2250.00"), D("2500.00"))
    lab.cancel_settlement(s.setl_id, s.mdtrt_id, psn="P0013")  # the family part goes back to the family
    with served.store.read() as tx:
        assert (tx.account_balance(fam), tx.account_balance("P0013")) == (D("2450.00"), D("30.00"))


def test_cancel_returns_the_rest_to_the_holder(lab, served) -> None:
    fam = set_up(lab).acctinfo.fam_acct_id
    lab.visit_and_settle("P0010", [Item("A01", "1", "100.00")])  # the family pays 50.00
    out = cancel(lab, fam)
    # 2500.00 − 50.00 = 2450.00 back: the holder has 2500.00 + 2450.00 = 4950.00
    assert (out.acctinfo.fam_acct_stas, out.acctinfo.fam_acct_balc, out.acctinfo.acct_balc) == ("0", "0.00", "4950.00")
    assert [(t.trns_type, t.trns_amt, t.infno) for t in out.trns] == [("2", "2450.00", "Y2903")]
    r = lab.visit_and_settle("P0010", [Item("A01", "1", "100.00")]).output.setlinfo
    assert (r.acct_mulaid_pay, r.psn_cash_pay) == ("0.00", "50.00")  # no family any more
    assert refused(lambda: query(lab, "P0010")) == ("FAMILY_NOT_FOUND", "input.data.psn_no")
    assert set_up(lab, "100.00", members=(("P0010", "1"),)).acctinfo.acct_balc == "4850.00"  # free to join again


def test_change_adds_removes_and_moves_more(lab) -> None:
    fam = set_up(lab, "1000.00", members=(("P0013", "2"),)).acctinfo.fam_acct_id
    out = change(lab, fam, add=[("P0010", "1")], amount="500.00")
    # 5000.00 − 1000.00 − 500.00 = 3500.00; family 1500.00
    assert (out.acctinfo.fam_acct_balc, out.acctinfo.acct_balc) == ("1500.00", "3500.00")
    assert [m.psn_no for m in out.member] == ["P0009", "P0010", "P0013"]
    out = change(lab, fam, remove=["P0013"])
    assert ([m.psn_no for m in out.member], list(out.trns)) == (["P0009", "P0010"], [])
    assert refused(lambda: query(lab, "P0013")) == ("FAMILY_NOT_FOUND", "input.data.psn_no")
    assert [t.trns_amt for t in query(lab, "P0009").trns] == ["1000.00", "500.00"]
    # 3500.00 − 2000.00 = 1500.00 may still move
    assert refused(lambda: change(lab, fam, amount="1500.01")) == ("FAMILY_AMOUNT", "input.data.trns_amt")
    assert refused(lambda: change(lab, fam, remove=["P0010"])) == ("FAMILY_MEMBER_RULE", "input.remove")
    assert refused(lambda: change(lab, fam, remove=["P0009"])) == ("FAMILY_MEMBER_RULE", "input.remove[0].psn_no")


def test_one_account_per_family(lab) -> None:
    set_up(lab, "100.00", members=(("P0013", "2"),))
    # P0001 (310 Beijing) cannot take P0013 into a second family, nor can P0009 hold a second account
    assert refused(lambda: set_up(lab, "100.00", members=(("P0013", "1"),), holder="P0001")) == (
        "FAMILY_ALREADY", "input.member[0].psn_no")  # fmt: skip
    assert refused(lambda: set_up(lab, "100.00", members=(("P0010", "1"),))) == ("FAMILY_ALREADY", "input.data.psn_no")


def test_members_must_be_insured_in_the_holders_province(lab) -> None:
    code = refused(lambda: set_up(lab, members=(("P0004", "4"),)))  # P0004 is insured in Shenzhen (44)
    assert code == ("FAMILY_MEMBER_PROVINCE", "input.member[0].psn_no")


def test_holder_consent_employee_insurance_and_codes(lab) -> None:
    assert refused(lambda: set_up(lab, holder="P0010", members=(("P0013", "1"),))) == (
        "FAMILY_HOLDER", "input.data.psn_no")  # fmt: skip
    data = fa.FamilySetUpData(psn_no="P0009", agre_flag="0", trns_amt="100.00")
    call = lambda: lab.call("Y2901", fa.FamilySetUpInput(data=data, member=[fa.FamilyMember(psn_no="P0013", rlts="2")]))  # noqa: E731
    assert refused(call) == ("FAMILY_CONSENT", "input.data.agre_flag")
    assert refused(lambda: set_up(lab, members=(("P0013", "9"),))) == ("ENV_CODE", "input.member[0].rlts")
    assert refused(lambda: set_up(lab, members=())) == ("ENV_REQUIRED", "input.member")


def test_a_repeated_message_moves_the_money_once(lab, served) -> None:
    data = fa.FamilySetUpData(psn_no="P0009", agre_flag="1", trns_amt="1000.00")
    request = lab.build("Y2901", fa.FamilySetUpInput(data=data, member=[fa.FamilyMember(psn_no="P0013", rlts="2")]),
                        psn="P0009")  # fmt: skip
    first, again = lab.send(request, "Y2901"), lab.send(request, "Y2901")
    assert again.output == first.output
    assert len(query(lab, "P0009").trns) == 1
    with served.store.read() as tx:
        assert tx.account_balance("P0009") == D("4000.00")


def test_a_refund_after_the_account_is_cancelled_goes_to_the_holder(lab, served) -> None:
    set_up(lab)
    s = lab.visit_and_settle("P0013", [Item("A01", "1", "300.00")]).output.setlinfo  # the family pays 200.00
    fam = query(lab, "P0009").acctinfo.fam_acct_id
    assert cancel(lab, fam).acctinfo.acct_balc == "4800.00"  # 2500.00 + (2500.00 − 200.00)
    lab.cancel_settlement(s.setl_id, s.mdtrt_id, psn="P0013")
    with served.store.read() as tx:  # the 200.00 reaches the holder, nothing is left in the cancelled account
        assert (tx.account_balance("P0009"), tx.account_balance(fam), tx.account_balance("P0013")) == (
            D("5000.00"), D("0.00"), D("30.00"))  # fmt: skip


def test_a_refund_after_the_member_left_goes_back_to_the_family(lab, served) -> None:
    fam = set_up(lab).acctinfo.fam_acct_id
    s = lab.visit_and_settle("P0013", [Item("A01", "1", "300.00")]).output.setlinfo
    change(lab, fam, remove=["P0013"])
    lab.cancel_settlement(s.setl_id, s.mdtrt_id, psn="P0013")
    with served.store.read() as tx:  # 2500.00 − 200.00 + 200.00
        assert (tx.account_balance(fam), tx.account_balance("P0013")) == (D("2500.00"), D("30.00"))


def sent(lab, infno: str, inp):  # type: ignore[no-untyped-def]
    request = lab.build(infno, inp, psn="P0009")
    return request.header.msgid, lab.send(request, infno).output


def test_2601_takes_back_a_set_up_while_nothing_changed_since(lab, served) -> None:
    data = fa.FamilySetUpData(psn_no="P0009", agre_flag="1", trns_amt="1000.00")
    msgid, out = sent(lab, "Y2901", fa.FamilySetUpInput(data=data, member=[fa.FamilyMember(psn_no="P0013", rlts="2")]))
    assert lab.reverse(msgid, "Y2901", psn="P0009").output.result.rev_rslt == "1"
    assert refused(lambda: query(lab, "P0013")) == ("FAMILY_NOT_FOUND", "input.data.psn_no")
    with served.store.read() as tx:
        assert (tx.account_balance("P0009"), tx.account_balance(out.acctinfo.fam_acct_id)) == (D("5000.00"), None)
    assert set_up(lab, "100.00", members=(("P0013", "2"),)).acctinfo.acct_balc == "4900.00"  # free again


def test_2601_of_a_cancel_restores_the_account(lab, served) -> None:
    fam = set_up(lab).acctinfo.fam_acct_id
    data = fa.FamilyCancelData(fam_acct_id=fam, psn_no="P0009", agre_flag="1")
    msgid, _ = sent(lab, "Y2903", fa.FamilyCancelInput(data=data))
    lab.reverse(msgid, "Y2903", psn="P0009")
    q = query(lab, "P0010")
    assert (q.acctinfo.fam_acct_stas, q.acctinfo.fam_acct_balc, q.acctinfo.acct_balc) == ("1", "2500.00", "2500.00")
    assert [t.trns_type for t in q.trns] == ["1"]


def test_2601_is_blocked_once_the_account_paid_for_someone(lab) -> None:
    data = fa.FamilySetUpData(psn_no="P0009", agre_flag="1", trns_amt="1000.00")
    msgid, _ = sent(lab, "Y2901", fa.FamilySetUpInput(data=data, member=[fa.FamilyMember(psn_no="P0010", rlts="1")]))
    lab.visit_and_settle("P0010", [Item("A01", "1", "100.00")])  # the family pays 50.00
    assert refused(lambda: lab.reverse(msgid, "Y2901", psn="P0009"))[0] == "REVERSAL_BLOCKED"



def test_two_concurrent_set_ups_for_one_member_one_wins_the_other_is_refused(lab, served) -> None:
    # two desks send P0009's application for P0013 and P0010 at once (two msgids): one account, 2500.00 moved once
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    start = Barrier(2)

    def attempt(_: int) -> str:
        start.wait()
        try:
            return set_up(lab).acctinfo.fam_acct_id
        except LabRefused as e:
            return f"{e.code} {e.field}"

    lab.sign_in()
    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(attempt, range(2)))
    assert outcomes[0] == "FAMILY_ALREADY input.data.psn_no" and outcomes[1].startswith("JT")
    with served.store.read() as tx:  # 5000.00 − 2500.00, once
        assert (tx.account_balance("P0009"), tx.account_balance(outcomes[1])) == (D("2500.00"), D("2500.00"))


def test_a_set_up_that_lost_the_race_is_refused_as_already_in_a_family(lab, served, monkeypatch) -> None:
    # The race made certain: the loser's check runs as if before the winner committed (it finds nobody), so its
    # insert clashes on P0009's key; the refusal names the holder and the winner's account, and nothing of it stays.
    from yibao.simulators.core import family_accounts as core

    won = set_up(lab, members=(("P0013", "2"),)).acctinfo.fam_acct_id
    monkeypatch.setattr(core, "_not_in_a_family", lambda tx, world, psn_no, path: None)
    with pytest.raises(LabRefused) as e:
        set_up(lab, "500.00", members=(("P0010", "1"),))
    assert (e.value.code, e.value.field) == ("FAMILY_ALREADY", "input.data.psn_no")
    assert won in e.value.detail.header.err_msg
    monkeypatch.undo()
    with served.store.read() as tx:  # 5000.00 − 2500.00 by the winner only
        assert tx.account_balance("P0009") == D("2500.00")
    assert refused(lambda: query(lab, "P0010")) == ("FAMILY_NOT_FOUND", "input.data.psn_no")
