"""Exact money: Decimal yuan, two places, one rounding rule (ROUND_HALF_UP), never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")  # national amount fields are number(16,2)
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # what national JSON carries: no exponent, no "_", ASCII only


def fen(value: Decimal) -> Decimal:
    """Round to the fen. The only rounding rule in the product."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_decimal(text: str, places: int, *, allow_negative: bool = False) -> Decimal | None:
    """Parse a national decimal field (e.g. number(16,2)); None when it is not one.

    At most `places` decimals are accepted as sent: "12.345" for a (16,2) field is an error,
    not silently rounded, because the HIS and the platform would then disagree by a fen.
    """
    if not isinstance(text, str) or not PLAIN_DECIMAL.fullmatch(text.strip()):
        return None
    value = Decimal(text.strip())
    if abs(value) > MAX_AMOUNT:
        return None
    if value < 0 and not allow_negative:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        return None
    return value


def yuan(value: Decimal) -> str:
    """Format an amount for the wire: two places, plain notation, never "-0.00"."""
    rounded = fen(value)
    return f"{ZERO if rounded.is_zero() else rounded:.2f}"


def ratio(value: Decimal) -> str:
    """Format a ratio (e.g. pool_prop_selfpay, selfpay_prop) with four places."""
    return f"{value:.4f}"
