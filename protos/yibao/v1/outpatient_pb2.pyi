from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EmptyOutput(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EmptyReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: EmptyOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[EmptyOutput, _Mapping]] = ...) -> None: ...

class RegisterData(_message.Message):
    __slots__ = ("psn_no", "insutype", "begntime", "mdtrt_cert_type", "mdtrt_cert_no", "ipt_otp_no", "atddr_no", "dr_name", "dept_code", "dept_name", "caty")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    IPT_OTP_NO_FIELD_NUMBER: _ClassVar[int]
    ATDDR_NO_FIELD_NUMBER: _ClassVar[int]
    DR_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPT_CODE_FIELD_NUMBER: _ClassVar[int]
    DEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    CATY_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    begntime: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    ipt_otp_no: str
    atddr_no: str
    dr_name: str
    dept_code: str
    dept_name: str
    caty: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., begntime: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., ipt_otp_no: _Optional[str] = ..., atddr_no: _Optional[str] = ..., dr_name: _Optional[str] = ..., dept_code: _Optional[str] = ..., dept_name: _Optional[str] = ..., caty: _Optional[str] = ...) -> None: ...

class RegisterInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RegisterData
    def __init__(self, data: _Optional[_Union[RegisterData, _Mapping]] = ...) -> None: ...

class RegisterRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: RegisterInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[RegisterInput, _Mapping]] = ...) -> None: ...

class RegisterResult(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "ipt_otp_no")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    IPT_OTP_NO_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    ipt_otp_no: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., ipt_otp_no: _Optional[str] = ...) -> None: ...

class RegisterOutput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RegisterResult
    def __init__(self, data: _Optional[_Union[RegisterResult, _Mapping]] = ...) -> None: ...

class RegisterReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: RegisterOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[RegisterOutput, _Mapping]] = ...) -> None: ...

class CancelRegistrationData(_message.Message):
    __slots__ = ("psn_no", "mdtrt_id", "ipt_otp_no")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    IPT_OTP_NO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_id: str
    ipt_otp_no: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., ipt_otp_no: _Optional[str] = ...) -> None: ...

class CancelRegistrationInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CancelRegistrationData
    def __init__(self, data: _Optional[_Union[CancelRegistrationData, _Mapping]] = ...) -> None: ...

class CancelRegistrationRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CancelRegistrationInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CancelRegistrationInput, _Mapping]] = ...) -> None: ...

class MdtrtInfo(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "med_type", "begntime", "main_cond_dscr", "dise_codg", "dise_name", "birctrl_type", "birctrl_matn_date", "matn_type", "geso_val")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    MAIN_COND_DSCR_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_TYPE_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_MATN_DATE_FIELD_NUMBER: _ClassVar[int]
    MATN_TYPE_FIELD_NUMBER: _ClassVar[int]
    GESO_VAL_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    med_type: str
    begntime: str
    main_cond_dscr: str
    dise_codg: str
    dise_name: str
    birctrl_type: str
    birctrl_matn_date: str
    matn_type: str
    geso_val: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., med_type: _Optional[str] = ..., begntime: _Optional[str] = ..., main_cond_dscr: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., birctrl_type: _Optional[str] = ..., birctrl_matn_date: _Optional[str] = ..., matn_type: _Optional[str] = ..., geso_val: _Optional[str] = ...) -> None: ...

