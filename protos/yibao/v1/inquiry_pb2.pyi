from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MedinsQueryData(_message.Message):
    __slots__ = ("fixmedins_type", "fixmedins_code", "fixmedins_name")
    FIXMEDINS_TYPE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    fixmedins_type: str
    fixmedins_code: str
    fixmedins_name: str
    def __init__(self, fixmedins_type: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ...) -> None: ...

class MedinsQueryInput(_message.Message):
    __slots__ = ("medinsinfo",)
    MEDINSINFO_FIELD_NUMBER: _ClassVar[int]
    medinsinfo: MedinsQueryData
    def __init__(self, medinsinfo: _Optional[_Union[MedinsQueryData, _Mapping]] = ...) -> None: ...

class MedinsQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: MedinsQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[MedinsQueryInput, _Mapping]] = ...) -> None: ...

class MedinsRow(_message.Message):
    __slots__ = ("fixmedins_code", "fixmedins_name", "uscc", "fixmedins_type", "hosp_lv", "admdvs", "vali_flag")
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_TYPE_FIELD_NUMBER: _ClassVar[int]
    HOSP_LV_FIELD_NUMBER: _ClassVar[int]
    ADMDVS_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    fixmedins_code: str
    fixmedins_name: str
    uscc: str
    fixmedins_type: str
    hosp_lv: str
    admdvs: str
    vali_flag: str
    def __init__(self, fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., uscc: _Optional[str] = ..., fixmedins_type: _Optional[str] = ..., hosp_lv: _Optional[str] = ..., admdvs: _Optional[str] = ..., vali_flag: _Optional[str] = ...) -> None: ...

class MedinsQueryOutput(_message.Message):
    __slots__ = ("medinsinfo",)
    MEDINSINFO_FIELD_NUMBER: _ClassVar[int]
    medinsinfo: _containers.RepeatedCompositeFieldContainer[MedinsRow]
    def __init__(self, medinsinfo: _Optional[_Iterable[_Union[MedinsRow, _Mapping]]] = ...) -> None: ...

class MedinsQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: MedinsQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[MedinsQueryOutput, _Mapping]] = ...) -> None: ...

class DictQueryData(_message.Message):
    __slots__ = ("type", "parentValue", "admdvs", "date", "vali_flag")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PARENTVALUE_FIELD_NUMBER: _ClassVar[int]
    ADMDVS_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    type: str
    parentValue: str
    admdvs: str
    date: str
    vali_flag: str
    def __init__(self, type: _Optional[str] = ..., parentValue: _Optional[str] = ..., admdvs: _Optional[str] = ..., date: _Optional[str] = ..., vali_flag: _Optional[str] = ...) -> None: ...

class DictQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: DictQueryData
    def __init__(self, data: _Optional[_Union[DictQueryData, _Mapping]] = ...) -> None: ...

class DictQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: DictQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[DictQueryInput, _Mapping]] = ...) -> None: ...

class DictRow(_message.Message):
    __slots__ = ("type", "label", "value", "parent_value", "sort", "vali_flag")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    PARENT_VALUE_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    type: str
    label: str
    value: str
    parent_value: str
    sort: str
    vali_flag: str
    def __init__(self, type: _Optional[str] = ..., label: _Optional[str] = ..., value: _Optional[str] = ..., parent_value: _Optional[str] = ..., sort: _Optional[str] = ..., vali_flag: _Optional[str] = ...) -> None: ...

class DictQueryOutput(_message.Message):
    __slots__ = ("list",)
    LIST_FIELD_NUMBER: _ClassVar[int]
    list: _containers.RepeatedCompositeFieldContainer[DictRow]
    def __init__(self, list: _Optional[_Iterable[_Union[DictRow, _Mapping]]] = ...) -> None: ...

class DictQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: DictQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[DictQueryOutput, _Mapping]] = ...) -> None: ...

