"""Family mutual-aid accounts in the world file [004]: one account per family, the holder an employee,
members insured in the holder's province (docs/world-format.md, `families`)."""

from typing import Any

import pytest

from yibao.world.loader import WorldFormatError, parse_world


def _person(psn_no: str, insutype: str, admdvs: str) -> dict[str, Any]:
    return {"psn_no": psn_no, "psn_name": psn_no, "brdy": "1980-01-01", "certno": f"C{psn_no}",
            "insurances": [{"insutype": insutype, "psn_type": "1101" if insutype == "310" else "1501",
                            "insuplc_admdvs": admdvs}]}  # fmt: skip


def world(families: list[dict[str, Any]]) -> dict[str, Any]:
    regions = [{"admdvs": a, "name": a, "catalogue": "c", "benefits": []} for a in ("350300", "350100", "110000")]
    persons = [_person("H", "310", "350300"), _person("SPOUSE", "390", "350300"),
               _person("PARENT", "390", "350100"), _person("SIBLING", "390", "110000"),
               _person("H2", "310", "350100")]  # fmt: skip
    return {"catalogues": {"c": []}, "regions": regions, "institutions": [], "persons": persons,
            "families": families}  # fmt: skip


def test_members_insured_anywhere_in_the_holders_province_share_its_account() -> None:
    # Putian (350300) holder; a spouse in Putian and a parent in Fuzhou (350100), same province (35)
    w = parse_world(world([{"holder": "H", "members": ["SPOUSE", "PARENT"]}]))
    assert w.family_holder == {"H": "H", "SPOUSE": "H", "PARENT": "H"}


def test_a_member_insured_in_another_province_is_refused() -> None:
    with pytest.raises(WorldFormatError, match=r"families\[0\]\.members\[1\]: SIBLING is not insured in the holder's"):
        parse_world(world([{"holder": "H", "members": ["SPOUSE", "SIBLING"]}]))


def test_one_account_per_family() -> None:
    # a member of one family cannot be in another, nor can a holder hold a second account
    with pytest.raises(WorldFormatError, match=r"families\[1\]\.members\[0\]: SPOUSE already belongs to a family"):
        parse_world(world([{"holder": "H", "members": ["SPOUSE"]}, {"holder": "H2", "members": ["SPOUSE"]}]))
    with pytest.raises(WorldFormatError, match=r"families\[1\]\.holder: H already belongs to a family"):
        parse_world(world([{"holder": "H", "members": ["SPOUSE"]}, {"holder": "H", "members": ["PARENT"]}]))
    with pytest.raises(WorldFormatError, match=r"families\[0\]\.holder: SPOUSE must be a person with employee"):
        parse_world(world([{"holder": "SPOUSE", "members": ["PARENT"]}]))
