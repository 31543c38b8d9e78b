from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import outpatient_pb2 as _outpatient_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClearingApplicationData(_message.Message):
    __slots__ = ("clr_type", "clr_way", "setlym", "psntime", "medfee_sumamt", "med_sumfee", "fund_appy_sum", "cash_payamt", "acct_pay", "begndate", "enddate")
    CLR_TYPE_FIELD_NUMBER: _ClassVar[int]
    CLR_WAY_FIELD_NUMBER: _ClassVar[int]
    SETLYM_FIELD_NUMBER: _ClassVar[int]
    PSNTIME_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    MED_SUMFEE_FIELD_NUMBER: _ClassVar[int]
    FUND_APPY_SUM_FIELD_NUMBER: _ClassVar[int]
    CASH_PAYAMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    clr_type: str
    clr_way: str
    setlym: str
    psntime: str
    medfee_sumamt: str
    med_sumfee: str
    fund_appy_sum: str
    cash_payamt: str
    acct_pay: str
    begndate: str
    enddate: str
    def __init__(self, clr_type: _Optional[str] = ..., clr_way: _Optional[str] = ..., setlym: _Optional[str] = ..., psntime: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., med_sumfee: _Optional[str] = ..., fund_appy_sum: _Optional[str] = ..., cash_payamt: _Optional[str] = ..., acct_pay: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ...) -> None: ...

class ClearingApplicationInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ClearingApplicationData
    def __init__(self, data: _Optional[_Union[ClearingApplicationData, _Mapping]] = ...) -> None: ...

class ClearingApplicationRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ClearingApplicationInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ClearingApplicationInput, _Mapping]] = ...) -> None: ...

class ClearingApplicationOutput(_message.Message):
    __slots__ = ("clr_appy_evt_id",)
    CLR_APPY_EVT_ID_FIELD_NUMBER: _ClassVar[int]
    clr_appy_evt_id: str
    def __init__(self, clr_appy_evt_id: _Optional[str] = ...) -> None: ...

class ClearingApplicationReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ClearingApplicationOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ClearingApplicationOutput, _Mapping]] = ...) -> None: ...

class ClearingApplicationCancelData(_message.Message):
    __slots__ = ("clr_appy_evt_id",)
    CLR_APPY_EVT_ID_FIELD_NUMBER: _ClassVar[int]
    clr_appy_evt_id: str
    def __init__(self, clr_appy_evt_id: _Optional[str] = ...) -> None: ...

class ClearingApplicationCancelInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ClearingApplicationCancelData
    def __init__(self, data: _Optional[_Union[ClearingApplicationCancelData, _Mapping]] = ...) -> None: ...

class ClearingApplicationCancelRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ClearingApplicationCancelInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ClearingApplicationCancelInput, _Mapping]] = ...) -> None: ...

class CrossDetailExtractData(_message.Message):
    __slots__ = ("trt_year", "trt_month", "startrow")
    TRT_YEAR_FIELD_NUMBER: _ClassVar[int]
    TRT_MONTH_FIELD_NUMBER: _ClassVar[int]
    STARTROW_FIELD_NUMBER: _ClassVar[int]
    trt_year: str
    trt_month: str
    startrow: str
    def __init__(self, trt_year: _Optional[str] = ..., trt_month: _Optional[str] = ..., startrow: _Optional[str] = ...) -> None: ...

class CrossDetailExtractInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CrossDetailExtractData
    def __init__(self, data: _Optional[_Union[CrossDetailExtractData, _Mapping]] = ...) -> None: ...

class CrossDetailExtractRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CrossDetailExtractInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CrossDetailExtractInput, _Mapping]] = ...) -> None: ...

class CrossDetail(_message.Message):
    __slots__ = ("seqno", "mdtrtarea", "medins_no", "certno", "mdtrt_id", "mdtrt_setl_time", "setl_sn", "fulamt_advpay_flag", "medfee_sumamt", "optins_pay_sumamt", "insuplc_admdvs")
    SEQNO_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_FIELD_NUMBER: _ClassVar[int]
    MEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_SETL_TIME_FIELD_NUMBER: _ClassVar[int]
    SETL_SN_FIELD_NUMBER: _ClassVar[int]
    FULAMT_ADVPAY_FLAG_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    OPTINS_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    seqno: str
    mdtrtarea: str
    medins_no: str
    certno: str
    mdtrt_id: str
    mdtrt_setl_time: str
    setl_sn: str
    fulamt_advpay_flag: str
    medfee_sumamt: str
    optins_pay_sumamt: str
    insuplc_admdvs: str
    def __init__(self, seqno: _Optional[str] = ..., mdtrtarea: _Optional[str] = ..., medins_no: _Optional[str] = ..., certno: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., mdtrt_setl_time: _Optional[str] = ..., setl_sn: _Optional[str] = ..., fulamt_advpay_flag: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., optins_pay_sumamt: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ...) -> None: ...

