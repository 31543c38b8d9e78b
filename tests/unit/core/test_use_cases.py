"""The settlement core's use cases called directly — no gRPC, no gateway — on an SQLite store in memory (a file on
/dev/shm: Store does not take `sqlite://`, whose pool refuses its pool arguments).

Each call runs as the gateway runs it (gateway/yibao/gateway/dispatch.py): the use case of simulators/core in one write
transaction, with the CallContext of a checked envelope; a refusal rolls the transaction back. The figures are
those of the gRPC tests of the same cases, computed by hand there from tests/test_world.json:

P0001: employee (310, psn_type 1101) insured in 110000: deductible 200.00/year, ratio 0.70, annual cap
1000.00; personal account 500.00. Hospital H11000000001 is in 110000 (catalogue alpha).
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import event

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.simulators.core import fees, settlement, visits
from yibao.simulators.core.values import outpatient as values
from yibao.simulators.core.values import settlement as setl_values
from yibao.storage.store import Store, Tx
from yibao.world.loader import load_world

TEST_WORLD = Path(__file__).parents[2] / "test_world.json"
HOSPITAL = "H11000000001"
NOW = datetime(2026, 3, 15, 10, 0, 0)
In = TypeVar("In")
Out = TypeVar("Out")

# The five item classes of one visit and their split by catalogue alpha (tests/integration/test_outpatient_flow.py):
ITEMS = [
    ("A01", "2", "50.00"),  # 甲: 100.00 all in scope
    ("B02", "1", "80.00"),  # 乙 10%: preselfpay 80.00×0.10 = 8.00, inscp 72.00
    ("C03", "1", "30.00"),  # 丙: fulamt 30.00
    ("S01", "1", "15.00"),  # 甲, cap 10.00: overlmt (15−10)×1 = 5.00, inscp 10.00
    ("CT1", "1", "200.00"),  # 乙 8%, cap 180: overlmt 20.00; preselfpay 180×0.08 = 14.40; inscp 165.60
]


@pytest.fixture(scope="module")
def world() -> World:
    return load_world(TEST_WORLD)


class Core:
    """Calls the core's use cases as the gateway would, each in its own transaction."""

    def __init__(self, world: World, store: Store) -> None:
        self.world, self.store = world, store
        self._msgids = itertools.count(1)
        self._sns = itertools.count(1)

    def ctx(self, infno: str) -> CallContext:
        msgid = f"{HOSPITAL}{NOW:%Y%m%d%H%M%S}{next(self._msgids):04d}"
        return CallContext(infno, msgid, self.world.institutions[HOSPITAL], "110000", NOW)

    def call(self, infno: str, use_case: Callable[[World, Tx, CallContext, In], Out], inp: In) -> Out:
        with self.store.write() as tx:
            return use_case(self.world, tx, self.ctx(infno), inp)

    def register(self, psn: str = "P0001") -> str:
        data = values.RegisterData(
            psn_no=psn, insutype="310", begntime=f"{NOW:%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
            mdtrt_cert_no=f"EC{psn[1:]}", ipt_otp_no=f"MZ{next(self._sns)}", atddr_no="D001", dr_name="张医生",
            dept_code="A03", dept_name="内科", caty="A03",
        )  # fmt: skip
        return self.call("2201", visits.register, values.RegisterInput(data=data)).data.mdtrt_id

    def upload(self, mdtrt_id: str, items: list[tuple[str, str, str]]) -> values.UploadFeeDetailsOutput:
        details = [
            values.FeeDetail(
                feedetl_sn=f"F{next(self._sns):05d}",
                mdtrt_id=mdtrt_id,
                psn_no="P0001",
                chrg_bchno="B1",
                rx_circ_flag="0",
                fee_ocur_time=f"{NOW:%Y-%m-%d %H:%M:%S}",
                med_list_codg=code,
                medins_list_codg=f"H-{code}",
                det_item_fee_sumamt=f"{D(cnt) * D(pric):.2f}",
                cnt=cnt,
                pric=pric,
                bilg_dept_codg="A03",
                bilg_dept_name="内科",
                bilg_dr_codg="D001",
                bilg_dr_name="张医生",
                hosp_appr_flag="0",
            )
            for code, cnt, pric in items
        ]
        return self.call("2204", fees.upload_fees, values.UploadFeeDetailsInput(feedetail=tuple(details)))

    def settle(self, mdtrt_id: str, medfee: str, infno: str = "2207") -> setl_values.SettleOutput:
        data = values.SettleData(
            psn_no="P0001", mdtrt_cert_type="01", mdtrt_cert_no="EC0001", med_type="11", medfee_sumamt=medfee,
            psn_setlway="01", mdtrt_id=mdtrt_id, chrg_bchno="B1", acct_used_flag="1", insutype="310",
        )  # fmt: skip
        use_case = settlement.settle if infno == "2207" else settlement.pre_settle
        return self.call(infno, use_case, values.SettleInput(data=data))

    def cancel(self, setl_id: str, mdtrt_id: str) -> setl_values.SettleOutput:
        data = values.CancelSettlementData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no="P0001")
        return self.call("2208", settlement.cancel_settlement, values.CancelSettlementInput(data=data))

    def account(self, psn: str = "P0001") -> D | None:
        with self.store.read() as tx:
            return tx.account_balance(psn)

    def accumulators(self, psn: str = "P0001") -> dict[str, D]:
        with self.store.read() as tx:
            return tx.accumulators(psn, 2026, ["310:outpatient:dedc", "310:outpatient:fund"])


