"""Request signatures with a keys file, on gRPC (metadata) and on HTTP (headers), through one check
(gateway/yibao/gateway/request_auth.py): unsigned, replayed, stale and forged calls are refused on both,
operator transactions need an operator credential, and real HIS JSON shapes still work signed.

Keys: H11000000001 (the operator institution here) signs with HMAC-SHA256, H11000000002 with SM3-HMAC,
operator `ops` (SM3-HMAC) acts for H11000000001. The clock is 2026-03-15 10:00:00 Beijing time.
"""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from conftest import Clock
from lab import HOSPITAL, Item, Lab, LabRefused

from yibao.adapters.http.app import NationalHttp
from yibao.adapters.http.server import HttpServer
from yibao.adapters.platform import build_routes, build_server
from yibao.domain.world import World
from yibao.gateway.grpc_auth import SigningInterceptor as ServerSigning
from yibao.gateway.request_auth import RequestAuth, unix_time
from yibao.request_signing import ClientKey, client_keys, parse_keys, signed_values
from yibao.simulators.his.signing import SigningInterceptor
from yibao.storage.store import Store
from yibao.transactions import transactions
from yibao.v1 import region_pb2, signin_pb2
from yibao.world.loader import parse_world

OPERATOR_INST, SM3_INST = HOSPITAL, "H11000000002"  # HOSPITAL is H11000000001
KEYS = parse_keys({
    "institutions": {
        OPERATOR_INST: {"secret": "h1-hmac-secret", "algorithm": "HMAC-SHA256"},
        SM3_INST: {"secret": "h2-sm3-secret", "algorithm": "SM3-HMAC"},
    },
    "operators": {"ops": {"secret": "ops-sm3-secret", "algorithm": "SM3-HMAC", "institutions": [OPERATOR_INST]}},
})  # fmt: skip
SIGN_IN = signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8"))


@pytest.fixture(scope="module")
def world() -> World:
    from conftest import TEST_WORLD

    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR_INST)["operator"] = True
    return parse_world(raw, "test world, H11000000001 the operator")


class Platform:
    def __init__(self, world: World, store: Store, clock: Clock) -> None:
        self.clock = clock
        self.auth = RequestAuth(KEYS, clock)
        signing = [ServerSigning(self.auth, build_routes(), world)]
        self.server, port, gateway = build_server(world, store, address="127.0.0.1:0", clock=clock,
                                                  interceptors=signing)  # fmt: skip
        self.server.start()
        self.plain = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.http = HttpServer(NationalHttp(gateway, self.auth), port=0, threads=2)
        self.http.start()

    def channel(self, keys: dict[str, ClientKey]) -> grpc.Channel:
        return grpc.intercept_channel(self.plain, SigningInterceptor(keys, lambda: unix_time(self.clock())))

    def lab(self, keys: dict[str, ClientKey] | None = None) -> Lab:
        return Lab(self.channel(keys) if keys is not None else self.plain, self.clock)

    def now(self) -> int:
        return int(unix_time(self.clock()))

    def close(self) -> None:
        self.http.stop()
        self.plain.close()
        self.server.stop(grace=None)


@pytest.fixture
def platform(world: World, store: Store, clock: Clock) -> Iterator[Platform]:
    p = Platform(world, store, clock)
    yield p
    p.close()


def sign_in_request(lab: Lab) -> bytes:
    request = transactions()["9001"].request_cls(header=lab.header("9001", OPERATOR_INST), input=SIGN_IN)
    return request.SerializeToString()  # type: ignore[no-any-return]


def refused(call: Any, *args: Any) -> LabRefused:
    with pytest.raises(LabRefused) as e:
        call(*args)
    return e.value


def raw_call(channel: grpc.Channel, infno: str, body: bytes, metadata: dict[str, str]) -> Any:
    tx = transactions()[infno]
    rpc = channel.unary_unary(tx.path, request_serializer=None, response_deserializer=tx.reply_cls.FromString)
    try:
        return rpc(body, metadata=tuple(metadata.items()), timeout=10)
    except grpc.RpcError as e:
        raise LabRefused(e) from None


