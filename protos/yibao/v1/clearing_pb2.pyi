from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClearData(_message.Message):
    __slots__ = ("setlym", "mdtrtarea_admdvs", "insuplc_admdvs")
    SETLYM_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    setlym: str
    mdtrtarea_admdvs: str
    insuplc_admdvs: str
    def __init__(self, setlym: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ...) -> None: ...

class ClearInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ClearData
    def __init__(self, data: _Optional[_Union[ClearData, _Mapping]] = ...) -> None: ...

class ClearRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ClearInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ClearInput, _Mapping]] = ...) -> None: ...

class StatementLine(_message.Message):
    __slots__ = ("line_type", "line_type_name", "setl_cnt", "medfee_sumamt", "fund_pay_sumamt")
    LINE_TYPE_FIELD_NUMBER: _ClassVar[int]
    LINE_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    SETL_CNT_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    line_type: str
    line_type_name: str
    setl_cnt: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    def __init__(self, line_type: _Optional[str] = ..., line_type_name: _Optional[str] = ..., setl_cnt: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ...) -> None: ...

class FundAmount(_message.Message):
    __slots__ = ("fund_pay_type", "fund_payamt")
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUND_PAYAMT_FIELD_NUMBER: _ClassVar[int]
    fund_pay_type: str
    fund_payamt: str
    def __init__(self, fund_pay_type: _Optional[str] = ..., fund_payamt: _Optional[str] = ...) -> None: ...

class PartyFigure(_message.Message):
    __slots__ = ("party", "fund_pay_sumamt", "basis")
    PARTY_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    party: str
    fund_pay_sumamt: str
    basis: str
    def __init__(self, party: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., basis: _Optional[str] = ...) -> None: ...

class ClearingStatement(_message.Message):
    __slots__ = ("clr_id", "setlym", "mdtrtarea_admdvs", "insuplc_admdvs", "setl_cnt", "medfee_sumamt", "fund_pay_sumamt", "line", "fund", "party", "agreed", "clr_time", "prepayment")
    CLR_ID_FIELD_NUMBER: _ClassVar[int]
    SETLYM_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    SETL_CNT_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    FUND_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    AGREED_FIELD_NUMBER: _ClassVar[int]
    CLR_TIME_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_FIELD_NUMBER: _ClassVar[int]
    clr_id: str
    setlym: str
    mdtrtarea_admdvs: str
    insuplc_admdvs: str
    setl_cnt: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    line: _containers.RepeatedCompositeFieldContainer[StatementLine]
    fund: _containers.RepeatedCompositeFieldContainer[FundAmount]
    party: _containers.RepeatedCompositeFieldContainer[PartyFigure]
    agreed: str
    clr_time: str
    prepayment: PrepaymentInfo
    def __init__(self, clr_id: _Optional[str] = ..., setlym: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ..., setl_cnt: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., line: _Optional[_Iterable[_Union[StatementLine, _Mapping]]] = ..., fund: _Optional[_Iterable[_Union[FundAmount, _Mapping]]] = ..., party: _Optional[_Iterable[_Union[PartyFigure, _Mapping]]] = ..., agreed: _Optional[str] = ..., clr_time: _Optional[str] = ..., prepayment: _Optional[_Union[PrepaymentInfo, _Mapping]] = ...) -> None: ...

class ClearOutput(_message.Message):
    __slots__ = ("stmt",)
    STMT_FIELD_NUMBER: _ClassVar[int]
    stmt: _containers.RepeatedCompositeFieldContainer[ClearingStatement]
    def __init__(self, stmt: _Optional[_Iterable[_Union[ClearingStatement, _Mapping]]] = ...) -> None: ...

class ClearReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ClearOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ClearOutput, _Mapping]] = ...) -> None: ...

class PrepaymentData(_message.Message):
    __slots__ = ("insuplc_admdvs", "mdtrtarea_admdvs", "action", "amount")
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    insuplc_admdvs: str
    mdtrtarea_admdvs: str
    action: str
    amount: str
    def __init__(self, insuplc_admdvs: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., action: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class PrepaymentInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: PrepaymentData
    def __init__(self, data: _Optional[_Union[PrepaymentData, _Mapping]] = ...) -> None: ...

class PrepaymentRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: PrepaymentInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[PrepaymentInput, _Mapping]] = ...) -> None: ...

class PrepaymentInfo(_message.Message):
    __slots__ = ("insuplc_admdvs", "mdtrtarea_admdvs", "prepaid", "outstanding", "available", "expected_monthly", "required", "warn_flag", "topup_amt")
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    PREPAID_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_MONTHLY_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    WARN_FLAG_FIELD_NUMBER: _ClassVar[int]
    TOPUP_AMT_FIELD_NUMBER: _ClassVar[int]
    insuplc_admdvs: str
    mdtrtarea_admdvs: str
    prepaid: str
    outstanding: str
    available: str
    expected_monthly: str
    required: str
    warn_flag: str
    topup_amt: str
    def __init__(self, insuplc_admdvs: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., prepaid: _Optional[str] = ..., outstanding: _Optional[str] = ..., available: _Optional[str] = ..., expected_monthly: _Optional[str] = ..., required: _Optional[str] = ..., warn_flag: _Optional[str] = ..., topup_amt: _Optional[str] = ...) -> None: ...

class PrepaymentOutput(_message.Message):
    __slots__ = ("prepayment",)
    PREPAYMENT_FIELD_NUMBER: _ClassVar[int]
    prepayment: PrepaymentInfo
    def __init__(self, prepayment: _Optional[_Union[PrepaymentInfo, _Mapping]] = ...) -> None: ...

class PrepaymentReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: PrepaymentOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[PrepaymentOutput, _Mapping]] = ...) -> None: ...
