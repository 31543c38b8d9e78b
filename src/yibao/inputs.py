"""Checks of input fields that name the field path on failure."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from yibao.domain.money import parse_decimal
from yibao.errors import Refusal
from yibao.timetext import parse_datetime

DATETIME = "%Y-%m-%d %H:%M:%S"


def require(msg: object, path: str, *names: str) -> None:
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


# Characters no field may hold: C0 and C1 control characters and DEL (a name with an escape sequence or a
# backspace prints otherwise than it reads), and the invisible controls of bidirectional text (U+202E turns
# "收费员ABC" around on screen: the name shown is not the name stored). Line breaks and tabs (with U+2028 and
# U+2029, which some readers take for line breaks) only in free text: a CR/LF in a name splits the lines of
# a log, a CSV export or a receipt.
FREE_TEXT = frozenset({"memo", "exp_content", "reason", "refd_rea", "refl_rea", "refl_opnn", "cainfo", "dev_safe_info"})
_LINES = "\t\n\r\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_NOT_IN_NAMES = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_KINDS = {
    "line": ("换行或制表符", "a line break or tab"),
    "bidi": ("双向文字控制字符", "a bidirectional text control"),
    "control": ("控制字符", "a control character"),
}


def is_free_text(name: str) -> bool:
    """Whether the field `name` is free text, which may hold line breaks and tabs (FREE_TEXT, and every *_dscr)."""
    return name in FREE_TEXT or name.endswith("_dscr")


def text_field(text: str, path: str, name: str) -> None:
    """Refuse `text` of the field `name` at `path` if it holds a character no such field may hold (ENV_CHARACTER)."""
    found = (_NOT_IN_TEXT if is_free_text(name) else _NOT_IN_NAMES).search(text)
    if found is None:
        return
    char = found.group()
    kind = "line" if char in _LINES else "control" if char <= "\x9f" else "bidi"
    what, what_en = _KINDS[kind]
    raise Refusal("ENV_CHARACTER", path, position=found.start() + 1, codepoint=f"U+{ord(char):04X}", what=what,
                  what_en=what_en)  # fmt: skip
