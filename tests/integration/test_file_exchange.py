"""Files over the national JSON entry (docs/files.md): 13xx catalogue downloads, 9101 upload, 9102 download (the
zip itself as the HTTP body), 3202 by file; the bodies are hand-written national JSON (tests/golden/2x_*.json), the
zips' contents compared line for line with text written here by hand. And the refusals: an unknown or another
institution's file, an expired one, too big, not a zip, not Base64, a zip bomb, a malformed detail row.

The test world's region 110000 (tests/test_world.json, catalogue "alpha") holds 西药 (list_type 101) A01 甲类药,
B02 乙类药 10%, C03 丙类药, R01 限制使用药 20% (restricted, 限二线用药), services S01 and CT1, consumable NP1 (not
payable); no 中成药 (102).
"""

from __future__ import annotations

import base64
import io
import json
import random
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from http_lab import DISPATCH, Answer, HttpHis
from lab import Item, LabRefused

from yibao.v1 import files_pb2

GOLDEN = Path(__file__).parents[1] / "golden"
HOSPITAL, PHARMACY = "H11000000001", "P11000000001"
CATALOGUE_COLUMNS = ("med_list_codg\tmed_list_name\tinsu_admdvs\tlist_type\tmed_chrgitm_type\tchrgitm_lv\t"
                     "lmt_used_flag\tlmt_dscr\tselfpay_prop\tpric_uplmt_amt\tpayable_flag\tbas_medn_flag\thi_nego_drug_flag\t"
                     "chld_medc_flag\tlist_sp_item_flag\tvali_flag")  # fmt: skip
# 1301 西药中成药 of region 110000, by med_list_codg: selfpay_prop as the catalogue gives it (0 when none),
# no price cap, every one payable and in force
WESTERN_DRUGS = (
    f"{CATALOGUE_COLUMNS}\n"
    "A01\t甲类药\t110000\t101\t09\t01\t0\t\t0\t\t1\t0\t0\t0\t0\t1\n"
    "B02\t乙类药 10%\t110000\t101\t09\t02\t0\t\t0.10\t\t1\t0\t0\t0\t0\t1\n"
    "C03\t丙类药\t110000\t101\t09\t03\t0\t\t0\t\t1\t0\t0\t0\t0\t1\n"
    "R01\t限制使用药 20%\t110000\t101\t09\t02\t1\t限二线用药\t0.20\t\t1\t0\t0\t0\t0\t1\n"
)


def golden(name: str, **values: str) -> dict[str, Any]:
    text = (GOLDEN / name).read_text("utf-8")
    for key, value in values.items():
        text = text.replace(f"${{{key}}}", value)
    body: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return body


def send(his: HttpHis, name: str, path: str = DISPATCH, **values: str) -> Answer:
    his.lab.sign_nos.get(HOSPITAL) or his.sign_in(HOSPITAL)
    now = f"{his.lab.clock():%Y-%m-%d %H:%M:%S}"
    return his.post(golden(name, msgid=his.lab.msgid(), now=now, sign_no=his.lab.sign_nos[HOSPITAL], **values), path)


def download(his: HttpHis, file_qury_no: str) -> tuple[int, bytes, dict[str, str]]:
    """9102 as OH's client makes it: the hand-written body, the answer's bytes saved as they come."""
    now = f"{his.lab.clock():%Y-%m-%d %H:%M:%S}"
    body = golden("22_9102_download.json", msgid=his.lab.msgid(), now=now, sign_no=his.lab.sign_nos[HOSPITAL],
                  file_qury_no=file_qury_no)  # fmt: skip
    raw = json.dumps(body, ensure_ascii=False).encode()
    return his.request("POST", "/ebus/rio_fsi/fsi/api/fileupload/download", raw)


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info).decode("utf-8") for info in archive.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(his: HttpHis, data: bytes | str, inst: str = HOSPITAL, filename: str = "detail.zip") -> Answer:
    text = data if isinstance(data, str) else base64.b64encode(data).decode()
    return his.call("9101", {"fsUploadIn": {"in": text, "filename": filename, "fixmedins_code": inst}}, inst)


