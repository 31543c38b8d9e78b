"""Emergency treatment without a filing [003 art. 8; 000 7]: the hospital's emergency flag counts as an
emergency filing when the case fits the reference list of critical and emergency diseases (《基本医疗保险急危重病
异地就医结算参考病种及关键标准》). The list is not in the seeds, so each insured place may declare the diseases
it recognises (cross_region.emergency_diseases, ICD-10 code prefixes); a place that declares none takes the
flag alone, as before."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yibao.errors import Refusal

ER_FLAGS = ("0", "1", "2", "3")  # 非急诊, 急诊, 术前门诊检查, 择期手术 (docs/code-lists.md)
EMERGENCY_ITEM = "1"


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


def er_flag_of(exp_content: str, field: str) -> str:
    """The `er_flag` a fee item's `exp_content` carries (a JSON object, e.g. {"er_flag": "1"}), or "". Other
    text in exp_content is free text and ignored; an er_flag outside the code list is refused."""
    try:
        content = json.loads(exp_content) if exp_content.strip().startswith("{") else None
    except json.JSONDecodeError:
        return ""
    if not isinstance(content, dict) or "er_flag" not in content:
        return ""
    flag = str(content["er_flag"])
    if flag not in ER_FLAGS:
        raise Refusal("ENV_CODE", f"{field}.er_flag", value=flag, allowed="/".join(ER_FLAGS))
    return flag


def flagged_by_items(er_flags: Iterable[str]) -> bool:
    """A stay whose items include emergency treatment (er_flag 1) carries the emergency flag [003 art. 8]."""
    return EMERGENCY_ITEM in er_flags
