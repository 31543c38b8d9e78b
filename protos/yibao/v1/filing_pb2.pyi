from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FilingResult(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "begndate", "enddate", "mdtrtarea_admdvs", "fil_type", "cmtm_flag", "matl_due_date", "init_trt_dcla_detl_sn")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CMTM_FLAG_FIELD_NUMBER: _ClassVar[int]
    MATL_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    INIT_TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    begndate: str
    enddate: str
    mdtrtarea_admdvs: str
    fil_type: str
    cmtm_flag: str
    matl_due_date: str
    init_trt_dcla_detl_sn: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fil_type: _Optional[str] = ..., cmtm_flag: _Optional[str] = ..., matl_due_date: _Optional[str] = ..., init_trt_dcla_detl_sn: _Optional[str] = ...) -> None: ...

class FilingOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: FilingResult
    def __init__(self, result: _Optional[_Union[FilingResult, _Mapping]] = ...) -> None: ...

class FilingReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: FilingOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[FilingOutput, _Mapping]] = ...) -> None: ...

class RefMedIn(_message.Message):
    __slots__ = ("psn_no", "insutype", "tel", "addr", "insu_optins", "diag_code", "diag_name", "dise_cond_dscr", "reflin_medins_no", "reflin_medins_name", "mdtrtarea_admdvs", "hosp_agre_refl_flag", "refl_type", "refl_date", "refl_rea", "refl_opnn", "begndate", "enddate", "refl_used_flag")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    TEL_FIELD_NUMBER: _ClassVar[int]
    ADDR_FIELD_NUMBER: _ClassVar[int]
    INSU_OPTINS_FIELD_NUMBER: _ClassVar[int]
    DIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    DIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    DISE_COND_DSCR_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    HOSP_AGRE_REFL_FLAG_FIELD_NUMBER: _ClassVar[int]
    REFL_TYPE_FIELD_NUMBER: _ClassVar[int]
    REFL_DATE_FIELD_NUMBER: _ClassVar[int]
    REFL_REA_FIELD_NUMBER: _ClassVar[int]
    REFL_OPNN_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    REFL_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    tel: str
    addr: str
    insu_optins: str
    diag_code: str
    diag_name: str
    dise_cond_dscr: str
    reflin_medins_no: str
    reflin_medins_name: str
    mdtrtarea_admdvs: str
    hosp_agre_refl_flag: str
    refl_type: str
    refl_date: str
    refl_rea: str
    refl_opnn: str
    begndate: str
    enddate: str
    refl_used_flag: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., tel: _Optional[str] = ..., addr: _Optional[str] = ..., insu_optins: _Optional[str] = ..., diag_code: _Optional[str] = ..., diag_name: _Optional[str] = ..., dise_cond_dscr: _Optional[str] = ..., reflin_medins_no: _Optional[str] = ..., reflin_medins_name: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., hosp_agre_refl_flag: _Optional[str] = ..., refl_type: _Optional[str] = ..., refl_date: _Optional[str] = ..., refl_rea: _Optional[str] = ..., refl_opnn: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., refl_used_flag: _Optional[str] = ...) -> None: ...

class ReferralInput(_message.Message):
    __slots__ = ("refmedin",)
    REFMEDIN_FIELD_NUMBER: _ClassVar[int]
    refmedin: RefMedIn
    def __init__(self, refmedin: _Optional[_Union[RefMedIn, _Mapping]] = ...) -> None: ...

class ReferralRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ReferralInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ReferralInput, _Mapping]] = ...) -> None: ...

class RevokeFilingData(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "psn_no", "memo")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    psn_no: str
    memo: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., psn_no: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class RevokeFilingInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RevokeFilingData
    def __init__(self, data: _Optional[_Union[RevokeFilingData, _Mapping]] = ...) -> None: ...

class RevokeFilingRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: RevokeFilingInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[RevokeFilingInput, _Mapping]] = ...) -> None: ...

class RevokeFilingResult(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "fil_stas", "enddate")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    FIL_STAS_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    fil_stas: str
    enddate: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., fil_stas: _Optional[str] = ..., enddate: _Optional[str] = ...) -> None: ...

class RevokeFilingOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: RevokeFilingResult
    def __init__(self, result: _Optional[_Union[RevokeFilingResult, _Mapping]] = ...) -> None: ...

class RevokeFilingReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: RevokeFilingOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[RevokeFilingOutput, _Mapping]] = ...) -> None: ...

