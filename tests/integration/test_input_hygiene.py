"""The smaller findings of issue 17 (item 7): what reaches the platform as text or a number is what it reads as.

- a journal id beyond SQLite's integers is no transaction (404), not an internal error (500);
- digits are ASCII: `\\d` took Arabic-Indic digits in a msgid, `$` a final newline;
- control characters, line breaks outside free text, and bidirectional-text controls (U+202E turns a name
  around on screen) are refused by name, ENV_CHARACTER, before anything is stored;
- the national JSON entry reads JSON, and says so when a body comes as a form or XML (HTTP_CONTENT_TYPE).
"""

from __future__ import annotations

import pytest
from http_lab import HttpHis
from inspector_client import Browser
from lab import CERT, HOSPITAL, Lab, LabRefused

from yibao.errors import CATALOGUE
from yibao.inputs import text_field
from yibao.v1 import person_pb2, signin_pb2

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


def query(psn_name: str = "") -> person_pb2.QueryPsnInfoInput:
    data = person_pb2.PsnInfoQuery(mdtrt_cert_type="01", mdtrt_cert_no=CERT["P0001"], psn_cert_type="01",
                                   psn_name=psn_name)  # fmt: skip
    return person_pb2.QueryPsnInfoInput(data=data)


# -- the inspector's ids


# %B2 reaches the application as "²" (PATH_INFO is Latin-1), which str.isdigit takes and int() refuses
TAILS = ["99999999999999999999999", "9223372036854775808", "%B2", "%D9%A3", "1%D9%A3", "-1", "1e3", "%201"]


@pytest.fixture
def inspector(inspected: str, lab: Lab) -> Browser:
    """The operator, logged in to the inspector (tests/inspector_client.py)."""
    browser = Browser(HttpHis(inspected, lab))
    assert browser.login("ops") == 303
    return browser


@pytest.mark.parametrize("tail", TAILS)
def test_an_id_no_journal_row_can_have_is_not_found(inspector: Browser, lab: Lab, tail: str) -> None:
    lab.sign_in()
    status, raw, _ = inspector.get(f"/inspector/tx/{tail}")
    assert status == 404, raw[:300]
    status, raw, _ = inspector.get(f"/inspector?before={tail}")  # ignored: the first page
    assert status == 200 and b'<tr id="tx-' in raw


def test_the_largest_id_sqlite_holds_is_looked_up(inspector: Browser) -> None:
    status, raw, _ = inspector.get("/inspector/tx/9223372036854775807")
    assert status == 404 and "不存在" in raw.decode()


# -- ASCII digits


@pytest.mark.parametrize(
    ("msgid", "code"),
    [
        (f"{HOSPITAL}20260315100000{ARABIC_INDIC[1:5]}", "ENV_MSGID_FORMAT"),  # its sequence in Arabic-Indic digits
        (f"{HOSPITAL}2026031510000０0001", "ENV_MSGID_FORMAT"),  # a full-width zero in its time
        (f"{HOSPITAL}20260315100000001\n", "ENV_CHARACTER"),  # a line break, refused before its digits are read
    ],
)
def test_a_msgid_of_other_digits_is_refused(lab: Lab, msgid: str, code: str) -> None:
    with pytest.raises(LabRefused) as refused:
        lab.call("9001", signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="1")), msgid=msgid)
    assert (refused.value.code, refused.value.field) == (code, "header.msgid")


def test_an_insured_place_of_other_digits_is_refused(lab: Lab) -> None:
    with pytest.raises(LabRefused) as refused:
        lab.call("1101", query(), psn="P0001", insuplc_admdvs=ARABIC_INDIC[1] + ARABIC_INDIC[1] + "0000")
    assert (refused.value.code, refused.value.field) == ("ENV_FORMAT", "header.insuplc_admdvs")


# -- characters


