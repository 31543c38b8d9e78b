"""Emergency treatment without a filing [003 art. 8; 000 7]: the hospital's emergency flag counts as an
emergency filing when the case fits the reference list of critical and emergency diseases (《基本医疗保险急危重病
异地就医结算参考病种及关键标准》). The list is not in the seeds, so each insured place may declare the diseases
it recognises (cross_region.emergency_diseases, ICD-10 code prefixes); a place that declares none takes the
flag alone, as before."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EmergencyDisease:
    code: str  # ICD-10 code or prefix, e.g. I21 (acute myocardial infarction) covers I21.900
    name: str


def _plain(code: str) -> str:
    return code.replace(".", "").replace(" ", "").upper()


def listed_disease(diagnoses: Iterable[str], listed: Sequence[EmergencyDisease]) -> EmergencyDisease | None:
    """The listed disease one of the visit's diagnosis codes falls under (prefix match, dots ignored), if any."""
    codes = [_plain(d) for d in diagnoses if d]
    return next((e for e in listed for c in codes if c.startswith(_plain(e.code))), None)


def recognised_emergency(diagnoses: Iterable[str], listed: Sequence[EmergencyDisease]) -> bool:
    """Whether a flagged emergency counts as an emergency filing: always when the place lists no diseases."""
    return not listed or listed_disease(diagnoses, listed) is not None