class CrossDetailExtractOutput(_message.Message):
    __slots__ = ("data", "totalrow")
    DATA_FIELD_NUMBER: _ClassVar[int]
    TOTALROW_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[CrossDetail]
    totalrow: str
    def __init__(self, data: _Optional[_Iterable[_Union[CrossDetail, _Mapping]]] = ..., totalrow: _Optional[str] = ...) -> None: ...

class CrossDetailExtractReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CrossDetailExtractOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CrossDetailExtractOutput, _Mapping]] = ...) -> None: ...

class CrossConfirmData(_message.Message):
    __slots__ = ("trt_year", "trt_month", "totalrow")
    TRT_YEAR_FIELD_NUMBER: _ClassVar[int]
    TRT_MONTH_FIELD_NUMBER: _ClassVar[int]
    TOTALROW_FIELD_NUMBER: _ClassVar[int]
    trt_year: str
    trt_month: str
    totalrow: str
    def __init__(self, trt_year: _Optional[str] = ..., trt_month: _Optional[str] = ..., totalrow: _Optional[str] = ...) -> None: ...

class CrossConfirmDetail(_message.Message):
    __slots__ = ("certno", "mdtrt_id", "mdtrt_setl_time", "setl_sn", "medfee_sumamt", "optins_pay_sumamt", "cnfm_flag")
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_SETL_TIME_FIELD_NUMBER: _ClassVar[int]
    SETL_SN_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    OPTINS_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CNFM_FLAG_FIELD_NUMBER: _ClassVar[int]
    certno: str
    mdtrt_id: str
    mdtrt_setl_time: str
    setl_sn: str
    medfee_sumamt: str
    optins_pay_sumamt: str
    cnfm_flag: str
    def __init__(self, certno: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., mdtrt_setl_time: _Optional[str] = ..., setl_sn: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., optins_pay_sumamt: _Optional[str] = ..., cnfm_flag: _Optional[str] = ...) -> None: ...

class CrossDetailConfirmInput(_message.Message):
    __slots__ = ("data", "detail")
    DATA_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    data: CrossConfirmData
    detail: _containers.RepeatedCompositeFieldContainer[CrossConfirmDetail]
    def __init__(self, data: _Optional[_Union[CrossConfirmData, _Mapping]] = ..., detail: _Optional[_Iterable[_Union[CrossConfirmDetail, _Mapping]]] = ...) -> None: ...

class CrossDetailConfirmRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CrossDetailConfirmInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CrossDetailConfirmInput, _Mapping]] = ...) -> None: ...

class CrossConfirmResult(_message.Message):
    __slots__ = ("totalrow", "cnfm_cnt", "objc_cnt", "optins_pay_sumamt")
    TOTALROW_FIELD_NUMBER: _ClassVar[int]
    CNFM_CNT_FIELD_NUMBER: _ClassVar[int]
    OBJC_CNT_FIELD_NUMBER: _ClassVar[int]
    OPTINS_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    totalrow: str
    cnfm_cnt: str
    objc_cnt: str
    optins_pay_sumamt: str
    def __init__(self, totalrow: _Optional[str] = ..., cnfm_cnt: _Optional[str] = ..., objc_cnt: _Optional[str] = ..., optins_pay_sumamt: _Optional[str] = ...) -> None: ...

class CrossDetailConfirmOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: CrossConfirmResult
    def __init__(self, result: _Optional[_Union[CrossConfirmResult, _Mapping]] = ...) -> None: ...

class CrossDetailConfirmReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CrossDetailConfirmOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CrossDetailConfirmOutput, _Mapping]] = ...) -> None: ...

class CrossRollbackData(_message.Message):
    __slots__ = ("trt_year", "trt_month", "otransid")
    TRT_YEAR_FIELD_NUMBER: _ClassVar[int]
    TRT_MONTH_FIELD_NUMBER: _ClassVar[int]
    OTRANSID_FIELD_NUMBER: _ClassVar[int]
    trt_year: str
    trt_month: str
    otransid: str
    def __init__(self, trt_year: _Optional[str] = ..., trt_month: _Optional[str] = ..., otransid: _Optional[str] = ...) -> None: ...

class CrossDetailRollbackInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CrossRollbackData
    def __init__(self, data: _Optional[_Union[CrossRollbackData, _Mapping]] = ...) -> None: ...

class CrossDetailRollbackRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CrossDetailRollbackInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CrossDetailRollbackInput, _Mapping]] = ...) -> None: ...
