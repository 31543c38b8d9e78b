"""Exact money: Decimal yuan, two places, one rounding rule (ROUND_HALF_UP), never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")  # national amount fields are number(16,2)


def fen(value: Decimal) -> Decimal:
    """Round to the fen. The only rounding rule in the product."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_decimal(text: str, places: int, *, allow_negative: bool = False) -> Decimal | None:
    """Parse a national decimal field (e.g. number(16,2)); None when it is not one.

    At most `places` decimals are accepted as sent: "12.345" for a (16,2) field is an error,
    not silently rounded, because the HIS and the platform would then disagree by a fen.
    """
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        return None
    if value < 0 and not allow_negative:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        return None
    return value


def yuan(value: Decimal) -> str:
    """Format an amount for the wire: two places, plain notation."""
    return f"{fen(value):.2f}"


def ratio(value: Decimal) -> str:
    """Format a ratio (e.g. pool_prop_selfpay, selfpay_prop) with four places."""
    return f"{value:.4f}"
