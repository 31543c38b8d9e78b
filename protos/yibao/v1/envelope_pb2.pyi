from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
INFNO_FIELD_NUMBER: _ClassVar[int]
infno: _descriptor.FieldDescriptor
NATIONAL_NAME_FIELD_NUMBER: _ClassVar[int]
national_name: _descriptor.FieldDescriptor
HTTP_PATH_FIELD_NUMBER: _ClassVar[int]
http_path: _descriptor.FieldDescriptor

class RequestHeader(_message.Message):
    __slots__ = ("infno", "msgid", "mdtrtarea_admvs", "insuplc_admdvs", "recer_sys_code", "dev_no", "dev_safe_info", "cainfo", "signtype", "infver", "opter_type", "opter", "opter_name", "inf_time", "fixmedins_code", "fixmedins_name", "sign_no")
    INFNO_FIELD_NUMBER: _ClassVar[int]
    MSGID_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMVS_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    RECER_SYS_CODE_FIELD_NUMBER: _ClassVar[int]
    DEV_NO_FIELD_NUMBER: _ClassVar[int]
    DEV_SAFE_INFO_FIELD_NUMBER: _ClassVar[int]
    CAINFO_FIELD_NUMBER: _ClassVar[int]
    SIGNTYPE_FIELD_NUMBER: _ClassVar[int]
    INFVER_FIELD_NUMBER: _ClassVar[int]
    OPTER_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPTER_FIELD_NUMBER: _ClassVar[int]
    OPTER_NAME_FIELD_NUMBER: _ClassVar[int]
    INF_TIME_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    SIGN_NO_FIELD_NUMBER: _ClassVar[int]
    infno: str
    msgid: str
    mdtrtarea_admvs: str
    insuplc_admdvs: str
    recer_sys_code: str
    dev_no: str
    dev_safe_info: str
    cainfo: str
    signtype: str
    infver: str
    opter_type: str
    opter: str
    opter_name: str
    inf_time: str
    fixmedins_code: str
    fixmedins_name: str
    sign_no: str
    def __init__(self, infno: _Optional[str] = ..., msgid: _Optional[str] = ..., mdtrtarea_admvs: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ..., recer_sys_code: _Optional[str] = ..., dev_no: _Optional[str] = ..., dev_safe_info: _Optional[str] = ..., cainfo: _Optional[str] = ..., signtype: _Optional[str] = ..., infver: _Optional[str] = ..., opter_type: _Optional[str] = ..., opter: _Optional[str] = ..., opter_name: _Optional[str] = ..., inf_time: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., sign_no: _Optional[str] = ...) -> None: ...

class ReplyHeader(_message.Message):
    __slots__ = ("infcode", "inf_refmsgid", "refmsg_time", "respond_time", "err_msg", "warn_msg")
    INFCODE_FIELD_NUMBER: _ClassVar[int]
    INF_REFMSGID_FIELD_NUMBER: _ClassVar[int]
    REFMSG_TIME_FIELD_NUMBER: _ClassVar[int]
    RESPOND_TIME_FIELD_NUMBER: _ClassVar[int]
    ERR_MSG_FIELD_NUMBER: _ClassVar[int]
    WARN_MSG_FIELD_NUMBER: _ClassVar[int]
    infcode: int
    inf_refmsgid: str
    refmsg_time: str
    respond_time: str
    err_msg: str
    warn_msg: str
    def __init__(self, infcode: _Optional[int] = ..., inf_refmsgid: _Optional[str] = ..., refmsg_time: _Optional[str] = ..., respond_time: _Optional[str] = ..., err_msg: _Optional[str] = ..., warn_msg: _Optional[str] = ...) -> None: ...

class ErrorDetail(_message.Message):
    __slots__ = ("code", "category", "field", "message_zh", "message_en", "header")
    CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ZH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_EN_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    code: str
    category: str
    field: str
    message_zh: str
    message_en: str
    header: ReplyHeader
    def __init__(self, code: _Optional[str] = ..., category: _Optional[str] = ..., field: _Optional[str] = ..., message_zh: _Optional[str] = ..., message_en: _Optional[str] = ..., header: _Optional[_Union[ReplyHeader, _Mapping]] = ...) -> None: ...
