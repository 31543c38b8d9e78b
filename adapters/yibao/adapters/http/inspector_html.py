"""The inspector's HTML pieces: the page frame and style, links between ids, the latency chart (inline SVG), the
login page and the error catalogue page. No scripts, no external assets: the pages work offline and under a
Content-Security-Policy that allows nothing but their own inline style.

The layout fits a 1366 px screen: the transaction table has fixed column shares and long ids wrap inside their
cells (overflow-wrap), so no column is pushed off the screen or clipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from yibao.adapters.http.error_help import how_to_fix
from yibao.errors import CATALOGUE, Category

STYLE = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#0b5394;color:#fff;padding:8px 16px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600}header .sub{font-weight:400;opacity:.9}
header form{margin-left:auto}header .who{font-size:12px;opacity:.9}main{padding:12px 14px}
section{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:10px 12px;margin:0 0 12px}
h1{font-size:18px;margin:0 0 10px}h2{font-size:15px;margin:0 0 8px}h3{font-size:13px;margin:12px 0 6px}
form.filters{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:end}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#556}
form.filters input{width:150px}form.filters input[type=datetime-local]{width:185px}
input,select,button{font:inherit;font-size:13px;padding:3px 5px}
button{background:#0b5394;color:#fff;border:0;border-radius:4px;padding:5px 14px;cursor:pointer}
.tools{display:flex;gap:14px;flex-wrap:wrap;margin-top:8px;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
table.tx{table-layout:fixed}table.tx td{overflow-wrap:anywhere}table.tx a.code{overflow-wrap:normal}
th,td{border-bottom:1px solid #e3e8ee;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.id{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11.5px}
.ok{color:#0a7d32;font-weight:600}.refused{color:#b3261e;font-weight:600}
.replayed{color:#8a5a00;font-weight:600}
pre{background:#f0f3f7;padding:8px;overflow:auto;font-size:12px;max-height:520px;white-space:pre-wrap;
overflow-wrap:anywhere;margin:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#556}dd{margin:0}
.muted{color:#778}.error{color:#b3261e;font-weight:600}.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.pair>section{min-width:0}.counts td,.counts th{width:auto}
table.catalogue tr:target{background:#fff4c2}table.catalogue td{overflow-wrap:anywhere}
.login{max-width:360px;margin:60px auto}.login label{display:block;margin:0 0 10px}.login input{width:100%;
box-sizing:border-box}
"""
# The transaction table's columns and their shares of the width (they add up to 100).
LIST_COLUMNS = (
    ("时间 Time", 9.5),
    ("机构 Institution", 8.5),
    ("交易 infno", 9),
    ("msgid", 13),
    ("psn_no", 8.5),
    ("mdtrt_id", 12.5),
    ("setl_id", 12.5),
    ("结果 Outcome", 6),
    ("错误码 Error", 16),  # the longest code (26 characters) on one line
    ("ms", 4.5),
)
OUTCOME_COLOURS = {"ok": "#0a7d32", "refused": "#b3261e", "replayed": "#8a5a00"}
# What an inspector page may load: nothing but its own inline style; no frames, forms only to itself.
SECURITY_HEADERS = [
    ("Content-Security-Policy",
     "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "same-origin"),  # not no-referrer: a browser then posts forms with "Origin: null"
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
]  # fmt: skip


def e(value: object) -> str:
    return escape(str(value), quote=True)


def stamp_text(stamp: str) -> str:
    """yyyyMMddHHmmssSSS → yyyy-MM-dd HH:mm:ss.SSS"""
    if len(stamp) < 14:
        return stamp
    s = stamp
    return f"{s[0:4]}-{s[4:6]}-{s[6:8]} {s[8:10]}:{s[10:12]}:{s[12:14]}" + (f".{s[14:]}" if s[14:] else "")


def page(title: str, body: str, *, who: str = "", refresh: int = 0) -> str:
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    user = (
        f'<span class="who">{e(who)}</span><form method="post" action="/inspector/logout">'
        '<button type="submit" id="logout">退出 Log out</button></form>'
        if who
        else ""
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">{meta}<title>{e(title)}</title>'
        f'<style>{STYLE}</style></head><body><header><a href="/inspector">Yibao Gateway · 交易查看器 '
        'Transaction inspector</a><a class="sub" href="/inspector/errors">错误码 Error catalogue</a>'
        f"{user}</header><main>{body}</main></body></html>"
    )


def filter_link(name: str, value: str | None, text: str | None = None) -> str:
    """An id as a link to the list filtered by it ("" when there is none)."""
    if not value:
        return ""
    return f'<a class="id" href="/inspector?{e(urlencode({name: value}))}">{e(text or value)}</a>'


def error_link(code: str) -> str:
    """An error code as a link to its catalogue entry with how to fix it."""
    if not code:
        return ""
    if code not in CATALOGUE:
        return e(code)
    return f'<a class="code" href="/inspector/errors#{e(code)}" title="{e(how_to_fix(code))}">{e(code)}</a>'


def colgroup() -> str:
    return "<colgroup>" + "".join(f'<col style="width:{share}%">' for _, share in LIST_COLUMNS) + "</colgroup>"


def latency_chart(points: Sequence[tuple[str, str, float]], width: int = 1200, height: int = 140) -> str:
    """An inline SVG bar per call, oldest left: (label, outcome, milliseconds); with the median, p95 and maximum."""
    if not points:
        return ""
    ms = sorted(p[2] for p in points)
    top = max(ms[-1], 0.001)
    step = width / len(points)
    bars = "".join(
        f'<rect x="{i * step:.1f}" y="{height - 14 - (height - 24) * v / top:.1f}" width="{max(step - 1, 1):.1f}" '
        f'height="{max((height - 24) * v / top, 1):.1f}" fill="{OUTCOME_COLOURS.get(o, "#556")}">'
        f"<title>{e(label)} · {v:.1f} ms · {e(o)}</title></rect>"
        for i, (label, o, v) in enumerate(points)
    )
    median, p95 = ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    legend = f"{len(ms)} calls · median {median:.1f} ms · p95 {p95:.1f} ms · max {ms[-1]:.1f} ms"
    return (
        f'<svg id="latency" role="img" aria-label="{e(legend)}" viewBox="0 0 {width} {height}" width="100%" '
        f'height="{height}" preserveAspectRatio="none">'
        f'<text x="4" y="12" font-size="12" fill="#556">{e(legend)}</text>{bars}'
        f'<line x1="0" y1="{height - 14}" x2="{width}" y2="{height - 14}" stroke="#99a"/></svg>'
    )


def login_page(next_path: str, message: str = "") -> str:
    note = f'<p class="error" id="login-error">{e(message)}</p>' if message else ""
    body = (
        '<section class="login"><h1>登录 Log in</h1>'
        '<p class="muted">The inspector shows each account the traffic it is granted (docs/security.md).</p>'
        f'{note}<form method="post" action="/inspector/login">'
        '<label>用户名 Name<input name="name" id="name" autocomplete="username" required></label>'
        '<label>密码 Password<input name="password" id="password" type="password" '
        'autocomplete="current-password" required></label>'
        f'<input type="hidden" name="next" value="{e(next_path)}">'
        '<button type="submit" id="login">登录 Log in</button></form></section>'
    )
    return page("登录 Log in · inspector", body)


def catalogue_page(who: str) -> str:
    """Every catalogue code by category, each row an anchor (#CODE), with its messages and how to fix it."""
    parts = ['<section><h1>错误码 Error catalogue</h1><p class="muted">Every refusal carries one of these codes. '
             "{name} in a message is filled in when the refusal is made. (The same table: docs/errors.md.)</p>"
             "</section>"]  # fmt: skip
    for category in Category:
        specs = [s for s in CATALOGUE.values() if s.category is category]
        if not specs:
            continue
        rows = "".join(
            f'<tr id="{e(s.code)}"><td class="id">{e(s.code)}</td><td>{e(s.zh)}</td><td>{e(s.en)}</td>'
            f"<td>{e(how_to_fix(s.code))}</td></tr>"
            for s in specs
        )
        parts.append(
            f'<section><h2>{e(category.value)}</h2><table class="catalogue"><colgroup><col style="width:16%">'
            '<col style="width:27%"><col style="width:27%"><col style="width:30%"></colgroup><thead><tr><th>code</th>'
            f"<th>中文</th><th>English</th><th>如何修正 How to fix</th></tr></thead><tbody>{rows}</tbody></table>"
            "</section>"
        )
    return page("错误码 Error catalogue", "".join(parts), who=who)
