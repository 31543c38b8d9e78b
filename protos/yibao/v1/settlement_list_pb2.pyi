from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListSetlInfo(_message.Message):
    __slots__ = ("mdtrt_id", "setl_id", "psn_no", "psn_name", "psn_cert_type", "certno", "gend", "brdy", "fixmedins_code", "fixmedins_name", "hi_setl_lv", "hi_no", "medcasno", "dcla_time", "hi_type", "insuplc", "ipt_med_type", "adm_time", "dscg_time", "setl_begn_date", "setl_end_date", "medins_fill_dept", "medins_fill_psn", "hi_paymtd", "psn_selfpay", "psn_ownpay", "acct_pay", "psn_cashpay")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    PSN_NAME_FIELD_NUMBER: _ClassVar[int]
    PSN_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    GEND_FIELD_NUMBER: _ClassVar[int]
    BRDY_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_CODE_FIELD_NUMBER: _ClassVar[int]
    FIXMEDINS_NAME_FIELD_NUMBER: _ClassVar[int]
    HI_SETL_LV_FIELD_NUMBER: _ClassVar[int]
    HI_NO_FIELD_NUMBER: _ClassVar[int]
    MEDCASNO_FIELD_NUMBER: _ClassVar[int]
    DCLA_TIME_FIELD_NUMBER: _ClassVar[int]
    HI_TYPE_FIELD_NUMBER: _ClassVar[int]
    INSUPLC_FIELD_NUMBER: _ClassVar[int]
    IPT_MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    ADM_TIME_FIELD_NUMBER: _ClassVar[int]
    DSCG_TIME_FIELD_NUMBER: _ClassVar[int]
    SETL_BEGN_DATE_FIELD_NUMBER: _ClassVar[int]
    SETL_END_DATE_FIELD_NUMBER: _ClassVar[int]
    MEDINS_FILL_DEPT_FIELD_NUMBER: _ClassVar[int]
    MEDINS_FILL_PSN_FIELD_NUMBER: _ClassVar[int]
    HI_PAYMTD_FIELD_NUMBER: _ClassVar[int]
    PSN_SELFPAY_FIELD_NUMBER: _ClassVar[int]
    PSN_OWNPAY_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    PSN_CASHPAY_FIELD_NUMBER: _ClassVar[int]
    mdtrt_id: str
    setl_id: str
    psn_no: str
    psn_name: str
    psn_cert_type: str
    certno: str
    gend: str
    brdy: str
    fixmedins_code: str
    fixmedins_name: str
    hi_setl_lv: str
    hi_no: str
    medcasno: str
    dcla_time: str
    hi_type: str
    insuplc: str
    ipt_med_type: str
    adm_time: str
    dscg_time: str
    setl_begn_date: str
    setl_end_date: str
    medins_fill_dept: str
    medins_fill_psn: str
    hi_paymtd: str
    psn_selfpay: str
    psn_ownpay: str
    acct_pay: str
    psn_cashpay: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., psn_name: _Optional[str] = ..., psn_cert_type: _Optional[str] = ..., certno: _Optional[str] = ..., gend: _Optional[str] = ..., brdy: _Optional[str] = ..., fixmedins_code: _Optional[str] = ..., fixmedins_name: _Optional[str] = ..., hi_setl_lv: _Optional[str] = ..., hi_no: _Optional[str] = ..., medcasno: _Optional[str] = ..., dcla_time: _Optional[str] = ..., hi_type: _Optional[str] = ..., insuplc: _Optional[str] = ..., ipt_med_type: _Optional[str] = ..., adm_time: _Optional[str] = ..., dscg_time: _Optional[str] = ..., setl_begn_date: _Optional[str] = ..., setl_end_date: _Optional[str] = ..., medins_fill_dept: _Optional[str] = ..., medins_fill_psn: _Optional[str] = ..., hi_paymtd: _Optional[str] = ..., psn_selfpay: _Optional[str] = ..., psn_ownpay: _Optional[str] = ..., acct_pay: _Optional[str] = ..., psn_cashpay: _Optional[str] = ...) -> None: ...

class ListPayInfo(_message.Message):
    __slots__ = ("fund_pay_type", "fund_payamt")
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUND_PAYAMT_FIELD_NUMBER: _ClassVar[int]
    fund_pay_type: str
    fund_payamt: str
    def __init__(self, fund_pay_type: _Optional[str] = ..., fund_payamt: _Optional[str] = ...) -> None: ...

class ListOpspDiseInfo(_message.Message):
    __slots__ = ("diag_name", "diag_code", "oprn_oprt_name", "oprn_oprt_code")
    DIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    DIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_NAME_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_CODE_FIELD_NUMBER: _ClassVar[int]
    diag_name: str
    diag_code: str
    oprn_oprt_name: str
    oprn_oprt_code: str
    def __init__(self, diag_name: _Optional[str] = ..., diag_code: _Optional[str] = ..., oprn_oprt_name: _Optional[str] = ..., oprn_oprt_code: _Optional[str] = ...) -> None: ...

