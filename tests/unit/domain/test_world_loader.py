"""World loader (src/yibao/world/loader.py): every problem is a WorldFormatError naming its JSON path."""

import re
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest

from yibao.domain.benefit_policy import ANY
from yibao.world.loader import WorldFormatError, load_world, parse_world

Raw = dict[str, Any]


def minimal() -> Raw:
    return {
        "catalogues": {
            "c": [
                {"med_list_codg": "A1", "name": "甲药", "list_type": "101", "med_chrgitm_type": "09",
                 "chrgitm_lv": "01"},
                {"med_list_codg": "B1", "name": "乙项", "list_type": "201", "med_chrgitm_type": "03",
                 "chrgitm_lv": "02", "selfpay_prop": "0.08", "pric_uplmt_amt": "180.00", "lmt_used_flag": "1"},
            ]
        },
        "regions": [
            {"admdvs": "110000", "name": "北京市", "catalogue": "c", "benefits": [
                {"insutype": "310", "psn_types": ["1201"], "med_types": ["11"], "accum_group": "outpatient",
                 "deductible": "1300.00", "ratio": "0.80", "annual_cap": "20000.00"},
                {"insutype": "310", "med_types": ["11"], "accum_group": "outpatient",
                 "deductible": "1800.00", "ratio": "0.70", "annual_cap": "20000.00"},
            ]},
            {"admdvs": "210400", "name": "抚顺市", "catalogue": "c", "benefits": []},
        ],
        "institutions": [
            {"fixmedins_code": "H11010100001", "fixmedins_name": "医院", "fixmedins_type": "1", "hosp_lv": "3",
             "admdvs": "110000"},
        ],
        "persons": [
            {"psn_no": "P1", "psn_name": "张三", "brdy": "1980-05-20", "certno": "110101198005200011",
             "ec_token": "EC1", "card": {"card_no": "C1", "card_sn": "SN1"}, "account_balance": "100.50",
             "insurances": [{"insutype": "310", "psn_type": "1101", "insuplc_admdvs": "110000"}]},
            {"psn_no": "P2", "psn_name": "李四", "brdy": "1990-01-01", "certno": "110101199001010022",
             "insurances": [{"insutype": "390", "psn_type": "1501", "insuplc_admdvs": "210400"}]},
        ],
    }  # fmt: skip


def test_minimal_world_parses_with_defaults() -> None:
    w = parse_world(minimal())
    assert set(w.regions) == {"110000", "210400"}
    beijing = w.regions["110000"]
    a1, b1 = beijing.catalogue["A1"], beijing.catalogue["B1"]
    assert (a1.selfpay_prop, a1.pric_uplmt_amt, a1.payable, a1.lmt_used_flag) == (D("0"), None, True, "0")
    assert (b1.selfpay_prop, b1.pric_uplmt_amt, b1.lmt_used_flag) == (D("0.08"), D("180.00"), "1")
    retiree, general = beijing.benefits  # order kept: first match wins
    assert retiree.psn_types == ("1201",)
    assert general.psn_types == (ANY,) and general.hosp_lvs == (ANY,)
    assert (general.deductible, general.ratio, general.annual_cap) == (D("1800.00"), D("0.70"), D("20000.00"))
    p1, p2 = w.persons["P1"], w.persons["P2"]
    assert p1.account_balance == D("100.50")
    assert p2.account_balance == D("0")
    assert p2.psn_cert_type == "01"  # default 居民身份证
    assert w.institutions["H11010100001"].enabled is True
    # certificates: P1 has 01/02/03, P2 only 02 → 4 entries
    assert w.certificates == {
        ("01", "EC1"): "P1",
        ("02", "110101198005200011"): "P1",
        ("03", "C1"): "P1",
        ("02", "110101199001010022"): "P2",
    }


def test_demo_world_loads() -> None:
    w = load_world()
    assert len(w.regions) >= 3
    assert w.persons and w.institutions
    for p in w.persons.values():
        for cert_type, number in (("01", p.ec_token), ("02", p.certno), ("03", p.card_no)):
            if number:
                assert w.certificates[(cert_type, number)] == p.psn_no
        for ins in p.insurances:
            assert ins.insuplc_admdvs in w.regions
    for inst in w.institutions.values():
        assert inst.admdvs in w.regions


# -- malformed worlds: each names its JSON path


def _del(path: list[Any]) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        obj = raw
        for key in path[:-1]:
            obj = obj[key]
        del obj[path[-1]]

    return mutate


def _set(path: list[Any], value: Any) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        obj = raw
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value

    return mutate


def _append(path: list[Any], make: Callable[[Raw], Any]) -> Callable[[Raw], None]:
    def mutate(raw: Raw) -> None:
        obj = raw
        for key in path:
            obj = obj[key]
        obj.append(make(raw))

    return mutate


