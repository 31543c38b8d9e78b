"""The lab web page (docs/lab.md, "The lab page"), beside the inspector on the HTTP port and under the operator API's
access rule (loopback only, or the lab token).

GET /lab/ lists the sessions; GET /lab/view/ID shows one: its clock and activity, and every case of its suites
with its verdict as it stands, judged again at each request, with links to the reports and the bundle. Both are
server-rendered HTML; a few lines of script fetch the page again every few seconds and swap its content in, so the
verdicts move as the HIS works through the cases (without script, the page is simply as it was when loaded). The
page only reads: sessions are opened, reset and closed with `yibao cert` (the API's POSTs need a JSON body a page
cannot send from elsewhere).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yibao.adapters.lab.sessions import Lab

REFRESH_MS = 2000
STYLE = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#0b5394;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:baseline}
header a{color:#fff;text-decoration:none;font-weight:600}header .sub{font-weight:400;opacity:.85}
main{padding:16px 20px}section{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:12px 16px;
margin:0 0 14px}h1{font-size:18px;margin:0 0 10px}h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e8ee;padding:5px 6px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;min-width:38px;text-align:center;border-radius:4px;padding:1px 8px;font-weight:700;
color:#fff}.pass{background:#0a7d32}.fail{background:#b3261e}.skip{background:#8a8f98}.error{background:#8a5a00}
.open{color:#0a7d32;font-weight:600}.closed{color:#778}
.bar{display:flex;height:12px;border-radius:6px;overflow:hidden;background:#e3e8ee;margin:8px 0}
.bar span{display:block;height:100%}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#556}dd{margin:0}
.muted{color:#778}code{font-size:12px}.links a{margin-right:14px}
"""
SCRIPT = (
    "<script>setInterval(function(){if(document.hidden)return;fetch(location.href,{cache:'no-store'})"
    ".then(function(r){return r.ok?r.text():null}).then(function(t){if(!t)return;"
    "var d=new DOMParser().parseFromString(t,'text/html').querySelector('main');"
    f"if(d)document.querySelector('main').replaceWith(d)}}).catch(function(){{}})}},{REFRESH_MS})</script>"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_e(title)}</title>'
        f'<style>{STYLE}</style></head><body><header><a href="/lab/">Yibao Gateway · 认证实验室 Certification lab</a>'
        '<a class="sub" href="/inspector">交易查看器 Inspector</a></header>'
        f"<main>{body}</main>{SCRIPT}</body></html>"
    )


def sessions_page(lab: Lab) -> str:
    """Every session, the open ones first, the newest first."""
    sessions = sorted(lab.sessions(), key=lambda s: s["opened_at"], reverse=True)
    sessions = sorted(sessions, key=lambda s: s["status"] != "open")
    rows = "".join(
        f'<tr><td><a href="/lab/view/{_e(s["id"])}"><code>{_e(s["id"])}</code></a></td>'
        f"<td>{_e(s['institution'])} {_e(s['institution_name'])}</td><td>{_e(', '.join(s['suites']))}</td>"
        f'<td class="{_e(s["status"])}">{_e(s["status"])}</td><td>{_e(s["clock"]["now"])} '
        f"<span class='muted'>({_e(s['clock']['mode'])})</span></td><td>{_e(s['opened_at'])}</td>"
        f"<td class='num'>{_e(s['resets'])}</td></tr>"
        for s in sessions
    )
    table = (
        "<table id='sessions'><thead><tr><th>会话 Session</th><th>机构 Institution</th><th>套件 Suites</th>"
        "<th>状态 Status</th><th>时钟 Lab clock</th><th>开启 Opened</th><th>重置 Resets</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if sessions
        else '<p class="muted">No session yet: <code>yibao cert new --institution CODE --suite NAME</code></p>'
    )
    return _page("Lab sessions", f"<h1>会话 Sessions</h1><section>{table}</section>")


