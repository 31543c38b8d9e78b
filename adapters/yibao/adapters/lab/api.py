"""The lab's operator API on the HTTP port (docs/lab.md): JSON in, JSON out, never a traceback or an HTTP 500.

    GET    /lab/sessions                 every session
    POST   /lab/sessions                 {"institution": "H11010100001", "suites": "demo", "clock": "2026-06-01T09:00"}
    GET    /lab/sessions/ID              the session, its clock and what its calls have done
    POST   /lab/sessions/ID/reset        back to the suite's initial state
    POST   /lab/sessions/ID/clock        {"set": "2026-06-01T09:00" | "server"} and/or {"advance": "6mo"}
    GET    /lab/sessions/ID/verdicts     the verdict of every case of the session's suites, from its transcript
    DELETE /lab/sessions/ID              close
    GET    /lab/suites                   the built-in suites

Who may call it: the platform's operator functions (Y9102, Y3270) trust an institution flagged `operator` in the
world, which a lab's own harness signs in as; the lab API changes what a whole institution's calls see, so it is
held tighter. Without a token it answers only callers on the loopback interface (the HTTP port may listen on
every interface for the HIS); with `yibao serve --lab-token` (or YIBAO_LAB_TOKEN) every caller must send
`Authorization: Bearer <token>`, from anywhere. A POST must say `Content-Type: application/json`, so a web page
in a browser on the same machine cannot post to it (that takes a CORS preflight, which is never granted).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
from typing import Any

from yibao.adapters.lab.sessions import Lab, LabError
from yibao.adapters.lab.state import builtin_suites

log = logging.getLogger("yibao.lab")
MAX_BODY = 1 << 20  # an inline state file of a few thousand persons
_SESSION = re.compile(r"^/lab/sessions/([A-Za-z0-9-]{1,40})(/reset|/clock|/verdicts)?/?$")
Reply = tuple[int, list[tuple[str, str]], bytes]


class LabApi:
    def __init__(self, lab: Lab, token: str = "") -> None:
        self.lab, self.token = lab, token

    def __call__(self, method: str, path: str, environ: dict[str, Any]) -> Reply:
        try:
            self._authorize(environ)
            status, body = self._route(method, path, environ)
        except LabError as e:
            status, body = e.status, {"error": {"code": e.code, "message": e.message}}
        except Exception:  # a bug: said plainly, logged with its traceback, never shown
            log.exception("lab API failed on %s %s", method, path[:200])
            status = 503
            body = {"error": {"code": "LAB_INTERNAL", "message": "the lab could not do this; see the server's log"}}
        data = json.dumps(body, ensure_ascii=False, indent=1).encode()
        headers = [("Content-Type", "application/json;charset=UTF-8"), ("Content-Length", str(len(data))),
                   ("Cache-Control", "no-store")]  # fmt: skip
        return status, headers, data

    def _authorize(self, environ: dict[str, Any]) -> None:
        if self.token:
            sent = environ.get("HTTP_AUTHORIZATION", "")
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

    def _route(self, method: str, path: str, environ: dict[str, Any]) -> tuple[int, Any]:
        lab = self.lab
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
        self._allow(method, "POST")
        body = self._body(environ)
        if action == "/reset":
            return 200, {"session": lab.reset(session_id)}
        unknown = sorted(set(body) - {"set", "advance"})
        if unknown:
            raise LabError(400, "LAB_FIELD", f'unknown field "{unknown[0][:40]}": a clock change takes "set" and/or '
                           '"advance"')  # fmt: skip
        return 200, {"session": lab.set_clock(session_id, body.get("set"), body.get("advance"))}

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
