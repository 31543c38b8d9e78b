from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import outpatient_pb2 as _outpatient_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdmissionInfo(_message.Message):
    __slots__ = ("psn_no", "insutype", "coner_name", "tel", "begntime", "mdtrt_cert_type", "mdtrt_cert_no", "med_type", "ipt_no", "medrcdno", "atddr_no", "chfpdr_name", "adm_diag_dscr", "adm_dept_codg", "adm_dept_name", "adm_bed", "dscg_maindiag_code", "dscg_maindiag_name", "main_cond_dscr", "dise_codg", "dise_name", "oprn_oprt_code", "oprn_oprt_name", "fpsc_no", "matn_type", "birctrl_type", "latechb_flag", "geso_val", "fetts", "fetus_cnt", "pret_flag", "birctrl_matn_date", "dise_type_code", "insuplc_admdvs", "mdtrt_id", "endtime", "ipt_otp_no")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    CONER_NAME_FIELD_NUMBER: _ClassVar[int]
    TEL_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    IPT_NO_FIELD_NUMBER: _ClassVar[int]
    MEDRCDNO_FIELD_NUMBER: _ClassVar[int]
    ATDDR_NO_FIELD_NUMBER: _ClassVar[int]
    CHFPDR_NAME_FIELD_NUMBER: _ClassVar[int]
    ADM_DIAG_DSCR_FIELD_NUMBER: _ClassVar[int]
    ADM_DEPT_CODG_FIELD_NUMBER: _ClassVar[int]
    ADM_DEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    ADM_BED_FIELD_NUMBER: _ClassVar[int]
    DSCG_MAINDIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    DSCG_MAINDIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    MAIN_COND_DSCR_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_CODE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_NAME_FIELD_NUMBER: _ClassVar[int]
    FPSC_NO_FIELD_NUMBER: _ClassVar[int]
    MATN_TYPE_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_TYPE_FIELD_NUMBER: _ClassVar[int]
    LATECHB_FLAG_FIELD_NUMBER: _ClassVar[int]
    GESO_VAL_FIELD_NUMBER: _ClassVar[int]
    FETTS_FIELD_NUMBER: _ClassVar[int]
    FETUS_CNT_FIELD_NUMBER: _ClassVar[int]
    PRET_FLAG_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_MATN_DATE_FIELD_NUMBER: _ClassVar[int]
    DISE_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    IPT_OTP_NO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    coner_name: str
    tel: str
    begntime: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    med_type: str
    ipt_no: str
    medrcdno: str
    atddr_no: str
    chfpdr_name: str
    adm_diag_dscr: str
    adm_dept_codg: str
    adm_dept_name: str
    adm_bed: str
    dscg_maindiag_code: str
    dscg_maindiag_name: str
    main_cond_dscr: str
    dise_codg: str
    dise_name: str
    oprn_oprt_code: str
    oprn_oprt_name: str
    fpsc_no: str
    matn_type: str
    birctrl_type: str
    latechb_flag: str
    geso_val: str
    fetts: str
    fetus_cnt: str
    pret_flag: str
    birctrl_matn_date: str
    dise_type_code: str
    insuplc_admdvs: str
    mdtrt_id: str
    endtime: str
    ipt_otp_no: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., coner_name: _Optional[str] = ..., tel: _Optional[str] = ..., begntime: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., med_type: _Optional[str] = ..., ipt_no: _Optional[str] = ..., medrcdno: _Optional[str] = ..., atddr_no: _Optional[str] = ..., chfpdr_name: _Optional[str] = ..., adm_diag_dscr: _Optional[str] = ..., adm_dept_codg: _Optional[str] = ..., adm_dept_name: _Optional[str] = ..., adm_bed: _Optional[str] = ..., dscg_maindiag_code: _Optional[str] = ..., dscg_maindiag_name: _Optional[str] = ..., main_cond_dscr: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., oprn_oprt_code: _Optional[str] = ..., oprn_oprt_name: _Optional[str] = ..., fpsc_no: _Optional[str] = ..., matn_type: _Optional[str] = ..., birctrl_type: _Optional[str] = ..., latechb_flag: _Optional[str] = ..., geso_val: _Optional[str] = ..., fetts: _Optional[str] = ..., fetus_cnt: _Optional[str] = ..., pret_flag: _Optional[str] = ..., birctrl_matn_date: _Optional[str] = ..., dise_type_code: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., endtime: _Optional[str] = ..., ipt_otp_no: _Optional[str] = ...) -> None: ...