def session_page(lab: Lab, session_id: str) -> str:
    """One session: clock, activity, and every case with its verdict now."""
    view = lab.status(session_id)
    judged = lab.verdicts(session_id)
    summary = judged["summary"]
    total = sum(summary.values()) or 1
    colours = {"pass": "#0a7d32", "fail": "#b3261e", "error": "#8a5a00", "skip": "#c9ced6"}
    bar = "".join(
        f'<span title="{k} {summary[k]}" style="width:{100 * summary[k] / total:.2f}%;background:{c}"></span>'
        for k, c in colours.items()
        if summary.get(k)
    )
    badges = " ".join(
        f'<span class="verdict {k}" id="count-{k}">{k} {summary.get(k, 0)}</span>'
        for k in ("pass", "fail", "skip", "error")
    )
    activity = view.get("activity") or {}
    info = (
        "<dl>"
        + "".join(
            f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
            for k, v in (
                ("机构 Institution", f"{view['institution']} {view['institution_name']}"),
                ("套件 Suites", ", ".join(view["suites"])),
                ("状态 Status", view["status"]),
                ("实验室时钟 Lab clock", f"{view['clock']['now']} ({view['clock']['mode']})"),
                ("消息 Calls", f"{activity.get('calls', 0)} (last {_stamp(activity.get('last_call') or '')})"),
                ("结算 Settlements in force", activity.get("settlements_in_force", 0)),
                ("重置 Resets", view["resets"]),
            )
        )
        + "</dl>"
    )
    rows = "".join(_case_row(c) for c in judged["cases"])
    cases = (
        "<table id='cases'><thead><tr><th>用例 Case</th><th>标题 Title</th><th>人员 Person</th><th>结论 Verdict</th>"
        f"<th>消息 Messages</th><th>首个失败 First failure</th></tr></thead><tbody>{rows}</tbody></table>"
        if judged["cases"]
        else '<p class="muted">The session\'s suites have no cases: see its activity, and the inspector.</p>'
    )
    base = f"/lab/sessions/{_e(session_id)}"
    links = (
        f'<p class="links"><a href="{base}/report?format=html">报告 Report (HTML)</a>'
        f'<a href="{base}/report?format=json">JSON</a><a href="{base}/report?format=junit">JUnit XML</a>'
        f'<a href="{base}/bundle">签名包 Signed bundle</a></p>'
    )
    stray = judged["session"]
    unclaimed = (
        f"<p class='muted'>{len(stray['unattributed'])} message(s) no case claims"
        + (f", {len(stray['failures'])} failure(s) among them" if stray["failures"] else "")
        + "</p>"
    )
    body = (
        f'<h1>会话 Session <code id="session-id">{_e(session_id)}</code></h1>'
        f"<section>{info}{links}</section>"
        f'<section><h2>结论 Verdicts <span class="muted" id="updated">(judged at {_e(view["clock"]["now"])} lab '
        f"time)</span></h2><p>{badges}</p><div class='bar'>{bar}</div>{cases}{unclaimed}</section>"
    )
    return _page(f"Lab session {session_id}", body)


def _stamp(stamp: str) -> str:
    """yyyyMMddHHmmssSSS → yyyy-MM-dd HH:mm:ss.SSS"""
    if len(stamp) < 14:
        return stamp or "—"
    day, time = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}", f"{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}"
    return f"{day} {time}" + (f".{stamp[14:]}" if stamp[14:] else "")


def _case_row(c: dict[str, Any]) -> str:
    first = c["failures"][0] if c["failures"] else None
    why = (
        f"<b>{_e(first['rule'])}</b> <code>{_e(first['msgid'])}</code> {_e(first['field'])}: expected "
        f"{_e(first['expected'])}, actual {_e(first['actual'])}"
        + (f" <span class='muted'>(+{len(c['failures']) - 1} more)</span>" if len(c["failures"]) > 1 else "")
        if first
        else _e(c["error"])
    )
    return (
        f'<tr id="case-{_e(c["suite"])}-{_e(c["case"])}"><td>{_e(c["suite"])}/{_e(c["case"])}</td>'
        f"<td>{_e(c['title'])}</td><td>{_e(c['person'])}</td>"
        f'<td><span class="verdict {_e(c["verdict"])}">{_e(c["verdict"])}</span></td>'
        f"<td class='num'>{len(c['messages'])}</td><td>{why}</td></tr>"
    )
