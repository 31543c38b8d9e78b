from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReversalData(_message.Message):
    __slots__ = ("psn_no", "omsgid", "oinfno")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    OMSGID_FIELD_NUMBER: _ClassVar[int]
    OINFNO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    omsgid: str
    oinfno: str
    def __init__(self, psn_no: _Optional[str] = ..., omsgid: _Optional[str] = ..., oinfno: _Optional[str] = ...) -> None: ...

class ReversalInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ReversalData
    def __init__(self, data: _Optional[_Union[ReversalData, _Mapping]] = ...) -> None: ...

class ReversalRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ReversalInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ReversalInput, _Mapping]] = ...) -> None: ...

class ReversalResult(_message.Message):
    __slots__ = ("omsgid", "oinfno", "rev_rslt", "rev_dscr", "rev_time")
    OMSGID_FIELD_NUMBER: _ClassVar[int]
    OINFNO_FIELD_NUMBER: _ClassVar[int]
    REV_RSLT_FIELD_NUMBER: _ClassVar[int]
    REV_DSCR_FIELD_NUMBER: _ClassVar[int]
    REV_TIME_FIELD_NUMBER: _ClassVar[int]
    omsgid: str
    oinfno: str
    rev_rslt: str
    rev_dscr: str
    rev_time: str
    def __init__(self, omsgid: _Optional[str] = ..., oinfno: _Optional[str] = ..., rev_rslt: _Optional[str] = ..., rev_dscr: _Optional[str] = ..., rev_time: _Optional[str] = ...) -> None: ...

class ReversalOutput(_message.Message):
    __slots__ = ("result", "setlinfo", "setldetail", "setltrace")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    SETLDETAIL_FIELD_NUMBER: _ClassVar[int]
    SETLTRACE_FIELD_NUMBER: _ClassVar[int]
    result: ReversalResult
    setlinfo: _settlement_pb2.SetlInfo
    setldetail: _containers.RepeatedCompositeFieldContainer[_settlement_pb2.SetlDetail]
    setltrace: _settlement_pb2.SetlTrace
    def __init__(self, result: _Optional[_Union[ReversalResult, _Mapping]] = ..., setlinfo: _Optional[_Union[_settlement_pb2.SetlInfo, _Mapping]] = ..., setldetail: _Optional[_Iterable[_Union[_settlement_pb2.SetlDetail, _Mapping]]] = ..., setltrace: _Optional[_Union[_settlement_pb2.SetlTrace, _Mapping]] = ...) -> None: ...

class ReversalReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ReversalOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ReversalOutput, _Mapping]] = ...) -> None: ...

class MessageQueryData(_message.Message):
    __slots__ = ("psn_no", "omsgid", "oinfno")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    OMSGID_FIELD_NUMBER: _ClassVar[int]
    OINFNO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    omsgid: str
    oinfno: str
    def __init__(self, psn_no: _Optional[str] = ..., omsgid: _Optional[str] = ..., oinfno: _Optional[str] = ...) -> None: ...

class MessageQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MessageQueryData
    def __init__(self, data: _Optional[_Union[MessageQueryData, _Mapping]] = ...) -> None: ...

class MessageQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: MessageQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[MessageQueryInput, _Mapping]] = ...) -> None: ...

class MessageInfo(_message.Message):
    __slots__ = ("omsgid", "oinfno", "msg_stas", "msg_stas_name", "recv_time", "err_msg", "rev_msgid", "rev_time", "output_json", "output_omitted")
    OMSGID_FIELD_NUMBER: _ClassVar[int]
    OINFNO_FIELD_NUMBER: _ClassVar[int]
    MSG_STAS_FIELD_NUMBER: _ClassVar[int]
    MSG_STAS_NAME_FIELD_NUMBER: _ClassVar[int]
    RECV_TIME_FIELD_NUMBER: _ClassVar[int]
    ERR_MSG_FIELD_NUMBER: _ClassVar[int]
    REV_MSGID_FIELD_NUMBER: _ClassVar[int]
    REV_TIME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_JSON_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_OMITTED_FIELD_NUMBER: _ClassVar[int]
    omsgid: str
    oinfno: str
    msg_stas: str
    msg_stas_name: str
    recv_time: str
    err_msg: str
    rev_msgid: str
    rev_time: str
    output_json: str
    output_omitted: str
    def __init__(self, omsgid: _Optional[str] = ..., oinfno: _Optional[str] = ..., msg_stas: _Optional[str] = ..., msg_stas_name: _Optional[str] = ..., recv_time: _Optional[str] = ..., err_msg: _Optional[str] = ..., rev_msgid: _Optional[str] = ..., rev_time: _Optional[str] = ..., output_json: _Optional[str] = ..., output_omitted: _Optional[str] = ...) -> None: ...