@pytest.mark.parametrize(
    ("char", "what"),
    [
        ("\u202e", "bidirectional text control"),
        ("\u2066", "bidirectional text control"),
        ("\r\n", "line break or tab"),
        ("\n", "line break or tab"),
        ("\t", "line break or tab"),
        ("\u2028", "line break or tab"),
        ("\x1b[2J", "control character"),
        ("\x7f", "control character"),
        ("\x85", "control character"),
    ],
)
def test_control_line_and_bidi_characters_in_names_are_refused_naming_the_field(
    lab: Lab, his: HttpHis, char: str, what: str
) -> None:
    name = f"张三{char}丰"
    with pytest.raises(LabRefused) as refused:  # gRPC, in the input
        lab.call("1101", query(psn_name=name), psn="P0001")
    assert (refused.value.code, refused.value.field) == ("ENV_CHARACTER", "input.data.psn_name")
    assert (
        f"U+{ord(char[0]):04X}" in refused.value.detail.message_zh and "第 3 个字符" in refused.value.detail.message_zh
    )
    assert what in refused.value.detail.message_en
    with pytest.raises(LabRefused) as refused:  # gRPC, in the envelope
        lab.call("1101", query(), psn="P0001", opter_name=name)
    assert (refused.value.code, refused.value.field) == ("ENV_CHARACTER", "header.opter_name")
    over_http = his.call("1101", {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": CERT["P0001"],
                                           "psn_cert_type": "01", "psn_name": name}}, psn="P0001")  # fmt: skip
    over_http.assert_refused("ENV_CHARACTER")
    assert "（字段 input.data.psn_name）" in over_http.body["err_msg"]
    in_header = his.call("1101", {"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": CERT["P0001"],
                                           "psn_cert_type": "01"}}, psn="P0001", fixmedins_name=name)  # fmt: skip
    in_header.assert_refused("ENV_CHARACTER")
    assert "（字段 header.fixmedins_name）" in in_header.body["err_msg"]


def test_free_text_may_hold_line_breaks_but_no_other_control(lab: Lab) -> None:
    """A certificate (cainfo) or a description (*_dscr, memo) spans lines; no field may hold U+202E."""
    sign_in = signin_pb2.SignInInput(signIn=signin_pb2.SignInData(opter_no="OP01", ip="1"))
    reply = lab.call("9001", sign_in, cainfo="-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----")
    assert reply.output.signinoutb.sign_no
    for free in ("cainfo", "dev_safe_info"):
        with pytest.raises(LabRefused) as refused:
            lab.call("9001", sign_in, **{free: "ok\u202egnissim"})
        assert (refused.value.code, refused.value.field) == ("ENV_CHARACTER", f"header.{free}")
    text_field("第一行\n第二行\t", "input.data.main_cond_dscr", "main_cond_dscr")
    text_field("备注\r\n", "input.idetinfo.memo", "memo")
    with pytest.raises(Exception) as refused_:
        text_field("备注\x1b", "input.idetinfo.memo", "memo")
    assert getattr(refused_.value, "code", "") == "ENV_CHARACTER"


def test_names_of_any_script_pass(lab: Lab) -> None:
    for name in ("阿依古丽·买买提", "Zoë O'Brien-Łukasz", "ئابدۇرېھىم", "김민준", "👩‍⚕️"):  # ZWJ is no control
        text_field(name, "input.data.psn_name", "psn_name")
    lab.call("1101", query(), psn="P0001", opter_name="阿依古丽·买买提")


# -- Content-Type on the national JSON entry


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json;charset=UTF-8",
        "application/json; charset=utf-8",
        "Application/JSON; Charset=UTF-8",
        'application/json; charset="utf-8"',
        "text/json",
        "application/vnd.api+json",
        "text/plain",  # the platform's own Java example (HttpClient, entity.setContentType("text/plain"))
        "text/plain; charset=UTF-8",
        "",  # none at all
    ],
)
def test_json_and_what_his_code_sends_as_json_are_read(his: HttpHis, lab: Lab, content_type: str) -> None:
    answer = his.call("9001", {"signIn": {"opter_no": "OP01", "ip": "1"}}, headers={"Content-Type": content_type})
    assert answer.infcode == 0, answer.body


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",  # curl -d without -H, a web form
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/xml; charset=GBK",
        "text/html",
        "application/octet-stream",
    ],
)
def test_a_body_declared_as_something_else_is_refused_with_the_national_shape(
    his: HttpHis, lab: Lab, content_type: str
) -> None:
    answer = his.call("9001", {"signIn": {"opter_no": "OP01", "ip": "1"}}, headers={"Content-Type": content_type})
    answer.assert_refused("HTTP_CONTENT_TYPE")
    assert answer.status == 415
    assert content_type[:20] in answer.body["err_msg"] and "application/json" in answer.body["err_msg"]
    assert answer.body["inf_refmsgid"] and answer.body["output"] is None
    assert "HTTP_CONTENT_TYPE" in CATALOGUE
