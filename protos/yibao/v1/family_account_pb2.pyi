from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FamilyMember(_message.Message):
    __slots__ = ("psn_no", "rlts")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    RLTS_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    rlts: str
    def __init__(self, psn_no: _Optional[str] = ..., rlts: _Optional[str] = ...) -> None: ...

class FamilyAccountInfo(_message.Message):
    __slots__ = ("fam_acct_id", "holder_psn_no", "fam_acct_stas", "fam_acct_balc", "acct_balc", "begntime", "endtime")
    FAM_ACCT_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDER_PSN_NO_FIELD_NUMBER: _ClassVar[int]
    FAM_ACCT_STAS_FIELD_NUMBER: _ClassVar[int]
    FAM_ACCT_BALC_FIELD_NUMBER: _ClassVar[int]
    ACCT_BALC_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    fam_acct_id: str
    holder_psn_no: str
    fam_acct_stas: str
    fam_acct_balc: str
    acct_balc: str
    begntime: str
    endtime: str
    def __init__(self, fam_acct_id: _Optional[str] = ..., holder_psn_no: _Optional[str] = ..., fam_acct_stas: _Optional[str] = ..., fam_acct_balc: _Optional[str] = ..., acct_balc: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class FamilyTransfer(_message.Message):
    __slots__ = ("trns_id", "trns_type", "trns_amt", "trns_time", "infno")
    TRNS_ID_FIELD_NUMBER: _ClassVar[int]
    TRNS_TYPE_FIELD_NUMBER: _ClassVar[int]
    TRNS_AMT_FIELD_NUMBER: _ClassVar[int]
    TRNS_TIME_FIELD_NUMBER: _ClassVar[int]
    INFNO_FIELD_NUMBER: _ClassVar[int]
    trns_id: str
    trns_type: str
    trns_amt: str
    trns_time: str
    infno: str
    def __init__(self, trns_id: _Optional[str] = ..., trns_type: _Optional[str] = ..., trns_amt: _Optional[str] = ..., trns_time: _Optional[str] = ..., infno: _Optional[str] = ...) -> None: ...

class FamilyAccountOutput(_message.Message):
    __slots__ = ("acctinfo", "member", "trns")
    ACCTINFO_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    TRNS_FIELD_NUMBER: _ClassVar[int]
    acctinfo: FamilyAccountInfo
    member: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    trns: _containers.RepeatedCompositeFieldContainer[FamilyTransfer]
    def __init__(self, acctinfo: _Optional[_Union[FamilyAccountInfo, _Mapping]] = ..., member: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ..., trns: _Optional[_Iterable[_Union[FamilyTransfer, _Mapping]]] = ...) -> None: ...

class FamilyAccountReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: FamilyAccountOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[FamilyAccountOutput, _Mapping]] = ...) -> None: ...

class FamilySetUpData(_message.Message):
    __slots__ = ("psn_no", "agre_flag", "trns_amt")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    AGRE_FLAG_FIELD_NUMBER: _ClassVar[int]
    TRNS_AMT_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    agre_flag: str
    trns_amt: str
    def __init__(self, psn_no: _Optional[str] = ..., agre_flag: _Optional[str] = ..., trns_amt: _Optional[str] = ...) -> None: ...

class FamilySetUpInput(_message.Message):
    __slots__ = ("data", "member")
    DATA_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    data: FamilySetUpData
    member: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    def __init__(self, data: _Optional[_Union[FamilySetUpData, _Mapping]] = ..., member: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ...) -> None: ...

class FamilySetUpRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FamilySetUpInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FamilySetUpInput, _Mapping]] = ...) -> None: ...

class FamilyChangeData(_message.Message):
    __slots__ = ("fam_acct_id", "psn_no", "agre_flag", "trns_amt")
    FAM_ACCT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    AGRE_FLAG_FIELD_NUMBER: _ClassVar[int]
    TRNS_AMT_FIELD_NUMBER: _ClassVar[int]
    fam_acct_id: str
    psn_no: str
    agre_flag: str
    trns_amt: str
    def __init__(self, fam_acct_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., agre_flag: _Optional[str] = ..., trns_amt: _Optional[str] = ...) -> None: ...

class FamilyChangeInput(_message.Message):
    __slots__ = ("data", "add", "remove")
    DATA_FIELD_NUMBER: _ClassVar[int]
    ADD_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    data: FamilyChangeData
    add: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    remove: _containers.RepeatedCompositeFieldContainer[FamilyMember]
    def __init__(self, data: _Optional[_Union[FamilyChangeData, _Mapping]] = ..., add: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ..., remove: _Optional[_Iterable[_Union[FamilyMember, _Mapping]]] = ...) -> None: ...

class FamilyChangeRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FamilyChangeInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FamilyChangeInput, _Mapping]] = ...) -> None: ...

class FamilyCancelData(_message.Message):
    __slots__ = ("fam_acct_id", "psn_no", "agre_flag")
    FAM_ACCT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    AGRE_FLAG_FIELD_NUMBER: _ClassVar[int]
    fam_acct_id: str
    psn_no: str
    agre_flag: str
    def __init__(self, fam_acct_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., agre_flag: _Optional[str] = ...) -> None: ...

class FamilyCancelInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: FamilyCancelData
    def __init__(self, data: _Optional[_Union[FamilyCancelData, _Mapping]] = ...) -> None: ...

class FamilyCancelRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FamilyCancelInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FamilyCancelInput, _Mapping]] = ...) -> None: ...

class FamilyQueryData(_message.Message):
    __slots__ = ("psn_no",)
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    def __init__(self, psn_no: _Optional[str] = ...) -> None: ...

class FamilyQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: FamilyQueryData
    def __init__(self, data: _Optional[_Union[FamilyQueryData, _Mapping]] = ...) -> None: ...

class FamilyQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FamilyQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FamilyQueryInput, _Mapping]] = ...) -> None: ...