def test_golden_1301_then_9102_gives_the_region_western_drugs_as_a_zip(his: HttpHis) -> None:
    a = send(his, "21_1301_catalogue_download.json", "/ebus/rio_fsi/fsi/api/catalogdownservice/downCatalog1301")
    assert a.infcode == 0, a.body
    out = a.output
    assert (out["filename"], out["dld_end_time"], out["data_cn"]) == (
        "1301_110000_20260315100000.zip", "2026-03-16 10:00:00", "4")  # fmt: skip
    assert len(out["file_qury_no"]) == 30 and out["file_qury_no"].startswith("11000020260315100000")

    status, data, headers = download(his, out["file_qury_no"])
    assert status == 200 and headers["content-type"] == "application/octet-stream"
    assert headers["content-disposition"].startswith('attachment; filename="1301_110000_20260315100000.zip"')
    assert data[:4] == b"PK\x03\x04"
    assert unzip(data) == {"1301_110000_20260315100000.txt": WESTERN_DRUGS}


# The other catalogue downloads of region 110000, by hand from docs/files.md and catalogue "alpha": 1302 (103) and
# 1303 (104) have no entries; 1305 (201) the services CT1 (乙 8%, cap 180.00) and S01 (甲, cap 10.00) by
# med_list_codg; 1306 (301) NP1, not payable; the lists the world lacks answer their column names alone.
def empty(code: str, name: str) -> str:
    return f"{code}\t{name}\tvali_flag\n"


OTHER_LISTS = {
    "1302": ("0", f"{CATALOGUE_COLUMNS}\n"),
    "1303": ("0", f"{CATALOGUE_COLUMNS}\n"),
    "1305": ("2", f"{CATALOGUE_COLUMNS}\n"
                  "CT1\tCT 乙类8% 限价180\t110000\t201\t03\t02\t0\t\t0.08\t180.00\t1\t0\t0\t0\t0\t1\n"
                  "S01\t诊查费 限价10\t110000\t201\t02\t01\t0\t\t0\t10.00\t1\t0\t0\t0\t0\t1\n"),
    "1306": ("1", f"{CATALOGUE_COLUMNS}\nNP1\t不予支付耗材\t110000\t301\t08\t02\t0\t\t0\t\t0\t0\t0\t0\t0\t1\n"),
    "1307": ("0", empty("diag_list_codg", "diag_list_name")),
    "1308": ("0", empty("oprn_oprt_code", "oprn_oprt_name")),
    "1309": ("0", empty("opsp_dise_code", "opsp_dise_name")),
    "1310": ("0", empty("bydise_setl_list_code", "bydise_setl_dise_name")),
    "1311": ("0", empty("daysrg_dise_list_code", "daysrg_dise_name")),
    "1313": ("0", empty("tumr_morp_code", "tumr_morp_name")),
    "1314": ("0", empty("tcm_dise_code", "tcm_dise_name")),
    "1315": ("0", empty("tcm_syndrome_code", "tcm_syndrome_name")),
}  # fmt: skip


@pytest.mark.parametrize("infno", sorted(OTHER_LISTS))
def test_golden_13xx_then_9102_gives_each_list_as_a_zip(his: HttpHis, infno: str) -> None:
    a = send(his, "25_13xx_catalogue_download.json", f"/ebus/rio_fsi/fsi/api/catalogdownservice/downCatalog{infno}",
             infno=infno)  # fmt: skip
    assert a.infcode == 0, a.body
    data_cn, text = OTHER_LISTS[infno]
    stem = f"{infno}_110000_20260315100000"
    assert (a.output["filename"], a.output["dld_end_time"], a.output["data_cn"]) == (
        f"{stem}.zip", "2026-03-16 10:00:00", data_cn)  # fmt: skip
    status, data, _ = download(his, a.output["file_qury_no"])
    assert status == 200 and unzip(data) == {f"{stem}.txt": text}


