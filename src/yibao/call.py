"""What the core knows about the call it serves, after the gateway has checked the envelope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yibao.domain.world import Institution
from yibao.timetext import datetime_text


@dataclass(frozen=True, slots=True)
class CallContext:
    infno: str
    msgid: str
    institution: Institution
    insuplc_admdvs: str  # as sent in the envelope ("" when absent)
    now: datetime  # platform time of this call

    @property
    def mdtrtarea_admvs(self) -> str:
        return self.institution.admdvs

    @property
    def time_text(self) -> str:
        return datetime_text(self.now)