class ListDiseInfo(_message.Message):
    __slots__ = ("diag_type", "diag_code", "diag_name", "adm_cond_type", "maindiag_flag")
    DIAG_TYPE_FIELD_NUMBER: _ClassVar[int]
    DIAG_CODE_FIELD_NUMBER: _ClassVar[int]
    DIAG_NAME_FIELD_NUMBER: _ClassVar[int]
    ADM_COND_TYPE_FIELD_NUMBER: _ClassVar[int]
    MAINDIAG_FLAG_FIELD_NUMBER: _ClassVar[int]
    diag_type: str
    diag_code: str
    diag_name: str
    adm_cond_type: str
    maindiag_flag: str
    def __init__(self, diag_type: _Optional[str] = ..., diag_code: _Optional[str] = ..., diag_name: _Optional[str] = ..., adm_cond_type: _Optional[str] = ..., maindiag_flag: _Optional[str] = ...) -> None: ...

class ListItemInfo(_message.Message):
    __slots__ = ("med_chrgitm", "amt", "claa_sumfee", "clab_amt", "fulamt_ownpay_amt", "oth_amt")
    MED_CHRGITM_FIELD_NUMBER: _ClassVar[int]
    AMT_FIELD_NUMBER: _ClassVar[int]
    CLAA_SUMFEE_FIELD_NUMBER: _ClassVar[int]
    CLAB_AMT_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OTH_AMT_FIELD_NUMBER: _ClassVar[int]
    med_chrgitm: str
    amt: str
    claa_sumfee: str
    clab_amt: str
    fulamt_ownpay_amt: str
    oth_amt: str
    def __init__(self, med_chrgitm: _Optional[str] = ..., amt: _Optional[str] = ..., claa_sumfee: _Optional[str] = ..., clab_amt: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., oth_amt: _Optional[str] = ...) -> None: ...

class ListOprnInfo(_message.Message):
    __slots__ = ("oprn_oprt_type", "oprn_oprt_name", "oprn_oprt_code", "oprn_oprt_date", "anst_way", "oper_dr_name", "oper_dr_code", "anst_dr_name", "anst_dr_code")
    OPRN_OPRT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_NAME_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_CODE_FIELD_NUMBER: _ClassVar[int]
    OPRN_OPRT_DATE_FIELD_NUMBER: _ClassVar[int]
    ANST_WAY_FIELD_NUMBER: _ClassVar[int]
    OPER_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    OPER_DR_CODE_FIELD_NUMBER: _ClassVar[int]
    ANST_DR_NAME_FIELD_NUMBER: _ClassVar[int]
    ANST_DR_CODE_FIELD_NUMBER: _ClassVar[int]
    oprn_oprt_type: str
    oprn_oprt_name: str
    oprn_oprt_code: str
    oprn_oprt_date: str
    anst_way: str
    oper_dr_name: str
    oper_dr_code: str
    anst_dr_name: str
    anst_dr_code: str
    def __init__(self, oprn_oprt_type: _Optional[str] = ..., oprn_oprt_name: _Optional[str] = ..., oprn_oprt_code: _Optional[str] = ..., oprn_oprt_date: _Optional[str] = ..., anst_way: _Optional[str] = ..., oper_dr_name: _Optional[str] = ..., oper_dr_code: _Optional[str] = ..., anst_dr_name: _Optional[str] = ..., anst_dr_code: _Optional[str] = ...) -> None: ...

class ListIcuInfo(_message.Message):
    __slots__ = ("scs_cutd_ward_type", "scs_cutd_inpool_time", "scs_cutd_exit_time", "scs_cutd_sum_dura")
    SCS_CUTD_WARD_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCS_CUTD_INPOOL_TIME_FIELD_NUMBER: _ClassVar[int]
    SCS_CUTD_EXIT_TIME_FIELD_NUMBER: _ClassVar[int]
    SCS_CUTD_SUM_DURA_FIELD_NUMBER: _ClassVar[int]
    scs_cutd_ward_type: str
    scs_cutd_inpool_time: str
    scs_cutd_exit_time: str
    scs_cutd_sum_dura: str
    def __init__(self, scs_cutd_ward_type: _Optional[str] = ..., scs_cutd_inpool_time: _Optional[str] = ..., scs_cutd_exit_time: _Optional[str] = ..., scs_cutd_sum_dura: _Optional[str] = ...) -> None: ...

