"""Request envelopes (docs/reference/interface.md §1.1) as a hospital HIS builds them for one institution."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import datetime

from yibao import platform_clock
from yibao.domain.world import Institution
from yibao.v1.envelope_pb2 import RequestHeader

Clock = Callable[[], datetime]

INFVER = "V1.0"
OPTER_TYPE_CLERK = "1"  # 1 经办人, 2 自助终端, 3 移动终端
SEQUENCE_SPAN = 10_000  # msgid ends in a 4-digit sequence
# 离休人员 (insutype 340) are served by LXXT for these person-related transactions (docs/reference/interface.md
# §1.1 #5).
LXXT_INFNOS = frozenset({"2001", "2201", "2206", "2207", "2303", "2304", "2401", "2402", "2501", "2503"})


def recer_sys_code(infno: str, insutype: str = "", ordinary: str = "YBXT") -> str:
    """LXXT for a retired cadre's person-related business, else the code this HIS sends for ordinary business: YBXT,
    or its region's own (a Shenzhen HIS hard-codes PQ; the world file declares it, docs/world-format.md)."""
    return "LXXT" if insutype == "340" and infno in LXXT_INFNOS else ordinary


class MsgidSequence:
    """The 4-digit tail of msgids: a counter wrapping 0000–9999, so up to 10 000 calls within one
    second get distinct msgids (random digits, as some HIS use, collide long before that).

    msgids must be unique per institution, and 4 digits per second leave independent counters no
    room to avoid each other: clients of one institution that run at the same time should share
    one sequence (it is thread-safe).
    """

    def __init__(self, start: int = 0) -> None:
        self._count = itertools.count(start % SEQUENCE_SPAN)
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            return next(self._count) % SEQUENCE_SPAN


class EnvelopeBuilder:
    """Headers for one institution: msgid, operator, local time, and the sign_no once signed in."""

    def __init__(
        self,
        institution: Institution,
        *,
        opter: str = "SF001",
        opter_name: str = "门诊收费员",
        clock: Clock = platform_clock.now,
        sequence: MsgidSequence | None = None,
        recer_sys_code: str = "YBXT",
    ) -> None:
        if len(institution.fixmedins_code) != 12:
            raise ValueError(f"msgid needs a 12-character fixmedins_code, got {institution.fixmedins_code!r}")
        self.institution = institution
        self.opter, self.opter_name, self.clock = opter, opter_name, clock
        self.ordinary_code = recer_sys_code
        self.sign_no = ""  # set from the 9001 reply
        # A run started in the same second as the previous one (same institution) must not reuse its
        # msgids, which the platform would answer by replaying the old replies: start where the clock's
        # sub-second points, so two clients rarely meet (share a MsgidSequence to never meet).
        self.sequence = sequence or MsgidSequence(start=clock().microsecond)

    def msgid(self, now: datetime) -> str:
        """fixmedins_code(12) + yyyyMMddHHmmss(14) + sequence(4) = 30 characters."""
        return f"{self.institution.fixmedins_code}{now:%Y%m%d%H%M%S}{self.sequence.next():04d}"

    def header(self, infno: str, insuplc_admdvs: str = "", insutype: str = "") -> RequestHeader:
        """The envelope of one call. `insuplc_admdvs` is the patient's insured place (from 1101) and
        must be given for every call whose input carries psn_no."""
        now = self.clock()
        inst = self.institution
        return RequestHeader(
            infno=infno,
            msgid=self.msgid(now),
            mdtrtarea_admvs=inst.admdvs,
            insuplc_admdvs=insuplc_admdvs,
            recer_sys_code=recer_sys_code(infno, insutype, self.ordinary_code),
            infver=INFVER,
            opter_type=OPTER_TYPE_CLERK,
            opter=self.opter,
            opter_name=self.opter_name,
            inf_time=f"{now:%Y-%m-%d %H:%M:%S}",
            fixmedins_code=inst.fixmedins_code,
            fixmedins_name=inst.fixmedins_name,
            sign_no="" if infno == "9001" else self.sign_no,
        )
