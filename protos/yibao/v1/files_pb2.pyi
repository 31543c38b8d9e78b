from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FsUploadIn(_message.Message):
    __slots__ = ("filename", "fixmedins_code")
    IN_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    filename: str
    fixmedins_code: str
    def __init__(self, filename: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., **kwargs) -> None: ...

class FileUploadInput(_message.Message):
    __slots__ = ("fsUploadIn",)
    FSUPLOADIN_FIELD_NUMBER: _ClassVar[int]
    fsUploadIn: FsUploadIn
    def __init__(self, fsUploadIn: _Optional[_Union[FsUploadIn, _Mapping]] = ...) -> None: ...

class FileUploadRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FileUploadInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FileUploadInput, _Mapping]] = ...) -> None: ...

class FileUploadOutput(_message.Message):
    __slots__ = ("file_qury_no", "filename", "dld_endtime")
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DLD_ENDTIME_FIELD_NUMBER: _ClassVar[int]
    file_qury_no: str
    filename: str
    dld_endtime: str
    def __init__(self, file_qury_no: _Optional[str] = ..., filename: _Optional[str] = ..., dld_endtime: _Optional[str] = ...) -> None: ...

class FileUploadReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: FileUploadOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[FileUploadOutput, _Mapping]] = ...) -> None: ...

class FsDownloadIn(_message.Message):
    __slots__ = ("file_qury_no", "filename", "fixmedins_code")
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    file_qury_no: str
    filename: str
    fixmedins_code: str
    def __init__(self, file_qury_no: _Optional[str] = ..., filename: _Optional[str] = ..., fixmedins_code: _Optional[str] = ...) -> None: ...

class FileDownloadInput(_message.Message):
    __slots__ = ("fsDownloadIn",)
    FSDOWNLOADIN_FIELD_NUMBER: _ClassVar[int]
    fsDownloadIn: FsDownloadIn
    def __init__(self, fsDownloadIn: _Optional[_Union[FsDownloadIn, _Mapping]] = ...) -> None: ...

class FileDownloadRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: FileDownloadInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[FileDownloadInput, _Mapping]] = ...) -> None: ...

class FileDownloadOutput(_message.Message):
    __slots__ = ("file", "filename", "file_qury_no")
    FILE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    file: bytes
    filename: str
    file_qury_no: str
    def __init__(self, file: _Optional[bytes] = ..., filename: _Optional[str] = ..., file_qury_no: _Optional[str] = ...) -> None: ...

class FileDownloadReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: FileDownloadOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[FileDownloadOutput, _Mapping]] = ...) -> None: ...
