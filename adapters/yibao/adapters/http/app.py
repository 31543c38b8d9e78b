"""The national JSON-over-HTTP entry point, a WSGI application in front of the same Gateway as gRPC.

POST a national request envelope to any interface address (paths.py) and get the national reply.
Every answer is a national reply: a refusal is infcode -1 with err_msg "[CODE] 中文说明（字段 …）",
HTTP 200 as the platform does, except for transport faults — unknown address (404), not POST
(405), body too large (413) — which carry the same national body. Nothing is ever a bare 500.

Refusals of the transport itself (unreadable JSON, wrong types, unknown address or infno, x-tif
signature) happen before the gateway and so are not journaled; everything that reaches the gateway
is validated, deduplicated by msgid and journaled exactly as over gRPC.

/inspector… serves the transaction inspector behind its login (inspector.py, inspector_access.py), which also
sees the raw requests and the transport's refusals (traffic.py); GET /healthz answers "ok"; GET /openapi.json is the
interface's OpenAPI document and /openapi a page browsing it (openapi_page.py); /lab/… is the
certification lab's operator API when one is given (adapters/yibao/adapters/lab/api.py, docs/lab.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from yibao.adapters.http import national_json as nj
from yibao.adapters.http import openapi_page
from yibao.adapters.http.paths import resolve
from yibao.adapters.http.tif import carried_headers
from yibao.adapters.http.traffic import BODY_KEY, Seen, TrafficLog
from yibao.errors import Refusal
from yibao.gateway import peer_identity
from yibao.gateway.dispatch import UNKNOWN_REGION, Gateway, Refused
from yibao.gateway.gate import Gate
from yibao.gateway.request_auth import HTTP_HEADERS, Credentials, RequestAuth
from yibao.ids import new_id
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ReplyHeader

log = logging.getLogger("yibao.http")

MAX_BODY = 8 * 1024 * 1024  # a 2204 of a few thousand items fits; beyond is a runaway client
JSON = "application/json;charset=UTF-8"
STATUS = {200: "200 OK", 404: "404 Not Found", 405: "405 Method Not Allowed", 413: "413 Payload Too Large",
          415: "415 Unsupported Media Type"}  # fmt: skip
# What a HIS sends a national JSON body as (docs/http.md): JSON's own types, with or without a charset; text/plain,
# which the platform's own Java example sends; and nothing at all. Anything else (a form, XML, a file) is no body
# of ours, and is refused by name rather than misread.
JSON_TYPES = frozenset({"application/json", "text/json", "application/x-json", "text/x-json", "text/plain", ""})
TRANSPORT_STATUS = {"HTTP_PATH_UNKNOWN": 404, "HTTP_METHOD": 405, "HTTP_BODY_TOO_LARGE": 413, "HTTP_CONTENT_TYPE": 415,
                    # answered by the server to a connection it cannot take (adapters/yibao/adapters/http/server.py)
                    "HTTP_CLIENT_CONNECTIONS": 503, "HTTP_CONNECTIONS_BUSY": 503}  # fmt: skip

DOWNLOAD = "9102"
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
# (method, path, environ) → (status, headers, body): the lab's operator API (adapters/yibao/adapters/lab/api.py),
# and the inspector's pages (adapters/yibao/adapters/http/inspector.py)
Operator = Callable[[str, str, dict[str, Any]], tuple[int, list[tuple[str, str]], bytes]]
Page = Operator


@dataclass(frozen=True, slots=True)
class FileBody:
    """A 9102 download's answer: the zip itself is the body, as the national clients save it (docs/files.md)."""

    data: bytes
    filename: str

    def headers(self) -> list[tuple[str, str]]:
        ascii_name = self.filename.encode("ascii", "replace").decode().replace('"', "_") or "file.zip"
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename)}"
        return [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(self.data))),
                ("Content-Disposition", disposition)]  # fmt: skip