def test_an_unsigned_grpc_call_is_refused_and_a_signed_one_settles(platform: Platform) -> None:
    r = refused(platform.lab().sign_in, OPERATOR_INST)
    where = "metadata.x-tif-timestamp"
    assert (r.status, r.code, r.field) == (grpc.StatusCode.UNAUTHENTICATED, "AUTH_TIF_MISSING", where)
    assert r.detail.header.err_msg == (
        f"[AUTH_TIF_MISSING] 机构 H11000000001 已启用接口签名，gRPC 元数据缺少 x-tif-timestamp（字段 {where}）"
    )
    signed = platform.lab(client_keys(KEYS))
    reply = signed.visit_and_settle("P0001", [Item("A01", "1", "300.00")])
    assert reply.output.setlinfo.medfee_sumamt == "300.00"
    # the sign_no alone is no credential: the same institution's unsigned call is refused
    unsigned = platform.lab()
    unsigned.sign_nos = dict(signed.sign_nos)
    assert refused(unsigned.query_setl, reply.output.setlinfo.setl_id, reply.output.setlinfo.mdtrt_id,
                   "P0001").code == "AUTH_TIF_MISSING"  # fmt: skip


def test_a_replayed_grpc_call_is_refused_and_a_stale_one_too(platform: Platform) -> None:
    lab = platform.lab()
    body = sign_in_request(lab)
    key = client_keys(KEYS)[OPERATOR_INST]
    values = signed_values(key, infno="9001", fixmedins_code=OPERATOR_INST, body=body, unix_time=platform.now(),
                           nonce="nonce-1")  # fmt: skip
    assert raw_call(platform.plain, "9001", body, values).header.infcode == 0
    r = refused(raw_call, platform.plain, "9001", body, values)
    assert (r.status, r.code, r.field) == (grpc.StatusCode.UNAUTHENTICATED, "AUTH_TIF_NONCE_REUSED",
                                           "metadata.x-tif-nonce")  # fmt: skip
    # a nonce used on gRPC is used on HTTP too (one check, one memory): a correctly signed HTTP sign-in reusing it
    sign_in = {**envelope(lab, "9001", OPERATOR_INST), "input": {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}}
    raw = json.dumps(sign_in).encode()
    assert signed_post(platform, OPERATOR_INST, "9001", raw, "nonce-1")["err_msg"].startswith("[AUTH_TIF_NONCE_REUSED]")
    stale = signed_values(key, infno="9001", fixmedins_code=OPERATOR_INST, body=body, unix_time=platform.now() - 301,
                          nonce="nonce-2")  # fmt: skip
    assert refused(raw_call, platform.plain, "9001", body, stale).code == "AUTH_TIF_STALE"
    # a signature over one body does not carry another
    other = sign_in_request(lab)
    fresh = {**values, "x-tif-nonce": "nonce-3"}
    assert refused(raw_call, platform.plain, "9001", other, fresh).code == "AUTH_TIF_SIGNATURE"


def test_sm3_hmac_signs_an_institution(platform: Platform) -> None:
    sm3 = platform.lab({SM3_INST: client_keys(KEYS)[SM3_INST]})
    assert sm3.sign_in(SM3_INST)
    wrong = platform.lab({SM3_INST: ClientKey("h2-sm3-secret", "HMAC-SHA256")})
    r = refused(wrong.sign_in, SM3_INST)
    assert r.code == "AUTH_TIF_SIGNATURE"
    assert r.detail.message_en.startswith("x-tif-signature is wrong: H11000000002 signs with SM3-HMAC")


def change(lab: Lab, inst: str) -> Any:
    data = region_pb2.RegionStatusChange(admdvs="440300", action="unreachable", reason="专线中断")
    return lab.call("Y9102", region_pb2.SetRegionStatusInput(data=data), inst)


def test_operator_transactions_need_the_operator_credential_not_the_code(platform: Platform) -> None:
    institutions = client_keys(KEYS)
    # the operator institution signing as itself: an institution code is no operator credential
    r = refused(change, platform.lab(institutions), OPERATOR_INST)
    assert (r.status, r.code, r.field) == (grpc.StatusCode.UNAUTHENTICATED, "AUTH_OPERATOR_REQUIRED",
                                           "metadata.x-yibao-operator")  # fmt: skip
    # another institution that knows the operator's code, signing with its own secret as "ops"
    impostor = {OPERATOR_INST: ClientKey("h2-sm3-secret", "SM3-HMAC", operator="ops")}
    assert refused(change, platform.lab(impostor), OPERATOR_INST).code == "AUTH_TIF_SIGNATURE"
    # and as itself, naming the operator: the operator acts only for its institution
    sm3_as_ops = {SM3_INST: ClientKey("ops-sm3-secret", "SM3-HMAC", operator="ops")}
    assert refused(change, platform.lab(sm3_as_ops), SM3_INST).code == "AUTH_OPERATOR_INSTITUTION"
    operator = platform.lab(client_keys(KEYS, operator="ops"))  # signs its 9001 too, as the operator
    assert change(operator, OPERATOR_INST).header.infcode == 0
    reply = operator.call("Y9101", region_pb2.QueryRegionStatusInput(data=region_pb2.RegionQuery(admdvs="440300")),
                          OPERATOR_INST)  # fmt: skip
    assert reply.output.region[0].reachable_flag == "0"


