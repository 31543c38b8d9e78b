from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ManualClaimData(_message.Message):
    __slots__ = ("psn_no", "insutype", "med_type", "begndate", "enddate", "mdtrtarea_admdvs", "fixmedins_code", "fixmedins_name", "invoice_no", "medfee_sumamt", "mdtrt_id", "memo")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NO_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    med_type: str
    begndate: str
    enddate: str
    mdtrtarea_admdvs: str
    fixmedins_code: str
    fixmedins_name: str
    invoice_no: str
    medfee_sumamt: str
    mdtrt_id: str
    memo: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., med_type: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., invoice_no: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., mdtrt_id: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class ManualClaimItem(_message.Message):
    __slots__ = ("feedetl_sn", "med_list_codg", "medins_list_codg", "fee_ocur_time", "cnt", "pric", "det_item_fee_sumamt", "hosp_appr_flag")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    MEDINS_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    HOSP_APPR_FLAG_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    med_list_codg: str
    medins_list_codg: str
    fee_ocur_time: str
    cnt: str
    pric: str
    det_item_fee_sumamt: str
    hosp_appr_flag: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., medins_list_codg: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., hosp_appr_flag: _Optional[str] = ...) -> None: ...

class ManualClaimInput(_message.Message):
    __slots__ = ("data", "feedetail")
    DATA_FIELD_NUMBER: _ClassVar[int]
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    data: ManualClaimData
    feedetail: _containers.RepeatedCompositeFieldContainer[ManualClaimItem]
    def __init__(self, data: _Optional[_Union[ManualClaimData, _Mapping]] = ..., feedetail: _Optional[_Iterable[_Union[ManualClaimItem, _Mapping]]] = ...) -> None: ...

class ManualClaimRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ManualClaimInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ManualClaimInput, _Mapping]] = ...) -> None: ...

class ManualClaimReviewData(_message.Message):
    __slots__ = ("claim_id", "psn_no", "action", "reason")
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    claim_id: str
    psn_no: str
    action: str
    reason: str
    def __init__(self, claim_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., action: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ManualClaimReviewInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ManualClaimReviewData
    def __init__(self, data: _Optional[_Union[ManualClaimReviewData, _Mapping]] = ...) -> None: ...

class ManualClaimReviewRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ManualClaimReviewInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ManualClaimReviewInput, _Mapping]] = ...) -> None: ...

class ManualClaim(_message.Message):
    __slots__ = ("claim_id", "claim_stas", "psn_no", "insutype", "med_type", "begndate", "enddate", "insuplc_admdvs", "mdtrtarea_admdvs", "fixmedins_name", "invoice_no", "medfee_sumamt", "fund_pay_sumamt", "psn_part_amt", "submit_time", "due_date", "review_time", "reason", "setl_id", "item_cnt")
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIM_STAS_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NO_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    PSN_PART_AMT_FIELD_NUMBER: _ClassVar[int]
    SUBMIT_TIME_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_TIME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CNT_FIELD_NUMBER: _ClassVar[int]
    claim_id: str
    claim_stas: str
    psn_no: str
    insutype: str
    med_type: str
    begndate: str
    enddate: str
    insuplc_admdvs: str
    mdtrtarea_admdvs: str
    fixmedins_name: str
    invoice_no: str
    medfee_sumamt: str
    fund_pay_sumamt: str
    psn_part_amt: str
    submit_time: str
    due_date: str
    review_time: str
    reason: str
    setl_id: str
    item_cnt: str
    def __init__(self, claim_id: _Optional[str] = ..., claim_stas: _Optional[str] = ..., psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., med_type: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., insuplc_admdvs: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., invoice_no: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., psn_part_amt: _Optional[str] = ..., submit_time: _Optional[str] = ..., due_date: _Optional[str] = ..., review_time: _Optional[str] = ..., reason: _Optional[str] = ..., setl_id: _Optional[str] = ..., item_cnt: _Optional[str] = ...) -> None: ...

class ManualClaimOutput(_message.Message):
    __slots__ = ("claim", "setlinfo", "setldetail", "setltrace")
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    SETLDETAIL_FIELD_NUMBER: _ClassVar[int]
    SETLTRACE_FIELD_NUMBER: _ClassVar[int]
    claim: ManualClaim
    setlinfo: _settlement_pb2.SetlInfo
    setldetail: _containers.RepeatedCompositeFieldContainer[_settlement_pb2.SetlDetail]
    setltrace: _settlement_pb2.SetlTrace
    def __init__(self, claim: _Optional[_Union[ManualClaim, _Mapping]] = ..., setlinfo: _Optional[_Union[_settlement_pb2.SetlInfo, _Mapping]] = ..., setldetail: _Optional[_Iterable[_Union[_settlement_pb2.SetlDetail, _Mapping]]] = ..., setltrace: _Optional[_Union[_settlement_pb2.SetlTrace, _Mapping]] = ...) -> None: ...

class ManualClaimReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ManualClaimOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ManualClaimOutput, _Mapping]] = ...) -> None: ...

class ManualClaimQueryData(_message.Message):
    __slots__ = ("psn_no", "claim_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    claim_id: str
    def __init__(self, psn_no: _Optional[str] = ..., claim_id: _Optional[str] = ...) -> None: ...

class ManualClaimQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ManualClaimQueryData
    def __init__(self, data: _Optional[_Union[ManualClaimQueryData, _Mapping]] = ...) -> None: ...

class ManualClaimQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ManualClaimQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ManualClaimQueryInput, _Mapping]] = ...) -> None: ...

class ManualClaimQueryOutput(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: _containers.RepeatedCompositeFieldContainer[ManualClaim]
    def __init__(self, claim: _Optional[_Iterable[_Union[ManualClaim, _Mapping]]] = ...) -> None: ...

class ManualClaimQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ManualClaimQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ManualClaimQueryOutput, _Mapping]] = ...) -> None: ...
