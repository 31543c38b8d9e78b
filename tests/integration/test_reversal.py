"""2601 冲正 and Y5203 over gRPC: every reversible transaction undone exactly, and the answers for a message that
never arrived, was refused, or was already reversed. P0001: employee (310) insured in 110000, account 500.00;
outpatient rule deductible 200.00, ratio 0.70, cap 1000.00 (tests/test_world.json).
"""

from __future__ import annotations

import json

import pytest
from lab import Item, LabRefused
from sqlalchemy import func, select

from yibao.storage import schema
from yibao.v1 import filing_pb2, inpatient_pb2, outpatient_pb2, pharmacy_pb2

ACC = ["310:outpatient:dedc", "310:outpatient:fund"]


def refused(call, *args, **kw) -> LabRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(LabRefused) as e:
        call(*args, **kw)
    return e.value


def state(served, psn: str = "P0001") -> tuple[str, dict[str, str], int]:
    """Account balance, outpatient accumulators, settlements in force."""
    with served.store.read() as tx:
        acc = {k: f"{v:.2f}" for k, v in tx.accumulators(psn, 2026, ACC).items()}
        s = schema.settlement
        active = tx.conn.scalar(
            select(func.count()).where(s.c.psn_no == psn, s.c.kind == "settle", s.c.reversed_by.is_(None))
        )
        return f"{tx.account_balance(psn):.2f}", acc, active


START = ("500.00", {ACC[0]: "0.00", ACC[1]: "0.00"}, 0)


def settle_request(lab, amount: str = "300.00"):  # type: ignore[no-untyped-def]
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", amount)])
    return lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, amount)), psn="P0001")


def test_settlement_whose_reply_was_lost_is_reversed_like_2208(lab, served) -> None:
    request = settle_request(lab)
    s = lab.send(request, "2207").output.setlinfo  # the HIS never saw this reply
    # 300.00: deductible 200.00, fund 100.00 × 0.70 = 70.00, account 230.00
    assert state(served) == ("270.00", {ACC[0]: "200.00", ACC[1]: "70.00"}, 1)
    out = lab.reverse(request.header.msgid, "2207").output
    assert (out.result.rev_rslt, out.result.omsgid) == ("1", request.header.msgid)
    r = out.setlinfo
    assert (r.medfee_sumamt, r.act_pay_dedc, r.fund_pay_sumamt, r.acct_pay, r.balc) == (
        "-300.00", "-200.00", "-70.00", "-230.00", "500.00")  # fmt: skip
    assert r.setl_id != s.setl_id and s.setl_id in out.setltrace.benefit_basis
    assert state(served) == START
    # A retry of the original now answers that it was reversed; a second reversal says it was done.
    e = refused(lab.send, request, "2207")
    assert e.code == "MSG_REVERSED" and out.result.rev_time in e.detail.header.err_msg
    e = refused(lab.reverse, request.header.msgid, "2207")
    assert e.code == "REVERSAL_ALREADY_DONE"
    q = lab.query_msg(request.header.msgid, "P0001")
    assert (q.msginfo.msg_stas, q.msginfo.msg_stas_name, q.msginfo.oinfno) == ("3", "已冲正", "2207")
    assert q.setlinfo.setl_id == s.setl_id and json.loads(q.msginfo.output_json)["setlinfo"]["setl_id"] == s.setl_id
    # The fees are free again and settle as the first time.
    again = lab.settle(s.mdtrt_id, "300.00").output.setlinfo
    assert (again.hifp_pay, again.balc) == ("70.00", "270.00")