class InpatientDiseInfo(_message.Message):
    __slots__ = ("psn_no", "diag_type", "maindiag_flag", "diag_srt_no", "diag_code", "diag_name", "adm_cond", "diag_dept", "dise_dor_no", "dise_dor_name", "diag_time", "mdtrt_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    DIAG_TYPE_FIELD_NUMBER: _ClassVar[int]
    MAINDIAG_FLAG_FIELD_NUMBER: _ClassVar[int]
    DIAG_SRT_NO_FIELD_NUMBER: _ClassVar[int]
    DIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    DIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    ADM_COND_FIELD_NUMBER: _ClassVar[int]
    DIAG_DEPT_FIELD_NUMBER: _ClassVar[int]
    DISE_DOR_NO_FIELD_NUMBER: _ClassVar[int]
    DISE_DOR_NAME_FIELD_NUMBER: _ClassVar[int]
    DIAG_TIME_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    diag_type: str
    maindiag_flag: str
    diag_srt_no: str
    diag_code: str
    diag_name: str
    adm_cond: str
    diag_dept: str
    dise_dor_no: str
    dise_dor_name: str
    diag_time: str
    mdtrt_id: str
    def __init__(self, psn_no: _Optional[str] = ..., diag_type: _Optional[str] = ..., maindiag_flag: _Optional[str] = ..., diag_srt_no: _Optional[str] = ..., diag_code: _Optional[str] = ..., diag_name: _Optional[str] = ..., adm_cond: _Optional[str] = ..., diag_dept: _Optional[str] = ..., dise_dor_no: _Optional[str] = ..., dise_dor_name: _Optional[str] = ..., diag_time: _Optional[str] = ..., mdtrt_id: _Optional[str] = ...) -> None: ...

class AdmitInput(_message.Message):
    __slots__ = ("mdtrtinfo", "diseinfo")
    MDTRTINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    mdtrtinfo: AdmissionInfo
    diseinfo: _containers.RepeatedCompositeFieldContainer[InpatientDiseInfo]
    def __init__(self, mdtrtinfo: _Optional[_Union[AdmissionInfo, _Mapping]] = ..., diseinfo: _Optional[_Iterable[_Union[InpatientDiseInfo, _Mapping]]] = ...) -> None: ...

class AdmitRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: AdmitInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[AdmitInput, _Mapping]] = ...) -> None: ...

class AdmitResult(_message.Message):
    __slots__ = ("mdtrt_id",)
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    def __init__(self, mdtrt_id: _Optional[str] = ...) -> None: ...

class AdmitOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: AdmitResult
    def __init__(self, result: _Optional[_Union[AdmitResult, _Mapping]] = ...) -> None: ...

class AdmitReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: AdmitOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[AdmitOutput, _Mapping]] = ...) -> None: ...

class DischargeInfo(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "insutype", "endtime", "dise_codg", "dise_name", "oprn_oprt_code", "oprn_oprt_name", "fpsc_no", "matn_type", "birctrl_type", "latechb_flag", "geso_val", "fetts", "fetus_cnt", "pret_flag", "birctrl_matn_date", "cop_flag", "dscg_dept_codg", "dscg_dept_name", "dscg_bed", "dscg_way", "die_date")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_CODE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_NAME_FIELD_NUMBER: _ClassVar[int]
    FPSC_NO_FIELD_NUMBER: _ClassVar[int]
    MATN_TYPE_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_TYPE_FIELD_NUMBER: _ClassVar[int]
    LATECHB_FLAG_FIELD_NUMBER: _ClassVar[int]
    GESO_VAL_FIELD_NUMBER: _ClassVar[int]
    FETTS_FIELD_NUMBER: _ClassVar[int]
    FETUS_CNT_FIELD_NUMBER: _ClassVar[int]
    PRET_FLAG_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_MATN_DATE_FIELD_NUMBER: _ClassVar[int]
    COP_FLAG_FIELD_NUMBER: _ClassVar[int]
    DSCG_DEPT_CODG_FIELD_NUMBER: _ClassVar[int]
    DSCG_DEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    DSCG_BED_FIELD_NUMBER: _ClassVar[int]
    DSCG_WAY_FIELD_NUMBER: _ClassVar[int]
    DIE_DATE_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    insutype: str
    endtime: str
    dise_codg: str
    dise_name: str
    oprn_oprt_code: str
    oprn_oprt_name: str
    fpsc_no: str
    matn_type: str
    birctrl_type: str
    latechb_flag: str
    geso_val: str
    fetts: str
    fetus_cnt: str
    pret_flag: str
    birctrl_matn_date: str
    cop_flag: str
    dscg_dept_codg: str
    dscg_dept_name: str
    dscg_bed: str
    dscg_way: str
    die_date: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., endtime: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., oprn_oprt_code: _Optional[str] = ..., oprn_oprt_name: _Optional[str] = ..., fpsc_no: _Optional[str] = ..., matn_type: _Optional[str] = ..., birctrl_type: _Optional[str] = ..., latechb_flag: _Optional[str] = ..., geso_val: _Optional[str] = ..., fetts: _Optional[str] = ..., fetus_cnt: _Optional[str] = ..., pret_flag: _Optional[str] = ..., birctrl_matn_date: _Optional[str] = ..., cop_flag: _Optional[str] = ..., dscg_dept_codg: _Optional[str] = ..., dscg_dept_name: _Optional[str] = ..., dscg_bed: _Optional[str] = ..., dscg_way: _Optional[str] = ..., die_date: _Optional[str] = ...) -> None: ...

