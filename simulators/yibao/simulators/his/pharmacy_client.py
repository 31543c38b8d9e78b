"""A retail pharmacy's till (定点零售药店): sign-in, 1101 and 5203 as any institution, plus the
pharmacy transactions 2101 pre-settle, 2102 settle (items and settlement in one message), 2103 cancel."""

from __future__ import annotations

from typing import Any

import grpc

from yibao import platform_clock
from yibao.domain.world import Institution
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.envelope import Clock
from yibao.v1 import pharmacy_pb2 as rpb
from yibao.v1 import settlement_pb2 as stl


class PharmacyClient(HisClient):
    """The pharmacy's cashier workstation; one per thread, like HisClient."""

    def __init__(
        self,
        channel: grpc.Channel,
        institution: Institution,
        *,
        opter: str = "YD001",
        opter_name: str = "药店收银员",
        clock: Clock = platform_clock.now,
        **kw: Any,
    ) -> None:
        super().__init__(channel, institution, opter=opter, opter_name=opter_name, clock=clock, **kw)

    def pre_settle_sale(self, druginfo: rpb.DrugInfo, drugdetail: list[rpb.DrugDetail]) -> stl.SettleReply:
        return self._sale("2101", druginfo, drugdetail)

    def settle_sale(self, druginfo: rpb.DrugInfo, drugdetail: list[rpb.DrugDetail]) -> stl.SettleReply:
        return self._sale("2102", druginfo, drugdetail)

    def cancel_sale(self, data: rpb.PharmacyCancelData) -> stl.SettleReply:
        header, inp = self._header("2103", data.psn_no), rpb.PharmacyCancelInput(data=data)
        request = rpb.PharmacyCancelRequest(header=header, input=inp)
        return self._call("2103", request)

    def _sale(self, infno: str, druginfo: rpb.DrugInfo, drugdetail: list[rpb.DrugDetail]) -> stl.SettleReply:
        self._insutype_in_use[druginfo.psn_no] = druginfo.insutype
        header = self._header(infno, druginfo.psn_no, druginfo.insutype)
        inp = rpb.PharmacySettleInput(druginfo=druginfo, drugdetail=drugdetail)
        return self._call(infno, rpb.PharmacySettleRequest(header=header, input=inp))