class DiseInfo(_message.Message):
    __slots__ = ("diag_type", "diag_srt_no", "diag_code", "diag_name", "diag_dept", "dise_dor_no", "dise_dor_name", "diag_time", "vali_flag", "maindiag_flag")
    DIAG_TYPE_FIELD_NUMBER: _ClassVar[int]
    DIAG_SRT_NO_FIELD_NUMBER: _ClassVar[int]
    DIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    DIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    DIAG_DEPT_FIELD_NUMBER: _ClassVar[int]
    DISE_DOR_NO_FIELD_NUMBER: _ClassVar[int]
    DISE_DOR_NAME_FIELD_NUMBER: _ClassVar[int]
    DIAG_TIME_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    MAINDIAG_FLAG_FIELD_NUMBER: _ClassVar[int]
    diag_type: str
    diag_srt_no: str
    diag_code: str
    diag_name: str
    diag_dept: str
    dise_dor_no: str
    dise_dor_name: str
    diag_time: str
    vali_flag: str
    maindiag_flag: str
    def __init__(self, diag_type: _Optional[str] = ..., diag_srt_no: _Optional[str] = ..., diag_code: _Optional[str] = ..., diag_name: _Optional[str] = ..., diag_dept: _Optional[str] = ..., dise_dor_no: _Optional[str] = ..., dise_dor_name: _Optional[str] = ..., diag_time: _Optional[str] = ..., vali_flag: _Optional[str] = ..., maindiag_flag: _Optional[str] = ...) -> None: ...

class UploadVisitInfoInput(_message.Message):
    __slots__ = ("mdtrtinfo", "diseinfo")
    MDTRTINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    mdtrtinfo: MdtrtInfo
    diseinfo: _containers.RepeatedCompositeFieldContainer[DiseInfo]
    def __init__(self, mdtrtinfo: _Optional[_Union[MdtrtInfo, _Mapping]] = ..., diseinfo: _Optional[_Iterable[_Union[DiseInfo, _Mapping]]] = ...) -> None: ...

class UploadVisitInfoRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: UploadVisitInfoInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[UploadVisitInfoInput, _Mapping]] = ...) -> None: ...

class FeeDetail(_message.Message):
    __slots__ = ("feedetl_sn", "mdtrt_id", "psn_no", "chrg_bchno", "dise_codg", "rxno", "rx_circ_flag", "fee_ocur_time", "med_list_codg", "medins_list_codg", "det_item_fee_sumamt", "cnt", "pric", "sin_dos_dscr", "used_frqu_dscr", "prd_days", "medc_way_dscr", "bilg_dept_codg", "bilg_dept_name", "bilg_dr_codg", "bilg_dr_name", "acord_dept_codg", "acord_dept_name", "orders_dr_code", "orders_dr_name", "hosp_appr_flag", "tcmdrug_used_way", "etip_flag", "etip_hosp_code", "dscg_tkdrug_flag", "matn_fee_flag", "exp_content")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    CHRG_BCHNO_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    RXNO_FIELD_NUMBER: _ClassVar[int]
    RX_CIRC_FLAG_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    MEDINS_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    SIN_DOS_DSCR_FIELD_NUMBER: _ClassVar[int]
    USED_FRQU_DSCR_FIELD_NUMBER: _ClassVar[int]
    PRD_DAYS_FIELD_NUMBER: _ClassVar[int]
    MEDC_WAY_DSCR_FIELD_NUMBER: _ClassVar[int]
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
    EXP_CONTENT_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    mdtrt_id: str
    psn_no: str
    chrg_bchno: str
    dise_codg: str
    rxno: str
    rx_circ_flag: str
    fee_ocur_time: str
    med_list_codg: str
    medins_list_codg: str
    det_item_fee_sumamt: str
    cnt: str
    pric: str
    sin_dos_dscr: str
    used_frqu_dscr: str
    prd_days: str
    medc_way_dscr: str
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
    exp_content: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., chrg_bchno: _Optional[str] = ..., dise_codg: _Optional[str] = ..., rxno: _Optional[str] = ..., rx_circ_flag: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., medins_list_codg: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., sin_dos_dscr: _Optional[str] = ..., used_frqu_dscr: _Optional[str] = ..., prd_days: _Optional[str] = ..., medc_way_dscr: _Optional[str] = ..., bilg_dept_codg: _Optional[str] = ..., bilg_dept_name: _Optional[str] = ..., bilg_dr_codg: _Optional[str] = ..., bilg_dr_name: _Optional[str] = ..., acord_dept_codg: _Optional[str] = ..., acord_dept_name: _Optional[str] = ..., orders_dr_code: _Optional[str] = ..., orders_dr_name: _Optional[str] = ..., hosp_appr_flag: _Optional[str] = ..., tcmdrug_used_way: _Optional[str] = ..., etip_flag: _Optional[str] = ..., etip_hosp_code: _Optional[str] = ..., dscg_tkdrug_flag: _Optional[str] = ..., matn_fee_flag: _Optional[str] = ..., exp_content: _Optional[str] = ...) -> None: ...

