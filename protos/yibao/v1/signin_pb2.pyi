from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignInData(_message.Message):
    __slots__ = ("opter_no", "mac", "ip")
    OPTER_NO_FIELD_NUMBER: _ClassVar[int]
    MAC_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    opter_no: str
    mac: str
    ip: str
    def __init__(self, opter_no: _Optional[str] = ..., mac: _Optional[str] = ..., ip: _Optional[str] = ...) -> None: ...

class SignInInput(_message.Message):
    __slots__ = ("signIn",)
    SIGNIN_FIELD_NUMBER: _ClassVar[int]
    signIn: SignInData
    def __init__(self, signIn: _Optional[_Union[SignInData, _Mapping]] = ...) -> None: ...

class SignInRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SignInInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SignInInput, _Mapping]] = ...) -> None: ...

class SignInOutb(_message.Message):
    __slots__ = ("sign_time", "sign_no")
    SIGN_TIME_FIELD_NUMBER: _ClassVar[int]
    SIGN_NO_FIELD_NUMBER: _ClassVar[int]
    sign_time: str
    sign_no: str
    def __init__(self, sign_time: _Optional[str] = ..., sign_no: _Optional[str] = ...) -> None: ...

class SignInOutput(_message.Message):
    __slots__ = ("signinoutb",)
    SIGNINOUTB_FIELD_NUMBER: _ClassVar[int]
    signinoutb: SignInOutb
    def __init__(self, signinoutb: _Optional[_Union[SignInOutb, _Mapping]] = ...) -> None: ...

class SignInReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SignInOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SignInOutput, _Mapping]] = ...) -> None: ...

class SignOutData(_message.Message):
    __slots__ = ("sign_no", "opter_no")
    SIGN_NO_FIELD_NUMBER: _ClassVar[int]
    OPTER_NO_FIELD_NUMBER: _ClassVar[int]
    sign_no: str
    opter_no: str
    def __init__(self, sign_no: _Optional[str] = ..., opter_no: _Optional[str] = ...) -> None: ...

class SignOutInput(_message.Message):
    __slots__ = ("signOut",)
    SIGNOUT_FIELD_NUMBER: _ClassVar[int]
    signOut: SignOutData
    def __init__(self, signOut: _Optional[_Union[SignOutData, _Mapping]] = ...) -> None: ...

class SignOutRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SignOutInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SignOutInput, _Mapping]] = ...) -> None: ...

class SignOutOutb(_message.Message):
    __slots__ = ("sign_time",)
    SIGN_TIME_FIELD_NUMBER: _ClassVar[int]
    sign_time: str
    def __init__(self, sign_time: _Optional[str] = ...) -> None: ...

class SignOutOutput(_message.Message):
    __slots__ = ("signoutoutb",)
    SIGNOUTOUTB_FIELD_NUMBER: _ClassVar[int]
    signoutoutb: SignOutOutb
    def __init__(self, signoutoutb: _Optional[_Union[SignOutOutb, _Mapping]] = ...) -> None: ...

class SignOutReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SignOutOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SignOutOutput, _Mapping]] = ...) -> None: ...
