"""How much latency the national JSON/HTTP path adds over gRPC, for the same calls in one run.

Starts `yibao serve` (gRPC and HTTP) in a subprocess on a fresh store with the demo world, then
drives identical transactions over both transports from one client thread, alternating which goes
first: 1101 (a read) and the visit 2201 → 2204 → 2206 → 2207 (writes). Each call is timed from
serializing the request to having the parsed reply (proto or JSON) in hand.

Run: .venv/bin/python scripts/bench_http.py [--visits 200] [--db URL] [--new-connection]
--new-connection opens a TCP connection per HTTP call, as many HIS do (gRPC keeps its channel).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format

from yibao.adapters.http.paths import path_of
from yibao.adapters.platform import build_routes
from yibao.world.loader import load_world

ROOT = Path(__file__).resolve().parent.parent
TIMED = ("1101", "2201", "2204", "2206", "2207")
HOW = {False: "connection kept alive", True: "new connection per call"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, grpc_port: int, http_port: int, new_connection: bool) -> None:
        world = load_world()
        self.inst = next(i for i in world.institutions.values() if i.fixmedins_type == "1" and i.enabled)
        self.person = next(
            p
            for p in world.persons.values()
            if any(i.insuplc_admdvs == self.inst.admdvs and i.psn_insu_stas == "1" for i in p.insurances) and p.ec_token
        )
        self.insurance = next(i for i in self.person.insurances if i.insuplc_admdvs == self.inst.admdvs)
        catalogue = world.regions[self.inst.admdvs].catalogue
        self.item = next(i for i in catalogue.values() if i.chrgitm_lv == "01")
        self.routes = build_routes()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
        grpc.channel_ready_future(self.channel).result(timeout=30)
        self.http_port, self.new_connection = http_port, new_connection
        self.conn = http.client.HTTPConnection("127.0.0.1", http_port)
        self.seq = itertools.count()
        self.sign_no = ""
        self.times: dict[tuple[str, str], list[float]] = defaultdict(list)

    def envelope(self, infno: str) -> dict[str, Any]:
        now = datetime.now()
        return {
            "infno": infno,
            "msgid": f"{self.inst.fixmedins_code}{now:%Y%m%d%H%M%S}{next(self.seq) % 10000:04d}",
            "mdtrtarea_admvs": self.inst.admdvs,
            "insuplc_admdvs": self.insurance.insuplc_admdvs if infno != "9001" else "",
            "recer_sys_code": "YBXT",
            "infver": "V1.0",
            "opter_type": "1",
            "opter": "OP01",
            "opter_name": "收费员",
            "inf_time": f"{now:%Y-%m-%d %H:%M:%S}",
            "fixmedins_code": self.inst.fixmedins_code,
            "fixmedins_name": self.inst.fixmedins_name,
            "sign_no": self.sign_no,
        }

    def call(self, transport: str, infno: str, inp: dict[str, Any]) -> dict[str, Any]:
        """One call; returns the output as a dict (numbers as text)."""
        body = {**self.envelope(infno), "input": inp}
        if transport == "grpc":
            route = self.routes[infno]
            request = route.request_cls()
            json_format.ParseDict({k: v for k, v in body.items() if k != "input"}, request.header)
            json_format.ParseDict(inp, request.input)
            stub = self.channel.unary_unary(
                f"/{route.service}/{route.method}",
                request_serializer=route.request_cls.SerializeToString,
                response_deserializer=route.reply_cls.FromString,
            )
            started = time.perf_counter()
            reply = stub(request, timeout=30)
            elapsed = time.perf_counter() - started
            output = json_format.MessageToDict(reply.output, preserving_proto_field_name=True)
        else:
            started = time.perf_counter()
            if self.new_connection:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.http_port)
            self.conn.request("POST", path_of(infno) or "/", json.dumps(body, ensure_ascii=False).encode())
            answer = json.loads(self.conn.getresponse().read())
            elapsed = time.perf_counter() - started
            if answer["infcode"] != 0:
                raise RuntimeError(f"{infno} over HTTP refused: {answer['err_msg']}")
            output = answer["output"]
        if infno in TIMED:
            self.times[infno, transport].append(elapsed)
        return output

    def visit(self, transport: str) -> None:
        p, ins, item = self.person, self.insurance, self.item
        now = f"{datetime.now():%Y-%m-%d %H:%M:%S}"
        q = {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": p.ec_token, "psn_cert_type": "01"}}
        self.call(transport, "1101", q)
        reg = {
            "psn_no": p.psn_no, "insutype": ins.insutype, "begntime": now, "mdtrt_cert_type": "01",
            "mdtrt_cert_no": p.ec_token, "ipt_otp_no": f"B{transport}{next(self.seq)}", "atddr_no": "D1",
            "dr_name": "张医生", "dept_code": "A03", "dept_name": "内科", "caty": "A03",
        }  # fmt: skip
        mdtrt_id = self.call(transport, "2201", {"data": reg})["data"]["mdtrt_id"]
        price = f"{min(item.pric_uplmt_amt, 10):.2f}" if item.pric_uplmt_amt else "10.00"
        fee = {
            "feedetl_sn": "1", "mdtrt_id": mdtrt_id, "psn_no": p.psn_no, "chrg_bchno": "1", "rx_circ_flag": "0",
            "fee_ocur_time": now, "med_list_codg": item.med_list_codg, "medins_list_codg": item.med_list_codg,
            "det_item_fee_sumamt": price, "cnt": "1", "pric": price, "bilg_dept_codg": "A03",
            "bilg_dept_name": "内科", "bilg_dr_codg": "D1", "bilg_dr_name": "张医生", "hosp_appr_flag": "0",
        }  # fmt: skip
        self.call(transport, "2204", {"feedetail": [fee]})
        settle = {
            "psn_no": p.psn_no, "mdtrt_cert_type": "01", "mdtrt_cert_no": p.ec_token, "med_type": "11",
            "medfee_sumamt": price, "psn_setlway": "01", "mdtrt_id": mdtrt_id, "chrg_bchno": "1",
            "acct_used_flag": "0", "insutype": ins.insutype,
        }  # fmt: skip
        self.call(transport, "2206", {"data": settle})
        self.call(transport, "2207", {"data": settle})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(bench: Bench, visits: int, db: str, new_connection: bool) -> str:
    ms = 1000.0
    lines = [
        f"{visits} visits per transport; store {db}; HTTP {HOW[new_connection]}",
        "infno   gRPC p50   HTTP p50   added p50   gRPC p90   HTTP p90   added p90   (ms)",
    ]
    for infno in TIMED:
        g, h = bench.times[infno, "grpc"], bench.times[infno, "http"]
        gp50, hp50, gp90, hp90 = (statistics.median(g), statistics.median(h), percentile(g, 0.9), percentile(h, 0.9))
        lines.append(
            f"{infno}   {gp50 * ms:8.2f}   {hp50 * ms:8.2f}   {(hp50 - gp50) * ms:+9.2f}"
            f"   {gp90 * ms:8.2f}   {hp90 * ms:8.2f}   {(hp90 - gp90) * ms:+9.2f}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=200)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--new-connection", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or f"sqlite:///{tmp.name}/bench.db"
    grpc_port, http_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "yibao.cli", "serve", "--port", str(grpc_port), "--http-port", str(http_port),
         "--db", db, "--threads", "8"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        try:
            bench = Bench(grpc_port, http_port, args.new_connection)
        except grpc.FutureTimeoutError:
            server.terminate()
            raise SystemExit(f"yibao serve did not start:\n{server.communicate(timeout=30)[1]}") from None
        bench.sign_no = bench.call("grpc", "9001", {"signIn": {"opter_no": "OP01", "ip": "127.0.0.1"}})["signinoutb"][
            "sign_no"
        ]
        for _ in range(10):  # warm up both paths
            bench.visit("grpc")
            bench.visit("http")
        bench.times.clear()
        for n in range(args.visits):
            for transport in ("grpc", "http") if n % 2 == 0 else ("http", "grpc"):
                bench.visit(transport)
        print(report(bench, args.visits, db, args.new_connection))
    finally:
        server.terminate()
        server.wait(timeout=30)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
