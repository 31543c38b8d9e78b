"""The national JSON/HTTP entry point: URL shapes, what real clients send, and the refusals of the
transport itself. Every case checks the national reply (infcode, err_msg "[CODE] …")."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import Served
from http_lab import DISPATCH, HttpHis
from lab import HOSPITAL, Lab
from sqlalchemy import func, select

from yibao.adapters.http import paths
from yibao.adapters.http.tif import signature
from yibao.gateway.request_auth import unix_time
from yibao.storage import schema
from yibao.v1 import signin_pb2

SIGN_IN = {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}
HEBEI_PREFIX = "/ebus/rio_fsi"


def psn_query(cert: str = "EC0001") -> dict[str, Any]:
    return {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": cert, "psn_cert_type": "01"}}


def fee(mdtrt_id: str, sn: str, code: str, cnt: Any, pric: Any, total: Any) -> dict[str, Any]:
    return {
        "feedetl_sn": sn,
        "mdtrt_id": mdtrt_id,
        "psn_no": "P0001",
        "chrg_bchno": "B1",
        "rx_circ_flag": "0",
        "fee_ocur_time": "2026-03-15 10:00:00",
        "med_list_codg": code,
        "medins_list_codg": f"H-{code}",
        "det_item_fee_sumamt": total,
        "cnt": cnt,
        "pric": pric,
        "bilg_dept_codg": "A03",
        "bilg_dept_name": "内科",
        "bilg_dr_codg": "D001",
        "bilg_dr_name": "张医生",
        "hosp_appr_flag": "0",
    }


# -- URL shapes (docs/reference/interface.md §1.3)


@pytest.mark.parametrize(
    "path",
    [
        "/fsi/api/signInSignOutService/signIn",
        f"{HEBEI_PREFIX}/fsi/api/signInSignOutService/signIn",
        f"{HEBEI_PREFIX}/fsi/api/signInSignOutService/signIn/",
        "/ebus/gdyb_inf/poc/hsa/hgs/9001",
        "/power-csb/powercsb/9001",
        "/9001",
        DISPATCH,
        "/mbs/fmi/fsi/api/callFsiService/callService",
        "/",
        "/api",
        "/api/?trace=1",
    ],
)
def test_every_url_shape_reaches_the_gateway(his: HttpHis, path: str) -> None:
    answer = his.call("9001", SIGN_IN, path=path)
    assert (answer.status, answer.infcode, answer.body["err_msg"]) == (200, 0, None)
    assert answer.output["signinoutb"]["sign_no"]


def test_each_served_transaction_has_its_path_and_infno_shapes(his: HttpHis, served: Served) -> None:
    for infno in served.gateway.routes:
        hebei = paths.path_of(infno)
        for path in filter(None, [hebei and HEBEI_PREFIX + hebei, f"/hsa/hgs/{infno}", f"/{infno.lower()}"]):
            assert paths.resolve(path) == paths.Target(infno), path
    assert paths.resolve("/fsi/api/outpatientDocInfoService/outpatientRegistration") == paths.Target("2201")
    assert paths.resolve("/FSI/API/outpatientSettleService/SAVESETTLETMENTV2") == paths.Target("2207")
    assert paths.resolve("/fsi/api/outpatientSettleService/saveSettletment") == paths.Target("2207A")
    assert paths.resolve("/inspectorx") is None and paths.resolve("/fsi/api/x") is None
    answer = his.call("1101", psn_query(), path=HEBEI_PREFIX + "/fsi/api/fsiPsnInfoService/queryPsnInfo")
    assert answer.infcode == 0 and answer.output["baseinfo"]["psn_no"] == "P0001"


@pytest.mark.parametrize(
    "path", [HEBEI_PREFIX + "/fsi/api/fsiPsnInfoService/queryPsnInfo", "/ebus/sz_prd/poc/hsa/hgs/1101"]
)
def test_a_path_naming_another_transaction_is_refused(his: HttpHis, path: str) -> None:
    answer = his.call("9001", SIGN_IN, path=path)
    answer.assert_refused("HTTP_INFNO_PATH_MISMATCH")
    assert "9001" in answer.body["err_msg"] and "1101" in answer.body["err_msg"]


def test_unknown_infno_path_and_method(his: HttpHis) -> None:
    his.call("9999", SIGN_IN).assert_refused("HTTP_INFNO_UNKNOWN")
    his.call("9999", SIGN_IN, path="/hsa/hgs/9999").assert_refused("HTTP_INFNO_UNKNOWN")
    missing = his.post({k: v for k, v in his.envelope("9001").items() if k != "infno"} | {"input": SIGN_IN})
    missing.assert_refused("ENV_REQUIRED")
    unknown = his.call("9001", SIGN_IN, path="/fsi/api/noSuchService/noSuchMethod")
    assert unknown.status == 404
    unknown.assert_refused("HTTP_PATH_UNKNOWN")
    status, raw, _ = his.request("PUT", DISPATCH, b"{}")
    body = json.loads(raw)
    assert status == 405 and body["infcode"] == -1 and body["err_msg"].startswith("[HTTP_METHOD]")


def test_body_too_large_is_refused_without_reading_it(his: HttpHis) -> None:
    big = json.dumps({**his.envelope("9001"), "input": SIGN_IN, "pad": "x" * (9 * 1024 * 1024)}).encode()
    answer = his.post(big)
    assert answer.status == 413
    answer.assert_refused("HTTP_BODY_TOO_LARGE")


def test_malformed_bodies(his: HttpHis) -> None:
    his.post(b'{"infno": "9001",').assert_refused("HTTP_JSON_MALFORMED")
    his.post(b"").assert_refused("HTTP_JSON_MALFORMED")
    his.post(b"\xff\xfe{}").assert_refused("HTTP_JSON_MALFORMED")
    his.post(b'{"infno": NaN}').assert_refused("HTTP_JSON_MALFORMED")
    his.post(b"[" * 100_000 + b"]" * 100_000).assert_refused("HTTP_JSON_MALFORMED")
    his.post(b"[1, 2]").assert_refused("HTTP_BODY_NOT_OBJECT")
    his.post(b'"9001"').assert_refused("HTTP_BODY_NOT_OBJECT")


# -- tolerance of what real clients send


def test_numbers_or_strings_give_the_same_split(his: HttpHis, lab: Lab, served: Served) -> None:
    mdtrt_id = lab.register("P0001")
    as_numbers = [
        fee(mdtrt_id, "F1", "A01", 2, Decimal("50.00"), Decimal("100.00")),
        fee(mdtrt_id, "F2", "B02", Decimal("1.0000"), Decimal("4.52"), Decimal("4.52")),
        fee(mdtrt_id, "F3", "CT1", 1, Decimal("2E+2"), 200),  # exponent notation: still exact
    ]
    as_strings = [
        fee(mdtrt_id, "F4", "A01", "2", "50.00", "100.00"),
        fee(mdtrt_id, "F5", "B02", "1.0000", "4.52", "4.52"),
        fee(mdtrt_id, "F6", "CT1", "1", "200", "200"),
    ]
    numbers = his.call("2204", {"feedetail": as_numbers}, psn="P0001")
    strings = his.call("2204", {"feedetail": as_strings}, psn="P0001", path="/hsa/hgs/2204")
    assert numbers.infcode == 0 and strings.infcode == 0, (numbers.body, strings.body)

    def split(answer: Any) -> list[tuple[Any, ...]]:
        keys = ("fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "det_item_fee_sumamt")
        return [tuple(r[k] for k in keys) for r in answer.output["result"]]

    assert split(numbers) == split(strings)
    # 4.52 stayed 4.52 (as a float it would not): 乙 10% → preselfpay 0.45, inscp 4.07
    assert split(numbers)[1] == (Decimal("0.00"), Decimal("0.00"), Decimal("0.45"), Decimal("4.07"), Decimal("4.52"))
    # amounts come back as JSON numbers with their exact text; codes stay strings
    assert b'"det_item_fee_sumamt":4.52' in numbers.raw and b'"chrgitm_lv":"02"' in numbers.raw
    # and the proto got the exact decimal text
    with served.store.read() as tx:
        stored = dict(tx.conn.execute(select(schema.fee.c.feedetl_sn, schema.fee.c.pric)).all())
    assert stored["F2"] == "4.52" and stored["F3"] == "200"


def test_envelope_numbers_nulls_and_empty_strings(his: HttpHis) -> None:
    env = his.envelope("9001")
    env.update(infno=9001, opter_type=1, insuplc_admdvs=None, dev_no=None, cainfo="", signtype=None, sign_no=None)
    answer = his.post({**env, "input": {"signIn": {"opter_no": "OP01", "ip": "10.0.0.8", "mac": None}}})
    assert answer.infcode == 0, answer.body
    assert answer.body["warn_msg"] is None


def test_unknown_fields_are_ignored_and_reported(his: HttpHis) -> None:
    env = {**his.envelope("9001"), "medins_code": "H11000000001", "token": "abc"}
    inp = {"signIn": {**SIGN_IN["signIn"], "exp_content": {"x": 1}}, "extra_node": []}
    answer = his.post({**env, "input": inp})
    assert answer.infcode == 0
    warn = answer.body["warn_msg"]
    for name in ("medins_code", "token", "input.signIn.exp_content", "input.extra_node"):
        assert name in warn, warn


def test_many_unknown_fields_are_counted_not_all_listed(his: HttpHis) -> None:
    env = {**his.envelope("9001"), **{f"x{n}": n for n in range(50)}}
    answer = his.post({**env, "input": SIGN_IN})
    assert answer.infcode == 0 and "等 50 个" in answer.body["warn_msg"]


def test_input_as_a_bare_list_and_a_list_node_as_one_object(his: HttpHis, lab: Lab) -> None:
    mdtrt_id = lab.register("P0001")
    bare = his.call("2204", [fee(mdtrt_id, "F1", "A01", "1", "50.00", "50.00")], psn="P0001")
    assert bare.infcode == 0 and [r["feedetl_sn"] for r in bare.output["result"]] == ["F1"]
    one = his.call("2204", {"feedetail": fee(mdtrt_id, "F2", "A01", "1", "50.00", "50.00")}, psn="P0001")
    assert one.infcode == 0 and [r["feedetl_sn"] for r in one.output["result"]] == ["F2"]
    # a bare list is refused where the input is not a single list
    his.call("1101", [psn_query()["data"]]).assert_refused("HTTP_WRONG_TYPE")


def test_chinese_text_round_trips_as_utf8(his: HttpHis) -> None:
    his.sign_in()
    env = his.envelope("1101", opter_name="收费员张三·门诊")
    answer = his.post({**env, "input": psn_query()})
    assert answer.infcode == 0
    assert "甲职工".encode() in answer.raw  # raw UTF-8, not \\u escapes
    assert answer.output["baseinfo"]["psn_name"] == "甲职工"
    # a GBK body is read when the client declares it
    gbk = json.dumps({**his.envelope("1101", opter_name="收费员李四"), "input": psn_query()}, ensure_ascii=False)
    status, raw, _ = his.request("POST", DISPATCH, gbk.encode("gbk"), {"Content-Type": "application/json; charset=GBK"})
    assert status == 200 and json.loads(raw)["infcode"] == 0
    # a UTF-8 BOM is tolerated
    status, raw, _ = his.request(
        "POST", DISPATCH, b"\xef\xbb\xbf" + json.dumps({**his.envelope("9001"), "input": SIGN_IN}).encode()
    )
    assert json.loads(raw)["infcode"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.update(opter={"id": "OP01"}), "header.opter"),
        (lambda b: b.update(fixmedins_code=["H11000000001"]), "header.fixmedins_code"),
        (lambda b: b.update(opter_type=True), "header.opter_type"),
        (lambda b: b.update(input="signIn"), "input"),
        (lambda b: b["input"].update(signIn="OP01"), "input.signIn"),
        (lambda b: b["input"]["signIn"].update(ip=["10.0.0.8"]), "input.signIn.ip"),
        (lambda b: b["input"]["signIn"].update(opter_no=False), "input.signIn.opter_no"),
    ],
)
def test_wrong_types_name_the_field(his: HttpHis, change: Any, field: str) -> None:
    body = {**his.envelope("9001"), "input": json.loads(json.dumps(SIGN_IN))}
    change(body)
    answer = his.post(body)
    answer.assert_refused("HTTP_WRONG_TYPE")
    assert f"（字段 {field}）" in answer.body["err_msg"]


def test_numbers_out_of_range(his: HttpHis, lab: Lab) -> None:
    mdtrt_id = lab.register("P0001")
    huge = his.call("2204", {"feedetail": [fee(mdtrt_id, "F1", "A01", 1, Decimal("1E+400"), 1)]}, psn="P0001")
    huge.assert_refused("HTTP_NUMBER_RANGE")
    assert "input.feedetail[0].pric" in huge.body["err_msg"]
    his.post(b'{"infno": 1' + b"0" * 5000 + b"}").assert_refused("HTTP_JSON_MALFORMED")
    nul = his.post({**his.envelope("9001"), "input": {"signIn": {"opter_no": "OP\u0000", "ip": "1"}}})
    nul.assert_refused("HTTP_JSON_MALFORMED")
    surrogate = his.post(b'{"infno": "9001", "opter_name": "\\ud800"}')
    surrogate.assert_refused("HTTP_JSON_MALFORMED")


# -- the same gateway as gRPC


def test_http_and_grpc_share_validation_idempotency_and_journal(his: HttpHis, lab: Lab, served: Served) -> None:
    env = his.envelope("9001")
    first = his.post({**env, "input": SIGN_IN})
    again = his.post({**env, "input": SIGN_IN})  # a retry: the stored reply, not a second sign-in
    assert first.output == again.output
    # the same msgid over gRPC is the same message: replayed, byte for byte the same sign_no
    h = lab.header("9001", msgid=env["msgid"])
    req = signin_pb2.SignInRequest(
        header=h, input=signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="10.0.0.8"))
    )
    assert lab.send(req, "9001").output.signinoutb.sign_no == first.output["signinoutb"]["sign_no"]
    # a different body under the same msgid is refused over HTTP exactly as over gRPC
    other = his.post({**env, "input": {"signIn": {"opter_no": "OP02", "ip": "10.0.0.8"}}})
    other.assert_refused("ENV_MSGID_REUSED")
    # envelope validation is the gateway's: a stale inf_time
    his.call("9001", SIGN_IN, inf_time="2020-01-01 00:00:00").assert_refused("ENV_INF_TIME")
    with served.store.read() as tx:
        j = schema.journal
        outcomes = list(tx.conn.scalars(select(j.c.outcome).where(j.c.msgid == env["msgid"]).order_by(j.c.id)))
        signins = tx.conn.scalar(select(func.count()).select_from(schema.signin))
    assert outcomes == ["ok", "replayed", "replayed", "refused"]
    assert signins == 1


def test_business_refusals_carry_the_catalogue_text(his: HttpHis, lab: Lab) -> None:
    answer = his.call("1101", psn_query("NOBODY"))
    answer.assert_refused("PSN_CERT_UNKNOWN")
    assert answer.body["err_msg"].endswith("（字段 input.data.mdtrt_cert_no）")
    assert answer.output is None


# -- x-tif signatures (tests/tif_keys.json: H11000000002 signs with paasid his-h2, H44030000001 with any)

SIGNED = "H11000000002"
SECRET = "h2-secret-测试"


def tif(
    his: HttpHis, nonce: str, *, ts: int | None = None, secret: str = SECRET, paasid: str = "his-h2"
) -> dict[str, str]:
    stamp = str(ts if ts is not None else int(unix_time(his.lab.clock())))
    return {
        "x-tif-paasid": paasid,
        "x-tif-timestamp": stamp,
        "x-tif-nonce": nonce,
        "x-tif-signature": signature(stamp, secret, nonce),
    }


def test_tif_signature_checked_for_an_institution_with_a_secret(his: HttpHis) -> None:
    def sign_in(headers: dict[str, str]) -> Any:
        return his.call("9001", SIGN_IN, inst=SIGNED, headers=headers)

    assert sign_in(tif(his, "n-1")).infcode == 0
    sign_in({}).assert_refused("AUTH_TIF_MISSING")
    missing = sign_in({k: v for k, v in tif(his, "n-2").items() if k != "x-tif-nonce"})
    missing.assert_refused("AUTH_TIF_MISSING")
    assert "x-tif-nonce" in missing.body["err_msg"]
    sign_in(tif(his, "n-3", secret="wrong")).assert_refused("AUTH_TIF_SIGNATURE")
    sign_in(tif(his, "n-4", paasid="someone-else")).assert_refused("AUTH_TIF_PAASID")
    sign_in({**tif(his, "n-5"), "x-tif-timestamp": "yesterday"}).assert_refused("AUTH_TIF_FORMAT")
    now = int(unix_time(his.lab.clock()))
    sign_in(tif(his, "n-6", ts=now - 301)).assert_refused("AUTH_TIF_STALE")
    sign_in(tif(his, "n-7", ts=now + 301)).assert_refused("AUTH_TIF_STALE")
    assert sign_in(tif(his, "n-8", ts=now - 299)).infcode == 0
    reused = sign_in(tif(his, "n-1"))
    reused.assert_refused("AUTH_TIF_NONCE_REUSED")
    # after the window the old nonce is forgotten (its own timestamp would be stale by now)
    his.lab.clock.advance(seconds=301)
    assert sign_in(tif(his, "n-1")).infcode == 0
    # nonces are per institution: another institution may use the same nonce (its own secret, any paasid)
    other = his.call("9001", SIGN_IN, inst="H44030000001", headers=tif(his, "n-1", secret="h4-secret", paasid="x"))
    assert other.infcode == 0, other.body


def test_institutions_without_a_secret_are_not_checked(his: HttpHis) -> None:
    assert his.call("9001", SIGN_IN, inst=HOSPITAL).infcode == 0
    bogus = {"x-tif-paasid": "x", "x-tif-timestamp": "1", "x-tif-nonce": "n", "x-tif-signature": "00"}
    assert his.call("9001", SIGN_IN, inst=HOSPITAL, headers=bogus).infcode == 0
