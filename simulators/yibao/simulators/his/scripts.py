"""Visit scripts: everything a simulated visit will do, decided before it runs.

A script names the institution, the patient, the certificate shown, the diagnosis and every billed
line (code, count, price), so the flows draw nothing themselves and a seed's scripts serialise to the
same bytes every time. What differs between runs is only what the platform issues (mdtrt_id, setl_id,
sign_no) and the clock in envelopes and event times.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from yibao.simulators.his.bill import fen

# Visit kinds: which flow runs the script (simulators/yibao/simulators/his/flows.py).
OUTPATIENT, INPATIENT, EMERGENCY, CHRONIC, CANCEL, REFUND, PHARMACY = (
    "outpatient",
    "inpatient",
    "emergency",
    "chronic",
    "cancel",
    "refund",
    "pharmacy",
)
# issue 20's queries, 2601/Y2208, filings 2501–2506, catalogue files 13xx with 9101/9102
QUERY, REVERSAL, FILING, CATALOGUE = "query", "reversal", "filing", "catalogue"
# manual reimbursement Y2801–Y2803 (claim_round.py), family accounts Y2901–Y2904 (family_round.py)
CLAIM, FAMILY = "claim", "family"
KINDS = (OUTPATIENT, INPATIENT, EMERGENCY, CHRONIC, CANCEL, REFUND, PHARMACY, QUERY, REVERSAL, FILING, CATALOGUE,
         CLAIM, FAMILY)  # fmt: skip
PHARMACY_KINDS = frozenset({PHARMACY})  # run by retail pharmacies; every other kind by hospitals


@dataclass(frozen=True, slots=True)
class Line:
    """One billed line. Amounts are decimal strings, as on the wire."""

    med_list_codg: str
    cnt: str
    pric: str
    hosp_appr_flag: str = "0"

    @property
    def total(self) -> Decimal:
        return fen(Decimal(self.cnt) * Decimal(self.pric))


@dataclass(frozen=True, slots=True)
class Batch:
    """Lines billed together: an outpatient charge batch (chrg_bchno), a day of a stay, a pharmacy sale."""

    lines: tuple[Line, ...]
    dise_codg: str = ""  # a chronic disease's batch carries its national code

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class VisitScript:
    seq: int  # position in the run's script stream
    kind: str
    fixmedins_code: str
    psn_no: str
    insutype: str
    mdtrt_cert_type: str  # the certificate the patient shows: 01 e-voucher, 02 ID card, 03 social security card
    diag_code: str
    diag_name: str
    complaint: str
    doctor: int  # index into the desk's doctors
    use_account: bool  # acct_used_flag
    batches: tuple[Batch, ...]
    flags: tuple[str, ...] = ()  # variants of the flow, e.g. "mid" (中途结算), "file" (备案), "all" (refund all)
    dise_name: str = ""  # chronic visits: the disease filed and settled (dise_codg is on its batch)
    days: int = 0  # stays: days between admission and discharge

    def has(self, flag: str) -> bool:
        return flag in self.flags


def to_json(scripts: Iterable[VisitScript]) -> bytes:
    """Canonical bytes: sorted keys, no spaces, UTF-8 — equal scripts give equal bytes."""
    return _canonical([asdict(s) for s in scripts])


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def from_json(data: bytes) -> list[VisitScript]:
    scripts = []
    for raw in json.loads(data):
        batches = tuple(
            Batch(tuple(Line(**line) for line in b["lines"]), b.get("dise_codg", "")) for b in raw.pop("batches")
        )
        scripts.append(VisitScript(batches=batches, flags=tuple(raw.pop("flags", ())), **raw))
    return scripts