def test_each_list_takes_its_list_types_and_an_empty_list_its_column_names(his: HttpHis) -> None:
    his.sign_in(HOSPITAL)
    consumables = his.call("1306", {"data": {"ver": "0"}}, path="/ebus/gdyb_inf/poc/hsa/hgs/1306").output
    assert consumables["data_cn"] == "1"  # NP1 alone: not payable
    (text,) = unzip(download(his, consumables["file_qury_no"])[1]).values()
    assert text == f"{CATALOGUE_COLUMNS}\nNP1\t不予支付耗材\t110000\t301\t08\t02\t0\t\t0\t\t0\t0\t0\t0\t0\t1\n"
    diseases = his.call("1307", {"data": {"ver": "0"}}).output
    assert diseases["data_cn"] == "0"
    assert list(unzip(download(his, diseases["file_qury_no"])[1]).values()) == [
        "diag_list_codg\tdiag_list_name\tvali_flag\n"
    ]


def test_golden_3202_by_file_uploaded_with_9101_and_its_result_fetched_with_9102(his: HttpHis, lab) -> None:  # type: ignore[no-untyped-def]
    # the ledger of tests/integration/test_reconciliation.py: S1 300.00 (fund 70.00, account 230.00), S2 100.00
    # (fund 70.00, account 30.00), R1 the refund of S1 (medfee −300.00, fund −140.00, account −160.00)
    s1 = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    s2 = lab.visit_and_settle("P0001", [Item("A01", "1", "100.00")]).output.setlinfo
    r1 = lab.cancel_settlement(s1.setl_id, s1.mdtrt_id).output.setlinfo
    # the HIS's rows: S1 as the platform has it (tab-separated, the column names first); S2 with 40.00 on the
    # account, written with spaces as OH's WriteTXT does, no msgid; a record the platform lacks; R1 missing
    detail = (
        "psn_no\tmdtrt_id\tsetl_id\tinsutype\trefd_setl_flag\tsetl_optins\tmedfee_sumamt\tfund_pay_sumamt\tacct_pay\tmsgid\n"
        f"P0001\t{s1.mdtrt_id}\t{s1.setl_id}\t310\t0\t110000\t300.00\t70.00\t230.00\t{s1.medins_setl_id}\n"
        f"P0001 {s2.mdtrt_id} {s2.setl_id} 310 0 110000 100.00 70.00 40.00\n"
        "\t\t110000LOCAL0001\t310\t0\t110000\t5.00\t0.00\t5.00\n"
    )  # fmt: skip
    zip_bytes = zipped({"3202明细.txt": detail.encode()})
    his.sign_in(HOSPITAL)
    up = send(his, "23_9101_upload.json", "/ebus/rio_fsi/fsi/api/fileupload/upload",
              zip_base64=base64.b64encode(zip_bytes).decode())  # fmt: skip
    assert up.infcode == 0, up.body
    assert (up.output["filename"], up.output["dld_endtime"]) == ("3202明细.zip", "2026-03-16 10:00:00")
    status, data, _ = download(his, up.output["file_qury_no"])  # an upload comes back as it was sent
    assert (status, data) == (200, zip_bytes)

    a = send(his, "24_3202_by_file.json", "/ebus/rio_fsi/fsi/api/ybSettlementStmtService/stmtDetail",
             file_qury_no=up.output["file_qury_no"])  # fmt: skip
    assert a.infcode == 0, a.body
    info = a.output["fileinfo"]
    assert (info["filename"], info["dld_endtime"]) == ("3202_110000_20260315_20260315.zip", "2026-03-16 10:00:00")
    # platform: 3 records, medfee 300.00 + 100.00 − 300.00 = 100.00
    assert a.output["stmtinfo"]["stmt_rslt"] == "1"
    assert "医疗费总额 机构 405.00 平台 100.00" in a.output["stmtinfo"]["stmt_rslt_dscr"]
    assert a.output["result"] == []  # by file, the records that differ are in the file

    status, data, headers = download(his, info["file_qury_no"])
    assert status == 200 and headers["content-type"] == "application/octet-stream"
    (text,) = unzip(data).values()
    header, *rows = text.splitlines()
    assert header.split("\t") == ["psn_no", "mdtrt_id", "setl_id", "msgid", "stmt_rslt", "refd_setl_flag", "memo",
                                   "medfee_sumamt", "fund_pay_sumamt", "acct_pay"]  # fmt: skip
    assert sorted(rows) == sorted([  # the platform's figures where it has the record
        f"P0001\t{s2.mdtrt_id}\t{s2.setl_id}\t{s2.medins_setl_id}\t1\t0\t"
        "个人账户支付 机构 40.00 平台 30.00\t100.00\t70.00\t30.00",
        "\t\t110000LOCAL0001\t\t1\t0\t平台无此结算记录（不在对账范围内或不存在）\t5.00\t0.00\t5.00",
        f"P0001\t{r1.mdtrt_id}\t{r1.setl_id}\t{r1.medins_setl_id}\t1\t1\t"
        "机构未上报此结算记录\t-300.00\t-140.00\t-160.00",
    ])  # fmt: skip