class DischargeInput(_message.Message):
    __slots__ = ("dscginfo", "diseinfo")
    DSCGINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    dscginfo: DischargeInfo
    diseinfo: _containers.RepeatedCompositeFieldContainer[InpatientDiseInfo]
    def __init__(self, dscginfo: _Optional[_Union[DischargeInfo, _Mapping]] = ..., diseinfo: _Optional[_Iterable[_Union[InpatientDiseInfo, _Mapping]]] = ...) -> None: ...

class DischargeRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: DischargeInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[DischargeInput, _Mapping]] = ...) -> None: ...

class ChangeAdmissionInput(_message.Message):
    __slots__ = ("adminfo", "diseinfo")
    ADMINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    adminfo: AdmissionInfo
    diseinfo: _containers.RepeatedCompositeFieldContainer[InpatientDiseInfo]
    def __init__(self, adminfo: _Optional[_Union[AdmissionInfo, _Mapping]] = ..., diseinfo: _Optional[_Iterable[_Union[InpatientDiseInfo, _Mapping]]] = ...) -> None: ...

class ChangeAdmissionRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ChangeAdmissionInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ChangeAdmissionInput, _Mapping]] = ...) -> None: ...

class StayData(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "exp_content")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    exp_content: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., exp_content: _Optional[str] = ...) -> None: ...

class StayInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: StayData
    def __init__(self, data: _Optional[_Union[StayData, _Mapping]] = ...) -> None: ...

class StayRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: StayInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[StayInput, _Mapping]] = ...) -> None: ...

class InpatientFeeDetail(_message.Message):
    __slots__ = ("feedetl_sn", "init_feedetl_sn", "mdtrt_id", "drord_no", "psn_no", "med_type", "fee_ocur_time", "med_list_codg", "medins_list_codg", "det_item_fee_sumamt", "cnt", "pric", "bilg_dept_codg", "bilg_dept_name", "bilg_dr_codg", "bilg_dr_name", "acord_dept_codg", "acord_dept_name", "orders_dr_code", "orders_dr_name", "hosp_appr_flag", "tcmdrug_used_way", "etip_flag", "etip_hosp_code", "dscg_tkdrug_flag", "matn_fee_flag", "memo", "exp_content")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    INIT_FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    DRORD_NO_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    MEDINS_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    BILG_DEPT_CODG_FIELD_NUMBER: _ClassVar[int]
    BILG_DEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    BILG_DR_CODG_FIELD_NUMBER: _ClassVar[int]
    BILG_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    ACORD_DEPT_CODG_FIELD_NUMBER: _ClassVar[int]
    ACORD_DEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    ORDERS_DR_CODE_FIELD_NUMBER: _ClassVar[int]
    ORDERS_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSP_APPR_FLAG_FIELD_NUMBER: _ClassVar[int]
    TCMDRUG_USED_WAY_FIELD_NUMBER: _ClassVar[int]
    ETIP_FLAG_FIELD_NUMBER: _ClassVar[int]
    ETIP_HOSP_CODE_FIELD_NUMBER: _ClassVar[int]
    DSCG_TKDRUG_FLAG_FIELD_NUMBER: _ClassVar[int]
    MATN_FEE_FLAG_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    init_feedetl_sn: str
    mdtrt_id: str
    drord_no: str
    psn_no: str
    med_type: str
    fee_ocur_time: str
    med_list_codg: str
    medins_list_codg: str
    det_item_fee_sumamt: str
    cnt: str
    pric: str
    bilg_dept_codg: str
    bilg_dept_name: str
    bilg_dr_codg: str
    bilg_dr_name: str
    acord_dept_codg: str
    acord_dept_name: str
    orders_dr_code: str
    orders_dr_name: str
    hosp_appr_flag: str
    tcmdrug_used_way: str
    etip_flag: str
    etip_hosp_code: str
    dscg_tkdrug_flag: str
    matn_fee_flag: str
    memo: str
    exp_content: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., init_feedetl_sn: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., drord_no: _Optional[str] = ..., psn_no: _Optional[str] = ..., med_type: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., medins_list_codg: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., bilg_dept_codg: _Optional[str] = ..., bilg_dept_name: _Optional[str] = ..., bilg_dr_codg: _Optional[str] = ..., bilg_dr_name: _Optional[str] = ..., acord_dept_codg: _Optional[str] = ..., acord_dept_name: _Optional[str] = ..., orders_dr_code: _Optional[str] = ..., orders_dr_name: _Optional[str] = ..., hosp_appr_flag: _Optional[str] = ..., tcmdrug_used_way: _Optional[str] = ..., etip_flag: _Optional[str] = ..., etip_hosp_code: _Optional[str] = ..., dscg_tkdrug_flag: _Optional[str] = ..., matn_fee_flag: _Optional[str] = ..., memo: _Optional[str] = ..., exp_content: _Optional[str] = ...) -> None: ...

