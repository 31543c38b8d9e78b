"""Generate docs/code-lists.md, the code lists 1901 serves, from src/yibao/domain/code_lists.py.

Run: python scripts/gen_code_lists_doc.py [--check]
--check fails (exit 1) when docs/code-lists.md differs from what the table generates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from yibao.domain.code_lists import CODE_LISTS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "code-lists.md"
YIBAO = frozenset({"clr_way", "fil_type", "fil_stas", "trt_chk_type", "cum_type_code"})  # the platform's own codes

HEAD = """# Code lists

Generated from `src/yibao/domain/code_lists.py` by `python scripts/gen_code_lists_doc.py`; do not edit by hand (a
test fails when this page is stale). These are the lists the platform uses, served by 1901 (`type` = the list's
name, docs/queries.md). National values and names: docs/reference/interface.md §8; lists marked *Yibao* are the
platform's own codes. Every list is national: the same for every region, valid at any date.
"""


def render() -> str:
    parts = [HEAD]
    for name, entries in CODE_LISTS.items():
        mark = " (*Yibao*)" if name in YIBAO else ""
        parts.append(f"\n## {name}{mark}\n\n| value | label |\n|---|---|\n")
        parts.append("".join(f"| `{value}` | {label} |\n" for value, label in entries))
    return "".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run python scripts/gen_code_lists_doc.py")
            return 1
        return 0
    DOC.write_text(text, "utf-8")
    print(f"wrote {DOC.relative_to(ROOT)} ({len(CODE_LISTS)} lists)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