def test_9102_over_grpc_gives_the_same_zip_in_its_file_field(his: HttpHis, lab) -> None:  # type: ignore[no-untyped-def]
    his.sign_in(HOSPITAL)
    made = his.call("1301", {"data": {"ver": "0"}}).output
    inp = files_pb2.FileDownloadInput(
        fsDownloadIn=files_pb2.FsDownloadIn(file_qury_no=made["file_qury_no"], filename="plc", fixmedins_code=HOSPITAL)
    )
    out = lab.call("9102", inp).output
    assert (out.filename, out.file_qury_no) == (made["filename"], made["file_qury_no"])
    assert out.file == download(his, made["file_qury_no"])[1]


def test_9101_replayed_under_its_msgid_gives_the_same_file(his: HttpHis) -> None:
    his.sign_in(HOSPITAL)
    text = base64.b64encode(zipped({"a.txt": b"x\n"})).decode()
    body = {
        **his.envelope("9101"),
        "input": {"fsUploadIn": {"in": text, "filename": "a.zip", "fixmedins_code": HOSPITAL}},
    }
    first, again = his.post(body), his.post(body)
    assert first.infcode == 0 and again.output == first.output


def test_files_belong_to_the_institution_that_made_them(his: HttpHis, lab) -> None:  # type: ignore[no-untyped-def]
    his.sign_in(HOSPITAL)
    made = his.call("1301", {"data": {"ver": "0"}}).output["file_qury_no"]
    mine = {"file_qury_no": made, "filename": "plc", "fixmedins_code": PHARMACY}
    envelope = his.envelope("9102", PHARMACY, sign_no=his.sign_in(PHARMACY))
    status, raw, headers = his.request(
        "POST", DISPATCH, json.dumps({**envelope, "input": {"fsDownloadIn": mine}}).encode()
    )
    assert status == 200 and headers["content-type"].startswith("application/json")
    refused = json.loads(raw)
    assert refused["infcode"] == -1 and refused["output"] is None
    assert refused["err_msg"] == (
        f"[FILE_NOT_FOUND] 文件查询号 {made} 不存在，或不是机构 {PHARMACY} 上传或生成的文件"
        "（字段 input.fsDownloadIn.file_qury_no）")  # fmt: skip
    # naming another institution in the input is refused before the file is looked for
    theirs = his.call("9102", {"fsDownloadIn": {**mine, "fixmedins_code": HOSPITAL}}, PHARMACY)
    theirs.assert_refused("FILE_INSTITUTION")
    # over gRPC alike
    inp = files_pb2.FileDownloadInput(fsDownloadIn=files_pb2.FsDownloadIn(file_qury_no=made, fixmedins_code=PHARMACY))
    with pytest.raises(LabRefused) as e:
        lab.call("9102", inp, PHARMACY)
    assert (e.value.code, e.value.field) == ("FILE_NOT_FOUND", "input.fsDownloadIn.file_qury_no")


