"""What the file transactions cost (docs/files.md, "Cost"): CPU time of one call through the national JSON entry's
WSGI application on the gateway in this process, SQLite in a temporary directory, the demo world; the median of a
few calls, and as a multiple of a 1101's.

Run: python scripts/file_cost.py
"""

from __future__ import annotations

import base64
import io
import json
import random
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from yibao import platform_clock
from yibao.adapters.http.app import NationalHttp
from yibao.adapters.platform import build_gateway
from yibao.storage.store import Store
from yibao.world.loader import load_world

world = load_world()
tmp = tempfile.mkdtemp()
store = Store(f"sqlite:///{Path(tmp) / 'y.db'}")
store.seed_persons({p.psn_no: p.account_balance for p in world.persons.values()})
app = NationalHttp(build_gateway(world, store))
INST = "H11010100001"
seq = iter(range(1, 10**6))


def call(infno, inp, sign_no=""):
    now = platform_clock.now()
    body = {
        "infno": infno,
        "msgid": f"{INST}{now:%Y%m%d%H%M%S}{next(seq) % 10000:04d}",
        "mdtrtarea_admvs": "110000",
        "recer_sys_code": "YBXT",
        "infver": "V1.0",
        "opter_type": "1",
        "opter": "OP01",
        "opter_name": "张三",
        "inf_time": f"{now:%Y-%m-%d %H:%M:%S}",
        "fixmedins_code": INST,
        "fixmedins_name": "x",
        "sign_no": sign_no,
        "input": inp,
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    got = {}
    out = b"".join(app(env, lambda s, h: got.update(status=s, headers=dict(h))))
    return got, out


def zipped(name, content):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
    return b.getvalue()


_, out = call("9001", {"signIn": {"opter_no": "OP01", "ip": "10.0.0.1"}})
sign = json.loads(out)["output"]["signinoutb"]["sign_no"]
person = next(iter(world.persons.values()))
big = zipped("noise.bin", random.Random(1).randbytes(3 * 1024 * 1024 - 4096))
bomb = zipped("zeros.txt", bytes(33 * 1024 * 1024))
rows = "".join(f"P{n:04d}\tM{n}\tS{n}\t310\t0\t110000\t10.00\t7.00\t3.00\n" for n in range(20000)).encode()
detail = zipped("d.txt", rows)


def cpu(fn, n=5):
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times) * 1000


def upload(data):
    _, out = call(
        "9101",
        {"fsUploadIn": {"in": base64.b64encode(data).decode(), "filename": "f.zip", "fixmedins_code": INST}},
        sign,
    )
    return json.loads(out)


big_no = upload(big)["output"]["file_qury_no"]
detail_no = upload(detail)["output"]["file_qury_no"]


def download():
    got, out = call("9102", {"fsDownloadIn": {"file_qury_no": big_no, "filename": "plc", "fixmedins_code": INST}}, sign)
    assert got["headers"]["Content-Type"] == "application/octet-stream" and len(out) == len(big)


def recon():
    _, out = call(
        "3202",
        {
            "data": {
                "setl_optins": "110000",
                "file_qury_no": detail_no,
                "stmt_begndate": "2026-01-01",
                "stmt_enddate": "2026-01-01",
                "medfee_sumamt": "0",
                "fund_pay_sumamt": "0",
                "cash_payamt": "0",
                "fixmedins_setl_cnt": "0",
            }
        },
        sign,
    )
    assert json.loads(out)["infcode"] == 0, out[:300]


results = {
    "1101": cpu(
        lambda: call(
            "1101",
            {
                "data": {
                    "mdtrt_cert_type": "02",
                    "mdtrt_cert_no": person.certno,
                    "psn_cert_type": "01",
                    "certno": person.certno,
                }
            },
            sign,
        ),
        20,
    ),
    "1301 (demo catalogue)": cpu(lambda: call("1301", {"data": {"ver": "0"}}, sign), 20),
    "9101 3 MiB zip": cpu(lambda: upload(big)),
    "9101 bomb (33 MiB of zeros, refused)": cpu(lambda: upload(bomb)),
    "9102 3 MiB zip": cpu(download),
    "3202 by file, 20 000 rows": cpu(recon, 3),
}
base = results["1101"]
for k, v in results.items():
    print(f"{k:40s} {v:8.2f} ms CPU  ({v / base:6.1f} × 1101)")