class TrtCheckData(_message.Message):
    __slots__ = ("psn_no", "insutype", "fixmedins_code", "med_type", "begntime", "endtime", "dise_codg", "dise_name", "oprn_oprt_code", "oprn_oprt_name", "matn_type", "birctrl_type")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_CODE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_NAME_FIELD_NUMBER: _ClassVar[int]
    MATN_TYPE_FIELD_NUMBER: _ClassVar[int]
    BIRCTRL_TYPE_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    fixmedins_code: str
    med_type: str
    begntime: str
    endtime: str
    dise_codg: str
    dise_name: str
    oprn_oprt_code: str
    oprn_oprt_name: str
    matn_type: str
    birctrl_type: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., med_type: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., oprn_oprt_code: _Optional[str] = ..., oprn_oprt_name: _Optional[str] = ..., matn_type: _Optional[str] = ..., birctrl_type: _Optional[str] = ...) -> None: ...

class TrtCheckInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: TrtCheckData
    def __init__(self, data: _Optional[_Union[TrtCheckData, _Mapping]] = ...) -> None: ...

class TrtCheckRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: TrtCheckInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[TrtCheckInput, _Mapping]] = ...) -> None: ...

class TrtCheckRow(_message.Message):
    __slots__ = ("psn_no", "trt_chk_type", "fund_pay_type", "trt_enjymnt_flag", "begndate", "enddate", "trt_chk_rslt")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    TRT_CHK_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    TRT_ENJYMNT_FLAG_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    TRT_CHK_RSLT_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    trt_chk_type: str
    fund_pay_type: str
    trt_enjymnt_flag: str
    begndate: str
    enddate: str
    trt_chk_rslt: str
    def __init__(self, psn_no: _Optional[str] = ..., trt_chk_type: _Optional[str] = ..., fund_pay_type: _Optional[str] = ..., trt_enjymnt_flag: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., trt_chk_rslt: _Optional[str] = ...) -> None: ...

class TrtCheckOutput(_message.Message):
    __slots__ = ("trtinfo",)
    TRTINFO_FIELD_NUMBER: _ClassVar[int]
    trtinfo: _containers.RepeatedCompositeFieldContainer[TrtCheckRow]
    def __init__(self, trtinfo: _Optional[_Iterable[_Union[TrtCheckRow, _Mapping]]] = ...) -> None: ...

class TrtCheckReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: TrtCheckOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[TrtCheckOutput, _Mapping]] = ...) -> None: ...

class HilistQueryData(_message.Message):
    __slots__ = ("query_date", "hilist_code", "insu_admdvs", "begndate", "hilist_name", "wubi", "pinyin", "med_chrgitm_type", "chrgitm_lv", "lmt_used_flag", "list_type", "med_use_flag", "matn_used_flag", "hilist_use_type", "lmt_cpnd_type", "vali_flag", "updt_time", "page_num", "page_size")
    QUERY_DATE_FIELD_NUMBER: _ClassVar[int]
    HILIST_CODE_FIELD_NUMBER: _ClassVar[int]
    INSU_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    HILIST_NAME_FIELD_NUMBER: _ClassVar[int]
    WUBI_FIELD_NUMBER: _ClassVar[int]
    PINYIN_FIELD_NUMBER: _ClassVar[int]
    MED_CHRGITM_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHRGITM_LV_FIELD_NUMBER: _ClassVar[int]
    LMT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    LIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    MED_USE_FLAG_FIELD_NUMBER: _ClassVar[int]
    MATN_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    HILIST_USE_TYPE_FIELD_NUMBER: _ClassVar[int]
    LMT_CPND_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    UPDT_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_NUM_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    query_date: str
    hilist_code: str
    insu_admdvs: str
    begndate: str
    hilist_name: str
    wubi: str
    pinyin: str
    med_chrgitm_type: str
    chrgitm_lv: str
    lmt_used_flag: str
    list_type: str
    med_use_flag: str
    matn_used_flag: str
    hilist_use_type: str
    lmt_cpnd_type: str
    vali_flag: str
    updt_time: str
    page_num: str
    page_size: str
    def __init__(self, query_date: _Optional[str] = ..., hilist_code: _Optional[str] = ..., insu_admdvs: _Optional[str] = ..., begndate: _Optional[str] = ..., hilist_name: _Optional[str] = ..., wubi: _Optional[str] = ..., pinyin: _Optional[str] = ..., med_chrgitm_type: _Optional[str] = ..., chrgitm_lv: _Optional[str] = ..., lmt_used_flag: _Optional[str] = ..., list_type: _Optional[str] = ..., med_use_flag: _Optional[str] = ..., matn_used_flag: _Optional[str] = ..., hilist_use_type: _Optional[str] = ..., lmt_cpnd_type: _Optional[str] = ..., vali_flag: _Optional[str] = ..., updt_time: _Optional[str] = ..., page_num: _Optional[str] = ..., page_size: _Optional[str] = ...) -> None: ...

class HilistQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: HilistQueryData
    def __init__(self, data: _Optional[_Union[HilistQueryData, _Mapping]] = ...) -> None: ...

class HilistQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: HilistQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[HilistQueryInput, _Mapping]] = ...) -> None: ...

class HilistRow(_message.Message):
    __slots__ = ("hilist_code", "hilist_name", "insu_admdvs", "list_type", "med_chrgitm_type", "chrgitm_lv", "lmt_used_flag", "lmt_dscr", "selfpay_prop", "pric_uplmt_amt", "payable_flag", "vali_flag")
    HILIST_CODE_FIELD_NUMBER: _ClassVar[int]
    HILIST_NAME_FIELD_NUMBER: _ClassVar[int]
    INSU_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    LIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    MED_CHRGITM_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHRGITM_LV_FIELD_NUMBER: _ClassVar[int]
    LMT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    LMT_DSCR_FIELD_NUMBER: _ClassVar[int]
    SELFPAY_PROP_FIELD_NUMBER: _ClassVar[int]
    PRIC_UPLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_FLAG_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    hilist_code: str
    hilist_name: str
    insu_admdvs: str
    list_type: str
    med_chrgitm_type: str
    chrgitm_lv: str
    lmt_used_flag: str
    lmt_dscr: str
    selfpay_prop: str
    pric_uplmt_amt: str
    payable_flag: str
    vali_flag: str
    def __init__(self, hilist_code: _Optional[str] = ..., hilist_name: _Optional[str] = ..., insu_admdvs: _Optional[str] = ..., list_type: _Optional[str] = ..., med_chrgitm_type: _Optional[str] = ..., chrgitm_lv: _Optional[str] = ..., lmt_used_flag: _Optional[str] = ..., lmt_dscr: _Optional[str] = ..., selfpay_prop: _Optional[str] = ..., pric_uplmt_amt: _Optional[str] = ..., payable_flag: _Optional[str] = ..., vali_flag: _Optional[str] = ...) -> None: ...

class HilistQueryOutput(_message.Message):
    __slots__ = ("data", "page_num", "page_size", "recordCounts", "pages")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGE_NUM_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    RECORDCOUNTS_FIELD_NUMBER: _ClassVar[int]
    PAGES_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[HilistRow]
    page_num: str
    page_size: str
    recordCounts: str
    pages: str
    def __init__(self, data: _Optional[_Iterable[_Union[HilistRow, _Mapping]]] = ..., page_num: _Optional[str] = ..., page_size: _Optional[str] = ..., recordCounts: _Optional[str] = ..., pages: _Optional[str] = ...) -> None: ...

class HilistQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: HilistQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[HilistQueryOutput, _Mapping]] = ...) -> None: ...

class VisitQueryData(_message.Message):
    __slots__ = ("psn_no", "begntime", "endtime", "med_type", "mdtrt_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    begntime: str
    endtime: str
    med_type: str
    mdtrt_id: str
    def __init__(self, psn_no: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ..., med_type: _Optional[str] = ..., mdtrt_id: _Optional[str] = ...) -> None: ...

class VisitQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: VisitQueryData
    def __init__(self, data: _Optional[_Union[VisitQueryData, _Mapping]] = ...) -> None: ...

class VisitQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: VisitQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[VisitQueryInput, _Mapping]] = ...) -> None: ...