MALFORMED = [
    ("missing top-level key", _del(["persons"]), "persons"),
    ("missing person certno", _del(["persons", 0, "certno"]), "persons[0].certno"),
    ("missing benefit ratio", _del(["regions", 0, "benefits", 1, "ratio"]), "regions[0].benefits[1].ratio"),
    ("admdvs of 5 digits", _set(["regions", 0, "admdvs"], "11000"), "regions[0].admdvs"),
    ("admdvs with a letter", _set(["regions", 1, "admdvs"], "21040A"), "regions[1].admdvs"),
    ("unknown catalogue name", _set(["regions", 1, "catalogue"], "nope"), "regions[1].catalogue"),
    ("chrgitm_lv 04", _set(["catalogues", "c", 1, "chrgitm_lv"], "04"), "catalogues.c[1].chrgitm_lv"),
    ("selfpay_prop 1.2", _set(["catalogues", "c", 1, "selfpay_prop"], "1.2"), "catalogues.c[1].selfpay_prop"),
    ("selfpay_prop 5 places", _set(["catalogues", "c", 1, "selfpay_prop"], "0.12345"), "catalogues.c[1].selfpay_prop"),
    ("ratio 1.5", _set(["regions", 0, "benefits", 0, "ratio"], "1.5"), "regions[0].benefits[0].ratio"),
    (
        "negative deductible",
        _set(["regions", 0, "benefits", 1, "deductible"], "-1.00"),
        "regions[0].benefits[1].deductible",
    ),
    ("empty psn_types", _set(["regions", 0, "benefits", 0, "psn_types"], []), "regions[0].benefits[0].psn_types"),
    (
        "lower-case institution code",
        _set(["institutions", 0, "fixmedins_code"], "h11010100001"),
        "institutions[0].fixmedins_code",
    ),
    ("fixmedins_type 3", _set(["institutions", 0, "fixmedins_type"], "3"), "institutions[0].fixmedins_type"),
    ("institution in unknown region", _set(["institutions", 0, "admdvs"], "999999"), "institutions[0].admdvs"),
    (
        "insured place unknown",
        _set(["persons", 1, "insurances", 0, "insuplc_admdvs"], "999999"),
        "persons[1].insurances[0].insuplc_admdvs",
    ),
    ("no insurance", _set(["persons", 0, "insurances"], []), "persons[0].insurances"),
    ("bad birthday", _set(["persons", 0, "brdy"], "1980-13-01"), "persons[0].brdy"),
    ("account balance 3 places", _set(["persons", 0, "account_balance"], "1.005"), "persons[0].account_balance"),
    ("psn_name not a string", _set(["persons", 0, "psn_name"], 7), "persons[0].psn_name"),
    ("duplicate region", _append(["regions"], lambda raw: dict(raw["regions"][0])), "regions[2].admdvs"),
    ("duplicate psn_no", _set(["persons", 1, "psn_no"], "P1"), "persons[1].psn_no"),
]


@pytest.mark.parametrize(("mutate", "path"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_world_names_the_path(mutate: Callable[[Raw], None], path: str) -> None:
    raw = minimal()
    mutate(raw)
    with pytest.raises(WorldFormatError, match=re.escape(f"lab.json: {path}: ")):
        parse_world(raw, "lab.json")


# BUG: the duplicate-certificate check counts index entries and reports only
# "two persons share a certificate number", without the JSON path of the second holder.
@pytest.mark.parametrize(
    ("field", "path"),
    [("certno", "persons[1].certno"), ("ec_token", "persons[1].ec_token")],
)
def test_duplicate_certificate_names_the_path(field: str, path: str) -> None:
    raw = minimal()
    raw["persons"][1][field] = raw["persons"][0][field]  # P2 gets P1's certno / ec_token
    with pytest.raises(WorldFormatError, match=re.escape(path)):
        parse_world(raw)


# BUG: these malformed shapes escape as AttributeError / TypeError instead of WorldFormatError:
# a benefit rule that is not an object (decimal() calls .get on it before any check), a card that is not an
# object (p.get("card").get), an idetinfo entry with an unknown key (IdetInfo(**entry)).
@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (_set(["regions", 0, "benefits", 0], "oops"), "regions[0].benefits[0]"),
        (_set(["persons", 0, "card"], "C1"), "persons[0].card"),
        (_set(["persons", 0, "idetinfo"], [{"psn_idet_type": "2301", "colour": "red"}]), "persons[0].idetinfo[0]"),
    ],
    ids=["benefit not an object", "card not an object", "idetinfo unknown key"],
)
def test_malformed_shapes_are_world_format_errors(mutate: Callable[[Raw], None], path: str) -> None:
    raw = minimal()
    mutate(raw)
    with pytest.raises(WorldFormatError, match=re.escape(path)):
        parse_world(raw)


# BUG: regions and persons defined twice are refused, but a second institution with the same
# fixmedins_code silently replaces the first, and a catalogue entry listed twice silently replaces the
# earlier one (a lab could believe an item is 甲类 while the loaded world has it as 丙类).
@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (
            _append(["institutions"], lambda raw: dict(raw["institutions"][0], fixmedins_name="另一家")),
            "institutions[1].fixmedins_code",
        ),
        (
            _append(["catalogues", "c"], lambda raw: dict(raw["catalogues"]["c"][0], chrgitm_lv="03")),
            "catalogues.c[2].med_list_codg",
        ),
    ],
    ids=["duplicate fixmedins_code", "duplicate med_list_codg"],
)
def test_duplicates_are_refused(mutate: Callable[[Raw], None], path: str) -> None:
    raw = minimal()
    mutate(raw)
    with pytest.raises(WorldFormatError, match=re.escape(path)):
        parse_world(raw)
