"""The transaction inspector: server-rendered HTML over the journal, behind a login, no scripts, no external assets.

/inspector lists recent transactions an account may see (filters: institution, msgid, psn_no, mdtrt_id, setl_id,
infno, outcome, time range), with counts per infno and outcome, a latency chart, the transport's refusals (which
never reach the journal: traffic.py), export of the filtered list as JSON or CSV (/inspector/export.json, .csv) and
an auto-refresh toggle. /inspector/tx/<id> shows one transaction: summary, validation findings, the settlement's
rule trace when there is one, and the request as received over HTTP beside the normalised one decoded from the
stored protobuf. /inspector/refusal/<n> shows one transport refusal; /inspector/errors the error catalogue with
how to fix each code. Who sees what: inspector_access.py. Every ID number and name shown is masked (yibao.masking).

The rule trace is a list of sections (TRACE_SECTIONS), each a function of the decoded transaction
that returns HTML or None; a richer trace is added by appending a section.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message

from yibao.adapters.http import inspector_html as h
from yibao.adapters.http.inspector_access import COOKIE, SESSION_SECONDS, Account, Accounts, LoginThrottle
from yibao.adapters.http.inspector_html import e as _e
from yibao.adapters.http.inspector_html import error_link, filter_link, page, stamp_text
from yibao.adapters.http.paths import name_of
from yibao.adapters.http.traffic import RawRequest, TrafficLog
from yibao.domain.world import World
from yibao.gateway.routes import Route
from yibao.masking import mask_field, mask_raw, mask_text, mask_tree
from yibao.storage import inspection
from yibao.storage.inspection import Scope
from yibao.storage.store import Store, from_fen
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ErrorDetail

log = logging.getLogger("yibao.inspector")
PAGE_SIZE = 100
EXPORT_LIMIT = 10_000
REFUSALS_SHOWN = 50
REFRESH_SECONDS = 5
OUTCOMES = ("ok", "refused", "replayed")
EXPORT_FIELDS = ("id", "time", "fixmedins_code", "infno", "infno_name", "msgid", "psn_no", "mdtrt_id", "setl_id",
                 "outcome", "err_code", "ms")  # fmt: skip
HTML = "text/html;charset=UTF-8"
Answer = tuple[int, list[tuple[str, str]], bytes]


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


def _shown(name: str, value: object) -> str:
    """A field's value as HTML, masked when it is personal."""
    return _e(mask_field(name, str(value)))


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
    rows = "".join(
        "<tr>" + "".join(f"<td>{_shown(f.name, getattr(m, f.name))}</td>" for f in fields) + "</tr>" for m in messages
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _json(msg: Message) -> str:
    shown = json_format.MessageToDict(msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    return json.dumps(mask_tree(shown), ensure_ascii=False, indent=2)


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
        f"<dt>{_e(label)} <span class='muted'>{_e(name)}</span></dt><dd>{_shown(name, getattr(info, name))}</dd>"
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
        f"<dt>{_e(f.name)}</dt><dd>{_shown(f.name, getattr(trace, f.name))}</dd>"
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
TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
MAX_FORM = 4096  # bytes of a login form


def _row_id(text: str) -> int | None:
    """A journal row id from a URL, or None: what SQLite's 64-bit integers cannot hold is no row's."""
    if not ROW_ID.fullmatch(text):
        return None
    number = int(text)
    return number if number < 2**63 else None


class BadFilter(ValueError):
    """A filter the inspector cannot apply; the message names the field and the rule."""


def _time_bound(name: str, text: str) -> str:
    """A time filter (as a browser's datetime-local sends it) as a journal stamp, yyyyMMddHHmmssSSS."""
    for fmt in TIME_FORMATS:
        try:
            return compact_ms(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise BadFilter(f"{name}: expected a time as yyyy-MM-ddTHH:mm (or yyyy-MM-dd HH:mm:ss), got {text[:40]!r}")


@dataclass(frozen=True, slots=True)
class Query:
    """One listing's filters, as asked for and as applied to the journal for one account."""

    filters: dict[str, str]  # inspection.FILTERS names → exact values
    since: str  # as typed (shown back in the form)
    until: str
    scope: Scope
    refresh: bool
    before: int | None  # paging: older than this journal id

    def params(self, **extra: str) -> dict[str, str]:
        kept = {**self.filters, "since": self.since, "until": self.until, "refresh": "1" if self.refresh else ""}
        return {k: v for k, v in {**kept, **extra}.items() if v}

    def url(self, path: str = "/inspector", **extra: str) -> str:
        query = urlencode(self.params(**extra))
        return f"{path}?{query}" if query else path


def _query(params: dict[str, str], account: Account) -> Query:
    filters = {k: params[k].strip() for k in inspection.FILTERS if params.get(k, "").strip()}
    since, until = params.get("since", "").strip(), params.get("until", "").strip()
    scope = Scope(
        institutions=account.institutions,
        since=_time_bound("since", since) if since else "",
        until=_time_bound("until", until) if until else "",
    )
    return Query(filters, since, until, scope, params.get("refresh") == "1", _row_id(params.get("before", "")))


def _answer(status: int, html: str, *extra: tuple[str, str]) -> Answer:
    return status, [("Content-Type", HTML), *h.SECURITY_HEADERS, *extra], html.encode()


def _not_found(what: str, who: str) -> Answer:
    body = f"<section><h1>404</h1><p>{_e(what)} 不存在 not found</p></section>"
    return _answer(404, page("not found", body, who=who))


def _cookie(environ: dict[str, Any]) -> str:
    for part in environ.get("HTTP_COOKIE", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return ""


def _set_cookie(value: str, max_age: int, environ: dict[str, Any]) -> tuple[str, str]:
    secure = "; Secure" if environ.get("wsgi.url_scheme") == "https" else ""
    return "Set-Cookie", f"{COOKIE}={value}; Path=/inspector; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"


def _safe_next(target: str) -> str:
    """Where to go after logging in: an inspector path only (never another site)."""
    ok = target.startswith("/inspector") and "//" not in target and "\\" not in target
    return target if ok else "/inspector"


def _same_origin(environ: dict[str, Any]) -> bool:
    """A form posted from another site (its browser says so in Origin) is refused: no login or logout by others."""
    origin = environ.get("HTTP_ORIGIN", "")
    return not origin or origin.split("://", 1)[-1] == environ.get("HTTP_HOST", "")


class Inspector:
    """Callable as (method, path, WSGI environ) → (HTTP status, headers, body). `accounts` None: nobody may log in;
    `traffic`: the requests as received over HTTP (None: the raw side and the transport's refusals are not shown)."""

    def __init__(
        self,
        store: Store,
        world: World,
        routes: dict[str, Route],
        accounts: Accounts | None = None,
        traffic: TrafficLog | None = None,
    ) -> None:
        self.store, self.world, self.routes = store, world, routes
        self.accounts = accounts or Accounts({})
        self.traffic = traffic
        self.throttle = LoginThrottle()

    def __call__(self, method: str, path: str, environ: dict[str, Any]) -> Answer:
        if path in ("/", "/inspector/"):
            return 303, [("Location", "/inspector"), *h.SECURITY_HEADERS], b""
        if path == "/inspector/login":
            return self.login(method, environ)
        if path == "/inspector/logout":
            return self.logout(method, environ)
        account = self.accounts.from_cookie(_cookie(environ))
        query = environ.get("QUERY_STRING", "")
        if account is None:  # anonymous: the login form, and nothing else
            wanted = path + (f"?{query}" if query else "")
            return _answer(401, h.login_page(wanted))
        if method not in ("GET", "HEAD"):
            return _answer(405, page("405", "<section><h1>405</h1><p>GET only</p></section>"), ("Allow", "GET"))
        params = dict(parse_qsl(query, keep_blank_values=False))
        try:
            return self._route(path, params, account)
        except BadFilter as bad:
            body = f'<section><h1>400</h1><p class="error" id="bad-filter">{_e(bad)}</p></section>'
            return _answer(400, page("bad filter", body, who=account.describe()))

    def _route(self, path: str, params: dict[str, str], account: Account) -> Answer:
        who = account.describe()
        if path == "/inspector":
            return self.listing(_query(params, account), account)
        if path == "/inspector/errors":
            return _answer(200, h.catalogue_page(who))
        if path in ("/inspector/export.json", "/inspector/export.csv"):
            return self.export(_query(params, account), path.rsplit(".", 1)[1])
        for prefix, show in (("/inspector/tx/", self.detail), ("/inspector/refusal/", self.refusal)):
            if path.startswith(prefix):
                number = _row_id(path[len(prefix) :])
                return show(number, account) if number is not None else _not_found(path, who)
        return _not_found(path, who)

    # -- login

    def login(self, method: str, environ: dict[str, Any]) -> Answer:
        params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        if method in ("GET", "HEAD"):
            return _answer(200, h.login_page(_safe_next(params.get("next", "/inspector"))))
        if method != "POST" or not _same_origin(environ):
            return _answer(403, h.login_page("/inspector", "Log in from the inspector's own page."))
        form = _form(environ)
        target = _safe_next(form.get("next", "/inspector"))
        name, client = form.get("name", "")[:40], environ.get("REMOTE_ADDR", "")
        if not self.throttle.allowed(client):
            log.warning("inspector: login as %r from %s refused: too many failures", name, client)
            wait = "登录失败次数过多，请稍后再试 Too many failed logins: wait a minute."
            return _answer(429, h.login_page(target, wait))
        account = self.accounts.login(name, form.get("password", ""))
        if account is None:
            self.throttle.failed(client)
            log.warning("inspector: failed login as %r from %s", name, client)
            return _answer(401, h.login_page(target, "用户名或密码错误 Wrong name or password."))
        log.info("inspector: %s logged in from %s", account.describe(), client)
        cookie = _set_cookie(self.accounts.cookie_for(account), SESSION_SECONDS, environ)
        return 303, [("Location", target), cookie, *h.SECURITY_HEADERS], b""

    def logout(self, method: str, environ: dict[str, Any]) -> Answer:
        if method != "POST" or not _same_origin(environ):
            return _answer(405, page("405", "<section><h1>405</h1><p>POST only</p></section>"), ("Allow", "POST"))
        return 303, [("Location", "/inspector/login"), _set_cookie("", 0, environ), *h.SECURITY_HEADERS], b""

    # -- list

    def listing(self, q: Query, account: Account) -> Answer:
        with self.store.read() as tx:
            rows = inspection.search(tx, q.filters, before=q.before, limit=PAGE_SIZE, scope=q.scope)
            counts = inspection.counts(tx, q.filters, scope=q.scope)
        body = (
            self._filters(q, account)
            + self._counts(q, counts)
            + self._chart(rows)
            + self._rows(rows, q)
            + self._refusals(q, account)
        )
        return _answer(200, page("交易查看器 Transactions", body, who=account.describe(),
                                 refresh=REFRESH_SECONDS if q.refresh else 0))  # fmt: skip

    def _filters(self, q: Query, account: Account) -> str:
        f = q.filters

        def text(name: str, label: str, value: str, kind: str = "text") -> str:
            return f'<label>{label}<input type="{kind}" name="{name}" id="f-{name}" value="{_e(value)}"></label>'

        def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
            opts = "".join(
                f'<option value="{_e(v)}"{" selected" if f.get(name) == v else ""}>{_e(text)}</option>'
                for v, text in [("", "（全部 all）"), *options]
            )
            return f'<label>{label}<select name="{name}" id="f-{name}">{opts}</select></label>'

        institutions = [
            (c, f"{c} {i.fixmedins_name}") for c, i in sorted(self.world.institutions.items()) if account.may_see(c)
        ]
        infnos = [(n, f"{n} {name_of(n)}") for n in sorted(self.routes)]
        refresh = q.url(refresh="") if q.refresh else q.url(refresh="1")
        return (
            '<section><h1>交易 Transactions</h1><form class="filters" method="get" action="/inspector">'
            + select("fixmedins_code", "机构 Institution", institutions)
            + text("msgid", "msgid", f.get("msgid", ""))
            + text("psn_no", "人员编号 psn_no", f.get("psn_no", ""))
            + text("mdtrt_id", "就诊ID mdtrt_id", f.get("mdtrt_id", ""))
            + text("setl_id", "结算ID setl_id", f.get("setl_id", ""))
            + select("infno", "交易 infno", infnos)
            + select("outcome", "结果 Outcome", [(o, o) for o in OUTCOMES])
            + text("since", "自 From", q.since, "datetime-local")
            + text("until", "至 To (before)", q.until, "datetime-local")
            + ('<input type="hidden" name="refresh" value="1">' if q.refresh else "")
            + '<button type="submit" id="search">查询 Search</button></form><div class="tools">'
            + f'<a id="export-json" href="{_e(q.url("/inspector/export.json"))}">导出 Export JSON</a>'
            + f'<a id="export-csv" href="{_e(q.url("/inspector/export.csv"))}">导出 Export CSV</a>'
            + f'<a id="refresh" href="{_e(refresh)}">自动刷新 Auto-refresh ({REFRESH_SECONDS} s): '
            + ("on → turn off" if q.refresh else "off → turn on")
            + '</a><a href="/inspector">清除筛选 Clear filters</a></div></section>'
        )

    def _counts(self, q: Query, counts: list[tuple[str, str, int]]) -> str:
        if not counts:
            return ""
        by_infno: dict[str, dict[str, int]] = {}
        for infno, outcome, n in counts:
            by_infno.setdefault(infno, {})[outcome] = n

        def cell(infno: str, outcome: str, n: int) -> str:
            link = q.url(infno=infno, outcome=outcome)
            return f'<td class="num"><a href="{_e(link)}">{n}</a></td>' if n else '<td class="num muted">0</td>'

        rows = "".join(
            f"<tr><td>{_e(infno)} {_e(name_of(infno))}</td>"
            + "".join(cell(infno, o, seen.get(o, 0)) for o in OUTCOMES)
            + f'<td class="num">{sum(seen.values())}</td></tr>'
            for infno, seen in sorted(by_infno.items())
        )
        total = sum(n for _, _, n in counts)
        heads = "".join(f'<th class="num">{o}</th>' for o in OUTCOMES)
        return (
            f'<section><h2>统计 Counts per infno and outcome ({total})</h2><table class="counts" id="counts">'
            f'<thead><tr><th>交易 infno</th>{heads}<th class="num">total</th></tr></thead><tbody>{rows}</tbody>'
            "</table></section>"
        )

    @staticmethod
    def _chart(rows: list[Any]) -> str:
        points = [(f"{r.infno} {r.msgid}", r.outcome, r.duration_us / 1000) for r in reversed(rows)]
        chart = h.latency_chart(points)
        return f"<section><h2>耗时 Latency of the calls listed (oldest left)</h2>{chart}</section>" if chart else ""

    def _rows(self, rows: list[Any], q: Query) -> str:
        if not rows:
            return '<section><p class="muted" id="no-results">没有符合条件的交易 No transactions match.</p></section>'
        head = "".join(f"<th>{label}</th>" for label, _ in h.LIST_COLUMNS)
        body = "".join(
            f'<tr id="tx-{r.id}"><td><a href="/inspector/tx/{r.id}">{_e(stamp_text(r.received_at))}</a></td>'
            f"<td>{filter_link('fixmedins_code', r.fixmedins_code)}</td>"
            f"<td>{_e(r.infno)} {_e(name_of(r.infno))}</td><td>{filter_link('msgid', r.msgid)}</td>"
            f"<td>{filter_link('psn_no', r.psn_no)}</td><td>{filter_link('mdtrt_id', r.mdtrt_id)}</td>"
            f"<td>{filter_link('setl_id', r.setl_id)}</td>"
            f'<td class="{_e(r.outcome)}">{_e(r.outcome)}</td><td>{error_link(r.err_code)}</td>'
            f'<td class="num">{r.duration_us / 1000:.1f}</td></tr>'
            for r in rows
        )
        more = ""
        if len(rows) == PAGE_SIZE:
            more = f'<p><a href="{_e(q.url(before=str(rows[-1].id)))}">更早 Older →</a></p>'
        return (
            f'<section><table class="tx" id="transactions">{h.colgroup()}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{more}</section>"
        )

    # -- the transport's refusals

    def _visible_refusals(self, q: Query, account: Account) -> list[RawRequest]:
        """The transport refusals this account may see that match the filters: its own institutions' (by the
        fixmedins_code the body claims), and for an account seeing all, those naming none too."""
        f = q.filters
        if self.traffic is None or any(k in f for k in ("psn_no", "mdtrt_id", "setl_id")):
            return []
        if f.get("outcome", "refused") != "refused":
            return []
        shown = []
        for r in self.traffic.refusals():
            env, at = r.envelope, compact_ms(r.at)
            if not (account.sees_all or (env.fixmedins_code and account.may_see(env.fixmedins_code))):
                continue
            if any(f.get(k, getattr(env, k)) != getattr(env, k) for k in ("fixmedins_code", "msgid", "infno")):
                continue
            if (q.scope.since and at < q.scope.since) or (q.scope.until and at >= q.scope.until):
                continue
            shown.append(r)
        return shown

    def _refusals(self, q: Query, account: Account) -> str:
        if self.traffic is None:
            return ""
        refused = self._visible_refusals(q, account)
        if not refused:
            rows = '<p class="muted" id="no-refusals">无 None kept in this process.</p>'
        else:
            body = "".join(
                f'<tr id="refusal-{r.seq}"><td><a href="/inspector/refusal/{r.seq}">'
                f"{_e(stamp_text(compact_ms(r.at)))}</a></td><td>{_e(r.envelope.fixmedins_code)}</td>"
                f"<td>{_e(r.envelope.infno)}</td><td class='id'>{_e(r.envelope.msgid)}</td>"
                f"<td class='id'>{_e(r.method)} {_e(r.url)}</td><td class='num'>{r.status}</td>"
                f"<td>{error_link(r.seen.err_code)}</td></tr>"
                for r in refused[:REFUSALS_SHOWN]
            )
            rows = (
                '<table class="tx" id="refusals"><colgroup><col style="width:13%"><col style="width:10%">'
                '<col style="width:6%"><col style="width:19%"><col style="width:30%"><col style="width:6%">'
                '<col style="width:16%"></colgroup><thead><tr><th>时间 Time</th><th>机构 (claimed)</th><th>infno</th>'
                "<th>msgid</th><th>请求 Request</th><th class='num'>HTTP</th><th>错误码 Error</th></tr></thead>"
                f"<tbody>{body}</tbody></table>"
            )
        return (
            "<section><h2>传输层拒绝 Transport refusals</h2><p class='muted'>Refused by the HTTP entry before "
            "the gateway (unreadable JSON, unknown address, infno/address mismatch, body too large…), so not in "
            f"the journal: the last ones this process received.</p>{rows}</section>"
        )

    def refusal(self, seq: int, account: Account) -> Answer:
        who = account.describe()
        found = self.traffic.by_seq(seq) if self.traffic is not None else None
        if found is None or not found.seen.transport:
            return _not_found(f"refusal {seq}", who)
        env = found.envelope
        if not (account.sees_all or (env.fixmedins_code and account.may_see(env.fixmedins_code))):
            return _not_found(f"refusal {seq}", who)
        summary = _dl(
            ("time", "时间 Time", _e(stamp_text(compact_ms(found.at)))),
            ("client", "客户端 Client", _e(found.client)),
            ("institution", "机构 (claimed)", _e(env.fixmedins_code)),
            ("infno", "交易 infno", _e(env.infno)),
            ("msgid", "msgid", _e(env.msgid)),
            ("status", "HTTP", str(found.status)),
            ("code", "错误码 Error", error_link(found.seen.err_code)),
            ("err_msg", "err_msg", _e(mask_text(found.seen.err_msg))),
        )
        body = (
            f"<section><h1>传输层拒绝 Transport refusal · {_e(found.seen.err_code)}</h1>{summary}</section>"
            f'<section id="raw"><h2>原始 HTTP 请求 Raw HTTP request</h2>{_raw(found)}</section>'
        )
        return _answer(200, page(f"refusal {seq}", body, who=who))

    # -- export

    def export(self, q: Query, kind: str) -> Answer:
        with self.store.read() as tx:
            rows = inspection.search(tx, q.filters, limit=EXPORT_LIMIT, scope=q.scope)
        records = [
            {"id": r.id, "time": stamp_text(r.received_at), "fixmedins_code": r.fixmedins_code, "infno": r.infno,
             "infno_name": name_of(r.infno), "msgid": r.msgid, "psn_no": r.psn_no or "", "mdtrt_id": r.mdtrt_id or "",
             "setl_id": r.setl_id or "", "outcome": r.outcome, "err_code": r.err_code,
             "ms": round(r.duration_us / 1000, 1)}
            for r in rows
        ]  # fmt: skip
        name = f"inspector-{datetime.now():%Y%m%d-%H%M%S}.{kind}"
        disposition = ("Content-Disposition", f'attachment; filename="{name}"')
        if kind == "json":
            applied = {**q.filters, "since": q.since, "until": q.until}
            data = {"filters": {k: v for k, v in applied.items() if v}, "count": len(records),
                    "limit": EXPORT_LIMIT, "transactions": records}  # fmt: skip
            body = json.dumps(data, ensure_ascii=False, indent=1).encode()
            return 200, [("Content-Type", "application/json;charset=UTF-8"), disposition, *h.SECURITY_HEADERS], body
        out = io.StringIO()
        writer = csv.DictWriter(out, EXPORT_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _csv_cell(v) for k, v in r.items()} for r in records)
        body = ("\ufeff" + out.getvalue()).encode()  # the BOM: so a spreadsheet reads the Chinese names right
        return 200, [("Content-Type", "text/csv;charset=UTF-8"), disposition, *h.SECURITY_HEADERS], body

    # -- one transaction

    def detail(self, journal_id: int, account: Account) -> Answer:
        who = account.describe()
        with self.store.read() as tx:
            found = inspection.entry(tx, journal_id, scope=Scope(institutions=account.institutions))
        if found is None:  # none, or another institution's: the same answer
            return _not_found(f"交易 {journal_id}", who)
        d = self._decode(found)
        row = d.row
        summary = _dl(
            ("time", "时间 Time", _e(stamp_text(row.received_at))),
            ("institution", "机构 Institution", _e(self._institution(row.fixmedins_code))),
            ("infno", "交易 infno", _e(f"{row.infno} {name_of(row.infno)}")),
            ("msgid", "msgid", filter_link("msgid", row.msgid)),
            ("psn_no", "psn_no", filter_link("psn_no", row.psn_no)),
            ("mdtrt_id", "mdtrt_id", filter_link("mdtrt_id", row.mdtrt_id)),
            ("setl_id", "setl_id", filter_link("setl_id", row.setl_id)),
            ("outcome", "结果 Outcome", _e(row.outcome)),
            ("code", "错误码 Error", error_link(row.err_code)),
            ("duration", "耗时 Duration", _e(f"{row.duration_us / 1000:.1f} ms")),
        )
        parts = [f"<section><h1>交易 {_e(row.infno)} · {_e(row.msgid)}</h1>{summary}</section>"]
        parts.append(f'<section id="findings"><h2>校验结果 Validation findings</h2>{self._findings(d)}</section>')
        trace = [html for section in TRACE_SECTIONS if (html := section(d))]
        if trace:
            parts.append(f'<section id="trace"><h2>结算规则追踪 Settlement rule trace</h2>{"".join(trace)}</section>')
        raw = self.traffic.for_message(row.msgid, row.fixmedins_code) if self.traffic is not None else None
        request = self._message_json(d.request, row.request)
        parts.append(
            f'<div class="pair"><section id="raw"><h2>原始 HTTP 请求 Raw HTTP request</h2>{_raw(raw)}</section>'
            f'<section id="request"><h2>规范化请求 Normalised request</h2>{request}</section></div>'
        )
        reply = d.reply if d.reply is not None else d.detail
        parts.append(f'<section id="reply"><h2>应答 Reply</h2>{self._message_json(reply, row.reply)}</section>')
        return _answer(200, page(f"{row.infno} {row.msgid}", "".join(parts), who=who))

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
                ("错误码 Code", error_link(x.code)),
                ("如何修正 How to fix", _e(h.how_to_fix(x.code))),
                ("类别 Category", _e(x.category)),
                ("字段 Field", _e(x.field)),
                ("说明", _e(mask_text(x.message_zh))),
                ("Message", _e(mask_text(x.message_en))),
                ("err_msg", _e(mask_text(x.header.err_msg))),
            )
            return "<dl>" + "".join(f"<dt>{k}</dt><dd class='finding'>{v}</dd>" for k, v in items if v) + "</dl>"
        if d.reply is None:
            return '<p class="muted">无法解码 Could not decode the stored reply.</p>'
        head = d.reply.header  # type: ignore[attr-defined]
        warn = f"<dt>warn_msg</dt><dd>{_e(mask_text(head.warn_msg))}</dd>" if head.warn_msg else ""
        return f"<dl><dt>infcode</dt><dd class='ok'>{head.infcode} 通过 passed</dd>{warn}</dl>"

    @staticmethod
    def _message_json(msg: Message | None, raw: bytes) -> str:
        if msg is None:
            return f'<p class="muted">无法解码 Could not decode ({len(raw)} bytes).</p>'
        return f"<pre>{_e(_json(msg))}</pre>"


def _dl(*items: tuple[str, str, str]) -> str:
    """A summary list of (id, label, HTML value)."""
    return "<dl>" + "".join(f"<dt>{label}</dt><dd id='s-{key}'>{value}</dd>" for key, label, value in items) + "</dl>"


def _raw(raw: RawRequest | None) -> str:
    """A request as it came over HTTP: request line, headers (secrets hidden), body (personal data masked)."""
    if raw is None:
        return (
            '<p class="muted" id="no-raw">Not kept: the call came over gRPC, or was received by another worker '
            "process, or is older than the HTTP requests this process keeps.</p>"
        )
    headers = "\n".join(f"{name}: {value}" for name, value in raw.headers)
    cut = f"\n… ({raw.body_size} bytes in all; the first {len(raw.body)} kept)" if raw.body_size > len(raw.body) else ""
    body = mask_raw(raw.body.decode("utf-8", "replace"))
    return (
        f'<pre class="raw-head">{_e(raw.method)} {_e(raw.url)}\n{_e(headers)}</pre>'
        f'<h3>请求体 Body as received ({raw.body_size} bytes)</h3><pre class="raw-body">{_e(body)}{_e(cut)}</pre>'
    )


def _form(environ: dict[str, Any]) -> dict[str, str]:
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_FORM)
    except ValueError:
        length = 0
    data = environ["wsgi.input"].read(length) if length else b""
    return dict(parse_qsl(data.decode("utf-8", "replace")))


def _csv_cell(value: object) -> object:
    """A value a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
