"""The lab's operator API on the HTTP port (docs/lab.md): JSON in, JSON out, never a traceback or an HTTP 500.

    GET    /lab/sessions                 every session
    POST   /lab/sessions                 {"institution": "H11010100001", "suites": "demo", "clock": "2026-06-01T09:00"}
    GET    /lab/sessions/ID              the session, its clock and what its calls have done
    POST   /lab/sessions/ID/reset        back to the suite's initial state
    POST   /lab/sessions/ID/clock        {"set": "2026-06-01T09:00" | "server"} and/or {"advance": "6mo"}
    POST   /lab/sessions/ID/clearing     {"setlym": "202701"}: the month cleared across regions on the sandbox (Y3270)
    GET    /lab/sessions/ID/verdicts     the verdict of every case of the session's suites, from its transcript
    GET    /lab/sessions/ID/report       ?format=json|junit|html: verdicts, rule traces, transcript, latency (report.py)
    GET    /lab/sessions/ID/bundle       the signed report bundle (bundle.py), a file `yibao cert verify` checks
    GET    /lab/key                      the lab's signing key: public key and fingerprint
    GET    /lab/, /lab/view/ID           the lab web page: sessions, and one session's cases with live verdicts
    DELETE /lab/sessions/ID              close
    GET    /lab/suites                   the built-in suites

Who may call it: the platform's operator functions (Y9102, Y3270) trust an institution flagged `operator` in the
world, which a lab's own harness signs in as; the lab API changes what a whole institution's calls see, so it is
held tighter. Without a token it answers only callers on the loopback interface (the HTTP port may listen on
every interface for the HIS); with `yibao serve --lab-token` (or YIBAO_LAB_TOKEN) every caller must send
`Authorization: Bearer <token>`, from anywhere (or, for a browser on the lab page, HTTP Basic with the token as
the password). A POST must say `Content-Type: application/json`, so a web page
in a browser on the same machine cannot post to it (that takes a CORS preflight, which is never granted).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs

from yibao.adapters.lab import bundle, page, report
from yibao.adapters.lab.sessions import Lab, LabError
from yibao.adapters.lab.state import builtin_suites

log = logging.getLogger("yibao.lab")
MAX_BODY = 1 << 20  # an inline state file of a few thousand persons
_SESSION = re.compile(r"^/lab/sessions/([A-Za-z0-9-]{1,40})(/reset|/clock|/clearing|/verdicts|/report|/bundle)?/?$")
_VIEW = re.compile(r"^/lab/view/([A-Za-z0-9-]{1,40})/?$")
JSON = "application/json;charset=UTF-8"
HTML = "text/html;charset=UTF-8"
Reply = tuple[int, list[tuple[str, str]], bytes]


class _Raw:
    """An answer that is not the API's JSON: a page, a report, a bundle."""

    def __init__(self, content_type: str, data: bytes, headers: list[tuple[str, str]] | None = None) -> None:
        self.content_type, self.data, self.headers = content_type, data, headers or []


