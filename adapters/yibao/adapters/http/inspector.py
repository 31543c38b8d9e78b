"""The transaction inspector: server-rendered HTML over the journal, no scripts, no external assets.

/inspector lists recent transactions (filters: institution, msgid, psn_no, mdtrt_id, setl_id, infno,
outcome); /inspector/tx/<id> shows one: summary, validation findings, the settlement's rule trace
when there is one, and the request and reply decoded from the stored protobuf as JSON.

The rule trace is a list of sections (TRACE_SECTIONS), each a function of the decoded transaction
that returns HTML or None; a richer trace is added by appending a section.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message

from yibao.adapters.http.paths import name_of
from yibao.domain.world import World
from yibao.gateway.routes import Route
from yibao.storage import inspection
from yibao.storage.store import Store, from_fen
from yibao.v1.envelope_pb2 import ErrorDetail

PAGE_SIZE = 100
OUTCOMES = ("ok", "refused", "replayed")
LIST_HEADINGS = ("时间 Time", "机构", "交易 infno", "msgid", "psn_no", "mdtrt_id", "setl_id", "结果", "错误码", "ms")
STYLE = """

body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#0b5394;color:#fff;padding:10px 20px}
header a{color:#fff;text-decoration:none;font-weight:600}main{padding:16px 20px}
section{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:12px 16px;margin:0 0 14px}
h1{font-size:18px;margin:0 0 12px}h2{font-size:15px;margin:0 0 8px}h3{font-size:13px;margin:12px 0 6px}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#556}
input,select,button{font:inherit;padding:4px 6px}
button{background:#0b5394;color:#fff;border:0;border-radius:4px;padding:5px 14px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e8ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#0a7d32;font-weight:600}.refused{color:#b3261e;font-weight:600}
.replayed{color:#8a5a00;font-weight:600}
pre{background:#f0f3f7;padding:10px;overflow:auto;font-size:12px;max-height:520px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#556}dd{margin:0}
.muted{color:#778}
"""


@dataclass(frozen=True, slots=True)
class Decoded:
    """One journaled transaction, decoded: what the trace sections are given."""

    row: Any
    route: Route | None
    request: Message | None
    reply: Message | None  # None when refused
    detail: ErrorDetail | None  # the refusal, when refused
    store: Store


TraceSection = Callable[[Decoded], str | None]


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _time(stamp: str) -> str:
    """yyyyMMddHHmmssSSS → yyyy-MM-dd HH:mm:ss.SSS"""
    if len(stamp) < 14:
        return stamp
    s = stamp
    return f"{s[0:4]}-{s[4:6]}-{s[6:8]} {s[8:10]}:{s[10:12]}:{s[12:14]}" + (f".{s[14:]}" if s[14:] else "")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_e(title)}</title>'
        f'<style>{STYLE}</style></head><body><header><a href="/inspector">Yibao Gateway · 交易查看器 '
        f"Transaction inspector</a></header><main>{body}</main></body></html>"
    )


def _table(messages: list[Message], *, skip: tuple[str, ...] = ()) -> str:
    """A list of messages as a table; columns are the fields set in any row (so new fields just appear)."""
    if not messages:
        return '<p class="muted">（无 none）</p>'
    fields = [
        f
        for f in messages[0].DESCRIPTOR.fields
        if f.name not in skip
        and f.type != FieldDescriptor.TYPE_MESSAGE
        and not f.is_repeated
        and any(getattr(m, f.name) for m in messages)
    ]
    head = "".join(f"<th>{_e(f.name)}</th>" for f in fields)
    rows = "".join("<tr>" + "".join(f"<td>{_e(getattr(m, f.name))}</td>" for f in fields) + "</tr>" for m in messages)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _json(msg: Message) -> str:
    shown = json_format.MessageToDict(msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    return json.dumps(shown, ensure_ascii=False, indent=2)


# -- rule-trace sections


def _output(d: Decoded, name: str) -> Message | None:
    if d.reply is None:
        return None
    out = d.reply.output  # type: ignore[attr-defined]
    if name not in out.DESCRIPTOR.fields_by_name:
        return None
    f = out.DESCRIPTOR.fields_by_name[name]
    if f.is_repeated:
        return out if getattr(out, name) else None
    return getattr(out, name) if out.HasField(name) else None


SETLINFO_SHOWN = (
    ("setl_id", "结算ID"),
    ("medfee_sumamt", "医疗费总额"),
    ("fulamt_ownpay_amt", "全自费"),
    ("overlmt_selfpay", "超限价自费"),
    ("preselfpay_amt", "先行自付"),
    ("inscp_scp_amt", "符合政策范围"),
    ("act_pay_dedc", "实际支付起付线"),
    ("hifp_pay", "统筹基金支出"),
    ("pool_prop_selfpay", "统筹支付比例"),
    ("fund_pay_sumamt", "基金支付总额"),
    ("psn_part_amt", "个人负担总额"),
    ("acct_pay", "个人账户支出"),
    ("psn_cash_pay", "个人现金支出"),
    ("balc", "账户余额"),
)


def settlement_funds(d: Decoded) -> str | None:
    """setlinfo's sums and each fund's setldetail row with its setl_proc_info."""
    info = _output(d, "setlinfo")
    if info is None:
        return None
    known = info.DESCRIPTOR.fields_by_name
    items = "".join(
        f"<dt>{_e(label)} <span class='muted'>{_e(name)}</span></dt><dd>{_e(getattr(info, name))}</dd>"
        for name, label in SETLINFO_SHOWN
        if name in known and getattr(info, name)
    )
    details = list(d.reply.output.setldetail) if "setldetail" in d.reply.output.DESCRIPTOR.fields_by_name else []  # type: ignore[union-attr]
    return (
        "<h3>结算汇总 Settlement totals</h3>"
        f"<dl>{items}</dl>"
        "<h3>基金支付 Fund payments (setldetail · setl_proc_info)</h3>"
        f"{_table(details)}"
    )


def settlement_trace(d: Decoded) -> str | None:
    """The per-item and per-step rule trace (output.setltrace), when the settlement carries one."""
    trace = _output(d, "setltrace")
    if trace is None:
        return None
    facts = "".join(
        f"<dt>{_e(f.name)}</dt><dd>{_e(getattr(trace, f.name))}</dd>"
        for f in trace.DESCRIPTOR.fields
        if f.type != FieldDescriptor.TYPE_MESSAGE and not f.is_repeated and getattr(trace, f.name)
    )
    lists = "".join(
        f"<h3>{_e(f.name)}</h3>{_table(list(getattr(trace, f.name)))}"
        for f in trace.DESCRIPTOR.fields
        if f.type == FieldDescriptor.TYPE_MESSAGE and f.is_repeated
    )
    return f"<h3>规则追踪 Rule trace (setltrace)</h3><dl>{facts}</dl>{lists}"


def item_split(d: Decoded) -> str | None:
    """The per-item catalogue split of the settled fee items, as stored."""
    info = _output(d, "setlinfo")
    if info is None or not getattr(info, "setl_id", ""):
        return None
    trace = _output(d, "setltrace")
    if trace is not None and getattr(trace, "items", None):
        return None  # the trace already lists every item with its split and rule
    with d.store.read() as tx:
        fees = inspection.settlement_fees(tx, info.setl_id)
    if not fees:
        return None
    amounts = ("sumamt_fen", "fulamt_fen", "overlmt_fen", "preselfpay_fen", "inscp_fen")
    head = "<th>feedetl_sn</th><th>med_list_codg</th><th>cnt</th><th>pric</th>" + "".join(
        f"<th>{a.removesuffix('_fen')}</th>" for a in amounts
    )
    rows = "".join(
        f"<tr><td>{_e(r.feedetl_sn)}</td><td>{_e(r.med_list_codg)}</td><td class=num>{_e(r.cnt)}</td>"
        f"<td class=num>{_e(r.pric)}</td>"
        + "".join(f"<td class=num>{_e(from_fen(getattr(r, a)))}</td>" for a in amounts)
        + "</tr>"
        for r in fees
    )
    return f"<h3>明细分割 Item split (fees of {_e(info.setl_id)})</h3><table><tr>{head}</tr>{rows}</table>"


def fee_split(d: Decoded) -> str | None:
    """2204-style replies: each item's split (output.result[] of FeeSplit)."""
    out = _output(d, "result")
    if out is None:
        return None
    rows = list(out.result)  # type: ignore[attr-defined]
    if not rows or rows[0].DESCRIPTOR.name != "FeeSplit":
        return None
    return f"<h3>明细分割 Item split (result)</h3>{_table(rows)}"


TRACE_SECTIONS: list[TraceSection] = [settlement_funds, settlement_trace, item_split, fee_split]


ROW_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits (str.isdigit takes ² and ٣), at most a 64-bit integer's


def _row_id(text: str) -> int | None:
    """A journal row id from a URL, or None: what SQLite's 64-bit integers cannot hold is no row's."""
    if not ROW_ID.fullmatch(text):
        return None
    number = int(text)
    return number if number < 2**63 else None


class Inspector:
    """Callable as (path, query params) → (HTTP status, HTML)."""

    def __init__(self, store: Store, world: World, routes: dict[str, Route]) -> None:
        self.store, self.world, self.routes = store, world, routes

    def __call__(self, path: str, params: dict[str, str]) -> tuple[int, str]:
        if path.rstrip("/") == "/inspector":
            return 200, self.listing(params)
        prefix = "/inspector/tx/"
        journal_id = _row_id(path[len(prefix) :]) if path.startswith(prefix) else None
        if journal_id is not None:
            return self.detail(journal_id)
        return 404, _page("not found", f"<section><h1>404</h1><p>{_e(path)} 不存在 does not exist</p></section>")

    # -- list

    def listing(self, params: dict[str, str]) -> str:
        filters = {k: params[k].strip() for k in inspection.FILTERS if params.get(k, "").strip()}
        before = _row_id(params.get("before", ""))
        with self.store.read() as tx:
            rows = inspection.search(tx, filters, before=before, limit=PAGE_SIZE)
        return _page("交易查看器 Transactions", self._filters(filters) + self._rows(rows, filters))

    def _filters(self, f: dict[str, str]) -> str:
        def text(name: str, label: str) -> str:
            return f'<label>{label}<input name="{name}" id="f-{name}" value="{_e(f.get(name, ""))}"></label>'

        def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
            opts = "".join(
                f'<option value="{_e(v)}"{" selected" if f.get(name) == v else ""}>{_e(text)}</option>'
                for v, text in [("", "（全部 all）"), *options]
            )
            return f'<label>{label}<select name="{name}" id="f-{name}">{opts}</select></label>'

        institutions = [(c, f"{c} {i.fixmedins_name}") for c, i in sorted(self.world.institutions.items())]
        infnos = [(n, f"{n} {name_of(n)}") for n in sorted(self.routes)]
        return (
            '<section><h1>交易 Transactions</h1><form class="filters" method="get" action="/inspector">'
            + select("fixmedins_code", "机构 Institution", institutions)
            + text("msgid", "msgid")
            + text("psn_no", "人员编号 psn_no")
            + text("mdtrt_id", "就诊ID mdtrt_id")
            + text("setl_id", "结算ID setl_id")
            + select("infno", "交易 infno", infnos)
            + select("outcome", "结果 Outcome", [(o, o) for o in OUTCOMES])
            + '<button type="submit" id="search">查询 Search</button></form></section>'
        )

    def _rows(self, rows: list[Any], filters: dict[str, str]) -> str:
        if not rows:
            return '<section><p class="muted" id="no-results">没有符合条件的交易 No transactions match.</p></section>'
        head = "".join(f"<th>{h}</th>" for h in LIST_HEADINGS)
        body = "".join(
            f'<tr id="tx-{r.id}"><td><a href="/inspector/tx/{r.id}">{_e(_time(r.received_at))}</a></td>'
            f"<td>{_e(r.fixmedins_code)}</td><td>{_e(r.infno)} {_e(name_of(r.infno))}</td><td>{_e(r.msgid)}</td>"
            f"<td>{_e(r.psn_no or '')}</td><td>{_e(r.mdtrt_id or '')}</td><td>{_e(r.setl_id or '')}</td>"
            f'<td class="{_e(r.outcome)}">{_e(r.outcome)}</td><td>{_e(r.err_code)}</td>'
            f'<td class="num">{r.duration_us / 1000:.1f}</td></tr>'
            for r in rows
        )
        more = ""
        if len(rows) == PAGE_SIZE:
            older = urlencode({**filters, "before": rows[-1].id})
            more = f'<p><a href="/inspector?{_e(older)}">更早 Older →</a></p>'
        return f"<section><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</section>"

    # -- one transaction

    def detail(self, journal_id: int) -> tuple[int, str]:
        with self.store.read() as tx:
            found = inspection.entry(tx, journal_id)
        if found is None:
            return 404, _page("not found", f"<section><h1>404</h1><p>交易 {journal_id} 不存在 not found</p></section>")
        d = self._decode(found)
        row = d.row
        summary = "".join(
            f"<dt>{label}</dt><dd id='s-{key}'>{_e(value)}</dd>"
            for key, label, value in (
                ("time", "时间 Time", _time(row.received_at)),
                ("institution", "机构 Institution", self._institution(row.fixmedins_code)),
                ("infno", "交易 infno", f"{row.infno} {name_of(row.infno)}"),
                ("msgid", "msgid", row.msgid),
                ("psn_no", "psn_no", row.psn_no or ""),
                ("mdtrt_id", "mdtrt_id", row.mdtrt_id or ""),
                ("setl_id", "setl_id", row.setl_id or ""),
                ("outcome", "结果 Outcome", row.outcome),
                ("duration", "耗时 Duration", f"{row.duration_us / 1000:.1f} ms"),
            )
        )
        parts = [f"<section><h1>交易 {_e(row.infno)} · {_e(row.msgid)}</h1><dl>{summary}</dl></section>"]
        parts.append(f'<section id="findings"><h2>校验结果 Validation findings</h2>{self._findings(d)}</section>')
        trace = [html for section in TRACE_SECTIONS if (html := section(d))]
        if trace:
            parts.append(f'<section id="trace"><h2>结算规则追踪 Settlement rule trace</h2>{"".join(trace)}</section>')
        request = self._message_json(d.request, row.request)
        parts.append(f'<section id="request"><h2>请求 Request</h2>{request}</section>')
        reply = d.reply if d.reply is not None else d.detail
        parts.append(f'<section id="reply"><h2>应答 Reply</h2>{self._message_json(reply, row.reply)}</section>')
        return 200, _page(f"{row.infno} {row.msgid}", "".join(parts))

    def _institution(self, code: str) -> str:
        inst = self.world.institutions.get(code)
        return f"{code} {inst.fixmedins_name}" if inst else code

    def _decode(self, found: inspection.Entry) -> Decoded:
        row = found.row
        route = self.routes.get(row.infno)
        request = reply = detail = None
        try:
            if route is not None:
                request = route.request_cls.FromString(row.request)
            if found.refused:
                detail = ErrorDetail.FromString(row.reply)
            elif route is not None:
                reply = route.reply_cls.FromString(row.reply)
        except DecodeError:
            pass  # shown as undecodable below
        return Decoded(row, route, request, reply, detail, self.store)

    @staticmethod
    def _findings(d: Decoded) -> str:
        if d.detail is not None:
            x = d.detail
            items = (
                ("错误码 Code", x.code),
                ("类别 Category", x.category),
                ("字段 Field", x.field),
                ("说明", x.message_zh),
                ("Message", x.message_en),
                ("err_msg", x.header.err_msg),
            )
            return "<dl>" + "".join(f"<dt>{k}</dt><dd class='finding'>{_e(v)}</dd>" for k, v in items if v) + "</dl>"
        if d.reply is None:
            return '<p class="muted">无法解码 Could not decode the stored reply.</p>'
        h = d.reply.header  # type: ignore[attr-defined]
        warn = f"<dt>warn_msg</dt><dd>{_e(h.warn_msg)}</dd>" if h.warn_msg else ""
        return f"<dl><dt>infcode</dt><dd class='ok'>{h.infcode} 通过 passed</dd>{warn}</dl>"

    @staticmethod
    def _message_json(msg: Message | None, raw: bytes) -> str:
        if msg is None:
            return f'<p class="muted">无法解码 Could not decode ({len(raw)} bytes).</p>'
        return f"<pre>{_e(_json(msg))}</pre>"
