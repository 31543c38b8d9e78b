"""Write collections/: a Postman collection (v2.1) and REST Client `.http` files that run, against the built-in demo
world over the national JSON entry, a complete outpatient visit, a refund of one of its items and an inpatient stay.

Run: python scripts/gen_collections.py [--check]
--check fails if the files in collections/ differ from what this script writes (tests/unit/test_collections_current.py).

One list of steps (STEPS) makes both files, so they send the same requests; tests/integration/test_collections.py
runs the Postman collection's requests in order against a gateway on the demo world. Each step names what its reply
gives the later steps (`captures`), written into the Postman test script as
`pm.collectionVariables.set("name", pm.response.json().output...)` and into the .http file as a named request's
`{{name.response.body.$.output...}}`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "collections"
POSTMAN = OUT / "yibao-demo.postman_collection.json"
HTTP = OUT / "yibao-demo.http"

# The demo world's (src/yibao/world/demo_world.json): a level-3 Beijing hospital and an employee insured in Beijing.
VARIABLES = {
    "baseUrl": "http://127.0.0.1:8080",
    "fixmedins_code": "H11010100001",
    "fixmedins_name": "北京市东城区第一人民医院",
    "mdtrtarea_admvs": "110000",
    "certno": "110105198811020028",
    "psn_name": "李晓梅",
    "ipt_otp_no": "MZ20270001",
    "ipt_no": "ZY20270001",
}
# The collection's script before every request; the .http file writes the same with REST Client's $datetime.
PRE_REQUEST = """// Before every request: inf_time in Beijing time (the platform's, whatever this machine's zone) and a
// fresh msgid, fixmedins_code + yyyyMMddHHmmss (Beijing) + 4 digits counted up: two in one second differ.
const pad = (n, w = 2) => String(n).padStart(w, "0");
const bj = new Date(Date.now() + 8 * 3600 * 1000);  // read with the getUTC… methods: UTC+8 = Asia/Shanghai
const date = `${bj.getUTCFullYear()}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`;
const time = `${pad(bj.getUTCHours())}:${pad(bj.getUTCMinutes())}:${pad(bj.getUTCSeconds())}`;
const seq = (Number(pm.collectionVariables.get("msgid_seq") || 0) + 1) % 10000;
pm.collectionVariables.set("msgid_seq", seq);
pm.variables.set("inf_time", `${date} ${time}`);
const stamp = (date + time).replace(/[-:]/g, "");
pm.variables.set("msgid", pm.collectionVariables.get("fixmedins_code") + stamp + pad(seq, 4));"""

DOCTOR = {"atddr_no": "D001", "dr_name": "张医生", "dept_code": "A03", "dept_name": "内科", "caty": "A03"}
BILLING = {"bilg_dept_codg": "A03", "bilg_dept_name": "内科", "bilg_dr_codg": "D001", "bilg_dr_name": "张医生"}
PERSON = {"psn_no": "{{psn_no}}"}
CERT = {"mdtrt_cert_type": "02", "mdtrt_cert_no": "{{certno}}"}


def _fee(sn: str, code: str, cnt: str, pric: str, total: str, **extra: str) -> dict[str, str]:
    return {
        "feedetl_sn": sn,
        "mdtrt_id": "{{mdtrt_id}}",
        **PERSON,
        "fee_ocur_time": "{{inf_time}}",
        "med_list_codg": code,
        "medins_list_codg": f"H-{sn}",
        "det_item_fee_sumamt": total,
        "cnt": cnt,
        "pric": pric,
        "hosp_appr_flag": "0",
        **BILLING,
        **extra,
    }


def _settle(med_type: str, total: str, **extra: str) -> dict[str, Any]:
    return {
        "data": {
            **PERSON,
            **CERT,
            "med_type": med_type,
            "medfee_sumamt": total,
            "psn_setlway": "01",
            "mdtrt_id": "{{mdtrt_id}}",
            "acct_used_flag": "1",
            "insutype": "310",
            **extra,
        }
    }


# (folder, name, infno, Hebei path or "" for …/{infno}, input, captures: variable → path in the reply)
STEPS: list[tuple[str, str, str, str, Any, dict[str, str]]] = [
    (
        "Outpatient visit",
        "9001 sign in",
        "9001",
        "/fsi/api/signInSignOutService/signIn",
        {"signIn": {"opter_no": "OP01", "mac": "00-16-3E-0A-1B-2C", "ip": "10.0.0.8"}},
        {"sign_no": "output.signinoutb.sign_no"},
    ),
    (
        "Outpatient visit",
        "1101 person by ID number",
        "1101",
        "/fsi/api/fsiPsnInfoService/queryPsnInfo",
        {"data": {**CERT, "psn_cert_type": "01", "certno": "{{certno}}", "psn_name": "{{psn_name}}"}},
        {"psn_no": "output.baseinfo.psn_no", "insuplc_admdvs": "output.insuinfo[0].insuplc_admdvs"},
    ),
    (
        "Outpatient visit",
        "2201 register",
        "2201",
        "",
        {
            "data": {
                **PERSON,
                "insutype": "310",
                "begntime": "{{inf_time}}",
                **CERT,
                "ipt_otp_no": "{{ipt_otp_no}}",
                **DOCTOR,
            }
        },
        {"mdtrt_id": "output.data.mdtrt_id"},
    ),
    (
        "Outpatient visit",
        "2203 visit information",
        "2203",
        "/fsi/api/outpatientDocInfoService/outpatientMdtrtinfoUp",
        {
            "mdtrtinfo": {
                "mdtrt_id": "{{mdtrt_id}}",
                **PERSON,
                "med_type": "11",
                "begntime": "{{inf_time}}",
                "main_cond_dscr": "咳嗽三天，伴低热",
                "dise_codg": "J06.900",
                "dise_name": "急性上呼吸道感染",
            },
            "diseinfo": [
                {
                    "diag_type": "1",
                    "diag_srt_no": "1",
                    "diag_code": "J06.900",
                    "diag_name": "急性上呼吸道感染",
                    "diag_dept": "内科",
                    "dise_dor_no": "D001",
                    "dise_dor_name": "张医生",
                    "diag_time": "{{inf_time}}",
                    "vali_flag": "1",
                    "maindiag_flag": "1",
                }
            ],
        },
        {},
    ),
    (
        "Outpatient visit",
        "2204 fee details",
        "2204",
        "/fsi/api/outpatientDocInfoService/outpatientFeeListUp",
        {
            "feedetail": [
                _fee("F01", "001102000010000-110200001", "1", "10.00", "10.00", chrg_bchno="B1", rx_circ_flag="0"),
                _fee("F02", "XJ01DCA037A001010101464", "2", "25.50", "51.00", chrg_bchno="B1", rx_circ_flag="0"),
                _fee("F03", "002501000010000-250101001", "1", "20.00", "20.00", chrg_bchno="B1", rx_circ_flag="0"),
            ]
        },
        {},
    ),
    (
        "Outpatient visit",
        "2206 pre-settle",
        "2206",
        "/fsi/api/outpatientSettleService/preSettletment",
        _settle("11", "81.00", chrg_bchno="B1", rx_circ_flag="0"),
        {},
    ),
    (
        "Outpatient visit",
        "2207 settle",
        "2207",
        "",
        _settle("11", "81.00", chrg_bchno="B1", rx_circ_flag="0"),
        {"setl_id": "output.setlinfo.setl_id"},
    ),
    (
        "Refund",
        "Y2208 refund one item (the tablets)",
        "Y2208",
        "",
        {
            "data": {"setl_id": "{{setl_id}}", "mdtrt_id": "{{mdtrt_id}}", **PERSON, "refd_rea": "01"},
            "refddetail": [{"feedetl_sn": "F02"}],
        },
        {"rev_setl_id": "output.rfdinfo.rev_setl_id", "new_setl_id": "output.rfdinfo.new_setl_id"},
    ),
    (
        "Inpatient stay",
        "2401 admit",
        "2401",
        "/fsi/api/hospitalRegisterService/hospitalRegisterSave",
        {
            "mdtrtinfo": {
                **PERSON,
                "insutype": "310",
                "coner_name": "王小明",
                "tel": "13800000000",
                "begntime": "{{inf_time}}",
                **CERT,
                "med_type": "21",
                "ipt_no": "{{ipt_no}}",
                "atddr_no": "D002",
                "chfpdr_name": "李主任",
                "adm_diag_dscr": "胸痛待查",
                "adm_dept_codg": "A03",
                "adm_dept_name": "内科",
                "adm_bed": "12",
                "dscg_maindiag_code": "I20.000",
                "dscg_maindiag_name": "不稳定型心绞痛",
            },
            "diseinfo": [
                {
                    **PERSON,
                    "diag_type": "1",
                    "maindiag_flag": "1",
                    "diag_srt_no": "1",
                    "diag_code": "I20.000",
                    "diag_name": "不稳定型心绞痛",
                    "diag_dept": "内科",
                    "dise_dor_no": "D002",
                    "dise_dor_name": "李主任",
                    "diag_time": "{{inf_time}}",
                }
            ],
        },
        {"mdtrt_id": "output.result.mdtrt_id"},
    ),
    (
        "Inpatient stay",
        "2301 fee details",
        "2301",
        "/fsi/api/hospFeeDtlService/feeDtlUp",
        {
            "feedetail": [
                _fee("Z01", "003311000010000-331100001", "3", "8.00", "24.00", med_type="21", drord_no="YZ01"),
                _fee("Z02", "XJ01DCA037A001010101464", "10", "25.50", "255.00", med_type="21", drord_no="YZ02"),
                _fee("Z03", "002102030010000-210203001", "1", "180.00", "180.00", med_type="21", drord_no="YZ03"),
            ]
        },
        {},
    ),
    (
        "Inpatient stay",
        "2402 discharge",
        "2402",
        "/fsi/api/dscgService/dischargeProcess",
        {
            "dscginfo": {
                "mdtrt_id": "{{mdtrt_id}}",
                **PERSON,
                "insutype": "310",
                "endtime": "{{inf_time}}",
                "dscg_dept_codg": "A03",
                "dscg_dept_name": "内科",
                "dscg_bed": "12",
                "dscg_way": "1",
            },
            "diseinfo": [],
        },
        {},
    ),
    (
        "Inpatient stay",
        "2303 pre-settle",
        "2303",
        "/fsi/api/hospSettService/preSett",
        _settle("21", "459.00", mid_setl_flag="0"),
        {},
    ),
    (
        "Inpatient stay",
        "2304 settle",
        "2304",
        "",
        _settle("21", "459.00", mid_setl_flag="0"),
        {"setl_id": "output.setlinfo.setl_id"},
    ),
    (
        "Inpatient stay",
        "9002 sign out",
        "9002",
        "/fsi/api/signInSignOutService/signOut",
        {"signOut": {"sign_no": "{{sign_no}}", "opter_no": "OP01"}},
        {},
    ),
]

HEADER_ORDER = (
    "infno",
    "msgid",
    "mdtrtarea_admvs",
    "insuplc_admdvs",
    "recer_sys_code",
    "dev_no",
    "dev_safe_info",
    "cainfo",
    "signtype",
    "infver",
    "opter_type",
    "opter",
    "opter_name",
    "inf_time",
    "fixmedins_code",
    "fixmedins_name",
    "sign_no",
)


def envelope(infno: str, data: Any) -> dict[str, Any]:
    """The national request envelope of one step, with {{variables}}."""
    header = {
        "infno": infno,
        "msgid": "{{msgid}}",
        "mdtrtarea_admvs": "{{mdtrtarea_admvs}}",
        "insuplc_admdvs": "{{insuplc_admdvs}}" if _needs_insured_place(data) else "",
        "recer_sys_code": "YBXT",
        "dev_no": "",
        "dev_safe_info": "",
        "cainfo": "",
        "signtype": "",
        "infver": "V1.0",
        "opter_type": "1",
        "opter": "OP01",
        "opter_name": "收费员",
        "inf_time": "{{inf_time}}",
        "fixmedins_code": "{{fixmedins_code}}",
        "fixmedins_name": "{{fixmedins_name}}",
        "sign_no": "" if infno == "9001" else "{{sign_no}}",
    }
    assert tuple(header) == HEADER_ORDER
    return {**header, "input": data}


def _needs_insured_place(data: Any) -> bool:
    return "{{psn_no}}" in json.dumps(data)


def url_of(infno: str, path: str) -> str:
    return "{{baseUrl}}" + (path or f"/{infno}")


def _capture_script(captures: dict[str, str]) -> list[str]:
    lines = ['pm.test("infcode 0", () => pm.expect(pm.response.json().infcode, pm.response.json().err_msg).to.eql(0));']
    for name, where in captures.items():
        lines.append(f'pm.collectionVariables.set("{name}", pm.response.json().{where});')
    return lines


def postman() -> dict[str, Any]:
    folders: dict[str, list[dict[str, Any]]] = {}
    for folder, name, infno, path, data, captures in STEPS:
        url = url_of(infno, path)
        folders.setdefault(folder, []).append(
            {
                "name": name,
                "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": _capture_script(captures)}}],
                "request": {
                    "method": "POST",
                    "header": [{"key": "Content-Type", "value": "application/json;charset=UTF-8"}],
                    "body": {
                        "mode": "raw",
                        "raw": json.dumps(envelope(infno, data), ensure_ascii=False, indent=2),
                        "options": {"raw": {"language": "json"}},
                    },
                    "url": {"raw": url, "host": ["{{baseUrl}}"], "path": url.removeprefix("{{baseUrl}}/").split("/")},
                },
            }
        )
    captured = sorted({n for *_, c in STEPS for n in c} | {"insuplc_admdvs"})
    return {
        "info": {
            "name": "Yibao Gateway: demo world (outpatient visit, refund, inpatient stay)",
            "description": "National JSON over HTTP against `yibao serve` on the built-in demo world. Run the "
            "folders in order: each request's test script keeps the ids its reply gives (sign_no, "
            "psn_no, mdtrt_id, setl_id) for the next. Generated by scripts/gen_collections.py.",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "event": [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": PRE_REQUEST.splitlines()}}],
        "variable": [{"key": k, "value": v} for k, v in VARIABLES.items()]
        + [{"key": k, "value": ""} for k in captured],
        "item": [{"name": folder, "item": items} for folder, items in folders.items()],
    }


def _http_ref(step: int, where: str) -> str:
    """A reply's value in REST Client's syntax: {{name.response.body.$.output...}} (JSONPath)."""
    return f"{{{{step{step}.response.body.$.{where}}}}}"


def http_file() -> str:
    """The same steps for the REST Client extension of VS Code: file variables, named requests for the chained ids,
    and its system variables for msgid and inf_time in Beijing time ($datetime with an offset of 8 hours)."""
    lines = [
        "# Yibao Gateway: demo world (outpatient visit, refund, inpatient stay), national JSON over HTTP.",
        "# REST Client (VS Code) syntax; send the requests in order. Generated by scripts/gen_collections.py.",
        "",
    ]
    for k, v in VARIABLES.items():
        lines.append(f"@{k} = {v}")
    lines += [
        '@inf_time = {{$datetime "YYYY-MM-DD HH:mm:ss" 8 h}}',
        '@msgid = {{fixmedins_code}}{{$datetime "YYYYMMDDHHmmss" 8 h}}{{$randomInt 1000 9999}}',
    ]
    source: dict[str, str] = {}  # variable → the named request whose reply gives it
    for n, (folder, name, infno, path, data, captures) in enumerate(STEPS, 1):
        body = json.dumps(envelope(infno, data), ensure_ascii=False, indent=2)
        for var, ref in source.items():
            body = body.replace("{{" + var + "}}", ref)
        lines += [
            "",
            f"### {folder}: {name}",
            f"# @name step{n}",
            f"POST {url_of(infno, path)}",
            "Content-Type: application/json;charset=UTF-8",
            "",
            body,
        ]
        for var, where in captures.items():
            source[var] = _http_ref(n, where)
    return "\n".join(lines) + "\n"


def render() -> dict[Path, str]:
    return {POSTMAN: json.dumps(postman(), ensure_ascii=False, indent=2) + "\n", HTTP: http_file()}


def main() -> int:
    files = render()
    if "--check" in sys.argv[1:]:
        stale = [p.name for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
        if stale:
            print("collections/ is stale; run python scripts/gen_collections.py:", ", ".join(stale))
            return 1
        return 0
    OUT.mkdir(exist_ok=True)
    for path, text in files.items():
        path.write_text(text, "utf-8")
    print(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in files)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
