"""The HTTP side of observing calls (gateway/yibao/gateway/observe.py): a WSGI wrapper around the national JSON
entry that serves `GET /metrics` and times, counts and logs every national call, the transport's refusals
(unknown path, malformed JSON, a bad signature) included. It reads what it logs from the body as received and
the reply as sent, so the entry itself is unchanged; the lab, the inspector and /healthz are not calls."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from yibao.adapters.http.paths import resolve
from yibao.adapters.http.traffic import BODY_KEY
from yibao.gateway.metrics import AMOUNTS, CONTENT_TYPE, Metrics
from yibao.gateway.observe import Envelope, Observer

StartResponse = Callable[..., Any]
NOT_CALLS = ("/lab", "/inspector", "/healthz", "/metrics")
_FIELD = re.compile(rb'"(infno|msgid|fixmedins_code|opter|opter_name)"\s*:\s*"((?:[^"\\]|\\.){0,100})"')
_REFUSED = re.compile(rb'"infcode":\s*-1')
_CODE = re.compile(r"^\[([A-Z0-9_]+)\]")
_WHERE = re.compile(r"（字段 ([^）]+)）$")


class ObservedHttp:
    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]], observer: Observer) -> None:
        self.app, self.observer = app, observer

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/metrics" and method in ("GET", "HEAD"):
            return self._metrics(method, start_response)
        if not is_call(method, path):
            return self.app(environ, start_response)
        metrics = self.observer.metrics
        started = time.perf_counter()
        if metrics is not None:
            metrics.in_flight.labels("http").inc()
        try:
            reply = b"".join(self.app(environ, start_response))
        finally:
            if metrics is not None:
                metrics.in_flight.labels("http").dec()
        seconds = time.perf_counter() - started
        fields = envelope_fields(environ.get(BODY_KEY, b""))
        infno = fields.get("infno") or _infno_of(path)
        envelope = Envelope(fields.get("msgid", ""), fields.get("fixmedins_code", ""), fields.get("opter", ""),
                            fields.get("opter_name", ""))  # fmt: skip
        self.observer.done("http", infno, envelope, refusal_in(reply), seconds, lambda: setlinfo_in(reply))
        return [reply]

    def _metrics(self, method: str, start_response: StartResponse) -> list[bytes]:
        metrics: Metrics | None = self.observer.metrics
        if metrics is None:
            body = b"metrics are off (yibao serve --no-metrics)\n"
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        else:
            body = metrics.exposition()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [b"" if method == "HEAD" else body]


def is_call(method: str, path: str) -> bool:
    """Whether the entry answers this request as a national call (its pages are not calls)."""
    if path.startswith(NOT_CALLS):
        return False
    return not (path == "/" and method in ("GET", "HEAD"))


def envelope_fields(body: bytes) -> dict[str, str]:
    """infno, msgid, fixmedins_code, opter and opter_name from a body as received, best effort (it may be no JSON
    at all): the first of each, JSON escapes decoded."""
    found: dict[str, str] = {}
    for name, raw in _FIELD.findall(body[:65536]):
        key = name.decode()
        if key not in found:
            try:
                found[key] = json.loads(b'"' + raw + b'"')
            except ValueError:
                found[key] = ""
    return found


def refusal_in(reply: bytes) -> tuple[str, str]:
    """(code, field) of a refused national reply, from its err_msg ("[CODE] …（字段 FIELD）"); ("", "") if answered."""
    if not _REFUSED.search(reply[:40]):
        return "", ""
    try:
        err_msg = str(json.loads(reply).get("err_msg") or "")
    except ValueError:
        return "INTERNAL", ""
    code, where = _CODE.match(err_msg), _WHERE.search(err_msg)
    return (code.group(1) if code else "UNKNOWN"), (where.group(1) if where else "")


def setlinfo_in(reply: bytes) -> dict[str, str]:
    setlinfo = (json.loads(reply).get("output") or {}).get("setlinfo") or {}
    return {part: str(Decimal(str(setlinfo.get(part) or 0))) for part in AMOUNTS}


def _infno_of(path: str) -> str:
    target = resolve(path)
    return (target.infno or "") if target is not None else ""
