"""The emergency list [003 art. 8]: which diagnoses make a flagged emergency an emergency filing."""

import pytest

from yibao.domain.emergency import EmergencyDisease, listed_disease, recognised_emergency
from yibao.simulators.core.stored_values import visit_diagnoses
from yibao.world.loader import WorldFormatError, parse_world

LIST = (EmergencyDisease("I21", "急性心肌梗死"), EmergencyDisease("S06.5", "创伤性硬膜下出血"))


def test_codes_match_by_prefix_ignoring_dots_and_case() -> None:
    assert listed_disease(["I21.900"], LIST) == LIST[0]
    assert listed_disease(["J18.9", "s06.500"], LIST) == LIST[1]
    assert listed_disease(["S06.0"], LIST) is None  # S06.0 is not under S06.5
    assert recognised_emergency(["I10"], ()) and not recognised_emergency(["I10"], LIST)


def test_a_visits_diagnoses_are_read_from_its_stored_information() -> None:
    blob = b'{"mdtrtinfo": {"dise_codg": "I21.900", "dscg_maindiag_code": ""}, "diseinfo": [{"diag_code": "E11.9"}]}'
    assert visit_diagnoses(blob) == {"I21.900", "E11.9"}
    assert visit_diagnoses(None) == set()


def test_the_world_file_declares_them_per_insured_place() -> None:
    raw = {"catalogues": {"c": []}, "institutions": [], "persons": [], "regions": [
        {"admdvs": "210400", "name": "抚顺市", "catalogue": "c", "benefits": [],
         "cross_region": {"emergency_diseases": [{"code": "I21", "name": "急性心肌梗死"}]}}]}  # fmt: skip
    assert parse_world(raw).regions["210400"].cross_region.emergency_diseases == (LIST[0],)
    raw["regions"][0]["cross_region"]["emergency_diseases"] = [{"code": "21", "name": "x"}]
    with pytest.raises(WorldFormatError, match=r"emergency_diseases\[0\]\.code: '21' must be an ICD-10 code"):
        parse_world(raw)
