"""Golden national JSON for the person queries that read what was filed or settled elsewhere (docs/queries.md):
5205 chronic-disease medication records, 5303 stays in hospital, 5304 referrals. Each file of
tests/golden/queries_filed/ holds a request as a HIS builds it and the output written by hand, compared exactly —
numbers as the wire's numbers (cnt, pric, *_sumamt), empty fields as null.

The person's history is made over gRPC first, figures by hand from tests/test_world.json (the clock stands at
2026-03-15 10:00:00): P0001 (employee, 310, insured in 110000) files hypertension M03900 (2503) and settles a
med_type 14 visit at H11000000001 of A01 甲类药 3 × 20.00 = 60.00 (the one medication record of March); is admitted
there (2401, med_type 21, ipt_no ZY-GOLD-1, 高血压 I10.x00), not discharged (in hospital: no endtime); and is referred
(2501) to H44030000001 乙市医院 in 440300, refl_type 3, from today for the region's referral period, one year
less a day (docs/seed-rules.md): 2026-03-15 to 2027-03-14, in force (fil_stas 1), made today by H11000000001.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from http_lab import HttpHis
from lab import CERT, HOSPITAL, Item, Lab

from yibao.v1 import inpatient_pb2, outpatient_pb2

GOLDEN = Path(__file__).parents[1] / "golden" / "queries_filed"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"), parse_float=Decimal)


def substitute(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: substitute(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, values) for v in node]
    if isinstance(node, str) and node.startswith("${") and node.endswith("}"):
        return values[node[2:-1]]
    return node


def chronic_visit(lab: Lab) -> tuple[str, str]:
    """The hypertension visit: its mdtrt_id and setl_id."""
    lab.file_chronic("P0001", "M03900", "高血压病")
    mdtrt_id = lab.register("P0001")
    item = lab.fee(mdtrt_id, "P0001", Item("A01", "3", "20.00"), batch="HTN")
    item.dise_codg = "M03900"
    lab.call("2204", outpatient_pb2.UploadFeeDetailsInput(feedetail=[item]), psn="P0001")
    return mdtrt_id, lab.settle(mdtrt_id, "60.00", batch="HTN", med_type="14").output.setlinfo.setl_id


def admit(lab: Lab) -> str:
    info = inpatient_pb2.AdmissionInfo(
        psn_no="P0001", insutype="310", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
        mdtrt_cert_no=CERT["P0001"], med_type="21", ipt_no="ZY-GOLD-1", atddr_no="D002", chfpdr_name="李主任",
        adm_dept_codg="A03", adm_dept_name="内科", dscg_maindiag_code="I10.x00", dscg_maindiag_name="高血压",
    )  # fmt: skip
    mdtrt_id: str = lab.call("2401", inpatient_pb2.AdmitInput(mdtrtinfo=info), psn="P0001").output.result.mdtrt_id
    return mdtrt_id


def test_golden_filed_queries_over_http(his: HttpHis, lab: Lab) -> None:
    mdtrt_id, setl_id = chronic_visit(lab)
    stay_id = admit(lab)
    sn = lab.refer("P0001", "440300", "3").output.result.trt_dcla_detl_sn
    values = {"now": f"{lab.clock():%Y-%m-%d %H:%M:%S}", "sign_no": lab.sign_nos[HOSPITAL], "mdtrt_id": mdtrt_id,
              "setl_id": setl_id, "stay_id": stay_id, "trt_dcla_detl_sn": sn}  # fmt: skip
    files = sorted(GOLDEN.glob("*.json"))
    assert len(files) == 3
    for path in files:
        case = load(path)
        values["msgid"] = lab.msgid()
        answer = his.post(substitute(case["request"], values), case["url"])
        assert answer.status == 200 and answer.infcode == 0, (path.name, answer.body["err_msg"])
        assert answer.output == substitute(case["output"], values), path.name


def test_golden_filed_query_bodies_name_their_transaction() -> None:
    for path in sorted(GOLDEN.glob("*.json")):
        case = load(path)
        assert str(case["request"]["infno"]) == path.name.split("_")[1], path.name
        assert {"infno", "msgid", "fixmedins_code", "inf_time", "sign_no", "input"} <= set(case["request"]), path.name