def test_an_unknown_or_expired_file_is_refused(his: HttpHis, lab) -> None:  # type: ignore[no-untyped-def]
    his.sign_in(HOSPITAL)
    _, raw, headers = download(his, "110000202603151000000000000099")
    assert headers["content-type"].startswith("application/json")
    assert json.loads(raw)["err_msg"].startswith("[FILE_NOT_FOUND] 文件查询号 110000202603151000000000000099 不存在")
    made = his.call("1301", {"data": {"ver": "0"}}).output
    lab.clock.advance(hours=24)  # dld_end_time 2026-03-16 10:00:00 has come
    his.sign_in(HOSPITAL)
    _, raw, _ = download(his, made["file_qury_no"])
    assert json.loads(raw)["err_msg"] == (
        f"[FILE_EXPIRED] 文件 {made['file_qury_no']} 已于 2026-03-16 10:00:00 过期：请重新上传或重新生成"
        "（字段 input.fsDownloadIn.file_qury_no）")  # fmt: skip


def test_uploads_that_are_no_zip_too_big_or_a_bomb_are_refused(his: HttpHis) -> None:
    his.sign_in(HOSPITAL)
    upload(his, b"psn_no\tsetl_id\n").assert_refused("FILE_NOT_ZIP")
    a = upload(his, "这不是Base64")
    a.assert_refused("FILE_NOT_BASE64")
    assert a.body["err_msg"].endswith("（字段 input.fsUploadIn.in）")
    noise = random.Random(20).randbytes(3 * 1024 * 1024 + 1)  # incompressible: the zip is bigger than 3 MiB
    big = upload(his, zipped({"noise.bin": noise}))
    big.assert_refused("FILE_TOO_LARGE")
    assert "上限 3145728 字节" in big.body["err_msg"]
    bomb = zipped({"zeros.txt": bytes(33 * 1024 * 1024)})  # 33 MiB of zeros deflate to some 33 KB
    assert len(bomb) < 100_000
    upload(his, bomb).assert_refused("FILE_UNZIPPED_TOO_LARGE")
    upload(his, zipped({}), filename="empty.zip").assert_refused("FILE_NOT_ZIP")
    other = his.call("9101", {"fsUploadIn": {"in": base64.b64encode(zipped({"a.txt": b"1"})).decode(),
                                             "filename": "a.zip", "fixmedins_code": PHARMACY}})  # fmt: skip
    other.assert_refused("FILE_INSTITUTION")


def test_3202_names_the_line_of_a_malformed_detail_row(his: HttpHis, lab) -> None:  # type: ignore[no-untyped-def]
    his.sign_in(HOSPITAL)
    rows = "P0001\tM1\tS1\t310\t0\t110000\t1.00\t0.00\t1.00\nP0001\tM2\tS2\t310\n"
    up = upload(his, zipped({"d.txt": rows.encode()})).output
    with pytest.raises(LabRefused) as e:
        lab.check_details([], file_qury_no=up["file_qury_no"], medfee_sumamt="0", fund_pay_sumamt="0",
                          cash_payamt="0", fixmedins_setl_cnt="0")  # fmt: skip
    assert (e.value.code, e.value.field) == ("FILE_ROWS", "input.data.file_qury_no")
    assert "明细文件 d.txt 第 2 行：应有 9 或 10 列" in e.value.detail.header.err_msg
    rows = "P0001\tM1\tS1\t310\t0\t110000\t1.0x\t0.00\t1.00\n"
    up = upload(his, zipped({"d.txt": rows.encode()})).output
    with pytest.raises(LabRefused) as e:
        lab.check_details([], file_qury_no=up["file_qury_no"], medfee_sumamt="0", fund_pay_sumamt="0",
                          cash_payamt="0", fixmedins_setl_cnt="0")  # fmt: skip
    assert (e.value.code, e.value.field) == ("ENV_FORMAT", "d.txt[1].medfee_sumamt")