class UploadFeeDetailsInput(_message.Message):
    __slots__ = ("feedetail",)
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    feedetail: _containers.RepeatedCompositeFieldContainer[FeeDetail]
    def __init__(self, feedetail: _Optional[_Iterable[_Union[FeeDetail, _Mapping]]] = ...) -> None: ...

class UploadFeeDetailsRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: UploadFeeDetailsInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[UploadFeeDetailsInput, _Mapping]] = ...) -> None: ...

class UploadFeeDetailsOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _containers.RepeatedCompositeFieldContainer[_settlement_pb2.FeeSplit]
    def __init__(self, result: _Optional[_Iterable[_Union[_settlement_pb2.FeeSplit, _Mapping]]] = ...) -> None: ...

class UploadFeeDetailsReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: UploadFeeDetailsOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[UploadFeeDetailsOutput, _Mapping]] = ...) -> None: ...

class CancelFeeDetailsData(_message.Message):
    __slots__ = ("mdtrt_id", "chrg_bchno", "psn_no", "feedetl_sn")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    CHRG_BCHNO_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    chrg_bchno: str
    psn_no: str
    feedetl_sn: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., chrg_bchno: _Optional[str] = ..., psn_no: _Optional[str] = ..., feedetl_sn: _Optional[str] = ...) -> None: ...

class CancelFeeDetailsInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CancelFeeDetailsData
    def __init__(self, data: _Optional[_Union[CancelFeeDetailsData, _Mapping]] = ...) -> None: ...

class CancelFeeDetailsRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CancelFeeDetailsInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CancelFeeDetailsInput, _Mapping]] = ...) -> None: ...

class SettleData(_message.Message):
    __slots__ = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "med_type", "medfee_sumamt", "psn_setlway", "mdtrt_id", "chrg_bchno", "acct_used_flag", "insutype", "invono", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    PSN_SETLWAY_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    CHRG_BCHNO_FIELD_NUMBER: _ClassVar[int]
    ACCT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    INVONO_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_SELFPAY_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    med_type: str
    medfee_sumamt: str
    psn_setlway: str
    mdtrt_id: str
    chrg_bchno: str
    acct_used_flag: str
    insutype: str
    invono: str
    fulamt_ownpay_amt: str
    overlmt_selfpay: str
    preselfpay_amt: str
    inscp_scp_amt: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., med_type: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., psn_setlway: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., chrg_bchno: _Optional[str] = ..., acct_used_flag: _Optional[str] = ..., insutype: _Optional[str] = ..., invono: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_selfpay: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ...) -> None: ...

class SettleInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: SettleData
    def __init__(self, data: _Optional[_Union[SettleData, _Mapping]] = ...) -> None: ...

class SettleRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SettleInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SettleInput, _Mapping]] = ...) -> None: ...

class CancelSettlementData(_message.Message):
    __slots__ = ("setl_id", "mdtrt_id", "psn_no", "refd_rea")
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    REFD_REA_FIELD_NUMBER: _ClassVar[int]
    setl_id: str
    mdtrt_id: str
    psn_no: str
    refd_rea: str
    def __init__(self, setl_id: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., refd_rea: _Optional[str] = ...) -> None: ...

class CancelSettlementInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CancelSettlementData
    def __init__(self, data: _Optional[_Union[CancelSettlementData, _Mapping]] = ...) -> None: ...

class CancelSettlementRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CancelSettlementInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CancelSettlementInput, _Mapping]] = ...) -> None: ...
