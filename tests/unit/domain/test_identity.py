"""Identity check (src/yibao/domain/identity.py) and the shape of a Refusal (src/yibao/errors.py)."""

from datetime import date
from typing import Any

import pytest

from yibao.domain.identity import age_on, check_certificate, identify
from yibao.domain.world import World
from yibao.errors import Category, Refusal
from yibao.world.loader import parse_world

ZHANG = "11000000000000000101"
LI = "11000000000000000102"


def world_dict() -> dict[str, Any]:
    return {
        "catalogues": {"c": []},
        "regions": [{"admdvs": "110000", "name": "北京市", "catalogue": "c", "benefits": []}],
        "institutions": [],
        "persons": [
            {
                "psn_no": ZHANG, "psn_name": "张三", "gend": "1", "brdy": "1980-05-20",
                "psn_cert_type": "01", "certno": "110101198005200011", "ec_token": "EC-ZHANG",
                "card": {"card_no": "CARD-ZHANG", "card_sn": "SN-ZHANG"},
                "insurances": [{"insutype": "310", "psn_type": "1101", "insuplc_admdvs": "110000"}],
            },
            {
                "psn_no": LI, "psn_name": "李四", "gend": "2", "brdy": "2016-06-20",
                "psn_cert_type": "01", "certno": "110108201606200022", "ec_token": "EC-LI",
                "insurances": [{"insutype": "390", "psn_type": "1403", "insuplc_admdvs": "110000"}],
            },
        ],
    }  # fmt: skip


@pytest.fixture
def world() -> World:
    return parse_world(world_dict())


def refusal(world: World, *args: str, **kwargs: str) -> Refusal:
    with pytest.raises(Refusal) as info:
        identify(world, *args, **kwargs)
    return info.value


# -- the three certificate types


def test_electronic_voucher_token(world: World) -> None:
    assert identify(world, "01", "EC-ZHANG").psn_no == ZHANG


def test_identity_card_number(world: World) -> None:
    assert identify(world, "02", "110101198005200011").psn_no == ZHANG


def test_social_security_card_with_card_sn(world: World) -> None:
    assert identify(world, "03", "CARD-ZHANG", card_sn="SN-ZHANG").psn_no == ZHANG


def test_second_person_is_found_by_their_own_token(world: World) -> None:
    assert identify(world, "01", "EC-LI").psn_no == LI


def test_all_optional_fields_agreeing(world: World) -> None:
    person = identify(
        world, "02", "110108201606200022", psn_cert_type="01", certno="110108201606200022", psn_name="李四"
    )
    assert person.psn_no == LI


# -- refusals


def test_unknown_certificate(world: World) -> None:
    r = refusal(world, "01", "EC-NOBODY")
    assert r.code == "PSN_CERT_UNKNOWN"
    assert r.category == Category.BUSINESS
    assert r.field == "input.data.mdtrt_cert_no"
    assert "EC-NOBODY" in r.err_msg


def test_certificate_number_is_indexed_per_type(world: World) -> None:
    # the e-voucher token sent as an identity card number is not a known 02 certificate
    assert refusal(world, "02", "EC-ZHANG").code == "PSN_CERT_UNKNOWN"


def test_card_sn_missing(world: World) -> None:
    r = refusal(world, "03", "CARD-ZHANG")
    assert r.code == "ENV_REQUIRED"
    assert r.category == Category.ENVELOPE
    assert r.field == "input.data.card_sn"


def test_card_sn_wrong(world: World) -> None:
    r = refusal(world, "03", "CARD-ZHANG", card_sn="SN-OTHER")
    assert r.code == "PSN_CERT_MISMATCH"
    assert r.field == "input.data.card_sn"


def test_psn_name_mismatch(world: World) -> None:
    r = refusal(world, "01", "EC-ZHANG", psn_name="李四")
    assert r.code == "PSN_CERT_MISMATCH"
    assert r.field == "input.data.psn_name"


def test_certno_mismatch(world: World) -> None:
    # Zhang's e-voucher, Li's identity card number
    r = refusal(world, "01", "EC-ZHANG", certno="110108201606200022")
    assert r.code == "PSN_CERT_MISMATCH"
    assert r.field == "input.data.certno"


def test_psn_cert_type_mismatch(world: World) -> None:
    r = refusal(world, "01", "EC-ZHANG", psn_cert_type="06")
    assert r.code == "PSN_CERT_MISMATCH"
    assert r.field == "input.data.psn_cert_type"