class VisitRecord(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "insutype", "psn_type", "insu_optins", "begntime", "endtime", "med_type", "ipt_otp_no", "inhosp_stas", "fixmedins_code", "mdtrt_cert_type", "dise_codg", "dise_name", "vali_flag", "kind")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    PSN_TYPE_FIELD_NUMBER: _ClassVar[int]
    INSU_OPTINS_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    IPT_OTP_NO_FIELD_NUMBER: _ClassVar[int]
    INHOSP_STAS_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    insutype: str
    psn_type: str
    insu_optins: str
    begntime: str
    endtime: str
    med_type: str
    ipt_otp_no: str
    inhosp_stas: str
    fixmedins_code: str
    mdtrt_cert_type: str
    dise_codg: str
    dise_name: str
    vali_flag: str
    kind: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., psn_type: _Optional[str] = ..., insu_optins: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ..., med_type: _Optional[str] = ..., ipt_otp_no: _Optional[str] = ..., inhosp_stas: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., vali_flag: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class VisitQueryOutput(_message.Message):
    __slots__ = ("mdtrtinfo",)
    MDTRTINFO_FIELD_NUMBER: _ClassVar[int]
    mdtrtinfo: _containers.RepeatedCompositeFieldContainer[VisitRecord]
    def __init__(self, mdtrtinfo: _Optional[_Iterable[_Union[VisitRecord, _Mapping]]] = ...) -> None: ...

class VisitQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: VisitQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[VisitQueryOutput, _Mapping]] = ...) -> None: ...

class DiagQueryData(_message.Message):
    __slots__ = ("psn_no", "mdtrt_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_id: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_id: _Optional[str] = ...) -> None: ...

class DiagQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: DiagQueryData
    def __init__(self, data: _Optional[_Union[DiagQueryData, _Mapping]] = ...) -> None: ...

class DiagQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: DiagQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[DiagQueryInput, _Mapping]] = ...) -> None: ...

class DiagRecord(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "diag_type", "diag_srt_no", "diag_code", "diag_name", "diag_dept", "dise_dor_no", "dise_dor_name", "diag_time", "vali_flag", "maindiag_flag")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
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
    mdtrt_id: str
    psn_no: str
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
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., diag_type: _Optional[str] = ..., diag_srt_no: _Optional[str] = ..., diag_code: _Optional[str] = ..., diag_name: _Optional[str] = ..., diag_dept: _Optional[str] = ..., dise_dor_no: _Optional[str] = ..., dise_dor_name: _Optional[str] = ..., diag_time: _Optional[str] = ..., vali_flag: _Optional[str] = ..., maindiag_flag: _Optional[str] = ...) -> None: ...

class DiagQueryOutput(_message.Message):
    __slots__ = ("diseinfo",)
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    diseinfo: _containers.RepeatedCompositeFieldContainer[DiagRecord]
    def __init__(self, diseinfo: _Optional[_Iterable[_Union[DiagRecord, _Mapping]]] = ...) -> None: ...

class DiagQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: DiagQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[DiagQueryOutput, _Mapping]] = ...) -> None: ...

class FeeListQueryData(_message.Message):
    __slots__ = ("psn_no", "setl_id", "mdtrt_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    setl_id: str
    mdtrt_id: str
    def __init__(self, psn_no: _Optional[str] = ..., setl_id: _Optional[str] = ..., mdtrt_id: _Optional[str] = ...) -> None: ...

class FeeListQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: FeeListQueryData
    def __init__(self, data: _Optional[_Union[FeeListQueryData, _Mapping]] = ...) -> None: ...

class FeeListQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FeeListQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FeeListQueryInput, _Mapping]] = ...) -> None: ...

