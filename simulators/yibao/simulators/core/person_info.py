"""1101 人员信息获取."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.funds import ACCOUNT_INSUTYPES
from yibao.domain.identity import age_on, identify
from yibao.domain.money import ZERO, yuan
from yibao.domain.world import World
from yibao.simulators.core.values import person as v
from yibao.storage.store import Tx


def query_psn_info(world: World, tx: Tx, ctx: CallContext, inp: v.QueryPsnInfoInput) -> v.QueryPsnInfoOutput:
    d = inp.data
    person = identify(world, d.mdtrt_cert_type, d.mdtrt_cert_no, d.card_sn, d.psn_cert_type, d.certno, d.psn_name)
    balance = tx.account_balance(person.psn_no) or ZERO
    return v.QueryPsnInfoOutput(
        baseinfo=v.BaseInfo(
            psn_no=person.psn_no,
            psn_cert_type=person.psn_cert_type,
            certno=person.certno,
            psn_name=person.psn_name,
            gend=person.gend,
            naty=person.naty,
            brdy=person.brdy.isoformat(),
            age=age_on(person.brdy, ctx.now.date()),
        ),
        insuinfo=tuple(
            v.InsuInfo(
                balc=yuan(balance if ins.insutype in ACCOUNT_INSUTYPES else ZERO),
                insutype=ins.insutype,
                psn_type=ins.psn_type,
                psn_insu_stas=ins.psn_insu_stas,
                psn_insu_date=ins.psn_insu_date,
                paus_insu_date=ins.paus_insu_date,
                cvlserv_flag=ins.cvlserv_flag,
                insuplc_admdvs=ins.insuplc_admdvs,
                emp_name=ins.emp_name,
            )
            for ins in person.insurances
        ),
        idetinfo=tuple(
            v.IdetInfo(
                psn_idet_type=idet.psn_idet_type,
                psn_type_lv=idet.psn_type_lv,
                memo=idet.memo,
                begntime=idet.begntime,
                endtime=idet.endtime,
            )
            for idet in person.idetinfo
        ),
    )
