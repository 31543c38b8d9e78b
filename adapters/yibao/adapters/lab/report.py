"""A lab session's report (docs/lab.md, "Reports"): the verdicts with the transcript they were judged on, as JSON (the
source of the others), JUnit XML for a vendor's CI and HTML for people.

`build` reads the session (its view, its case suites, its journal and final state); `assemble` is the pure part:
the verdicts (verdicts.py), each case's rule trace, the transcript — every journaled message's request and reply as
JSON, personal data masked — and the latency of each transaction. `junit` and `html` render a report; they read
nothing else, so a report taken from a bundle renders the same (bundle.py).

Masking: names keep their first character (张*), psn_no, certno, certificate numbers and card numbers their first
and last 4 (1100****0004), telephone numbers their last 4, addresses nothing, birthdays their year; and every text
of the report goes through the verdicts' masking of personal numbers and the names of the persons the session met.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from hashlib import sha256
from html import escape
from importlib import metadata
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

from yibao import platform_clock
from yibao.adapters.lab import transcript, verdicts
from yibao.adapters.lab.cases import Case, CaseSuite
from yibao.adapters.lab.verdicts import CANCELS, REQUIRED, RULES, SETTLES, FinalState, JournalEntry
from yibao.domain.world import World
from yibao.storage.store import Store
from yibao.transactions import transactions
from yibao.v1.envelope_pb2 import ErrorDetail

if TYPE_CHECKING:
    from yibao.adapters.lab.sessions import Lab

FORMAT = "yibao-lab-report/1"
FORMATS = {
    "json": "application/json;charset=UTF-8",
    "junit": "application/xml;charset=UTF-8",
    "html": "text/html;charset=UTF-8",
}
NAMES = ("psn_name", "agnter_name", "coner_name")
NUMBERS = ("psn_no", "certno", "agnter_certno", "mdtrt_cert_no", "card_sn", "card_no", "ec_token")
PHONES = ("tel", "agnter_tel")
ADDRESSES = ("addr", "agnter_addr")
BIRTHDAYS = ("brdy",)


def kit_version() -> str:
    try:
        return f"yibao-gateway {metadata.version('yibao-gateway')}"
    except metadata.PackageNotFoundError:
        return "yibao-gateway (not installed)"


# ---- masking


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else name


def mask_number(value: str) -> str:
    if len(value) >= 12:
        return f"{value[:4]}****{value[-4:]}"
    if len(value) >= 6:
        return f"{value[:2]}****{value[-2:]}"
    return "****" if value else value


class Masker:
    """Masks the personal data of one report: fields by name, and in every text the personal numbers (verdicts.mask)
    and the full names of the persons given."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = sorted({n for n in names if n}, key=len, reverse=True)  # the longer first: 欧阳娜娜 before 欧阳

    def text(self, value: str) -> str:
        for name in self.names:
            if name in value:
                value = value.replace(name, mask_name(name))
        return verdicts.mask(value)

    def field(self, key: str, value: str) -> str:
        if not value:
            return value
        if key in NAMES:
            return mask_name(value)
        if key in NUMBERS:
            return mask_number(value)
        if key in PHONES:
            return "****" + value[-4:] if len(value) > 4 else "****"
        if key in ADDRESSES:
            return "***"
        if key in BIRTHDAYS:
            return value[:4] + "-**-**"
        return self.text(value)

    def tree(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.tree(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.tree(v, key) for v in value]
        if isinstance(value, str):
            return self.field(key, value)
        return value


# ---- building


def build(lab: Lab, session_id: str) -> dict[str, Any]:
    """The report of a session, open or closed, as it stands now."""
    view = lab.status(session_id)
    suites = lab.case_suites(view)

    def read(store: Store) -> tuple[list[JournalEntry], FinalState, dict[int, int]]:
        entries, final = transcript.read(store)
        return entries, final, transcript.durations(store)

    entries, final, durations = lab.read_sandbox(session_id, read)
    judged = verdicts.judge(suites, entries, final, lab.world, view["institution"])
    return assemble(view, suites, entries, durations, judged, lab.world)


def assemble(
    session: dict[str, Any],
    suites: Sequence[CaseSuite],
    entries: Sequence[JournalEntry],
    durations: dict[int, int],
    judged: dict[str, Any],
    world: World,
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The report from what the verdicts were judged on: a pure function (`generated_at` aside)."""
    met = {e.psn_no for e in entries if e.psn_no} | {c.person for s in suites for c in s.cases}
    masker = Masker(world.persons[p].psn_name for p in met if p in world.persons)
    owner = _owners(judged)
    names = {i: t.national_name for i, t in transactions().items()}
    lines = []
    first: dict[str, str] = {}  # msgid → the kind of reply its first message had ("reply" or "refusal")
    for n, e in enumerate(entries):
        request, reply, kind = _decode(e, first.get(e.msgid))
        first.setdefault(e.msgid, kind)
        lines.append(
            {
                "n": n,
                "journal_id": e.id,
                "at": e.received_at,
                "infno": e.infno,
                "name": names.get(e.infno, ""),
                "msgid": e.msgid,
                "outcome": e.outcome,
                "code": e.err_code,
                "err_msg": e.err_msg,
                "duration_us": durations.get(e.id, 0),
                "case": _claim(owner, (e.msgid, e.infno, e.received_at, e.outcome)),
                "request": request,
                kind: reply,
                "request_sha256": sha256(e.request).hexdigest(),
                "reply_sha256": sha256(e.reply).hexdigest(),
            }
        )
    by_id = {(s.name, c.id): c for s in suites for c in s.cases}
    cases = []
    for view in judged["cases"]:
        case = by_id[(view["suite"], view["case"])]
        mine = [line for line in lines if line["case"] == f"{case.suite}/{case.id}"]
        cases.append(
            {
                **view,
                "requirement": list(case.requirement),
                "terminal": case.terminal,
                "expected_outcome": case.outcome,
                "trace": rule_trace(case, view, mine),
            }
        )
    report = {
        "report": FORMAT,
        "kit": kit_version(),
        "generated_at": generated_at or platform_clock.now().strftime("%Y-%m-%dT%H:%M:%S"),
        "session": session,
        "suites": [s.name for s in suites],
        "summary": judged["summary"],
        "cases": cases,
        "unattributed": judged["session"],
        "latency": latency(lines),
        "transcript": lines,
    }
    return masker.tree(report)  # type: ignore[no-any-return]


def _owners(judged: dict[str, Any]) -> dict[tuple[str, str, str, str], list[str]]:
    """(msgid, infno, at, outcome) of each case's messages → the case (suite/id), in order."""
    owner: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for view in judged["cases"]:
        for m in view["messages"]:
            owner[(m["msgid"], m["infno"], m["at"], m["outcome"])].append(f"{view['suite']}/{view['case']}")
    return owner


def _claim(owner: dict[tuple[str, str, str, str], list[str]], key: tuple[str, str, str, str]) -> str:
    claimed = owner.get(key)
    return claimed.pop(0) if claimed else ""


def _decode(e: JournalEntry, original: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The request and the reply (or refusal) of a journal row as JSON, and which of the two the reply is."""
    tx = transactions().get(e.infno)
    if tx is None:
        return {"undecodable": f"infno {e.infno[:10]} is not a transaction of the protos"}, {}, "reply"
    try:
        request = _json(tx.request_cls.FromString(e.request))
    except DecodeError:
        request = {"undecodable": f"{len(e.request)} bytes"}
    refusal = e.outcome == "refused" or (e.outcome == "replayed" and original == "refusal")
    for kind, cls in (("refusal", ErrorDetail), ("reply", tx.reply_cls)) if refusal else (
        ("reply", tx.reply_cls), ("refusal", ErrorDetail)):  # fmt: skip
        try:
            return request, _json(cls.FromString(e.reply)), kind
        except DecodeError:
            continue
    return request, {"undecodable": f"{len(e.reply)} bytes"}, "reply"


def _json(message: Message) -> dict[str, Any]:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)  # type: ignore[no-any-return]


def rule_trace(case: Case, view: dict[str, Any], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every rule of the verdicts for this case: pass, fail (with the number of findings), n/a (nothing it applies
    to) or not run (the case was skipped or in error)."""
    failed = Counter(f["rule"] for f in view["failures"])
    infnos = {line["infno"] for line in lines}
    expect = case.expect
    applies = {
        "required": bool(infnos & set(REQUIRED)),
        "code-value": bool(infnos & set(REQUIRED)),
        "presettle-first": "2207" in infnos,
        "settle-once": bool(infnos & set(SETTLES)),
        "cancel-once": bool(infnos & set(CANCELS)),
        "amount": bool(expect.settlement or expect.cancellation or expect.refund),
        "reconciled": bool(infnos & {"3201", "3202"}),
        "balance": bool(expect.balance),
    }
    trace = []
    for rule, (says, requirement) in RULES.items():
        if view["verdict"] in ("skip", "error"):
            result = "not run"
        elif failed[rule]:
            result = "fail"
        elif not applies.get(rule, True):
            result = "n/a"
        else:
            result = "pass"
        trace.append({"rule": rule, "says": says, "requirement": requirement, "result": result,
                      "findings": failed[rule]})  # fmt: skip
    return trace


def latency(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per transaction: how many messages, and their time in the platform (µs): min, median, 95th percentile, max."""
    by: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    for line in lines:
        by[line["infno"]].append(int(line["duration_us"]))
        names[line["infno"]] = line["name"]
    out = []
    for infno in sorted(by):
        values = sorted(by[infno])
        p95 = values[min(len(values) - 1, max(0, -(-95 * len(values) // 100) - 1))]
        out.append({"infno": infno, "name": names[infno], "count": len(values), "min_us": values[0],
                    "median_us": int(statistics.median(values)), "p95_us": p95, "max_us": values[-1]})  # fmt: skip
    return out


# ---- JUnit XML


def junit(report: dict[str, Any]) -> bytes:
    """One testsuite per case suite, one testcase per case: a failure names rule, msgid, field, expected and actual."""
    session = report["session"]
    seconds: dict[str, float] = defaultdict(float)
    for line in report["transcript"]:
        seconds[line["case"]] += line["duration_us"] / 1e6
    root = ET.Element("testsuites", name=f"yibao lab session {session['id']}")
    totals: Counter[str] = Counter()
    for suite in report["suites"]:
        cases = [c for c in report["cases"] if c["suite"] == suite]
        counts = Counter(c["verdict"] for c in cases)
        element = ET.SubElement(
            root,
            "testsuite",
            name=suite,
            tests=str(len(cases)),
            failures=str(counts["fail"]),
            errors=str(counts["error"]),
            skipped=str(counts["skip"]),
            time=f"{sum(seconds[suite + '/' + c['case']] for c in cases):.6f}",
            timestamp=report["generated_at"],
        )
        properties = ET.SubElement(element, "properties")
        for name, value in (("session", session["id"]), ("institution", session["institution"]),
                            ("lab_clock", session["clock"]["now"]), ("kit", report["kit"])):  # fmt: skip
            ET.SubElement(properties, "property", name=name, value=value)
        for c in cases:
            testcase = ET.SubElement(
                element,
                "testcase",
                classname=f"yibao.lab.{suite}",
                name=f"{c['case']} {c['title']}",
                time=f"{seconds[suite + '/' + c['case']]:.6f}",
            )
            if c["verdict"] == "fail":
                first = c["failures"][0]
                failure = ET.SubElement(testcase, "failure", message=_finding_text(first), type=first["rule"])
                failure.text = "\n".join(_finding_text(f, full=True) for f in c["failures"])
            elif c["verdict"] == "error":
                ET.SubElement(testcase, "error", message=c["error"] or "error", type="error").text = c["error"]
            elif c["verdict"] == "skip":
                ET.SubElement(testcase, "skipped", message="no message about the case's person yet")
            system_out = ET.SubElement(testcase, "system-out")
            system_out.text = "\n".join(
                f"{m['at']} {m['infno']} {m['msgid']} {m['outcome']} {m['code']}".rstrip() for m in c["messages"]
            )
        totals.update({"tests": len(cases), **counts})
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["fail"]))
    root.set("errors", str(totals["error"]))
    root.set("skipped", str(totals["skip"]))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _finding_text(f: dict[str, str], *, full: bool = False) -> str:
    text = (
        f"{f['rule']}: msgid {f['msgid'] or '-'} ({f['infno'] or '-'}), field {f['field']}: "
        f"expected {f['expected']}, actual {f['actual']}"
    )
    if full:
        text += (f" ({f['detail']})" if f["detail"] else "") + f" — {f['says']} [{f['requirement']}]"
    return text


# ---- HTML

STYLE = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#0b5394;color:#fff;padding:10px 20px}header h1{font-size:18px;margin:0}
main{padding:16px 20px}section{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:12px 16px;
margin:0 0 14px}h2{font-size:16px;margin:0 0 8px}h3{font-size:13px;margin:12px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e8ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;border-radius:4px;padding:1px 8px;font-weight:700;color:#fff}
.pass{background:#0a7d32}.fail{background:#b3261e}.skip{background:#8a8f98}.error{background:#8a5a00}
.r-pass{color:#0a7d32}.r-fail{color:#b3261e;font-weight:700}.r-na,.r-notrun{color:#8a8f98}
.ok{color:#0a7d32}.refused{color:#b3261e}.replayed{color:#8a5a00}
pre{background:#f0f3f7;padding:8px;font-size:11px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.msg{border-top:1px solid #e3e8ee;padding:6px 0}.msg .cols{display:grid;grid-template-columns:1fr 1fr;gap:10px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#556}dd{margin:0}
.muted{color:#778}svg text{font:11px system-ui,sans-serif}
@media print{body{background:#fff;font-size:11px}header{background:#fff;color:#000;border-bottom:2px solid #000}
section{border:0;border-top:1px solid #999;border-radius:0;padding:6px 0;break-inside:auto}
section.case{break-before:page}.msg{break-inside:avoid}pre{font-size:9px;background:#fff;border:1px solid #ccc}
.verdict{border:1px solid #000;color:#000;background:#fff}a{color:#000;text-decoration:none}}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def html(report: dict[str, Any]) -> bytes:
    """The report for people: summary, latency chart, and each case with its verdict, findings, rule trace and
    transcript. Inline CSS and SVG; no script, no external asset; printable."""
    s = report["session"]
    summary = report["summary"]
    kinds = ("pass", "fail", "skip", "error")
    badges = " ".join(f'<span class="verdict {k}">{k} {summary.get(k, 0)}</span>' for k in kinds)
    closed = f", closed {s['closed_at']}" if s.get("closed_at") else ""
    head = _dl(
        (
            ("会话 Session", s["id"]),
            ("机构 Institution", f"{s['institution']} {s.get('institution_name', '')}"),
            ("套件 Suites", ", ".join(report["suites"]) or "(none with cases)"),
            ("状态 Status", f"{s['status']}, opened {s['opened_at']}" + closed),
            ("实验室时钟 Lab clock", f"{s['clock']['now']} ({s['clock']['mode']})"),
            ("重置 Resets", s.get("resets", 0)),
            ("报告 Generated", report["generated_at"]),
            ("工具 Kit", report["kit"]),
        )
    )
    rows = "".join(
        f'<tr><td><a href="#{_e(c["suite"])}-{_e(c["case"])}">{_e(c["suite"])}/{_e(c["case"])}</a></td>'
        f"<td>{_e(c['title'])}</td><td>{_e(c['person'])}</td>"
        f'<td><span class="verdict {_e(c["verdict"])}">{_e(c["verdict"])}</span></td>'
        f"<td>{_e(_finding_text(c['failures'][0]) if c['failures'] else c['error'])}</td></tr>"
        for c in report["cases"]
    )
    body = [
        f'<section id="summary"><h2>概要 Summary</h2><p>{badges}</p>{head}</section>',
        '<section id="cases"><h2>用例 Cases</h2><table><thead><tr><th>case</th><th>title</th><th>person</th>'
        f"<th>verdict</th><th>first failure</th></tr></thead><tbody>{rows}</tbody></table></section>",
        f'<section id="latency"><h2>各交易耗时 Latency per transaction</h2>{latency_svg(report["latency"])}'
        f"{_latency_table(report['latency'])}</section>",
    ]
    lines = report["transcript"]
    for c in report["cases"]:
        mine = [line for line in lines if line["case"] == f"{c['suite']}/{c['case']}"]
        body.append(_case_html(c, mine))
    stray = [line for line in lines if not line["case"]]
    failures = report["unattributed"].get("failures", [])
    body.append(
        '<section class="case" id="session-messages"><h2>会话消息 Messages no case claims</h2>'
        + (_findings_html(failures) if failures else "")
        + ("".join(_message_html(line) for line in stray) or '<p class="muted">none</p>')
        + "</section>"
    )
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>Lab report {_e(s['id'])}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Yibao Gateway · 认证实验室报告 Certification lab report · {_e(s['id'])}</h1></header>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )
    return page.encode()


def _dl(items: Iterable[tuple[str, object]]) -> str:
    return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"


def _case_html(c: dict[str, Any], lines: list[dict[str, Any]]) -> str:
    anchor = f"{c['suite']}-{c['case']}"
    amounts = ", ".join(f"{k} {v}" for k, v in c["amounts"].items()) or "—"
    info = _dl(
        (
            ("人员 Person", c["person"]),
            ("操作 At the terminal", c["terminal"]),
            ("预期 Correct outcome", c["expected_outcome"]),
            ("依据 Requirement", "; ".join(c["requirement"])),
            ("金额 Amounts", amounts),
        )
        + ((("错误 Error", c["error"]),) if c["error"] else ())
    )
    trace = "".join(
        f'<tr><td>{_e(t["rule"])}</td><td class="r-{_e(t["result"].replace(" ", "").replace("/", ""))}">'
        f"{_e(t['result'])}{' (' + str(t['findings']) + ')' if t['findings'] else ''}</td><td>{_e(t['says'])}</td>"
        f"<td class='muted'>{_e(t['requirement'])}</td></tr>"
        for t in c["trace"]
    )
    return (
        f'<section class="case" id="{_e(anchor)}"><h2><span class="verdict {_e(c["verdict"])}">{_e(c["verdict"])}'
        f"</span> {_e(c['suite'])}/{_e(c['case'])} {_e(c['title'])}</h2>{info}"
        + (f"<h3>失败 Findings</h3>{_findings_html(c['failures'])}" if c["failures"] else "")
        + "<h3>规则 Rule trace</h3><table><thead><tr><th>rule</th><th>result</th><th>what it says</th>"
        f"<th>stated in</th></tr></thead><tbody>{trace}</tbody></table>"
        f"<h3>记录 Transcript ({len(lines)} messages)</h3>"
        + ("".join(_message_html(line) for line in lines) or '<p class="muted">no message yet</p>')
        + "</section>"
    )


def _findings_html(failures: list[dict[str, str]]) -> str:
    rows = "".join(
        f"<tr><td class='r-fail'>{_e(f['rule'])}</td><td>{_e(f['msgid'])}</td><td>{_e(f['infno'])}</td>"
        f"<td>{_e(f['field'])}</td><td>{_e(f['expected'])}</td><td>{_e(f['actual'])}</td>"
        f"<td>{_e(f['detail'])}</td></tr>"
        for f in failures
    )
    return (
        "<table class='findings'><thead><tr><th>rule</th><th>msgid</th><th>infno</th><th>field</th><th>expected</th>"
        f"<th>actual</th><th>detail</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _message_html(line: dict[str, Any]) -> str:
    reply_kind = "refusal" if "refusal" in line else "reply"
    reply = line.get(reply_kind, {})
    trace = [d.get("setl_proc_info", "") for d in reply.get("output", {}).get("setldetail", [])]
    trace_html = (
        "<h3>结算规则 Settlement rule trace</h3><ol>" + "".join(f"<li>{_e(t)}</li>" for t in trace if t) + "</ol>"
        if any(trace)
        else ""
    )
    code = f" {_e(line['code'])}" if line["code"] else ""
    return (
        f'<div class="msg" id="m{line["n"]}"><b>{_e(line["infno"])}</b> {_e(line["name"])} · '
        f"<code>{_e(line['msgid'])}</code> · {_e(line['at'])} · "
        f'<span class="{_e(line["outcome"])}">{_e(line["outcome"])}{code}</span> · '
        f"{line['duration_us'] / 1000:.2f} ms"
        + (f'<div class="muted">{_e(line["err_msg"])}</div>' if line["err_msg"] else "")
        + '<div class="cols"><div><h3>请求 Request</h3><pre>'
        + _e(json.dumps(line["request"], ensure_ascii=False, indent=1))
        + f"</pre></div><div><h3>{'拒绝 Refusal' if reply_kind == 'refusal' else '应答 Reply'}</h3><pre>"
        + _e(json.dumps(reply, ensure_ascii=False, indent=1))
        + f"</pre></div></div>{trace_html}</div>"
    )


def _latency_table(rows: list[dict[str, Any]]) -> str:
    body = "".join(
        f"<tr><td>{_e(r['infno'])}</td><td>{_e(r['name'])}</td><td class='num'>{r['count']}</td>"
        + "".join(f"<td class='num'>{r[k] / 1000:.2f}</td>" for k in ("min_us", "median_us", "p95_us", "max_us"))
        + "</tr>"
        for r in rows
    )
    return (
        "<table><thead><tr><th>infno</th><th>transaction</th><th>messages</th><th>min ms</th><th>median ms</th>"
        f"<th>p95 ms</th><th>max ms</th></tr></thead><tbody>{body}</tbody></table>"
    )


def latency_svg(rows: list[dict[str, Any]], width: int = 760) -> str:
    """A horizontal chart, one row per transaction: a bar to the median, a line from min to max, a tick at p95.
    Inline SVG, no script."""
    if not rows:
        return '<p class="muted">no message yet</p>'
    left, right, row_h, top = 150, 20, 22, 24
    top_us = max(r["max_us"] for r in rows) or 1

    def scale(us: int) -> float:
        return left + (width - left - right) * us / top_us

    height = top + row_h * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" id="latency-chart"><title>Time in the platform per transaction (ms)</title>'
    ]
    for k in range(5):
        us = top_us * k / 4
        x = scale(int(us))
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" stroke="#e3e8ee"/>'
                     f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle">{us / 1000:.1f} ms</text>')  # fmt: skip
    for n, r in enumerate(rows):
        y = top + n * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{_e(r["infno"])} ×{r["count"]}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{max(scale(r["median_us"]) - left, 1):.1f}" height="12" '
            f'fill="#0b5394"><title>{_e(r["infno"])} median {r["median_us"] / 1000:.2f} ms</title></rect>'
            f'<line x1="{scale(r["min_us"]):.1f}" y1="{y + 10}" x2="{scale(r["max_us"]):.1f}" y2="{y + 10}" '
            f'stroke="#b3261e" stroke-width="2"/>'
            f'<line x1="{scale(r["p95_us"]):.1f}" y1="{y + 3}" x2="{scale(r["p95_us"]):.1f}" y2="{y + 17}" '
            f'stroke="#b3261e" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render(report: dict[str, Any], fmt: str) -> bytes:
    """The report in a format of FORMATS."""
    if fmt == "junit":
        return junit(report)
    if fmt == "html":
        return html(report)
    return json.dumps(report, ensure_ascii=False, indent=1).encode() + b"\n"