class FeeListRecord(_message.Message):
    __slots__ = ("feedetl_sn", "mdtrt_id", "psn_no", "setl_id", "chrg_bchno", "init_feedetl_sn", "med_list_codg", "medins_list_codg", "hilist_name", "fee_ocur_time", "cnt", "pric", "det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "chrgitm_lv", "med_chrgitm_type", "list_type", "dise_codg", "memo")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    CHRG_BCHNO_FIELD_NUMBER: _ClassVar[int]
    INIT_FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    MEDINS_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    HILIST_NAME_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    CHRGITM_LV_FIELD_NUMBER: _ClassVar[int]
    MED_CHRGITM_TYPE_FIELD_NUMBER: _ClassVar[int]
    LIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    mdtrt_id: str
    psn_no: str
    setl_id: str
    chrg_bchno: str
    init_feedetl_sn: str
    med_list_codg: str
    medins_list_codg: str
    hilist_name: str
    fee_ocur_time: str
    cnt: str
    pric: str
    det_item_fee_sumamt: str
    fulamt_ownpay_amt: str
    overlmt_amt: str
    preselfpay_amt: str
    inscp_scp_amt: str
    chrgitm_lv: str
    med_chrgitm_type: str
    list_type: str
    dise_codg: str
    memo: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., setl_id: _Optional[str] = ..., chrg_bchno: _Optional[str] = ..., init_feedetl_sn: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., medins_list_codg: _Optional[str] = ..., hilist_name: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_amt: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., chrgitm_lv: _Optional[str] = ..., med_chrgitm_type: _Optional[str] = ..., list_type: _Optional[str] = ..., dise_codg: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class FeeListQueryOutput(_message.Message):
    __slots__ = ("feedetail", "file_qury_no", "filename", "dld_endtime")
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DLD_ENDTIME_FIELD_NUMBER: _ClassVar[int]
    feedetail: _containers.RepeatedCompositeFieldContainer[FeeListRecord]
    file_qury_no: str
    filename: str
    dld_endtime: str
    def __init__(self, feedetail: _Optional[_Iterable[_Union[FeeListRecord, _Mapping]]] = ..., file_qury_no: _Optional[str] = ..., filename: _Optional[str] = ..., dld_endtime: _Optional[str] = ...) -> None: ...

class FeeListQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: FeeListQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[FeeListQueryOutput, _Mapping]] = ...) -> None: ...

class OpspDrugQueryData(_message.Message):
    __slots__ = ("psn_no", "begntime", "endtime")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    begntime: str
    endtime: str
    def __init__(self, psn_no: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class OpspDrugQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: OpspDrugQueryData
    def __init__(self, data: _Optional[_Union[OpspDrugQueryData, _Mapping]] = ...) -> None: ...

class OpspDrugQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: OpspDrugQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[OpspDrugQueryInput, _Mapping]] = ...) -> None: ...

class OpspDrugRecord(_message.Message):
    __slots__ = ("psn_no", "mdtrt_id", "setl_id", "fixmedins_code", "fixmedins_name", "opsp_dise_code", "med_list_codg", "hilist_name", "fee_ocur_time", "cnt", "pric", "det_item_fee_sumamt", "setl_time", "list_type")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    OPSP_DISE_CODE_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    HILIST_NAME_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    SETL_TIME_FIELD_NUMBER: _ClassVar[int]
    LIST_TYPE_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_id: str
    setl_id: str
    fixmedins_code: str
    fixmedins_name: str
    opsp_dise_code: str
    med_list_codg: str
    hilist_name: str
    fee_ocur_time: str
    cnt: str
    pric: str
    det_item_fee_sumamt: str
    setl_time: str
    list_type: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., opsp_dise_code: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., hilist_name: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., setl_time: _Optional[str] = ..., list_type: _Optional[str] = ...) -> None: ...

class OpspDrugQueryOutput(_message.Message):
    __slots__ = ("feedetail",)
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    feedetail: _containers.RepeatedCompositeFieldContainer[OpspDrugRecord]
    def __init__(self, feedetail: _Optional[_Iterable[_Union[OpspDrugRecord, _Mapping]]] = ...) -> None: ...

class OpspDrugQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: OpspDrugQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[OpspDrugQueryOutput, _Mapping]] = ...) -> None: ...

class CumQueryData(_message.Message):
    __slots__ = ("psn_no", "cum_ym")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    CUM_YM_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    cum_ym: str
    def __init__(self, psn_no: _Optional[str] = ..., cum_ym: _Optional[str] = ...) -> None: ...

class CumQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CumQueryData
    def __init__(self, data: _Optional[_Union[CumQueryData, _Mapping]] = ...) -> None: ...

class CumQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CumQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CumQueryInput, _Mapping]] = ...) -> None: ...