# -- HTTP: the x-tif headers, over the bytes of the body as sent


def post(platform: Platform, body: dict[str, Any] | bytes, headers: dict[str, str],
         content_type: str = "application/json") -> dict[str, Any]:  # fmt: skip
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    conn = http.client.HTTPConnection("127.0.0.1", platform.http.port, timeout=10)
    try:
        conn.request("POST", "/fsi/api/callFsiService/callService", raw, {"Content-Type": content_type, **headers})
        return json.loads(conn.getresponse().read())  # type: ignore[no-any-return]
    finally:
        conn.close()


def envelope(lab: Lab, infno: str, inst: str, **fields: Any) -> dict[str, Any]:
    h = lab.header(infno, inst)
    return {"infno": infno, "msgid": h.msgid, "mdtrtarea_admvs": h.mdtrtarea_admvs, "insuplc_admdvs": "",
            "recer_sys_code": "YBXT", "infver": "V1.0", "opter_type": "1", "opter": "OP01", "opter_name": "收费员甲",
            "inf_time": h.inf_time, "fixmedins_code": inst, "fixmedins_name": h.fixmedins_name,
            "sign_no": lab.sign_nos.get(inst, ""), **fields}  # fmt: skip


def signed_post(
    platform: Platform, inst: str, infno: str, raw: bytes, nonce: str, content_type: str = "application/json"
) -> dict[str, Any]:
    key = client_keys(KEYS)[inst]
    headers = signed_values(key, infno=infno, fixmedins_code=inst, body=raw, unix_time=platform.now(), nonce=nonce)
    return post(platform, raw, headers, content_type)


def test_real_client_json_shapes_work_signed_over_http(platform: Platform) -> None:
    lab = platform.lab()
    unsigned = post(
        platform,
        {**envelope(lab, "9001", OPERATOR_INST), "input": {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}},
        {},
    )
    assert unsigned["err_msg"].startswith("[AUTH_TIF_MISSING]") and "headers.x-tif-timestamp" in unsigned["err_msg"]
    # infno as a number, opter_type as a number, a vendor field: as a real HIS sends them
    sign_in = {**envelope(lab, "9001", OPERATOR_INST), "infno": 9001, "opter_type": 1, "medins_code": "X",
               "input": {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8", "mac": None}}}  # fmt: skip
    reply = signed_post(platform, OPERATOR_INST, "9001", json.dumps(sign_in, ensure_ascii=False).encode(), "h-1")
    assert reply["infcode"] == 0, reply
    lab.sign_nos[OPERATOR_INST] = reply["output"]["signinoutb"]["sign_no"]
    # 1101 in GBK, sent as text/plain;charset=GBK, with a vendor object inside the data node
    query = {**envelope(lab, "1101", OPERATOR_INST),
             "input": {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0001", "psn_cert_type": "01",
                                "exp_content": {"厂商": "某HIS"}}}}  # fmt: skip
    raw = json.dumps(query, ensure_ascii=False).encode("gbk")
    person = signed_post(platform, OPERATOR_INST, "1101", raw, "h-2", "text/plain;charset=GBK")
    assert person["infcode"] == 0, person["err_msg"]
    assert person["output"]["baseinfo"]["psn_no"] == "P0001"
    # the same headers again: a replay
    replay = signed_post(platform, OPERATOR_INST, "1101", raw, "h-2", "text/plain;charset=GBK")
    assert replay["err_msg"].startswith("[AUTH_TIF_NONCE_REUSED]")


def test_the_simulated_hospital_signs_its_calls(world: World, store: Store) -> None:
    """`yibao simulate --keys FILE` against a gateway that requires signatures (platform time: the HIS's own)."""
    from conftest import TEST_WORLD

    from yibao.simulators.his.hospital import simulate

    auth = RequestAuth(KEYS)
    server, port, _ = build_server(world, store, address="127.0.0.1:0",
                                   interceptors=[ServerSigning(auth, build_routes(), world)])  # fmt: skip
    server.start()
    try:
        target, out = f"127.0.0.1:{port}", io.StringIO()
        assert simulate(target, 1, str(TEST_WORLD), fixmedins_code=SM3_INST, out=out) == 1  # unsigned
        assert "AUTH_TIF_MISSING" in out.getvalue()
        out = io.StringIO()
        assert simulate(target, 2, str(TEST_WORLD), fixmedins_code=SM3_INST, out=out, keys=client_keys(KEYS)) == 0
        assert "2 visits" in out.getvalue()
    finally:
        server.stop(grace=None)
