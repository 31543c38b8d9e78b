from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegionQuery(_message.Message):
    __slots__ = ("admdvs",)
    ADMDVS_FIELD_NUMBER: _ClassVar[int]
    admdvs: str
    def __init__(self, admdvs: _Optional[str] = ...) -> None: ...

class QueryRegionStatusInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RegionQuery
    def __init__(self, data: _Optional[_Union[RegionQuery, _Mapping]] = ...) -> None: ...

class QueryRegionStatusRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: QueryRegionStatusInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[QueryRegionStatusInput, _Mapping]] = ...) -> None: ...

class RegionWindow(_message.Message):
    __slots__ = ("begntime", "endtime", "reason", "source", "in_progress_flag")
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_FLAG_FIELD_NUMBER: _ClassVar[int]
    begntime: str
    endtime: str
    reason: str
    source: str
    in_progress_flag: str
    def __init__(self, begntime: _Optional[str] = ..., endtime: _Optional[str] = ..., reason: _Optional[str] = ..., source: _Optional[str] = ..., in_progress_flag: _Optional[str] = ...) -> None: ...

class RegionStatus(_message.Message):
    __slots__ = ("admdvs", "admdvs_name", "avail_flag", "resume_time", "reachable_flag", "unreachable_since", "unreachable_reason", "window")
    ADMDVS_FIELD_NUMBER: _ClassVar[int]
    ADMDVS_NAME_FIELD_NUMBER: _ClassVar[int]
    AVAIL_FLAG_FIELD_NUMBER: _ClassVar[int]
    RESUME_TIME_FIELD_NUMBER: _ClassVar[int]
    REACHABLE_FLAG_FIELD_NUMBER: _ClassVar[int]
    UNREACHABLE_SINCE_FIELD_NUMBER: _ClassVar[int]
    UNREACHABLE_REASON_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    admdvs: str
    admdvs_name: str
    avail_flag: str
    resume_time: str
    reachable_flag: str
    unreachable_since: str
    unreachable_reason: str
    window: _containers.RepeatedCompositeFieldContainer[RegionWindow]
    def __init__(self, admdvs: _Optional[str] = ..., admdvs_name: _Optional[str] = ..., avail_flag: _Optional[str] = ..., resume_time: _Optional[str] = ..., reachable_flag: _Optional[str] = ..., unreachable_since: _Optional[str] = ..., unreachable_reason: _Optional[str] = ..., window: _Optional[_Iterable[_Union[RegionWindow, _Mapping]]] = ...) -> None: ...

class QueryRegionStatusOutput(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: _containers.RepeatedCompositeFieldContainer[RegionStatus]
    def __init__(self, region: _Optional[_Iterable[_Union[RegionStatus, _Mapping]]] = ...) -> None: ...

class QueryRegionStatusReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: QueryRegionStatusOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[QueryRegionStatusOutput, _Mapping]] = ...) -> None: ...

class RegionStatusChange(_message.Message):
    __slots__ = ("admdvs", "action", "reason", "begntime", "endtime")
    ADMDVS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    ENDTIME_FIELD_NUMBER: _ClassVar[int]
    admdvs: str
    action: str
    reason: str
    begntime: str
    endtime: str
    def __init__(self, admdvs: _Optional[str] = ..., action: _Optional[str] = ..., reason: _Optional[str] = ..., begntime: _Optional[str] = ..., endtime: _Optional[str] = ...) -> None: ...

class SetRegionStatusInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RegionStatusChange
    def __init__(self, data: _Optional[_Union[RegionStatusChange, _Mapping]] = ...) -> None: ...

class SetRegionStatusRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SetRegionStatusInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SetRegionStatusInput, _Mapping]] = ...) -> None: ...

class SetRegionStatusOutput(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: RegionStatus
    def __init__(self, region: _Optional[_Union[RegionStatus, _Mapping]] = ...) -> None: ...

class SetRegionStatusReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SetRegionStatusOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SetRegionStatusOutput, _Mapping]] = ...) -> None: ...