@pytest.fixture
def core(world: World) -> Iterator[Core]:
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        store = Store(f"sqlite:///{tmp}/core.db")

        @event.listens_for(store.engine, "connect")
        def _fast(dbapi_conn: Any, _record: Any) -> None:  # a test's file needs no fsync
            dbapi_conn.execute("PRAGMA synchronous=OFF")

        store.engine.dispose()
        store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        yield Core(world, store)
        store.close()


def figures(info: setl_values.SetlInfo, *names: str) -> tuple[str, ...]:
    return tuple(getattr(info, n) for n in names)


SPLIT = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt")
MONEY = ("act_pay_dedc", "hifp_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "balc")


def test_register_upload_settle_cancel(core: Core) -> None:
    mdtrt_id = core.register()
    rows = core.upload(mdtrt_id, ITEMS).result
    assert [(r.fulamt_ownpay_amt, r.overlmt_amt, r.preselfpay_amt, r.inscp_scp_amt) for r in rows] == [
        ("0.00", "0.00", "0.00", "100.00"),
        ("0.00", "0.00", "8.00", "72.00"),
        ("30.00", "0.00", "0.00", "0.00"),
        ("0.00", "5.00", "0.00", "10.00"),
        ("0.00", "20.00", "14.40", "165.60"),
    ]

    # tests/integration/test_outpatient_flow.py, test_item_split_and_settlement: medfee 100+80+30+15+200 = 425.00;
    # inscp 100+72+10+165.60 = 347.60; deductible 200.00 (nothing paid yet this year);
    # fund (347.60−200)×0.70 = 103.32; person 425.00−103.32 = 321.68, all from the account (500.00) → 178.32
    pre = core.settle(mdtrt_id, "425.00", infno="2206")
    assert pre.setlinfo.setl_id == ""
    assert core.account() == D("500.00")  # a pre-settlement moves nothing
    done = core.settle(mdtrt_id, "425.00")
    s = done.setlinfo
    for info in (pre.setlinfo, s):
        assert figures(info, *SPLIT) == ("425.00", "30.00", "25.00", "22.40", "347.60")
        assert figures(info, *MONEY) == ("200.00", "103.32", "103.32", "321.68", "321.68", "0.00", "178.32")
        assert info.pool_prop_selfpay == "0.7000"
    (fund,) = done.setldetail
    assert (fund.fund_pay_type, fund.fund_payamt, fund.crt_payb_lmt_amt) == ("310100", "103.32", "1000.00")
    assert core.account() == D("178.32")
    assert core.accumulators() == {"310:outpatient:dedc": D("200.00"), "310:outpatient:fund": D("103.32")}

    # 2208 (as tests/integration/test_settlement_rules.py, test_cancel_restores_account_and_accumulators_exactly):
    # a refund
    # record with every amount negated; the account and the accumulators are as before the settlement.
    rev = core.cancel(s.setl_id, mdtrt_id)
    r = rev.setlinfo
    assert r.setl_id and r.setl_id != s.setl_id
    assert figures(r, *SPLIT) == ("-425.00", "-30.00", "-25.00", "-22.40", "-347.60")
    assert figures(r, *MONEY) == ("-200.00", "-103.32", "-103.32", "-321.68", "-321.68", "0.00", "500.00")
    assert [(d.fund_pay_type, d.fund_payamt) for d in rev.setldetail] == [("310100", "-103.32")]
    assert core.account() == D("500.00")
    assert core.accumulators() == {"310:outpatient:dedc": D("0.00"), "310:outpatient:fund": D("0.00")}

    # The fees are free again: settling them once more gives the first figures.
    again = core.settle(mdtrt_id, "425.00").setlinfo
    assert figures(again, *MONEY) == ("200.00", "103.32", "103.32", "321.68", "321.68", "0.00", "178.32")


def test_second_visit_finds_the_deductible_used_up(core: Core) -> None:
    # tests/integration/test_outpatient_flow.py: after the 425.00 visit, A01 300.00 in scope → fund 300×0.70 = 210.00
    # (cap
    # left 1000−103.32 = 896.68); person 90.00 from the account (178.32) → 88.32
    first = core.register()
    core.upload(first, ITEMS)
    core.settle(first, "425.00")
    second = core.register()
    core.upload(second, [("A01", "1", "300.00")])
    s = core.settle(second, "300.00").setlinfo
    assert figures(s, "act_pay_dedc", "hifp_pay", "acct_pay", "psn_cash_pay", "balc") == (
        "0.00",
        "210.00",
        "90.00",
        "0.00",
        "88.32",
    )


def test_a_refusal_names_its_field_and_changes_nothing(core: Core) -> None:
    mdtrt_id = core.register()
    core.upload(mdtrt_id, ITEMS)
    with pytest.raises(Refusal) as e:
        core.settle(mdtrt_id, "424.99")  # the items add up to 425.00
    assert (e.value.code, e.value.field) == ("SETL_SUMAMT_MISMATCH", "input.data.medfee_sumamt")
    assert core.account() == D("500.00")
    assert core.accumulators() == {"310:outpatient:dedc": D("0.00"), "310:outpatient:fund": D("0.00")}

    with pytest.raises(Refusal) as e:
        core.upload(mdtrt_id, [("A01", "1", "1.00"), ("ZZ9", "1", "1.00")])  # ZZ9 is in no catalogue
    assert (e.value.code, e.value.field) == ("FEE_NOT_IN_CATALOGUE", "input.feedetail[1].med_list_codg")
    # the whole upload was refused: the visit still has its five items only, and settles as before
    assert core.settle(mdtrt_id, "425.00").setlinfo.hifp_pay == "103.32"


def test_cancelling_twice_is_refused(core: Core) -> None:
    mdtrt_id = core.register()
    core.upload(mdtrt_id, [("A01", "1", "300.00")])
    s = core.settle(mdtrt_id, "300.00").setlinfo
    rev = core.cancel(s.setl_id, mdtrt_id).setlinfo
    with pytest.raises(Refusal) as e:
        core.cancel(s.setl_id, mdtrt_id)
    assert (e.value.code, e.value.field) == ("SETL_ALREADY_CANCELLED", "input.data.setl_id")
    assert rev.setl_id in e.value.message_zh
