from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PsnInfoQuery(_message.Message):
    __slots__ = ("mdtrt_cert_type", "mdtrt_cert_no", "card_sn", "begntime", "psn_cert_type", "certno", "psn_name")
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    CARD_SN_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    PSN_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    PSN_NAME_FIELD_NUMBER: _ClassVar[int]
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    card_sn: str
    begntime: str
    psn_cert_type: str
    certno: str
    psn_name: str
    def __init__(self, mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., card_sn: _Optional[str] = ..., begntime: _Optional[str] = ..., psn_cert_type: _Optional[str] = ..., certno: _Optional[str] = ..., psn_name: _Optional[str] = ...) -> None: ...

class QueryPsnInfoInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: PsnInfoQuery
    def __init__(self, data: _Optional[_Union[PsnInfoQuery, _Mapping]] = ...) -> None: ...

class QueryPsnInfoRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: QueryPsnInfoInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[QueryPsnInfoInput, _Mapping]] = ...) -> None: ...

class BaseInfo(_message.Message):
    __slots__ = ("psn_no", "psn_cert_type", "certno", "psn_name", "gend", "naty", "brdy", "age")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    PSN_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    PSN_NAME_FIELD_NUMBER: _ClassVar[int]
    GEND_FIELD_NUMBER: _ClassVar[int]
    NATY_FIELD_NUMBER: _ClassVar[int]
    BRDY_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    psn_cert_type: str
    certno: str
    psn_name: str
    gend: str
    naty: str
    brdy: str
    age: str
    def __init__(self, psn_no: _Optional[str] = ..., psn_cert_type: _Optional[str] = ..., certno: _Optional[str] = ..., psn_name: _Optional[str] = ..., gend: _Optional[str] = ..., naty: _Optional[str] = ..., brdy: _Optional[str] = ..., age: _Optional[str] = ...) -> None: ...

class InsuInfo(_message.Message):
    __slots__ = ("balc", "insutype", "psn_type", "psn_insu_stas", "psn_insu_date", "paus_insu_date", "cvlserv_flag", "insuplc_admdvs", "emp_name")
    BALC_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    PSN_TYPE_FIELD_NUMBER: _ClassVar[int]
    PSN_INSU_STAS_FIELD_NUMBER: _ClassVar[int]
    PSN_INSU_DATE_FIELD_NUMBER: _ClassVar[int]
    PAUS_INSU_DATE_FIELD_NUMBER: _ClassVar[int]
    CVLSERV_FLAG_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    EMP_NAME_FIELD_NUMBER: _ClassVar[int]
    balc: str
    insutype: str
    psn_type: str
    psn_insu_stas: str
    psn_insu_date: str
    paus_insu_date: str
    cvlserv_flag: str
    insuplc_admdvs: str
    emp_name: str
    def __init__(self, balc: _Optional[str] = ..., insutype: _Optional[str] = ..., psn_type: _Optional[str] = ..., psn_insu_stas: _Optional[str] = ..., psn_insu_date: _Optional[str] = ..., paus_insu_date: _Optional[str] = ..., cvlserv_flag: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ..., emp_name: _Optional[str] = ...) -> None: ...

class IdetInfo(_message.Message):
    __slots__ = ("psn_idet_type", "psn_type_lv", "memo", "begntime", "endtime")
    PSN_IDET_TYPE_FIELD_NUMBER: _ClassVar[int]
    PSN_TYPE_LV_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    psn_idet_type: str
    psn_type_lv: str
    memo: str
    begntime: str
    endtime: str
    def __init__(self, psn_idet_type: _Optional[str] = ..., psn_type_lv: _Optional[str] = ..., memo: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class QueryPsnInfoOutput(_message.Message):
    __slots__ = ("baseinfo", "insuinfo", "idetinfo")
    BASEINFO_FIELD_NUMBER: _ClassVar[int]
    INSUINFO_FIELD_NUMBER: _ClassVar[int]
    IDETINFO_FIELD_NUMBER: _ClassVar[int]
    baseinfo: BaseInfo
    insuinfo: _containers.RepeatedCompositeFieldContainer[InsuInfo]
    idetinfo: _containers.RepeatedCompositeFieldContainer[IdetInfo]
    def __init__(self, baseinfo: _Optional[_Union[BaseInfo, _Mapping]] = ..., insuinfo: _Optional[_Iterable[_Union[InsuInfo, _Mapping]]] = ..., idetinfo: _Optional[_Iterable[_Union[IdetInfo, _Mapping]]] = ...) -> None: ...

class QueryPsnInfoReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: QueryPsnInfoOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[QueryPsnInfoOutput, _Mapping]] = ...) -> None: ...
