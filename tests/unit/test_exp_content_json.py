"""The national JSON entry takes `exp_content` as an object or as its text (docs/http.md); the core reads the
text ({"er_flag": "1"} marks an emergency item of a stay, docs/seed-rules.md)."""

from yibao.adapters.http.national_json import fill
from yibao.domain.emergency import er_flag_of
from yibao.v1 import inpatient_pb2


def test_an_object_is_kept_as_its_json_text_and_read_by_the_core() -> None:
    msg, unknown = inpatient_pb2.InpatientFeeDetail(), list[str]()
    fill(msg, {"feedetl_sn": "Z1", "exp_content": {"er_flag": "1"}}, "input.feedetail[0]", unknown)
    assert (msg.exp_content, unknown) == ('{"er_flag": "1"}', [])
    assert er_flag_of(msg.exp_content, "input.feedetail[0].exp_content") == "1"


def test_text_is_taken_as_sent_and_free_text_carries_no_flag() -> None:
    msg, unknown = inpatient_pb2.InpatientFeeDetail(), list[str]()
    fill(msg, {"exp_content": "术前检查"}, "input.feedetail[0]", unknown)
    assert msg.exp_content == "术前检查"
    assert er_flag_of(msg.exp_content, "f") == "" and er_flag_of('{"other": 1}', "f") == ""
