"""Masking of personal data wherever it is shown: certificate (ID) numbers and persons' names.

An ID number keeps its region (first 6) and last 4 characters: 110101199001010019 → 110101********0019; a shorter
certificate number (a passport, a card) keeps 2 characters each end. A name keeps its first character, and its last
when it has three or more: 张三 → 张*, 张三丰 → 张*丰. Fields are masked by name (ID_FIELDS, NAME_FIELDS), and any
text by pattern: an 18-character (17 digits and a digit or X) or 15-digit ID number standing alone. The platform's
own numbers (psn_no, mdtrt_id, setl_id, msgid) are longer or lettered, so the pattern leaves them be.
"""

from __future__ import annotations

import re
from typing import Any

# Fields whose value is a certificate number or a person's name, in every transaction's input and output.
ID_FIELDS = frozenset(
    {"certno", "mdtrt_cert_no", "psn_cert_no", "agnter_certno", "card_sn", "card_no", "ec_token", "cert_no"}
)
NAME_FIELDS = frozenset({"psn_name", "agnter_name", "coner_name"})
_QUOTED_FIELD = re.compile(r'"(' + "|".join(sorted(ID_FIELDS | NAME_FIELDS)) + r')"(\s*:\s*)"((?:[^"\\]|\\.)*)"')
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})([0-9]{8}|[0-9]{5})([0-9]{3}[0-9Xx]|[0-9]{4})(?![0-9A-Za-z])")


def mask_id(value: str) -> str:
    """An ID or certificate number with its middle hidden."""
    if len(value) in (15, 18):
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return "*" * len(value)


def mask_name(value: str) -> str:
    """A person's name with all but its first (and, from three characters, its last) character hidden."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_text(text: str) -> str:
    """Every ID number standing alone in a free text (an error message, a raw body) masked."""
    return ID_NUMBER.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def mask_field(name: str, value: str) -> str:
    """A field's value as it may be shown: masked by the field's name, else by pattern."""
    if not value:
        return value
    if name in ID_FIELDS:
        return mask_id(value)
    if name in NAME_FIELDS:
        return mask_name(value)
    return mask_text(value)


def mask_tree(value: Any, name: str = "") -> Any:
    """A decoded JSON value (dicts, lists, scalars) with every personal field and ID number masked."""
    if isinstance(value, dict):
        return {k: mask_tree(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v, name) for v in value]
    if isinstance(value, str):
        return mask_field(name, value)
    return value


def mask_raw(text: str) -> str:
    """A request body as received (maybe not even JSON) with its personal fields and ID numbers masked in place:
    every other byte stays as it came, so that what a HIS sent can be read as it sent it."""

    def field(m: re.Match[str]) -> str:
        return f'"{m.group(1)}"{m.group(2)}"{mask_field(m.group(1), m.group(3))}"'

    return mask_text(_QUOTED_FIELD.sub(field, text))
