"""The error catalogue is complete and its reference page (docs/errors.md) is fresh."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest

from yibao.errors import CATALOGUE, Category, Refusal

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("yibao", "gateway", "simulators", "adapters")
RAISED = re.compile(r"Refusal\(\s*\"([A-Z0-9_]+)\"")


def test_error_reference_page_matches_the_catalogue() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_error_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_code_raised_anywhere_is_catalogued() -> None:
    raised = {
        code
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*.py")
        if "/v1/" not in str(path)
        for code in RAISED.findall(path.read_text("utf-8"))
    }
    assert raised, "the scan found no Refusal at all"
    assert raised <= set(CATALOGUE), sorted(raised - set(CATALOGUE))


def test_every_entry_has_both_languages_with_the_same_facts() -> None:
    def names(template: str) -> set[str]:
        # an English text may name the English variant of a parameter (kind → kind_en)
        return {n.removesuffix("_en") for _, n, _, _ in Formatter().parse(template) if n}

    for code, spec in CATALOGUE.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]+", code) and spec.code == code
        assert isinstance(spec.category, Category)
        assert spec.zh.strip() and spec.en.strip(), code
        assert names(spec.zh) == names(spec.en), code


@pytest.mark.parametrize("code", ["GATEWAY_BUSY", "CALL_DEADLINE_PASSED", "CORE_UNAVAILABLE"])
def test_a_refusal_before_the_transaction_speaks_of_this_request_only(code: str) -> None:
    """Such a refusal may answer a resend of a msgid whose first send was carried out (seen in the fault
    campaign): it must not say the message was never carried out, only this request, and send the HIS to
    Y5203 and the same msgid rather than a new one."""
    r = Refusal(code, retry_after_ms=100)
    assert "this request" in r.message_en and "earlier send's outcome stands" in r.message_en
    assert "Y5203" in r.message_en and "本次请求" in r.message_zh and "先前结果" in r.message_zh
