"""What keeping the raw HTTP requests for the inspector costs a national call (adapters/yibao/adapters/http/traffic.py).

In one process, on a fresh SQLite store with the demo world, the same WSGI application answers 1101 (a read: the
HTTP adapter's share of the call is largest there) with the traffic log off and on, in alternating blocks so that
both see the same machine; no network. Prints the median per call each way and their ratio, and the time of the
recording alone (TrafficLog.record, timed in a loop): on a shared machine the first is within the noise.

Run: .venv/bin/python scripts/inspector_cost.py [--calls 4000] [--blocks 8]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from yibao import platform_clock
from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.traffic import BODY_KEY, Seen, TrafficLog
from yibao.adapters.platform import build_gateway
from yibao.storage.store import Store
from yibao.world.loader import load_world

INSTITUTION = "H11010100001"
seq = itertools.count(1)


def envelope(infno: str, sign_no: str, data: dict[str, Any], name: str) -> bytes:
    now = platform_clock.now()
    body = {"infno": infno, "msgid": f"{INSTITUTION}{now:%Y%m%d%H%M%S}{next(seq) % 10000:04d}",
            "mdtrtarea_admvs": "110000", "insuplc_admdvs": "", "recer_sys_code": "YBXT", "infver": "V1.0",
            "opter_type": "1", "opter": "OP01", "opter_name": "收费员", "inf_time": f"{now:%Y-%m-%d %H:%M:%S}",
            "fixmedins_code": INSTITUTION, "fixmedins_name": name, "sign_no": sign_no, "input": data}  # fmt: skip
    return json.dumps(body, ensure_ascii=False).encode()


def call(app: NationalHttp, body: bytes) -> dict[str, Any]:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/fsi/api/callFsiService/callService", "QUERY_STRING": "",
               "CONTENT_TYPE": "application/json;charset=UTF-8", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8080",
               "HTTP_USER_AGENT": "his/1.0", "HTTP_X_TIF_SIGNATURE": "x" * 64}  # fmt: skip
    return json.loads(b"".join(app(environ, lambda status, headers: None)))  # type: ignore[no-any-return]


RECORDS = 20_000


def recording_cost(name: str) -> float:
    """µs per TrafficLog.record of a 1101 request as the adapter leaves it (its body under BODY_KEY)."""
    body = envelope("1101", "S1", {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": "1" * 18}}, name)
    environ = {"REQUEST_METHOD": "POST", "QUERY_STRING": "", "CONTENT_TYPE": "application/json;charset=UTF-8",
               "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8080",
               "HTTP_USER_AGENT": "his/1.0", "HTTP_X_TIF_SIGNATURE": "x" * 64, BODY_KEY: body}  # fmt: skip
    log, at = TrafficLog(), platform_clock.now()
    started = time.thread_time()  # this thread's CPU time: what other processes on the machine do counts less
    for _ in range(RECORDS):
        log.record(environ, "POST", "/fsi/api/callFsiService/callService", Seen(), 200, at)
    return (time.thread_time() - started) / RECORDS * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=4000, help="calls each way")
    parser.add_argument("--blocks", type=int, default=8, help="alternating blocks the calls are split into")
    args = parser.parse_args()
    world = load_world(None)
    name = world.institutions[INSTITUTION].fixmedins_name
    person = next(p for p in world.persons.values() if p.certno)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'cost.db'}")
        store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
        gateway = build_gateway(world, store)
        apps = {"off": NationalHttp(gateway), "on": NationalHttp(gateway, traffic=TrafficLog())}
        signin = call(apps["off"], envelope("9001", "", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}, name))
        assert signin["infcode"] == 0, signin
        sign_no = signin["output"]["signinoutb"]["sign_no"]
        query = {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": person.certno, "psn_cert_type": "01",
                          "certno": person.certno}}  # fmt: skip
        times: dict[str, list[float]] = {"off": [], "on": []}
        per_block = max(args.calls // args.blocks, 1)
        for block in range(args.blocks * 2):
            way = ("off", "on")[block % 2] if block // 2 % 2 == 0 else ("on", "off")[block % 2]
            for _ in range(per_block):
                body = envelope("1101", sign_no, query, name)
                started = time.perf_counter()
                reply = call(apps[way], body)
                times[way].append(time.perf_counter() - started)
                assert reply["infcode"] == 0, reply
        store.close()
    off, on = (statistics.median(times[w]) * 1e6 for w in ("off", "on"))
    print(f"1101 over the WSGI application, {len(times['on'])} calls each way, median per call:")
    print(f"  traffic log off {off:8.1f} µs")
    print(f"  traffic log on  {on:8.1f} µs (on/off {on / off:.3f})")
    print(f"the recording alone (TrafficLog.record, {RECORDS} times): {recording_cost(name):.1f} µs of CPU per call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