@pytest.mark.parametrize("cert_type", ["09", "1", "04"])
def test_invalid_certificate_type(world: World, cert_type: str) -> None:
    r = refusal(world, cert_type, "EC-ZHANG")
    assert r.code == "ENV_CODE"
    assert r.field == "input.data.mdtrt_cert_type"
    assert cert_type in r.err_msg


def test_empty_certificate_type_is_named_as_empty(world: World) -> None:
    r = refusal(world, "", "EC-ZHANG")
    assert r.code == "ENV_CODE"
    assert "(空)" in r.err_msg


def test_empty_certificate_number(world: World) -> None:
    r = refusal(world, "02", "")
    assert r.code == "ENV_REQUIRED"
    assert r.field == "input.data.mdtrt_cert_no"


# -- check_certificate (2201, 2206, 2207)


def test_certificate_still_belongs_to_the_person(world: World) -> None:
    zhang = world.persons[ZHANG]
    for cert_type, number in (("01", "EC-ZHANG"), ("02", "110101198005200011"), ("03", "CARD-ZHANG")):
        check_certificate(world, zhang, cert_type, number, "input.data")  # no refusal


@pytest.mark.parametrize(("cert_type", "number"), [("01", "EC-LI"), ("01", "EC-NOBODY"), ("02", "EC-ZHANG")])
def test_certificate_of_someone_else(world: World, cert_type: str, number: str) -> None:
    with pytest.raises(Refusal) as info:
        check_certificate(world, world.persons[ZHANG], cert_type, number, "input.mdtrtinfo")
    assert info.value.code == "PSN_CERT_MISMATCH"
    assert info.value.field == "input.mdtrtinfo.mdtrt_cert_no"


# -- age_on: years with one truncated decimal


@pytest.mark.parametrize(
    ("brdy", "today", "expected"),
    [
        (date(1980, 5, 20), date(2025, 5, 20), "45.0"),  # the 45th birthday
        (date(1980, 5, 20), date(2025, 5, 19), "44.9"),  # 364 days after the 44th: 364×10//366 = 9
        (date(1980, 5, 20), date(2025, 11, 20), "45.5"),  # 184 days: 1840//366 = 5
        (date(1980, 1, 1), date(2025, 7, 2), "45.4"),  # 182 days: 1820//366 = 4 (truncated, not 45.5)
        (date(2016, 6, 20), date(2016, 6, 20), "0.0"),  # day of birth
        (date(2000, 2, 29), date(2025, 2, 28), "24.9"),  # leap-day birthday, non-leap year: not yet 25
        (date(2000, 2, 29), date(2025, 3, 1), "25.0"),  # counted from 1 March in a non-leap year
    ],
)
def test_age_on(brdy: date, today: date, expected: str) -> None:
    assert age_on(brdy, today) == expected


# BUG: a person born on 29 February, on 29 February of a leap year, is given "24.-1":
# years = 24 but the "last birthday" is taken as 1 March 2024, one day in the future, so
# tenths = (-1 day × 10) // 366 = -1. The age on that day is exactly 24.0.
def test_age_on_leap_day_birthday_in_a_leap_year() -> None:
    assert age_on(date(2000, 2, 29), date(2024, 2, 29)) == "24.0"


# -- Refusal (src/yibao/errors.py)


def test_refusal_carries_code_category_field_and_message() -> None:
    r = Refusal("ENV_REQUIRED", "input.data.card_sn")
    assert r.code == "ENV_REQUIRED"
    assert r.category == Category.ENVELOPE
    assert r.field == "input.data.card_sn"
    assert r.message_zh == "input.data.card_sn 必须填写"
    assert r.message_en == "input.data.card_sn is required"
    assert r.err_msg == "[ENV_REQUIRED] input.data.card_sn 必须填写（字段 input.data.card_sn）"
    assert str(r) == r.message_en


def test_refusal_without_field_has_no_field_suffix() -> None:
    r = Refusal("PSN_NOT_FOUND", psn_no="X1")
    assert r.field == ""
    assert r.err_msg == "[PSN_NOT_FOUND] 人员编号 X1 不存在"


def test_refusal_parameters_fill_the_template() -> None:
    r = Refusal("PSN_CERT_UNKNOWN", "input.data.mdtrt_cert_no", cert_type="02", value="110101")
    assert r.category == Category.BUSINESS
    assert r.message_en == "no person holds certificate type 02 number 110101"


def test_unknown_refusal_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        Refusal("NO_SUCH_CODE")
