from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CheckTotalsData(_message.Message):
    __slots__ = ("insutype", "clr_type", "setl_optins", "stmt_begndate", "stmt_enddate", "medfee_sumamt", "fund_pay_sumamt", "acct_pay", "fixmedins_setl_cnt", "refd_setl_flag")
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    CLR_TYPE_FIELD_NUMBER: _ClassVar[int]
    SETL_OPTINS_FIELD_NUMBER: _ClassVar[int]
    STMT_BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    STMT_ENDDATE_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_SETL_CNT_FIELD_NUMBER: _ClassVar[int]
    REFD_SETL_FLAG_FIELD_NUMBER: _ClassVar[int]
    insutype: str
    clr_type: str
    setl_optins: str
    stmt_begndate: str
    stmt_enddate: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    acct_pay: str
    fixmedins_setl_cnt: str
    refd_setl_flag: str
    def __init__(self, insutype: _Optional[str] = ..., clr_type: _Optional[str] = ..., setl_optins: _Optional[str] = ..., stmt_begndate: _Optional[str] = ..., stmt_enddate: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., acct_pay: _Optional[str] = ..., fixmedins_setl_cnt: _Optional[str] = ..., refd_setl_flag: _Optional[str] = ...) -> None: ...

class CheckTotalsInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CheckTotalsData
    def __init__(self, data: _Optional[_Union[CheckTotalsData, _Mapping]] = ...) -> None: ...

class CheckTotalsRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CheckTotalsInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CheckTotalsInput, _Mapping]] = ...) -> None: ...

class StmtInfo(_message.Message):
    __slots__ = ("setl_optins", "stmt_rslt", "stmt_rslt_dscr")
    SETL_OPTINS_FIELD_NUMBER: _ClassVar[int]
    STMT_RSLT_FIELD_NUMBER: _ClassVar[int]
    STMT_RSLT_DSCR_FIELD_NUMBER: _ClassVar[int]
    setl_optins: str
    stmt_rslt: str
    stmt_rslt_dscr: str
    def __init__(self, setl_optins: _Optional[str] = ..., stmt_rslt: _Optional[str] = ..., stmt_rslt_dscr: _Optional[str] = ...) -> None: ...

class CheckTotalsOutput(_message.Message):
    __slots__ = ("stmtinfo",)
    STMTINFO_FIELD_NUMBER: _ClassVar[int]
    stmtinfo: StmtInfo
    def __init__(self, stmtinfo: _Optional[_Union[StmtInfo, _Mapping]] = ...) -> None: ...

class CheckTotalsReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CheckTotalsOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CheckTotalsOutput, _Mapping]] = ...) -> None: ...

class CheckDetailsData(_message.Message):
    __slots__ = ("setl_optins", "file_qury_no", "stmt_begndate", "stmt_enddate", "medfee_sumamt", "fund_pay_sumamt", "cash_payamt", "fixmedins_setl_cnt", "clr_type")
    SETL_OPTINS_FIELD_NUMBER: _ClassVar[int]
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    STMT_BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    STMT_ENDDATE_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CASH_PAYAMT_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_SETL_CNT_FIELD_NUMBER: _ClassVar[int]
    CLR_TYPE_FIELD_NUMBER: _ClassVar[int]
    setl_optins: str
    file_qury_no: str
    stmt_begndate: str
    stmt_enddate: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    cash_payamt: str
    fixmedins_setl_cnt: str
    clr_type: str
    def __init__(self, setl_optins: _Optional[str] = ..., file_qury_no: _Optional[str] = ..., stmt_begndate: _Optional[str] = ..., stmt_enddate: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., cash_payamt: _Optional[str] = ..., fixmedins_setl_cnt: _Optional[str] = ..., clr_type: _Optional[str] = ...) -> None: ...

class DetailRecord(_message.Message):
    __slots__ = ("psn_no", "mdtrt_id", "setl_id", "msgid", "insutype", "refd_setl_flag", "medfee_sumamt", "fund_pay_sumamt", "acct_pay")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MSGID_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    REFD_SETL_FLAG_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_id: str
    setl_id: str
    msgid: str
    insutype: str
    refd_setl_flag: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    acct_pay: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., msgid: _Optional[str] = ..., insutype: _Optional[str] = ..., refd_setl_flag: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., acct_pay: _Optional[str] = ...) -> None: ...

class CheckDetailsInput(_message.Message):
    __slots__ = ("data", "detail")
    DATA_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    data: CheckDetailsData
    detail: _containers.RepeatedCompositeFieldContainer[DetailRecord]
    def __init__(self, data: _Optional[_Union[CheckDetailsData, _Mapping]] = ..., detail: _Optional[_Iterable[_Union[DetailRecord, _Mapping]]] = ...) -> None: ...

class CheckDetailsRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: CheckDetailsInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[CheckDetailsInput, _Mapping]] = ...) -> None: ...

class FileInfo(_message.Message):
    __slots__ = ("file_qury_no", "filename", "dld_endtime")
    FILE_QURY_NO_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DLD_ENDTIME_FIELD_NUMBER: _ClassVar[int]
    file_qury_no: str
    filename: str
    dld_endtime: str
    def __init__(self, file_qury_no: _Optional[str] = ..., filename: _Optional[str] = ..., dld_endtime: _Optional[str] = ...) -> None: ...

class DetailResult(_message.Message):
    __slots__ = ("psn_no", "mdtrt_id", "setl_id", "msgid", "stmt_rslt", "refd_setl_flag", "memo", "medfee_sumamt", "fund_pay_sumamt", "acct_pay")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    MSGID_FIELD_NUMBER: _ClassVar[int]
    STMT_RSLT_FIELD_NUMBER: _ClassVar[int]
    REFD_SETL_FLAG_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_id: str
    setl_id: str
    msgid: str
    stmt_rslt: str
    refd_setl_flag: str
    memo: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    acct_pay: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., msgid: _Optional[str] = ..., stmt_rslt: _Optional[str] = ..., refd_setl_flag: _Optional[str] = ..., memo: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., acct_pay: _Optional[str] = ...) -> None: ...

class CheckDetailsOutput(_message.Message):
    __slots__ = ("fileinfo", "stmtinfo", "result")
    FILEINFO_FIELD_NUMBER: _ClassVar[int]
    STMTINFO_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    fileinfo: FileInfo
    stmtinfo: StmtInfo
    result: _containers.RepeatedCompositeFieldContainer[DetailResult]
    def __init__(self, fileinfo: _Optional[_Union[FileInfo, _Mapping]] = ..., stmtinfo: _Optional[_Union[StmtInfo, _Mapping]] = ..., result: _Optional[_Iterable[_Union[DetailResult, _Mapping]]] = ...) -> None: ...

class CheckDetailsReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: CheckDetailsOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[CheckDetailsOutput, _Mapping]] = ...) -> None: ...
