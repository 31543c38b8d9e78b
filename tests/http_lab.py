"""Test support: a HIS that speaks the national JSON envelope over HTTP, sharing msgids and
sign-ins with a gRPC `Lab` so one test can drive both transports."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from lab import HOSPITAL, Lab

from yibao.adapters.http.national_json import HEADER_FIELDS
from yibao.errors import CATALOGUE

DISPATCH = "/fsi/api/callFsiService/callService"
ERR_CODE = re.compile(r"^\[([A-Z0-9_]+)\] ")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    raw: bytes

    @property
    def infcode(self) -> int:
        return self.body["infcode"]

    @property
    def output(self) -> Any:
        return self.body["output"]

    @property
    def code(self) -> str:
        """The catalogue code of a refusal (from err_msg), "" on success."""
        m = ERR_CODE.match(self.body.get("err_msg") or "")
        return m.group(1) if m else ""

    def assert_refused(self, code: str | None = None) -> None:
        assert self.infcode == -1, self.body
        assert self.code in CATALOGUE, self.body
        if code is not None:
            assert self.code == code, self.body


class HttpHis:
    def __init__(self, base: str, lab: Lab) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.lab = lab
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def close(self) -> None:
        self.conn.close()

    def envelope(self, infno: str, inst: str = HOSPITAL, psn: str | None = None, **over: Any) -> dict[str, Any]:
        """A complete national request envelope (every header field, "" when unused), without input."""
        h = self.lab.header(infno, inst, psn)
        body: dict[str, Any] = {name: getattr(h, name) for name in HEADER_FIELDS}
        body.update(over)
        return body

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        try:
            self.conn.request(method, path, body, {"Content-Type": "application/json;charset=UTF-8", **(headers or {})})
            r = self.conn.getresponse()
        except (http.client.HTTPException, ConnectionError):  # server closed a kept-alive connection: once more
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body, {"Content-Type": "application/json;charset=UTF-8", **(headers or {})})
            r = self.conn.getresponse()
        return r.status, r.read(), {k.lower(): v for k, v in r.getheaders()}

    def post(self, body: Any, path: str = DISPATCH, headers: dict[str, str] | None = None) -> Answer:
        raw = body if isinstance(body, bytes) else to_json(body).encode()
        status, data, got = self.request("POST", path, raw, headers)
        assert got["content-type"].startswith("application/json"), got
        return Answer(status, json.loads(data, parse_float=Decimal), data)

    def call(
        self,
        infno: str,
        inp: Any,
        inst: str = HOSPITAL,
        psn: str | None = None,
        path: str = DISPATCH,
        headers: dict[str, str] | None = None,
        **over: Any,
    ) -> Answer:
        if infno != "9001" and inst not in self.lab.sign_nos and "sign_no" not in over:
            self.sign_in(inst)
        return self.post({**self.envelope(infno, inst, psn, **over), "input": inp}, path, headers)

    def sign_in(self, inst: str = HOSPITAL, headers: dict[str, str] | None = None) -> str:
        a = self.call("9001", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}, inst, headers=headers)
        assert a.infcode == 0, a.body
        self.lab.sign_nos[inst] = a.output["signinoutb"]["sign_no"]
        return self.lab.sign_nos[inst]


def to_json(value: Any) -> str:
    """JSON text in which a Decimal is written as the number it is, digit for digit (4.520 stays 4.520)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def plain(value: Any) -> Any:
    """National JSON made comparable with a proto's MessageToDict: numbers as their text, empty
    values (null, "", {}, []) dropped."""
    if isinstance(value, dict):
        out = {k: plain(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return value
