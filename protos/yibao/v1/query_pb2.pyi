from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QuerySetlInfoData(_message.Message):
    __slots__ = ("psn_no", "setl_id", "mdtrt_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    setl_id: str
    mdtrt_id: str
    def __init__(self, psn_no: _Optional[str] = ..., setl_id: _Optional[str] = ..., mdtrt_id: _Optional[str] = ...) -> None: ...

class QuerySetlInfoInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: QuerySetlInfoData
    def __init__(self, data: _Optional[_Union[QuerySetlInfoData, _Mapping]] = ...) -> None: ...

class QuerySetlInfoRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: QuerySetlInfoInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[QuerySetlInfoInput, _Mapping]] = ...) -> None: ...