def test_message_that_never_arrived_is_closed_and_refused_when_it_comes(lab, served) -> None:
    request = settle_request(lab)
    q = lab.query_msg(request.header.msgid)
    assert (q.msginfo.msg_stas, q.msginfo.msg_stas_name) == ("0", "未收到")
    out = lab.reverse(request.header.msgid, "2207").output
    assert (out.result.rev_rslt, out.setlinfo.setl_id) == ("2", "")
    e = refused(lab.send, request, "2207")  # the late original
    assert e.code == "MSG_TOMBSTONED" and request.header.msgid in e.detail.header.err_msg
    assert state(served) == START
    assert lab.query_msg(request.header.msgid).msginfo.msg_stas == "4"
    assert refused(lab.reverse, request.header.msgid, "2207").code == "REVERSAL_ALREADY_DONE"


def test_refused_message_needs_no_reversal(lab) -> None:
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "10.00")])
    request = lab.build("2207", outpatient_pb2.SettleInput(data=lab.settle_data(mdtrt_id, "99.00")), psn="P0001")
    assert refused(lab.send, request, "2207").code == "SETL_SUMAMT_MISMATCH"
    e = refused(lab.reverse, request.header.msgid, "2207")
    assert e.code == "REVERSAL_ORIGINAL_REFUSED" and "SETL_SUMAMT_MISMATCH" in e.detail.header.err_msg
    q = lab.query_msg(request.header.msgid).msginfo
    assert (q.msg_stas, q.oinfno) == ("2", "2207") and "SETL_SUMAMT_MISMATCH" in q.err_msg


def test_reversal_checks_what_it_names(lab) -> None:
    request = settle_request(lab)
    lab.send(request, "2207")
    msgid = request.header.msgid
    assert refused(lab.reverse, msgid, "2208").code == "REVERSAL_INFNO_MISMATCH"
    assert refused(lab.reverse, msgid, "2207", psn="P0002").code == "REVERSAL_PSN_MISMATCH"
    assert refused(lab.reverse, msgid, "2206").code == "REVERSAL_NOT_SUPPORTED"
    e = refused(lab.reverse, msgid, "2207", inst="H11000000002")
    assert (e.code, e.field) == ("REVERSAL_NOT_YOURS", "input.data.omsgid")
    assert refused(lab.query_msg, msgid, inst="H11000000002").code == "REVERSAL_NOT_YOURS"


def test_reversed_cancellation_puts_the_settlement_back_exactly(lab, served) -> None:
    s = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    data = outpatient_pb2.CancelSettlementData(setl_id=s.setl_id, mdtrt_id=s.mdtrt_id, psn_no="P0001")
    cancel = lab.build("2208", outpatient_pb2.CancelSettlementInput(data=data), psn="P0001")
    lab.send(cancel, "2208")
    assert state(served) == START
    out = lab.reverse(cancel.header.msgid, "2208").output
    assert out.setlinfo.setl_id == s.setl_id and out.setlinfo.hifp_pay == "70.00"
    assert state(served) == ("270.00", {ACC[0]: "200.00", ACC[1]: "70.00"}, 1)
    assert lab.query_setl(s.setl_id, s.mdtrt_id, "P0001").output.setlinfo == s
    with served.store.read() as tx:
        assert {f.setl_id for f in tx.fees(s.mdtrt_id)} == {s.setl_id}
        assert tx.conn.scalar(select(func.count()).select_from(schema.settlement)) == 1  # the refund record is void
    # and it can be cancelled again
    assert lab.cancel_settlement(s.setl_id, s.mdtrt_id).output.setlinfo.fund_pay_sumamt == "-70.00"


def test_reversed_cancellation_is_blocked_by_a_later_settlement(lab) -> None:
    s = lab.visit_and_settle("P0001", [Item("A01", "1", "300.00")]).output.setlinfo
    data = outpatient_pb2.CancelSettlementData(setl_id=s.setl_id, mdtrt_id=s.mdtrt_id, psn_no="P0001")
    cancel = lab.build("2208", outpatient_pb2.CancelSettlementInput(data=data), psn="P0001")
    lab.send(cancel, "2208")
    lab.visit_and_settle("P0001", [Item("A01", "1", "10.00")])
    e = refused(lab.reverse, cancel.header.msgid, "2208")
    assert e.code == "REVERSAL_BLOCKED" and "之后又有结算" in e.detail.header.err_msg