def _is_json(content_type: str) -> bool:
    """Whether a Content-Type says the body may be national JSON: JSON_TYPES, any `+json`; parameters aside."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            return value.strip().strip('"')
    return ""


class NationalHttp:
    """The WSGI application. `inspector` answers /inspector… (None: not served, 404); `lab` answers /lab/…
    (None: not served); `traffic` keeps the requests as received, for the inspector (None: not kept)."""

    def __init__(
        self,
        gateway: Gateway,
        auth: RequestAuth | None = None,
        inspector: Page | None = None,
        max_body: int = MAX_BODY,
        lab: Operator | None = None,
        gate: Gate | None = None,
        traffic: TrafficLog | None = None,
    ) -> None:
        self.gateway = gateway
        self.auth = auth or RequestAuth(clock=gateway.clock)  # request signatures, as on gRPC (request_auth.py)
        self.inspector = inspector
        self.max_body = max_body
        self.lab = lab
        self.gate = gate  # the worker's admission gate, shared with gRPC (gateway/yibao/gateway/gate.py)
        self.traffic = traffic

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"
        if self.lab is not None and (path == "/lab" or path.startswith("/lab/")):
            code, headers, data = self.lab(method, path, environ)
            start_response(f"{code} {HTTPStatus(code).phrase}", headers)
            return [data]
        if self.inspector is not None and (
            path == "/inspector" or path.startswith("/inspector/") or (path == "/" and method in ("GET", "HEAD"))
        ):  # a browser pointed at the gateway lands there
            return self._inspect(method, path, environ, start_response)
        if method in ("GET", "HEAD"):
            page = self._page(path, environ.get("QUERY_STRING", "")) or openapi_page.page(path, environ)
            if page is not None:
                status, content_type, body = page
                start_response(
                    STATUS.get(status, f"{status} Error"),
                    [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                )
                return [b"" if method == "HEAD" else body]
        status, body = self.national(method, path, environ)
        if isinstance(body, FileBody):
            start_response(STATUS[status], body.headers())
            return [body.data]
        start_response(STATUS[status], [("Content-Type", JSON), ("Content-Length", str(len(body)))])
        return [body]

    def _page(self, path: str, query: str) -> tuple[int, str, bytes] | None:
        if path == "/healthz":
            return 200, "text/plain;charset=UTF-8", b"ok\n"
        return None

    def _inspect(self, method: str, path: str, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        assert self.inspector is not None
        try:
            status, headers, body = self.inspector(method, path, environ)
        except Exception:  # the inspector must not take the national interface down with it
            log.exception("inspector failed on %s", path)
            status, headers = 500, [("Content-Type", "text/html;charset=UTF-8")]
            body = b"<!doctype html><title>inspector error</title><p>inspector error (see log)"
        start_response(f"{status} {HTTPStatus(status).phrase}", [*headers, ("Content-Length", str(len(body)))])
        return [b"" if method == "HEAD" else body]

    def national(self, method: str, path: str, environ: dict[str, Any]) -> tuple[int, bytes | FileBody]:
        """(HTTP status, national reply body) for one request; kept for the inspector when `traffic` is on."""
        seen = Seen()
        received = self.gateway.clock()
        status, reply = self._answer(method, path, environ, seen, received)
        if self.traffic is not None:
            self.traffic.record(environ, method, path, seen, status, received)
        return status, reply

    def _answer(
        self, method: str, path: str, environ: dict[str, Any], seen: Seen, received: datetime
    ) -> tuple[int, bytes | FileBody]:
        region, warnings = UNKNOWN_REGION, []
        try:
            target = resolve(path)
            if target is None:
                raise Refusal("HTTP_PATH_UNKNOWN", "", path=nj.safe_text(path[:200]))
            if method != "POST":
                raise Refusal("HTTP_METHOD", "", method=nj.safe_text(method[:20]))
            content_type = environ.get("CONTENT_TYPE", "")
            if not _is_json(content_type):
                raise Refusal("HTTP_CONTENT_TYPE", "", value=nj.safe_text(content_type[:100]))
            raw = self._read(environ)
            body = nj.parse_body(raw, _charset(content_type))
            if not isinstance(body, dict):
                kind, kind_en = nj.kind_of(body)
                raise Refusal("HTTP_BODY_NOT_OBJECT", "", kind=kind, kind_en=kind_en)
            infno = nj.scalar_text(body["infno"], "header.infno") if body.get("infno") is not None else ""
            if not infno:
                raise Refusal("ENV_REQUIRED", "header.infno")
            if target.infno is not None and infno != target.infno:
                raise Refusal(
                    "HTTP_INFNO_PATH_MISMATCH", "header.infno", value=infno[:10], path=path[:200], expected=target.infno
                )
            route = self.gateway.routes.get(infno)
            if route is None:
                served = " ".join(sorted(self.gateway.routes))
                raise Refusal("HTTP_INFNO_UNKNOWN", "header.infno", value=infno[:10], served=served)
            request = route.request_cls()
            unknown = nj.read_header(body, request.header)
            seen.read_from(request.header)  # for the inspector: which message this was, without reading it again
            institution = self.gateway.world.institutions.get(request.header.fixmedins_code)
            if institution is not None:
                region = institution.admdvs
            # under mutual TLS the connection's certificate proves its institution's 9001 (peer_identity.py)
            credentials = Credentials(carried_headers(environ), HTTP_HEADERS, peer_identity.certified_institution())
            self.auth.check(infno, request.header.fixmedins_code, raw, credentials)
            nj.read_input(body.get("input"), request.input, unknown)
            if unknown:
                warnings.append(nj.unknown_warning(unknown))
            if self.gate is None:
                reply = self.gateway.handle(route, request)
            else:  # beyond the worker's capacity: GATEWAY_BUSY, a Refusal answered below and not journaled
                entered = self.gate.enter(request.header.fixmedins_code)
                try:
                    reply = self.gateway.handle(route, request)
                finally:
                    self.gate.leave(entered)
            if infno == DOWNLOAD:  # the zip itself, not JSON; a refusal is national JSON as ever
                return 200, FileBody(reply.output.file, reply.output.filename)
            return 200, nj.encode_reply(reply.header, reply.output, warnings)
        except Refused as r:
            seen.err_code, seen.err_msg = r.detail.code, r.detail.header.err_msg
            return 200, nj.encode_reply(r.detail.header, None, warnings)
        except Refusal as r:  # before the gateway: not journaled, so the inspector learns of it only here
            seen.err_code, seen.err_msg, seen.transport = r.code, r.err_msg, True
            return TRANSPORT_STATUS.get(r.code, 200), self._refusal(r, region, received, warnings)
        except Exception:
            ref = new_id(region, received)
            seen.err_code, seen.transport = "INTERNAL", True
            log.exception("internal error in the HTTP adapter, reference %s, path %s", ref, path)
            return 200, self._refusal(Refusal("INTERNAL", ref=ref), region, received, [])

    def _read(self, environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body:
            raise Refusal("HTTP_BODY_TOO_LARGE", "", max=self.max_body)
        stream = environ["wsgi.input"]
        raw = stream.read(length) if length else stream.read(self.max_body + 1)
        environ[BODY_KEY] = raw  # as received, for the inspector's traffic log (traffic.py)
        if len(raw) > self.max_body:
            raise Refusal("HTTP_BODY_TOO_LARGE", "", max=self.max_body)
        return raw

    def _refusal(self, r: Refusal, region: str, received: datetime, warnings: list[str]) -> bytes:
        header = ReplyHeader(
            infcode=-1,
            inf_refmsgid=new_id(region, received),
            refmsg_time=compact_ms(received),
            respond_time=compact_ms(self.gateway.clock()),
            err_msg=nj.safe_text(r.err_msg),
        )
        return nj.encode_reply(header, None, warnings)