class SettlementListInput(_message.Message):
    __slots__ = ("setlinfo", "payinfo", "opspdiseinfo", "diseinfo", "iteminfo", "oprninfo", "icuinfo")
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    PAYINFO_FIELD_NUMBER: _ClassVar[int]
    OPSPDISEINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    ITEMINFO_FIELD_NUMBER: _ClassVar[int]
    OPRNINFO_FIELD_NUMBER: _ClassVar[int]
    ICUINFO_FIELD_NUMBER: _ClassVar[int]
    setlinfo: ListSetlInfo
    payinfo: _containers.RepeatedCompositeFieldContainer[ListPayInfo]
    opspdiseinfo: _containers.RepeatedCompositeFieldContainer[ListOpspDiseInfo]
    diseinfo: _containers.RepeatedCompositeFieldContainer[ListDiseInfo]
    iteminfo: _containers.RepeatedCompositeFieldContainer[ListItemInfo]
    oprninfo: _containers.RepeatedCompositeFieldContainer[ListOprnInfo]
    icuinfo: _containers.RepeatedCompositeFieldContainer[ListIcuInfo]
    def __init__(self, setlinfo: _Optional[_Union[ListSetlInfo, _Mapping]] = ..., payinfo: _Optional[_Iterable[_Union[ListPayInfo, _Mapping]]] = ..., opspdiseinfo: _Optional[_Iterable[_Union[ListOpspDiseInfo, _Mapping]]] = ..., diseinfo: _Optional[_Iterable[_Union[ListDiseInfo, _Mapping]]] = ..., iteminfo: _Optional[_Iterable[_Union[ListItemInfo, _Mapping]]] = ..., oprninfo: _Optional[_Iterable[_Union[ListOprnInfo, _Mapping]]] = ..., icuinfo: _Optional[_Iterable[_Union[ListIcuInfo, _Mapping]]] = ...) -> None: ...

class SettlementListRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SettlementListInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SettlementListInput, _Mapping]] = ...) -> None: ...

class SettlementListOutput(_message.Message):
    __slots__ = ("setl_list_id",)
    SETL_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    setl_list_id: str
    def __init__(self, setl_list_id: _Optional[str] = ...) -> None: ...

class SettlementListReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SettlementListOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SettlementListOutput, _Mapping]] = ...) -> None: ...

class SettlementListQueryData(_message.Message):
    __slots__ = ("psn_no", "setl_id", "setl_list_id")
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    psn_no: str
    setl_id: str
    setl_list_id: str
    def __init__(self, psn_no: _Optional[str] = ..., setl_id: _Optional[str] = ..., setl_list_id: _Optional[str] = ...) -> None: ...

class SettlementListQueryInput(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: SettlementListQueryData
    def __init__(self, data: _Optional[_Union[SettlementListQueryData, _Mapping]] = ...) -> None: ...

class SettlementListQueryRequest(_message.Message):
    __slots__ = ("header", "input")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.RequestHeader
    input: SettlementListQueryInput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.RequestHeader, _Mapping]] = ..., input: _Optional[_Union[SettlementListQueryInput, _Mapping]] = ...) -> None: ...

class SettlementListQueryOutput(_message.Message):
    __slots__ = ("setl_list_id", "infno", "upld_time", "setlinfo", "payinfo", "opspdiseinfo", "diseinfo", "iteminfo", "oprninfo", "icuinfo")
    SETL_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    INFNO_FIELD_NUMBER: _ClassVar[int]
    UPLD_TIME_FIELD_NUMBER: _ClassVar[int]
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    PAYINFO_FIELD_NUMBER: _ClassVar[int]
    OPSPDISEINFO_FIELD_NUMBER: _ClassVar[int]
    DISEINFO_FIELD_NUMBER: _ClassVar[int]
    ITEMINFO_FIELD_NUMBER: _ClassVar[int]
    OPRNINFO_FIELD_NUMBER: _ClassVar[int]
    ICUINFO_FIELD_NUMBER: _ClassVar[int]
    setl_list_id: str
    infno: str
    upld_time: str
    setlinfo: ListSetlInfo
    payinfo: _containers.RepeatedCompositeFieldContainer[ListPayInfo]
    opspdiseinfo: _containers.RepeatedCompositeFieldContainer[ListOpspDiseInfo]
    diseinfo: _containers.RepeatedCompositeFieldContainer[ListDiseInfo]
    iteminfo: _containers.RepeatedCompositeFieldContainer[ListItemInfo]
    oprninfo: _containers.RepeatedCompositeFieldContainer[ListOprnInfo]
    icuinfo: _containers.RepeatedCompositeFieldContainer[ListIcuInfo]
    def __init__(self, setl_list_id: _Optional[str] = ..., infno: _Optional[str] = ..., upld_time: _Optional[str] = ..., setlinfo: _Optional[_Union[ListSetlInfo, _Mapping]] = ..., payinfo: _Optional[_Iterable[_Union[ListPayInfo, _Mapping]]] = ..., opspdiseinfo: _Optional[_Iterable[_Union[ListOpspDiseInfo, _Mapping]]] = ..., diseinfo: _Optional[_Iterable[_Union[ListDiseInfo, _Mapping]]] = ..., iteminfo: _Optional[_Iterable[_Union[ListItemInfo, _Mapping]]] = ..., oprninfo: _Optional[_Iterable[_Union[ListOprnInfo, _Mapping]]] = ..., icuinfo: _Optional[_Iterable[_Union[ListIcuInfo, _Mapping]]] = ...) -> None: ...

class SettlementListQueryReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SettlementListQueryOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SettlementListQueryOutput, _Mapping]] = ...) -> None: ...