class MessageQueryOutput(_message.Message):
    __slots__ = ("msginfo", "setlinfo", "setldetail", "setltrace")
    MSGINFO_FIELD_NUMBER: _ClassVar[int]
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    SETLDETAIL_FIELD_NUMBER: _ClassVar[int]
    SETLTRACE_FIELD_NUMBER: _ClassVar[int]
    msginfo: MessageInfo
    setlinfo: _settlement_pb2.SetlInfo
    setldetail: _containers.RepeatedCompositeFieldContainer[_settlement_pb2.SetlDetail]
    setltrace: _settlement_pb2.SetlTrace
    def __init__(self, msginfo: _Optional[_Union[MessageInfo, _Mapping]] = ..., setlinfo: _Optional[_Union[_settlement_pb2.SetlInfo, _Mapping]] = ..., setldetail: _Optional[_Iterable[_Union[_settlement_pb2.SetlDetail, _Mapping]]] = ..., setltrace: _Optional[_Union[_settlement_pb2.SetlTrace, _Mapping]] = ...) -> None: ...

class MessageQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: MessageQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[MessageQueryOutput, _Mapping]] = ...) -> None: ...

class RefundItemsData(_message.Message):
    __slots__ = ("setl_id", "mdtrt_id", "psn_no", "refd_rea")
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    REFD_REA_FIELD_NUMBER: _ClassVar[int]
    setl_id: str
    mdtrt_id: str
    psn_no: str
    refd_rea: str
    def __init__(self, setl_id: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., refd_rea: _Optional[str] = ...) -> None: ...

class RefundItem(_message.Message):
    __slots__ = ("feedetl_sn",)
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    def __init__(self, feedetl_sn: _Optional[str] = ...) -> None: ...

class RefundItemsInput(_message.Message):
    __slots__ = ("data", "refddetail")
    DATA_FIELD_NUMBER: _ClassVar[int]
    REFDDETAIL_FIELD_NUMBER: _ClassVar[int]
    data: RefundItemsData
    refddetail: _containers.RepeatedCompositeFieldContainer[RefundItem]
    def __init__(self, data: _Optional[_Union[RefundItemsData, _Mapping]] = ..., refddetail: _Optional[_Iterable[_Union[RefundItem, _Mapping]]] = ...) -> None: ...

class RefundItemsRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: RefundItemsInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[RefundItemsInput, _Mapping]] = ...) -> None: ...

class RefundInfo(_message.Message):
    __slots__ = ("setl_id", "rev_setl_id", "new_setl_id", "refd_medfee", "fund_refd_amt", "acct_refd_amt", "cash_refd_amt")
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    REV_SETL_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_SETL_ID_FIELD_NUMBER: _ClassVar[int]
    REFD_MEDFEE_FIELD_NUMBER: _ClassVar[int]
    FUND_REFD_AMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_REFD_AMT_FIELD_NUMBER: _ClassVar[int]
    CASH_REFD_AMT_FIELD_NUMBER: _ClassVar[int]
    setl_id: str
    rev_setl_id: str
    new_setl_id: str
    refd_medfee: str
    fund_refd_amt: str
    acct_refd_amt: str
    cash_refd_amt: str
    def __init__(self, setl_id: _Optional[str] = ..., rev_setl_id: _Optional[str] = ..., new_setl_id: _Optional[str] = ..., refd_medfee: _Optional[str] = ..., fund_refd_amt: _Optional[str] = ..., acct_refd_amt: _Optional[str] = ..., cash_refd_amt: _Optional[str] = ...) -> None: ...

class RefundItemsOutput(_message.Message):
    __slots__ = ("rfdinfo", "revsetl", "newsetl")
    RFDINFO_FIELD_NUMBER: _ClassVar[int]
    REVSETL_FIELD_NUMBER: _ClassVar[int]
    NEWSETL_FIELD_NUMBER: _ClassVar[int]
    rfdinfo: RefundInfo
    revsetl: _settlement_pb2.SettleOutput
    newsetl: _settlement_pb2.SettleOutput
    def __init__(self, rfdinfo: _Optional[_Union[RefundInfo, _Mapping]] = ..., revsetl: _Optional[_Union[_settlement_pb2.SettleOutput, _Mapping]] = ..., newsetl: _Optional[_Union[_settlement_pb2.SettleOutput, _Mapping]] = ...) -> None: ...

class RefundItemsReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: RefundItemsOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[RefundItemsOutput, _Mapping]] = ...) -> None: ...
