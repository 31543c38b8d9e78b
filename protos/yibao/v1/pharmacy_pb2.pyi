from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DrugInfo(_message.Message):
    __slots__ = ("psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "begntime", "medfee_sumamt", "invono", "insutype", "dise_codg", "dise_name", "acct_used_flag", "med_type", "expContent")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    BEGNTIME_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    INVONO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    DISE_CODG_FIELD_NUMBER: _ClassVar[int]
    DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXPCONTENT_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    begntime: str
    medfee_sumamt: str
    invono: str
    insutype: str
    dise_codg: str
    dise_name: str
    acct_used_flag: str
    med_type: str
    expContent: str
    def __init__(self, psn_no: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., mdtrt_cert_no: _Optional[str] = ..., begntime: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., invono: _Optional[str] = ..., insutype: _Optional[str] = ..., dise_codg: _Optional[str] = ..., dise_name: _Optional[str] = ..., acct_used_flag: _Optional[str] = ..., med_type: _Optional[str] = ..., expContent: _Optional[str] = ...) -> None: ...

class DrugDetail(_message.Message):
    __slots__ = ("feedetl_sn", "rxno", "rx_circ_flag", "fee_ocur_time", "med_list_codg", "medins_list_codg", "det_item_fee_sumamt", "cnt", "pric", "sin_dos_dscr", "used_frqu_dscr", "prd_days", "medc_way_dscr", "bilg_dr_codg", "bilg_dr_name", "tcmdrug_used_way")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    RXNO_FIELD_NUMBER: _ClassVar[int]
    RX_CIRC_FLAG_FIELD_NUMBER: _ClassVar[int]
    FEE_OCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    MEDINS_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    SIN_DOS_DSCR_FIELD_NUMBER: _ClassVar[int]
    USED_FRQU_DSCR_FIELD_NUMBER: _ClassVar[int]
    PRD_DAYS_FIELD_NUMBER: _ClassVar[int]
    MEDC_WAY_DSCR_FIELD_NUMBER: _ClassVar[int]
    BILG_DR_CODG_FIELD_NUMBER: _ClassVar[int]
    BILG_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    TCMDRUG_USED_WAY_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    rxno: str
    rx_circ_flag: str
    fee_ocur_time: str
    med_list_codg: str
    medins_list_codg: str
    det_item_fee_sumamt: str
    cnt: str
    pric: str
    sin_dos_dscr: str
    used_frqu_dscr: str
    prd_days: str
    medc_way_dscr: str
    bilg_dr_codg: str
    bilg_dr_name: str
    tcmdrug_used_way: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., rxno: _Optional[str] = ..., rx_circ_flag: _Optional[str] = ..., fee_ocur_time: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., medins_list_codg: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., sin_dos_dscr: _Optional[str] = ..., used_frqu_dscr: _Optional[str] = ..., prd_days: _Optional[str] = ..., medc_way_dscr: _Optional[str] = ..., bilg_dr_codg: _Optional[str] = ..., bilg_dr_name: _Optional[str] = ..., tcmdrug_used_way: _Optional[str] = ...) -> None: ...

class PharmacySettleInput(_message.Message):
    __slots__ = ("druginfo", "drugdetail")
    DRUGINFO_FIELD_NUMBER: _ClassVar[int]
    DRUGDETAIL_FIELD_NUMBER: _ClassVar[int]
    druginfo: DrugInfo
    drugdetail: _containers.RepeatedCompositeFieldContainer[DrugDetail]
    def __init__(self, druginfo: _Optional[_Union[DrugInfo, _Mapping]] = ..., drugdetail: _Optional[_Iterable[_Union[DrugDetail, _Mapping]]] = ...) -> None: ...

class PharmacySettleRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: PharmacySettleInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[PharmacySettleInput, _Mapping]] = ...) -> None: ...

class PharmacyCancelData(_message.Message):
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

class PharmacyCancelInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: PharmacyCancelData
    def __init__(self, data: _Optional[_Union[PharmacyCancelData, _Mapping]] = ...) -> None: ...

class PharmacyCancelRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: PharmacyCancelInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[PharmacyCancelInput, _Mapping]] = ...) -> None: ...
