"""Exact money (src/yibao/domain/money.py): Decimal yuan, ROUND_HALF_UP to the fen, strict parsing."""

from decimal import Decimal as D

import pytest

from yibao.domain.money import MAX_AMOUNT, fen, parse_decimal, ratio, yuan

# -- fen: the only rounding rule, half-up to 0.01


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.226"), D("0.23")),  # national sample: 4.52 × 0.05 = 0.226 → 0.23
        (D("0.225"), D("0.23")),  # exactly half: half-up gives 0.23 (banker's rounding would give 0.22)
        (D("0.215"), D("0.22")),  # exactly half: half-up 0.22 (half-even would also be 0.22)
        (D("0.224"), D("0.22")),  # below half: down
        (D("50.025"), D("50.03")),  # 100.05 × 0.50 = 50.025 → 50.03, not 50.02
        (D("-0.225"), D("-0.23")),  # half-up rounds away from zero for refunds too
        (D("12"), D("12.00")),  # whole yuan gains two places
    ],
)
def test_fen_rounds_half_up_to_the_fen(value: D, expected: D) -> None:
    result = fen(value)
    assert result == expected
    assert result.as_tuple().exponent == -2  # always exactly two places


# -- parse_decimal


def test_parse_two_places() -> None:
    assert parse_decimal("12.30", 2) == D("12.30")


def test_parse_strips_surrounding_blanks() -> None:
    assert parse_decimal(" 12.30 ", 2) == D("12.30")


def test_parse_rejects_a_third_significant_decimal() -> None:
    # "12.345" for a number(16,2) field would have to be rounded to 12.35 or 12.34: refused, not guessed
    assert parse_decimal("12.345", 2) is None


def test_parse_accepts_trailing_zeros_beyond_places() -> None:
    # "12.300" has three decimals but the third is 0: the value is exactly 12.30
    value = parse_decimal("12.300", 2)
    assert value is not None
    assert value == D("12.30")


def test_parse_places_six_for_prices() -> None:
    # pric is number(16,6): six decimals accepted, a seventh significant one refused
    assert parse_decimal("3.333333", 6) == D("3.333333")
    assert parse_decimal("3.3333333", 6) is None


@pytest.mark.parametrize("text", ["abc", "", "12,30", "1.2.3", "¥12"])
def test_parse_rejects_non_numbers(text: str) -> None:
    assert parse_decimal(text, 2) is None


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_parse_rejects_nan_and_infinity(text: str) -> None:
    assert parse_decimal(text, 2, allow_negative=True) is None


def test_parse_negative_only_when_allowed() -> None:
    assert parse_decimal("-1", 2) is None
    assert parse_decimal("-1", 2, allow_negative=True) == D("-1")
    # a refund amount still obeys the places rule: -12.345 is refused even when negatives are allowed
    assert parse_decimal("-12.345", 2, allow_negative=True) is None


def test_parse_upper_bound_is_number_16_2() -> None:
    # number(16,2): 14 integer digits + 2 decimals; 99999999999999.99 is the largest amount
    assert parse_decimal("99999999999999.99", 2) == MAX_AMOUNT
    assert parse_decimal("100000000000000.00", 2) is None
    assert parse_decimal("-100000000000000.00", 2, allow_negative=True) is None


def test_parse_non_string_is_not_a_decimal() -> None:
    assert parse_decimal(None, 2) is None  # type: ignore[arg-type]


# BUG: Decimal() is more lenient than a national decimal field: it accepts Python's digit
# separators ("1_000" → 1000) and any Unicode digits ("１２.３０" in full-width → 12.30).
# A HIS sending these has made a mistake; the platform should refuse, not read a number into it.
@pytest.mark.parametrize("text", ["1_000", "１２.３０"])
def test_parse_rejects_python_only_and_fullwidth_notation(text: str) -> None:
    assert parse_decimal(text, 2) is None


# -- formatting for the wire


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("12.3"), "12.30"),
        (D("4.525"), "4.53"),  # 4.525 → half-up → 4.53
        (D("100"), "100.00"),
        (D("1E+2"), "100.00"),  # plain notation, never scientific
        (D("-12.345"), "-12.35"),
        (D("0"), "0.00"),
    ],
)
def test_yuan_formats_two_places(value: D, expected: str) -> None:
    assert yuan(value) == expected


# BUG: a negative amount that rounds to zero keeps its sign: yuan(Decimal("-0.004")) is "-0.00", and so is
# the preselfpay of a refunded 甲类 line, fen(-12.00 × 0) = Decimal("-0.00"). A zero amount on the wire
# should read "0.00" whatever the sign of the computation that produced it.
@pytest.mark.parametrize("value", [D("-0.004"), D("-12.00") * D("0")])
def test_yuan_negative_zero_is_plain_zero(value: D) -> None:
    assert yuan(value) == "0.00"


@pytest.mark.parametrize(("value", "expected"), [(D("0.7"), "0.7000"), (D("0.05"), "0.0500"), (D("1"), "1.0000")])
def test_ratio_formats_four_places(value: D, expected: str) -> None:
    assert ratio(value) == expected
