from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CatalogueDownloadData(_message.Message):
    __slots__ = ("ver",)
    VER_FIELD_NUMBER: _ClassVar[int]
    ver: str
    def __init__(self, ver: _Optional[str] = ...) -> None: ...

class CatalogueDownloadInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CatalogueDownloadData
    def __init__(self, data: _Optional[_Union[CatalogueDownloadData, _Mapping]] = ...) -> None: ...

class CatalogueDownloadRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CatalogueDownloadInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CatalogueDownloadInput, _Mapping]] = ...) -> None: ...

class CatalogueDownloadOutput(_message.Message):
    __slots__ = ("file_qury_no", "filename", "dld_end_time", "data_cn")
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DLD_END_TIME_FIELD_NUMBER: _ClassVar[int]
    DATA_CN_FIELD_NUMBER: _ClassVar[int]
    file_qury_no: str
    filename: str
    dld_end_time: str
    data_cn: str
    def __init__(self, file_qury_no: _Optional[str] = ..., filename: _Optional[str] = ..., dld_end_time: _Optional[str] = ..., data_cn: _Optional[str] = ...) -> None: ...

class CatalogueDownloadReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CatalogueDownloadOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CatalogueDownloadOutput, _Mapping]] = ...) -> None: ...