class ChronicFilingData(_message.Message):
    __slots__ = ("psn_no", "insutype", "opsp_dise_code", "opsp_dise_name", "tel", "addr", "insu_optins", "ide_fixmedins_no", "ide_fixmedins_name", "hosp_ide_date", "diag_dr_codg", "diag_dr_name", "begndate", "enddate")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    OPSP_DISE_CODE_FIELD_NUMBER: _ClassVar[int]
    OPSP_DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    TEL_FIELD_NUMBER: _ClassVar[int]
    ADDR_FIELD_NUMBER: _ClassVar[int]
    INSU_OPTINS_FIELD_NUMBER: _ClassVar[int]
    IDE_FIXMEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    IDE_FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSP_IDE_DATE_FIELD_NUMBER: _ClassVar[int]
    DIAG_DR_CODG_FIELD_NUMBER: _ClassVar[int]
    DIAG_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    opsp_dise_code: str
    opsp_dise_name: str
    tel: str
    addr: str
    insu_optins: str
    ide_fixmedins_no: str
    ide_fixmedins_name: str
    hosp_ide_date: str
    diag_dr_codg: str
    diag_dr_name: str
    begndate: str
    enddate: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., opsp_dise_code: _Optional[str] = ..., opsp_dise_name: _Optional[str] = ..., tel: _Optional[str] = ..., addr: _Optional[str] = ..., insu_optins: _Optional[str] = ..., ide_fixmedins_no: _Optional[str] = ..., ide_fixmedins_name: _Optional[str] = ..., hosp_ide_date: _Optional[str] = ..., diag_dr_codg: _Optional[str] = ..., diag_dr_name: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ...) -> None: ...

class ChronicFilingInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ChronicFilingData
    def __init__(self, data: _Optional[_Union[ChronicFilingData, _Mapping]] = ...) -> None: ...

class ChronicFilingRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ChronicFilingInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ChronicFilingInput, _Mapping]] = ...) -> None: ...

class DesignationData(_message.Message):
    __slots__ = ("psn_no", "tel", "addr", "biz_appy_type", "begndate", "enddate", "agnter_name", "agnter_cert_type", "agnter_certno", "agnter_tel", "agnter_addr", "agnter_rlts", "fix_srt_no", "fixmedins_code", "fixmedins_name", "memo", "insutype", "mdtrtarea_admdvs", "fil_type", "cmtm_flag")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    TEL_FIELD_NUMBER: _ClassVar[int]
    ADDR_FIELD_NUMBER: _ClassVar[int]
    BIZ_APPY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    AGNTER_NAME_FIELD_NUMBER: _ClassVar[int]
    AGNTER_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    AGNTER_CERTNO_FIELD_NUMBER: _ClassVar[int]
    AGNTER_TEL_FIELD_NUMBER: _ClassVar[int]
    AGNTER_ADDR_FIELD_NUMBER: _ClassVar[int]
    AGNTER_RLTS_FIELD_NUMBER: _ClassVar[int]
    FIX_SRT_NO_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIL_TYPE_FIELD_NUMBER: _ClassVar[int]
    CMTM_FLAG_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    tel: str
    addr: str
    biz_appy_type: str
    begndate: str
    enddate: str
    agnter_name: str
    agnter_cert_type: str
    agnter_certno: str
    agnter_tel: str
    agnter_addr: str
    agnter_rlts: str
    fix_srt_no: str
    fixmedins_code: str
    fixmedins_name: str
    memo: str
    insutype: str
    mdtrtarea_admdvs: str
    fil_type: str
    cmtm_flag: str
    def __init__(self, psn_no: _Optional[str] = ..., tel: _Optional[str] = ..., addr: _Optional[str] = ..., biz_appy_type: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., agnter_name: _Optional[str] = ..., agnter_cert_type: _Optional[str] = ..., agnter_certno: _Optional[str] = ..., agnter_tel: _Optional[str] = ..., agnter_addr: _Optional[str] = ..., agnter_rlts: _Optional[str] = ..., fix_srt_no: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., memo: _Optional[str] = ..., insutype: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fil_type: _Optional[str] = ..., cmtm_flag: _Optional[str] = ...) -> None: ...

class DesignationInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: DesignationData
    def __init__(self, data: _Optional[_Union[DesignationData, _Mapping]] = ...) -> None: ...

class DesignationRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: DesignationInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[DesignationInput, _Mapping]] = ...) -> None: ...

class ChronicQueryData(_message.Message):
    __slots__ = ("psn_no",)
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    def __init__(self, psn_no: _Optional[str] = ...) -> None: ...

class ChronicQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ChronicQueryData
    def __init__(self, data: _Optional[_Union[ChronicQueryData, _Mapping]] = ...) -> None: ...

class ChronicQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ChronicQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ChronicQueryInput, _Mapping]] = ...) -> None: ...

class ChronicFilingRow(_message.Message):
    __slots__ = ("opsp_dise_code", "opsp_dise_name", "begndate", "enddate", "trt_dcla_detl_sn", "insutype", "fil_stas", "vali_flag", "ide_fixmedins_no", "ide_fixmedins_name", "hosp_ide_date")
    OPSP_DISE_CODE_FIELD_NUMBER: _ClassVar[int]
    OPSP_DISE_NAME_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    FIL_STAS_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    IDE_FIXMEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    IDE_FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    HOSP_IDE_DATE_FIELD_NUMBER: _ClassVar[int]
    opsp_dise_code: str
    opsp_dise_name: str
    begndate: str
    enddate: str
    trt_dcla_detl_sn: str
    insutype: str
    fil_stas: str
    vali_flag: str
    ide_fixmedins_no: str
    ide_fixmedins_name: str
    hosp_ide_date: str
    def __init__(self, opsp_dise_code: _Optional[str] = ..., opsp_dise_name: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., trt_dcla_detl_sn: _Optional[str] = ..., insutype: _Optional[str] = ..., fil_stas: _Optional[str] = ..., vali_flag: _Optional[str] = ..., ide_fixmedins_no: _Optional[str] = ..., ide_fixmedins_name: _Optional[str] = ..., hosp_ide_date: _Optional[str] = ...) -> None: ...

class ChronicQueryOutput(_message.Message):
    __slots__ = ("feedetail",)
    FEEDETAIL_FIELD_NUMBER: _ClassVar[int]
    feedetail: _containers.RepeatedCompositeFieldContainer[ChronicFilingRow]
    def __init__(self, feedetail: _Optional[_Iterable[_Union[ChronicFilingRow, _Mapping]]] = ...) -> None: ...

class ChronicQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ChronicQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ChronicQueryOutput, _Mapping]] = ...) -> None: ...

class DesignationQueryData(_message.Message):
    __slots__ = ("psn_no", "biz_appy_type")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    BIZ_APPY_TYPE_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    biz_appy_type: str
    def __init__(self, psn_no: _Optional[str] = ..., biz_appy_type: _Optional[str] = ...) -> None: ...

class DesignationQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: DesignationQueryData
    def __init__(self, data: _Optional[_Union[DesignationQueryData, _Mapping]] = ...) -> None: ...

class DesignationQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: DesignationQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[DesignationQueryInput, _Mapping]] = ...) -> None: ...

class PsnFixmedin(_message.Message):
    __slots__ = ("psn_no", "insutype", "fix_srt_no", "fixmedins_code", "fixmedins_name", "begndate", "enddate", "memo", "trt_dcla_detl_sn", "biz_appy_type", "fil_type", "fil_type_name", "mdtrtarea_admdvs", "fil_stas", "vali_flag", "cmtm_flag", "matl_stas", "matl_due_date", "init_trt_dcla_detl_sn", "crte_date", "infno", "refl_type", "reflin_medins_no", "reflin_medins_name")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    FIX_SRT_NO_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    BIZ_APPY_TYPE_FIELD_NUMBER: _ClassVar[int]
    FIL_TYPE_FIELD_NUMBER: _ClassVar[int]
    FIL_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIL_STAS_FIELD_NUMBER: _ClassVar[int]
    VALI_FLAG_FIELD_NUMBER: _ClassVar[int]
    CMTM_FLAG_FIELD_NUMBER: _ClassVar[int]
    MATL_STAS_FIELD_NUMBER: _ClassVar[int]
    MATL_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    INIT_TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    CRTE_DATE_FIELD_NUMBER: _ClassVar[int]
    INFNO_FIELD_NUMBER: _ClassVar[int]
    REFL_TYPE_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NO_FIELD_NUMBER: _ClassVar[int]
    REFLIN_MEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    insutype: str
    fix_srt_no: str
    fixmedins_code: str
    fixmedins_name: str
    begndate: str
    enddate: str
    memo: str
    trt_dcla_detl_sn: str
    biz_appy_type: str
    fil_type: str
    fil_type_name: str
    mdtrtarea_admdvs: str
    fil_stas: str
    vali_flag: str
    cmtm_flag: str
    matl_stas: str
    matl_due_date: str
    init_trt_dcla_detl_sn: str
    crte_date: str
    infno: str
    refl_type: str
    reflin_medins_no: str
    reflin_medins_name: str
    def __init__(self, psn_no: _Optional[str] = ..., insutype: _Optional[str] = ..., fix_srt_no: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., memo: _Optional[str] = ..., trt_dcla_detl_sn: _Optional[str] = ..., biz_appy_type: _Optional[str] = ..., fil_type: _Optional[str] = ..., fil_type_name: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fil_stas: _Optional[str] = ..., vali_flag: _Optional[str] = ..., cmtm_flag: _Optional[str] = ..., matl_stas: _Optional[str] = ..., matl_due_date: _Optional[str] = ..., init_trt_dcla_detl_sn: _Optional[str] = ..., crte_date: _Optional[str] = ..., infno: _Optional[str] = ..., refl_type: _Optional[str] = ..., reflin_medins_no: _Optional[str] = ..., reflin_medins_name: _Optional[str] = ...) -> None: ...