class LabApi:
    def __init__(self, lab: Lab, token: str = "") -> None:
        self.lab, self.token = lab, token

    def __call__(self, method: str, path: str, environ: dict[str, Any]) -> Reply:
        extra: list[tuple[str, str]] = []
        try:
            self._authorize(environ)
            status, body = self._route(method, path, environ)
        except LabError as e:
            status, body = e.status, {"error": {"code": e.code, "message": e.message}}
            if e.status == 401 and self._is_page(path):  # a browser asks for the token (as the password)
                extra.append(("WWW-Authenticate", 'Basic realm="yibao lab", charset="UTF-8"'))
        except Exception:  # a bug: said plainly, logged with its traceback, never shown
            log.exception("lab API failed on %s %s", method, path[:200])
            status = 503
            body = {"error": {"code": "LAB_INTERNAL", "message": "the lab could not do this; see the server's log"}}
        if isinstance(body, _Raw):
            content_type, data, extra = body.content_type, body.data, body.headers
        else:
            content_type, data = JSON, json.dumps(body, ensure_ascii=False, indent=1).encode()
        if method == "HEAD":
            data = b""
        headers = [("Content-Type", content_type), ("Content-Length", str(len(data))), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff"), *extra]  # fmt: skip
        return status, headers, data

    @staticmethod
    def _is_page(path: str) -> bool:
        report_or_bundle = path.startswith("/lab/sessions/") and path.rstrip("/").endswith(("/report", "/bundle"))
        return path in ("/lab", "/lab/") or path.startswith("/lab/view/") or report_or_bundle

    def _authorize(self, environ: dict[str, Any]) -> None:
        if self.token:
            sent = environ.get("HTTP_AUTHORIZATION", "")
            if sent[:6].lower() == "basic ":  # a browser on the lab page: any user name, the token as the password
                try:
                    sent = "Bearer " + base64.b64decode(sent[6:].strip(), validate=True).decode().partition(":")[2]
                except (binascii.Error, UnicodeDecodeError):
                    sent = ""
            if not hmac.compare_digest(sent.encode(), f"Bearer {self.token}".encode()):
                raise LabError(401, "LAB_TOKEN", "the lab API needs Authorization: Bearer <the server's --lab-token>")
            return
        try:
            loopback = ipaddress.ip_address(environ.get("REMOTE_ADDR", "").split("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise LabError(403, "LAB_LOOPBACK_ONLY", "the lab API answers the server's own host only; start the server "
                           "with --lab-token to reach it from elsewhere")  # fmt: skip
        if not _loopback_host(environ.get("HTTP_HOST", "")):
            # A web page of another name whose DNS answer was changed to 127.0.0.1 (DNS rebinding) would reach the
            # API from the lab's own browser: without a token, only requests addressed to the loopback are answered.
            raise LabError(403, "LAB_LOOPBACK_ONLY", "without --lab-token the lab API answers only requests addressed "
                           "to localhost or a loopback address (Host header)")  # fmt: skip

    def _route(self, method: str, path: str, environ: dict[str, Any]) -> tuple[int, Any]:
        lab = self.lab
        if path in ("/lab", "/lab/"):
            self._allow(method, "GET", "HEAD")
            return 200, _Raw(HTML, page.sessions_page(lab).encode())
        view = _VIEW.match(path)
        if view is not None:
            self._allow(method, "GET", "HEAD")
            return 200, _Raw(HTML, page.session_page(lab, view.group(1)).encode())
        if path.rstrip("/") == "/lab/key":
            self._allow(method, "GET")
            return 200, self._key()
        if path.rstrip("/") == "/lab/suites":
            self._allow(method, "GET")
            return 200, {"suites": builtin_suites()}
        if path.rstrip("/") == "/lab/sessions":
            if self._allow(method, "GET", "POST") == "GET":
                return 200, {"sessions": lab.sessions()}
            body = self._body(environ)
            return 201, {"session": lab.open(body.get("institution"), body.get("suites", body.get("suite")),
                                             body.get("clock"))}  # fmt: skip
        m = _SESSION.match(path)
        if m is None:
            raise LabError(404, "LAB_PATH", f"no lab resource at {path[:200]!r}; see docs/lab.md")
        session_id, action = m.group(1), m.group(2)
        if action is None:
            if self._allow(method, "GET", "DELETE") == "GET":
                return 200, {"session": lab.status(session_id)}
            return 200, {"session": lab.close(session_id)}
        if action == "/verdicts":
            self._allow(method, "GET")
            return 200, lab.verdicts(session_id)
        if action == "/report":
            self._allow(method, "GET", "HEAD")
            fmt = (parse_qs(environ.get("QUERY_STRING", "")).get("format") or ["json"])[0]
            if fmt not in report.FORMATS:
                raise LabError(400, "LAB_FIELD", f"format {fmt[:20]!r}: one of {', '.join(report.FORMATS)}")
            data = report.render(report.build(lab, session_id), fmt)
            return 200, _Raw(report.FORMATS[fmt], data)
        if action == "/bundle":
            self._allow(method, "GET")
            try:
                data, fingerprint = bundle.make(lab, session_id)
            except bundle.SigningKeyError as e:
                raise LabError(503, "LAB_KEY", str(e)) from None
            disposition = f'attachment; filename="{session_id}.bundle.json"'
            return 200, _Raw(JSON, data, [("Content-Disposition", disposition), ("X-Lab-Key-Fingerprint", fingerprint)])
        self._allow(method, "POST")
        body = self._body(environ)
        if action == "/reset":
            return 200, {"session": lab.reset(session_id)}
        if action == "/clearing":
            self._only(body, ("setlym",), 'a clearing takes "setlym"')
            return 200, lab.clear(session_id, body.get("setlym"))
        self._only(body, ("set", "advance"), 'a clock change takes "set" and/or "advance"')
        return 200, {"session": lab.set_clock(session_id, body.get("set"), body.get("advance"))}

    def _key(self) -> dict[str, Any]:
        try:
            key = bundle.signing_key(self.lab.folder)
        except bundle.SigningKeyError as e:
            raise LabError(503, "LAB_KEY", str(e)) from None
        except OSError as e:
            raise LabError(503, "LAB_UNAVAILABLE", f"the lab directory cannot be used: {e.strerror or e}") from None
        public = bundle.public_key_of(key)
        return {"algorithm": "Ed25519", "public_key": base64.b64encode(public).decode(),
                "fingerprint": bundle.fingerprint(public)}  # fmt: skip

    @staticmethod
    def _only(body: dict[str, Any], keys: tuple[str, ...], rule: str) -> None:
        unknown = sorted(set(body) - set(keys))
        if unknown:
            raise LabError(400, "LAB_FIELD", f'unknown field "{unknown[0][:40]}": {rule}')

    @staticmethod
    def _allow(method: str, *allowed: str) -> str:
        if method not in allowed:
            raise LabError(405, "LAB_METHOD", f"{method[:10]} is not served here; use {' or '.join(allowed)}")
        return method

    @staticmethod
    def _body(environ: dict[str, Any]) -> dict[str, Any]:
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            raise LabError(413, "LAB_BODY_TOO_LARGE", f"the body is over {MAX_BODY} bytes")
        if kind != "application/json":  # also for an empty body: a browser's form cannot send this type
            raise LabError(415, "LAB_CONTENT_TYPE", "send the body as Content-Type: application/json")
        raw = environ["wsgi.input"].read(length) if length else b""
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise LabError(400, "LAB_JSON", f"the body is not valid JSON: {e}") from None
        if not isinstance(body, dict):
            raise LabError(400, "LAB_JSON", "the body must be a JSON object")
        return body


def _loopback_host(host: str) -> bool:
    """Whether a Host header names the loopback: localhost or a loopback address, with any port ("" when the
    client sent none, as HTTP/1.0 may)."""
    if not host:
        return True
    name = host[1:].partition("]")[0] if host.startswith("[") else host.rpartition(":")[0] or host
    if name.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