def test_registration_fees_and_visit_info(lab, served) -> None:
    reg = lab.build("2201", outpatient_pb2.RegisterInput(data=outpatient_pb2.RegisterData(
        psn_no="P0001", insutype="310", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
        mdtrt_cert_no="EC0001", ipt_otp_no="MZ-REV-1", atddr_no="D001", dr_name="张医生", dept_code="A03",
        dept_name="内科", caty="A03")), psn="P0001")  # fmt: skip
    mdtrt_id = lab.send(reg, "2201").output.data.mdtrt_id
    up = lab.build("2204", outpatient_pb2.UploadFeeDetailsInput(
        feedetail=[lab.fee(mdtrt_id, "P0001", Item("A01", "1", "20.00"))]), psn="P0001")  # fmt: skip
    lab.send(up, "2204")
    # The registration cannot go while items hang on it.
    e = refused(lab.reverse, reg.header.msgid, "2201")
    assert e.code == "REVERSAL_BLOCKED" and mdtrt_id in e.detail.header.err_msg
    assert lab.reverse(up.header.msgid, "2204").output.result.rev_dscr.startswith("删除费用明细")
    with served.store.read() as tx:
        assert tx.fees(mdtrt_id) == []
    # 2205 reversed: the cancelled items come back
    lab.upload(mdtrt_id, [Item("A01", "1", "30.00")])
    cancel = lab.build("2205", outpatient_pb2.CancelFeeDetailsInput(data=outpatient_pb2.CancelFeeDetailsData(
        mdtrt_id=mdtrt_id, psn_no="P0001", chrg_bchno="0000")), psn="P0001")  # fmt: skip
    lab.send(cancel, "2205")
    lab.reverse(cancel.header.msgid, "2205")
    with served.store.read() as tx:
        assert [f.sumamt_fen for f in tx.fees(mdtrt_id)] == [3000]
    # 2203 reversed: the visit as before (no med_type yet)
    info = lab.build("2203", outpatient_pb2.UploadVisitInfoInput(mdtrtinfo=outpatient_pb2.MdtrtInfo(
        mdtrt_id=mdtrt_id, psn_no="P0001", med_type="13", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}")),
        psn="P0001")  # fmt: skip
    lab.send(info, "2203")
    lab.reverse(info.header.msgid, "2203")
    with served.store.read() as tx:
        assert (tx.visit(mdtrt_id).med_type, tx.visit(mdtrt_id).visit_info) == ("", None)
    lab.cancel_fees(mdtrt_id)
    out = lab.reverse(reg.header.msgid, "2201").output.result
    assert out.rev_dscr == f"取消就诊 {mdtrt_id}"
    assert refused(lab.upload, mdtrt_id, [Item("A01", "1", "1.00")]).code == "MDTRT_CANCELLED"


def test_reversed_cancel_registration_reopens_the_visit(lab, served) -> None:
    mdtrt_id = lab.register("P0001", ipt_otp_no="MZ-REV-2")
    data = outpatient_pb2.CancelRegistrationData(psn_no="P0001", mdtrt_id=mdtrt_id, ipt_otp_no="MZ-REV-2")
    cancel = lab.build("2202", outpatient_pb2.CancelRegistrationInput(data=data), psn="P0001")
    lab.send(cancel, "2202")
    lab.reverse(cancel.header.msgid, "2202")
    lab.upload(mdtrt_id, [Item("A01", "1", "1.00")])  # open again


def test_upload_reversal_is_blocked_once_the_items_are_settled(lab) -> None:
    mdtrt_id = lab.register("P0001")
    up = lab.build("2204", outpatient_pb2.UploadFeeDetailsInput(
        feedetail=[lab.fee(mdtrt_id, "P0001", Item("A01", "1", "20.00"))]), psn="P0001")  # fmt: skip
    lab.send(up, "2204")
    lab.settle(mdtrt_id, "20.00")
    e = refused(lab.reverse, up.header.msgid, "2204")
    assert e.code == "REVERSAL_BLOCKED" and "已被其他交易变更" in e.detail.header.err_msg


def test_inpatient_stay_messages(lab, served) -> None:
    mdtrt_id = lab.admit("P0001")
    first = lab.upload_stay(mdtrt_id, "P0001", [Item("A01", "1", "3000.00")]).output.result[0]
    fees = lab.build("2301", inpatient_pb2.InpatientFeeInput(
        feedetail=[lab.stay_fee(mdtrt_id, "P0001", Item("A01", "1", "500.00"))]), psn="P0001")  # fmt: skip
    lab.send(fees, "2301")
    lab.reverse(fees.header.msgid, "2301")  # the 500.00 item is gone again

    def discharge():  # type: ignore[no-untyped-def]
        return lab.build("2402", inpatient_pb2.DischargeInput(dscginfo=inpatient_pb2.DischargeInfo(
            mdtrt_id=mdtrt_id, psn_no="P0001", insutype="310", endtime=f"{lab.clock():%Y-%m-%d %H:%M:%S}",
            dscg_dept_codg="A03", dscg_dept_name="内科", dscg_way="1")), psn="P0001")  # fmt: skip

    dscg = discharge()
    lab.send(dscg, "2402")
    lab.reverse(dscg.header.msgid, "2402")
    with served.store.read() as tx:
        assert (tx.visit(mdtrt_id).status, tx.visit(mdtrt_id).endtime) == ("open", None)
    dscg = discharge()
    lab.send(dscg, "2402")
    settle = lab.build("2304", inpatient_pb2.InpatientSettleInput(data=inpatient_pb2.InpatientSettleData(
        psn_no="P0001", mdtrt_cert_type="01", mdtrt_cert_no="EC0001", medfee_sumamt="3000.00", psn_setlway="01",
        mdtrt_id=mdtrt_id, acct_used_flag="1", insutype="310", mid_setl_flag="0")), psn="P0001")  # fmt: skip
    s = lab.send(settle, "2304").output.setlinfo
    assert (s.act_pay_dedc, s.hifp_pay) == ("1000.00", "1800.00")  # (3000 − 1000) × 0.90
    # discharged and settled: the discharge cannot be reversed before the settlement
    e = refused(lab.reverse, dscg.header.msgid, "2402")
    assert e.code == "REVERSAL_BLOCKED" and "2305" in e.detail.header.err_msg
    r = lab.reverse(settle.header.msgid, "2304").output.setlinfo
    assert (r.hifp_pay, r.acct_pay, r.balc) == ("-1800.00", "-500.00", "500.00")  # person 1200.00: account 500.00
    with served.store.read() as tx:
        assert [f.setl_id for f in tx.fees(mdtrt_id)] == [None]
        assert tx.accumulators("P0001", 2026, ["310:inpatient:fund"]) == {"310:inpatient:fund": 0}
    assert first.feedetl_sn
    lab.reverse(dscg.header.msgid, "2402")  # now it can
    with served.store.read() as tx:
        assert tx.visit(mdtrt_id).status == "open"


def test_admission_reversal_cancels_the_stay(lab, served) -> None:
    info = inpatient_pb2.AdmissionInfo(
        psn_no="P0001", insutype="310", begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", mdtrt_cert_type="01",
        mdtrt_cert_no="EC0001", med_type="21", ipt_no="ZY-REV-1", atddr_no="D002", chfpdr_name="李主任",
        adm_dept_codg="A03", adm_dept_name="内科", dscg_maindiag_code="I10.x00", dscg_maindiag_name="高血压",
    )  # fmt: skip
    admit = lab.build("2401", inpatient_pb2.AdmitInput(mdtrtinfo=info), psn="P0001")
    mdtrt_id = lab.send(admit, "2401").output.result.mdtrt_id
    lab.reverse(admit.header.msgid, "2401")
    with served.store.read() as tx:
        assert tx.visit(mdtrt_id).status == "cancelled"
    assert lab.admit("P0001") != mdtrt_id  # the ipt_no is free again for a new admission


def test_pharmacy_sale_and_its_cancellation(lab, served) -> None:
    sale = lab.pharmacy("P0001", [Item("A01", "2", "15.00")], infno="2101")  # pre-settlement: account pays 30.00
    assert sale.output.setlinfo.acct_pay == "30.00"
    details = [pharmacy_pb2.DrugDetail(feedetl_sn="Y-REV-1", rx_circ_flag="0", med_list_codg="A01",
                                       fee_ocur_time=f"{lab.clock():%Y-%m-%d %H:%M:%S}", medins_list_codg="P-A01",
                                       det_item_fee_sumamt="30.00", cnt="2", pric="15.00")]  # fmt: skip
    info = pharmacy_pb2.DrugInfo(psn_no="P0001", mdtrt_cert_type="01", mdtrt_cert_no="EC0001",
                                 begntime=f"{lab.clock():%Y-%m-%d %H:%M:%S}", medfee_sumamt="30.00", insutype="310",
                                 acct_used_flag="1", med_type="41")  # fmt: skip
    request = lab.build("2102", pharmacy_pb2.PharmacySettleInput(druginfo=info, drugdetail=details),
                        inst="P11000000001", psn="P0001")  # fmt: skip
    s = lab.send(request, "2102").output.setlinfo
    assert state(served)[0] == "470.00"
    lab.reverse(request.header.msgid, "2102", inst="P11000000001")
    assert state(served) == START
    with served.store.read() as tx:
        assert (tx.fees(s.mdtrt_id), tx.visit(s.mdtrt_id).status) == ([], "cancelled")


def test_filings_made_and_revoked(lab, served) -> None:
    made = lab.build("2505", filing_pb2.DesignationInput(data=filing_pb2.DesignationData(
        psn_no="P0003", biz_appy_type="08", mdtrtarea_admdvs="440300", fil_type="11")), psn="P0003")  # fmt: skip
    sn = lab.send(made, "2505").output.result.trt_dcla_detl_sn
    lab.reverse(made.header.msgid, "2505", psn="P0003")
    assert list(lab.query_filings("P0003")) == []
    sn = lab.file_place("P0003", "440300", biz="07", fil_type="23").output.result.trt_dcla_detl_sn
    revoke = lab.build("2506", filing_pb2.RevokeFilingInput(data=filing_pb2.RevokeFilingData(
        trt_dcla_detl_sn=sn, psn_no="P0003", memo="本人申请")), psn="P0003")  # fmt: skip
    lab.send(revoke, "2506")
    assert [r.fil_stas for r in lab.query_filings("P0003")] == ["3"]
    lab.reverse(revoke.header.msgid, "2506", psn="P0003")
    assert [(r.trt_dcla_detl_sn, r.fil_stas) for r in lab.query_filings("P0003")] == [(sn, "1")]
    chronic = lab.build("2503", filing_pb2.ChronicFilingInput(data=filing_pb2.ChronicFilingData(
        psn_no="P0001", insutype="310", opsp_dise_code="M03900", opsp_dise_name="高血压", insu_optins="110000",
        ide_fixmedins_no="H11000000001", ide_fixmedins_name="甲市第一医院", hosp_ide_date="2026-03-15",
        diag_dr_codg="D001", diag_dr_name="张医生", begndate="2026-03-15")), psn="P0001")  # fmt: skip
    lab.send(chronic, "2503")
    lab.reverse(chronic.header.msgid, "2503")
    assert list(lab.query_chronic("P0001")) == []