class DesignationQueryOutput(_message.Message):
    __slots__ = ("psnfixmedin",)
    PSNFIXMEDIN_FIELD_NUMBER: _ClassVar[int]
    psnfixmedin: _containers.RepeatedCompositeFieldContainer[PsnFixmedin]
    def __init__(self, psnfixmedin: _Optional[_Iterable[_Union[PsnFixmedin, _Mapping]]] = ...) -> None: ...

class DesignationQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: DesignationQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[DesignationQueryOutput, _Mapping]] = ...) -> None: ...

class ChangeFilingData(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "psn_no", "mdtrtarea_admdvs", "fil_type", "begndate", "enddate", "tel", "addr", "memo")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MDTRTAREA_ADMDVS_FIELD_NUMBER: _ClassVar[int]
    FIL_TYPE_FIELD_NUMBER: _ClassVar[int]
    BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    TEL_FIELD_NUMBER: _ClassVar[int]
    ADDR_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    psn_no: str
    mdtrtarea_admdvs: str
    fil_type: str
    begndate: str
    enddate: str
    tel: str
    addr: str
    memo: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., psn_no: _Optional[str] = ..., mdtrtarea_admdvs: _Optional[str] = ..., fil_type: _Optional[str] = ..., begndate: _Optional[str] = ..., enddate: _Optional[str] = ..., tel: _Optional[str] = ..., addr: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class ChangeFilingInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ChangeFilingData
    def __init__(self, data: _Optional[_Union[ChangeFilingData, _Mapping]] = ...) -> None: ...

class ChangeFilingRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ChangeFilingInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ChangeFilingInput, _Mapping]] = ...) -> None: ...

class ReviewCommitmentData(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "psn_no", "matl_stas", "memo")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    MATL_STAS_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    psn_no: str
    matl_stas: str
    memo: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., psn_no: _Optional[str] = ..., matl_stas: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class ReviewCommitmentInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ReviewCommitmentData
    def __init__(self, data: _Optional[_Union[ReviewCommitmentData, _Mapping]] = ...) -> None: ...

class ReviewCommitmentRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: ReviewCommitmentInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[ReviewCommitmentInput, _Mapping]] = ...) -> None: ...

class ReviewCommitmentResult(_message.Message):
    __slots__ = ("trt_dcla_detl_sn", "fil_stas", "matl_stas", "enddate", "ban_begndate", "ban_enddate")
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    FIL_STAS_FIELD_NUMBER: _ClassVar[int]
    MATL_STAS_FIELD_NUMBER: _ClassVar[int]
    ENDDATE_FIELD_NUMBER: _ClassVar[int]
    BAN_BEGNDATE_FIELD_NUMBER: _ClassVar[int]
    BAN_ENDDATE_FIELD_NUMBER: _ClassVar[int]
    trt_dcla_detl_sn: str
    fil_stas: str
    matl_stas: str
    enddate: str
    ban_begndate: str
    ban_enddate: str
    def __init__(self, trt_dcla_detl_sn: _Optional[str] = ..., fil_stas: _Optional[str] = ..., matl_stas: _Optional[str] = ..., enddate: _Optional[str] = ..., ban_begndate: _Optional[str] = ..., ban_enddate: _Optional[str] = ...) -> None: ...

class ReviewCommitmentOutput(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: ReviewCommitmentResult
    def __init__(self, result: _Optional[_Union[ReviewCommitmentResult, _Mapping]] = ...) -> None: ...

class ReviewCommitmentReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: ReviewCommitmentOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[ReviewCommitmentOutput, _Mapping]] = ...) -> None: ...