class InpatientFeeInput(_message.Message):
    __slots__ = ("feedetail",)
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    feedetail: _containers.RepeatedCompositeFieldContainer[InpatientFeeDetail]
    def __init__(self, feedetail: _Optional[_Iterable[_Union[InpatientFeeDetail, _Mapping]]] = ...) -> None: ...

class InpatientFeeRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: InpatientFeeInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[InpatientFeeInput, _Mapping]] = ...) -> None: ...

class InpatientFeeCancel(_message.Message):
    __slots__ = ("feedetl_sn", "mdtrt_id", "psn_no", "exp_content")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    mdtrt_id: str
    psn_no: str
    exp_content: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., exp_content: _Optional[str] = ...) -> None: ...

class InpatientFeeCancelInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[InpatientFeeCancel]
    def __init__(self, data: _Optional[_Iterable[_Union[InpatientFeeCancel, _Mapping]]] = ...) -> None: ...

class InpatientFeeCancelRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: InpatientFeeCancelInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[InpatientFeeCancelInput, _Mapping]] = ...) -> None: ...

class InpatientSettleData(_message.Message):
    __slots__ = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "medfee_sumamt", "psn_setlway", "mdtrt_id", "acct_used_flag", "insutype", "invono", "mid_setl_flag", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "dscgTime", "exp_content")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    PSN_SETLWAY_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    INVONO_FIELD_NUMBER: _ClassVar[int]
    MID_SETL_FLAG_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_SELFPAY_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    DSCGTIME_FIELD_NUMBER: _ClassVar[int]
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    medfee_sumamt: str
    psn_setlway: str
    mdtrt_id: str
    acct_used_flag: str
    insutype: str
    invono: str
    mid_setl_flag: str
    fulamt_ownpay_amt: str
    overlmt_selfpay: str
    preselfpay_amt: str
    inscp_scp_amt: str
    dscgTime: str
    exp_content: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., psn_setlway: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., acct_used_flag: _Optional[str] = ..., insutype: _Optional[str] = ..., invono: _Optional[str] = ..., mid_setl_flag: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_selfpay: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., dscgTime: _Optional[str] = ..., exp_content: _Optional[str] = ...) -> None: ...

class InpatientSettleInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: InpatientSettleData
    def __init__(self, data: _Optional[_Union[InpatientSettleData, _Mapping]] = ...) -> None: ...

class InpatientSettleRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: InpatientSettleInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[InpatientSettleInput, _Mapping]] = ...) -> None: ...

class InpatientCancelSettlementData(_message.Message):
    __slots__ = ("mdtrt_id", "setl_id", "psn_no", "exp_content", "refd_rea")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    REFD_REA_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    setl_id: str
    psn_no: str
    exp_content: str
    refd_rea: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., exp_content: _Optional[str] = ..., refd_rea: _Optional[str] = ...) -> None: ...

class InpatientCancelSettlementInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: InpatientCancelSettlementData
    def __init__(self, data: _Optional[_Union[InpatientCancelSettlementData, _Mapping]] = ...) -> None: ...

class InpatientCancelSettlementRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: InpatientCancelSettlementInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[InpatientCancelSettlementInput, _Mapping]] = ...) -> None: ...