class CumRecord(_message.Message):
    __slots__ = ("insutype", "year", "cum_ym", "cum_type_code", "cum", "accum_group", "fund_pay_type", "lmt_amt", "rema_amt")
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    CUM_YM_FIELD_NUMBER: _ClassVar[int]
    CUM_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    CUM_FIELD_NUMBER: _ClassVar[int]
    ACCUM_GROUP_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    LMT_AMT_FIELD_NUMBER: _ClassVar[int]
    REMA_AMT_FIELD_NUMBER: _ClassVar[int]
    insutype: str
    year: str
    cum_ym: str
    cum_type_code: str
    cum: str
    accum_group: str
    fund_pay_type: str
    lmt_amt: str
    rema_amt: str
    def __init__(self, insutype: _Optional[str] = ..., year: _Optional[str] = ..., cum_ym: _Optional[str] = ..., cum_type_code: _Optional[str] = ..., cum: _Optional[str] = ..., accum_group: _Optional[str] = ..., fund_pay_type: _Optional[str] = ..., lmt_amt: _Optional[str] = ..., rema_amt: _Optional[str] = ...) -> None: ...

class CumQueryOutput(_message.Message):
    __slots__ = ("cuminfo",)
    CUMINFO_FIELD_NUMBER: _ClassVar[int]
    cuminfo: _containers.RepeatedCompositeFieldContainer[CumRecord]
    def __init__(self, cuminfo: _Optional[_Iterable[_Union[CumRecord, _Mapping]]] = ...) -> None: ...

class CumQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CumQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CumQueryOutput, _Mapping]] = ...) -> None: ...

class InhospQueryData(_message.Message):
    __slots__ = ("psn_no", "begntime", "endtime")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    begntime: str
    endtime: str
    def __init__(self, psn_no: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class InhospQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: InhospQueryData
    def __init__(self, data: _Optional[_Union[InhospQueryData, _Mapping]] = ...) -> None: ...

class InhospQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: InhospQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[InhospQueryInput, _Mapping]] = ...) -> None: ...

class InhospRecord(_message.Message):
    __slots__ = ("mdtrt_id", "psn_no", "fixmedins_code", "fixmedins_name", "insutype", "med_type", "begntime", "endtime", "ipt_no", "inhosp_stas", "dise_codg", "dise_name")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    IPT_NO_FIELD_NUMBER: _ClassVar[int]
    INHOSP_STAS_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    psn_no: str
    fixmedins_code: str
    fixmedins_name: str
    insutype: str
    med_type: str
    begntime: str
    endtime: str
    ipt_no: str
    inhosp_stas: str
    dise_codg: str
    dise_name: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., insutype: _Optional[str] = ..., med_type: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ..., ipt_no: _Optional[str] = ..., inhosp_stas: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ...) -> None: ...

class InhospQueryOutput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[InhospRecord]
    def __init__(self, data: _Optional[_Iterable[_Union[InhospRecord, _Mapping]]] = ...) -> None: ...

class InhospQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: InhospQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[InhospQueryOutput, _Mapping]] = ...) -> None: ...

class ReflQueryData(_message.Message):
    __slots__ = ("psn_no", "begntime", "endtime")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    begntime: str
    endtime: str
    def __init__(self, psn_no: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class ReflQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ReflQueryData
    def __init__(self, data: _Optional[_Union[ReflQueryData, _Mapping]] = ...) -> None: ...

class ReflQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ReflQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ReflQueryInput, _Mapping]] = ...) -> None: ...

class ReflRecord(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "psn_no", "insutype", "reflin_medins_no", "reflin_medins_name", "mdtrtarea_admdvs", "refl_type", "begndate", "enddate", "fil_stas", "filed_by", "crte_date")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    REFL_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    FIL_STAS_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    CRTE_DATE_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    psn_no: str
    insutype: str
    reflin_medins_no: str
    reflin_medins_name: str
    mdtrtarea_admdvs: str
    refl_type: str
    begndate: str
    enddate: str
    fil_stas: str
    filed_by: str
    crte_date: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., reflin_medins_no: _Optional[str] = ..., reflin_medins_name: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., refl_type: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., fil_stas: _Optional[str] = ..., filed_by: _Optional[str] = ..., crte_date: _Optional[str] = ...) -> None: ...

class ReflQueryOutput(_message.Message):
    __slots__ = ("refmedin",)
    REFMEDIN_FIELD_NUMBER: _ClassVar[int]
    refmedin: _containers.RepeatedCompositeFieldContainer[ReflRecord]
    def __init__(self, refmedin: _Optional[_Iterable[_Union[ReflRecord, _Mapping]]] = ...) -> None: ...

class ReflQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ReflQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ReflQueryOutput, _Mapping]] = ...) -> None: ...
