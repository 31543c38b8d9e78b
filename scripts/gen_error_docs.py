"""Generate docs/errors.md, the error reference, from the catalogue in src/yibao/errors.py.

Run: python scripts/gen_error_docs.py [--check]
--check fails (exit 1) when docs/errors.md differs from what the catalogue generates.
"""

from __future__ import annotations

import sys
from pathlib import Path
from string import Formatter

from google.rpc import code_pb2

from yibao.adapters.http.app import TRANSPORT_STATUS
from yibao.errors import CATALOGUE, Category, ErrorSpec
from yibao.gateway.server import status_code
from yibao.v1.envelope_pb2 import ErrorDetail

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"
HTTP_ONLY = ("HTTP_",)  # raised by the HTTP adapter before the gateway, never over gRPC

CATEGORY_TEXT = {
    Category.ENVELOPE: "The envelope or the shape of the input: a field missing, malformed or of the wrong type.",
    Category.AUTHENTICATION: "Who is calling: the institution, its sign-in (sign_no), its request signature or its "
    "operator credential.",
    Category.BUSINESS: "A business rule of the platform: persons, visits, fees, settlements, filings.",
    Category.REGION_UNAVAILABLE: "The insured place's or treatment place's platform cannot be reached; resend later.",
    Category.OVERLOAD: "The platform is busy, or the caller's deadline passed: the call was not started and nothing "
    "was written (Y5203 shows it as not arrived); resend it unchanged, under the same msgid, after the time given.",
    Category.INTERNAL: "A fault of the platform itself; the reference identifies it in the gateway's log.",
}

HEAD = """# Error reference

Generated from `src/yibao/errors.py` by `python scripts/gen_error_docs.py`; do not edit by hand (a test
fails when this page is stale).

Every refusal carries a stable **code**, a **category**, a message in Chinese and in English, and
the **path of the offending field**:

- **National JSON over HTTP**: `infcode` is `-1` and `err_msg` reads
  `[CODE] 中文说明（字段 path）`, e.g.
  `[ENV_REQUIRED] input.data.psn_no 必须填写（字段 input.data.psn_no）`. The HTTP status is 200, as
  the platform answers, except for the transport faults marked below.
- **gRPC**: a non-OK status whose details carry `google.rpc.ErrorInfo` (reason = code,
  metadata category and field), `google.rpc.BadRequest` (the field path, the English message) and
  `yibao.v1.ErrorDetail` (code, category, field, both messages and the national reply header).

Field paths: `header.<name>` is the envelope field `<name>` (top level of the national JSON body),
`input.…` a field of the input (`[n]` an element of a list), `headers.<name>` an HTTP header.
`{name}` in a message stands for the value filled in when the refusal is made.
"""


def template(text: str) -> str:
    parts = []
    for literal, name, _spec, _conv in Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(f"{{{name}}}")
    return "".join(parts).replace("|", "\\|")


def grpc_status(spec: ErrorSpec) -> str:
    code = status_code(ErrorDetail(code=spec.code, category=spec.category.value))
    return code_pb2.Code.Name(code)


def render() -> str:
    out = [HEAD]
    for category in Category:
        specs = [s for s in CATALOGUE.values() if s.category == category]
        out.append(f"\n## {category.value}\n\n{CATEGORY_TEXT[category]}\n")
        if not specs:
            out.append("\n(No codes yet.)\n")
            continue
        out.append("\n| code | gRPC status | HTTP | 中文 | English |\n|---|---|---|---|---|\n")
        for s in specs:
            http_only = s.code.startswith(HTTP_ONLY)
            out.append(
                f"| `{s.code}` | {'— (HTTP only)' if http_only else grpc_status(s)} "
                f"| {TRANSPORT_STATUS.get(s.code, 200)} | {template(s.zh)} | {template(s.en)} |\n"
            )
    return "".join(out)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print("docs/errors.md is stale; run python scripts/gen_error_docs.py")
            return 1
        print("docs/errors.md matches the catalogue")
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, "utf-8")
    print(f"wrote {DOC.relative_to(ROOT)} ({len(CATALOGUE)} codes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
