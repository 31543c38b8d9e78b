"""Checks of input fields that name the field path on failure."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from google.protobuf.message import Message

from yibao.domain.money import parse_decimal
from yibao.errors import Refusal
from yibao.timetext import parse_datetime

DATETIME = "%Y-%m-%d %H:%M:%S"


def require(msg: Message, path: str, *names: str) -> None:
    for name in names:
        if not getattr(msg, name):
            raise Refusal("ENV_REQUIRED", f"{path}.{name}")


def decimal_field(value: str, path: str, places: int, *, positive: bool = False) -> Decimal:
    parsed = parse_decimal(value, places)
    if parsed is None or (positive and parsed <= 0):
        sign = "大于 0 的" if positive else "非负"
        raise Refusal("ENV_FORMAT", path, rule=f"应为{sign}数字，最多 {places} 位小数，收到 {value!r}")
    return parsed


def datetime_field(value: str, path: str) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        raise Refusal("ENV_FORMAT", path, rule=f"应为 yyyy-MM-dd HH:mm:ss，收到 {value!r}") from None


def flag_field(value: str, path: str, allowed: tuple[str, ...] = ("0", "1")) -> str:
    if value not in allowed:
        raise Refusal("ENV_CODE", path, value=value or "(空)", allowed="/".join(allowed))
    return value
